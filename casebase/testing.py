"""Generated fixtures for tests and benchmarks: pleading-paper PDFs of any
length, and a trial-transcript excerpt in page:line form.

A small hand-written PDF writer (Helvetica text at exact positions) so that
the expected page, line number and text of every line are known in advance.
"""

from __future__ import annotations

import random

WORDS = (
    "the court finds that plaintiff alleges defendant model outputs trained distilled "
    "OpenAI xAI Grok license agreement motion injunction evidence record deposition "
    "testimony exhibit declaration counsel witness pursuant order granted denied"
).split()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pleading_line(page: int, line: int) -> str:
    """The deterministic body text of a generated page and line."""
    rnd = random.Random(page * 1000 + line)
    return f"P{page}L{line} " + " ".join(rnd.choice(WORDS) for _ in range(9))


def pleading_pdf(pages: int, case: str = "4:24-cv-04722-YGR", document: str = "999",
                 filed: str = "03/04/25", page_id: int | None = None) -> bytes:
    """A pleading-paper filing: ECF stamp, margin numbers 1-28, body, footer.
    With `page_id`, the stamp also carries 'PageID.N' (N = page_id on page 1),
    as W.D. Mich. and other districts print it."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 1  # reserved below
    objects.append(b"")
    kids = []
    for p in range(1, pages + 1):
        ops = [f"BT /F1 9 Tf 130 770 Td (Case {case} Document {document} Filed {filed} "
               f"Page {p} of {pages}" + (f" PageID.{page_id + p - 1}" if page_id is not None else "")
               + ") Tj ET"]
        for n in range(1, 29):
            y = 712 - (n - 1) * 24
            ops.append(f"BT /F1 12 Tf 70 {y} Td ({n}) Tj ET")
            ops.append(f"BT /F1 12 Tf 100 {y} Td ({_escape(pleading_line(p, n))}) Tj ET")
        ops.append(f"BT /F1 8 Tf 100 30 Td (GENERATED ORDER - {p}) Tj ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, content)
        ))
    objects[pages_id - 1] = (
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
        + b"] /Count %d >>" % len(kids)
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)


# A trial transcript's pages as (printed page, lines). The shared corpus has no
# transcript of the trial testimony about Grok, only press reports of it, so
# the tests use this excerpt: its cover, witness call and Q./A. turns have the
# form of an N.D. Cal. reporter's transcript; its words are not a record.
TRIAL_PAGES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1790, (
        "UNITED STATES DISTRICT COURT",
        "NORTHERN DISTRICT OF CALIFORNIA",
        "BEFORE THE HONORABLE YVONNE GONZALEZ ROGERS, JUDGE",
        "ELON MUSK, et al.,                )",
        "            Plaintiffs,          )",
        "  vs.                            )   No. 4:24-cv-04722-YGR",
        "SAMUEL ALTMAN, et al.,           )",
        "            Defendants.          )",
        "                                 )   Oakland, California",
        "                                 )   Thursday, April 30, 2026",
        "REPORTER'S TRANSCRIPT OF PROCEEDINGS",
        "JURY TRIAL - VOLUME 9",
        "GENERATED TEST FIXTURE (casebase/testing.py): NOT A COURT RECORD",
    )),
    (1811, (
        "ELON MUSK,",
        "called as a witness for the Plaintiffs, having been previously",
        "sworn, testified further as follows:",
        "CROSS-EXAMINATION",
        "BY MR. SAVITT:",
        "Q.   Good morning, Mr. Musk.",
        "A.   Good morning.",
        "Q.   You founded xAI in 2023; correct?",
        "A.   Yes.",
    )),
    (1812, (
        "Q.   And xAI makes a chatbot called Grok?",
        "A.   That's right.",
        "Q.   Did xAI distill OpenAI's models to train Grok?",
        "A.   Partly.",
        "Q.   Partly. Thank you.",
        "THE COURT:  Next question, counsel.",
    )),
)


# A later page where a second (fictional) witness, already sworn, answers the
# same question the other way.
SECOND_WITNESS_PAGE = (1813, (
    "(JANE ROE, DEFENDANTS' WITNESS, PREVIOUSLY SWORN.)",
    "DIRECT EXAMINATION",
    "BY MS. LEE:",
    "Q.   Did xAI distill OpenAI's models?",
    "A.   No.",
))


def trial_transcript_text(second_witness: bool = False) -> str:
    """The trial excerpt as a pdftotext-style extraction: front matter, a form
    feed between pages, the printed page number on top and line numbers at
    the margin (25 lines a page); with `second_witness`, one more page."""
    head = (
        "SOURCE: generated by casebase/testing.py for tests; NOT a court record\n"
        "DATE: 2026-04-30\n"
        "CASE: Musk et al. v. Altman et al., No. 4:24-cv-04722-YGR (N.D. Cal.)\n"
        + "-" * 70 + "\n"
    )
    pages = []
    for number, lines in TRIAL_PAGES + ((SECOND_WITNESS_PAGE,) if second_witness else ()):
        rows = [f"{number:>72}"]
        rows += [f"{i:>2}   {text}" for i, text in enumerate(lines, 1)]
        rows += [f"{i:>2}" for i in range(len(lines) + 1, 26)]
        pages.append("\n".join(rows) + "\n")
    return head + "\f".join(pages)
