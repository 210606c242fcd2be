"""How much of the hand-made chronology the timeline finds, with the right date.

Reads ../shared/corpus/timeline-facts.tsv. A fact counts when its best
source is in the corpus (a filings-text/ or articles/ file, or the Musk v.
Altman docket) and the timeline has an event dated right at the fact's
precision ("2018-02" needs February 2018 or a day in it) whose sources
include that best source (the named document, or the named docket entry).
Prints counts, the share, the misses and the facts whose source is not in
the corpus; asserts nothing.

    .venv/bin/python benchmarks/timeline_eval.py [--store DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from casebase import store
from casebase.ingest import ingest
from casebase.parse.docket import load_docket
from casebase.timeline import Event, build_timeline, date_span

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FACTS = SHARED / "timeline-facts.tsv"
DOCKET = SHARED / "dockets" / "musk_v_altman_4-24-cv-04722"


@dataclass
class Fact:
    """One row of timeline-facts.tsv, with where it should be found."""

    date: str  # ISO at the fact's precision
    precision: str
    event: str
    best_source: str
    docs: list[str] = field(default_factory=list)  # stored file names the best source names
    pages: set[int] = field(default_factory=set)  # the pages it names ("p.12", "p.13-14"), if any
    docket: set[str] | None = None  # docket numbers (empty set: any entry) when a docket is named

    @property
    def in_corpus(self) -> bool:
        return bool(self.docs) or self.docket is not None


def _fact_date(raw: str) -> tuple[str, str] | None:
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", raw.strip())
    if not m:
        return None
    parts = [p for p in m.groups() if p]
    return "-".join(parts), ("year", "month", "day")[len(parts) - 1]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in re.finditer(r"Dkt\.\s*((?:\d+(?:-\d+)?\s*,?\s*)+)", text):
        out |= set(re.findall(r"\d+(?:-\d+)?", m.group(1)))
    return out


def load_facts(path: Path, names: list[str]) -> list[Fact]:
    """The facts, each resolved against the stored file names."""
    out = []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            parsed = _fact_date(row["date"])
            if not parsed:
                continue
            fact = Fact(parsed[0], parsed[1], row["event"], row["best_source"])
            for part in row["best_source"].split(";"):
                for m in re.finditer(r"(filings-text|articles)/([\w.-]+)", part):
                    prefix = re.sub(r"_?\.\.\.$|\.\.\.$", "", m.group(2))
                    fact.docs += [n for n in names if n.startswith(prefix)]
                    for a, b in re.findall(r"\bp\.\s*(\d+)(?:-(\d+))?", part[m.end():]):
                        fact.pages |= set(range(int(a), int(b or a) + 1))
                if "dockets/" in part:
                    fact.docket = _numbers(part) or _numbers(row["event"])
            out.append(fact)
    return out


def date_matches(event: Event, fact: Fact) -> bool:
    """The event's date is the fact's date, at the fact's precision or finer."""
    if event.precision == "approximate":
        a, b = date_span(event.date)
        return fact.precision == "year" and a.year == b.year == int(fact.date)
    order = ("year", "month", "day")
    if order.index(event.precision) < order.index(fact.precision):
        return False
    return event.date[: len(fact.date)] == fact.date


_STOP = set("""about after against also among been before being between both from have into more most only other
over said says than that their them then there these they this those through under until very what when where
which while with would filed file files""".split())


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9-]{3,}", text.lower()) if w not in _STOP}


def found_by(event: Event, fact: Fact) -> bool:
    """Does the event cite the fact's best source: the docket entry it names, or the
    document (on the page it names) in a sentence sharing a word with the fact?"""
    words = _content(fact.event)
    for s in event.sources:
        if s.origin == "docket":
            if fact.docket is not None and (not fact.docket or s.cite.removeprefix("Dkt. ") in fact.docket):
                return True
        elif s.name in fact.docs and (not fact.pages or s.page in fact.pages):
            if words & _content(f"{event.title} {s.text}"):
                return True
    return False


def score(events: list[Event], facts: list[Fact]) -> tuple[list[tuple[Fact, Event | None]], list[Fact]]:
    """(each in-corpus fact with the event that finds it or None, the facts not in the corpus)."""
    results, absent = [], []
    for fact in facts:
        if not fact.in_corpus:
            absent.append(fact)
            continue
        hit = next((e for e in events if date_matches(e, fact) and found_by(e, fact)), None)
        results.append((fact, hit))
    return results, absent


def build_store(folder: Path, extract: bool = True) -> tuple[object, list[str]]:
    """Ingest the shared filings-text and articles into a store; return (db, failures).

    `extract=False` skips the entity and claim extraction (the timeline then
    tags entities from the alias table alone), for a quicker store. The
    vector index is never built: the timeline does not read it.
    """
    db = store.connect(folder)
    outcomes = ingest([SHARED / "filings-text", SHARED / "articles"], db, extract=extract, index=False)
    return db, [o.error for o in outcomes if o.status == "failed"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", help="use (and fill) this store instead of a temporary one")
    ap.add_argument("--verbose", action="store_true", help="print the event that finds each fact")
    args = ap.parse_args(argv)
    if not FACTS.is_file():
        print(f"no timeline facts at {FACTS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.store or tmp)
        start = time.perf_counter()
        db, failures = build_store(folder)
        ingested = time.perf_counter() - start
        docket = load_docket(DOCKET)
        start = time.perf_counter()
        events = build_timeline(db, docket=docket)
        built = time.perf_counter() - start
        names = [r["name"] for r in store.documents(db)]
        results, absent = score(events, load_facts(FACTS, names))
    found = sum(1 for _, e in results if e)
    print(f"store: {len(names)} documents ingested in {ingested:.1f} s; {len(failures)} failed")
    for err in failures:
        print(f"  ingest failed: {err}")
    print(f"timeline: {len(events)} events ({sum(e.disputed for e in events)} disputed) "
          f"from {len(docket)} docket entries and {len(names)} documents in {built:.1f} s")
    print(f"facts: {len(results) + len(absent)} in timeline-facts.tsv, {len(results)} with their best source "
          f"in the corpus, {len(absent)} without")
    print(f"found with the right date: {found}/{len(results)} = {found / max(1, len(results)):.1%}")
    for fact, event in results:
        if event is None:
            print(f"  MISS {fact.date} ({fact.precision}) {fact.event[:90]}  [{fact.best_source[:60]}]")
        elif args.verbose:
            print(f"  ok   {fact.date} -> {event.date} {event.title[:70]}  [{event.sources[0].cite}]")
    for fact in absent:
        print(f"  not in corpus: {fact.date} {fact.event[:70]}  [{fact.best_source[:60]}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
