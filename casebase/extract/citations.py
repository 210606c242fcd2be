"""Citations in court filings, as data: record cites and case law in one list.

A brief alternates between the record ("FAC ¶ 201", "ECF No. 121 at 4",
"Sutskever Dep. 128:3–10") and authority ("Honey Bum, 63 F.4th at 821",
"15 U.S.C. § 19").  "Id." means whatever was cited just before, of either
sort, so both are found here and resolved together.  Record cites come from
the regex table `_FORMS` below; case law and
statutes come from eyecite (with a faster tokenizer that finds the same cites).

Antecedents (`antecedent` is an index into the returned list):

- ``Id.`` points at the nearest preceding citation that is not itself an
  ``Id.`` (an ``Id.`` after an ``Id.`` shares its antecedent).
- A later cite to a record document already cited ("Compl. ¶ 14" after
  "Compl. ¶ 12", "Frantz Decl. ¶ 7" after "Declaration of Mary Frantz
  (“Frantz Decl.”) ¶ 4") points at the first cite of that document.
- A short case cite or ``supra`` ("Musk, 123 F.4th at 45") points at the
  latest full cite of that case before it (not the table of authorities).

Pin cites are parsed from the text as printed, including pleading-paper
margin numbers that interrupt a cite at a line break.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence, Union

__all__ = [
    "Cite",
    "LegalCite",
    "RecordCite",
    "find_citations",
    "find_legal_citations",
    "find_record_citations",
    "format_pin",
]


@dataclass
class RecordCite:
    """A cite to the record: a pleading, docket entry, transcript, exhibit."""

    kind: str  # complaint, amended_complaint, answer, counterclaim, ecf, docket,
    # deposition, transcript, hearing_transcript, exhibit, declaration,
    # page_id, id, brief, order
    document: str | None  # "Compl.", "FAC", "Sutskever Dep.", "ECF No. 121"
    text: str  # the citation as printed
    start: int
    end: int
    document_number: str | None = None  # docket number: "121", "340-1"
    paragraphs: list[int] = field(default_factory=list)  # ¶¶ 3–5 -> [3, 4, 5]
    page: int | None = None
    page_end: int | None = None
    line: int | None = None
    line_end: int | None = None
    exhibit: str | None = None  # "A", "25"
    pin: str | None = None  # the pin as printed, e.g. "¶¶ 82-124", "at 4"
    antecedent: int | None = None  # index (in the returned list) it refers to


@dataclass
class LegalCite:
    """A cite to authority: a case, a statute, or a short form of one."""

    kind: str  # case, statute, journal, id, supra, short, reference
    text: str
    start: int
    end: int
    reporter: str | None = None  # "F.3d", "U.S.C.", "Cal. Corp. Code"
    volume: str | None = None  # reporter volume, or statute title ("15")
    page: str | None = None  # first page of a case
    section: str | None = None  # statute section ("19")
    pin: str | None = None  # "1135", "(a)(1)(B)"
    year: int | None = None
    court: str | None = None
    plaintiff: str | None = None
    defendant: str | None = None
    parenthetical: str | None = None
    antecedent: int | None = None


Cite = Union[RecordCite, LegalCite]

# --------------------------------------------------------------------------
# Text as cited.  A citation may wrap onto the next printed line, and on
# pleading paper that line starts with its margin number ("(Id.\n 12  ¶ 98.)").
# Everything is matched on a normalised copy (each whitespace run one space,
# margin numbers dropped where the text is numbered pleading paper) and the
# spans are mapped back, so `start`/`end` index the text as given.

_MARGIN_LINE = re.compile(r"(?m)^[ \t]*\d{1,2}[ \t]+\S")
_RUN = re.compile(r"\s{2,}|[^\S ]")  # whitespace other than one plain space
_MARGIN_NUM = re.compile(r"\d{1,2}(?:[ \t\u00a0]+|(?=[ \t\r\f\u00a0]*\n))\s*")
_BLANK_LINE = re.compile(r"\n[ \t\r\f\u00a0]*\n")  # a paragraph break survives flattening


@dataclass
class _Flat:
    """A normalised copy of a text with the map back to the original."""

    text: str
    flat_starts: list[int]  # segment starts in `text`
    orig_starts: list[int]  # ... and in the original

    def orig(self, p: int) -> int:
        i = bisect_right(self.flat_starts, p) - 1
        return self.orig_starts[i] + (p - self.flat_starts[i]) if i >= 0 else 0

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.orig(a), (self.orig(b - 1) + 1 if b > a else self.orig(a))


def _numbered(text: str) -> bool:
    """Pleading paper or a transcript: most lines open with a line number."""
    lines = sum(1 for ln in text.splitlines() if ln.strip())
    return lines > 0 and len(_MARGIN_LINE.findall(text)) >= 0.25 * lines


def _flatten(text: str) -> _Flat:
    """Collapse whitespace runs (and margin numbers after a break) to one space."""
    margin = _numbered(text)
    parts: list[str] = []
    flat_starts: list[int] = []
    orig_starts: list[int] = []
    f = o = 0
    search = _RUN.search
    m = search(text)
    while m:
        a, b = m.span()
        broke = "\n" in m.group()
        while margin and broke and (mm := _MARGIN_NUM.match(text, b)):
            b = mm.end()  # a margin number, and the whitespace after it
            broke = "\n" in mm.group()
        if a > o:
            flat_starts.append(f)
            orig_starts.append(o)
            parts.append(text[o:a])
            f += a - o
        flat_starts.append(f)
        orig_starts.append(a)
        # Pleading paper is double-spaced: there a blank line is no paragraph break.
        blank = not margin and text.count("\n", a, b) > 1 and _BLANK_LINE.search(text, a, b)
        parts.append("\n" if blank else " ")
        f += 1
        o = b
        m = search(text, b)
    if o < len(text):
        flat_starts.append(f)
        orig_starts.append(o)
        parts.append(text[o:])
    return _Flat("".join(parts), flat_starts, orig_starts)


# Building blocks of the forms (matched on flattened text).
_S = r"\s?"  # optional space
_S1 = r"\s"  # required space
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014]"  # hyphen, en and em dashes
_SUB = r"(?:\([A-Za-z0-9]{1,4}\))"  # sub-paragraph: (a), (iv)
_FN = rf"(?:{_S}(?:&{_S})?nn?\.{_S}\d+)"  # footnote: "n.8", "& n.8"
_JOIN = rf"(?:{_S},{_S}(?:(?:and|&){_S1})?|{_S1}(?:and|&){_S1})"  # ", " ", and " " & "
_PARA_ITEM = rf"\d+{_SUB}*(?:{_S}{_DASH}{_S}(?:\d+{_SUB}*|{_SUB}+))?{_FN}?"
_PARA_LIST = rf"{_PARA_ITEM}(?:{_JOIN}{_PARA_ITEM})*"
_PARA_SIGN = r"(?:¶¶?|[Pp]aras?\.|[Pp]aragraphs?)"
_ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})(?![A-Za-z])"
_LINE = rf"\d+:\d+(?:{_S}{_DASH}{_S}(?:\d+:)?\d+)?"  # 128:3–10, 45:2-46:3
_PAGE = rf"(?:[*‘’']?\d+(?:{_S}{_DASH}{_S}[*‘’']?\d+)?(?![\d:])|{_ROMAN}(?:{_DASH}{_ROMAN})?)"
_PAGE_LIST = rf"(?:{_LINE}|{_PAGE}){_FN}?(?:{_S},{_S}(?:{_LINE}|{_PAGE}){_FN}?)*"
_LINE_LIST = rf"{_LINE}(?:{_S},{_S}{_LINE})*"
_PIN = (
    r"(?:"
    rf"{_S}(?:,{_S})?(?:at{_S1})?{_PARA_SIGN}{_S}{_PARA_LIST}"  # ¶¶ 3–5, at ¶ 43, ", ¶ 3"
    rf"|{_S}(?:,{_S})?at{_S1}{_PAGE_LIST}(?:{_S},{_S}{_PARA_SIGN}{_S}{_PARA_LIST})?"  # at 4; at 2, ¶ 10
    rf"|{_S1}{_LINE_LIST}"  # bare page:line, as transcripts are cited
    rf"|{_S}(?:,{_S})?§§?{_S}\d[\w.\-]*{_SUB}*"  # Id. § 1962(c)
    r")"
)
_EXH_ID = rf"(?:[A-Z]{{1,2}}(?![A-Za-z])|\d+(?:{_DASH}\d+)?(?![\d:]))"
_EXH = rf"(?<![A-Za-z])(?:Exh?s?\.|Exhibits?){_S}(?P<eid>{_EXH_ID})"
_EXH_TAIL = rf"{_S},?{_S}(?:Exh?s?\.|Exhibits?){_S}{_EXH_ID}"  # "FAC, Ex. 25"
_DEF = rf"{_S}\({_S}[“\"](?P<defn>[^”\"\n]{{1,60}})[”\"]{_S}\)"  # (“Liang Decl.”)
_NUM = rf"\d+(?:-{_S}\d+|\.\d+)?(?![\d:])"  # docket number: 121, 32-2, 28.1
_SIGNALS = r"(?:See|Cf|But|Compare|Accord|Contra|Also|And|The|This|That|In|Id|Ex|Exh|Dkt|ECF|E\.g)"
_CAP = rf"(?!{_SIGNALS}\b)[A-Z][A-Za-z'’\-]*"  # a capitalised word, not a signal
_CAPABBR = rf"{_CAP}\.?"  # ... or an abbreviation: "Hr’g", "Summ."
_ABBR = (  # abbreviations that may open a document's name ("Def. Mot.", "Pls.’ Opp.")
    r"(?:Def|Defs|Pl|Pls|Pltf|Pltfs|Pet|Resp|Supp|Suppl|Summ|Mem|Arg|Prelim|Inj|Am|Sec"
    r"|Opp|Mot|Br|Evid|Obj|Proc|Req|Ct|Dist|Conf|Sched|Stip|Prot|Compl|Fed|Cal)\.[’']?"
)
# A word before the document's name: a capitalised word not ending a sentence
# ("Patent. Toshiba MSJ": "Patent." ends one), or a known abbreviation.
_PRE = rf"(?:{_CAP}(?![.\w’'])|{_ABBR})"
_TAILWORD = rf"(?:{_CAPABBR}|for|of|to|in|re|and|&)"  # "Opp’n to Tessera’s Mot. for Partial Summ. J."
_NAME = rf"{_CAP}(?:{_S1}{_CAP})?"  # "Sutskever", "Van Dyke"
_PERSON = rf"(?:(?:Dr|Mr|Ms|Mrs|Prof)\.{_S1})?(?:[A-Z][\w'’\-]*\.?{_S1}){{0,3}}[A-Z][\w'’\-]+"

# --------------------------------------------------------------------------
# The forms: (group, kind, needs a pin, pattern, example).  Forms that name a
# document in words prose also uses ("the FAC alleges", "Sutskever Dep. was
# noticed") count only with a pin or an exhibit after them; the others are
# citations on their own ("Dkt. 46", "Id.").  After the pattern come, in
# order: an optional definition ("(“Liang Decl.”)"), exhibit, and pin.

_FORMS: list[tuple[str, str, bool, str, str]] = [
    (
        "f_amended", "amended_complaint", True,
        rf"(?:(?:First|Second|Third|Fourth|1st|2nd|2d|3rd|3d|4th){_S1})?Am(?:\.|ended){_S1}"
        rf"(?:Verified{_S1})?Compl(?:\.|aint)|(?<![A-Za-z])[FST]ACC?(?![A-Za-z])",
        "First Am. Compl. ¶ 231; FAC ¶¶ 3–5; FACC ¶ 221",
    ),
    ("f_complaint", "complaint", True, rf"(?:Verified{_S1})?Compl(?:\.|aint)", "Compl. ¶ 12"),
    (
        "f_answer", "answer", True,  # "counterclaim" when it names one
        rf"(?:Am(?:end)?(?:\.|ended){_S1})?(?:Ans(?:\.|wer)(?:,?{_S1}Countercl(?:\.|aims?))?"
        rf"|Countercl(?:\.|aims?))",
        "Amend. Ans., Counterclaim ¶¶ 29-35; Answer ¶ 4",
    ),
    (
        "f_dep", "deposition", True,
        rf"{_NAME}{_S1}(?:30\(b\)\(6\){_S1})?Dep(?:\.|osition)(?:{_S1}Tr\.)?"
        rf"|Dep(?:\.|osition){_S1}of{_S1}{_PERSON}",
        "Sutskever Dep. 128:3–10; Musk Dep. at 12:4-8; Deposition of Stephen Adkins at 3",
    ),
    (
        "f_decl", "declaration", True,
        rf"{_NAME}{_S1}Decl\.|Decl(?:\.|aration){_S1}of{_S1}{_PERSON}",
        "Frantz Decl. at ¶¶ 4, 6; Decl. of X ¶ 4; Liang Decl. Ex. 1, at 1",
    ),
    (
        "f_tr", "transcript", True,  # "hearing_transcript" for Hr'g / Hearing
        rf"(?:{_PRE}{_S1}){{0,2}}(?:Tr\.|Transcript)",
        "Tr. 45:2-46:3; Hr'g Tr. 12:4; Oral Arg. Tr. at 32-33",
    ),
    (
        "f_brief", "brief", True,
        rf"(?:{_PRE}{_S1}){{0,2}}(?:Opp(?:\.|['’]n)|Mot\.|Mtn\.|Br\.|Reply|Mem\.|MSJ)"
        rf"(?:{_S1}(?:[Tt]o|[Ff]or|in{_S1}Supp\.{_S1}of|re){_S1}(?:{_TAILWORD}{_S}){{1,6}}?)?",
        "Opp. at 5; Mot. at 12; Tessera Opp. to MSJ at 3-6; Mtn., Ex. 8",
    ),
    (
        "f_order", "order", True,
        rf"(?:{_PRE}{_S1}){{0,3}}Order(?:{_S1}re{_S1}(?:{_TAILWORD}{_S}){{1,4}}?)?",
        "First MSJ Order at 16-18; Order re Joint Status Report at 3",
    ),
    ("f_id", "id", False, r"(?<![\w.])(?:[Ii]d|[Ii]bid)\.", "Id.; id. ¶ 7; Id. at 45:13-24"),
    (
        "f_dkt", "docket", False,  # "ecf" for ECF; one cite per number listed
        rf"(?<![A-Za-z])(?:(?P<ecf>ECF)|Dkt\.?|Docket|Doc\.|D\.E\.)(?:{_S}Nos?\.)?{_S}"
        rf"(?P<nums>{_NUM}(?:{_JOIN}{_NUM})*)",
        "ECF No. 121 at 4; ECF 380-2, 403-6; Dkt. 46; Dkt. No. 32-2; Dkt. Nos. 46, 118",
    ),
    (
        "f_pageid", "page_id", False,
        rf"Page{_S}ID(?:\.|{_S}\#:?|{_S}:)?{_S}(?P<pid>\d+)(?:{_DASH}(?P<pid2>\d+))?",
        "PageID.234; PageID #: 234",
    ),
    ("f_exh", "exhibit", False, _EXH, "Ex. A at 2; Exh. 3; Exs. 5-7"),
]  # fmt: skip
_PINNED_FORMS = [f for f in _FORMS if f[2]]
_SELF_FORMS = [f for f in _FORMS if not f[2]]


def _alternation(forms: list[tuple[str, str, bool, str, str]]) -> str:
    return "|".join(f"(?P<{group}>{pattern})" for group, _, _, pattern, _ in forms)


_PINNED_RE = re.compile(
    rf"(?:{_alternation(_PINNED_FORMS)})(?:{_DEF})?(?P<tail>{_EXH_TAIL}(?:{_PIN})?|{_PIN})"
)
_SELF_RE = re.compile(rf"(?:{_alternation(_SELF_FORMS)})(?P<tail>(?:{_EXH_TAIL})?(?:{_PIN})?)")
_KIND = {group: kind for group, kind, _, _, _ in _FORMS}
# Words every form contains: the forms run only near them (speed).
_PINNED_KEYS = re.compile(
    r"Compl|[FST]ACC?\b|Am(?:\.|ended)|Ans(?:\.|wer)|Countercl|Dep(?:\.|osition)|Decl"
    r"|Tr\.|Transcript|Opp|Mot\.|Mtn\.|Br\.|Reply|Mem\.|MSJ|Order"
)
_SELF_KEYS = re.compile(r"[Ii]d\.|[Ii]bid\.|ECF|Dkt|Docket|Doc\.|D\.E\.|Page ?ID|Exh?|Exhibit")

# Small parsers for the pieces a match captured.
_SPACES_RE = re.compile(r"\s+")
_DASH_SPACE = re.compile(rf"\s*({_DASH})\s*")
_EXH_RE = re.compile(rf"^{_S},?{_S}(?:Exh?s?\.|Exhibits?){_S}({_EXH_ID})")
_PARA_ITEM_RE = re.compile(
    rf"nn?\.\s*\d+|(\d+)(?:\([^)]*\))*(?:\s*{_DASH}\s*(\d+)?(?:\([^)]*\))*)?"
)
_LINE_RE = re.compile(rf"(\d+):(\d+)(?:\s*{_DASH}\s*(?:(\d+):)?(\d+))?")
_PAGE_RE = re.compile(rf"([*‘’']?)(\d+)(?:\s*{_DASH}\s*[*‘’']?(\d+))?")
_NUM_RE = re.compile(r"\d+(?:-\s*\d+|\.\d+)?")
_HEADER_RE = re.compile(r"\bDocument\b.*\bFiled\b", re.I)
_TRANSCRIPT_DOC = re.compile(r"\b(?:Dep(?:\.|osition)|Tr\.|Transcript)")
_AMENDED_ORD = {"f": 1, "1": 1, "s": 2, "2": 2, "t": 3, "3": 3, "4": 4}


def _clean(s: str) -> str:
    """One line, single spaces (input is already flattened)."""
    return _SPACES_RE.sub(" ", s).strip()


def _expand(a: str, b: str | None) -> list[int]:
    """'161', '67' -> 161..167: ranges may abbreviate their end."""
    s = int(a)
    if not b:
        return [s]
    e = int(a[: len(a) - len(b)] + b) if len(b) < len(a) else int(b)
    if e < s:
        return [s]
    if e - s > 1000:
        return [s, e]
    return list(range(s, e + 1))


def _range_end(a: str, b: str | None) -> int | None:
    if not b:
        return None
    r = _expand(a, b)
    return r[-1] if len(r) > 1 else None


def _parse_pin(pin: str, cite: RecordCite) -> None:
    """Fill paragraphs / page / line fields from a cleaned pin string."""
    head, _, paras = pin.partition("¶")
    if not paras:
        m = re.search(r"[Pp]ara(?:graph)?s?\.?", pin)
        if m:
            head, paras = pin[: m.start()], pin[m.end() :]
    if paras:
        out: list[int] = []
        for m in _PARA_ITEM_RE.finditer(paras.lstrip("¶")):
            if m.group(1):
                out.extend(_expand(m.group(1), m.group(2)))
        cite.paragraphs = list(dict.fromkeys(out))  # "61(A), 61(E)" is ¶ 61 once
    head = head.strip(" ,")
    if head.startswith("at"):
        head = head[2:].strip()
    if not head or head.startswith("§"):
        return
    m = _LINE_RE.match(head)
    if m:
        cite.page, cite.line = int(m.group(1)), int(m.group(2))
        if m.group(4):
            cite.page_end = int(m.group(3)) if m.group(3) else None
            cite.line_end = int(m.group(4))
        return
    m = _PAGE_RE.match(head)
    if m and m.group(1) in ("", "*"):  # a quote mark prefixes a Bates suffix: no page
        cite.page = int(m.group(2))
        cite.page_end = _range_end(m.group(2), m.group(3))


def _doc_name(m: re.Match, group: str) -> str:
    """The document as named, or the short name a parenthetical defines for it."""
    return _clean(m.group("defn") or m.group(group))


def _fill_tail(cite: RecordCite, tail: str | None) -> None:
    """Exhibit and pin after the document name."""
    if not tail:
        return
    ex = _EXH_RE.match(tail)
    if ex:
        cite.exhibit = ex.group(1)
        if cite.kind != "id":
            cite.kind = "exhibit"
        tail = tail[ex.end() :]
    pin = _DASH_SPACE.sub(r"\1", _clean(tail)).lstrip(", ")
    if pin:
        cite.pin = pin
        _parse_pin(pin, cite)


def _new(kind: str, document: str | None, flat: _Flat, text: str, a: int, b: int) -> RecordCite:
    start, end = flat.span(a, b)
    return RecordCite(kind, document, text[start:end], start, end)


def _from_pinned(m: re.Match, flat: _Flat, text: str) -> list[RecordCite]:
    group = next(f[0] for f in _PINNED_FORMS if m.group(f[0]) is not None)
    kind = _KIND[group]
    document = _doc_name(m, group)
    if kind == "transcript" and re.search(r"Hr['’]g|Hearing", document):
        kind = "hearing_transcript"
    if kind == "answer" and "Countercl" in document:
        kind = "counterclaim"
    cite = _new(kind, document, flat, text, m.start(), m.end())
    _fill_tail(cite, m.group("tail"))
    if "Complaint" in document and not cite.paragraphs and not cite.exhibit:
        return []  # "Motion to Dismiss the First Amended Complaint at 15": the motion's page
    return [cite]


def _from_self(m: re.Match, flat: _Flat, text: str) -> list[RecordCite]:
    group = next(f[0] for f in _SELF_FORMS if m.group(f[0]) is not None)
    if group == "f_id":
        cite = _new("id", None, flat, text, m.start(), m.end())
        _fill_tail(cite, m.group("tail"))
        return [cite]
    if group == "f_pageid":
        cite = _new("page_id", "PageID", flat, text, m.start(), m.end())
        line_start = text.rfind("\n", 0, cite.start) + 1
        line_end = text.find("\n", cite.end)
        if _HEADER_RE.search(text[line_start : line_end if line_end >= 0 else len(text)]):
            return []  # the ECF stamp atop a page, not a citation
        cite.page = int(m.group("pid"))
        cite.page_end = int(m.group("pid2")) if m.group("pid2") else None
        cite.pin = _clean(m.group())
        return [cite]
    if group == "f_exh":
        eid = m.group("eid")
        cite = _new("exhibit", f"Ex. {eid}", flat, text, m.start(), m.end())
        cite.exhibit = eid
        _fill_tail(cite, m.group("tail"))
        return [cite]
    # docket / ECF: one cite per number listed ("Dkt. Nos. 46, 118")
    kind = "ecf" if m.group("ecf") else "docket"
    base = m.start("nums")
    numbers = list(_NUM_RE.finditer(m.group("nums")))
    cites = []
    for i, n in enumerate(numbers):
        number = _SPACES_RE.sub("", n.group())
        a = m.start() if i == 0 else base + n.start()
        b = m.end() if i == len(numbers) - 1 else base + n.end()
        doc = f"ECF No. {number}" if kind == "ecf" else f"Dkt. No. {number}"
        cite = _new(kind, doc, flat, text, a, b)
        cite.document_number = number
        cites.append(cite)
    _fill_tail(cites[-1], m.group("tail"))
    return cites


def _record_citations(flat: _Flat, text: str) -> list[RecordCite]:
    ft, n = flat.text, len(flat.text)
    found: list[RecordCite] = []
    # Pinned forms may open a few words before their keyword: search windows.
    windows: list[tuple[int, int]] = []
    for k in _PINNED_KEYS.finditer(ft):
        lo, hi = max(0, k.start() - 80), min(n, k.end() + 400)
        lo = ft.rfind(" ", 0, lo) + 1 if lo else 0
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    for lo, hi in windows:
        for m in _PINNED_RE.finditer(ft, lo, hi):
            found.extend(_from_pinned(m, flat, text))
    # Self forms open with their keyword.
    taken = 0
    for k in _SELF_KEYS.finditer(ft):
        if k.start() < taken:
            continue
        m = _SELF_RE.match(ft, k.start())
        if m:
            found.extend(_from_self(m, flat, text))
            taken = m.end()
    # Where two forms claim the same text, the longer (then earlier) wins.
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[RecordCite] = []
    taken_to = -1
    for c in found:
        if c.start >= taken_to and c.text.strip():
            out.append(c)
            taken_to = c.end
    return out


def find_record_citations(text: str) -> list[RecordCite]:
    """Record cites in document order, unresolved (`find_citations` resolves)."""
    return _record_citations(_flatten(text), text)


# --------------------------------------------------------------------------
# Case law and statutes (eyecite).


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """eyecite's tokenizer, but each reporter regex runs only near its reporter.

    eyecite's default runs every reporter regex whose abbreviation occurs
    anywhere (for "A." or "Cal." that is most of them) over the whole text:
    ~2.5 s for a 100-page filing.  Windows around each occurrence give the
    same tokens (a test checks this) at a fraction of the cost.
    """
    import ahocorasick
    from eyecite.models import CitationToken
    from eyecite.tokenizers import AhocorasickTokenizer

    _speed_up_eyecite()

    ws = re.compile(r"\s+")
    non_ws = re.compile(r"\S+")

    class WindowTokenizer(AhocorasickTokenizer):
        def __post_init__(self) -> None:
            super().__post_init__()
            grouped: dict[str, list] = defaultdict(list)
            for e in self.extractors:
                constructor = getattr(e.constructor, "__self__", None)
                if e.strings and not e.flags & re.I and constructor is CitationToken:
                    for s in e.strings:
                        grouped[ws.sub("", s)].append(e)
            windowed = {id(e) for es in grouped.values() for e in es}
            self._others = [e for e in self.extractors if id(e) not in windowed]
            self._anchors = {id(e): _anchor(e) for e in self._others}
            # Most reporter regexes read "<volume> <reporter>": those can only
            # match where the reporter follows a digit and one space.
            volume_first = _EDGE + r"((?P<volume>[1-9]\d*) (?P<reporter>"
            self._reporters = ahocorasick.Automaton()
            for s, es in grouped.items():
                after_volume = [e for e in es if e.regex.startswith(volume_first)]
                anywhere = [e for e in es if not e.regex.startswith(volume_first)]
                self._reporters.add_word(s, (len(s), after_volume, anywhere))
            self._reporters.make_automaton()

        def extract_tokens(self, text: str):  # type: ignore[override]
            n = len(text)
            for e in self._others:  # Id., supra, §, stop words, a few statutes
                anchor = self._anchors[id(e)]
                if anchor is None:
                    for m in e.get_matches(text):
                        yield e.get_token(m)
                    continue
                rx, to_space = anchor
                spans = []
                for m in rx.finditer(text):
                    lo, hi = max(0, m.start() - 1), min(n, m.end() + 1)
                    if to_space:  # the pattern is delimited by whitespace
                        while lo > 0 and not text[lo].isspace():
                            lo -= 1
                        while hi < n and not text[hi - 1].isspace():
                            hi += 1
                    spans.append((lo, hi))
                yield from _run_in_windows(e, text, spans)
            # Reporter strings are found in the text with whitespace removed
            # (as eyecite does); map those offsets back to the text.
            strip_starts: list[int] = []
            orig_starts: list[int] = []
            kept = 0
            for m in non_ws.finditer(text):
                strip_starts.append(kept)
                orig_starts.append(m.start())
                kept += m.end() - m.start()
            if not strip_starts:
                return

            def orig(p: int) -> int:
                i = bisect_right(strip_starts, p) - 1
                return orig_starts[i] + (p - strip_starts[i])

            windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
            by_id: dict[int, Any] = {}
            for end_s, (length, after_volume, anywhere) in self._reporters.iter(ws.sub("", text)):
                start = orig(end_s - length + 1)
                follows_volume = start > 1 and text[start - 1] == " " and text[start - 2].isdigit()
                if not anywhere and not follows_volume:
                    continue
                lo = max(0, start - 40)  # room for the volume
                hi = min(n, orig(end_s) + 81)  # ... and the page or section
                while hi < n and text[hi].isalnum():
                    hi += 1
                for e in (after_volume + anywhere) if follows_volume else anywhere:
                    windows[id(e)].append((lo, hi))
                    by_id[id(e)] = e
            for eid, spans in windows.items():
                yield from _run_in_windows(by_id[eid], text, spans)

    return WindowTokenizer()


def _speed_up_eyecite() -> None:
    """Two exact shortcuts inside eyecite, each a pure function of its inputs.

    - `get_court_by_paren` maps "(9th Cir. 2011)" to a court by scanning every
      court for every citation: remember the answer per string.
    - `extract_pincited_reference_citations` scans the rest of the document
      for each full cite's party names ("Winter, 555 U.S. at 22" style
      references); with a cite every few lines that is quadratic.  Start the
      scan where a name first occurs (none: nothing to find).
    """
    import eyecite.find
    import eyecite.helpers
    from eyecite.models import ReferenceCitation

    if getattr(eyecite.find, "_casebase_fast", False):
        return
    eyecite.helpers.get_court_by_paren = lru_cache(maxsize=4096)(eyecite.helpers.get_court_by_paren)
    scan = eyecite.find.extract_pincited_reference_citations

    def from_first_name(citation: Any, plain_text: str) -> list:
        end = citation.span()[1]
        names = [getattr(citation.metadata, k, None) for k in ReferenceCitation.name_fields]
        hits = [i for n in names if n and (i := plain_text.find(n, end)) >= 0]
        if not hits:
            return []
        first = max(end, min(hits) - 1)  # one character back keeps the \b test exact
        if first == end:
            return scan(citation, plain_text)
        saved = citation.span_end
        citation.span_end = first  # the scan starts at span()[1]
        try:
            return scan(citation, plain_text)
        finally:
            citation.span_end = saved

    from_first_name.__wrapped__ = scan  # type: ignore[attr-defined]
    eyecite.find.extract_pincited_reference_citations = from_first_name
    eyecite.find._casebase_fast = True


_EDGE = "(?:^|[^a-zA-Z0-9])"  # how eyecite's reporter and statute regexes open


def _anchor(e: Any) -> tuple[re.Pattern, bool] | None:
    """A fast regex whose hits locate every match of extractor `e` (or None: run it all).

    A regex that opens with an alternation (`(?:^|...)`) is scanned position by
    position; the same regex without that opening, or a plain word, is found by
    a fast literal search.
    """
    if e.regex.startswith(_EDGE):
        return re.compile(e.regex[len(_EDGE) :], e.flags), False
    if e.regex.startswith(r"(?:^|\s)(") and e.strings and not any("v" == s for s in e.strings):
        return re.compile("|".join(re.escape(s) for s in e.strings), e.flags), True
    if "(?P<stop_word>" in e.regex and e.regex.startswith(r"(?:^|\s)("):
        words = re.search(r"\(\?P<stop_word>[^)]*\)", e.regex)
        if words:
            return re.compile(r"(?<!\S)[^\sa-zA-Z0-9]*" + words.group(), e.flags), True
    if e.regex == r"(\S*§\S*)":
        return re.compile("§"), True
    return None


def _run_in_windows(e: Any, text: str, spans: list[tuple[int, int]]):
    """Tokens of extractor `e` found within the (merged) spans of `text`."""
    if not spans:
        return
    rx = e.compiled_regex
    spans.sort()
    lo, hi = spans[0]
    n = len(text)
    for a, b in spans[1:] + [(n + 1, n + 1)]:
        if a <= hi:
            hi = max(hi, b)
            continue
        for m in rx.finditer(text, lo, hi):
            yield e.get_token(m)
        lo, hi = a, b


def _name(s: str | None) -> str | None:
    """Party name on one line."""
    return _clean(s) if s and s.strip() else None


def _page_range(s: str | None) -> str | None:
    """eyecite leaves a pin range ("1105–06") in `extra`."""
    return s.strip() if s and re.fullmatch(rf"\s*\d+(?:{_DASH}\d+)?\s*", s) else None


def _pin(s: str | None) -> str | None:
    if not s:
        return None
    s = _clean(s).lstrip(", ")
    return s[3:].strip() if s.startswith("at ") else s


_CODE_BEFORE = re.compile(
    r"((?:Cal(?:\.|ifornia)\s)?(?:[A-Z][A-Za-z.'’]*\s(?:(?:and|&)\s)?){0,4}Code)\.?,?\s?$"
)
_SECTION_AFTER = re.compile(r"§§?\s?(\d[\w\-]*(?:\.\d+)*)((?:\(\w+\))*)")


def _statute_fallback(c: Any, flat: str) -> tuple[int, int, dict] | None:
    """A "§" eyecite could not place, e.g. "Cal. Corp. Code. § 5233(c)"."""
    p = c.span()[0]
    before = _CODE_BEFORE.search(flat, max(0, p - 80), p)
    after = _SECTION_AFTER.match(flat, p)
    if not before or not after or not re.search(r"[A-Z]", before.group(1)):
        return None
    code, start = before.group(1), before.start(1)
    state = re.search(r"\bCal(?:\.|ifornia)\s", code)
    if state:  # "Pages California Corporations Code": the code's name starts at the state
        code, start = code[state.start() :], start + state.start()
    fields = {"reporter": _clean(code), "section": after.group(1), "pin": after.group(2) or None}
    return start, after.end(), fields


def _tail_end(s: str, pos: int) -> int:
    """End of the parentheticals that follow a cite at `pos`: "(9th Cir. 2011) (quoting …)".

    eyecite sometimes runs a cite's full span on to a later, unrelated ")".
    """
    i = pos
    for _ in range(3):
        j = i
        while j < len(s) and s[j] in " ,":
            j += 1
        if j >= len(s) or s[j] != "(":
            break
        depth, k = 0, j
        for k in range(j, min(len(s), j + 600)):
            depth += {"(": 1, ")": -1}.get(s[k], 0)
            if depth == 0:
                break
        if depth:
            break
        i = k + 1
    return i


def _short_start(c: Any, flat: str) -> int:
    """Start of a short form: take in the party name printed just before it."""
    start = c.span()[0]
    guess = getattr(c.metadata, "antecedent_guess", None)
    if guess:
        piece = re.split(r"[).;,]\s", guess)[-1].strip()
        if piece and re.fullmatch(r"[A-Z][\w.,'’&\- ]*", piece):
            lo = max(0, start - len(piece) - 3)
            m = re.search(re.escape(piece) + r",?\s?$", flat[lo:start])
            if m:
                return lo + m.start()
    return start


def _legal_citations(flat: _Flat, text: str) -> list[tuple[LegalCite, Any]]:
    """Case law and statutes, each with its eyecite object (for resolution)."""
    if not flat.text.strip():
        return []
    from eyecite import get_citations
    from eyecite.models import (
        FullCaseCitation,
        FullJournalCitation,
        FullLawCitation,
        IdCitation,
        ReferenceCitation,
        ShortCaseCitation,
        SupraCitation,
        UnknownCitation,
    )

    out: list[tuple[LegalCite, Any]] = []
    for c in get_citations(flat.text, tokenizer=_tokenizer()):
        md, g = c.metadata, c.groups
        if isinstance(c, IdCitation):
            continue  # "Id." is found with the record cites: it may point at either
        if isinstance(c, UnknownCitation):
            found = _statute_fallback(c, flat.text)
            if found:
                a, b, fields = found
                start, end = flat.span(a, b)
                out.append((LegalCite("statute", text[start:end], start, end, **fields), None))
            continue
        if isinstance(c, FullCaseCitation):
            a, b = c.full_span()
            year = getattr(md, "year", None)
            fields = dict(
                reporter=c.corrected_reporter(), volume=g.get("volume"), page=g.get("page"),
                pin=_pin(md.pin_cite) or _page_range(md.extra),
                year=int(year) if year and str(year).isdigit() else None,
                court=md.court, plaintiff=_name(md.plaintiff), defendant=_name(md.defendant),
                parenthetical=md.parenthetical,
            )  # fmt: skip
            kind = "case"
        elif isinstance(c, FullLawCitation):
            a, b = c.full_span()
            fields = dict(
                reporter=_clean(g.get("reporter") or ""), volume=g.get("title") or g.get("volume"),
                page=g.get("page"), section=g.get("section"), pin=_pin(md.pin_cite),
                parenthetical=getattr(md, "parenthetical", None),
            )  # fmt: skip
            kind = "statute"
        elif isinstance(c, FullJournalCitation):
            a, b = c.full_span()
            fields = dict(
                reporter=c.corrected_reporter(), volume=g.get("volume"), page=g.get("page"),
                pin=_pin(md.pin_cite),
            )  # fmt: skip
            kind = "journal"
        elif isinstance(c, ShortCaseCitation):
            a, b = _short_start(c, flat.text), c.full_span()[1]
            fields = dict(
                reporter=c.corrected_reporter(), volume=g.get("volume"),
                pin=_pin(md.pin_cite) or g.get("page"),
                plaintiff=_name(getattr(md, "antecedent_guess", None)),
            )  # fmt: skip
            kind = "short"
        elif isinstance(c, SupraCitation):
            if not re.search(r"[A-Z][a-z]", getattr(md, "antecedent_guess", None) or ""):
                continue  # "as alleged supra ¶ 12": the document's own paragraphs
            a, b = _short_start(c, flat.text), c.full_span()[1]
            fields = dict(pin=_pin(md.pin_cite), plaintiff=_name(getattr(md, "antecedent_guess", None)))
            kind = "supra"
        elif isinstance(c, ReferenceCitation):
            a, b = c.span()
            fields = dict(
                pin=_pin(md.pin_cite), plaintiff=_name(getattr(md, "plaintiff", None)),
                defendant=_name(getattr(md, "defendant", None)),
            )  # fmt: skip
            kind = "reference"
        else:
            continue
        if kind in ("case", "statute", "journal"):
            b = max(c.span_with_pincite()[1], min(b, _tail_end(flat.text, c.span_with_pincite()[1])))
        start, end = flat.span(a, b)
        if text[start:end].strip():
            out.append((LegalCite(kind, text[start:end], start, end, **fields), c))
    return out


def find_legal_citations(text: str) -> list[LegalCite]:
    """Case law and statutes in document order, unresolved (`find_citations` resolves)."""
    return [lc for lc, _ in _legal_citations(_flatten(text), text)]


# --------------------------------------------------------------------------
# One list, resolved.


def _record_key(c: RecordCite) -> tuple | None:
    """What makes two record cites name the same document."""
    if c.kind in ("ecf", "docket"):
        return ("docket", c.document_number, c.exhibit)
    if c.kind in ("id", "page_id") or not c.document:
        return None
    doc = c.document
    if re.fullmatch(r"[FST]ACC?", doc):
        return ("amended_complaint", _AMENDED_ORD[doc[0].lower()], c.exhibit)
    m = re.match(r"(?:(First|Second|Third|Fourth|1st|2nd|2d|3rd|3d|4th)\s)?Am", doc)
    if m and "Compl" in doc:
        return ("amended_complaint", _AMENDED_ORD.get((m.group(1) or "?")[0].lower(), 0), c.exhibit)
    if re.search(r"\b(?:Dep|Decl)", doc):
        bare = re.sub(r"\b(?:Dep(?:osition)?|Decl(?:aration)?|Tr)\b\.?", "", doc)
        words = re.findall(r"[A-Z][\w'’\-]+", bare)
        name = words[-1].lower() if words else doc.lower()
        return ("declaration" if "Decl" in doc else "deposition", name, c.exhibit)
    return (c.kind, re.sub(r"[^a-z0-9]", "", doc.lower()), c.exhibit)


def _resolve_id(i: int, cite: RecordCite, cites: list[Cite], notes: list[bool]) -> Cite:
    """Turn an "Id." into a cite of what it points at (record or authority).

    An "Id." in the body skips citations in footnotes (`notes`) printed
    between it and the body text it follows.
    """
    j = i - 1
    while j >= 0 and notes[j] and not notes[i]:
        j -= 1
    if j < 0:
        return cite
    prev = cites[j]
    ant = prev.antecedent if prev.kind == "id" else j
    if ant is None:
        return cite
    target = cites[ant]
    if cite.paragraphs and isinstance(target, LegalCite) and target.kind != "id":
        # "id. ¶ 225" right after a case: cases are not cited by paragraph, so
        # the drafter means the pleading cited by paragraph before it.
        back = next(
            (k for k in range(ant - 1, -1, -1)
             if isinstance(cites[k], RecordCite) and cites[k].paragraphs),
            None,
        )  # fmt: skip
        if back is not None:
            ant = cites[back].antecedent if cites[back].kind == "id" else back
            if ant is None:
                return cite
            target = cites[ant]
            prev = target
    while (  # parallel cites ("345 U.S. 629, 73 S. Ct. 894"): the first names the case
        isinstance(target, LegalCite) and target.kind == "case" and ant > 0
        and isinstance(cites[ant - 1], LegalCite) and cites[ant - 1].kind == "case"
        and cites[ant - 1].start == target.start
    ):  # fmt: skip
        ant -= 1
        target = cites[ant]
    if isinstance(target, LegalCite):
        pin = _pin(cite.pin) if cite.pin else (prev.pin if isinstance(prev, LegalCite) else None)
        section = target.section
        sec = _SECTION_AFTER.match(pin or "")
        if sec and section:  # "Id. § 1962(c)" names its own section
            section, pin = sec.group(1), sec.group(2) or None
        return LegalCite(
            "id", cite.text, cite.start, cite.end,
            reporter=target.reporter, volume=target.volume, page=target.page,
            section=section, pin=pin, year=target.year, court=target.court,
            plaintiff=target.plaintiff, defendant=target.defendant, antecedent=ant,
        )  # fmt: skip
    cite.antecedent = ant
    cite.document = target.document
    cite.document_number = target.document_number
    # "FAC Ex. 2 at 1. Id. ¶ 91": exhibits are cited by page; ¶ means the FAC.
    parent = target.document and target.document != f"Ex. {target.exhibit}"
    if not (cite.paragraphs and parent):
        cite.exhibit = cite.exhibit or target.exhibit
    if not cite.pin and isinstance(prev, RecordCite):  # bare "Id.": the same pin again
        cite.pin, cite.paragraphs = prev.pin, list(prev.paragraphs)
        cite.page, cite.page_end = prev.page, prev.page_end
        cite.line, cite.line_end = prev.line, prev.line_end
    return cite


def find_citations(text: str, footnotes: Sequence[tuple[int, int]] | None = None) -> list[Cite]:
    """Every record and legal citation in `text`, in document order, resolved.

    `antecedent` is an index into the returned list.  Offsets index `text`.
    `footnotes` (character spans, e.g. from lines marked `Line.footnote`) lets
    an "Id." in the body skip the footnote citations that text extraction
    interleaves with body lines; without it the nearest citation is taken.
    """
    flat = _flatten(text)
    legal = _legal_citations(flat, text)
    spans = sorted((lc.start, lc.end) for lc, _ in legal)
    starts = [a for a, _ in spans]
    reach: list[int] = []  # furthest end among legal cites sorted so far
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)

    def inside_legal(c: RecordCite) -> bool:
        """Record-like words inside a case cite ("Conn. Ret. Plans & Tr. Funds")."""
        i = bisect_right(starts, c.end - 1) - 1  # last legal cite starting before c ends
        return i >= 0 and reach[i] > c.start

    record = [c for c in _record_citations(flat, text) if not inside_legal(c)]
    merged: list[tuple[Cite, Any]] = [(c, None) for c in record] + legal
    merged.sort(key=lambda x: (x[0].start, x[0].end))
    cites: list[Cite] = [c for c, _ in merged]
    index_of = {id(obj): i for i, (_, obj) in enumerate(merged) if obj is not None}

    # Each short form's candidates: the full cites eyecite groups it with.
    fulls_of: dict[int, list[int]] = {}
    eyecite_objs = [obj for _, obj in merged if obj is not None]
    if eyecite_objs:
        from eyecite import resolve_citations

        for resource, group in resolve_citations(eyecite_objs).items():
            full = getattr(resource, "citation", None)
            fulls = sorted(
                index_of[id(o)] for o in group
                if id(o) in index_of and cites[index_of[id(o)]].kind == cites[index_of[id(full)]].kind
            ) if full is not None and id(full) in index_of else []  # fmt: skip
            for obj in group:
                fulls_of[id(obj)] = fulls

    spans_ = sorted(footnotes or [])
    note_starts = [a for a, _ in spans_]

    def in_note(pos: int) -> bool:
        k = bisect_right(note_starts, pos) - 1
        return k >= 0 and pos < spans_[k][1]

    notes = [in_note(c.start) for c in cites]
    first_of: dict[tuple, int] = {}
    for i, (c, obj) in enumerate(merged):
        if isinstance(c, RecordCite):
            if c.kind == "id":
                cites[i] = _resolve_id(i, c, cites, notes)
                continue
            key = _record_key(c)
            if key is not None:
                j = first_of.setdefault(key, i)
                c.antecedent = j if j != i else None
        elif c.kind in ("short", "supra", "reference"):
            # the latest full cite before it (not the table of authorities)
            j = max((k for k in fulls_of.get(id(obj), []) if k < i), default=None)
            if j is None and c.kind == "short":  # same volume and reporter, earlier
                j = next(
                    (k for k in range(i - 1, -1, -1)
                     if isinstance(cites[k], LegalCite) and cites[k].kind == "case"
                     and cites[k].volume == c.volume and cites[k].reporter == c.reporter),
                    None,
                )  # fmt: skip
            if j is not None and j < i:
                target = cites[j]
                c.antecedent = j
                c.reporter, c.volume, c.page = target.reporter, target.volume, target.page
                c.plaintiff, c.defendant = target.plaintiff, target.defendant
                c.year, c.court = target.year, target.court
    return cites


# --------------------------------------------------------------------------
# Formatting.


def _paras(ps: list[int]) -> str:
    runs: list[list[int]] = []
    for p in ps:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    body = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return ("¶¶ " if len(ps) > 1 else "¶ ") + body


def format_pin(cite: Cite) -> str:
    """A normalised pin cite: 'Sutskever Dep. 128:3–10', 'Compl. ¶¶ 3–5', 'ECF No. 121 at 4'.

    An ``Id.`` is written out as the document it stands for.
    """
    if isinstance(cite, LegalCite):
        return _format_legal(cite)
    if cite.kind == "page_id":
        return f"PageID.{cite.page}" + (f"–{cite.page_end}" if cite.page_end else "")
    doc = cite.document or ("Id." if cite.kind == "id" else _clean(cite.text))
    if cite.exhibit and doc != f"Ex. {cite.exhibit}":
        doc = f"{doc} Ex. {cite.exhibit}"
    parts = []
    if cite.line is not None:
        loc = f"{cite.page}:{cite.line}"
        if cite.line_end is not None:
            loc += f"–{cite.page_end}:{cite.line_end}" if cite.page_end else f"–{cite.line_end}"
        parts.append(loc if _TRANSCRIPT_DOC.search(doc) else f"at {loc}")
    elif cite.page is not None:
        parts.append(f"at {cite.page}" + (f"–{cite.page_end}" if cite.page_end else ""))
    if cite.paragraphs:
        parts.append(_paras(cite.paragraphs))
    if not parts:
        return f"{doc} {cite.pin}" if cite.pin else doc
    return f"{doc} " + ", ".join(parts)


def _format_legal(c: LegalCite) -> str:
    if c.section:
        base = " ".join(x for x in (c.volume, c.reporter) if x) + f" § {c.section}"
        if c.pin:
            base += c.pin if c.pin.startswith("(") else (f", at {c.pin}" if c.pin[0].isdigit() else f" {c.pin}")
        return base
    if c.volume and c.reporter and c.page:
        base = f"{c.volume} {c.reporter} {c.page}"
        return f"{base}, {c.pin}" if c.pin and c.pin != c.page else base
    if c.volume and c.reporter:
        return f"{c.volume} {c.reporter} at {c.pin}" if c.pin else f"{c.volume} {c.reporter}"
    head = "Id." if c.kind == "id" else _clean(c.text)
    return f"{head} at {c.pin}" if c.pin and c.kind == "id" else head
