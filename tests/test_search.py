"""Hybrid search on real documents: modes, filters, phrases, snippets, cites,
the persisted BM25 index, and quality on the labelled queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casebase import search, store
from casebase.index import open_index
from casebase.ingest import ingest

pytestmark = pytest.mark.shared

QUERIES = Path(__file__).parent / "data" / "queries.jsonl"
FOLDERS = ("filings-text", "articles", "filings-pdf")
ORDER = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
HEARING = "gov.uscourts.cand.433688.109.0.md"
DEPOSITION = "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
DEEPSEEK = "2025-01-27_recodechinaai_openai-deepseek-distillation-saga.txt"
TESSERA = "cand_5-15-cv-02543_dkt440_redacted_order_MSJ.pdf"


LOOKSMART = "cand_4-17-cv-04709_dkt229-4_hearing_transcript.pdf"
SAMPLE = [f"filings-text/{n}" for n in (ORDER, HEARING, DEPOSITION, "gov.uscourts.cand.433688.163.0.md")] + [
    f"articles/{n}" for n in (DEEPSEEK, "2025-08-26_republicworld-reuters_xai-sues-apple-and-openai.txt",
                              "2025-02-11_macrumors_openai-rebuffs-musk-buyout.txt",
                              "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt")] + [
    f"filings-pdf/{n}" for n in (TESSERA, LOOKSMART)]


def _build(folder: Path, paths: list[Path]):
    """A store of the files with chunks and vectors: (db, index)."""
    db = store.connect(folder)
    ingest(paths, db)
    index = open_index(folder)
    index.sync(db)
    return db, index


@pytest.fixture(scope="module")
def corpus(shared, tmp_path_factory):
    """The whole shared corpus, as benchmarks/search_eval.py builds it (minutes: it embeds 1.7k chunks)."""
    db, index = _build(tmp_path_factory.mktemp("search-corpus"), [shared / "corpus" / f for f in FOLDERS])
    yield db, index
    db.close()


@pytest.fixture(scope="module")
def sample(shared, tmp_path_factory):
    """Ten documents of every kind: orders, hearing, deposition, articles, PDFs."""
    db, index = _build(tmp_path_factory.mktemp("search-sample"), [shared / "corpus" / f for f in SAMPLE])
    yield db, index
    db.close()


def where(hits) -> list[tuple[str, int]]:
    return [(h.doc, h.page) for h in hits]


def doc_row(db, name: str) -> dict:
    return dict(db.execute("SELECT * FROM documents WHERE name = ?", (name,)).fetchone())


# -- the labelled set ------------------------------------------------------------


def test_labelled_set_is_large_varied_and_paraphrased():
    queries = search.load_queries(QUERIES)
    assert len(queries) >= 40
    docs = [r["doc"] for q in queries for r in q["relevant"]]
    assert all(q["relevant"] and q["query"].endswith("?") for q in queries)
    assert sum(d.endswith(".pdf") for d in docs) >= 8
    assert sum(d.startswith("20") for d in docs) >= 15  # articles: dated file names
    assert sum(d in (HEARING, DEPOSITION) for d in docs) >= 15


@pytest.mark.slow
def test_every_label_points_at_the_page_that_says_it(corpus):
    """Anchors (a few words from the labelled page) must be on that page as parsed."""
    db, _ = corpus
    for q in search.load_queries(QUERIES):
        for rel in q["relevant"]:
            doc_id = store.resolve(db, rel["doc"])
            assert doc_id, rel["doc"]
            text = " ".join(r[0] for r in db.execute(
                "SELECT l.text FROM lines l JOIN pages p ON p.doc_id = l.doc_id AND p.seq = l.page_seq"
                " WHERE l.doc_id = ? AND p.number = ? ORDER BY l.page_seq, l.seq", (doc_id, rel["page"])))
            assert text, f"{rel['doc']} has no page {rel['page']}"
            if rel.get("anchor"):
                assert search.normalise(rel["anchor"]) in search.normalise(text), (q["query"], rel)


@pytest.mark.slow
def test_hybrid_recall_at_10_is_at_least_that_of_either_ranking(corpus):
    db, index = corpus
    scores = search.evaluate(db, index, search.load_queries(QUERIES), k=10)
    hybrid, bm25, vector = (scores[m]["recall"] for m in ("hybrid", "bm25", "vector"))
    assert hybrid >= max(bm25, vector), scores
    assert bm25 > 0.6 and vector > 0.4, scores  # each ranking works on its own


# -- modes ------------------------------------------------------------------------


def test_bm25_finds_the_page_for_a_paraphrase(sample):
    db, index = sample
    hits = search.search(db, index, "how many antitrust cases has Musk's lawyer tried before?", mode="bm25")
    assert (HEARING, 8) in where(hits[:3])
    assert all(set(h.ranks) == {"bm25"} for h in hits)


def test_vector_finds_the_page_for_a_paraphrase(sample):
    db, index = sample
    hits = search.search(db, index, "who accused DeepSeek of using OpenAI outputs to train its models?",
                         mode="vector")
    assert (DEEPSEEK, 1) in where(hits[:3])
    hits = search.search(db, index, "why are xAI and X suing Apple?", mode="vector")
    assert "2025-08-26_republicworld-reuters_xai-sues-apple-and-openai.txt" in [h.doc for h in hits[:3]]


def test_hybrid_finds_the_page_for_a_paraphrase(sample):
    db, index = sample
    hits = search.search(db, index, "why didn't Sutskever send his memo to Sam Altman?")
    assert where(hits[:1]) == [(DEPOSITION, 128)]
    assert set(hits[0].ranks) == {"bm25", "vector"}
    hits = search.search(db, index, "does the judge think it is plausible Musk and Altman had an oral agreement?")
    assert (HEARING, 10) in where(hits[:3])


def test_modes_are_checked(sample):
    db, _ = sample
    with pytest.raises(ValueError, match="mode"):
        search.search(db, None, "trust", mode="semantic")
    with pytest.raises(ValueError, match="vector index"):
        search.search(db, None, "trust", mode="vector")
    assert search.search(db, None, "trust", mode="hybrid")  # BM25 alone without an index


def test_hits_come_best_first_and_serialise_to_the_cli_contract(sample):
    db, index = sample
    for mode in search.MODES:
        hits = search.search(db, index, "interlocking directorates Hoffman Templeton", k=7, mode=mode)
        assert len(hits) == 7
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        record = hits[0].to_json()
        assert set(record) == {"doc", "page", "line_start", "line_end", "text", "score", "cite"}
        assert json.loads(json.dumps(record)) == record
        assert "/" not in record["doc"] and record["line_start"] <= record["line_end"]


# -- filters ----------------------------------------------------------------------


def test_kind_filter_keeps_only_that_kind(sample):
    db, index = sample
    query = "Musk lawsuit against OpenAI"
    assert {h.kind for h in search.search(db, index, query, k=20)} - {"article"}
    for kind in ("article", "transcript", "pdf"):
        hits = search.search(db, index, query, k=20, kind=kind)
        assert hits and {h.kind for h in hits} == {kind}


def test_date_range_filter_excludes_documents_outside_it(sample):
    db, index = sample
    query = "judge denied Musk's motion"
    dates = {h.date for h in search.search(db, index, query, k=20)}
    assert any(d and not ("2025-02-01" <= d <= "2025-03-31") for d in dates)
    hits = search.search(db, index, query, k=20, after="2025-02-01", before="2025-03-31")
    assert hits and all("2025-02-01" <= h.date <= "2025-03-31" for h in hits)
    assert ORDER in [h.doc for h in hits]
    # a month-only bound covers the whole month
    assert all(h.date.startswith("2025-03") for h in search.search(
        db, index, query, k=10, after="2025-03", before="2025-03"))


def test_document_and_case_filters(sample):
    db, index = sample
    hits = search.search(db, index, "irreparable harm", k=10, doc=ORDER)
    assert hits and {h.doc for h in hits} == {ORDER}
    by_id = search.search(db, index, "irreparable harm", k=10, doc=store.resolve(db, ORDER))
    assert where(by_id) == where(hits)
    unfiltered = {h.doc for h in search.search(db, index, "summary judgment royalties patent", k=20)}
    assert TESSERA in unfiltered
    for spelling in ("4:24-cv-04722-YGR", "24-CV-4722"):
        hits = search.search(db, index, "summary judgment royalties patent", k=20, case_number=spelling)
        assert hits and TESSERA not in {h.doc for h in hits}
        assert all(search.case_key(doc_row(db, h.doc)["case_number"]) == "24-cv-4722" for h in hits)
    assert search.search(db, index, "irreparable harm", doc="no-such-file.pdf") == []


def test_vector_filters_agree_whichever_way_they_are_applied(sample, monkeypatch):
    """Small filtered sets are scored directly, large ones filtered after an
    over-fetch, the rest by chroma's `where`: the same passages come first."""
    db, index = sample
    query = "why did the court deny the injunction?"
    for filters in ({"doc": ORDER}, {"kind": "transcript"}):
        results = []
        for fetch_max, direct_max in ((10**6, 10**6), (10**6, 0), (0, 0)):
            monkeypatch.setattr(search, "VECTOR_FETCH_MAX", fetch_max)
            monkeypatch.setattr(search, "VECTOR_DIRECT_MAX", direct_max)
            hits = search.search(db, index, query, k=5, mode="vector", **filters)
            assert len(hits) == 5 and all(
                h.doc == ORDER if "doc" in filters else h.kind == "transcript" for h in hits)
            results.append(where(hits)[:3])
        assert results[0] == results[1] == results[2], filters


def test_entity_filter_keeps_documents_that_name_the_entity(sample):
    db, index = sample
    query = "board of directors resigned"
    unfiltered = search.search(db, index, query, k=20)
    assert any("sutskever" not in _doc_text(db, h.doc_id) for h in unfiltered)
    hits = search.search(db, index, query, k=20, entity="Sutskever")
    assert hits and all("sutskever" in _doc_text(db, h.doc_id) for h in hits)
    assert search.search(db, index, query, entity="Nobody Inparticular") == []


def _doc_text(db, doc_id: str) -> str:
    return " ".join(r[0] for r in db.execute("SELECT text FROM chunks WHERE doc_id = ?", (doc_id,))).lower()


# -- phrases, snippets, cites -------------------------------------------------------


def test_quoted_phrase_keeps_only_chunks_containing_it(sample):
    db, index = sample
    hits = search.search(db, index, '"charitable trust"', k=50)
    assert len(hits) >= 5
    assert all("charitable trust" in search.normalise(h.text) for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)  # ranked by BM25
    assert where(search.search(db, index, "Charitable   TRUST", k=50, phrase=True)) == where(hits)
    # the words alone find chunks without the phrase
    loose = search.search(db, index, "charitable trust", k=50, mode="bm25")
    assert any("charitable trust" not in search.normalise(h.text) for h in loose)


def test_phrase_matches_across_line_breaks_and_misses_cleanly(sample):
    db, index = sample
    hits = search.search(db, index, "the question of likelihood of success", phrase=True)
    assert (ORDER, 13) in where(hits)
    hit = next(h for h in hits if (h.doc, h.page) == (ORDER, 13))
    assert "question\nof likelihood" in hit.text  # the phrase spans two lines
    assert "the question of likelihood of success" in [search.normalise(hit.text[s:e]) for s, e in hit.marks]
    assert search.search(db, index, '"likelihood of a toss-up win"') == []


def test_snippets_and_marks_show_the_matched_words(sample):
    db, index = sample
    hits = search.search(db, index, "Sutskever screenshots Murati", k=5, mode="bm25")
    assert hits[0].doc == DEPOSITION
    for hit in hits:
        marked = [hit.text[s:e] for s, e in hit.marks]
        assert marked and all(0 <= s < e <= len(hit.text) for s, e in hit.marks)
        assert {search.stem(m.lower()) for m in marked} <= {"sutskever", "screenshot", "murati"}
        assert "\n" not in hit.snippet
        for word in re.findall(r"\[\[(.+?)\]\]", hit.snippet):
            assert word in marked
    top = hits[0]
    assert "[[Murati]]" in top.snippet and "[[screenshots]]" in top.snippet


def test_pin_cites(sample):
    db, index = sample
    hit = search.search(db, index, "Musk's $44+ million donations charitable trust", k=5, doc=ORDER)[0]
    assert re.fullmatch(rf"Dkt\. 121 at {hit.page}:{hit.line_start}(–{hit.line_end})?", hit.cite)
    hit = search.search(db, index, "disappearing email termination", k=1, doc=DEPOSITION)[0]
    assert hit.cite.startswith(f"Sutskever Dep. {hit.page}:{hit.line_start}")
    assert hit.cite.endswith("(Dkt. 340-1)")
    hit = search.search(db, index, "tax deduction", k=1, doc=HEARING)[0]
    assert hit.cite.startswith(f"Hr'g Tr. {hit.page}:") and hit.cite.endswith("(Dkt. 109)")
    hit = search.search(db, index, "DeepSeek distillation", k=1, kind="article")[0]
    assert hit.cite.startswith("Inside the OpenAI-DeepSeek Distillation Saga, Recode China AI (Jan. 29, 2025)")
    assert search.pin_cite(doc_row(db, ORDER), 12, 3, 9) == "Dkt. 121 at 12:3–9"


# -- the persisted BM25 index --------------------------------------------------------


@pytest.fixture
def small(shared, tmp_path):
    """A store of two articles and one order, without vectors."""
    articles = shared / "corpus" / "articles"
    db = store.connect(tmp_path / "store")
    ingest([articles / DEEPSEEK, articles / "2025-02-11_macrumors_openai-rebuffs-musk-buyout.txt",
            shared / "corpus" / "filings-text" / ORDER], db, workers=1, index=False)
    yield db, tmp_path / "store"
    db.close()


def test_bm25_index_is_saved_reused_and_rebuilt_when_chunks_change(shared, small, monkeypatch):
    db, folder = small
    first = search.bm25_index(db)
    saved = folder / search.BM25_DIR / "chunks.json"
    assert saved.is_file() and len(first) == db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert search.bm25_index(db) is first  # same chunks: the one in memory
    search._CACHE.clear()

    def no_rebuild(*args, **kwargs):
        raise AssertionError("rebuilt although the chunks did not change")

    with monkeypatch.context() as m:
        m.setattr(search.Bm25Index, "build", no_rebuild)
        loaded = search.bm25_index(db)  # from disk
    assert loaded.ids == first.ids

    ingest([shared / "corpus" / "articles" / "2025-08-03_fidelisozuawala_anthropic-cuts-openai-claude-access.txt"],
           db, workers=1, index=False)
    rebuilt = search.bm25_index(db)
    assert len(rebuilt) > len(first)
    hits = search.search(db, None, "Anthropic Claude access revoked")
    assert hits[0].doc.startswith("2025-08-03_fidelisozuawala")
    assert json.loads(saved.read_text())["ids"] == rebuilt.ids


def test_entity_filter_uses_mentions_and_falls_back_to_text_without_them(small):
    db, _ = small
    order_id = store.resolve(db, ORDER)
    unfiltered = {h.doc for h in search.search(db, None, "OpenAI Microsoft", k=20)}
    assert ORDER in unfiltered and DEEPSEEK in unfiltered
    db.execute("DELETE FROM mentions")
    db.execute("INSERT INTO mentions (doc_id, char_start, char_end, text, label, canonical)"
               " VALUES (?, 0, 5, 'Microsoft Corp.', 'ORG', 'Microsoft')", (order_id,))
    # with mentions: only the document with a Microsoft mention, though the article names it too
    hits = search.search(db, None, "OpenAI Microsoft", k=20, entity="Microsoft")
    assert hits and {h.doc for h in hits} == {ORDER}
    db.execute("DELETE FROM mentions")
    # without any: every document whose text names it
    hits = search.search(db, None, "OpenAI Microsoft", k=20, entity="microsoft")
    assert {h.doc for h in hits} == {ORDER, DEEPSEEK}
    assert search.search(db, None, "OpenAI Microsoft", entity="Bloomberg L.P. Terminal") == []


# -- text processing -------------------------------------------------------------------


def test_stems_conflate_inflections_and_stopwords_drop():
    for words in (("denied", "denies", "deny"), ("distilled", "distillation", "distilling"),
                  ("resigned", "resignation", "resigns"), ("succeed", "succeeded", "succeeds")):
        assert len({search.stem(w) for w in words}) == 1, words
    assert search.tokenize("The Court DENIES the motion") == ["court", "deny", "motion"]
    q = search.parse_query("why didn't the lawyer say he was likely to win?")
    assert "n't" not in " ".join(q.terms) and "say" not in q.terms
    assert q.weights["counsel"] == search.EXPANSION_WEIGHT and q.weights["win"] == 1.0
