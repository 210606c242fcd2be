"""Hybrid search over the stored chunks: BM25 words, MiniLM meaning, fused.

Litigators search with both kinds of question: the exact words of a passage
("charitable trust") and a paraphrase of what it says ("did the judge think
Musk would win?"). BM25 finds the first, embeddings the second; reciprocal
rank fusion (RRF) merges the two rankings by rank alone, so their scores
never have to be calibrated against each other.

The BM25 index is built from the SQLite `chunks` table (the system of record)
and kept in the store folder (`bm25/`), rebuilt only when the chunk set has
changed. The vector side is `casebase.index.Index`. Every filter is a
property of the document (kind, entity, date, case number, document), so it
is resolved once to a set of document ids and applied to both sides.

Every hit carries a pin cite (document, page, lines) and the character spans
of the matched words in its text, so the UI can mark them after escaping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .cite import metadata, pin_cite

MODES = ("hybrid", "vector", "bm25")
# Fusion settings, chosen on tests/data/queries.jsonl (benchmarks/search_eval.py
# prints the figures). MiniLM alone finds far fewer of the labelled passages
# than BM25 on court records, so BM25 leads and the vector ranking adjusts it:
# a small RRF constant keeps the top of the BM25 list on top, and a passage
# ranked high by both rises. With the textbook k=60 and equal weights the
# weaker ranking drags the fused one below BM25 alone.
RRF_K = 5
RRF_WEIGHTS = {"bm25": 1.0, "vector": 0.4}
FUSION_DEPTH = 50  # how deep each ranking goes into the fusion
BM25_PARAMS = {"k1": 1.2, "b": 0.75, "method": "lucene"}
TOKENIZER_VERSION = 2  # bump when tokenize()/stem() change: persisted indexes rebuild
BM25_DIR = "bm25"

# Lucene's English stopwords (bm25s' list) plus pronouns and auxiliaries.
STOPWORDS = frozenset("""
a an and are as at be but by for if in into is it no not of on or such that the their then
there these they this to was will with i me my we our us you your he him his she her its them
those am been being were has have had do does did doing so than too very can could would should
from about which who whom whose what when where why how all any both each other some own same
only just also again further once here over under up down out off s t
""".split())
# Words that frame a question rather than say what it is about.
QUERY_STOPWORDS = STOPWORDS | frozenset("""
tell show find say says said saying think thinks thought mention mentioned mentions ask asked
anything something someone anyone whether happen happened according document documents
passage record describe described explain explained
""".split())

# Words a question uses for what a court record says in other words. Each
# group is symmetric; a query word pulls in its group's other words at
# EXPANSION_WEIGHT, so the words actually asked for still rank first.
THESAURUS = (
    ("lawyer", "attorney", "counsel"),
    ("judge", "court"),
    ("win", "succeed", "success", "prevail"),
    ("likely", "likelihood"),
    ("leave", "left", "resign", "resignation", "depart", "withdraw", "quit"),
    ("lawsuit", "suit", "complaint", "action", "sue"),
    ("dismiss", "dismissal", "reject", "deny"),
    ("money", "funds", "funding", "donation", "contribution"),
    ("give", "gave", "donate", "contribute"),
    ("pay", "paid", "payment"),
    ("fire", "fired", "terminate", "termination", "oust", "remove"),
    ("lie", "lying", "lied", "dishonest", "misrepresent"),
    ("buy", "acquire", "purchase", "bid", "offer"),
    ("ruling", "order", "decision", "held", "holding"),
    ("agreement", "contract"),
    ("testify", "testimony", "deposition", "deposed"),
    ("evidence", "proof", "record"),
    ("warn", "caution", "dangerous"),
    ("promise", "pledge", "commitment", "commit"),
    ("claim", "count", "cause"),
)
EXPANSION_WEIGHT = 0.3

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


# --------------------------------------------------------------------------- text


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stripper (plurals, -ed, -ing, -ly, -ation, final e).

    No stemming library is installed; this conflates the inflections that
    matter in questions ("denied" / "denies" / "deny", "distilled" /
    "distillation") and leaves short words and proper names alone.
    """
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("es") and len(w) > 4 and w[-3] in "sxz" or w.endswith(("ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("eed"):  # agreed -> agre(e); need, succeed, proceed, exceed stay whole
        return w[:-2] if len(w) in (5, 6) else w
    for suffix, min_stem in (("ation", 4), ("ment", 4), ("ness", 4), ("ingly", 4), ("edly", 4),
                             ("ing", 3), ("ied", 2), ("ed", 3), ("ly", 4)):
        if w.endswith(suffix) and len(w) - len(suffix) >= min_stem:
            stem_ = w[: -len(suffix)]
            if suffix == "ied":
                stem_ += "y"
            elif suffix in ("ing", "ed", "ingly", "edly"):
                if not re.search(r"[aeiouy]", stem_):
                    break
                if len(stem_) > 3 and stem_[-1] == stem_[-2] and stem_[-1] not in "lsz":
                    stem_ = stem_[:-1]  # "admitted" -> "admit"
            w = stem_
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def words(text: str) -> Iterable[re.Match[str]]:
    """Word matches in text (letters, digits, inner apostrophes)."""
    return _WORD.finditer(text)


def tokenize(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Lower-cased, stopword-free, stemmed word tokens, as the BM25 index holds them."""
    out = []
    for m in _WORD.finditer(text.lower()):
        w = m.group()
        if w in stopwords or (len(w) < 2 and not w.isdigit()):
            continue
        out.append(stem(w))
    return out


def normalise(text: str) -> str:
    """Case-folded, whitespace-collapsed text with typographic quotes and dashes folded."""
    return " ".join(text.translate(_FOLD).lower().split())


@lru_cache(maxsize=1)
def _thesaurus() -> dict[str, tuple[str, ...]]:
    """Each stem to the stems of its thesaurus group (itself excluded)."""
    out: dict[str, set[str]] = {}
    for group in THESAURUS:
        stems = {t for w in group for t in tokenize(w)}
        for st in stems:
            out.setdefault(st, set()).update(stems - {st})
    return {k: tuple(sorted(v)) for k, v in out.items()}


def expand(terms: Sequence[str]) -> dict[str, float]:
    """Query terms with weights: each asked-for term 1.0, its thesaurus words EXPANSION_WEIGHT."""
    weights = {t: 1.0 for t in terms}
    for t in terms:
        for other in _thesaurus().get(t, ()):
            weights.setdefault(other, EXPANSION_WEIGHT)
    return weights


@dataclass
class Query:
    """A parsed query: BM25 terms, phrases that must occur, and the text to embed."""

    text: str
    terms: list[str]
    phrases: list[str]
    semantic: str
    weights: dict[str, float] = field(default_factory=dict)  # terms and their expansions


def parse_query(query: str, phrase: bool = False) -> Query:
    """Split a query into quoted phrases and free words.

    `"quoted words"` are phrases that a hit must contain; with `phrase=True`
    the whole query is one phrase.
    """
    query = query.strip()
    if phrase:
        phrases = [m.group(1) for m in _QUOTED.finditer(query)] or [query.strip("\"“” ")]
    else:
        phrases = [m.group(1) for m in _QUOTED.finditer(query)]
    phrases = [p.strip() for p in phrases if p.strip()]
    semantic = _QUOTED.sub(lambda m: m.group(1), query).strip()
    terms = [t for t in tokenize(semantic, QUERY_STOPWORDS) if "n't" not in t and "n’t" not in t]
    terms = terms or tokenize(semantic)
    return Query(query, terms, phrases, semantic, expand(terms))


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as a regex over folded text: case-insensitive, any run of whitespace between words."""
    parts = normalise(phrase).split(" ")
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(p) for p in parts) + r"(?!\w)", re.IGNORECASE)


def marks_for(text: str, terms: Sequence[str], phrases: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Character spans in `text` of the query's words (by stem) and phrases, sorted, merged."""
    spans: list[tuple[int, int]] = []
    folded = text.translate(_FOLD)  # same length as text: spans carry over
    for p in phrases:
        spans += [m.span() for m in phrase_pattern(p).finditer(folded)]
    wanted = set(terms)
    if wanted:
        for m in words(folded):
            w = m.group().lower()
            if w not in STOPWORDS and stem(w) in wanted:
                spans.append(m.span())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def make_snippet(text: str, marks: Sequence[tuple[int, int]], width: int = 280,
                 open_: str = "[[", close: str = "]]") -> str:
    """A one-line excerpt around the densest run of marks, marks wrapped in [[ ]]."""
    if not text:
        return ""
    start = 0
    if marks:
        best, best_n = marks[0][0], 0
        for i, (s, _) in enumerate(marks):
            n = sum(1 for s2, e2 in marks[i:] if e2 <= s + width)
            if n > best_n:
                best, best_n = s, n
        start = max(0, best - width // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space - end < 30 else end
    out, pos = [], start
    for s, e in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += [text[pos:s], open_, text[s:e], close]
        pos = e
    out.append(text[pos:end])
    body = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")


# --------------------------------------------------------------------------- citations

_DEPOSITION_OF = re.compile(
    r"^[ \t]*(?:(?:videotaped|video|remote|oral|continued)[ \t]+)*deposition[ \t]+of[ \t]+"
    r"((?-i:[A-Z][A-Za-z.'’\-]+(?:[ \t]+[A-Z][A-Za-z.'’\-]+){0,3}))", re.I | re.M)


def deponent(db: sqlite3.Connection, doc_id: str) -> str | None:
    """The witness a deposition transcript names on its first pages ("Videotaped
    Deposition of ILYA SUTSKEVER"); None for hearing transcripts."""
    text = "\n".join(r[0] for r in db.execute(
        "SELECT text FROM lines WHERE doc_id = ? AND page_seq < 4 ORDER BY page_seq, seq", (doc_id,)))
    if re.search(r"transcript\s+of\s+proceedings", text, re.I):
        return None
    m = _DEPOSITION_OF.search(text)
    if not m:
        return None
    name = re.split(r"[ \t]+(?:taken|commencing|on|at|in|volume|vol\.)\b", m.group(1), flags=re.I)[0]
    return name.strip(" ,.") or None


# --------------------------------------------------------------------------- BM25 index


def _store_folder(db: sqlite3.Connection) -> Path | None:
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).parent
    return None


def fingerprint(db: sqlite3.Connection) -> list[Any]:
    """A cheap token of the chunk set: count, last rowid and its id (+ tokenizer and params).

    Chunks are only inserted and deleted (content-addressed documents), so any
    change moves the count or the last row.
    """
    n, last = db.execute("SELECT count(*), max(rowid) FROM chunks").fetchone()
    last_id = db.execute("SELECT id FROM chunks WHERE rowid = ?", (last,)).fetchone() if last else None
    return [n, last, last_id[0] if last_id else None, TOKENIZER_VERSION, BM25_PARAMS]


class Bm25Index:
    """BM25 over every chunk, with each chunk's id and document, persisted in `<store>/bm25/`."""

    def __init__(self, ids: list[str], doc_ids: list[str], retriever: Any, stamp: list[Any]):
        self.ids = ids
        self.pos = {cid: i for i, cid in enumerate(ids)}
        self.docs = sorted(set(doc_ids))
        doc_index = {d: i for i, d in enumerate(self.docs)}
        self.chunk_doc = np.fromiter((doc_index[d] for d in doc_ids), dtype=np.int32, count=len(doc_ids))
        self.retriever = retriever
        self.stamp = stamp
        self.vocab: dict[str, int] = retriever.vocab_dict if retriever is not None else {}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, db: sqlite3.Connection, stamp: list[Any] | None = None) -> "Bm25Index":
        import bm25s

        stamp = stamp or fingerprint(db)
        ids, doc_ids, corpus = [], [], []
        for cid, did, text in db.execute("SELECT id, doc_id, text FROM chunks ORDER BY rowid"):
            ids.append(cid)
            doc_ids.append(did)
            corpus.append(tokenize(text))
        retriever = None
        if ids:
            retriever = bm25s.BM25(k1=BM25_PARAMS["k1"], b=BM25_PARAMS["b"], method=BM25_PARAMS["method"])
            retriever.index(corpus, show_progress=False)
        return cls(ids, doc_ids, retriever, stamp)

    def save(self, folder: Path) -> None:
        """Write to `folder` atomically: a temporary folder renamed into place."""
        if self.retriever is None:
            return
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self.retriever.save(str(tmp), show_progress=False)
        doc_ids = [self.docs[i] for i in self.chunk_doc]
        (tmp / "chunks.json").write_text(json.dumps({"stamp": self.stamp, "ids": self.ids, "doc_ids": doc_ids}))
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, stamp: list[Any]) -> "Bm25Index | None":
        """The persisted index if it was built from this chunk set, else None."""
        import bm25s

        meta_path = folder / "chunks.json"
        try:
            meta = json.loads(meta_path.read_text())
            if meta.get("stamp") != json.loads(json.dumps(stamp)):
                return None
            retriever = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        except Exception:  # missing, partial or from another bm25s: it is only a cache, rebuild it
            return None
        return cls(meta["ids"], meta["doc_ids"], retriever, stamp)

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        return [self.vocab[t] for t in dict.fromkeys(terms) if t in self.vocab]

    def scores(self, terms: Sequence[str] | Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 score, number of distinct query terms present) for every chunk.

        `terms` may map each term to a weight (thesaurus expansions count less).
        """
        n = len(self.ids)
        score = np.zeros(n, dtype=np.float32)
        hits = np.zeros(n, dtype=np.int32)
        weights = terms if isinstance(terms, Mapping) else dict.fromkeys(terms, 1.0)
        tids = [(self.vocab[t], w) for t, w in weights.items() if t in self.vocab]
        if not tids or self.retriever is None:
            return score, hits
        s = self.retriever.scores
        data, indices, indptr = s["data"], s["indices"], s["indptr"]
        spans = [(indptr[t], indptr[t + 1], w) for t, w in tids]
        idx = np.concatenate([indices[a:b] for a, b, _ in spans])
        vals = np.concatenate([data[a:b] * np.float32(w) for a, b, w in spans])
        score = np.bincount(idx, weights=vals, minlength=n).astype(np.float32)
        hits = np.bincount(idx, minlength=n).astype(np.int32)
        return score, hits


_CACHE: dict[str, Bm25Index] = {}
# The last few connections seen: id(db) -> (db, data_version, total_changes, stamp).
# The connection itself is kept so that its id cannot be reused by another.
_SEEN: OrderedDict[int, tuple[sqlite3.Connection, int, int, list[Any]]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _stamp(db: sqlite3.Connection) -> list[Any]:
    """The chunk set's fingerprint, recomputed only when the database has changed
    (another connection committed, or this one wrote) since it was last taken:
    counting 100k chunks takes longer than a whole BM25 query."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    seen = _SEEN.get(id(db))
    if seen and seen[0] is db and seen[1] == version and seen[2] == db.total_changes:
        return seen[3]
    stamp = fingerprint(db)
    _SEEN[id(db)] = (db, version, db.total_changes, stamp)
    _SEEN.move_to_end(id(db))
    while len(_SEEN) > 8:
        _SEEN.popitem(last=False)
    return stamp


def bm25_index(db: sqlite3.Connection) -> Bm25Index:
    """The BM25 index of the store behind `db`: from memory, from disk, or rebuilt."""
    stamp = _stamp(db)
    folder = _store_folder(db)
    key = str(folder) if folder else f"memory:{id(db)}"
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.stamp == stamp:
            return cached
        index = Bm25Index.load(folder / BM25_DIR, stamp) if folder else None
        if index is None:
            index = Bm25Index.build(db, stamp)
            if folder:
                index.save(folder / BM25_DIR)
        _CACHE[key] = index
        return index


# --------------------------------------------------------------------------- filters


def _date_bounds(iso: str | None) -> tuple[str, str] | None:
    """A document date (possibly year or year-month only) as the ISO day range it covers."""
    if not iso:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m:
        return None
    y, mo, d = m.groups()
    if d:
        day = f"{y}-{mo}-{d}"
        return day, day
    if mo:
        return f"{y}-{mo}-01", f"{y}-{mo}-31"
    return f"{y}-01-01", f"{y}-12-31"


def _iso(value: str | _date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _date):
        return value.isoformat()
    bounds = _date_bounds(str(value))
    if bounds is None:
        raise ValueError(f"{name}: not an ISO date: {value!r}")
    return bounds[0] if name == "after" else bounds[1]


def case_key(case_number: str | None) -> str | None:
    """A case number reduced to year-type-number: '4:24-CV-4722-YGR' -> '24-cv-4722'."""
    if not case_number:
        return None
    m = re.search(r"(\d{2})\s*-\s*([a-z]{2,3})\s*-\s*0*(\d+)", case_number.lower())
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.search(r"(\d{2})\s*-\s*0*(\d+)", case_number)  # appellate: 20-1507
    return f"{m.group(1)}-{m.group(2)}" if m else case_number.strip().lower()


def entity_docs(db: sqlite3.Connection, entity: str) -> set[str]:
    """Documents about an entity or party.

    Documents with an extracted mention whose canonical name (or surface
    text) is the entity - or, failing that, whose canonical name contains it
    as a word ("Sutskever" finds "Ilya Sutskever") - and documents that name
    it among their parties. While the mentions table is empty (extraction
    not run) documents whose text contains the name count instead.
    """
    name = entity.strip()
    if not name:
        return set()
    names = sorted({name, _canonical(name)})
    marks = ",".join("?" * len(names))
    found = {r[0] for r in db.execute(
        f"SELECT DISTINCT doc_id FROM mentions WHERE canonical COLLATE NOCASE IN ({marks})"
        f" OR text COLLATE NOCASE IN ({marks})", names + names)}
    pattern = re.compile(r"(?<!\w)" + re.escape(normalise(name)).replace(r"\ ", r"\s+") + r"(?!\w)")
    if not found:
        wider = [c for (c,) in db.execute("SELECT DISTINCT canonical FROM mentions")
                 if pattern.search(normalise(c))]
        for start in range(0, len(wider), 500):
            part = wider[start:start + 500]
            found |= {r[0] for r in db.execute(
                f"SELECT DISTINCT doc_id FROM mentions WHERE canonical IN ({','.join('?' * len(part))})", part)}
    for did, parties in db.execute("SELECT id, parties FROM documents"):
        try:
            listed = json.loads(parties or "[]")
        except ValueError:
            listed = []
        if any(pattern.search(normalise(p)) for p in listed if isinstance(p, str)):
            found.add(did)
    if db.execute("SELECT 1 FROM mentions LIMIT 1").fetchone() is None:
        like = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for (did,) in db.execute("SELECT DISTINCT doc_id FROM chunks WHERE text LIKE ? ESCAPE '\\'", (like,)):
            if did in found:
                continue
            for (text,) in db.execute("SELECT text FROM chunks WHERE doc_id = ? AND text LIKE ? ESCAPE '\\'",
                                      (did, like)):
                if pattern.search(normalise(text)):
                    found.add(did)
                    break
    return found


_ENTITY_CACHE: dict[tuple[str, str], tuple[list[Any], set[str]]] = {}


def _entity_docs_cached(db: sqlite3.Connection, entity: str) -> set[str]:
    """entity_docs, remembered until chunks or mentions change (the text fallback scans every chunk)."""
    stamp = _stamp(db) + [db.execute("SELECT max(rowid) FROM mentions").fetchone()[0]]
    key = (str(_store_folder(db) or id(db)), entity.strip().lower())
    hit = _ENTITY_CACHE.get(key)
    if hit is None or hit[0] != stamp:
        hit = (stamp, entity_docs(db, entity))
        _ENTITY_CACHE[key] = hit
    return hit[1]


def _canonical(name: str) -> str:
    """The alias table's canonical name for `name` (itself if the table has none)."""
    try:
        from .aliases import canonical

        return canonical(name, _aliases()) or name
    except (ImportError, OSError, ValueError):
        return name


@lru_cache(maxsize=1)
def _aliases() -> Any:
    from .aliases import load_aliases

    return load_aliases()


@dataclass
class Filters:
    """Document-level restrictions; `docs()` resolves them to document ids (None: no restriction)."""

    kind: str | Sequence[str] | None = None
    entity: str | None = None
    after: str | None = None
    before: str | None = None
    case_number: str | None = None
    doc: str | Sequence[str] | None = None

    def active(self) -> bool:
        return any(v not in (None, "", [], ()) for v in asdict(self).values())

    def docs(self, db: sqlite3.Connection) -> set[str] | None:
        if not self.active():
            return None
        from . import store

        after, before = _iso(self.after, "after"), _iso(self.before, "before")
        kinds = [self.kind] if isinstance(self.kind, str) else list(self.kind or [])
        wanted_case = case_key(self.case_number)
        refs = [self.doc] if isinstance(self.doc, str) else list(self.doc or [])
        doc_ids: set[str] | None = None
        if refs:
            doc_ids = set()
            for ref in refs:
                did = store.resolve(db, ref)
                if did:
                    doc_ids.add(did)
        # Kind, document and date in SQL (a partial date covers its year or month);
        # case numbers are compared in their reduced form.
        sql, args = "SELECT id, case_number FROM documents WHERE 1", []
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += kinds
        if doc_ids is not None:
            sql += f" AND id IN ({','.join('?' * len(doc_ids))})"
            args += sorted(doc_ids)
        day = "substr(coalesce(date, filed), 1, 10)"
        if after:
            sql += f" AND (CASE length({day}) WHEN 4 THEN {day} || '-12-31' WHEN 7 THEN {day} || '-31'" \
                   f" ELSE {day} END) >= ?"
            args.append(after)
        if before:
            sql += f" AND (CASE length({day}) WHEN 4 THEN {day} || '-01-01' WHEN 7 THEN {day} || '-01'" \
                   f" ELSE {day} END) <= ?"
            args.append(before)
        if after or before:
            sql += f" AND {day} GLOB '[0-9][0-9][0-9][0-9]*'"
        out = {did for did, case in db.execute(sql, args)
               if not wanted_case or case_key(case) == wanted_case}
        if self.entity:
            out &= _entity_docs_cached(db, self.entity)
        return out


# --------------------------------------------------------------------------- search


@dataclass
class Hit:
    """One passage found: where it is, what it says, why it matched."""

    doc: str  # the file's base name
    doc_id: str
    page: int
    line_start: int
    line_end: int
    text: str
    snippet: str  # one line, matched words wrapped in [[ ]]
    marks: list[tuple[int, int]]  # character spans of matched words in `text`
    score: float
    cite: str
    kind: str
    title: str | None
    date: str | None
    chunk_id: str = ""
    pdf_page: int | None = None
    ranks: dict[str, int] = field(default_factory=dict)  # 1-based rank in each ranking that found it

    def to_json(self) -> dict[str, Any]:
        """The CLI's `search --json` contract."""
        return {"doc": self.doc, "page": self.page, "line_start": self.line_start,
                "line_end": self.line_end, "text": self.text, "score": round(self.score, 6),
                "cite": self.cite}


def rrf(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float] | None = None,
        k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum over rankings of weight / (k + rank), best first."""
    weights = weights or {}
    fused: dict[str, float] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 1.0)
        for rank, item in enumerate(ranked, 1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def _top(score: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n best positive scores, best first (ties by position)."""
    positive = np.flatnonzero(score > 0)
    if positive.size > n:
        part = np.argpartition(-score[positive], n - 1)[:n]
        positive = positive[part]
    order = np.lexsort((positive, -score[positive]))
    return positive[order]


def _bm25_ranking(db: sqlite3.Connection, idx: Bm25Index, q: Query, allowed: np.ndarray | None,
                  depth: int) -> list[tuple[str, float]]:
    weights = dict(q.weights or dict.fromkeys(q.terms, 1.0))
    for p in q.phrases:
        for t in tokenize(p):
            weights[t] = 1.0
    score, _ = idx.scores(weights)
    if allowed is not None:
        score = np.where(allowed, score, 0)
    if not q.phrases:
        return [(idx.ids[i], float(score[i])) for i in _top(score, depth)]
    # Phrases: every word of every phrase must be in the chunk, then the text is checked.
    phrase_terms = list(dict.fromkeys(t for p in q.phrases for t in tokenize(p)))
    if phrase_terms:
        if len(idx.term_ids(phrase_terms)) < len(phrase_terms):
            return []  # a phrase word that no chunk contains
        _, has = idx.scores(phrase_terms)
        ok = has >= len(phrase_terms)
        positions = np.flatnonzero(ok if allowed is None else ok & allowed)
        positions = positions[np.lexsort((positions, -score[positions]))]
    else:  # phrases of stopwords only: scan the text
        like = "%" + "%".join(normalise(q.phrases[0]).split()) + "%"
        positions = np.array([idx.pos[r[0]] for r in db.execute("SELECT id FROM chunks WHERE text LIKE ?", (like,))
                              if r[0] in idx.pos and (allowed is None or allowed[idx.pos[r[0]]])], dtype=np.int64)
    patterns = [phrase_pattern(p) for p in q.phrases]
    out: list[tuple[str, float]] = []
    start, size = 0, 2 * depth  # most candidates hold the phrase: read a few, then more
    while start < len(positions) and len(out) < depth:
        batch = [idx.ids[i] for i in positions[start:start + size]]
        start, size = start + size, 200
        texts = dict(db.execute(
            f"SELECT id, text FROM chunks WHERE id IN ({','.join('?' * len(batch))})", batch).fetchall())
        for cid in batch:
            folded = texts.get(cid, "").translate(_FOLD)
            if all(p.search(folded) for p in patterns):
                out.append((cid, float(score[idx.pos[cid]])))
    return out[:depth]


# chroma's own `where` filtering costs 150-500 ms at 100k chunks, an unfiltered
# query for 1000 neighbours under 10 ms: so filters are applied afterwards where
# they let enough through, and tiny filtered sets are scored directly.
VECTOR_FETCH_MAX = 1000
VECTOR_DIRECT_MAX = 400


def _vector_ranking(index: Any, q: Query, allowed_docs: set[str] | None, allowed: np.ndarray | None,
                    bm: Bm25Index, depth: int) -> list[tuple[str, float]]:
    """(chunk id, similarity), best first, restricted to the allowed chunks."""
    text = q.semantic or q.text
    if allowed is None:
        return [(c, float(sim)) for c, sim in index.query(text, depth) if c in bm.pos]
    n_allowed = int(allowed.sum())
    if not n_allowed:
        return []
    fetch = int(depth * len(bm) / n_allowed * 1.5) + 1
    if fetch <= VECTOR_FETCH_MAX:
        return [(c, float(sim)) for c, sim in index.query(text, fetch)
                if c in bm.pos and allowed[bm.pos[c]]][:depth]
    if n_allowed <= VECTOR_DIRECT_MAX and hasattr(index, "collection") and hasattr(index, "embedder"):
        ids = [bm.ids[i] for i in np.flatnonzero(allowed)]
        got = index.collection.get(ids=ids, include=["embeddings"])
        if len(got["ids"]):
            sims = np.asarray(got["embeddings"], dtype=np.float32) @ np.asarray(
                index.embedder.embed_query(text), dtype=np.float32)
            order = np.argsort(-sims)[:depth]
            return [(got["ids"][i], float(sims[i])) for i in order]
        return []
    where = {"doc_id": {"$in": sorted(allowed_docs)}} if allowed_docs and len(allowed_docs) <= 500 else None
    results = index.query(text, depth if where else VECTOR_FETCH_MAX, where=where)
    return [(c, float(sim)) for c, sim in results if c in bm.pos and allowed[bm.pos[c]]][:depth]


def search(
    db: sqlite3.Connection,
    index: Any,
    query: str,
    k: int = 10,
    mode: str = "hybrid",
    kind: str | Sequence[str] | None = None,
    entity: str | None = None,
    after: str | None = None,
    before: str | None = None,
    case_number: str | None = None,
    doc: str | Sequence[str] | None = None,
    phrase: bool = False,
) -> list[Hit]:
    """The k best passages for a query, best first.

    mode: "hybrid" (BM25 and vector rankings fused by RRF), "bm25" or
    "vector". A query in double quotes, or phrase=True, keeps only chunks
    containing the phrase (case-insensitive, any whitespace) ranked by BM25.
    Filters restrict documents: kind ("pdf", "transcript", "filing_text",
    "article"), entity or party, date range after/before (ISO, inclusive),
    case number (any spelling of it), document (id or base name).
    `index` is a `casebase.index.Index` (None: BM25 only).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    q = parse_query(query, phrase)
    if not q.terms and not q.phrases:
        return []
    if mode == "vector" and index is None:
        raise ValueError("vector search needs the vector index (casebase.index.open_index)")
    filters = Filters(kind, entity, after, before, case_number, doc)
    allowed_docs = filters.docs(db)
    if allowed_docs is not None and not allowed_docs:
        return []
    bm = bm25_index(db)
    if not len(bm):
        return []
    allowed = None
    if allowed_docs is not None:
        wanted = np.array([i for i, d in enumerate(bm.docs) if d in allowed_docs], dtype=np.int32)
        allowed = np.isin(bm.chunk_doc, wanted)
    depth = max(FUSION_DEPTH, k)

    rankings: dict[str, list[str]] = {}
    if q.phrases or mode == "bm25":
        fused = _bm25_ranking(db, bm, q, allowed, k)
        rankings["bm25"] = [c for c, _ in fused]
    else:
        vec = _vector_ranking(index, q, allowed_docs, allowed, bm, depth) if index is not None else []
        rankings["vector"] = [c for c, _ in vec]
        if mode == "vector":
            fused = vec[:k]
        else:
            lex = _bm25_ranking(db, bm, q, allowed, depth)
            rankings["bm25"] = [c for c, _ in lex]
            fused = rrf(rankings, RRF_WEIGHTS, RRF_K)[:k]
    hits = _hits(db, fused, q)
    for h in hits:
        h.ranks = {name: ranked.index(h.chunk_id) + 1 for name, ranked in rankings.items()
                   if h.chunk_id in ranked}
    return hits


def _hits(db: sqlite3.Connection, ranked: Sequence[tuple[str, float]], q: Query) -> list[Hit]:
    if not ranked:
        return []
    ids = [c for c, _ in ranked]
    cur = db.execute(
        "SELECT c.id, c.doc_id, c.page, c.pdf_page, c.line_start, c.line_end, c.text,"
        " d.name, d.kind, d.title, d.document_number, d.date, d.filed, d.metadata"
        f" FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({','.join('?' * len(ids))})",
        ids)
    names = [c[0] for c in cur.description]
    rows = {row[0]: dict(zip(names, row)) for row in cur}
    hits = []
    for cid, score in ranked:
        r = rows.get(cid)
        if r is None:
            continue
        doc_row = with_deponent(db, r["doc_id"], r)
        marks = marks_for(r["text"], q.terms, q.phrases)
        hits.append(Hit(
            doc=r["name"], doc_id=r["doc_id"], page=r["page"], line_start=r["line_start"],
            line_end=r["line_end"], text=r["text"], snippet=make_snippet(r["text"], marks),
            marks=marks, score=float(score),
            cite=pin_cite(doc_row, r["page"], r["line_start"], r["line_end"]),
            kind=r["kind"], title=r["title"], date=r["date"] or r["filed"], chunk_id=cid,
            pdf_page=r["pdf_page"],
        ))
    return hits


_DEPONENTS: dict[str, str | None] = {}


def with_deponent(db: sqlite3.Connection, doc_id: str, row: Any) -> dict[str, Any]:
    """A document row with its metadata decoded and, for a deposition whose
    parser did not name the witness, the deponent its cover names (read once
    per document: ids follow content, so the answer never goes stale)."""
    out = dict(row)
    out["metadata"] = metadata(out)
    if out.get("kind") == "transcript" and not out["metadata"].get("deponent"):
        if doc_id not in _DEPONENTS:
            _DEPONENTS[doc_id] = deponent(db, doc_id)
        if _DEPONENTS[doc_id]:
            out["metadata"]["deponent"] = _DEPONENTS[doc_id]
    return out


# --------------------------------------------------------------------------- evaluation


def load_queries(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """A labelled query set: one JSON object a line, {"query", "relevant": [{"doc", "page"}]}."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(db: sqlite3.Connection, index: Any, queries: Sequence[Mapping[str, Any]], k: int = 10,
             modes: Sequence[str] = MODES) -> dict[str, dict[str, float]]:
    """recall@k and MRR of each mode on a labelled set, judged by (doc, page).

    recall@k: the share of a query's relevant pages among its top k hits,
    averaged over queries; MRR: the mean of 1 / rank of the first relevant hit.
    """
    out: dict[str, dict[str, float]] = {}
    for mode in modes:
        recall = mrr = 0.0
        for q in queries:
            relevant = {(r["doc"], r["page"]) for r in q["relevant"]}
            got = [(h.doc, h.page) for h in search(db, index, q["query"], k=k, mode=mode)]
            recall += len(relevant & set(got)) / len(relevant)
            mrr += next((1 / i for i, g in enumerate(got, 1) if g in relevant), 0.0)
        out[mode] = {"recall": recall / len(queries), "mrr": mrr / len(queries)}
    return out
