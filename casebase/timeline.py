"""A chronology of the record: every event pinned to document, page and line.

Events come from two places. The docket is the court's own chronology: each
entry was filed on a day, and minute entries and transcripts say when a
hearing was held. The documents themselves carry dated statements ("Musk
resigned in February 2018", "filed on August 5, 2024"): each sentence with a
date becomes a one-source event cited at the line it starts on.

Dates are read in two passes. A regular grammar of date forms finds the
candidates (and is the fast prefilter: a sentence without one is never
parsed); `dateparser.search.search_dates` must also find a date there before
a candidate is believed. Dates keep the precision they were stated with:
"2018" is a year, "February 2018" a month, "late 2024" an approximate range
("2024-10..2024-12"). Dates without a year ("on February 4") and weekdays in
news reports ("ruled late Tuesday") are anchored to the document's own date;
"today" and "a month after" are never read.

Events that describe the same happening are merged with all their sources.
When sources disagree on the date ("withdrawn in July" against "withdrawn
2024-06-11"), the merged event is `disputed` and `dates` keeps every date
stated; `date` is the one the weightier sources (docket, then court papers,
then news) agree on.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import math
import re
import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from . import aliases, store
from .cite import pin_cite
from .parse.docket import DocketEntry, docket_kind
from .records import Document, Line

__all__ = [
    "Dated",
    "DatedStatement",
    "Event",
    "FoundDate",
    "Source",
    "build_timeline",
    "cite",
    "date_span",
    "docket_events",
    "document_events",
    "find_dated",
    "find_dates",
    "sync_dated",
]

PRECISIONS = ("day", "month", "year", "approximate")


# --------------------------------------------------------------------------- records


@dataclass
class Source:
    """Where an event is stated: the pin cite and the date as the source wrote it."""

    doc: str  # store document id; "docket:<case number>" for docket entries
    page: int | None
    line_start: int | None
    cite: str
    date_as_stated: str
    date: str = ""  # ISO, at `precision`
    precision: str = "day"
    line_end: int | None = None
    page_end: int | None = None
    name: str = ""  # file name, or the docket's case number
    text: str = ""  # the sentence (or docket text) that states it
    origin: str = ""  # docket, filing, transcript, article


@dataclass
class Event:
    """Something that happened, when, and every source that says so."""

    date: str  # ISO at its precision; approximate dates are ranges "2024-10..2024-12"
    precision: str  # day | month | year | approximate
    title: str
    kind: str
    entities: list[str] = field(default_factory=list)
    disputed: bool = False
    sources: list[Source] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # every distinct date the sources state

    @property
    def span(self) -> tuple[str, str]:
        """First and last day the date can mean, as ISO strings."""
        a, b = date_span(self.date)
        return a.isoformat(), b.isoformat()


@dataclass(frozen=True)
class FoundDate:
    """One date found in a sentence: where, what it said, what it means."""

    start: int
    end: int
    text: str  # as stated
    date: str  # ISO at `precision`
    precision: str
    role: str = ""  # "start"/"end" of a period, "deadline", "document" (dates a letter), or ""
    anchored: bool = False  # year or day supplied from the document's own date


# --------------------------------------------------------------------------- dates


@lru_cache(maxsize=8192)
def date_span(iso: str) -> tuple[date, date]:
    """The first and last day an ISO date of any precision can mean (memoised:
    merging asks for the same few hundred dates tens of thousands of times)."""
    if ".." in iso:
        a, b = iso.split("..", 1)
        return date_span(a)[0], date_span(b)[1]
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    d = date(*parts)
    return d, d


def _precision_of(iso: str) -> str:
    if ".." in iso:
        return "approximate"
    return {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]


_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = (r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?"
        r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)(?![a-z])")
_MON_FULL = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_Y = r"(?P<y>(?:19|20)\d{2})(?!\d|s\b|’s|'s)"  # not the decade "2000s"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_MOD = r"(?P<mod>early|mid|late)"
_SEASON = r"(?P<mod>early|mid|late|spring|summer|fall|autumn|winter)"
_YEAR_CUES = r"in|since|by|through|until|till|during|from|to|for|of|before|after|around|circa|about|and|or|c\."
_MONTH_CUES = r"in|since|by|through|until|till|during|from|to|for|of|before|after"

# (form, pattern): the date grammar. Longer matches win where forms overlap.
_FORMS: list[tuple[str, str]] = [
    ("iso_day", r"(?<![\d/-])(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?!\d)"),
    ("iso_month", r"(?<![\d/-])(?P<y>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])(?![\d-])"),
    ("numeric", r"(?<![\d/.])(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>(?:19|20)?\d{2})(?![\d/])"),
    ("mdy", rf"(?:{_WEEKDAY},?\s+)?{_MON}\s*,?\s*{_D},?\s+{_Y}"),
    ("dmy", rf"{_D}\s+(?:of\s+)?{_MON}\s*,?\s+{_Y}"),
    ("md", rf"(?:{_WEEKDAY},?\s+)?{_MON}\s+{_D}(?![\d:])(?!,?\s+(?:19|20)\d\d)"),
    ("my", rf"(?:{_MOD}[\s-]+)?{_MON}\s*,?\s+(?:of\s+)?{_Y}"),
    ("mod_month", rf"{_MOD}[\s-]+{_MON}(?!\s*,?\s*(?:of\s+)?\d)"),
    ("season", rf"(?:the\s+)?{_SEASON}[\s-]+(?:of\s+)?{_Y}"),
    ("year", rf"\b(?P<cue>{_YEAR_CUES})\s+{_Y}(?![-\d])"),
    ("month", rf"\b(?P<cue>{_MONTH_CUES})\s+{_MON_FULL}\b(?!\s*,?\s*\d)"),
    ("weekday", rf"\b{_WEEKDAY}\b"),
]
# Case-insensitive for "JANUARY 5, 2024" in docket text; a month or weekday
# word must still start with a capital ("in may be" is not a date).
_FORM_RES = [(name, re.compile(p, re.I)) for name, p in _FORMS]
_PREFILTER = re.compile(
    r"(?:19|20)\d{2}|\d/\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b"
    r"|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", re.I)
# ECF and docket bookkeeping: the filing's own stamp, not a statement of fact.
_BOOKKEEPING = re.compile(r"(?:Filed(?: on)?|Entered:?|Modified on|Date Filed:|Page \d+ of)\s*$")
_CITATION_PAREN = re.compile(
    r"\b(?:Cir\.|Cal\.|App\.|Dist\.|Ct\.|WL|LEXIS|U\.S\.|F\.\s?(?:Supp|\d)|[NSECW]\.D\.|D\.\s?[A-Z][a-z]*\.|"
    r"Del\.|Tex\.|N\.Y\.|Mass\.|Ill\.|Ch\.|Bankr\.)")
_SEASONS = {  # (first month, last month)
    "early": (1, 3), "mid": (4, 9), "late": (10, 12),
    "spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (1, 2),
}
_PART_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
    "PARSERS": ["absolute-time"],
}
# Sentences longer than this reach dateparser as windows around their dates.
_WHOLE_SENTENCE = 400
# Abbreviated months lose their period before dateparser sees the sentence
# (same length, so offsets hold): "Feb. 21, 2018" otherwise splits in two.
_ABBR_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.(?=\s*\d)")


def _month(token: str) -> int:
    return _MONTH_NUM[token.lower().rstrip(".")[:3]]


def _anchor(anchor: str | None) -> tuple[date, str] | None:
    """The document's own date as (middle day, precision), or None."""
    if not anchor:
        return None
    try:
        a, b = date_span(anchor)
    except ValueError:
        return None
    return a + (b - a) / 2, _precision_of(anchor)


def _nearest_year(month: int, day: int | None, anchor: date) -> int:
    """The year that puts a yearless date nearest the document's own date."""
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = day or 15
        try:
            cand = date(y, month, min(d, calendar.monthrange(y, month)[1]))
        except ValueError:
            continue
        dist = abs((cand - anchor).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    return best[1]


def _in_citation(text: str, start: int, end: int) -> bool:
    """Is the date inside a case citation's parenthetical, "(9th Cir. Dec. 5, 2023)"?"""
    open_ = text.rfind("(", 0, start)
    if open_ < 0 or text.find(")", open_, start) >= 0:
        return False
    close = text.find(")", end)
    inside = text[open_ + 1: close if close >= 0 else len(text)]
    return bool(_CITATION_PAREN.search(inside))


def _candidates(text: str) -> list[tuple[int, int, str, re.Match]]:
    """Grammar matches, overlaps resolved in favour of the longer match."""
    found = []
    for order, (name, rx) in enumerate(_FORM_RES):
        for m in rx.finditer(text):
            group = "y" if name == "year" else ("mon" if name == "month" else None)
            start = m.start(group) if group else m.start()
            words = [m.group(k) for k in ("wd", "mon") if m.re.groupindex.get(k) and m.group(k)]
            if any(not w[0].isupper() for w in words):
                continue  # "in may be", "march on": words, not dates
            found.append((start, m.end(), order, name, m))
    found.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    chosen: list[tuple[int, int, str, re.Match]] = []
    for start, end, _, name, m in found:
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, name, m))
    # A weekday followed by the date it names ("Tuesday 2025-03-04") is part of it.
    out = []
    for i, c in enumerate(chosen):
        follows = chosen[i + 1][0] if i + 1 < len(chosen) else None
        if c[2] == "weekday" and follows is not None and re.fullmatch(r",?\s*(?:the\s+)?", text[c[1]:follows]):
            continue
        out.append(c)
    return out


def _value(name: str, m: re.Match, anchor: tuple[date, str] | None,
           weekdays: bool) -> tuple[str, str, bool] | None:
    """(ISO date, precision, anchored) for one grammar match, or None."""
    g = m.groupdict()
    try:
        if name in ("iso_day", "numeric", "mdy", "dmy"):
            y = int(g["y"])
            if name == "numeric" and len(g["y"]) == 2:
                y += 2000 if y < 70 else 1900
            mo = int(g["m"]) if name in ("iso_day", "numeric") else _month(g["mon"])
            return date(y, mo, int(g["d"])).isoformat(), "day", False
        if name in ("iso_month", "my"):
            y = int(g["y"])
            mo = int(g["m"]) if name == "iso_month" else _month(g["mon"])
            if g.get("mod"):
                a, b = _PART_OF_MONTH[g["mod"].lower()]
                last = calendar.monthrange(y, mo)[1]
                return f"{date(y, mo, a)}..{date(y, mo, min(b, last))}", "approximate", False
            return f"{y:04d}-{mo:02d}", "month", False
        if name == "season":
            y = int(g["y"])
            a, b = _SEASONS[g["mod"].lower()]
            return f"{y:04d}-{a:02d}..{y:04d}-{b:02d}", "approximate", False
        if name == "year":
            return g["y"], "year", False
        if anchor is None or anchor[1] in ("year", "approximate"):
            return None  # no year to give a yearless date
        if name == "md":
            mo, d = _month(g["mon"]), int(g["d"])
            y = _nearest_year(mo, d, anchor[0])
            return date(y, mo, d).isoformat(), "day", True
        if name in ("month", "mod_month"):
            mo = _month(g["mon"])
            y = _nearest_year(mo, None, anchor[0])
            if name == "mod_month":
                a, b = _PART_OF_MONTH[g["mod"].lower()]
                last = calendar.monthrange(y, mo)[1]
                return f"{date(y, mo, a)}..{date(y, mo, min(b, last))}", "approximate", True
            return f"{y:04d}-{mo:02d}", "month", True
        if name == "weekday":
            if not weekdays or anchor[1] != "day":
                return None
            back = (anchor[0].weekday() - _WEEKDAYS.index(g["wd"].lower())) % 7
            return (anchor[0] - timedelta(days=back)).isoformat(), "day", True
    except (ValueError, KeyError):
        return None
    return None


@lru_cache(maxsize=65536)
def _dateparser_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where `search_dates` sees absolute dates in a sentence, as character spans.

    Only the absolute-date parser runs: relative phrases ("today", "a month
    after") are never read as dates. Long sentences are cut to windows around
    the grammar's candidates, since dateparser's cost grows with the text.
    """
    from dateparser.search import search_dates

    probe = _ABBR_DOT.sub(r"\1 ", text)
    pieces: list[tuple[int, str]] = [(0, probe)]
    if len(probe) > _WHOLE_SENTENCE:
        pieces = []
        for start, end, _, _ in _candidates(text):
            a, b = max(0, start - 24), min(len(probe), end + 8)
            if pieces and a <= pieces[-1][0] + len(pieces[-1][1]):
                a = pieces[-1][0]
                pieces[-1] = (a, probe[a:b])
            else:
                pieces.append((a, probe[a:b]))
    spans = []
    for offset, piece in pieces:
        found = search_dates(piece, languages=["en"], settings=_DATEPARSER_SETTINGS) or []
        pos = 0
        for sub, _ in found:
            # dateparser returns the substring with runs of spaces collapsed.
            m = re.compile(r"\s+".join(re.escape(w) for w in sub.split())).search(piece, pos)
            if m:
                spans.append((offset + m.start(), offset + m.end()))
                pos = m.end()
    return tuple(spans)


def _core(name: str, m: re.Match) -> str:
    """The part of a match dateparser can read: "late-2026" -> "2026", "early March 2019" -> "March 2019"."""
    g = m.groupdict()
    if name in ("season", "year"):
        return g["y"]
    if name in ("my", "mod_month") and g.get("mod"):
        return m.group(0)[m.start("mon") - m.start():]
    return m.group(0)


@lru_cache(maxsize=65536)
def find_dates(text: str, anchor: str | None = None, weekdays: bool = False) -> tuple[FoundDate, ...]:
    """Dates stated in one sentence, with their precision and period role.

    `anchor` is the document's own ISO date: it supplies the year of
    "February 4" and, with `weekdays`, the day of "late Tuesday" (news
    reports only). Sentences without a date-like token never reach dateparser.
    """
    if not _PREFILTER.search(text):
        return ()
    cands = [c for c in _candidates(text)
             if not _BOOKKEEPING.search(text[max(0, c[0] - 14):c[0]]) and not _in_citation(text, c[0], c[1])]
    if not cands:
        return ()
    anc = _anchor(anchor)
    seen = _dateparser_spans(text)
    out: list[FoundDate] = []
    for start, end, name, m in cands:
        if not any(s < end and start < e for s, e in seen) and not _dateparser_spans(_core(name, m)):
            continue  # dateparser sees no date here, in the sentence or on its own
        value = _value(name, m, anc, weekdays)
        if value is None:
            continue
        iso, precision, anchored = value
        out.append(FoundDate(start, end, text[start:end], iso, precision, "", anchored))
    return tuple(_roles(text, _shared_year(text, out)))


def _shared_year(text: str, dates: list[FoundDate]) -> list[FoundDate]:
    """"January 9, March 5, and June 6, 2024": a list's days take the year its last one states."""
    out = list(dates)
    for i in range(len(out) - 2, -1, -1):
        d, nxt = out[i], out[i + 1]
        if d.anchored and d.precision == "day" and not nxt.anchored and nxt.precision == "day" \
                and re.fullmatch(r"\s*(?:,|,?\s*(?:and|or))\s*", text[d.end:nxt.start]):
            iso = nxt.date[:4] + d.date[4:]
            out[i] = FoundDate(d.start, d.end, d.text, iso, d.precision, d.role, False)
    return out


_START_CUE = re.compile(r"\b(?:from|since|beginning|starting)\s+(?:\w+\s+){0,2}$", re.I)
_END_CUE = re.compile(r"\b(?:through|until|till|to|and\s+ending)\b", re.I)
_DEADLINE_CUE = re.compile(r"\b(?:due|deadline|(?:had|has|have|given)\s+until)\b"
                           r"(?:\s+(?:by|on|is|of|date))?[\s:]*$", re.I)
# "a June 3, 2024 Wall Street Journal article": the date of a document, not of what it reports.
_DOCUMENT_AFTER = re.compile(
    r"^[\s,]*(?:[A-Z][\w.&'’-]*\s+){0,4}(?:article|report|letter|e-?mail|post|blog\s+post|"
    r"interview|memo|press\s+release|op-ed|message|tweet)s?\d*\b(?:\s+exchange)?", re.I)


def _roles(text: str, dates: list[FoundDate]) -> list[FoundDate]:
    """Mark what a date does in its sentence.

    "start"/"end" open or close a stated period ("from 2018 to 2023"),
    "deadline" is a date something is due, "document" dates a letter or
    article rather than what it reports; "" is the date something happened.
    """
    out: list[FoundDate] = []
    for i, d in enumerate(dates):
        before = text[dates[i - 1].end if i else max(0, d.start - 60):d.start]
        role = ""
        if _DEADLINE_CUE.search(before):
            role = "deadline"
        elif _DOCUMENT_AFTER.match(text[d.end:d.end + 60]) and not re.search(r"\b(?:on|in)\s*$", before):
            role = "document"
        elif _START_CUE.search(before):
            role = "start"
        elif i and out[-1].role == "start" and _END_CUE.search(before):
            role = "end"
        elif re.search(r"\b(?:through|until|till)\b(?:\s+\S+){0,4}\s*$", before, re.I):
            role = "end"
        out.append(FoundDate(d.start, d.end, d.text, d.date, d.precision, role, d.anchored))
    return out


# --------------------------------------------------------------------------- citing


def cite(doc: Any, page: int | None = None, line_start: int | None = None,
         line_end: int | None = None, page_end: int | None = None) -> str:
    """A source's pin cite: a docket entry's ``Dkt. 121``, else `cite.pin_cite`."""
    if isinstance(doc, DocketEntry):
        return doc.cite
    return pin_cite(doc, page, line_start, line_end, page_end)


# --------------------------------------------------------------------------- sentences


@dataclass
class _Sentence:
    text: str
    lines: list[tuple[int, Line]]  # (page number, line) the sentence covers
    speaker: str | None = None
    char_start: int = 0  # the sentence's span in Document.text
    char_end: int = 0


_BULLET = re.compile(r"^\s*(?:[•●▪◦*\-–]\s+|\(?\d{1,3}[.)]\s+|[a-h][.)]\s+|[QA]\.\s)")
_HEADING = re.compile(r"^\s*(?:[IVX]{1,5}\.|[A-H]\.)\s+[A-Z]|^(?=(?:[^A-Z]*[A-Z]){3})[^a-z]{3,80}$")
_ABBREV = {
    "mr", "ms", "mrs", "dr", "jr", "sr", "st", "no", "nos", "dkt", "inc", "corp", "co", "ltd", "cal", "app",
    "cir", "fed", "supp", "v", "vs", "id", "al", "ex", "exs", "decl", "dep", "tr", "mtn", "opp", "civ", "proc",
    "stat", "rev", "bus", "prof", "gen", "assoc", "nat", "res", "def", "found", "educ", "rsch", "p", "pp",
    "ct", "dist", "del", "tex", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "approx", "cf", "ch", "sec", "art", "para", "hr'g", "admin", "l", "ll", "mem", "dba", "est",
}
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9•])")


def _stream_sentences(lines: list[tuple[int, Line]], spoken: bool = False,
                      footnotes: bool = False) -> list[_Sentence]:
    """Sentences over a run of lines, each knowing the lines it spans.

    Short lines end a sentence on paper (captions, headings), but not in a
    transcript (`spoken`), where speech wraps at any length. In `footnotes`
    a bare number opens a new note and no note runs across a page.
    """
    out: list[_Sentence] = []
    block: list[str] = []
    starts: list[int] = []
    refs: list[tuple[int, Line]] = []
    size = 0

    def flush() -> None:
        nonlocal block, starts, refs, size
        if refs:
            text = "".join(block)
            out.extend(_split_block(text, starts, refs))
        block, starts, refs, size = [], [], [], 0

    prev: Line | None = None
    prev_page = None
    for page, line in lines:
        raw = line.text.strip()
        if not raw:
            continue
        if footnotes and re.fullmatch(r"\d{1,3}|\*+|†", raw):
            flush()  # a footnote's number opens a new note
            prev = None
            continue
        hard = (prev is None or (footnotes and page != prev_page)
                or _BULLET.match(raw) or _HEADING.match(raw) or _HEADING.match(prev.text.strip())
                or (line.speaker and line.speaker != prev.speaker)
                or (not spoken and len(prev.text.strip()) < 40 and raw[:1].isupper()
                    and not prev.text.rstrip().endswith((",", ";", "-", "—"))))
        if hard:
            flush()
            sep = ""
        elif prev.text.rstrip().endswith("-") and prev.text.rstrip()[-2:-1].isalpha() and raw[:1].islower():
            sep = ""
        else:
            sep = " "
        block.append(sep)
        size += len(sep)
        starts.append(size)
        refs.append((page, line))
        block.append(raw)
        size += len(raw)
        prev, prev_page = line, page
    flush()
    return out


def _split_block(text: str, starts: list[int], refs: list[tuple[int, Line]]) -> list[_Sentence]:
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        word = re.findall(r"[\w'’.]+$", text[max(0, m.start() - 40):m.start()])
        token = word[0].lower().rstrip(".") if word else ""
        if token in _ABBREV or (len(token) == 1 and token.isalpha()) or "." in token:
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = text[a:b].strip()
        if not chunk:
            continue
        a += len(text[a:b]) - len(text[a:b].lstrip())
        b = a + len(chunk)
        first = max(0, bisect_right(starts, a) - 1)
        last = max(first, bisect_right(starts, b - 1) - 1)
        covered = refs[first:last + 1]
        out.append(_Sentence(chunk, covered, covered[0][1].speaker,
                             _doc_offset(refs[first][1], a - starts[first]),
                             _doc_offset(refs[last][1], b - starts[last])))
    return out


def _doc_offset(line: Line, at: int) -> int:
    """A position in a stripped line's text as an offset into Document.text."""
    lead = len(line.text) - len(line.text.lstrip())
    return min(line.char_start + lead + max(at, 0), line.char_end)


def _sentences(doc: Document) -> list[_Sentence]:
    """Body sentences, then footnote sentences, so neither runs into the other."""
    body = [(p.number, l) for p in doc.pages for l in p.lines if not l.footnote]
    notes = [(p.number, l) for p in doc.pages for l in p.lines if l.footnote]
    spoken = doc.kind == "transcript"
    return _stream_sentences(body, spoken) + _stream_sentences(notes, spoken, footnotes=True)


# --------------------------------------------------------------------------- entities and words

# Labels of the alias table an event is "about"; places, laws and case numbers are not.
_ENTITY_LABELS = ("ORG", "PERSON", "AI_MODEL", "PRODUCT")


@lru_cache(maxsize=1)
def _package_aliases() -> aliases.Aliases:
    """The package's alias table, read once per process (not once per speaker)."""
    return aliases.load_aliases()


@lru_cache(maxsize=1)
def _alias_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over every alias in the alias table, and alias -> canonical name.

    Matching is case-sensitive (so "sacks" and "PI" are not Sacks and Pi),
    plus each longer alias in capitals for docket text ("ELON MUSK").
    """
    table = _package_aliases()
    canon: dict[str, str] = {}
    for row in table.rows:
        label = table.label(row.canonical) or row.label
        if label not in _ENTITY_LABELS or not row.alias.strip():
            continue
        forms = {row.alias, row.alias.upper()} if len(row.alias) > 3 else {row.alias}  # not "PI" for Pi
        for form in forms:
            canon.setdefault(form, row.canonical)
    forms = sorted(canon, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in forms)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])"), {" ".join(f.split()): c for f, c in canon.items()}


def _entities(text: str) -> list[str]:
    """Canonical names of the parties, people and models a text names, in order."""
    rx, canon = _alias_matcher()
    out: dict[str, None] = {}
    for m in rx.finditer(text):
        name = canon.get(" ".join(m.group(0).split()))
        if name:
            out.setdefault(name)
    return list(out)


def _resolve_entity(query: str) -> str:
    """A user's name for an entity ("Elon Musk", "x.ai") to its canonical name."""
    return aliases.canonical(query, _package_aliases())


_SYNONYMS = {
    "sue": "sue sued sues suing suit suits lawsuit lawsuits complaint complaints",
    "withdraw": "withdraw withdrew withdrawn withdraws drop dropped drops dropping voluntarily voluntary",
    "dismiss": "dismiss dismissed dismisses dismissal dismissing",
    "leave": "resign resigned resigns resignation resigning left leave leaves leaving departed departure quit "
             "stepped",
    "deny": "deny denied denies denying denial",
    "grant": "grant granted grants granting",
    "reject": "reject rejected rejects rejection rebuff rebuffs rebuffed",
    "injunction": "injunction injunctive pi",
    "board": "board director directors member members co-chair cochair seat observer trustee",
    "testify": "testify testified testifies testimony deposition deposed",
    "hearing": "hearing hearings argument arguments heard",
    "counterclaim": "counterclaim counterclaims countersue countersues countersued countersuit",
    "bid": "bid bids offer offers buyout",
    "release": "release released releases launch launched launches unveiled",
    "found": "founded founding inception started start starts formed",
    "email": "email emails emailed e-mail",
    "order": "order orders ordered ruling ruled rules decision",
    "file": "file filed files filing filings submitted",
    "amend": "amend amended amendment",
    "reassign": "reassign reassigned reassigning reassignment",
}
_SYNONYM_OF = {w: k for k, words in _SYNONYMS.items() for w in words.split()}
_STOP = set("""
a an the and or of to in on at by for with from as is are was were be been being that this these those it its
his her their they he she we our you your i me my which who whom whose what when where why how not no nor but if
than then so such also has have had having did does do per via into about after before over under between any
all each other some more most said says say stated reported reports report article according while would could
should may might will shall can just only there here one two three later earlier new id see dkt nos ecf llc inc
corp co gp lp l.l.c l.p re its it's him them both same very ag el al et up out off per upon within without
court staff entered ex exs page pages p pp
note notes contain contains error errors wrongly actual source sources cited cite citing elsewhere others fact
facts ground-truth-relevant cross-check reported reporting per first second third fourth fifth
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec early late mid fall
spring summer winter autumn
""".split())


def _words(text: str) -> set[str]:
    """Content words in canonical form, for telling whether two sentences tell one event."""
    return set(_word_set(text))


@lru_cache(maxsize=65536)
def _word_set(text: str) -> frozenset[str]:
    """`_words`, memoised: docket texts and entity names are asked for at every build."""
    out = set()
    for raw in re.findall(r"[A-Za-z][A-Za-z0-9.'’-]*", text):
        w = raw.lower().strip(".'’-").replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 2 or w in _STOP:
            continue
        if any(c.isdigit() for c in w):  # model and entity names: "gpt-4o", "o1", "spv-ii"
            out.add(w)
            continue
        if w in _SYNONYM_OF:
            out.add(_SYNONYM_OF[w])
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss") and raw[0].islower():
            w = w[:-1]  # plurals of common words; never of names ("Zilis")
        if w in _SYNONYM_OF:
            w = _SYNONYM_OF[w]
        if len(w) >= 3 and w not in _STOP:
            out.add(w)
    return frozenset(out)


_GENERIC_NAMES = set("""
court judge defendant plaintiff response paragraph complaint motion order dkt district state united federal
superior honorable article the this that in on at for and but if when after before since during mr ms mrs dr
""".split())


def _names(text: str) -> set[str]:
    """Capitalised words (names, acronyms) in canonical form: who a statement is about."""
    out = set()
    for w in re.findall(r"\b[A-Z][A-Za-z0-9.&'’-]*", text):
        canon = _words(w)
        out |= {c for c in canon if c not in _GENERIC_NAMES}
    return out


_DKT_REF = re.compile(r"\b(?:Dkt\.?|ECF|Docket)\s*(?:Nos?\.?|Entry)?\s*(\d+(?:-\d+)?)", re.I)


def _docket_refs(text: str) -> set[str]:
    return {m.group(1) for m in _DKT_REF.finditer(text)}


# --------------------------------------------------------------------------- events from sources

_STATEMENT_KINDS: list[tuple[str, str]] = [
    ("testimony", r"\btestif|\bdeposition\b|\bdeposed\b|\bon cross\b"),
    ("hearing", r"\bhearing\b|\boral argument\b|\bjury selection\b|\bverdict\b|\btrial\b"),
    ("order", r"\b(?:judge|court)\b.{0,40}\b(?:ruled|denied|granted|dismissed|ordered|rejected)\b|\border\b"),
    ("complaint", r"\b(?:sued|sues|suit|lawsuit|complaint|countersue|counterclaims?)\b"),
    ("filing", r"\bfiled\b|\bmotion\b"),
    ("communication", r"\be-?mails?\b|\bletter\b|\btexts?\b|\bmessages?\b|\bblog\b|\bpost(?:ed)?\b|\bmemo\b"),
    ("release", r"\breleased?\b|\blaunch(?:ed)?\b|\bunveil"),
    ("departure", r"\bresign|\bstepped down\b|\bleft\b|\bdepart"),
]
_STATEMENT_KIND_RES = [(k, re.compile(p, re.I)) for k, p in _STATEMENT_KINDS]


def _statement_kind(text: str) -> str:
    for kind, rx in _STATEMENT_KIND_RES:
        if rx.search(text):
            return kind
    return "statement"


_ORIGIN_WEIGHT = {"docket": 3.0, "filing": 2.0, "transcript": 1.5, "article": 1.0}


@dataclass
class _Mention:
    """One event as one source states it, before merging."""

    event: Event
    source: Source
    words: set[str]
    refs: set[str]  # docket numbers the statement cites
    role: str = ""
    docket_number: str | None = None  # the filing event of this docket entry or document
    weight: float = 1.0
    residue: str = ""  # the statement without its date, for verbatim repeats
    names: set[str] = field(default_factory=set)  # who or what the statement is about
    sentence_refs: set[str] = field(default_factory=set)  # docket numbers the whole sentence cites
    mass: float = 0.0  # the IDF weight of `words`, set by `_merge` once for every comparison

    @property
    def span(self) -> tuple[date, date]:
        return date_span(self.source.date)


def _clean_title(text: str, limit: int = 220) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:[•●▪◦*\-–]\s+)", "", text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title_around(text: str, d: FoundDate, limit: int = 220) -> str:
    """The sentence as title; a long one cut to a window around its date."""
    text = re.sub(r"^(?:NOTES?|[-•*])\s*:?\s*", "", text.strip())
    if len(text) <= limit:
        return text
    at = max(0, text.find(d.text))
    a = max(0, at - limit // 2)
    b = min(len(text), a + limit)
    if a:
        a = text.find(" ", a) + 1 or a  # whole words only
    if b < len(text):
        b = text.rfind(" ", a, b) if text.rfind(" ", a, b) > a else b
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")


def _clauses(text: str, dates: tuple[FoundDate, ...]) -> list[tuple[int, int]]:
    """For a sentence with several dates, the stretch of text each date belongs to."""
    if len(dates) < 2:
        return [(0, len(text))]
    bounds = [0]
    seps = (";", "(", ")", ", and ", ", but ", ", while ", " and ", ", ")
    for a, b in zip(dates, dates[1:]):
        gap = text[a.end:b.start]
        cut = None
        for sep in seps:
            i = gap.rfind(sep)
            if i >= 0:
                cut = a.end + i + (1 if sep == ")" else 0)
                break
        bounds.append(cut if cut is not None else a.end)
    bounds.append(len(text))
    return list(zip(bounds, bounds[1:]))


_SIGNATURE_DATE = re.compile(r"^(?:DATED|Dated|Date|Executed on|Signed)\s*:?\s", re.I)


def _doc_origin(kind: str) -> str:
    return {"article": "article", "transcript": "transcript"}.get(kind, "filing")


def _weekday_anchor_ok(doc: Document) -> bool:
    """News reports say "on Tuesday" meaning the week of publication."""
    return doc.kind == "article" and not doc.metadata.get("date_approximate") \
        and (doc.metadata.get("date_precision") in (None, "day"))


# Bump when what `find_dated` finds changes: stored statements of another version are found again.
DATED_VERSION = 2
_SET_FIELDS = ("words", "refs", "names", "sentence_refs")


@dataclass
class DatedStatement:
    """One dated statement of a document (or docket entry), as the store keeps it.

    All of it follows from the document alone, so ingest finds it once. The
    entities the store's spaCy mentions give do not: they follow the store's
    alias table (`entities merge`), so they are looked up by `sentence` whenever
    the timeline is built, and tag `words` then.
    """

    source: Source
    title: str
    kind: str
    words: set[str]  # content words, before the entity tags
    refs: set[str]  # docket numbers the statement cites
    role: str = ""
    docket_number: str | None = None
    residue: str = ""
    names: set[str] = field(default_factory=set)
    sentence_refs: set[str] = field(default_factory=set)
    entities: list[str] = field(default_factory=list)  # by the package's alias table: the fallback
    sentence: tuple[int, int] | None = None  # its span in Document.text; None: the document's own event
    speaker: str | None = None  # who speaks without being named: not what the sentence is about

    def record(self) -> dict[str, Any]:
        """As JSON can hold it; the source's document is the row's, so not repeated."""
        record = {f.name: getattr(self, f.name) for f in fields(self)}
        record["source"] = {k: v for k, v in asdict(self.source).items() if k != "doc"}
        record.update({k: sorted(record[k]) for k in _SET_FIELDS})
        return record

    @classmethod
    def from_record(cls, doc_id: str, record: dict[str, Any]) -> DatedStatement:
        record = dict(record, source=Source(doc_id, **record["source"]))
        record.update({k: set(record[k]) for k in _SET_FIELDS})
        record["sentence"] = tuple(record["sentence"]) if record["sentence"] else None
        return cls(**record)


@dataclass
class Dated:
    """A document's dated statements and the version of the code that found them."""

    statements: list[DatedStatement]
    version: str  # `dated_version()` of the code that found them

    def records(self) -> list[str]:
        return [json.dumps(s.record(), ensure_ascii=False) for s in self.statements]


@lru_cache(maxsize=1)
def dated_version() -> str:
    """What stored statements must have been found by: this code, and the
    package's alias table (which names their fallback entities)."""
    digest = hashlib.sha256(aliases.DEFAULT_PATH.read_bytes()).hexdigest()[:12]
    return f"{DATED_VERSION}-{digest}"


def find_dated(doc: Document) -> Dated:
    """A document's dated statements, for the store (ingest runs this in its workers)."""
    doc.assign_offsets()  # sentence spans index Document.text, as stored
    return Dated(_dated_statements(doc, doc.id), dated_version())


def _dated_statements(doc: Document, doc_id: str) -> list[DatedStatement]:
    """Dated statements in a document, plus the document's own filing or publication."""
    origin = _doc_origin(doc.kind)
    name = Path(doc.path).name
    anchor = doc.date or doc.filed
    weekdays = _weekday_anchor_ok(doc)
    out: list[DatedStatement] = []
    # A transcript's cover and appearances (before anyone speaks) give the day
    # of the proceeding: its own event says that, with the document's title.
    cover_end = next(((p.number, l.number) for p in doc.pages for l in p.lines if l.speaker), None) \
        if origin == "transcript" else None
    spoken_on = (doc.metadata or {}).get("proceeding_date") or doc.date
    for sent in _sentences(doc):
        found = find_dates(sent.text, anchor, weekdays)
        if cover_end and (sent.lines[0][0], sent.lines[0][1].number) < cover_end:
            found = tuple(d for d in found if d.date != spoken_on)
        if not found:
            continue

        (p0, l0), (p1, l1) = sent.lines[0], sent.lines[-1]
        line_cite = cite(doc, p0, l0.number, l1.number, p1)
        speaker = sent.speaker if sent.speaker and sent.speaker not in ("Q", "A") else None
        spoken = re.sub(rf"^{re.escape(speaker)}:?\s*", "", sent.text) if speaker else sent.text
        named = _entities(spoken)
        unnamed = _resolve_entity(speaker) if speaker and _resolve_entity(speaker) not in named else None
        sent_words = _words(spoken)
        sent_refs = _docket_refs(sent.text)
        for (a, b), d in zip(_clauses(sent.text, found), found):
            clause = sent.text[a:b].strip(" ,;:()")
            if _SIGNATURE_DATE.match(clause):
                continue  # the filing's own date, told by its filing event
            clause = re.sub(r"^(?:and|but|while|which|to|until|through)\s+", "", clause)
            period = d.role in ("start", "end")
            title = _title_around(sent.text, d)
            if speaker and not title.startswith(speaker):
                title = f"{speaker}: {title}"
            bare = clause.replace(d.text, " ")
            words = (sent_words if period else _words(bare)) | ({f"<{d.role}>"} if d.role else set())
            src = Source(doc_id, p0, l0.number, line_cite, d.text, d.date, d.precision,
                         l1.number if (p1, l1.number) != (p0, l0.number) else None,
                         p1 if p1 != p0 else None, name, _clean_title(sent.text, 600), origin)
            kind = {"deadline": "deadline", "document": "communication"}.get(d.role) or _statement_kind(clause)
            residue = re.sub(r"\s+", " ", clause.replace(d.text, " ")).strip(" .,;:()").lower()
            out.append(DatedStatement(src, _clean_title(title), kind, words, _docket_refs(clause), d.role,
                                      residue=residue, names=_names(spoken if period else bare),
                                      sentence_refs=sent_refs, entities=named,
                                      sentence=(sent.char_start, sent.char_end), speaker=unnamed))
    out.extend(_own_event(doc, doc_id, origin))
    return out


def _own_event(doc: Document, doc_id: str, origin: str) -> list[DatedStatement]:
    """A filing's filing, a transcript's hearing or deposition, an article's publication."""
    title = doc.title or Path(doc.path).name
    first = next(((p.number, l) for p in doc.pages for l in p.lines), None)
    page, line = (first[0], first[1].number) if first else (None, None)
    name = Path(doc.path).name
    out = []

    def add(when: str | None, kind: str, text: str, src_cite: str, number: str | None) -> None:
        try:
            precision = _precision_of(when or "")
            date_span(when)
        except (ValueError, KeyError, TypeError):
            return
        src = Source(doc_id, page, line, src_cite, when, when, precision, None, None, name, title, origin)
        out.append(DatedStatement(src, _clean_title(text), kind, _words(title), _docket_refs(title),
                                  docket_number=number, entities=_entities(text)))  # text: title + witnesses

    if origin == "article":
        add(doc.date, "article", f"Published: {title}", cite(doc, page), None)
        return out
    filed_cite = cite(doc) if doc.document_number else cite(doc, page, line)
    if origin != "transcript":
        kind = docket_kind(title)
        add(doc.filed or doc.date, "filing" if kind == "other" else kind, f"Filed: {title}", filed_cite,
            doc.document_number)
        return out
    # A transcript: the day it was spoken, and the day it was filed where that
    # is another day or a docket entry (a transcript off the docket has no filing).
    meta = doc.metadata or {}
    spoken_on = meta.get("proceeding_date") or doc.date
    if doc.filed and (doc.document_number or doc.filed != spoken_on):
        add(doc.filed, "transcript", f"Transcript filed: {title}", filed_cite, doc.document_number)
    if spoken_on and (spoken_on != doc.filed or not doc.document_number):
        witnesses = list(dict.fromkeys(str(w.get("witness")) for w in meta.get("witnesses") or []
                                       if isinstance(w, dict) and w.get("witness")))
        if meta.get("proceeding") == "trial":
            what = "Trial"
        elif re.search(r"\bdeposition\b", title + " " + doc.text[:3000], re.I):
            what = "Deposition"
        else:
            what = "Hearing"
        heard = f" (witness{'es' if len(witnesses) > 1 else ''}: {', '.join(witnesses)})" if witnesses else ""
        add(spoken_on, "hearing" if what == "Hearing" and not witnesses else "testimony",
            f"{what}: {title}{heard}", cite(doc, page, line), None)
    return out


def _mention(st: DatedStatement, store_entities: Any = None) -> _Mention:
    """A stored statement as a mention to merge, its entities from the store's
    mentions (`store_entities(sentence)`) when it has them for the sentence."""
    entities, words = st.entities, set(st.words)
    if st.sentence is not None:  # a sentence: tagged with what it names
        entities = (store_entities(st.sentence) if store_entities else None) or st.entities
        if st.speaker:
            entities = [e for e in entities if e != st.speaker]
        words |= {"@" + e.lower() for e in entities}
    src = st.source
    event = Event(src.date, src.precision, st.title, st.kind, list(entities), False, [src], [src.date])
    return _Mention(event, src, words, st.refs, st.role, st.docket_number, _ORIGIN_WEIGHT[src.origin],
                    st.residue, st.names, st.sentence_refs)


_HELD = re.compile(r"\b(?:held|conducted)\s+(?:on\s+)?", re.I)


def _entry_statements(e: DocketEntry) -> list[DatedStatement]:
    """A docket entry's filing, and the hearing it says was held."""
    doc_key = _docket_key(e)
    ents = _entities(e.description)
    out = []
    if e.filed:
        src = Source(doc_key, None, None, e.cite, e.filed, e.filed, "day", None, None,
                     e.case_number or e.source, e.description, "docket")
        out.append(DatedStatement(src, _clean_title(_docket_title(e)), e.kind, _words(e.description), set(),
                                  docket_number=e.number, entities=ents))
    held = _hearing_held(e)
    if held:
        when, stated = held
        src = Source(doc_key, None, None, e.cite, stated, when, "day", None, None,
                     e.case_number or e.source, e.description, "docket")
        out.append(DatedStatement(src, _clean_title(_hearing_title(e)), "hearing",
                                  _words(e.description) | {"hearing"}, set(), entities=ents))
    return out


def _docket_key(e: DocketEntry) -> str:
    """What a docket entry's sources name as their document."""
    return f"docket:{e.case_number or ''}"


def _entry_key(e: DocketEntry) -> str:
    """A docket entry's content address (docket rows have no id of their own)."""
    return hashlib.sha256(json.dumps(asdict(e), sort_keys=True).encode()).hexdigest()[:20]


def _docket_statements(db: sqlite3.Connection, entries: Iterable[DocketEntry]) -> list[DatedStatement]:
    """The docket's statements, found once and kept in the store: reading a
    hearing's day wakes dateparser, which costs a second in a fresh process."""
    version = dated_version()
    kept = store.docket_dated(db, version)
    out: list[DatedStatement] = []
    found: dict[str, str] = {}
    for e in entries:
        key = _entry_key(e)
        if key in kept:
            out += [DatedStatement.from_record(_docket_key(e), r) for r in json.loads(kept[key])]
            continue
        statements = _entry_statements(e)
        found[key] = json.dumps([st.record() for st in statements], ensure_ascii=False)
        out += statements
    if found:
        _keep(store.save_docket_dated, db, version, found)
    return out


def _docket_title(e: DocketEntry) -> str:
    """The docket text up to the clerk's bookkeeping, in sentence case when shouted."""
    text = re.split(r"\s\((?:[a-z]{2,8}\d?,\s*COURT STAFF|Filed on|Entered:)", e.description)[0]
    text = text.rstrip("…").rstrip(" ,;.")
    label = e.cite
    return f"{label}: {text}" if text else label


def _hearing_title(e: DocketEntry) -> str:
    """"Motion Hearing held before Judge ...", from the minute entry's or transcript's text."""
    what = re.search(r":\s*([A-Z][^.:;]*?\bheld)\b", e.description)
    judge = re.search(r"before (?:Magistrate )?Judge ((?:[A-Z][\w.]*\s?){1,4})", e.description, re.I)
    text = what.group(1) if what else "Proceedings held"
    if judge:
        text += f" before Judge {judge.group(1).strip()}"
    return f"{text} ({e.cite})"


def _hearing_held(e: DocketEntry) -> tuple[str, str] | None:
    """The day a hearing was held, from minute entries and transcript entries."""
    if e.kind not in ("hearing", "transcript", "transcript_order"):
        return None
    for m in _HELD.finditer(e.description):
        tail = e.description[m.end(): m.end() + 40]
        found = find_dates(tail, e.filed)
        if found and found[0].start == 0 and found[0].precision == "day":
            return found[0].date, found[0].text
    if e.kind == "hearing" and e.filed:
        return e.filed, e.filed
    return None


def docket_events(entries: Iterable[DocketEntry]) -> list[Event]:
    """Events from a docket: each entry's filing, and each hearing held."""
    return [_mention(st).event for e in entries for st in _entry_statements(e)]


def document_events(doc: Document, doc_id: str | None = None) -> list[Event]:
    """One-source events from one document's dated statements (not merged)."""
    return [_mention(st).event for st in _dated_statements(doc, doc_id or doc.id)]


# --------------------------------------------------------------------------- merging


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _gap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    if _overlap(a, b):
        return 0
    return (b[0] - a[1]).days if a[1] < b[0] else (a[0] - b[1]).days


_MARKERS = {"<start>", "<end>"}


def _sentence_key(m: _Mention) -> tuple:
    return (m.source.doc, m.source.page, m.source.line_start, m.source.text[:80])


def _similarity(a: _Mention, b: _Mention, idf: dict[str, float], jaccard: bool) -> tuple[float, set[str]]:
    """IDF-weighted word overlap: over the smaller statement, or over the union."""
    shared = a.words & b.words
    if not shared:
        return 0.0, shared
    ws = sum(idf[w] for w in shared)
    denom = (a.mass + b.mass - ws) if jaccard else min(a.mass, b.mass)
    return ws / max(denom, 1e-9), shared


def _same_happening(m: _Mention, x: _Mention, idf: dict[str, float]) -> float:
    """How surely two statements with consistent dates tell one happening (0: not)."""
    docket = (m.source.origin == "docket", x.source.origin == "docket")
    if all(docket):  # one hearing told by its minute entry, transcript and transcript order
        return 1.0 if m.event.kind == x.event.kind == "hearing" and m.span == x.span else 0.0
    if m.docket_number and x.docket_number:
        return 1.0 if _entry_of(m.docket_number) == _entry_of(x.docket_number) else 0.0
    number = m.docket_number or x.docket_number
    if number and number in (x.refs if m.docket_number else m.refs):
        return 1.0
    fine = m.source.precision == x.source.precision == "day"
    if fine and m.event.kind == x.event.kind == "hearing" and m.span == x.span and any(docket):
        return 1.0
    if _sentence_key(m) == _sentence_key(x) and m.source.date == x.source.date:
        return 1.0  # one sentence stating one date twice
    if fine and m.residue and m.residue == x.residue:
        return 1.0  # a verbatim repeat (the amended complaint restating the complaint)
    if {m.role, x.role} == {"start", "end"} or (m.role == "deadline") != (x.role == "deadline"):
        return 0.0
    if not fine and not (m.names <= x.words or x.names <= m.words):
        return 0.0  # "resigned in May 2024": Wainwright is not Sutskever
    sim, shared = _similarity(m, x, idf, jaccard=not fine)
    if len(shared - _MARKERS) < 2:
        return 0.0
    return sim if sim >= 0.3 else 0.0


@dataclass
class _Cluster:
    members: list[_Mention]
    common: tuple[date, date]  # the days every member's date allows

    @property
    def numbers(self) -> set[str]:
        return {_entry_of(m.docket_number) for m in self.members if m.docket_number}


def _entry_of(number: str) -> str:
    """The docket entry a document number belongs to: an attachment "340-1" to 340."""
    return number.split("-", 1)[0]


def _months(span: tuple[date, date]) -> list[tuple[int, int]]:
    (y, m), end = (span[0].year, span[0].month), (span[1].year, span[1].month)
    out = []
    while (y, m) <= end and len(out) < 400:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _consistent_clusters(mentions: list[_Mention], idf: dict[str, float]) -> list[_Cluster]:
    """Group statements whose dates agree and whose words say the same thing.

    Every member of a cluster allows a common day, so a cluster never holds a
    disagreement; those are found afterwards by `_reconcile`.
    """
    order = sorted(mentions, key=lambda m: (-m.weight, PRECISIONS.index(m.source.precision), m.source.date))
    clusters: list[_Cluster] = []
    index: dict[tuple[int, int], list[int]] = {}
    for m in order:
        span = m.span
        best, best_score = None, 0.0
        seen: set[int] = set()
        for key in _months(span):
            for ci in index.get(key, ()):
                if ci in seen:
                    continue
                seen.add(ci)
                c = clusters[ci]
                if not _overlap(span, c.common):
                    continue
                if m.docket_number and c.numbers - {_entry_of(m.docket_number)}:
                    continue
                score = max(_same_happening(m, x, idf) for x in c.members[:16])
                if score > best_score:
                    best, best_score = ci, score
        if best is None:
            clusters.append(_Cluster([m], span))
            best = len(clusters) - 1
        else:
            c = clusters[best]
            c.members.append(m)
            c.common = (max(c.common[0], span[0]), min(c.common[1], span[1]))
        for key in _months(clusters[best].common):
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] != best:
                bucket.append(best)
    return clusters


def _primary(members: list[_Mention]) -> str:
    """The date the weightier sources agree on.

    A date is supported by the sources that state it or a coarser date that
    contains it ("February 2018" supports "February 21, 2018", not the other
    way round), so the finest date the record backs wins.
    """
    dates = {m.source.date for m in members}
    spans = {d: date_span(d) for d in dates}

    def key(d: str) -> tuple:
        a, b = spans[d]
        support = sum(m.weight for m in members if m.span[0] <= a and b <= m.span[1])
        return support, -PRECISIONS.index(_precision_of(d)), -a.toordinal()

    return max(dates, key=key)


def _near(spans: list[tuple[date, date]]) -> Callable[[int], list[int]]:
    """For each span, the others disjoint from it and at most `_MISDATED_DAYS`
    away: the dates it could misstate. Found by bisection, not by a scan of
    every cluster in the years around; given in year order, then position."""
    lo = [a.toordinal() for a, _ in spans]
    hi = [b.toordinal() for _, b in spans]
    by_end = sorted(range(len(spans)), key=lambda j: hi[j])
    by_start = sorted(range(len(spans)), key=lambda j: lo[j])
    ends, starts = [hi[j] for j in by_end], [lo[j] for j in by_start]

    def near(i: int) -> list[int]:
        before = by_end[bisect_left(ends, lo[i] - _MISDATED_DAYS):bisect_left(ends, lo[i])]
        after = by_start[bisect_right(starts, hi[i]):bisect_right(starts, hi[i] + _MISDATED_DAYS)]
        first = spans[i][0].year - 1
        return sorted(set(before + after), key=lambda j: (max(first, spans[j][0].year), j))

    return near


def _reconcile(clusters: list[_Cluster], idf: dict[str, float]) -> list[_Cluster]:
    """Fold a vaguely dated statement into the event it misdates.

    A cluster dated only to a month, year or season ("withdrawn in July") joins
    a nearby cluster with a disjoint date when they say the same thing in the
    same words: the result is one event with two dates, i.e. disputed. Two
    different exact days are taken to be two happenings, never merged.
    """
    primary = [_primary(c.members) for c in clusters]
    prim = [date_span(d) for d in primary]
    precision = [_precision_of(d) for d in primary]
    near = _near(prim)
    absorbed: dict[int, int] = {}
    sentences = [{_sentence_key(m) for m in c.members} for c in clusters]
    weight = [sum(m.weight for m in c.members) for c in clusters]
    for i in sorted(range(len(clusters)), key=lambda i: weight[i]):
        if precision[i] == "day" or i in absorbed:
            continue
        a = prim[i]
        best, best_score = None, 0.0
        for j in near(i):
            if j in absorbed:
                continue
            if precision[j] != "day" and weight[j] < weight[i]:
                continue  # the lighter of two vague clusters is the one to fold
            if not {m.source.doc for m in clusters[j].members} - {m.source.doc for m in clusters[i].members}:
                continue  # a disagreement needs a second source
            if sentences[i] & sentences[j] and not any(m.sentence_refs & clusters[j].numbers
                                                       for m in clusters[i].members):
                continue  # one sentence naming two dates names two things, unless it says which entry
            score = _misdated(clusters[i], clusters[j], idf) - 0.3 * _gap_days(a, prim[j]) / _MISDATED_DAYS
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score > 0:
            absorbed[i] = best
    out = []
    for i, c in enumerate(clusters):
        if i in absorbed:
            continue
        members = list(c.members)
        members += [m for k, j in absorbed.items() if j == i for m in clusters[k].members]
        out.append(_Cluster(members, c.common))
    return out


# A misdated report is off by weeks or a couple of months, not by years.
_MISDATED_DAYS = 120
# The docket filings a statement of each kind can misdate.
_MISDATES_OF = {
    "complaint": {"complaint", "answer"},
    "order": {"order"},
    "hearing": {"hearing", "transcript", "transcript_order"},
    "testimony": {"transcript", "hearing"},
    "filing": {"complaint", "answer", "motion", "opposition", "reply", "brief", "statement", "declaration",
               "stipulation", "notice", "request"},
}


def _misdated(vague: _Cluster, other: _Cluster, idf: dict[str, float]) -> float:
    """Does a vaguely dated cluster tell the same happening as another? 0: no.

    Only statements are compared (a document's own filing or publication
    date is not a claim), the vague statement's names must all recur in the
    other, and they must share what happened, not only who.
    """
    best = 0.0
    for m in vague.members[:8]:
        if not m.residue:
            continue  # not a statement in the text
        for x in other.members[:12]:
            if x.source.origin == "docket" and m.source.origin == "docket" or x.event.kind == "article":
                continue  # a publication date is not a claim about the happening
            if {m.role, x.role} == {"start", "end"} or not m.names <= x.words:
                continue
            if "deadline" in (m.role, x.role) or ("document" in (m.role, x.role) and m.role != x.role):
                continue
            if x.docket_number and x.event.kind not in _MISDATES_OF.get(m.event.kind, ()):
                continue
            sim, shared = _similarity(m, x, idf, jaccard=False)
            named = _words(" ".join(m.event.entities)) | {"@" + e.lower() for e in m.event.entities}
            content = shared - _MARKERS - named
            same_period = bool(m.role) and m.role == x.role and m.names
            if sim < 0.6 or len(content) < (1 if same_period else 2):
                continue
            number = x.docket_number
            best = max(best, sim + (0.2 if number and number in m.refs | m.sentence_refs else 0.0))
    return best


def _merge(mentions: list[_Mention]) -> list[Event]:
    """Merge one-source events that tell the same happening; flag date disagreements."""
    df = Counter(w for m in mentions for w in m.words)
    n = max(1, len(mentions))
    idf = {w: math.log(1 + n / c) for w, c in df.items()}
    for m in mentions:
        m.mass = sum(idf[w] for w in m.words)
    clusters = _reconcile(_consistent_clusters(mentions, idf), idf)
    return [_event_of(c.members) for c in clusters]


def _event_of(members: list[_Mention]) -> Event:
    """One event from its mentions: the best-supported date, every date stated."""
    dates = sorted({m.source.date for m in members}, key=lambda d: (date_span(d), d))
    spans = {d: date_span(d) for d in dates}
    chosen = _primary(members)
    disputed = any(not _overlap(spans[x], spans[y]) for i, x in enumerate(dates) for y in dates[i + 1:])
    def central(m: _Mention) -> int:  # how many other members tell it in the same words
        return sum(len(m.words & x.words) >= 2 for x in members if x is not m)

    lead = max(members, key=lambda m: (m.weight, m.docket_number is not None, m.event.kind != "article",
                                       m.source.date == chosen, central(m), -len(m.event.title)))
    ents = Counter(e for m in members for e in m.event.entities)
    sources = [m.source for m in sorted(members, key=lambda m: (-m.weight, m.source.date, m.source.cite))]
    return Event(chosen, _precision_of(chosen), lead.event.title, lead.event.kind,
                 [e for e, _ in ents.most_common()], disputed, sources, dates)


# --------------------------------------------------------------------------- the timeline


def _mention_lookup(db: sqlite3.Connection, doc_id: str):
    """Entities for a sentence's span from the store's spaCy mentions, when it has them."""
    marks = ",".join("?" * len(_ENTITY_LABELS))
    try:
        rows = db.execute(f"SELECT char_start, canonical FROM mentions WHERE doc_id = ? AND label IN ({marks})"
                          " ORDER BY char_start", (doc_id, *_ENTITY_LABELS)).fetchall()
    except sqlite3.Error:
        return None
    if not rows:
        return None
    starts = [r["char_start"] for r in rows]

    def lookup(span: tuple[int, int]) -> list[str]:
        lo, hi = bisect_right(starts, span[0] - 1), bisect_right(starts, span[1] - 1)
        return list(dict.fromkeys(r["canonical"] for r in rows[lo:hi]))

    return lookup


def _stored_statements(db: sqlite3.Connection) -> dict[str, list[DatedStatement]]:
    """Every document's dated statements as ingest stored them (or as found now)."""
    version = dated_version()
    found = _find_undated(db, version)
    fresh = set(found)
    for doc_id, record in store.dated(db, version):
        if doc_id not in fresh:
            found.setdefault(doc_id, []).append(DatedStatement.from_record(doc_id, json.loads(record)))
    return found


def _find_undated(db: sqlite3.Connection, version: str) -> dict[str, list[DatedStatement]]:
    """Find, and keep for next time, the statements of documents stored
    without them: by a casebase before the table, or by another version."""
    found = {}
    for doc_id in store.undated(db, version):
        dated = find_dated(store.load(db, doc_id))
        _keep(store.save_dated, db, doc_id, dated)
        found[doc_id] = dated.statements
    return found


def _keep(save: Callable[..., None], db: sqlite3.Connection, *args: Any) -> None:
    """Store what was found for next time, if the store lets us (it may be read-only or busy)."""
    try:
        save(db, *args)
    except sqlite3.Error:
        pass  # found again next time


def sync_dated(db: sqlite3.Connection) -> None:
    """Find and keep whatever the store lacks for the timeline (documents
    stored by an older casebase, a new docket), so the first build is quick:
    ingest's last step, as the vector index's sync is."""
    _find_undated(db, dated_version())
    _docket_statements(db, store.docket(db))


def _bound(value: str | None, end: bool) -> date | None:
    if not value:
        return None
    a, b = date_span(value)
    return b if end else a


def build_timeline(db: sqlite3.Connection, entity: str | None = None, after: str | None = None,
                   before: str | None = None, docket: Iterable[DocketEntry] | None = None) -> list[Event]:
    """Every event in the store (and the docket given), merged, in date order.

    `docket` defaults to the docket entries ingested into the store.
    `entity` keeps events naming that entity (canonical name or a common
    alias); `after`/`before` are ISO dates of any precision and keep events
    whose date range reaches into the window.
    """
    mentions = [_mention(st) for st in _docket_statements(db, store.docket(db) if docket is None else docket)]
    statements = _stored_statements(db)
    for row in store.documents(db):
        lookup = _mention_lookup(db, row["id"])
        mentions.extend(_mention(st, lookup) for st in statements.get(row["id"], ()))
    events = _merge(mentions)
    lo, hi = _bound(after, end=False), _bound(before, end=True)
    want = _resolve_entity(entity).lower() if entity else None
    out = []
    for ev in events:
        a, b = date_span(ev.date)
        if lo and b < lo or hi and a > hi:
            continue
        if want and want not in {e.lower() for e in ev.entities}:
            continue
        out.append(ev)
    out.sort(key=lambda e: (date_span(e.date)[0], PRECISIONS.index(e.precision), e.title))
    return out
