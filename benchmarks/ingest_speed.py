"""Parsing speed and peak memory: the shared court PDFs and a generated
1,000-page pleading-paper filing; then a whole ingest of that filing
(parse, spaCy extraction, chunks, embeddings, SQLite, vector index).
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/ingest_speed.py              # OCR of scanned pages when Tesseract is installed
    CASEBASE_OCR=0 .venv/bin/python benchmarks/ingest_speed.py   # the text layer alone
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from casebase import store
from casebase.ingest import ingest
from casebase.parse import ocr
from casebase.parse.pdf import parse_pdf
from casebase.testing import pleading_line, pleading_pdf

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "filings-pdf"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_folder(folder: Path) -> None:
    files = sorted(folder.glob("*.pdf"))
    start = time.perf_counter()
    pages = text_pages = 0
    for f in files:
        doc = parse_pdf(f.read_bytes(), f.name)
        pages += doc.page_count
        text_pages += sum(not p.needs_ocr for p in doc.pages)
    took = time.perf_counter() - start
    how = "with Tesseract OCR of the scanned pages" if ocr.available() else "text layer only, no OCR"
    print(f"shared filings-pdf: {len(files)} files, {pages} pages ({text_pages} with text) "
          f"in {took:.2f} s = {pages / took:.0f} pages/s, {text_pages / took:.0f} text pages/s (1 process, {how})")


def parse_generated(n: int) -> None:
    data = pleading_pdf(n)
    start = time.perf_counter()
    doc = parse_pdf(data, "generated.pdf")
    took = time.perf_counter() - start
    ok = sum(l.text == pleading_line(p.number, l.number) for p in doc.pages for l in p.lines)
    print(f"generated pleading paper: {n} pages in {took:.2f} s = {n / took:.0f} pages/s; "
          f"{ok}/{n * 28} lines with the right printed number and text")


def ingest_end_to_end(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "in")
        folder.mkdir()
        for i in range(4):
            (folder / f"f{i}.pdf").write_bytes(pleading_pdf(n // 4, document=str(i + 1)))
        db = store.connect(Path(tmp, "s"))
        start = time.perf_counter()
        ingest([folder], db, workers=2)
        took = time.perf_counter() - start
        size = sum(f.stat().st_size for f in Path(tmp, "s").iterdir()) / 2**20
        print(f"whole ingest (parse, extraction, chunks, embeddings; 2 processes): {n} pages in {took:.2f} s = "
              f"{n / took:.0f} pages/s; store {size:.1f} MiB")


if __name__ == "__main__":
    if SHARED.exists():
        parse_folder(SHARED)
    else:
        print(f"skipped shared corpus: {SHARED} not found", file=sys.stderr)
    parse_generated(1000)
    print(f"peak memory of parsing (this process): {peak_mib():.0f} MiB", flush=True)
    ingest_end_to_end(1000)
    print(f"peak memory after the whole ingest, models loaded (this process): {peak_mib():.0f} MiB")
