"""Entity extraction: precision and recall per label on hand-labelled mentions, and speed.

    .venv/bin/python benchmarks/entities_eval.py            # scores, then words/s
    .venv/bin/python benchmarks/entities_eval.py --errors   # also list misses and false hits
    .venv/bin/python benchmarks/entities_eval.py --no-speed

The labels (tests/data/entities-labelled.jsonl) were written by reading the
sentences, not from the pipeline's output. Every entity in a labelled
sentence is labelled, so a prediction in it that matches nothing is a false
hit. A mention is right when its character span and label both match.
Conventions: titles (Mr., Judge, The Honorable), a leading "the", possessive
"'s" and trailing punctuation are outside the span; corporate suffixes as
written are inside ("OpenAI, Inc."); pleading line numbers that the raw text
carries are left in the sentence (the pipeline must step over them).
Article sentences are stored as offsets into ../shared (digests are not copied
into the repo) and read from there.

Speed: the pipeline over the shared corpus text (filings-text and articles),
in chunks through nlp.pipe, with n_process 1 and 2.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casebase.extract.entities import extract_entities  # noqa: E402
from casebase.nlp import chunks, load_pipeline  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "entities-labelled.jsonl"
SHARED = ROOT.parent / "shared"
CORPUS_DIRS = ("filings-text", "articles")


def corpus_file(doc: str, shared: Path = SHARED) -> Path:
    for sub in CORPUS_DIRS:
        p = shared / "corpus" / sub / doc
        if p.exists():
            return p
    raise FileNotFoundError(f"{doc}: not in {shared}/corpus")


def load_labelled(path: Path = LABELLED, shared: Path = SHARED) -> list[dict]:
    """Sentences with their gold mentions: [{doc, text, gold: {(start, end, label): canonical}}]."""
    sentences: dict[tuple, dict] = {}
    texts: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("sentence") is not None:
            text = row["sentence"]
        else:
            doc = row["doc"]
            if doc not in texts:
                texts[doc] = corpus_file(doc, shared).read_text(encoding="utf-8")
            s, e = row["sentence_span"]
            text = " ".join(texts[doc][s:e].split())
        item = sentences.setdefault((row["doc"], text), {"doc": row["doc"], "text": text, "gold": {}})
        if row["mention"] is not None:
            assert text[row["start"] : row["end"]] == row["mention"], row
            item["gold"][(row["start"], row["end"], row["label"])] = row["canonical"]
    return list(sentences.values())


def score(sentences: list[dict], nlp=None) -> dict:
    """Per-label counts and the errors, comparing the pipeline with the labels."""
    nlp = nlp or load_pipeline(claims=False)
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    canon_ok = canon_all = 0
    errors: list[tuple[str, str, str, str]] = []
    docs = nlp.pipe([s["text"] for s in sentences], batch_size=32)
    for item, doc in zip(sentences, docs):
        pred = {(m.start, m.end, m.label): m.canonical for m in extract_entities(doc)}
        gold = item["gold"]
        for k, canon in pred.items():
            if k in gold:
                tp[k[2]] += 1
                canon_all += 1
                canon_ok += canon == gold[k]
                if canon != gold[k]:
                    errors.append(("canonical", k[2], item["text"][k[0] : k[1]], f"{canon} != {gold[k]}"))
            else:
                fp[k[2]] += 1
                errors.append(("false hit", k[2], item["text"][k[0] : k[1]], item["text"]))
        for k in gold:
            if k not in pred:
                fn[k[2]] += 1
                errors.append(("missed", k[2], item["text"][k[0] : k[1]], item["text"]))
    labels = sorted(set(tp) | set(fp) | set(fn))
    table = {}
    for label in labels:
        p_den, r_den = tp[label] + fp[label], tp[label] + fn[label]
        table[label] = {
            "tp": tp[label], "fp": fp[label], "fn": fn[label],
            "precision": tp[label] / p_den if p_den else 1.0,
            "recall": tp[label] / r_den if r_den else 1.0,
        }
    return {"labels": table, "canonical_accuracy": canon_ok / canon_all if canon_all else 1.0, "errors": errors}


def print_scores(result: dict) -> None:
    print(f"{'label':<12} {'gold':>5} {'pred':>5} {'prec':>6} {'recall':>6}")
    total = defaultdict(int)
    for label, r in result["labels"].items():
        print(f"{label:<12} {r['tp'] + r['fn']:>5} {r['tp'] + r['fp']:>5} {r['precision']:>6.3f} {r['recall']:>6.3f}")
        for k in ("tp", "fp", "fn"):
            total[k] += r[k]
    p = total["tp"] / max(1, total["tp"] + total["fp"])
    r = total["tp"] / max(1, total["tp"] + total["fn"])
    print(f"{'all':<12} {total['tp'] + total['fn']:>5} {total['tp'] + total['fp']:>5} {p:>6.3f} {r:>6.3f}")
    print(f"canonical name right on {result['canonical_accuracy']:.3f} of matched mentions")


def corpus_texts(shared: Path = SHARED) -> list[str]:
    """Chunks of every shared text document, as the ingest feeds them."""
    from casebase.records import Document, Line, Page

    out: list[str] = []
    for sub in CORPUS_DIRS:
        for path in sorted((shared / "corpus" / sub).glob("*")):
            if path.suffix not in (".md", ".txt"):
                continue
            doc = _parsed(path)
            if doc is None:  # parser not available: one page per form feed, one line per line
                raw = path.read_text(encoding="utf-8")
                doc = Document(str(path), "filing_text", [Page(i + 1, [Line(j + 1, t) for j, t in enumerate(p.split("\n"))]) for i, p in enumerate(raw.split("\f"))])
            out.extend(text for _, text in chunks(doc))
    return out


def _parsed(path: Path):
    try:
        from casebase.parse import parse_file

        return parse_file(path)
    except Exception:
        return None


def speed(texts: list[str], n_process: int, batch_size: int = 16, claims: bool = False) -> tuple[float, float]:
    """(words per wall-clock second, words per CPU-second summed over processes).

    The machine is shared: wall-clock figures fall with other load, CPU-second
    figures much less so; on two idle cores n_process=2 approaches twice the
    per-CPU-second figure."""
    nlp = load_pipeline(claims=claims)
    words = sum(len(t.split()) for t in texts)
    cpu0 = _cpu()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    wall = time.perf_counter() - start
    return words / wall, words / max(1e-9, _cpu() - cpu0)


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list every miss and false hit")
    ap.add_argument("--no-speed", action="store_true", help="skip the words/s measurement")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    sentences = load_labelled(LABELLED, args.shared)
    n = sum(len(s["gold"]) for s in sentences)
    print(f"{n} labelled mentions in {len(sentences)} sentences")
    result = score(sentences)
    print_scores(result)
    if args.errors:
        for kind, label, text, context in result["errors"]:
            print(f"  {kind:<10} {label:<10} {text!r:<30} | {context[:140]}")
    if not args.no_speed:
        texts = corpus_texts(args.shared)
        words = sum(len(t.split()) for t in texts)
        load = os.getloadavg()[0]
        print(f"speed over the shared corpus ({words:,} words in {len(texts)} chunks; load average {load:.1f} on {os.cpu_count()} cores):")
        for n_process in (1, 2):
            wall, cpu = speed(texts, n_process)
            print(f"  n_process={n_process}: {wall:,.0f} words/s wall clock, {cpu:,.0f} words per CPU-second")


if __name__ == "__main__":
    main()
