"""Check a citation list against the store before it leaves: each quote must
be on the page and lines its pin names, in the stored text of that document.
A brief that misquotes the record, or cites the wrong page, is worse than
one without the cite."""

from __future__ import annotations

import re
import sqlite3

from casebase import store
from casebase.cite.forms import Entry, Item, line_span
from casebase.cite.gather import docket_row, joined, page_lines, page_row

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")


def normalize(text: str) -> str:
    """Spacing, curly quotes, dashes and line-end hyphens do not make a misquote."""
    text = " ".join(text.translate(_QUOTES).split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def _found(quote: str, text: str) -> bool:
    """Every part of the quote (split at ellipses) in the text, in order."""
    at = 0
    for part in (p.strip(" .,;:") for p in _ELLIPSIS.split(normalize(quote))):
        if not part:
            continue
        i = text.find(part, at)
        if i < 0:
            i = text.find(part.replace("- ", ""), at)
        if i < 0:
            return False
        at = i + len(part)
    return True


def where(it: Item) -> str:
    """'DOC p. 128 lines 3–10': the place a problem names."""
    lines = line_span(it.page, it.line_start, it.line_end, it.page_end)
    return " ".join(p for p in (it.doc, f"p. {it.page}" if it.page is not None else "", lines) if p)


def check(conn: sqlite3.Connection, it: Item) -> str:
    """'' when the quote is at the pin, else one line saying what is wrong."""
    if it.kind == "docket":
        row = docket_row(conn, it.case_number or "", it.document_number or "")
        if row is None:
            return f"{it.doc}: no entry {it.document_number} in the store"
        return "" if _found(it.quote, normalize(row["description"])) else (
            f"{it.doc}: entry {it.document_number} does not say the quote")
    doc_id = store.resolve(conn, it.doc)
    if doc_id is None:
        return f"{it.doc}: not in the store"
    number = conn.execute("SELECT document_number FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    if it.document_number and number and str(number) != str(it.document_number):
        return f"{it.doc}: the store has it as ECF No. {number}, the cite says {it.document_number}"
    if it.page is None:
        if not it.quote:
            return ""
        rows = conn.execute("SELECT l.text, l.number FROM lines l WHERE l.doc_id = ? ORDER BY l.page_seq, l.seq",
                            (doc_id,)).fetchall()
        return "" if _found(it.quote, normalize(joined(rows))) else f"quote not found in {it.doc}"
    if page_row(conn, doc_id, it.page) is None:
        return f"{it.doc} has no page {it.page}"
    rows = page_lines(conn, doc_id, it.page, it.line_start, it.line_end, it.page_end)
    if it.line_start is not None and not rows:
        return f"{where(it)}: no such lines in the store"
    if not it.quote:
        return ""
    text = normalize(joined(rows))
    if _found(it.quote, text):
        return ""
    shown = normalize(it.quote)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f'quote not found at {where(it)}: "{shown}"'


def verify(conn: sqlite3.Connection, entries: list[Entry]) -> list[Entry]:
    """Mark each entry verified or not, with the reason; returns the same list."""
    for e in entries:
        e.problem = check(conn, e.item)
        e.verified = not e.problem
    return entries
