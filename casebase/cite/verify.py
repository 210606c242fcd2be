"""Check a citation list against the store before it leaves: each quote must
be on the page and lines its pin names, in the stored text of that document.
A brief that misquotes the record, or cites the wrong page, is worse than
one without the cite."""

from __future__ import annotations

import re
import sqlite3

from casebase import store
from casebase.cite.forms import Entry, Item
from casebase.cite.gather import docket_row, has_page, joined, page_lines

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
    place = f"{it.doc}"
    if it.page is not None:
        place += f" p. {it.page}"
        if it.line_start is not None:
            end = it.line_end if it.line_end is not None else it.line_start
            place += f" line {it.line_start}" if end == it.line_start and not it.page_end else (
                f" lines {it.line_start}–" + (f"{it.page_end}:" if it.page_end else "") + f"{end}")
    return place


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
    if not has_page(conn, doc_id, it.page):
        return f"{it.doc} has no page {it.page}"
    rows = page_lines(conn, doc_id, it.page, it.line_start, it.line_end, it.page_end)
    if it.line_start is not None and not rows:
        return f"{where(it)}: no such lines in the store"
    if not it.quote:
        return ""
    if it.line_start is None:
        rows = page_lines(conn, doc_id, it.page)
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
