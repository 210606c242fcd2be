"""PDF filings: text lines with their printed pleading-paper line numbers.

pypdfium2 gives the page text in content order, broken into segments where
the baseline changes, and a box for every character. That is all it takes to
rebuild visual lines and to give each the margin number whose vertical
centre is nearest, at about 40x the speed of pdfplumber's word extraction.
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field

import pypdfium2 as pdfium

from ..records import Document, Line, Page, ParseError, Stamp
from . import ocr
from .ecf import find_stamp, find_stamps
from .filing import PAGE_NUMBER

_SOFT_HYPHEN = "\ufffe"  # pdfium's mark for a word hyphenated at the line end
_NUMBER = re.compile(r"\s*(\d{1,2})\s*")
_LEADING_NUMBER = re.compile(r"(\s*)(\d{1,2})(\s+)(?=\S)")
_SCANNED_LETTERS = 40  # fewer letters than this over an image: a scan with a stamp
_SPACE = re.compile(r"\s")
_BAD_GLYPH = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufffd]")
_LETTER = re.compile(r"[^\W\d_]")
_GARBLED_SHARE = 0.3  # share of control or private-use glyphs that marks a broken font
_OUTSIDE = 0.6  # line spacings beyond the first/last margin number: page furniture


@dataclass
class Segment:
    """A run of text on one baseline, with its box (PDF points, origin bottom left)."""

    text: str
    left: float
    right: float
    bottom: float
    top: float
    index: int = 0  # the text page's index of the first character

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class VisualLine:
    segments: list[Segment]
    overprints: list[Segment] = field(default_factory=list)  # second text layers, kept apart

    @property
    def middle(self) -> float:
        segs = self.segments
        return sum(s.top + s.bottom for s in segs) / (2 * len(segs))

    @property
    def left(self) -> float:
        return min(s.left for s in self.segments)

    @property
    def text(self) -> str:
        parts = [s.text.strip() for s in sorted(self.segments, key=lambda s: s.left)]
        return " ".join(" ".join(p for p in parts if p).split())


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """Open a PDF or raise a ParseError saying why it cannot be read."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        head = data[:512].lstrip().lower()
        what = "HTML" if head.startswith((b"<!doctype html", b"<html", b"<head")) else "not a PDF"
        raise ParseError(f"{name}: file ends in .pdf but is {what}")
    if b"%%EOF" not in data.rstrip(b"\x00 \t\r\n")[-4096:]:  # some courts pad with NULs
        raise ParseError(f"{name}: truncated PDF (no end-of-file marker)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ParseError(f"{name}: encrypted PDF (password required)") from None
        raise ParseError(f"{name}: corrupt or truncated PDF ({message})") from None


def segments(textpage: pdfium.PdfTextPage) -> tuple[list[Segment], list[Segment]]:
    """Horizontal text segments, and vertical ones (rotated sidebars) apart."""
    count = textpage.count_chars()
    if count <= 0:
        return [], []
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        # Some glyphs have no text (broken fonts): read code by code so that
        # string positions stay character indices.
        raw = pdfium.raw.FPDFText_GetUnicode
        text = "".join(chr(raw(textpage.raw, i) or 0xFFFD) for i in range(count))
    flat: list[Segment] = []
    vertical: list[Segment] = []
    seen: dict[str, list[Segment]] = {}
    pos = 0
    for raw in text.split("\r\n"):
        start, end = pos, pos + len(raw)
        pos = end + 2
        if not raw.strip() or end > count:
            continue
        first = start + (len(raw) - len(raw.lstrip()))
        last = start + len(raw.rstrip()) - 1
        l0, b0, r0, t0 = textpage.get_charbox(first, loose=True)
        l1, b1, r1, t1 = textpage.get_charbox(last, loose=True)
        height = max(t0 - b0, t1 - b1, 1.0)
        if abs((t0 + b0) - (t1 + b1)) / 2 > 0.5 * height:
            pieces, upright = _split_baselines(textpage, raw, start)
            if not upright:
                vertical.append(Segment(raw.replace(_SOFT_HYPHEN, "-"), min(l0, l1), max(r0, r1),
                                        min(b0, b1), max(t0, t1)))
                continue
        else:
            pieces = [Segment(raw, min(l0, l1), max(r0, r1), min(b0, b1), max(t0, t1), start)]
        for seg in pieces:
            seg.text = seg.text.replace(_SOFT_HYPHEN, "-")
            twins = seen.setdefault(seg.text.strip(), [])
            if any(abs(t.left - seg.left) < 3 and abs(t.bottom - seg.bottom) < 3 for t in twins):
                continue  # the same text drawn twice or thrice over itself
            twins.append(seg)
            flat.extend(_split_leading_number(textpage, seg))
    return flat, vertical


def _split_baselines(textpage: pdfium.PdfTextPage, raw: str, start: int) -> tuple[list[Segment], bool]:
    """Cut a run that pdfium returned whole although it covers several printed
    lines (hyphenated breaks, adjacent footnotes). A rotated run changes
    baseline at nearly every character: then it is not upright."""
    boxes = [textpage.get_charbox(start + i, loose=True) for i in range(len(raw))]
    solid = [i for i, c in enumerate(raw) if not c.isspace()]
    cuts = [0]
    for prev, cur in zip(solid, solid[1:]):
        a, b = boxes[prev], boxes[cur]
        h = max(a[3] - a[1], b[3] - b[1], 1.0)
        if abs((a[1] + a[3]) - (b[1] + b[3])) / 2 > 0.5 * h:
            cuts.append(prev + 1)
    cuts.append(len(raw))
    pieces = []
    for begin, end in zip(cuts, cuts[1:]):
        b = [boxes[j] for j in range(begin, end) if not raw[j].isspace()]
        if b:
            pieces.append(Segment(raw[begin:end], min(x[0] for x in b), max(x[2] for x in b),
                                  min(x[1] for x in b), max(x[3] for x in b), start + begin))
    return pieces, len(cuts) - 2 < max(len(solid) / 3, 1)


def _split_leading_number(textpage: pdfium.PdfTextPage, seg: Segment) -> list[Segment]:
    """Cut a margin number off the text it was drawn with ("7 The Court ...")."""
    raw, start = seg.text, seg.index
    m = _LEADING_NUMBER.match(raw)
    if not m:
        return [seg]
    num_last = start + m.end(2) - 1
    rest_first = start + m.end(3)
    nl, nb, nr, nt = textpage.get_charbox(num_last, loose=True)
    rl, rb, rr, rt = textpage.get_charbox(rest_first, loose=True)
    if rl - nr < 1.5 * max(nr - nl, 4.0):  # an ordinary space: the number is text
        return [seg]
    number = Segment(m.group(2), seg.left, nr, seg.bottom, seg.top, start + m.start(2))
    rest = Segment(raw[m.end(3):], rl, seg.right, seg.bottom, seg.top, rest_first)
    return [number, rest]


def visual_lines(segs: list[Segment]) -> list[VisualLine]:
    """Group segments whose vertical centres agree into lines, top to bottom."""
    lines: list[VisualLine] = []
    middle = shortest = 0.0
    for seg in sorted(segs, key=lambda s: -s.middle):
        if lines:
            tolerance = 0.45 * min(seg.height, shortest)
            if abs(middle - seg.middle) <= max(tolerance, 1.0):
                last = lines[-1]
                last.segments.append(seg)
                middle, shortest = last.middle, min(shortest, seg.height)
                continue
        lines.append(VisualLine([seg]))
        middle, shortest = seg.middle, seg.height
    for line in lines:
        kept = _drop_overprints(line.segments)
        line.overprints = [s for s in line.segments if s not in kept]
        line.segments = kept
    return _attach_superscripts(lines)


def _drop_overprints(segs: list[Segment]) -> list[Segment]:
    """Text never overprints text on one line: a segment lying mostly over
    one already kept is a second text layer of the same words."""
    kept: list[Segment] = []
    for seg in sorted(segs, key=lambda s: (s.left, -(s.right - s.left))):
        width = max(seg.right - seg.left, 0.1)
        if any(min(k.right, seg.right) - max(k.left, seg.left) > 0.5 * width for k in kept):
            continue
        kept.append(seg)
    return kept


def _attach_superscripts(lines: list[VisualLine]) -> list[VisualLine]:
    """A footnote mark set above the baseline forms a 'line' of its own: give
    it back to the line it is printed on (the next one down)."""
    if len(lines) < 2:
        return lines
    normal = statistics.median(s.height for l in lines for s in l.segments)
    out: list[VisualLine] = []
    for i, line in enumerate(lines):
        marks = all(len(s.text.strip()) <= 3 and s.text.strip().isdigit()
                    and s.height < 0.85 * normal for s in line.segments)
        below = lines[i + 1] if i + 1 < len(lines) else None
        if marks and below is not None and line.middle - below.middle < 1.2 * normal:
            below.segments.extend(line.segments)
            continue
        out.append(line)
    return out


def margin_numbers(segs: list[Segment], width: float) -> list[tuple[int, Segment]]:
    """The pleading-paper (or transcript) line numbers, top to bottom.

    Candidates are bare numbers in the left quarter of the page, in one
    column, rising down the page; fewer than five is not a numbered page.
    """
    cands = [
        s for s in segs
        if _NUMBER.fullmatch(s.text) and s.right < width * 0.25 and 0 < int(s.text) <= 35
    ]
    if len(cands) < 5:
        return []
    column = statistics.median(s.right for s in cands)
    cands = [s for s in cands if abs(s.right - column) < 8]
    cands.sort(key=lambda s: -s.middle)
    chain: list[tuple[int, Segment]] = []
    for s in cands:
        n = int(s.text)
        if not chain or n > chain[-1][0]:
            chain.append((n, s))
    return chain if len(chain) >= 5 else []


def is_garbled(text: str) -> bool:
    """Broken font encodings come out as control or private-use characters."""
    solid = len(text) - len(_SPACE.findall(text))
    return solid >= 20 and len(_BAD_GLYPH.findall(text)) / solid > _GARBLED_SHARE


def _pick_stamp(texts: list[str]) -> tuple[Stamp | None, set[int]]:
    """The ECF stamp among the page's top lines; the newest wins where a
    re-filed page carries two (the old one shows through)."""
    found = [(stamp, i) for i, t in enumerate(texts) for stamp in find_stamps(t)]
    if not found:
        # a stamp broken over two lines
        for i in range(len(texts) - 1):
            stamp = find_stamp(texts[i] + " " + texts[i + 1])
            if stamp:
                return stamp, {i, i + 1}
        return None, set()
    best = max(found, key=lambda f: (f[0].filed or "", f[1]))[0]
    return best, {i for _, i in found}


def parse_page(pdf_page: pdfium.PdfPage, number: int) -> tuple[Page, list[str]]:
    """One PDF page to a Page of body lines; returns the page and its warnings."""
    width, height = pdf_page.get_size()
    textpage = pdf_page.get_textpage()
    try:
        segs, vertical = segments(textpage)
    finally:
        textpage.close()
    page = Page(number=number, pdf_page=number)
    page.header.extend(" ".join(v.text.split()) for v in vertical)
    warnings: list[str] = []

    chain = [(n, seg.middle) for n, seg in margin_numbers(segs, width)]
    margin_ids = {id(seg) for _, seg in margin_numbers(segs, width)} if chain else set()
    lines = visual_lines([s for s in segs if id(s) not in margin_ids])

    # ECF stamp: among the lines in the top tenth of the page.
    top = [i for i, l in enumerate(lines) if l.middle > height * 0.88]
    # (an old stamp showing through a re-filed page is an overprint: read it too)
    stamp, stamp_rows = _pick_stamp([" ".join(s.text for s in lines[i].segments + lines[i].overprints)
                                     for i in top])
    stamp_rows = {top[i] for i in stamp_rows}
    page.stamp = stamp
    for i in sorted(stamp_rows):
        page.header.append(lines[i].text)
    lines = [l for i, l in enumerate(lines) if i not in stamp_rows]

    body_text = " ".join(l.text for l in lines)
    if is_garbled(body_text):
        page.needs_ocr = True
        warnings.append(f"page {number}: garbled font encoding, text not indexed (needs OCR)")
        _ocr(pdf_page, page, warnings)
        return page, warnings

    if chain:
        spacing = statistics.median(
            abs(a[1] - b[1]) / max(b[0] - a[0], 1) for a, b in zip(chain, chain[1:])
        )
        first, last = chain[0][1], chain[-1][1]
        for line in lines:
            mid = line.middle
            # Folios and running footers sit lower than a footnote's second line
            # (measured: 0.35-0.46 of a line below the last number).
            if mid > first + _OUTSIDE * spacing:
                page.header.append(line.text)
            elif mid < last - _OUTSIDE * spacing or (
                    mid < last + 0.5 * spacing and PAGE_NUMBER.match(line.text)):  # the folio
                page.footer.append(line.text)
            else:
                n = _nearest(chain, mid)
                page.lines.append(Line(number=n, text=line.text))
    else:
        for line in lines:
            if line.middle < height * 0.10 and PAGE_NUMBER.match(line.text):
                page.footer.append(line.text)
            else:
                page.lines.append(Line(number=len(page.lines) + 1, text=line.text))

    if not page.lines:
        page.needs_ocr = True
        warnings.append(f"page {number}: no text layer (scanned; needs OCR)")
        _ocr(pdf_page, page, warnings)
    elif (sum(len(l.text) for l in page.lines) < 20 * _SCANNED_LETTERS
          and len(_LETTER.findall(" ".join(l.text for l in page.lines))) < _SCANNED_LETTERS
          and _has_image(pdf_page)):
        page.needs_ocr = True
        warnings.append(f"page {number}: little text over an image (scanned; needs OCR)")
        _ocr(pdf_page, page, warnings)
    return page, warnings


def _ocr(pdf_page: pdfium.PdfPage, page: Page, warnings: list[str]) -> None:
    note = ocr.recognise(pdf_page, page)
    if note:
        warnings.append(note)


def _nearest(chain: list[tuple[int, float]], middle: float) -> int:
    """The margin number whose vertical centre is nearest (chain runs top down)."""
    ys = [-c for _, c in chain]
    i = bisect.bisect_left(ys, -middle)
    near = [j for j in (i - 1, i) if 0 <= j < len(chain)]
    return chain[min(near, key=lambda j: abs(chain[j][1] - middle))][0]


def _has_image(pdf_page: pdfium.PdfPage) -> bool:
    return any(True for _ in pdf_page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def parse_pdf(data: bytes, name: str) -> Document:
    """A PDF filing to a Document of pdf pages (kind `pdf`)."""
    pdf = open_pdf(data, name)
    try:
        doc = Document(path=name, kind="pdf")
        for i in range(len(pdf)):
            pdf_page = pdf[i]
            try:
                page, warnings = parse_page(pdf_page, i + 1)
            finally:
                pdf_page.close()
            doc.pages.append(page)
            doc.warnings.extend(warnings)
    finally:
        pdf.close()
    if not doc.pages:
        raise ParseError(f"{name}: PDF has no pages")
    return doc
