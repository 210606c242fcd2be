"""Citation finding speed on the shared filings (text extractions and PDFs).

Prints, per document: characters, pages, citations found, and the best of
three warm runs of `find_citations` (plus eyecite alone, and eyecite with its
stock tokenizer for comparison).  Asserts nothing.

    .venv/bin/python benchmarks/citations_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2

from casebase.extract.citations import _flatten, _tokenizer, find_citations

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def pdf_text(path: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\f".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from eyecite import get_citations

    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((SHARED / "filings-text").glob("*"))]
    for name in ("cand_3-18-cv-05982_dkt198-1_brief.pdf", "cand_5-15-cv-02543_dkt440_redacted_order_MSJ.pdf"):
        docs.append((name, pdf_text(SHARED / "filings-pdf" / name)))
    find_citations("Id. at 5; 1 U.S. 1")  # load eyecite and build the tokenizer once
    print(f"{'document':60} {'chars':>8} {'pages':>5} {'cites':>5} {'all ms':>7} {'eyecite':>7} {'stock':>7}")
    for name, text in docs:
        pages = max(text.count("\f") + 1, len(set(__import__("re").findall(r"Page (\d+) of", text))))
        cites = find_citations(text)
        t_all = best(lambda: find_citations(text))
        flat = _flatten(text).text
        t_eye = best(lambda: get_citations(flat, tokenizer=_tokenizer()))
        t_stock = best(lambda: get_citations(flat), runs=1)
        print(
            f"{name[:60]:60} {len(text):8} {pages:5} {len(cites):5} "
            f"{t_all * 1000:7.0f} {t_eye * 1000:7.0f} {t_stock * 1000:7.0f}"
        )


if __name__ == "__main__":
    main()
