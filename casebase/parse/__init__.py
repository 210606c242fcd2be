"""Turn a file into a Document, choosing the parser by content, not by name.

Every failure is a ParseError with one line naming the file and the cause.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..records import Document, ParseError

SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".text", ".html", ".htm"}
MAX_BYTES = int(os.environ.get("CASEBASE_MAX_BYTES", 256 * 2**20))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path) -> None:
    """Refuse early what cannot be a document: missing, empty, huge, unknown type."""
    name = path.name
    if not path.is_file():
        raise ParseError(f"{name}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise ParseError(f"{name}: empty file (0 bytes)")
    if size > MAX_BYTES:
        raise ParseError(
            f"{name}: too large ({size / 2**20:,.0f} MiB; the limit is {MAX_BYTES / 2**20:,.0f} MiB,"
            " set CASEBASE_MAX_BYTES to raise it)"
        )
    if path.suffix.lower() not in SUFFIXES:
        raise ParseError(f"{name}: unsupported file type '{path.suffix or 'none'}'"
                         f" (casebase reads {', '.join(sorted(SUFFIXES))})")


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) and b"<html" in data[:65536].lower()


def parse_bytes(data: bytes, name: str) -> Document:
    """Parse a file's content; `name` is used in messages and as the path."""
    from . import article, pdf, text, textio

    if not data.strip():
        raise ParseError(f"{name}: empty file (only whitespace)")
    if data[:1024].lstrip().startswith(b"%PDF") or name.lower().endswith(".pdf"):
        return finish_filing(pdf.parse_pdf(data, name))
    if _looks_like_html(data) or name.lower().endswith((".html", ".htm")):
        return article.parse_article_html(textio.decode(data, name), name)
    content = textio.decode(data, name)
    if not content.strip():
        raise ParseError(f"{name}: empty file (no text)")
    if text.is_filing(content):
        return text.parse_filing_text(content, name)
    return article.parse_article_text(content, name)


def finish_filing(doc: Document) -> Document:
    """Shared last steps for filings: stamps, caption, paragraphs, transcripts."""
    from .filing import finish
    from .transcript import as_transcript, looks_like_transcript

    doc = finish(doc)
    return as_transcript(doc) if looks_like_transcript(doc) else doc


def parse_file(path: str | os.PathLike[str]) -> Document:
    """Parse one file into a Document with its path and content hash set."""
    path = Path(path)
    check_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read ({exc.strerror})") from None
    doc = parse_bytes(data, path.name)
    doc.path = str(path)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc
