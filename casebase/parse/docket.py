"""Docket sheets as data: one plain record per docket entry.

Reads CourtListener/RECAP-style JSON (``docket_entries`` with
``document_number``, ``date_filed``, ``description``, as juriscraper and the
CourtListener API emit them) and the tab-separated transcription of the Musk
v. Altman docket index. A docket is the court's own chronology, so its
entries are the backbone of the timeline: each has a filed date, a number to
cite (``Dkt. 121``) and the clerk's description of what was filed.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..records import ParseError
from . import textio

__all__ = ["DocketEntry", "docket_kind", "load_docket", "parse_docket_json", "parse_docket_tsv"]


@dataclass
class DocketEntry:
    """One docket entry (or one attachment of an entry, numbered "340-1")."""

    case_number: str | None
    number: str | None  # "121", "340-1"; None for unnumbered minute entries
    filed: str | None  # ISO date
    description: str
    kind: str  # complaint, answer, motion, order, hearing, transcript, ...
    entered: str | None = None  # ISO date the clerk entered it, where given
    notes: str = ""  # the transcriber's notes (page counts, attachments)
    source: str = ""  # the file the entry was read from

    @property
    def cite(self) -> str:
        """How a brief cites the entry: ``Dkt. 121``."""
        return f"Dkt. {self.number}" if self.number else f"Docket entry of {self.filed}"


# Ordered: the first pattern that matches the start of a description wins.
# Docket text leads with the filing's type, so the opening words decide.
_KIND_AT_START: list[tuple[str, str]] = [
    (r"(?:(?:verified\s+|first\s+|second\s+|third\s+)?amended\s+)?complaint\b", "complaint"),
    (r"(?:first|second|third|fourth)\s+amended\s+complaint\b", "complaint"),
    (r"(?:[\w!.]+'s\s+)?(?:amended\s+)?(?:answer|counterclaims?)\b", "answer"),
    (r"amended\s+counterclaims?\b", "answer"),
    (r"notice\s+of\s+removal\b", "complaint"),
    (r"petition\b", "complaint"),
    (r"transcript\s+order\b", "transcript_order"),
    (r"transcript\b", "transcript"),
    (r"minute\s+(?:entry|order)\b", "hearing"),
    (r"(?:[\w-]+\s+){0,4}(?:conference|hearing)\s+held\b", "hearing"),
    (r"(?:stipulated\s+protective\s+order|(?:joint\s+)?stipulation|stipulated)\b", "stipulation"),
    (r"order\b", "order"),
    (r"(?:notice\s+of\s+motion\s+and\s+)?(?:administrative|joint|consent|unopposed|emergency)?\s*motion\b",
     "motion"),
    (r"(?:[\w'-]+\s+){1,4}order\b", "order"),
    (r"(?:memorandum(?:\s+of\s+law)?\s+in\s+)?opposition|response\b", "opposition"),
    (r"reply\b", "reply"),
    (r"(?:letter\s+|supplemental\s+|amicus\s+|opening\s+|response\s+)?brief\b", "brief"),
    (r"(?:\w+\s+){0,3}statement\b", "statement"),
    (r"declaration\b", "declaration"),
    (r"request\b", "request"),
    (r"(?:clerk'?s\s+)?notice\b", "notice"),
    (r"certificate\b", "certificate"),
    (r"summons\b", "summons"),
    (r"application\b", "application"),
    (r"exhibit\b", "exhibit"),
]
_KIND_RES = [(re.compile(p, re.I), k) for p, k in _KIND_AT_START]
# Orders entered on another filing ("APPLICATION ...; ORDER by Judge ...").
_ORDER_BY_JUDGE = re.compile(r"\bORDER\s+by\s+(?:Magistrate\s+)?Judge\b|\bSigned\s+by\s+Judge\b", re.I)
_LEADING_BRACKET = re.compile(r"^\s*\[[^\]]*\]\s*")
_FILED_ON = re.compile(r"\((?:Filed\s+on|Date\s+Filed:)\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\)", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def docket_kind(description: str) -> str:
    """What kind of filing a docket description announces, from its opening words."""
    text = _LEADING_BRACKET.sub("", description or "").strip()
    for pattern, kind in _KIND_RES:
        if pattern.match(text):
            if kind in ("application", "certificate", "notice", "request") and _ORDER_BY_JUDGE.search(text):
                return "order"
            return kind
    return "order" if _ORDER_BY_JUDGE.search(text) else "other"


def _iso(value: Any, where: str) -> str | None:
    """An ISO day from the JSON's date field (may carry a time), else None."""
    if value in (None, "", "?"):
        return None
    m = _ISO.match(str(value).strip())
    if not m:
        raise ParseError(f"{where}: date '{value}' is not an ISO date (YYYY-MM-DD)")
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise ParseError(f"{where}: date '{value}' is not a real calendar day") from None


def _filed_in_text(description: str) -> str | None:
    """The "(Filed on 3/4/2025)" the clerk writes into docket text."""
    m = _FILED_ON.search(description)
    if not m:
        return None
    year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
    try:
        return date(year, int(m[1]), int(m[2])).isoformat()
    except ValueError:
        return None


def _number(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    return text or None


def _clean(text: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(str(text or ""))).strip()


def _entry(case: str | None, raw: dict, name: str, where: str) -> list[DocketEntry]:
    """An entry and its attachments ("N-k"), from one JSON or TSV row."""
    if not isinstance(raw, dict):
        raise ParseError(f"{where}: a docket entry is not an object")
    description = _clean(raw.get("description") or raw.get("short_description") or "")
    number = _number(raw.get("document_number", raw.get("entry_number")))
    filed = _iso(raw.get("date_filed"), where) or _filed_in_text(description)
    entered = _iso(raw.get("date_entered"), where)
    entry = DocketEntry(case, number, filed, description, docket_kind(description), entered,
                        _clean(raw.get("notes") or ""), name)
    out = [entry]
    for att in raw.get("attachments") or []:
        if not isinstance(att, dict) or att.get("attachment_number") in (None, "", 0, "0"):
            continue
        text = _clean(att.get("description") or "")
        out.append(DocketEntry(case, f"{number}-{att['attachment_number']}" if number else None,
                               filed, text, docket_kind(text) if text else "attachment",
                               entered, "", name))
    return out


def parse_docket_json(text: str, name: str) -> list[DocketEntry]:
    """CourtListener/RECAP/juriscraper docket JSON to entries, in docket order."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("docket_entries"), list):
        raise ParseError(f"{name}: not a docket (no 'docket_entries' list)")
    case = _number(data.get("docket_number"))
    out: list[DocketEntry] = []
    for i, raw in enumerate(data["docket_entries"], 1):
        out.extend(_entry(case, raw, name, f"{name} entry {i}"))
    return out


_TSV_COLUMNS = {"document_number", "date_filed", "description"}


def parse_docket_tsv(text: str, name: str, case_number: str | None = None) -> list[DocketEntry]:
    """A tab-separated docket index with document_number, date_filed, description columns."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = _TSV_COLUMNS - set(reader.fieldnames or ())
    if missing:
        raise ParseError(f"{name}: not a docket index (missing column(s) {', '.join(sorted(missing))})")
    out: list[DocketEntry] = []
    for i, row in enumerate(reader, 2):
        out.extend(_entry(case_number, row, name, f"{name} line {i}"))
    return out


def load_docket(path: str | os.PathLike[str]) -> list[DocketEntry]:
    """Read a docket file (.json or .tsv), or a folder holding ``docket.json``.

    A folder with no JSON falls back to its one ``.tsv`` index; the case number
    for a TSV comes from a ``docket.json`` beside it when there is one.
    """
    path = Path(path)
    if path.is_dir():
        found = [path / "docket.json"] if (path / "docket.json").is_file() else sorted(path.glob("*.json"))
        found = found or sorted(path.glob("*.tsv"))
        if len(found) != 1:
            raise ParseError(f"{path.name}: expected one docket file (docket.json or a .tsv) in the folder,"
                             f" found {len(found)}")
        path = found[0]
    if not path.is_file():
        raise ParseError(f"{path.name}: not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read ({exc.strerror})") from None
    if not data.strip():
        raise ParseError(f"{path.name}: empty file")
    text = textio.decode(data, path.name)
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return parse_docket_json(text, path.name)
    if path.suffix.lower() in (".tsv", ".txt", ".tab"):
        case = None
        sibling = path.with_name("docket.json")
        if sibling.is_file():
            try:
                case = _number(json.loads(sibling.read_text("utf-8")).get("docket_number"))
            except (OSError, ValueError, AttributeError):
                case = None
        return parse_docket_tsv(text, path.name, case)
    raise ParseError(f"{path.name}: unsupported docket format '{path.suffix or 'none'}'"
                     " (casebase reads .json, .tsv)")
