"""The SQLite system of record: documents, pages, lines, parse warnings.

One transaction per document, WAL mode, foreign keys with cascades: a
document is either wholly in the store or not at all, so a run killed in the
middle leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable, Iterator

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
-- Docket entries (dates, numbers, descriptions) for the timeline.
CREATE TABLE IF NOT EXISTS dockets (
    case_number TEXT,
    number TEXT,
    filed TEXT,
    entered TEXT,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
-- (NULLs are distinct in a plain UNIQUE: minute entries have no number)
CREATE UNIQUE INDEX IF NOT EXISTS dockets_entry ON dockets(
    ifnull(case_number, ''), ifnull(number, ''), ifnull(filed, ''), description);
CREATE INDEX IF NOT EXISTS claims_proposition ON claims(proposition);
-- Dated statements for the timeline, found once at ingest (timeline.DatedStatement as JSON),
-- and the version of the code that found each document's: other versions are found again.
CREATE TABLE IF NOT EXISTS dated (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
CREATE TABLE IF NOT EXISTS dated_versions (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version TEXT NOT NULL
);
-- The same for docket entries, by a digest of the entry: a JSON list per entry.
CREATE TABLE IF NOT EXISTS docket_dated (
    entry TEXT NOT NULL,
    version TEXT NOT NULL,
    records TEXT NOT NULL,
    PRIMARY KEY (entry, version)
);
"""


def store_dir(store: str | os.PathLike[str] | None = None) -> Path:
    """The store folder: the argument, else $CASEBASE_STORE, else ./data."""
    return Path(store or os.environ.get("CASEBASE_STORE") or DEFAULT_STORE)


def folder(db: sqlite3.Connection) -> Path:
    """The store folder behind an open connection."""
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent
    raise ValueError("in-memory database has no store folder")


def aliases_path(db: sqlite3.Connection) -> Path:
    """The store's own alias table, which users edit: a copy of the package
    default made the first time it is needed."""
    path = folder(db) / "aliases.tsv"
    if not path.exists():
        from .aliases import DEFAULT_PATH as DEFAULT_ALIASES

        shutil.copyfile(DEFAULT_ALIASES, path)
    return path


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


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (no deadlock between two writers)
    and rolled back on any error, so no half-written change stays."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def find_by_sha(db: sqlite3.Connection, sha256: str) -> str | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return row["id"] if row else None


def ids_at_path(db: sqlite3.Connection, path: str) -> list[str]:
    return [r["id"] for r in db.execute("SELECT id FROM documents WHERE path = ?", (path,))]


def save(db: sqlite3.Connection, doc: Document, replaces: Iterable[str] = (),
         extraction: Any = None, chunks: Iterable[Any] = (), dated: Any = None) -> None:
    """Write a parsed document, its extraction (mentions, claims), its search
    chunks and its dated statements (timeline.Dated) in one transaction,
    replacing older versions."""
    doc.assign_offsets()
    with transaction(db):
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
        if extraction is not None:
            _save_extraction(db, doc.id, extraction)
        insert_chunks(db, chunks)
        if dated is not None:
            insert_dated(db, doc.id, dated)


def insert_chunks(db: sqlite3.Connection, chunks: Iterable[Any]) -> None:
    """Rows of the chunks table from index.Chunk records (caller owns the transaction)."""
    db.executemany(
        "INSERT INTO chunks (id, doc_id, seq, page, pdf_page, line_start, line_end,"
        " char_start, char_end, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(c.id, c.doc_id, c.seq, c.page, c.pdf_page, c.line_start, c.line_end,
          c.char_start, c.char_end, c.text) for c in chunks],
    )


def insert_dated(db: sqlite3.Connection, doc_id: str, dated: Any) -> None:
    """A document's dated statements (timeline.Dated: its `version` and JSON
    `records()`), replacing any older ones (caller owns the transaction)."""
    db.execute("DELETE FROM dated WHERE doc_id = ?", (doc_id,))
    db.executemany("INSERT INTO dated (doc_id, seq, record) VALUES (?,?,?)",
                   [(doc_id, seq, record) for seq, record in enumerate(dated.records())])
    db.execute("INSERT OR REPLACE INTO dated_versions (doc_id, version) VALUES (?,?)", (doc_id, dated.version))


def save_dated(db: sqlite3.Connection, doc_id: str, dated: Any) -> None:
    """`insert_dated` on its own: an older store catching up."""
    with transaction(db):
        insert_dated(db, doc_id, dated)


def undated(db: sqlite3.Connection, version: str) -> list[str]:
    """Documents whose dated statements are missing or were found by another version."""
    return [r["id"] for r in db.execute(
        "SELECT d.id FROM documents d LEFT JOIN dated_versions v ON v.doc_id = d.id"
        " WHERE v.version IS NOT ? ORDER BY d.name", (version,))]


def dated(db: sqlite3.Connection, version: str) -> Iterator[tuple[str, str]]:
    """(document id, JSON record) of every dated statement found by `version`, in document order."""
    for row in db.execute(
            "SELECT s.doc_id, s.record FROM dated s JOIN dated_versions v ON v.doc_id = s.doc_id"
            " WHERE v.version = ? ORDER BY s.doc_id, s.seq", (version,)):
        yield row["doc_id"], row["record"]


def docket_dated(db: sqlite3.Connection, version: str) -> dict[str, str]:
    """Docket entries' dated statements found by `version`: entry digest -> JSON list."""
    return {r["entry"]: r["records"] for r in db.execute(
        "SELECT entry, records FROM docket_dated WHERE version = ?", (version,))}


def save_docket_dated(db: sqlite3.Connection, version: str, found: dict[str, str]) -> None:
    """Keep docket entries' dated statements, dropping those of other versions."""
    with transaction(db):
        db.execute("DELETE FROM docket_dated WHERE version != ?", (version,))
        db.executemany("INSERT OR REPLACE INTO docket_dated (entry, version, records) VALUES (?,?,?)",
                       [(entry, version, records) for entry, records in found.items()])


def _save_extraction(db: sqlite3.Connection, doc_id: str, extraction: Any) -> None:
    db.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    db.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT INTO mentions (doc_id, char_start, char_end, text, label, canonical, owner, page, line)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [(doc_id, m.start, m.end, m.text, m.label, m.canonical, m.owner, page, line)
         for m, (page, line) in zip(extraction.mentions, extraction.mention_lines)],
    )
    db.executemany(
        "INSERT OR REPLACE INTO claims (id, doc_id, proposition, subject, relation, object, asserted_by,"
        " posture, polarity, hedged, page, line_start, line_end, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(c.id, doc_id, c.proposition, c.subject, c.relation, c.object, c.asserted_by, c.posture,
          c.polarity, int(c.hedged), c.page, c.line_start, c.line_end, json.dumps(c.to_dict()))
         for c in extraction.claims],
    )


def claims(db: sqlite3.Connection, subject: str | None = None, relation: str | None = None,
           doc: str | None = None, obj: str | None = None) -> list[dict[str, Any]]:
    """Stored claims as CLAIMS.md records plus id, page and lines, in record order."""
    sql = ("SELECT c.record, c.subject, c.object, c.proposition, d.id AS doc_id, d.name, d.kind,"
           " d.title, d.document_number, d.date, d.filed, d.metadata"
           " FROM claims c JOIN documents d ON d.id = c.doc_id WHERE 1=1")
    args: list[Any] = []
    for column, value in (("c.subject", subject), ("c.relation", relation), ("c.object", obj)):
        if value:
            sql += f" AND lower({column}) = lower(?)"
            args.append(value)
    if doc:
        sql += " AND (d.id = ? OR d.name = ?)"
        args += [doc, doc]
    sql += " ORDER BY d.name, c.page, c.line_start, c.rowid"
    out = []
    for row in db.execute(sql, args):
        record = json.loads(row["record"])
        record.update(subject=row["subject"], object=row["object"], proposition=row["proposition"],
                      doc=row["name"], doc_id=row["doc_id"])
        record["cite"] = _pin(row, record)
        out.append(record)
    return out


def _pin(row: sqlite3.Row, record: dict[str, Any]) -> str:
    from .cite import pin_cite

    return pin_cite(dict(row), record.get("page"), record.get("line_start"), record.get("line_end"))


def entities(db: sqlite3.Connection, label: str | None = None) -> list[dict[str, Any]]:
    """Canonical entities with their labels, the forms seen and mention counts."""
    sql = ("SELECT canonical, label, text, owner, count(*) AS n, group_concat(DISTINCT doc_id) AS docs"
           " FROM mentions" + (" WHERE label = ?" if label else "") + " GROUP BY canonical, label, text")
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in db.execute(sql, (label,) if label else ()):
        e = merged.setdefault((r["canonical"], r["label"]), {
            "canonical": r["canonical"], "label": r["label"], "owner": r["owner"],
            "mentions": 0, "forms": {}, "doc_ids": set()})
        e["mentions"] += r["n"]
        e["forms"][r["text"]] = e["forms"].get(r["text"], 0) + r["n"]
        e["doc_ids"].update(r["docs"].split(","))
    out = []
    for e in merged.values():
        forms = sorted(e["forms"], key=lambda f: -e["forms"][f])
        out.append({"canonical": e["canonical"], "label": e["label"], "owner": e["owner"],
                    "mentions": e["mentions"], "documents": len(e["doc_ids"]), "forms": forms})
    return sorted(out, key=lambda e: (-e["mentions"], e["canonical"]))


def save_docket(db: sqlite3.Connection, entries: Iterable[Any]) -> int:
    """Store docket entries (parse.docket.DocketEntry); repeats are ignored. Returns rows added."""
    with transaction(db):
        before = db.total_changes
        db.executemany(
            "INSERT OR IGNORE INTO dockets (case_number, number, filed, entered, kind, description,"
            " notes, source) VALUES (?,?,?,?,?,?,?,?)",
            [(e.case_number, e.number, e.filed, e.entered, e.kind, e.description, e.notes, e.source)
             for e in entries])
        added = db.total_changes - before
    return added


def docket(db: sqlite3.Connection) -> list[Any]:
    """Every stored docket entry, as parse.docket.DocketEntry records."""
    from .parse.docket import DocketEntry

    return [DocketEntry(**dict(r)) for r in db.execute(
        "SELECT case_number, number, filed, description, kind, entered, notes, source FROM dockets"
        " ORDER BY filed, rowid")]


def mentions(db: sqlite3.Connection, doc_id: str) -> list[dict[str, Any]]:
    """A document's entity mentions in text order (for highlighting)."""
    return [dict(r) for r in db.execute(
        "SELECT char_start, char_end, text, label, canonical, owner, page, line FROM mentions"
        " WHERE doc_id = ? ORDER BY char_start", (doc_id,))]


def recanonicalize(db: sqlite3.Connection, canonical: Any) -> int:
    """Re-resolve stored names through `canonical(name) -> str` after the
    alias table changed; returns how many rows moved."""
    changed = 0
    with transaction(db):
        for rowid, text, old in db.execute("SELECT rowid, text, canonical FROM mentions").fetchall():
            new = canonical(text)
            if new != old:
                db.execute("UPDATE mentions SET canonical = ? WHERE rowid = ?", (new, rowid))
                changed += 1
        for cid, subject, obj, relation, record in db.execute(
                "SELECT id, subject, object, relation, record FROM claims").fetchall():
            rec = json.loads(record)
            new_s = canonical(rec.get("subject_text") or rec["subject"])
            new_o = canonical(rec.get("object_text") or rec["object"])
            if (new_s, new_o) != (subject, obj):
                db.execute("UPDATE claims SET subject = ?, object = ?, proposition = ? WHERE id = ?",
                           (new_s, new_o, f"{new_s}|{relation}|{new_o}", cid))
                changed += 1
    return changed


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
