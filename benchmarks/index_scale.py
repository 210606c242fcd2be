"""The vector index at 1k, 10k and 100k chunks: indexing throughput, query
latency, size on disk, peak memory. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/index_scale.py [--sizes 1000,10000,100000] [--real 2000]

1. Throughput, honestly: the sample corpus's chunks (topped up with generated
   legal prose to --real chunks) are embedded by the bare embedder and then
   indexed by `Index.sync` into a fresh store; chunks/s of both, and the
   ratio (target: sync at least 90% of the bare embedder).
2. Scale: each size runs in its own process (so peak memory is its own).
   Generated filings go through `store.save` with their chunks; embedding 100k
   chunks here would take about an hour, so sync runs with the vectors from
   step 1 reused (picked by text hash, plus small noise, renormalised) and the
   output says so. Timed: sync without embedding, a sync with nothing to do
   (what every ingest run pays) and a full id-by-id comparison, vector query p50/p95 after warm-up (the
   query text embedded for real), the same with a kind + date filter.

Honours $CASEBASE_CHROMA_URL (then the store's size is SQLite alone).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from casebase import store
from casebase.embed import get_embedder
from casebase.index import chunk_document, open_index, read_chunks, where_filter
from casebase.parse import parse_file
from casebase.records import Document, Line, Page

REPO = Path(__file__).resolve().parents[1]

QUERIES = [
    "Why did the court deny the motion for a preliminary injunction?",
    "Can newspaper articles be relied on as evidence of a boycott?",
    "Did OpenAI tell investors not to fund competitors such as xAI?",
    "What harm does xAI claim it will suffer without an injunction?",
    "Was there an interlocking directorate between Microsoft and OpenAI?",
    "Did Musk's donations create a charitable trust?",
    "What did Sutskever say about Altman's honesty?",
    "Which claims did the court dismiss with leave to amend?",
    "Is distillation of model outputs a breach of the terms of use?",
    "Did DeepSeek train on outputs of OpenAI models?",
    "When was the First Amended Complaint filed?",
    "What is the standard for a preliminary injunction in the Ninth Circuit?",
    "Who are the defendants named in the complaint?",
    "Does Musk have antitrust standing?",
    "What did the parties argue at the hearing on February 4, 2025?",
    "Did OpenAI breach its founding agreement by becoming a for-profit company?",
    "What counterclaims did OpenAI bring against Musk?",
    "Was the statute of limitations a bar to the claims?",
    "How much money did xAI raise from investors?",
    "What did the court say about an expedited trial on the core claims?",
]

PARTIES = ["Plaintiff Musk", "xAI", "OpenAI", "Microsoft", "Defendant Altman", "Brockman",
           "the OpenAI Defendants", "DeepSeek", "the nonprofit", "the Board", "Anthropic", "Apple"]
ACTS = ["alleges that", "contends that", "argues that", "concedes that", "denies that",
        "has not shown that", "offers no evidence that", "asserts in its opposition that"]
CLAIMS = [
    "the license agreement prohibited use of model outputs to train competing models",
    "the outputs of the model were distilled into a smaller system without authorization",
    "investors were told not to fund competitors as a condition of the funding round",
    "the charitable donations were made on the promise of an open-source nonprofit",
    "the transfer of intellectual property to the for-profit entity breached the trust",
    "the board observer seat gave access to competitively sensitive information",
    "the terms of use bar developing models that compete with the service",
    "the deposition testimony confirms repeated misstatements to the board",
    "the plaintiffs lack standing to seek relief on behalf of the company",
    "the market for generative AI exhibits strong network effects",
]
HOLDINGS = [
    "The Court finds that the record is insufficient at this stage.",
    "The motion is therefore DENIED.",
    "The request is GRANTED IN PART and DENIED IN PART.",
    "These are disputed questions of fact for the jury.",
    "Leave to amend is granted within twenty-one days of this Order.",
    "The evidence submitted in reply is properly disregarded.",
    "That argument does not persuade.",
]
CITES = [
    "Winter v. Nat. Res. Def. Council, Inc., 555 U.S. 7, 20 (2008).",
    "All. for the Wild Rockies v. Cottrell, 632 F.3d 1127, 1135 (9th Cir. 2011).",
    "Honey Bum, LLC v. Fashion Nova, Inc., 63 F.4th 813, 821 (9th Cir. 2023).",
    "15 U.S.C. § 1.",
    "Fed. R. Civ. P. 12(b)(6).",
]


def legal_sentence(rnd: random.Random) -> str:
    pick = rnd.random()
    if pick < 0.55:
        s = f"{rnd.choice(PARTIES)} {rnd.choice(ACTS)} {rnd.choice(CLAIMS)}."
    elif pick < 0.75:
        s = rnd.choice(HOLDINGS)
    elif pick < 0.9:
        s = f"See {rnd.choice(CITES)}"
    else:
        s = f"(Dkt. No. {rnd.randint(1, 400)} at {rnd.randint(1, 60)}; id. ¶ {rnd.randint(1, 300)}.)"
    return s


def legal_prose(rnd: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(legal_sentence(rnd))
    return " ".join(out)


KINDS = ("pdf", "filing_text", "transcript", "article")
CASES = ("4:24-cv-04722-YGR", "3:25-cv-08133", "1:25-cv-00123", "25-1689")


def synthetic_document(i: int, pages: int = 20) -> Document:
    """A generated filing: pleading pages of 28 lines, numbered paragraphs."""
    rnd = random.Random(i)
    doc = Document(path=f"synthetic/{i:06d}.txt", kind=KINDS[i % len(KINDS)],
                   case_number=CASES[i % len(CASES)],
                   date=f"{rnd.randint(2023, 2026)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                   parties=rnd.sample(PARTIES[:6], 2), title=f"Generated filing {i}")
    paragraph, left = 0, 0
    for p in range(1, pages + 1):
        words = legal_prose(rnd, 28 * 12).split()
        lines = []
        for n in range(1, 29):
            if left == 0:
                paragraph, left = paragraph + 1, rnd.randint(4, 16)
            left -= 1
            lines.append(Line(number=n, text=" ".join(words[(n - 1) * 12:n * 12]), paragraph=paragraph))
        doc.pages.append(Page(number=p, lines=lines, pdf_page=p))
    doc.sha256 = hashlib.sha256(doc.text.encode()).hexdigest()
    return doc


def ingest_docs(db, docs: Iterable[Document]) -> int:
    n = 0
    for doc in docs:
        chunks = chunk_document(doc)
        store.save(db, doc, chunks=chunks)
        n += len(chunks)
    return n


def timed_queries(fn: Callable[[str], object], queries: list[str], warmup: int = 3) -> tuple[float, float]:
    """Milliseconds at the 50th and 95th percentile of fn(query), after warm-up calls."""
    for q in queries[:warmup]:
        fn(q)
    times = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not
    inherited from the parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mib(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def load() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


# -- step 1: throughput on real text -----------------------------------------------


def throughput(n: int, work: Path, repeat: int = 1) -> Path:
    """Bare embedder vs Index.sync on the same n chunks; returns the saved vectors."""
    folder = work / "real"
    db = store.connect(folder)
    ids: list[str] = []
    real = 0
    corpus = REPO / "corpus"
    files = sorted(corpus.rglob("*.txt")) + sorted(corpus.rglob("*.md")) + sorted(corpus.rglob("*.pdf"))
    for f in files:
        if len(ids) >= n:
            break
        doc = parse_file(f)
        chunks = chunk_document(doc)
        store.save(db, doc, chunks=chunks)
        ids += [c.id for c in chunks]
    real = min(len(ids), n)
    i = 0
    while len(ids) < n:
        doc = synthetic_document(10**6 + i, pages=5)
        chunks = chunk_document(doc)
        store.save(db, doc, chunks=chunks)
        ids += [c.id for c in chunks]
        i += 1
    with store.transaction(db):
        db.executemany("DELETE FROM chunks WHERE id = ?", [(c,) for c in ids[n:]])
    chunks = read_chunks(db)
    texts = [c.text for c in chunks]
    embedder = get_embedder()
    tokens = [len(e.ids) for e in embedder._tokenizer.encode_batch(texts)]
    print(f"throughput set: {len(texts)} chunks ({real} from the sample corpus, the rest generated), "
          f"{statistics.mean(len(t.split()) for t in texts):.0f} words / {statistics.mean(tokens):.0f} tokens "
          f"mean (truncated at 256); {load()}")
    embedder.encode(texts[:32])  # warm-up

    def bare() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        vectors = [embedder.encode(texts[s:s + 256]) for s in range(0, len(texts), 256)]
        np.save(work / "vectors.npy", np.concatenate(vectors))
        return time.perf_counter() - start, time.process_time() - cpu

    def synced() -> tuple[float, float]:
        index = open_index(folder, collection=f"bench_{time.time_ns()}")
        start, cpu = time.perf_counter(), time.process_time()
        counts = index.sync(db)
        assert counts["added"] == len(texts)
        return time.perf_counter() - start, time.process_time() - cpu

    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "sync": []}
    for _ in range(repeat):  # alternated, so that a change in the machine's load hits both
        runs["bare"].append(bare())
        runs["sync"].append(synced())
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    n = len(texts)
    print(f"  bare embedder: {n / wall['bare']:.1f} chunks/s wall, {n / cpu['bare']:.1f} chunks/s per CPU-second "
          f"(best of {repeat})")
    print(f"  Index.sync:    {n / wall['sync']:.1f} chunks/s wall, {n / cpu['sync']:.1f} chunks/s per CPU-second")
    print(f"  sync / bare:   {wall['bare'] / wall['sync']:.0%} wall, {cpu['bare'] / cpu['sync']:.0%} CPU "
          f"(target >= 90%); {load()}")
    print(f"  query embedding alone: p50/p95 %.1f / %.1f ms" % timed_queries(embedder.embed_query, QUERIES))
    print(f"  peak memory so far: {peak_mib():.0f} MiB")
    return work / "vectors.npy"


# -- step 2: one size, in its own process ----------------------------------------------


class ReusedVectors:
    """Stands in for the embedder in sync: a real vector chosen by the text's
    hash, plus small noise, renormalised. Queries still embed for real."""

    def __init__(self, base: np.ndarray, noise: float = 0.03) -> None:
        self.base = base
        self.noise = noise

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.base.shape[1]), dtype=np.float32)
        for row, t in enumerate(texts):
            h = zlib.crc32(t.encode())
            v = self.base[h % len(self.base)] + np.random.default_rng(h).normal(0, self.noise, self.base.shape[1])
            out[row] = v / np.linalg.norm(v)
        return out


def scale(n: int, vectors: Path, work: Path) -> None:
    folder = work / f"n{n}"
    db = store.connect(folder)
    start = time.perf_counter()
    made, i = 0, 0
    while made < n:
        made += ingest_docs(db, [synthetic_document(i)])
        i += 1
    took_sql = time.perf_counter() - start
    index = open_index(folder)
    real = index.embedder
    index.embedder = ReusedVectors(np.load(vectors))
    start = time.perf_counter()
    counts = index.sync(db)
    took_sync = time.perf_counter() - start
    start = time.perf_counter()
    again = index.sync(db)
    took_noop = time.perf_counter() - start
    start = time.perf_counter()
    index.sync(db, full=True)
    took_full = time.perf_counter() - start
    index.embedder = real
    vec = timed_queries(lambda q: index.query(q, 10), QUERIES * 2)
    flt = timed_queries(lambda q: index.query(
        q, 10, where=where_filter(kind="filing_text", date_from="2024-01", date_to="2025-06")), QUERIES * 2)
    sqlite_mib = disk_mib(folder) - (disk_mib(folder / "chroma") if (folder / "chroma").exists() else 0)
    chroma_mib = disk_mib(folder / "chroma") if (folder / "chroma").exists() else 0.0
    print(f"{made:>7,} chunks ({i} generated filings): SQLite save with chunks {took_sql:.1f} s "
          f"({made / took_sql:,.0f} chunks/s)")
    print(f"         sync with reused vectors (not embedded: see above for embedding speed): "
          f"{took_sync:.1f} s = {made / took_sync:,.0f} chunks/s; counts {counts}")
    print(f"         sync with nothing to do: {took_noop:.2f} s ({again['added'] + again['updated']} written); "
          f"the same comparing every id with chroma (full=True, the path after a crash): {took_full:.2f} s")
    print(f"         vector query k=10: p50 {vec[0]:.1f} ms, p95 {vec[1]:.1f} ms; "
          f"with kind+date filter: p50 {flt[0]:.1f} ms, p95 {flt[1]:.1f} ms (after warm-up, {len(QUERIES) * 2} queries)")
    print(f"         on disk: SQLite {sqlite_mib:.0f} MiB, chroma {chroma_mib:.0f} MiB; "
          f"peak memory {peak_mib():.0f} MiB; {load()}", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--real", type=int, default=2000, help="chunks embedded for real in step 1")
    ap.add_argument("--repeat", type=int, default=1, help="alternating bare/sync runs in step 1")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--vectors", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        scale(args.child, Path(args.vectors), Path(args.work))
        return
    with tempfile.TemporaryDirectory(prefix="casebase-index-") as tmp:
        work = Path(tmp)
        print(f"{os.cpu_count()} CPUs; chroma at {os.environ.get('CASEBASE_CHROMA_URL') or 'the store folder'}")
        vectors = throughput(args.real, work, args.repeat)
        print(f"scale (each size in its own process; vectors reused from the {args.real} embedded above "
              "with noise, since embedding 100k chunks would take about an hour):")
        for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
            subprocess.run([sys.executable, __file__, "--child", str(n), "--vectors", str(vectors),
                            "--work", str(work)], check=True)


if __name__ == "__main__":
    main()
