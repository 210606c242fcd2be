"""Score claim extraction on the gold sets and time it.

usage: python benchmarks/claims_eval.py [--errors] [--dump DIR] [--shared PATH]

Dev set: ../shared/gold/claims-dev.jsonl, scored on a store built from
exactly the documents CLAIMS.md names (every article, the Dkt. 121 order,
the Sutskever deposition excerpt), so a claim invented in a claim-free
article counts against precision. Extra set: tests/data/claims-extra.jsonl
(the project's own labels), scored on exactly the documents it labels in
full (EXTRA_DOCS). Prints the shared scorer's figures for both, and words
per second of parsing plus extraction (the whole spaCy pipeline).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casebase.extract.claims import claims_for  # noqa: E402
from casebase.extract.score import load_jsonl, report, score, unmatched  # noqa: E402
from casebase.nlp import load_pipeline  # noqa: E402
from casebase.parse import parse_file  # noqa: E402

DEV_FILINGS = ("musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt",
               "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt")
# Every claim in these documents is labelled in tests/data/claims-extra.jsonl.
# Dkt. 163 (an order) has none: it is there to count invented claims.
EXTRA_DOCS = ("gov.uscourts.cand.433688.1.0_1.md", "gov.uscourts.cand.433688.46.0.md",
              "gov.uscourts.cand.433688.109.0.md", "gov.uscourts.cand.433688.147.0_2.md",
              "gov.uscourts.cand.433688.163.0.md")
EXTRA = ROOT / "tests" / "data" / "claims-extra.jsonl"


def dev_paths(shared: Path) -> list[Path]:
    corpus = shared / "corpus"
    return sorted((corpus / "articles").glob("*.txt")) + [corpus / "filings-text" / n for n in DEV_FILINGS]


def extra_paths(shared: Path) -> list[Path]:
    return [shared / "corpus" / "filings-text" / n for n in EXTRA_DOCS]


def predict(paths: list[Path], nlp) -> tuple[list[dict], int, float, float]:
    """Claims of the documents as dicts, the words read, and the wall and CPU seconds of the
    spaCy pipeline plus claim extraction (file parsing not counted)."""
    out, n_words, seconds, cpu = [], 0, 0.0, 0.0
    for path in paths:
        document = parse_file(path)
        n_words += len(document.text.split())
        t, c = time.perf_counter(), time.process_time()
        claims = claims_for(document, nlp)
        seconds += time.perf_counter() - t
        cpu += time.process_time() - c
        out.extend(c.to_dict() for c in claims)
    return out, n_words, seconds, cpu


def component_share(paths: list[Path], nlp) -> tuple[int, float, float]:
    """Words, CPU seconds of the pipeline without casebase_claims, CPU seconds of
    casebase_claims plus extract_claims on the same parses."""
    from casebase.extract.claims import ClaimFinder, extract_claims
    from casebase.nlp import chunks

    finder = ClaimFinder()
    words, base, ours = 0, 0.0, 0.0
    for path in paths:
        document = parse_file(path)
        words += len(document.text.split())
        pieces = chunks(document)
        c = time.process_time()
        with nlp.select_pipes(disable=["casebase_claims"]):
            docs = list(nlp.pipe((t for _, t in pieces), batch_size=8))
        base += time.process_time() - c
        c = time.process_time()
        for d in docs:
            finder(d)
        extract_claims(document, zip(docs, (off for off, _ in pieces)), nlp=nlp)
        ours += time.process_time() - c
    return words, base, ours


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", action="store_true", help="print missed gold and unmatched predictions")
    ap.add_argument("--dump", type=Path, help="write the predictions as JSONL into this folder")
    ap.add_argument("--only", choices=("dev", "extra"), help="score one set")
    ap.add_argument("--speed", action="store_true", help="also time the claims component on its own")
    args = ap.parse_args(argv)
    if not (args.shared / "gold" / "claims-dev.jsonl").is_file():
        print(f"shared material not found at {args.shared}", file=sys.stderr)
        return 2
    t = time.perf_counter()
    nlp = load_pipeline()
    print(f"pipeline loaded in {time.perf_counter() - t:.1f}s: {', '.join(nlp.pipe_names)}")
    nlp(".")  # warm up
    sets = [("dev", args.shared / "gold" / "claims-dev.jsonl", dev_paths(args.shared)),
            ("extra", EXTRA, extra_paths(args.shared))]
    total_words, total_seconds, total_cpu = 0, 0.0, 0.0
    for label, gold_path, paths in sets:
        if args.only and label != args.only:
            continue
        gold = load_jsonl(gold_path)
        pred, n_words, seconds, cpu = predict(paths, nlp)
        total_words += n_words
        total_seconds += seconds
        total_cpu += cpu
        figures = score(gold, pred)
        print(f"\n== {label}: {gold_path.name}, {len(paths)} documents, {n_words:,} words, "
              f"{seconds:.1f}s wall ({n_words / seconds:,.0f} words/s), {cpu:.1f}s CPU "
              f"({n_words / cpu:,.0f} words per CPU-second)")
        print(report(figures))
        if args.errors:
            for miss in figures["missed"]:
                print(f"  missed: {miss}")
            for p in unmatched(gold, pred):
                print(f"  unmatched: {p['doc']} p{p['page']}:{p['line_start']} {p['subject']} {p['relation']} "
                      f"{p['object']} [{p['asserted_by']}/{p['posture']}/{p['polarity']}] {p['quote'][:100]}")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            with open(args.dump / f"pred-{label}.jsonl", "w", encoding="utf-8") as f:
                for p in pred:
                    f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if total_words:
        print(f"\nall: {total_words:,} words, {total_seconds:.1f}s wall = {total_words / total_seconds:,.0f} words/s, "
              f"{total_cpu:.1f}s CPU = {total_words / total_cpu:,.0f} words per CPU-second "
              "(spaCy pipeline + claims, one process; 2 cores run two documents at once)")
    if args.speed:
        words, base, ours = component_share(extra_paths(args.shared)[:2], nlp)
        print(f"\nspeed on {words:,} words: pipeline without claims {words / base:,.0f} words per CPU-second; "
              f"casebase_claims + extract_claims {words / ours:,.0f} words per CPU-second "
              f"({100 * ours / (base + ours):.1f}% of the total)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
