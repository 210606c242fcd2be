"""Extractors: functions that read a document's text and return structured facts."""
