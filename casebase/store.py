"""The SQLite system of record: documents, pages, lines, parse warnings.

One transaction per document, WAL mode, foreign keys with cascades: a
document is either wholly in the store or not at all, so a run killed in the
middle leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator

from .records import Document, Line, Page, Stamp

DEFAULT_STORE = "data"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    case_number TEXT,
    document_number TEXT,
    filed TEXT,
    date TEXT,
    court TEXT,
    parties TEXT NOT NULL DEFAULT '[]',
    page_count INTEGER NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_name ON documents(name);
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    number INTEGER NOT NULL,
    pdf_page INTEGER,
    needs_ocr INTEGER NOT NULL DEFAULT 0,
    stamp TEXT,
    header TEXT NOT NULL DEFAULT '[]',
    footer TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE IF NOT EXISTS lines (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    speaker TEXT,
    paragraph INTEGER,
    footnote INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, page_seq, seq)
);
CREATE TABLE IF NOT EXISTS warnings (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    message TEXT NOT NULL
);
-- Retrieval units for search: page- and paragraph-bounded runs of lines.
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER NOT NULL,
    pdf_page INTEGER,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- Entity mentions found by the spaCy pipeline.
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    canonical TEXT NOT NULL,
    owner TEXT,
    page INTEGER,
    line INTEGER
);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id);
CREATE INDEX IF NOT EXISTS mentions_canonical ON mentions(canonical);
-- Claims about model use (see ../shared/gold/CLAIMS.md); `record` holds the whole claim as JSON.
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    proposition TEXT NOT NULL,
    subject TEXT NOT NULL,
    relation TEXT NOT NULL,
    object TEXT NOT NULL,
    asserted_by TEXT,
    posture TEXT,
    polarity TEXT,
    hedged INTEGER,
    page INTEGER,
    line_start INTEGER,
    line_end INTEGER,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id);
CREATE INDEX IF NOT EXISTS claims_proposition ON claims(proposition);
"""


def store_dir(store: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: the argument, else $CASEBASE_STORE, else ./data."""
    return Path(store or os.environ.get("CASEBASE_STORE") or DEFAULT_STORE)


def connect(store: str | os.PathLike[str] | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the store's database."""
    folder = store_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "casebase.db", timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


def find_by_sha(db: sqlite3.Connection, sha256: str) -> str | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return row["id"] if row else None


def ids_at_path(db: sqlite3.Connection, path: str) -> list[str]:
    return [r["id"] for r in db.execute("SELECT id FROM documents WHERE path = ?", (path,))]


def save(db: sqlite3.Connection, doc: Document, replaces: list[str] = ()) -> None:
    """Write a parsed document in one transaction, replacing older versions."""
    doc.assign_offsets()
    db.execute("BEGIN IMMEDIATE")
    try:
        for old in replaces:
            db.execute("DELETE FROM documents WHERE id = ?", (old,))
        db.execute(
            "INSERT INTO documents (id, sha256, path, name, kind, title, case_number,"
            " document_number, filed, date, court, parties, page_count, metadata)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id, doc.sha256, doc.path, Path(doc.path).name, doc.kind, doc.title,
                doc.case_number, doc.document_number, doc.filed, doc.date, doc.court,
                json.dumps(doc.parties), doc.page_count, json.dumps(doc.metadata, default=str),
            ),
        )
        for seq, page in enumerate(doc.pages):
            db.execute(
                "INSERT INTO pages (doc_id, seq, number, pdf_page, needs_ocr, stamp, header, footer)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (doc.id, seq, page.number, page.pdf_page, int(page.needs_ocr),
                 json.dumps(asdict(page.stamp)) if page.stamp else None,
                 json.dumps(page.header), json.dumps(page.footer)),
            )
            db.executemany(
                "INSERT INTO lines (doc_id, page_seq, seq, number, text, char_start, char_end,"
                " speaker, paragraph, footnote) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc.id, seq, i, l.number, l.text, l.char_start, l.char_end,
                     l.speaker, l.paragraph, int(l.footnote))
                    for i, l in enumerate(page.lines)
                ],
            )
        db.executemany(
            "INSERT INTO warnings (doc_id, message) VALUES (?, ?)",
            [(doc.id, w) for w in doc.warnings],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def resolve(db: sqlite3.Connection, ref: str) -> str | None:
    """A document id (or its prefix), a file's base name or its stem, to an id."""
    for sql in (
        "SELECT id FROM documents WHERE id = ?",
        "SELECT id FROM documents WHERE name = ?",
        "SELECT id FROM documents WHERE path = ?",
    ):
        rows = db.execute(sql, (ref,)).fetchall()
        if len(rows) == 1:
            return rows[0]["id"]
    rows = db.execute(
        "SELECT id FROM documents WHERE id LIKE ? OR name LIKE ?", (ref + "%", ref + ".%")
    ).fetchall()
    return rows[0]["id"] if len(rows) == 1 else None


def load(db: sqlite3.Connection, doc_id: str) -> Document:
    """Read a whole document back into its record."""
    row = db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise KeyError(doc_id)
    doc = Document(
        path=row["path"], kind=row["kind"], sha256=row["sha256"], title=row["title"],
        case_number=row["case_number"], document_number=row["document_number"],
        filed=row["filed"], date=row["date"], court=row["court"], parties=json.loads(row["parties"]),
        metadata=json.loads(row["metadata"]),
        warnings=[w["message"] for w in db.execute(
            "SELECT message FROM warnings WHERE doc_id = ? ORDER BY rowid", (doc_id,))],
    )
    pages: dict[int, Page] = {}
    for p in db.execute("SELECT * FROM pages WHERE doc_id = ? ORDER BY seq", (doc_id,)):
        stamp = Stamp(**json.loads(p["stamp"])) if p["stamp"] else None
        pages[p["seq"]] = Page(p["number"], [], p["pdf_page"], bool(p["needs_ocr"]), stamp,
                               json.loads(p["header"]), json.loads(p["footer"]))
    for l in db.execute("SELECT * FROM lines WHERE doc_id = ? ORDER BY page_seq, seq", (doc_id,)):
        pages[l["page_seq"]].lines.append(
            Line(l["number"], l["text"], l["char_start"], l["char_end"], l["speaker"],
                 l["paragraph"], bool(l["footnote"]))
        )
    doc.pages = list(pages.values())
    return doc


def documents(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One summary row per stored document."""
    for row in db.execute(
        "SELECT id, name, path, kind, title, case_number, document_number, filed, date, page_count"
        " FROM documents ORDER BY name"
    ):
        yield dict(row)
