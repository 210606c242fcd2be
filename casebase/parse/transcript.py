"""Hearing and deposition transcripts: cite them as the court does, page:line.

A transcript filed as an exhibit has two page numbers: the PDF's (the ECF
stamp's "Page 7 of 62") and its own (128), printed in a corner or in the
reporter's footer. Lawyers cite the transcript's own, ``Sutskever Dep.
128:5``, so pages are renumbered to it and the PDF page is kept alongside.
Each line also gets its speaker (``Q``, ``A``, ``THE COURT``, ``MR. SAVITT``)
so that a quotation can say who said it.
"""

from __future__ import annotations

import re
from datetime import date

from ..records import Document, Page

_MARKER = re.compile(
    r"REPORTER['’]?S\s+TRANSCRIPT|TRANSCRIPT\s+OF\s+(?:PROCEEDINGS|HEARING|TRIAL)|DEPOSITION\s+OF\b"
    r"|Deposition\s+of\s+[A-Z]{2,}|P\s?R\s?O\s?C\s?E\s?E\s?D\s?I\s?N\s?G\s?S\s*$"
)
_DEPONENT = re.compile(r"\b((?:Videotaped\s+|Video\s+|Remote\s+|Oral\s+)?Deposition)\s+of\s+([A-Z][A-Z.'’\- ]+[A-Z])", re.I)
_LABEL = (
    r"THE\s+(?:COURT|WITNESS|CLERK|VIDEOGRAPHER|REPORTER|COURT\s+REPORTER|INTERPRETER|DEPONENT|BAILIFF|MARSHAL)"
    r"|(?:MR|MS|MRS|DR)\.\s+[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+)?"
    r"|ATTORNEY\s+[A-Z][A-Z'’\-]+"
    r"|JUROR(?:\s+NO\.)?\s*\d*"
)
_TURN = re.compile(r"^(?:(?P<qa>[QA])[.:](?:\s|$)|(?P<label>" + _LABEL + r")\s*:)")
_EXAMINER = re.compile(r"^BY\s+(?P<label>" + _LABEL + r")\s*:")
# A witness taking the stand: "ELON MUSK," then "called as a witness ...", or
# "(ELON MUSK, PLAINTIFFS' WITNESS, PREVIOUSLY SWORN)".
_WITNESS_NAME = r"(?P<name>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){1,3})"
_WITNESS_ALONE = re.compile(r"^" + _WITNESS_NAME + r",$")
_WITNESS_CALLED = re.compile(r"^(?i:called\s+as\s+a\s+witness|having\s+been\s+(?:first\s+|previously\s+|duly\s+)*sworn)")
_WITNESS_NOTE = re.compile(
    r"^\(?" + _WITNESS_NAME + r",\s+(?:(?:THE\s+)?(?:PLAINTIFFS?|DEFENDANTS?)['’]?S?['’]?\s+WITNESS|(?:PREVIOUSLY\s+)?SWORN)\b")
_TRIAL = re.compile(r"\b(?:JURY|BENCH|COURT)\s+TRIAL\b|\bTRANSCRIPT\s+OF\s+(?:JURY\s+)?TRIAL\b|\bTRIAL\s+TRANSCRIPT\b", re.I)
_VOLUME = re.compile(r"\bVOLUME\s+(\d{1,3}|[IVXL]{1,6})\b", re.I)
_MARK = re.compile(r"^[-–—=*_.\s]*(?:o0o|oOo|ooo)?[-–—=*_.\s]*$")  # "--o0o--", rules
_TIME = re.compile(r"^\s*(\d{1,2}:\d{2}:\d{2})\s+")
_FOOTER_PAGE = re.compile(r"\bPage\s+(\d{1,5})\s*$")
_LONE = re.compile(r"^\s*(\d{1,5})\s*$")
_WEEKDAY_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2}),\s+(\d{4})"
)
_MONTHS = ("January February March April May June July August September October November December").split()


def looks_like_transcript(doc: Document) -> bool:
    """A reporter's transcript: its cover says so, its pages run to 25
    numbered lines, and its lines open with speaker turns."""
    if doc.kind == "transcript":
        return True
    head = "\n".join(
        "\n".join([*p.header, *(l.text for l in p.lines[:60])]) for p in doc.pages[:5]
    )
    marker = bool(_MARKER.search(head))
    turns = sum(1 for p in doc.pages for l in p.lines if _TURN.match(l.text))
    numbered = [max(l.number for l in p.lines) for p in doc.pages if len(p.lines) >= 10]
    short = sum(1 for n in numbered if 15 <= n <= 26)
    share = short / len(numbered) if numbered else 0.0
    longest = max((l.number for p in doc.pages for l in p.lines), default=0)
    if marker and (share >= 0.5 or turns >= 20 or (turns >= 4 and longest <= 26)):
        return True  # the last: a short excerpt, a few turns on transcript-length pages
    return turns >= 50 and share >= 0.6


def printed_page(page: Page) -> int | None:
    """The transcript's own page number: a lone number in the running head
    (or after the ECF stamp on its line), else the reporter footer's "Page N"."""
    for text in page.header:
        flat = " ".join(text.split())
        if page.stamp and page.stamp.raw in flat:
            flat = flat.replace(page.stamp.raw, "").strip()
        m = _LONE.match(flat)
        if m:
            return int(m.group(1))
    for text in page.footer:
        m = _FOOTER_PAGE.search(text) or _LONE.match(text)
        if m:
            return int(m.group(1))
    return None


def as_transcript(doc: Document) -> Document:
    """Renumber pages to the transcript's own and mark speakers (in place).

    Pages with no transcript page of their own and none to infer (an exhibit
    slip sheet, the reporter's cover before page 1) are taken out of
    `pages`: their PDF page and text go to ``metadata["unpaged"]`` and a
    warning says so, so that a page number always means the transcript's.
    """
    doc.kind = "transcript"
    numbers = [printed_page(p) for p in doc.pages]
    if not any(n is not None for n in numbers):
        doc.warnings.append("no transcript page numbers found; pages are the PDF's")
        numbers = [p.pdf_page or p.number for p in doc.pages]
    footer_numbers = [_footer_page(p) for p in doc.pages]
    for page, head, foot in zip(doc.pages, numbers, footer_numbers):
        if head is not None and foot is not None and head != foot:
            doc.warnings.append(f"pdf page {page.pdf_page}: page number {head} at the top, {foot} in the footer")
    # A page before a numbered one is one less (a cover page is page 1).
    inferred = list(numbers)
    for i in range(len(inferred) - 2, -1, -1):
        if inferred[i] is None and inferred[i + 1] is not None:
            floor = next((n for n in reversed(inferred[:i]) if n is not None), 0)
            if inferred[i + 1] - 1 > floor:
                inferred[i] = inferred[i + 1] - 1
    kept: list[Page] = []
    unpaged: list[dict] = []
    for page, given, number in zip(doc.pages, numbers, inferred):
        pdf_page = page.pdf_page or page.number
        if number is None:
            unpaged.append({"pdf_page": pdf_page, "text": "\n".join(l.text for l in page.lines)})
            doc.warnings.append(f"pdf page {pdf_page}: no transcript page number (cover or slip sheet); "
                                "moved to metadata['unpaged']")
            continue
        if given is None:
            doc.metadata.setdefault("inferred_pages", []).append(number)
        if kept and number <= kept[-1].number:
            doc.warnings.append(f"pdf page {pdf_page}: transcript page {number} after page {kept[-1].number}")
        page.pdf_page = pdf_page
        page.number = number
        kept.append(page)
    if unpaged:
        doc.metadata["unpaged"] = unpaged
    if kept:
        doc.pages = kept
    _strip_times(doc)
    _mark_speakers(doc)
    _describe(doc)
    doc.assign_offsets()
    return doc


def _footer_page(page: Page) -> int | None:
    for text in page.footer:
        m = _FOOTER_PAGE.search(text)
        if m:
            return int(m.group(1))
    return None


def _strip_times(doc: Document) -> None:
    """Video time-stamps in a deposition's margin: out of the text, into
    ``metadata["timestamps"]`` keyed by transcript ``page:line``."""
    by_pdf = {p.pdf_page: p.number for p in doc.pages}
    times: dict[str, str] = {}
    found = doc.metadata.get("timestamps")  # the text parser's [pdf page, line, time]
    for pdf_page, line, stamp in found if isinstance(found, list) else []:
        if pdf_page in by_pdf:
            times[f"{by_pdf[pdf_page]}:{line}"] = stamp
    for page in doc.pages:
        for line in page.lines:
            m = _TIME.match(line.text)
            if m:
                times.setdefault(f"{page.number}:{line.number}", m.group(1))
                line.text = line.text[m.end():]
    if times:
        doc.metadata["timestamps"] = times
    else:
        doc.metadata.pop("timestamps", None)


def _mark_speakers(doc: Document) -> None:
    """Every line of a turn gets the turn's speaker; headings and the
    reporter's parentheticals get none; ``BY MR. X:`` names the examiner;
    "ELON MUSK, called as a witness ..." names the witness from there on
    (a trial hears many, so answers are each witness's own)."""
    current: str | None = None
    examinations: list[dict] = []
    witnesses: list[dict] = []
    flat = [(page, line) for page in doc.pages for line in page.lines]
    for i, (page, line) in enumerate(flat):
        line.paragraph = None
        line.footnote = False
        text = line.text.strip()
        called = _WITNESS_NOTE.match(text) or _WITNESS_ALONE.match(text)
        if called and (called.re is _WITNESS_NOTE or (
                i + 1 < len(flat) and _WITNESS_CALLED.match(flat[i + 1][1].text.strip()))):
            name = " ".join(w.capitalize() for w in called.group("name").split())
            witnesses.append({"page": page.number, "line": line.number, "witness": name})
        m = _TURN.match(text)
        if m:
            current = m.group("qa") or " ".join(m.group("label").split())
            line.speaker = current
            continue
        e = _EXAMINER.match(text)
        if e:
            examinations.append({"page": page.number, "line": line.number,
                                 "examiner": " ".join(e.group("label").split())})
            line.speaker = None
            continue
        if text.startswith("(") or not any(c.islower() for c in text) or _MARK.match(text):
            # "(Recess taken.)", "EXAMINATION", "--o0o--": the reporter's
            # words; a heading also ends the turn before it
            line.speaker = None
            if not text.startswith("("):
                current = None
            continue
        line.speaker = current
    doc.metadata.pop("paragraph_series", None)
    if examinations:
        doc.metadata["examinations"] = examinations
    if witnesses:
        doc.metadata["witnesses"] = witnesses


def _describe(doc: Document) -> None:
    """Title and date from the cover: deponent, day of the proceeding."""
    cover = "\n".join(l.text for p in doc.pages[:3] for l in p.lines)
    m = _DEPONENT.search(cover)
    if m:
        words = m.group(1).split()
        kind = " ".join(w.capitalize() for w in words)
        doc.title = f"{kind} of {' '.join(w.capitalize() for w in m.group(2).split())}"
        doc.metadata.setdefault("deponent", m.group(2).strip())
    elif _TRIAL.search(cover):
        doc.metadata["proceeding"] = "trial"
        volume = _VOLUME.search(cover)
        doc.title = "Trial Transcript" + (f", Vol. {volume.group(1)}" if volume else "")
    d = _WEEKDAY_DATE.search(cover)
    if d:
        when = date(int(d.group(3)), _MONTHS.index(d.group(1)) + 1, int(d.group(2))).isoformat()
        doc.metadata["proceeding_date"] = when
        doc.date = when
