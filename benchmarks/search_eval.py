"""Search quality on the labelled queries: recall@10 and MRR of bm25, vector
and hybrid, plus query latency. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/search_eval.py [--shared ../shared] [--store DIR] [--k 10]

Builds a temporary store from the shared corpus (filings-text, articles,
filings-pdf): ingest, chunks, vector index. `--store DIR` reuses (or
builds once into) DIR instead, since embedding the corpus takes minutes.
Relevance is judged by (document, page) against tests/data/queries.jsonl.
The textbook fusion (k=60, equal weights) is printed next to the one
casebase uses, to show why the settings in casebase/search.py were chosen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from casebase import search, store
from casebase.index import open_index
from casebase.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "tests" / "data" / "queries.jsonl"
FOLDERS = ("filings-text", "articles", "filings-pdf")


def build(folder: Path, corpus: Path):
    """A store over the corpus: documents, chunks and vectors (each step skipped when done)."""
    db = store.connect(folder)
    start = time.perf_counter()
    outcomes = ingest([corpus / f for f in FOLDERS], db)  # parses, extracts, chunks, embeds
    index = open_index(folder)
    counts = index.sync(db)
    took = time.perf_counter() - start
    n = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    print(f"store: {sum(o.status != 'failed' for o in outcomes)} documents, {n} chunks, "
          f"{counts['total']} vectors; built in {took:.0f} s")
    return db, index


def table(db, index, queries, k: int) -> dict[str, dict[str, float]]:
    scores = search.evaluate(db, index, queries, k=k, modes=("bm25", "vector", "hybrid"))
    for mode, s in scores.items():
        print(f"  {mode:<7} recall@{k} {s['recall']:.3f}   MRR {s['mrr']:.3f}")
    return scores


def latency(db, index, queries, mode: str) -> tuple[float, float]:
    texts = [q["query"] for q in queries]
    for t in texts[:3]:
        search.search(db, index, t, mode=mode)
    times = []
    for t in texts:
        start = time.perf_counter()
        search.search(db, index, t, mode=mode)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[round(0.95 * (len(times) - 1))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared"), help="the shared material folder")
    ap.add_argument("--store", help="build into (or reuse) this store folder instead of a temporary one")
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args(argv)
    corpus = Path(args.shared) / "corpus"
    if not corpus.is_dir():
        sys.exit(f"search_eval: no corpus at {corpus} (use --shared)")
    queries = search.load_queries(QUERIES)
    n_rel = sum(len(q["relevant"]) for q in queries)
    with tempfile.TemporaryDirectory(prefix="casebase-search-") as tmp:
        db, index = build(Path(args.store or tmp), corpus)
        print(f"{len(queries)} labelled queries, {n_rel} relevant (document, page) pairs; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"casebase fusion: RRF k={search.RRF_K}, weights {search.RRF_WEIGHTS}, "
              f"depth {search.FUSION_DEPTH}; BM25 {search.BM25_PARAMS}, thesaurus weight {search.EXPANSION_WEIGHT}")
        table(db, index, queries, args.k)
        saved = search.RRF_K, dict(search.RRF_WEIGHTS), search.FUSION_DEPTH
        search.RRF_K, search.RRF_WEIGHTS, search.FUSION_DEPTH = 60, {"bm25": 1.0, "vector": 1.0}, 100
        print("textbook fusion for comparison: RRF k=60, equal weights, depth 100")
        hybrid = search.evaluate(db, index, queries, k=args.k, modes=("hybrid",))["hybrid"]
        print(f"  hybrid  recall@{args.k} {hybrid['recall']:.3f}   MRR {hybrid['mrr']:.3f}")
        search.RRF_K, search.RRF_WEIGHTS, search.FUSION_DEPTH = saved
        for mode in ("bm25", "vector", "hybrid"):
            p50, p95 = latency(db, index, queries, mode)
            print(f"  latency {mode:<7} p50 {p50:.1f} ms, p95 {p95:.1f} ms (this corpus, after warm-up)")
        db.close()


if __name__ == "__main__":
    main()
