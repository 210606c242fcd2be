"""Chunks and the vector index: SQLite holds the chunks, chroma their vectors.

A chunk is a run of lines on one page that follows the document's own
divisions (numbered paragraphs, transcript turns, footnotes, paragraph ends)
and holds about 120-180 words, so every hit cites as document, page, lines.

SQLite is the system of record. Chunks are written inside the ingest
transaction (`store.save(..., chunks=chunk_document(doc))`); the chroma collection is a derived copy that
`Index.sync` brings into agreement with SQLite afterwards: missing or changed
chunks are embedded and written, chunks SQLite no longer has are deleted. A
run killed between the SQLite commit and the chroma write is thus repaired by
the next sync, and chroma never takes part in the SQLite transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlparse

from .records import Document, Line

COLLECTION = "casebase_chunks"
MIN_WORDS = 120  # a chunk closes at the first paragraph end after this many words
MAX_WORDS = 180  # and never grows past this many (unless one line does)
FLOOR_WORDS = 40  # a forced cut goes back to a sentence end, but not below this
SYNC_BATCH = 256  # chunks embedded and written per chroma call

_SENTENCE_END = re.compile(r"""[.?!:;]["'”’)\]]*$""")
# A line that opens a new division: "12.", "(a)", "IV.", "B.", "¶ 3", "Q.", "A:".
_DIVISION_START = re.compile(
    r"^(?:\d{1,3}\.\s|\(\w{1,4}\)\s|[IVXL]{1,6}\.\s|[A-H]\.\s|¶|§|Q[.:]?\s|A[.:]\s)")


@dataclass
class Chunk:
    """A retrieval unit: one page's lines `line_start`-`line_end` of one document."""

    id: str
    doc_id: str
    seq: int
    doc: str  # the document's file name
    kind: str
    page: int
    pdf_page: int | None
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    text: str
    date: str | None = None
    parties: list[str] = field(default_factory=list)
    case_number: str | None = None
    title: str | None = None

    @property
    def cite(self) -> str:
        lines = f"{self.line_start}" if self.line_start == self.line_end else f"{self.line_start}-{self.line_end}"
        return f"{self.doc} at {self.page}:{lines}"


# -- chunking -----------------------------------------------------------------


def _words(line: Line) -> int:
    return len(line.text.split())


def _boundary(prev: Line, line: Line, typical: float) -> int:
    """How strongly a chunk may end between two lines of a page.

    3: must (body/footnote change); 2: paragraph or turn ends; 1: a sentence
    ends; 0: mid-sentence.
    """
    if prev.footnote != line.footnote:
        return 3
    if not prev.text.strip() or not line.text.strip():
        return 2
    ends = bool(_SENTENCE_END.search(prev.text.rstrip()))
    if line.paragraph != prev.paragraph and line.paragraph is not None:
        return 2
    if line.speaker is not None and line.speaker != prev.speaker:
        return 2
    if ends and (_DIVISION_START.match(line.text) or len(prev.text) < 0.7 * typical):
        return 2  # a short last line or a numbered/lettered start: a paragraph ends
    return 1 if ends else 0


def _split_page(lines: list[Line]) -> list[list[Line]]:
    """A page's lines in runs that keep to paragraph ends and the word limits."""
    if not lines:
        return []
    lengths = sorted(len(l.text) for l in lines)
    typical = lengths[(len(lengths) * 3) // 4]  # a full line's length on this page
    runs: list[list[Line]] = []
    cur: list[Line] = []
    marks: list[int] = []  # marks[i]: how strongly a chunk may end before cur[i]
    words = 0
    prev: Line | None = None
    for line in lines:
        b = 3 if prev is None else _boundary(prev, line, typical)
        prev = line
        n = _words(line)
        if cur and (b == 3 or (b == 2 and words >= MIN_WORDS)):
            runs.append(cur)
            cur, marks, words = [], [], 0
        while cur and words + n > MAX_WORDS:
            # cut at the strongest, latest boundary that leaves FLOOR_WORDS behind
            best, at, acc = -1, len(cur), 0
            for i, line_i in enumerate(cur):
                if i and acc >= FLOOR_WORDS and marks[i] >= best:
                    best, at = marks[i], i
                acc += _words(line_i)
            if best <= b:
                at = len(cur)  # the boundary before the new line is as good
            runs.append(cur[:at])
            cur, marks = cur[at:], marks[at:]
            words = sum(_words(l) for l in cur)
        cur.append(line)
        marks.append(b if len(cur) > 1 else 3)
        words += n
    runs.append(cur)
    return [r for r in runs if any(l.text.strip() for l in r)]


def _date_of(doc: Document) -> str | None:
    return doc.date or doc.filed


def chunk_document(doc: Document) -> list[Chunk]:
    """Cut a document into page-bounded chunks, numbered through the document."""
    doc.assign_offsets()
    name = Path(doc.path).name
    chunks: list[Chunk] = []
    for page in doc.pages:
        for run in _split_page(page.lines):
            seq = len(chunks)
            chunks.append(Chunk(
                id=f"{doc.id}:{seq}", doc_id=doc.id, seq=seq, doc=name, kind=doc.kind,
                page=page.number, pdf_page=page.pdf_page,
                line_start=run[0].number, line_end=run[-1].number,
                char_start=run[0].char_start, char_end=run[-1].char_end,
                text="\n".join(l.text for l in run), date=_date_of(doc),
                parties=list(doc.parties), case_number=doc.case_number, title=doc.title,
            ))
    return chunks


_CHUNK_SELECT = (
    "SELECT c.*, d.name AS doc, d.kind, d.date, d.filed, d.parties, d.case_number, d.title"
    " FROM chunks c JOIN documents d ON d.id = c.doc_id"
)


def _chunk_from_row(row: sqlite3.Row) -> Chunk:
    return Chunk(
        id=row["id"], doc_id=row["doc_id"], seq=row["seq"], doc=row["doc"], kind=row["kind"],
        page=row["page"], pdf_page=row["pdf_page"], line_start=row["line_start"],
        line_end=row["line_end"], char_start=row["char_start"], char_end=row["char_end"],
        text=row["text"], date=row["date"] or row["filed"], parties=json.loads(row["parties"]),
        case_number=row["case_number"], title=row["title"],
    )


def iter_chunks(db: sqlite3.Connection) -> Iterator[Chunk]:
    """Every chunk in SQLite, by document and position, one at a time."""
    for row in db.execute(_CHUNK_SELECT + " ORDER BY c.doc_id, c.seq"):
        yield _chunk_from_row(row)


def read_chunks(db: sqlite3.Connection, ids: Iterable[str] | None = None) -> list[Chunk]:
    """Chunks from SQLite with their document's fields: the given ids (in that
    order, unknown ids left out) or, without ids, all of them by document."""
    if ids is None:
        return list(iter_chunks(db))
    ids = list(ids)
    found: dict[str, Chunk] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        sql = _CHUNK_SELECT + f" WHERE c.id IN ({','.join('?' * len(part))})"
        found.update((r["id"], _chunk_from_row(r)) for r in db.execute(sql, part))
    return [found[i] for i in ids if i in found]


# -- the chroma index -----------------------------------------------------------


def date_num(date: str | None, end: bool = False) -> int:
    """An ISO date (or its year or month) as YYYYMMDD, for range filters; 0 if none.

    A partial date is the start of its period, or with `end` its last day.
    """
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date or "")
    if not m:
        return 0
    y, mo, d = m.group(1), m.group(2), m.group(3)
    return int(y + (mo or ("12" if end else "01")) + (d or ("31" if end else "01")))


def chunk_metadata(c: Chunk) -> dict[str, Any]:
    """The chroma metadata of a chunk: filterable fields, no None values."""
    return {
        "doc_id": c.doc_id, "doc": c.doc, "kind": c.kind, "page": c.page,
        "line_start": c.line_start, "line_end": c.line_end,
        "date": c.date or "", "date_num": date_num(c.date),
        "case_number": c.case_number or "", "parties": "; ".join(c.parties),
    }


# What a chunk's vector and metadata are made from, straight from the tables
# (no Chunk objects: this runs over every chunk on every sync).
_FP_SELECT = (
    "SELECT c.id, c.page, c.line_start, c.line_end, d.name, d.kind, coalesce(d.date, d.filed),"
    " d.case_number, d.parties, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id ORDER BY c.id"
)


def sqlite_fingerprints(db: sqlite3.Connection) -> dict[str, str]:
    """Every chunk id in SQLite with a fingerprint of its text and metadata."""
    cur = db.cursor()
    cur.row_factory = None
    out: dict[str, str] = {}
    for row in cur.execute(_FP_SELECT):
        key = "\x1f".join(map(str, row[1:]))
        out[row[0]] = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return out


def _state(fingerprints: dict[str, str]) -> str:
    """One hash of the whole (id, fingerprint) set: what chroma holds after a sync."""
    h = hashlib.blake2b(digest_size=16)
    for i, fp in fingerprints.items():
        h.update(f"{i}\t{fp}\n".encode())
    return h.hexdigest()


def where_filter(kind: str | None = None, doc_id: str | None = None,
                 case_number: str | None = None, date_from: str | None = None,
                 date_to: str | None = None) -> dict | None:
    """A chroma `where` from plain arguments; dates may be YYYY, YYYY-MM or YYYY-MM-DD."""
    terms: list[dict] = []
    if kind:
        terms.append({"kind": kind})
    if doc_id:
        terms.append({"doc_id": doc_id})
    if case_number:
        terms.append({"case_number": case_number})
    if date_from:
        terms.append({"date_num": {"$gte": date_num(date_from)}})
    if date_to:
        terms.append({"date_num": {"$lte": date_num(date_to, end=True)}})
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"$and": terms}


def _client(store: Path):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    url = os.environ.get("CASEBASE_CHROMA_URL")
    if url:
        parts = urlparse(url if "://" in url else f"http://{url}")
        try:
            return chromadb.HttpClient(
                host=parts.hostname or "localhost",
                port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https", settings=settings)
        except ValueError as exc:
            raise RuntimeError(f"no chroma server answers at {url} (from CASEBASE_CHROMA_URL): {exc}") from None
    return chromadb.PersistentClient(path=str(store / "chroma"), settings=settings)


_OPS = {
    "$eq": lambda a, b: a == b, "$ne": lambda a, b: a != b,
    "$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b,
    "$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b,
    "$in": lambda a, b: a in b, "$nin": lambda a, b: a not in b,
}


def matches(where: dict, meta: dict[str, Any]) -> bool:
    """Whether chunk metadata passes a chroma `where` filter.

    Covers $and/$or and the comparison operators; anything else raises
    ValueError (the caller then lets chroma filter).
    """
    for key, cond in where.items():
        if key in ("$and", "$or"):
            results = (matches(w, meta) for w in cond)
            ok = all(results) if key == "$and" else any(results)
        elif key.startswith("$"):
            raise ValueError(f"unsupported filter operator {key}")
        elif isinstance(cond, dict):
            ok = True
            for op, value in cond.items():
                if op not in _OPS:
                    raise ValueError(f"unsupported filter operator {op}")
                try:
                    ok = ok and key in meta and bool(_OPS[op](meta[key], value))
                except TypeError:
                    ok = False
        else:
            ok = key in meta and meta[key] == cond
        if not ok:
            return False
    return True


class Index:
    """The chroma collection of chunk vectors, kept in step with SQLite by `sync`."""

    STATE_KEY = "casebase_state"  # collection metadata: _state() of SQLite at the last complete sync
    OVERFETCH = 10  # a filtered query first looks at the nearest k * OVERFETCH (at least 50)

    def __init__(self, client: Any, collection: Any, embedder: Any) -> None:
        self.client = client
        self.collection = collection
        self.embedder = embedder  # what sync and query embed with
        self._ef = embedder  # what the collection was opened with, for chroma

    def count(self) -> int:
        return self.collection.count()

    def fingerprints(self, page: int = 20000) -> dict[str, str]:
        """Every chunk id in chroma with the fingerprint it was written with."""
        have: dict[str, str] = {}
        offset = 0
        while True:
            got = self.collection.get(include=["metadatas"], limit=page, offset=offset)
            for i, meta in zip(got["ids"], got["metadatas"]):
                have[i] = (meta or {}).get("fp", "")
            if len(got["ids"]) < page:
                return have
            offset += page

    def _stored_state(self) -> str:
        fresh = self.client.get_collection(self.collection.name, embedding_function=self._ef)
        return (fresh.metadata or {}).get(self.STATE_KEY, "")

    def _set_state(self, state: str) -> None:
        self.collection.modify(metadata={self.STATE_KEY: state})

    def sync(self, db: sqlite3.Connection, batch_size: int = SYNC_BATCH, full: bool = False) -> dict[str, int]:
        """Make chroma hold exactly SQLite's chunks: embed what is missing or
        changed, delete what SQLite no longer has. Safe to repeat at any time.

        Reading every id back from chroma takes seconds at 100k chunks, so a
        hash of SQLite's (id, fingerprint) set is kept in the collection's
        metadata once a sync completes; it is cleared before any write, so a
        run that dies part-way leaves no claim behind. When it and the count
        agree, there is nothing to do; `full=True` compares every id anyway.
        """
        want = sqlite_fingerprints(db)
        state = _state(want)
        if not full and self._stored_state() == state and self.collection.count() == len(want):
            return {"added": 0, "updated": 0, "deleted": 0, "total": len(want)}
        have = self.fingerprints()
        gone = [i for i in have if i not in want]
        todo = [i for i, fp in want.items() if have.get(i) != fp]
        if gone or todo:
            self._set_state("")
        for start in range(0, len(gone), 5000):
            self.collection.delete(ids=gone[start:start + 5000])
        updated = sum(1 for i in todo if i in have)
        for start in range(0, len(todo), batch_size):
            chunks = read_chunks(db, todo[start:start + batch_size])
            if not chunks:
                continue
            self.collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=self.embedder.encode([c.text for c in chunks]),
                metadatas=[{**chunk_metadata(c), "fp": want[c.id]} for c in chunks],
            )
        self._set_state(state)
        return {"added": len(todo) - updated, "updated": updated, "deleted": len(gone),
                "total": self.collection.count()}

    def query(self, text: str, k: int = 10, where: dict | None = None) -> list[tuple[str, float]]:
        """The k chunks nearest in meaning to `text`: (chunk id, cosine similarity), best first.

        chroma's own filtered search takes about a second at 100k chunks (date
        ranges most), so a filtered query first takes the unfiltered nearest
        k * OVERFETCH and filters them here: when at least k pass, they are the
        filtered top k. Otherwise chroma filters.
        """
        total = self.collection.count()
        if total == 0 or k <= 0:
            return []
        vector = self.embedder.embed_query(text)
        if where:
            n = min(total, max(k * self.OVERFETCH, 50))
            got = self.collection.query(query_embeddings=[vector], n_results=n,
                                        include=["distances", "metadatas"])
            try:
                hits = [(i, 1.0 - float(d)) for i, d, meta in
                        zip(got["ids"][0], got["distances"][0], got["metadatas"][0]) if matches(where, meta or {})]
            except ValueError:
                hits = []
            else:
                if len(hits) >= k or n == total:
                    return hits[:k]
        got = self.collection.query(query_embeddings=[vector], n_results=min(k, total),
                                    where=where, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]


def open_index(store: str | os.PathLike[str] | None = None, collection: str = COLLECTION) -> Index:
    """The store's vector index: `store/chroma` on disk, or the chroma server
    named by $CASEBASE_CHROMA_URL (http://host:port)."""
    from .embed import get_embedder
    from .store import store_dir

    folder = store_dir(store)
    embedder = get_embedder()
    client = _client(folder)
    col = client.get_or_create_collection(
        collection, embedding_function=embedder,
        configuration={"hnsw": {"space": "cosine"}})
    return Index(client, col, embedder)
