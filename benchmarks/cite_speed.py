"""How long a citation list takes: gathering passages from the store, writing
the list (full, Id. and short forms), verifying every quote at its pin, and
each export format. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/cite_speed.py [--store DIR] [-n 200]

Without --store, the sample filings in corpus/filings-text are ingested into a
temporary store (no extraction, no index). The list cites N passages of those
documents in a shuffled order (fixed seed): five consecutive lines each,
page after page, so it holds Id. repeats, short forms and full cites.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from casebase import store
from casebase.cite import formats, gather, lists, verify
from casebase.ingest import ingest

REPO = Path(__file__).resolve().parents[1]


def median_ms(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def passages(db, n: int) -> list[tuple[str, int, int, int]]:
    rows = db.execute(
        "SELECT d.name, p.number AS page, min(l.number) AS lo, max(l.number) AS hi FROM lines l"
        " JOIN pages p ON p.doc_id = l.doc_id AND p.seq = l.page_seq JOIN documents d ON d.id = l.doc_id"
        " WHERE d.kind != 'article' GROUP BY d.id, p.seq HAVING hi - lo >= 5").fetchall()
    rnd = random.Random(7)
    picked = [rnd.choice(rows) for _ in range(n)]
    return [(r["name"], r["page"], r["lo"], r["lo"] + 4) for r in picked]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="an existing store (default: ingest corpus/filings-text)")
    ap.add_argument("-n", type=int, default=200, help="passages in the list")
    args = ap.parse_args()
    folder = args.store or tempfile.mkdtemp(prefix="cite-speed-")
    db = store.connect(folder)
    if not args.store:
        ingest([REPO / "corpus" / "filings-text"], db, extract=False, index=False)
    chosen = passages(db, args.n)
    print(f"store {folder}: {len(chosen)} passages of "
          f"{len({c[0] for c in chosen})} documents")
    items = [gather.passage(db, *c) for c in chosen]
    print(f"gather      {median_ms(lambda: [gather.passage(db, *c) for c in chosen], 3):8.1f} ms")
    entries = lists.citation_list(items)
    print(f"list        {median_ms(lambda: lists.citation_list(items)):8.1f} ms")
    print(f"verify      {median_ms(lambda: verify.verify(db, lists.citation_list(items)), 3):8.1f} ms")
    verify.verify(db, entries)
    print(f"verified    {sum(bool(e.verified) for e in entries)} of {len(entries)}; "
          f"Id. {sum(e.text.startswith('Id.') for e in entries)}, "
          f"short {sum(not e.text.startswith('Id.') and 'ECF No.' not in e.text for e in entries)}")
    for name, (fn, _, _) in formats.EXPORTS.items():
        print(f"{name:<11} {median_ms(lambda: fn(entries)):8.1f} ms")


if __name__ == "__main__":
    main()
