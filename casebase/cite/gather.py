"""Passages of the store as citation-list items: lines of a page, a claim, a
search hit. The store says what the pin needs: the numbered paragraphs the
lines belong to, and the PageID the page's ECF stamp carries."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from casebase import store
from casebase.cite.forms import Item, case_key, item


class NotFound(LookupError):
    """A selection names a document, page, lines or claim the store does not hold."""


def doc_row(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any]:
    """A document's whole row, metadata and parties decoded, a deposition's
    witness filled in as search finds it."""
    from casebase.search import with_deponent

    row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id!r} in the store")
    out = with_deponent(conn, doc_id, row)
    try:
        out["parties"] = json.loads(out.get("parties") or "[]")
    except ValueError:
        out["parties"] = []
    return out


def document_id(conn: sqlite3.Connection, ref: str) -> str:
    """A document id, base name or stem, to the stored id (NotFound if none or several)."""
    doc_id = store.resolve(conn, ref)
    if doc_id is None:
        raise NotFound(f"no document {ref!r} in the store (casebase list shows them)")
    return doc_id


def page_lines(conn: sqlite3.Connection, doc_id: str, page: int, line_start: int | None = None,
               line_end: int | None = None, page_end: int | None = None) -> list[sqlite3.Row]:
    """The stored lines of a passage, in reading order: from `line_start` on
    `page` to `line_end` on `page_end` (the same page when not given)."""
    last = page_end if page_end is not None else page
    rows = conn.execute(
        "SELECT p.number AS page, l.seq, l.number, l.text, l.paragraph, l.footnote FROM lines l"
        " JOIN pages p ON p.doc_id = l.doc_id AND p.seq = l.page_seq"
        " WHERE l.doc_id = ? AND p.number BETWEEN ? AND ? ORDER BY p.seq, l.seq",
        (doc_id, page, last)).fetchall()
    out = []
    for r in rows:
        if line_start is not None and r["page"] == page and r["number"] < line_start:
            continue
        end = line_end if line_end is not None else line_start
        if end is not None and r["page"] == last and r["number"] > end:
            continue
        out.append(r)
    return out


def page_row(conn: sqlite3.Connection, doc_id: str, page: int) -> sqlite3.Row | None:
    """A stored page by its printed number (None when the document has no such page)."""
    return conn.execute("SELECT * FROM pages WHERE doc_id = ? AND number = ?", (doc_id, page)).fetchone()


def _page_id(page: sqlite3.Row) -> str | None:
    """The PageID the page's ECF stamp carries."""
    try:
        return (json.loads(page["stamp"] or "null") or {}).get("page_id")
    except ValueError:
        return None


_NOTE_NUMBER = re.compile(r"^\s*(\d{1,3})(?:\s|$)")


def footnote_number(conn: sqlite3.Connection, doc_id: str, page: int, rows: list[sqlite3.Row]) -> int | None:
    """The footnote a passage lies in, when all its lines are footnote lines:
    the number that opens the footnote (the passage's first line, or the
    nearest footnote line above it that starts with a number)."""
    if not rows or not all(r["footnote"] for r in rows) or rows[0]["page"] != page:
        return None
    above = [r for r in page_lines(conn, doc_id, page) if r["seq"] <= rows[0]["seq"]]
    for r in reversed(above):
        if not r["footnote"]:
            return None
        m = _NOTE_NUMBER.match(r["text"])
        if m:
            return int(m.group(1))
    return None


def joined(rows: list[sqlite3.Row]) -> str:
    return " ".join(" ".join(r["text"].split()) for r in rows if r["text"].strip())


def passage(conn: sqlite3.Connection, doc: str, page: int | None = None, line_start: int | None = None,
            line_end: int | None = None, quote: str | None = None, page_end: int | None = None,
            note: str = "") -> Item:
    """An item for lines of a stored document (`doc`: id or base name). With no
    `quote`, the lines' own text is the quote."""
    doc_id = document_id(conn, doc)
    row = doc_row(conn, doc_id)
    paragraphs: list[int] = []
    page_id = footnote = None
    if page is not None:
        stored = page_row(conn, doc_id, page)
        if stored is None:
            raise NotFound(f"{row['name']} has no page {page}")
        rows = page_lines(conn, doc_id, page, line_start, line_end, page_end) if line_start is not None else []
        if line_start is not None and not rows:
            raise NotFound(f"{row['name']} has no line {line_start} on page {page}")
        paragraphs = [r["paragraph"] for r in rows if r["paragraph"] is not None and not r["footnote"]]
        footnote = footnote_number(conn, doc_id, page, rows)
        if quote is None:
            quote = joined(rows)
        page_id = _page_id(stored)
    return item(row, page, line_start, line_end, quote or "", note=note, page_end=page_end,
                paragraphs=paragraphs, page_id=page_id, footnote=footnote)


def claim(conn: sqlite3.Connection, claim_id: str) -> Item:
    """An item for a stored claim: its quote at its page and lines."""
    row = conn.execute("SELECT doc_id, record FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        rows = conn.execute("SELECT doc_id, record FROM claims WHERE id LIKE ?", (claim_id + "%",)).fetchall()
        if len(rows) != 1:
            raise NotFound(f"no claim {claim_id!r} in the store (casebase claims --json lists their ids)")
        row = rows[0]
    rec = json.loads(row["record"])
    page_end = rec.get("page_end")
    return passage(conn, row["doc_id"], rec.get("page"), rec.get("line_start"), rec.get("line_end"),
                   quote=rec.get("quote") or "", page_end=page_end if page_end != rec.get("page") else None,
                   note=rec.get("proposition") or "")


def hit(conn: sqlite3.Connection, h: Any) -> Item:
    """An item for a search hit: the lines it spans, their text the quote."""
    return passage(conn, h.doc_id, h.page, h.line_start, h.line_end, quote=h.text)


def docket_row(conn: sqlite3.Connection, case_number: str, number: str) -> sqlite3.Row | None:
    """The docket entry `number` of a case (a reassigned case's numbers match: cite.forms.case_key)."""
    key = case_key(case_number)
    for row in conn.execute("SELECT * FROM dockets WHERE number = ?", (str(number),)):
        if case_key(row["case_number"]) == key:
            return row
    return None


def docket_case(conn: sqlite3.Connection) -> str:
    """The case of the store's docket, when it holds one case's (else say which to choose)."""
    cases = sorted({case_key(r[0]): r[0] for r in conn.execute("SELECT DISTINCT case_number FROM dockets")}.values())
    if len(cases) != 1:
        raise NotFound("the store holds no docket" if not cases else
                       f"the store holds the dockets of {len(cases)} cases: give --case ({', '.join(cases)})")
    return cases[0]


def docket_entry(conn: sqlite3.Connection, case_number: str, number: str) -> Item:
    """An item for a docket entry (a filing the store holds only as the clerk's text):
    cited as the document the text names, with its ECF number."""
    row = docket_row(conn, case_number, number)
    if row is None:
        raise NotFound(f"no docket entry {number} of {case_number} in the store")
    return item({"name": f"Docket {row['case_number']}", "kind": "docket", "title": row["description"],
                 "case_number": row["case_number"], "document_number": row["number"], "date": row["filed"]},
                quote=row["description"])
