"""Bytes to text for the text-based parsers, refusing what is not text."""

from __future__ import annotations

import codecs

from ..records import ParseError


def decode(data: bytes, name: str) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else
    Windows-1252/Latin-1. Binary content is refused with a ParseError."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data[:65536]:
            raise ParseError(f"{name}: binary data in a text file (NUL bytes)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.01:
        raise ParseError(f"{name}: binary data in a text file ({controls} control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False
