"""Optional OCR for pages without a usable text layer, with Tesseract.

Used only where the `tesseract` program is installed and CASEBASE_OCR is not
"0". Recognised pages stay flagged `needs_ocr` (their text did not come from
the file) and carry a warning, so a reader knows to check the image.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pypdfium2 as pdfium

from ..records import Line, Page

DPI = 300


def available() -> bool:
    return os.environ.get("CASEBASE_OCR", "1") != "0" and shutil.which("tesseract") is not None


def recognise(pdf_page: pdfium.PdfPage, page: Page) -> str | None:
    """Fill an empty page's lines from Tesseract; returns a warning, or None
    when OCR is unavailable or found no text."""
    if not available():
        return None
    image = pdf_page.render(scale=DPI / 72, grayscale=True).to_pil()
    from io import BytesIO

    buf = BytesIO()
    image.save(buf, format="PNG")
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "--dpi", str(DPI), "-l", "eng"],
            input=buf.getvalue(), capture_output=True, timeout=120, check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return f"page {page.number}: OCR failed (Tesseract)"
    text = result.stdout.decode("utf-8", errors="replace")
    lines = [" ".join(l.split()) for l in text.splitlines() if l.strip()]
    if not lines:
        return None
    stamp_text = set(page.header)
    page.lines = [Line(number=i, text=t) for i, t in enumerate(
        (t for t in lines if t not in stamp_text), 1)]
    return f"page {page.number}: text recognised by OCR (Tesseract); check it against the image"
