"""Search latency at 1k, 10k and 100k chunks: BM25 build and load, then
bm25, hybrid, filtered hybrid and phrase queries, p50/p95 after warm-up.
Prints figures; asserts nothing (target: bm25 and hybrid p95 <= 50 ms at
100k on 2 cores).

    .venv/bin/python benchmarks/search_scale.py [--sizes 1000,10000,100000]

The stores are filled with index_scale.py's generated filings (its small
legal vocabulary makes every term common, so BM25 posting lists are long: a
hard case for BM25). Embedding 100k chunks would take about an hour, so
`Index.sync` stores reused vectors (index_scale.ReusedVectors) while queries
are embedded for real, as a user's would be. Each size runs in its own
process, so that peak memory is its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from index_scale import (QUERIES, ReusedVectors, ingest_docs, load, peak_mib,  # noqa: E402
                         synthetic_document, timed_queries)

from casebase import search, store  # noqa: E402
from casebase.embed import get_embedder  # noqa: E402
from casebase.index import open_index, read_chunks  # noqa: E402

PHRASES = ['"the motion is therefore denied"', '"network effects"', '"leave to amend is granted"',
           '"the charitable donations were made"']


def base_vectors(work: Path) -> Path:
    """Real vectors of a few hundred generated chunks, for ReusedVectors."""
    folder = work / "base"
    db = store.connect(folder)
    ingest_docs(db, [synthetic_document(10**6 + i, pages=4) for i in range(30)])
    texts = [c.text for c in read_chunks(db)][:256]
    path = work / "base.npy"
    np.save(path, get_embedder().encode(texts))
    return path


def one_size(n: int, vectors: Path, work: Path) -> None:
    folder = work / f"n{n}"
    db = store.connect(folder)
    made, i = 0, 0
    start = time.perf_counter()
    while made < n:
        made += ingest_docs(db, [synthetic_document(i)])
        i += 1
    took_fill = time.perf_counter() - start
    index = open_index(folder)
    real = index.embedder
    index.embedder = ReusedVectors(np.load(vectors))
    index.sync(db)
    index.embedder = real

    start = time.perf_counter()
    search.bm25_index(db)
    took_build = time.perf_counter() - start
    search._CACHE.clear()
    start = time.perf_counter()
    search.bm25_index(db)
    took_load = time.perf_counter() - start
    bm_mib = sum(f.stat().st_size for f in (folder / search.BM25_DIR).iterdir()) / 2**20

    def run(mode: str, **filters):
        return lambda q: search.search(db, index, q, k=10, mode=mode, **filters)

    queries = QUERIES * 2
    bm = timed_queries(run("bm25"), queries)
    hy = timed_queries(run("hybrid"), queries)
    fl = timed_queries(run("hybrid", kind="filing_text", after="2024-01-01", before="2025-06-30"), queries)
    ph = timed_queries(run("bm25"), PHRASES * 5)
    print(f"{made:>7,} chunks ({i} generated filings, filled in {took_fill:.0f} s): "
          f"BM25 build {took_build:.1f} s, load from disk {took_load * 1000:.0f} ms, {bm_mib:.0f} MiB on disk")
    print(f"         bm25   p50 {bm[0]:5.1f} ms  p95 {bm[1]:5.1f} ms")
    print(f"         hybrid p50 {hy[0]:5.1f} ms  p95 {hy[1]:5.1f} ms   (query embedding + chroma + BM25 + fusion)")
    print(f"         hybrid with kind + date filter p50 {fl[0]:5.1f} ms  p95 {fl[1]:5.1f} ms")
    print(f"         phrase p50 {ph[0]:5.1f} ms  p95 {ph[1]:5.1f} ms")
    print(f"         peak memory {peak_mib():.0f} MiB; {load()}", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--vectors", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        one_size(args.child, Path(args.vectors), Path(args.work))
        return
    with tempfile.TemporaryDirectory(prefix="casebase-search-scale-") as tmp:
        work = Path(tmp)
        print(f"{os.cpu_count()} CPUs; {len(QUERIES) * 2} queries per figure after 3 warm-up queries; {load()}")
        vectors = base_vectors(work)
        for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
            subprocess.run([sys.executable, __file__, "--child", str(n), "--vectors", str(vectors),
                            "--work", str(work)], check=True)


if __name__ == "__main__":
    main()
