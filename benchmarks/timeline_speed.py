"""How long the timeline takes to build, and what finding its dated statements
at ingest costs, on the sample corpus and on the whole shared corpus.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/timeline_speed.py [--sample-store DIR] [--shared-store DIR]

For each corpus a store is ingested (spaCy extraction on, no vector index;
a store given is brought up to date, which finds what an older one lacks), then:

- cold: `build_timeline` in a fresh process, as the app's first Timeline visit;
- warm: again in the same process (median of --rounds);
- old store: the first build in a fresh process when the stored statements
  are missing (every build cost this before they were stored; an older
  store pays it once, then keeps them);
- ingest overhead: the CPU time `find_dated` takes over every stored
  document in one fresh process (dateparser's start-up included), which
  ingest's workers share, against the ingest's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CASEBASE_OCR", "0")  # scanned pages stay empty: the figures do not depend on Tesseract

REPO = Path(__file__).resolve().parents[1]
CORPORA = {"sample": REPO / "corpus", "shared": REPO.parent / "shared" / "corpus"}

# Run in a fresh process: nothing imported, nothing memoised.
_BUILD = """
import json, statistics, sys, time
from casebase import store
from casebase.timeline import build_timeline
db = store.connect(sys.argv[1])
times = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    events = build_timeline(db)
    times.append(time.perf_counter() - start)
print(json.dumps({"events": len(events), "cold": times[0], "warm": statistics.median(times[1:] or times)}))
"""
_FIND = """
import json, sys, time
from casebase import store
from casebase.timeline import find_dated
db = store.connect(sys.argv[1])
docs = [store.load(db, r["id"]) for r in store.documents(db)]
start = time.process_time()
found = sum(len(find_dated(doc).statements) for doc in docs)
print(json.dumps({"documents": len(docs), "statements": found, "cpu": time.process_time() - start}))
"""


def fresh(code: str, *args: str) -> dict:
    """What a snippet prints as JSON, run in a new interpreter."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ingest_store(corpus: Path, folder: Path) -> tuple[float, int]:
    """Ingest a corpus into `folder`: the wall time it took, and how many files were new."""
    from casebase import store
    from casebase.ingest import ingest

    start = time.perf_counter()
    outcomes = ingest([corpus], store.connect(folder), index=False)
    return time.perf_counter() - start, sum(o.status == "ingested" and o.kind != "docket" for o in outcomes)


def without_statements(folder: Path, into: Path) -> Path:
    """A copy of the store as an older casebase left it: no dated statements."""
    import sqlite3

    shutil.copytree(folder, into, ignore=shutil.ignore_patterns("chroma"))
    with sqlite3.connect(into / "casebase.db") as db:
        db.executescript("DELETE FROM dated; DELETE FROM dated_versions; DELETE FROM docket_dated;")
    return into


def report(name: str, folder: Path, ingest: tuple[float, int], rounds: int, scratch: Path) -> None:
    build = fresh(_BUILD, str(folder), str(rounds))
    old = fresh(_BUILD, str(without_statements(folder, scratch / f"{name}-old")), "1")
    found = fresh(_FIND, str(folder))
    took, new = ingest
    print(f"{name}: {found['documents']} documents, {build['events']} events "
          f"(ingest {took:.1f} s, {new} new documents)")
    print(f"  build_timeline  cold {build['cold']:6.2f} s   warm {build['warm']:6.3f} s (median of {rounds - 1})")
    print(f"  old store       first build {old['cold']:6.2f} s (finds and keeps the statements)")
    share = f", {found['cpu'] / took:.0%} of the ingest's wall time" if new == found["documents"] else ""
    print(f"  ingest overhead {found['cpu']:6.2f} s CPU for {found['statements']} statements{share}, "
          f"shared by the workers")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample-store", help="use (and fill) this store for corpus/")
    ap.add_argument("--shared-store", help="use (and fill) this store for ../shared/corpus")
    ap.add_argument("--rounds", type=int, default=6, help="builds per process (the first is cold)")
    args = ap.parse_args(argv)
    given = {"sample": args.sample_store, "shared": args.shared_store}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for name, corpus in CORPORA.items():
            if not corpus.is_dir():
                print(f"{name}: no corpus at {corpus}")
                continue
            folder = Path(given[name]) if given[name] else scratch / name
            report(name, folder, ingest_store(corpus, folder), max(2, args.rounds), scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
