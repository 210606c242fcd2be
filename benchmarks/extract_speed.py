"""Words per second of the whole extraction (parse + spaCy pipeline with
entities and claims + chunking + SQLite) as ingest runs it, on the shared
corpus, with 1 and 2 worker processes. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/extract_speed.py
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from casebase import store
from casebase.ingest import ingest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def run(paths: list[Path], workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.connect(tmp)
        start = time.perf_counter()
        out = ingest(paths, db, workers=workers, index=False)
        took = time.perf_counter() - start
        words = sum(len(re.findall(r"\S+", r[0])) for r in db.execute("SELECT text FROM lines"))
        claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
        mentions = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        print(f"{workers} worker(s): {len(out)} files, {words:,} words in {took:.1f} s = "
              f"{words / took:,.0f} words/s ({mentions:,} mentions, {claims} claims)", flush=True)


if __name__ == "__main__":
    if not SHARED.exists():
        sys.exit(f"needs the shared corpus at {SHARED}")
    paths = [SHARED / "filings-text", SHARED / "articles"]
    run(paths, 2)
    run(paths, 1)
