"""Generated fixtures: pleading-paper PDFs of any length, for tests and benchmarks.

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
                 filed: str = "03/04/25") -> bytes:
    """A pleading-paper filing: ECF stamp, margin numbers 1-28, body, footer."""
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
               f"Page {p} of {pages}) Tj ET"]
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
