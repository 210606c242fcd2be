"""casebase: a research workbench for the record around AI distillation."""

__version__ = "0.1.0"
