"""Text extractions of court filings (``pdftotext -layout`` output).

Two wrappers are read: RECAP-style Markdown (YAML front matter, a ``#``
heading, the docket text quoted, a ``---`` rule) and plain text with
``SOURCE:``/``DATE:``/``CASE:`` header lines closed by a rule of dashes. The
body keeps the PDF's pages (form feeds, ECF stamp lines) and the printed
pleading or transcript line numbers at the left margin; those numbers become
`Line.number` so that a text extraction cites exactly like the PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import yaml

from ..records import Document, Line, Page, ParseError, Stamp
from .ecf import STAMP_START, find_stamp

_RULE = re.compile(r"^-{5,}\s*$")
_HEADER_LINE = re.compile(r"^([A-Z][A-Z /&-]{0,30}[A-Z]):(?:\s+(.*))?$")
_MARGIN = re.compile(r"^(\s*)(\d{1,2})(?:\s+(\S.*))?\s*$")
_TIME = re.compile(r"^(\s*)(\d{1,2}:\d{2}:\d{2})(\s+)(?=\d{1,2}(?:\s|$))")
_LONE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_NUMBERED_LINE = re.compile(r"^\s{0,40}\d{1,2}(?:\s{2,}\S|\s*$)")
_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_LOOSE_DATE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DKT_TITLE = re.compile(r"\bDkt\.\s*[\d-]+\s*[-=–]\s*(.+?)(?:\s*\(Judge [^)]*\))?(?:,\s*\d+\s*pp\.)?\s*$")

# A margin number this many columns off the page's margin column is text.
_COLUMN_SLACK = 2
# Fewer margin numbers than this: the page is not on numbered paper.
_MIN_MARGIN_NUMBERS = 5


@dataclass
class _RawPage:
    """Raw layout lines of one PDF page and what its stamp line said."""

    lines: list[str] = field(default_factory=list)
    stamp: Stamp | None = None
    header: list[str] = field(default_factory=list)


def is_filing(text: str) -> bool:
    """Tell a filing's text extraction from an article with header lines.

    A filing has front matter naming a docket entry, an ECF stamp on a line of
    its own, or many lines that start with a pleading-paper line number.
    """
    meta, _, body = split_source(text)
    if "docket_entry" in meta:
        return True
    lines = body.splitlines()
    if any(_stamp_line(line) for line in lines[:20000]):
        return True
    nonblank = [l for l in lines if l.strip()]
    numbered = sum(1 for l in nonblank if _NUMBERED_LINE.match(l))
    return numbered >= 30 and numbered >= 0.25 * len(nonblank)


def split_source(text: str) -> tuple[dict, dict, str]:
    """Split the wrapper from the extraction: (metadata, preamble, body).

    `metadata` holds front matter or ``KEY: value`` header fields; `preamble`
    what a Markdown wrapper says before its ``---`` rule (heading, docket
    line, quoted docket text). Never raises: bad front matter is left in the
    metadata as ``front_matter_error``.
    """
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    meta: dict = {}
    preamble: dict = {}
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() == "---"), None)
        if end is not None:
            try:
                loaded = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError as exc:
                loaded = None
                meta["front_matter_error"] = " ".join(str(exc).split())
            if isinstance(loaded, dict):
                meta.update({str(k): v for k, v in loaded.items()})
            start = end + 1
            start = _skip_markdown_preamble(lines, start, preamble)
    else:
        i = 0
        fields: dict = {}
        key = None
        while i < min(len(lines), 60):
            line = lines[i]
            m = _HEADER_LINE.match(line)
            if m:
                key = m.group(1).lower().replace(" ", "_").replace("-", "_")
                fields[key] = (m.group(2) or "").strip()
            elif _RULE.match(line) and fields:
                meta.update(fields)
                start = i + 1
                break
            elif key and line.strip() and line[:1].isspace():
                fields[key] += " " + line.strip()  # folded header value
            else:
                break
            i += 1
        if "source" in meta and str(meta["source"]).startswith("http"):
            meta.setdefault("source_url", meta["source"])
    return meta, preamble, "\n".join(lines[start:])


def _skip_markdown_preamble(lines: list[str], start: int, preamble: dict) -> int:
    """The Markdown wrapper's heading, docket line and quote, up to its rule."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not lines[i].startswith("# "):
        return start
    rule = next((j for j in range(i, min(len(lines), i + 80)) if lines[j].strip() == "---"), None)
    if rule is None:
        return start
    quote: list[str] = []
    for line in lines[i:rule]:
        s = line.strip()
        if s.startswith("# "):
            preamble["heading"] = s[2:].strip()
        elif s.startswith(">"):
            quote.append(s.lstrip("> ").strip())
        elif s:
            preamble.setdefault("notes", []).append(s.replace("**", ""))
    if quote:
        preamble["docket_text"] = " ".join(q for q in quote if q)
    return rule + 1


def _stamp_line(line: str) -> Stamp | None:
    """The ECF stamp when `line` is a stamp line (not a citation in prose)."""
    if not STAMP_START.match(line):
        return None
    stamp = find_stamp(line)
    if stamp is None:
        return None
    rest = " ".join(line.split()).replace(stamp.raw, "")
    return stamp if len(rest.strip()) <= 40 else None


def split_pages(body: str) -> list[_RawPage]:
    """PDF pages: a form feed or an ECF stamp line starts a new one."""
    pages: list[_RawPage] = []
    for chunk in body.split("\f"):
        page = _RawPage()
        for line in chunk.split("\n"):
            stamp = _stamp_line(line)
            if stamp is not None:
                if page.stamp is not None or any(l.strip() for l in page.lines):
                    pages.append(page)
                    page = _RawPage()
                page.stamp = stamp
                page.header.append(" ".join(line.split()))
                continue
            page.lines.append(line.rstrip())
        pages.append(page)
    # blank leftovers (a trailing form feed, text before the first stamp that
    # is only whitespace) are not pages
    return [p for p in pages if p.stamp is not None or any(l.strip() for l in p.lines)]


def _margin_candidates(lines: list[str]) -> list[tuple[int, int, int, str]]:
    """(index, number, column, rest) for lines that start with a small number."""
    out = []
    for i, line in enumerate(lines):
        m = _MARGIN.match(line)
        if m:
            out.append((i, int(m.group(2)), len(m.group(1)), m.group(3) or ""))
    return out


def number_lines(raw: list[str]) -> tuple[list[Line], list[str], list[tuple[int, str]]]:
    """Body lines with their printed margin numbers; header lines; margin times.

    The margin column is the one most margin-like numbers share; a number
    counts only there and only if it rises from the previous one, so a
    footnote mark, a centred page number or a year starting a line stays text.
    Unnumbered lines take the number above them (pdftotext puts a number on
    its own line when it sits between two text baselines).
    """
    times: dict[int, str] = {}
    lines = []
    for i, line in enumerate(raw):
        m = _TIME.match(line)
        if m:
            times[i] = m.group(2)
            line = m.group(1) + " " * (len(m.group(2)) + len(m.group(3))) + line[m.end():]
        lines.append(line)
    cands = _margin_candidates(lines)
    chain: dict[int, tuple[int, str]] = {}
    if len(cands) >= _MIN_MARGIN_NUMBERS:
        column = Counter(c for _, _, c, _ in cands).most_common(1)[0][0]
        last = 0
        for i, n, col, rest in cands:
            if abs(col - column) <= _COLUMN_SLACK and last < n <= last + 10:
                chain[i] = (n, rest)
                last = n
        if len(chain) < _MIN_MARGIN_NUMBERS:
            chain = {}
    body: list[Line] = []
    header: list[str] = []
    margin_times: list[tuple[int, str]] = []
    if not chain:
        for i, line in enumerate(lines):
            if line.strip():
                body.append(Line(number=len(body) + 1, text=" ".join(line.split())))
        return body, header, margin_times
    first = min(chain)
    # Text just above the first number (no blank line between) is a body line
    # printed a little high, e.g. an indented quotation carried over; other
    # text above the first number is the running head.
    lead = first
    while lead > 0 and lines[lead - 1].strip() and not _LONE_NUMBER.match(lines[lead - 1]):
        lead -= 1
    for i in range(first):
        if lines[i].strip() and i < lead:
            header.append(" ".join(lines[i].split()))
    current = chain[first][0]
    for i in range(lead, len(lines)):
        if i in chain:
            current, text = chain[i]
            if i in times:
                margin_times.append((current, times[i]))
        else:
            text = lines[i]
        if text.strip():
            body.append(Line(number=current, text=" ".join(text.split())))
    return body, header, margin_times


_CLOSING_NOTE = re.compile(r"\n[ \t]*(\[(?:excerpt|end|text|extraction|remaining|truncated|omitted)\b[^\]\n]*\])\s*$", re.I)


def _split_closing_note(body: str) -> tuple[str, str | None]:
    """An editor's closing note ("[excerpt ends; ...]") is not page text."""
    m = _CLOSING_NOTE.search(body)
    if not m:
        return body, None
    return body[: m.start()], m.group(1)


def _loose_date(value: object) -> str | None:
    """``Aug. 5, 2024, 12:38 a.m.`` or ``2025-03-04 (filed; ...)`` to ISO."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "")
    m = _ISO_DATE.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    m = _LOOSE_DATE.search(text)
    if m and m.group(1)[:3].lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2))).isoformat()
        except ValueError:
            return None
    return None


def _title_from_metadata(meta: dict, preamble: dict) -> str | None:
    if meta.get("doc_label"):
        return str(meta["doc_label"])
    case = str(meta.get("case") or "")
    m = _DKT_TITLE.search(case)
    if m:
        return m.group(1).strip()
    return preamble.get("heading") or (case or None)


def parse_filing_text(text: str, name: str) -> Document:
    """A filing's text extraction to a Document (kind `filing_text`, or
    `transcript` for hearings and depositions)."""
    from . import finish_filing

    meta, preamble, body = split_source(text)
    if not body.strip():
        raise ParseError(f"{name}: no text after the header lines")
    doc = Document(path=name, kind="filing_text")
    doc.metadata.update(meta)
    for key, value in preamble.items():
        doc.metadata.setdefault(key, value)
    if "front_matter_error" in meta:
        doc.warnings.append(f"front matter is not valid YAML: {meta['front_matter_error']}")
    doc.title = _title_from_metadata(meta, preamble)

    body, note = _split_closing_note(body)
    if note:
        doc.metadata["closing_note"] = note
    raw_pages = split_pages(body)
    times: list[list] = []
    previous = 0
    for raw in raw_pages:
        number = raw.stamp.page if raw.stamp and raw.stamp.page else previous + 1
        if number <= previous:
            doc.warnings.append(f"page {previous + 1}: ECF stamp says page {number}; numbered in sequence")
            number = previous + 1
        previous = number
        lines, header, margin_times = number_lines(raw.lines)
        page = Page(number=number, lines=lines, pdf_page=number, stamp=raw.stamp)
        page.header.extend(raw.header)  # the stamp line, as the PDF parser keeps it
        page.header.extend(header)
        times.extend([number, line, t] for line, t in margin_times)
        doc.pages.append(page)
    if not any(p.lines for p in doc.pages):
        raise ParseError(f"{name}: no text on any page")
    if times:
        doc.metadata["timestamps"] = times

    doc = finish_filing(doc)
    _fill_from_metadata(doc)
    doc.assign_offsets()
    return doc


def _fill_from_metadata(doc: Document) -> None:
    """Where no stamp said so, take docket number and filing date from the wrapper."""
    meta = doc.metadata
    if doc.document_number is None and meta.get("docket_entry") not in (None, ""):
        number = str(meta["docket_entry"])
        attachment = meta.get("attachment")
        if attachment not in (None, "", 0, "0"):
            number += f"-{attachment}"
        doc.document_number = number
    if doc.filed is None:
        filed = _loose_date(meta.get("filing_date")) or _loose_date(meta.get("date"))
        if filed:
            doc.filed = filed
    if doc.date is None:
        doc.date = doc.filed
