"""ECF header stamps: the line a court's filing system prints atop each page.

District: ``Case 4:24-cv-04722-YGR Document 121 Filed 03/04/25 Page 1 of 16``
(optionally ``PageID 12``, ``Page ID #:34``, ``PageID.56``, a court name such
as ``USDC Colorado``). Appellate: ``Case: 20-1507 Document: 00117684624
Page: 1 Date Filed: 12/22/2020 Entry ID: 6390389``, ``Case 17-3510, Document
1-1, 10/31/2017, 2161300, Page1 of 2``, ``Case: 25-1689, 07/15/2025,
DktEntry: 28.1, Page 1 of 2``.
"""

from __future__ import annotations

import re
from datetime import date

from ..records import Stamp

_DATE = r"\d{1,2}/\d{1,2}/\d{2,4}"

_DISTRICT = re.compile(
    r"Case\s+(?P<case>\d{1,2}:\d{2}-[a-z]{2,3}-\d{3,6}(?:-[A-Z]{1,4})*)\s+"
    r"Document\s+(?P<doc>\d+(?:[-.]\d+)?)\s+"
    r"Filed\s+(?P<filed>" + _DATE + r")"
    r"(?:\s+\S.*?)??"
    r"\s+Page\s*(?P<page>\d+)\s+of\s+(?P<of>\d+)"
    r"(?:\s+Page\s*ID\s*(?:#:?|\.)?\s*(?P<pageid>\d+))?",
    re.I,
)
_APPELLATE = re.compile(
    r"Case:\s+(?P<case>\d{2}-\d{3,6})\s+"
    r"Document:\s+(?P<doc>\d+(?:[-.]\d+)?)\s+"
    r"Page:\s+(?P<page>\d+)\s+"
    r"Date\s+Filed:\s+(?P<filed>" + _DATE + r")",
    re.I,
)
_SECOND_CIRCUIT = re.compile(
    r"Case\s+(?P<case>\d{2}-\d{3,6}),\s+Document\s+(?P<doc>\d+(?:[-.]\d+)?),\s+"
    r"(?P<filed>" + _DATE + r"),\s+\d+,\s+Page\s*(?P<page>\d+)\s+of\s+(?P<of>\d+)",
    re.I,
)
_ACMS = re.compile(
    r"Case:\s+(?P<case>\d{2}-\d{3,6}),\s+(?P<filed>" + _DATE + r"),\s+"
    r"(?:ID:\s+\d+,\s+)?DktEntry:\s+(?P<doc>\d+(?:[-.]\d+)?),\s+"
    r"Page\s*(?P<page>\d+)\s+of\s+(?P<of>\d+)",
    re.I,
)
_PATTERNS = (_DISTRICT, _APPELLATE, _SECOND_CIRCUIT, _ACMS)
_PAGEID = re.compile(r"Page\s*ID\s*(?:#:?|\.)?\s*(\d+)", re.I)
_ENTRY_ID = re.compile(r"Entry\s+ID:\s*(\d+)", re.I)


def iso_date(text: str) -> str | None:
    """``03/04/25`` or ``3/4/2025`` to ``2025-03-04``."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text.strip())
    if not m:
        return None
    month, day, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_stamp(text: str) -> Stamp | None:
    """The first ECF stamp in `text`, or None."""
    stamps = find_stamps(text)
    return stamps[0] if stamps else None


def find_stamps(text: str) -> list[Stamp]:
    """Every ECF stamp in `text`, in order (re-filed pages carry two)."""
    flat = " ".join(text.split())
    for pattern in _PATTERNS:
        found = [_stamp(m, flat) for m in pattern.finditer(flat)]
        if found:
            return found
    return []


def _stamp(m: re.Match[str], flat: str) -> Stamp:
    groups = m.groupdict()
    tail = flat[m.end(): m.end() + 40].lstrip()
    page_id = groups.get("pageid")
    if not page_id:
        extra = _PAGEID.match(tail)
        page_id = extra.group(1) if extra else None
    entry = _ENTRY_ID.match(tail)
    return Stamp(
        raw=flat[m.start(): m.end()],
        case_number=groups["case"],
        document_number=groups["doc"].replace(".", "-"),
        filed=iso_date(groups["filed"]),
        page=int(groups["page"]),
        page_count=int(groups["of"]) if groups.get("of") else None,
        page_id=page_id,
        entry_id=entry.group(1) if entry else None,
    )


STAMP_START = re.compile(r"^\s*Case:?\s+\d", re.I)
