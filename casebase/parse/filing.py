"""What every parsed filing needs after its pages are read, PDF or text.

The parsers give pages of lines in reading order with printed line numbers;
this module reads what those lines say about the document: the ECF stamp's
case, docket number and date; the running heads and footers that are not
part of the text; the caption (court, parties, title); numbered paragraphs
(``¶ 12``) and footnotes, so that an answer can cite ``¶ 12`` or ``n.3``.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..records import Document, Line, Page

# A bare page number as printed: "2", "- 2 -", "-2-", "Page 2", "2 of 16", "iv".
PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)
# A transcript turn or an examination line: never a running head.
TURN = re.compile(
    r"^(?:[QA]\b\.?|(?:THE|MR|MS|MRS|DR|ATTORNEY|JUROR|BY)\b[\w .'’-]{0,40}:)"
)

_DIGITS = re.compile(r"\d+")
_PAGE_TOKEN = re.compile(r"(?:^|\s)(?:page\s)?-?\s?#\s?-?(?=\s|$)")
_LETTER = re.compile(r"[A-Za-z]")
_END_PUNCT = re.compile(r"[.?!:;,]$")
# A footnote opens with its number; "15 U.S.C. § 1" opening a line is a citation.
_NOTE_START = re.compile(
    r"^(\d{1,3})(?:\s+(?!U\.\s?S\.|C\.\s?F\.\s?R|F\.\s?(?:Supp|\d)|S\.\s?Ct|Cal\.|Fed\.|Stat\.)\S|$)"
)

_NOTE_JUMP = 30  # footnote numbers skipped at most (call marks lost in extraction)
_EDGE_TOP = 2  # lines from the top of a page that may be a running head
_EDGE_BOTTOM = 4  # lines from the bottom that may be a running footer
_SIDEBAR_MAX = 60  # a repeated mid-page line longer than this is text

_STATE = r"(?:(?:NEW|NORTH|SOUTH|WEST|RHODE)\s+)?[A-Z]+"
_COURT_NAMES = (
    r"UNITED STATES (?:DISTRICT|BANKRUPTCY) COURT|UNITED STATES COURT OF APPEALS"
    r"|SUPERIOR COURT OF (?:THE STATE OF )?" + _STATE + r"|SUPREME COURT OF (?:THE UNITED STATES|" + _STATE + r")"
    r"|COURT OF CHANCERY"
)
_COURT = re.compile(r"\b(" + _COURT_NAMES + r")(?=\s|$|,)")
# Appellate covers print the court in capitals and small capitals: "United
# States Court of Appeals / For the First Circuit" -- accepted as a whole line.
_COURT_LINE = re.compile(r"^(?:IN\s+THE\s+)?(" + _COURT_NAMES + r")\s*$", re.I)
_DISTRICT = re.compile(
    r"(?i:^(?:IN\s+AND\s+)?(?:FOR\s+)?(?:THE\s+)?"
    r"(?:(?P<part>NORTHERN|SOUTHERN|EASTERN|WESTERN|CENTRAL|MIDDLE)\s+(?P<word>DISTRICT\s+)?OF\s+(?P<state>"
    + _STATE + r")|DISTRICT\s+OF\s+(?P<state2>" + _STATE + r")"
    r"|(?P<circuit>(?:FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|ELEVENTH"
    r"|FEDERAL|D\.C\.)\s+CIRCUIT))\b)"
)
_DIVISION = re.compile(r"^([A-Z]+(?: [A-Z]+)?) DIVISION\b")
_SMALL_WORDS = {"of", "for", "the", "and", "in", "at", "on", "to"}
_NAME_PARTICLES = {"of", "the", "and", "de", "del", "la", "le", "van", "von", "der", "den", "du", "da", "y", "&"}

# Left caption column: a party, a role word, "v.", or a transcript column
# closed by ")" -- what stands before the title column on a merged line.
_ROLE = r"(?:Plaintiffs?|Defendants?|Petitioners?|Respondents?|Appellants?|Appellees?|Counter-?\s?(?:claim\s)?(?:Plaintiffs?|Defendants?))"
_LEFT = re.compile(
    r"^(?:[^()]*\)\s*"
    r"|(?:and\s+)?" + _ROLE + r"\s*[,.;]\s*(?:and\s+" + _ROLE + r"\s*[,.;]\s*)?"
    r"|(?:v|vs|V|VS)\.\s*|versus\s+"
    r"|[^()]*?,?\s+(?:et\s+al\.|ET\s+AL\.)\s*[,;]?\s*"
    r"|[^()]*?,\s+(?:an?\s+individual|individually(?:\s+and)?|derivatively(?:\s+on\s+behalf\s+of)?)\s*[,;]?\s*"
    r")"
)
_ENTITY = r"(?:INC|Inc|L\.?L\.?C|LLC|L\.?P|LP|CORP|Corp|CO|Co|LTD|Ltd|N\.A|PLLC|LLP|S\.A\.U|S\.A)\.?"
_PARTY = re.compile(
    r"^(?P<name>[A-Z][\w.&'’\- ]*?(?:,\s*" + _ENTITY + r")*)"
    r"(?:,?\s+(?:et\s+al\.?|ET\s+AL\.?)|,\s+(?=[a-z])|,?\s*[;)]|,\s*$)"
)
_VERSUS = re.compile(r"^(?:v|vs|V|VS)\.(?:\s|$)|^versus\b")
_INLINE_VERSUS = re.compile(r"^(?P<a>[A-Z].*?)\s+(?:v\.|vs\.|versus)(?:\s+(?P<b>[A-Z].*))?$")
# A party line in the title column's way: "FEDEX CORPORATION," or the
# name in front of a title fragment: "TOSHIBA CORPORATION, GRANTING ..."
_ENTITY_NAME = re.compile(
    r"^[A-Z][A-Z0-9&.'’\- ]*?(?:,?\s*" + _ENTITY + r"|\s(?:CORPORATION|COMPANY|BANK|TRUST|GROUP|HOLDINGS))\.?,\s+"
)
_LEADING_ENTITY = re.compile(r"^" + _ENTITY + r",\s*")
_ROLE_LINE = re.compile(r"\b" + _ROLE + r"\b")
_DEFENDANT_ROLE = re.compile(r"\b(?:Defendants?|Respondents?|Appellees?)\b")
_TITLE_WORDS = re.compile(
    r"\b(?:ORDER|MOTION|NOTICE|COMPLAINT|ANSWER|DECLARATION|AFFIDAVIT|STIPULATION|OPPOSITION|REPLY"
    r"|BRIEF|MEMORANDUM|TRANSCRIPT|COUNTERCLAIMS?|PETITION|JUDGMENT|APPLICATION|REQUEST|RESPONSE"
    r"|OBJECTIONS?|OPINION|VERDICT|STATEMENT|REPORT|LETTER|SUBPOENA|SUMMONS|INJUNCTION)\b"
)
_TITLE_STOP = re.compile(
    r"^(?:Case\s+No|CASE\s+NO|No\.|NO\.|Re:|RE:|Judge|JUDGE|Date|DATE|Time|TIME|Dept|DEPT|Courtroom|Ctrm|CTRM"
    r"|Place|Hearing|HEARING|Assigned|\[?Filed|Trial|Complaint\s+Filed|Action\s+Filed|Hon\.|APPEARANCES"
    r"|Pages?\s+\d|\d+\.\s|\(?[a-z]\)|I\.\s|INTRODUCTION|TABLE\s+OF|DEMAND\s+FOR\s+JURY)"
)
_CASE_NUMBER = re.compile(r"\b(\d):(\d{2})-([a-zA-Z]{2,3})-(\d{3,6})((?:-[A-Za-z]{1,4})*)\b")

_PARAGRAPH = re.compile(r"^(?:¶\s*(\d{1,4})\.?|(\d{1,4})\.)\s+(?=[\"“‘'(A-Z\w])")
_HEADING = re.compile(r"^(?:[IVXLC]+\.|[A-Z]\.|\d+\.\d+)\s+\S|^(?=(?:[^a-z]*[A-Z]){5})[^a-z]*$")
_PLEADING = re.compile(r"COMPLAINT|ANSWER|DECLARATION|AFFIDAVIT|COUNTERCLAIM|PETITION|STIPULATION", re.I)
_NOT_PLEADING = re.compile(r"^\W*(?:\[PROPOSED\]\s*)?(?:ORDER|MOTION|NOTICE|MEMORANDUM|BRIEF|OPPOSITION|REPLY)", re.I)
_SENTENCE_END = re.compile(r"[.:;!?)\]”\"’'—]\d{0,3}\s*$")
_PINPOINT = re.compile(r"(?:\bat|¶+|§+|\bNo\.|\bNos\.|\bpp?\.|\bEx\.|\bDkt\.|,)\s*$")
_REFERENCE = re.compile(r"(?:\bat|¶+|§+|\bNo\.|\bNos\.|\bpp?\.|\bEx\.|\bDkt\.|\bId\.|\bv\.)\s*$")
_LONG_SERIES = 10  # a document not titled as a pleading needs this long a run of ¶s
_TOC_LEADER = re.compile(r"\.\s?\.\s?\.\s?\.|…")


def finish(doc: Document) -> Document:
    """Fill in what a filing's lines say about the filing (in place; returns `doc`)."""
    _from_stamps(doc)
    _remove_furniture(doc)
    caption = _read_caption(doc)
    if doc.kind != "transcript":
        _mark_footnotes(doc)
        _mark_paragraphs(doc, caption)
    if doc.case_number is None:
        printed = _caption_case_number(doc)
        if printed:
            doc.case_number = printed
            doc.metadata.setdefault("case_number_source", "caption")
    return doc


# -- ECF stamps ---------------------------------------------------------------


def _from_stamps(doc: Document) -> None:
    stamped = [p for p in doc.pages if p.stamp is not None]
    if not stamped:
        return
    first = stamped[0].stamp
    if doc.case_number is None:
        doc.case_number = first.case_number
    if doc.document_number is None:
        doc.document_number = first.document_number
    if doc.filed is None:
        doc.filed = first.filed
    if doc.date is None:
        doc.date = doc.filed
    numbers = {p.stamp.document_number for p in stamped}
    if len(numbers) > 1:
        doc.warnings.append(f"ECF stamps name different documents: {', '.join(sorted(numbers))}")
    unstamped = [p.number for p in doc.pages if p.stamp is None and p.lines]
    if unstamped and len(stamped) >= 2:
        doc.warnings.append(f"no ECF stamp on page(s) {_ranges(unstamped)}")
    counts = {p.stamp.page_count for p in stamped if p.stamp.page_count}
    if len(counts) == 1:
        count = counts.pop()
        if count != len(doc.pages):
            doc.warnings.append(f"ECF stamp says {count} pages; {len(doc.pages)} read")


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


# -- running heads, footers, sidebars ----------------------------------------


def _norm(text: str) -> str:
    """Words of a running line without its page number: "-27- CASE NO. 4:24-CV-..."
    and "CASE NO. 4:24-CV-..." are the same footer."""
    flat = _DIGITS.sub("#", " ".join(text.lower().split()))
    return _PAGE_TOKEN.sub(" ", flat).strip() or flat


def _remove_furniture(doc: Document) -> None:
    """Move running heads, footers, page numbers and margin captions out of the body.

    A line counts as furniture when the same words (digits aside) stand at the
    top or bottom of at least half the pages, or, verbatim, anywhere on half
    the pages (the court's vertical sidebar as pdftotext emits it).
    """
    pages = [p for p in doc.pages if p.lines]
    if len(pages) < 2:
        for page in pages:
            _peel(page, set(), set())
        return
    needed = max(2, math.ceil(0.5 * len(pages)))
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for page in pages:
        texts = [l.text for l in page.lines]
        # what the parser already set apart counts: a cover page without
        # margin numbers keeps its reporter footer in the body
        top.update({_norm(t) for t in [*page.header, *texts[:_EDGE_TOP]] if not TURN.match(t)})
        bottom.update({_norm(t) for t in [*texts[-_EDGE_BOTTOM:], *page.footer] if not TURN.match(t)})
        anywhere.update({
            _DIGITS.sub("#", t) for t in texts
            if len(t) <= _SIDEBAR_MAX and len(t.split()) >= 2 and not TURN.match(t)
            and _LETTER.search(t) and not _END_PUNCT.search(t)
        })
    heads = {t for t, n in top.items() if n >= needed}
    foots = {t for t, n in bottom.items() if n >= needed}
    sidebar = {t for t, n in anywhere.items() if n >= needed}
    for page in pages:
        _peel(page, heads, foots)
        if sidebar:
            kept = []
            bottom_start = len(page.lines) - _EDGE_BOTTOM
            for i, line in enumerate(page.lines):
                if _DIGITS.sub("#", line.text) in sidebar:
                    (page.footer if i >= bottom_start else page.header).append(line.text)
                else:
                    kept.append(line)
            page.lines = kept


def _peel(page: Page, heads: set[str], foots: set[str]) -> None:
    footer: list[str] = []
    while page.lines:
        text = page.lines[-1].text
        if _norm(text) in foots or PAGE_NUMBER.match(text):
            footer.insert(0, page.lines.pop().text)
        else:
            break
    page.footer[:0] = footer
    while page.lines:
        text = page.lines[0].text
        if _norm(text) in heads or (PAGE_NUMBER.match(text) and len(page.lines) > 1):
            page.header.append(page.lines.pop(0).text)
        else:
            break


# -- caption --------------------------------------------------------------------


def _titlecase(text: str) -> str:
    words = text.split()
    return " ".join(
        w if any(c.islower() for c in w) or w.count(".") >= 2
        else (w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize())
        for i, w in enumerate(words)
    )


def _caption_lines(doc: Document) -> tuple[int, list[str]] | None:
    """The page index and the lines from the court's name on, on the first
    pages; running heads only if the body has no court line (the PDF parser
    may put a caption above the first margin number there, but the sidebar
    "United States District Court" is there too)."""
    for use_header in (False, True):
        for index, page in enumerate(doc.pages[:4]):
            texts = [l.text for l in page.lines]
            if use_header:
                texts = [h for h in page.header
                         if not (page.stamp and page.stamp.raw in " ".join(h.split()))] + texts
            for i, text in enumerate(texts):
                if _COURT.search(text) or _COURT_LINE.match(text.strip()):
                    return index, texts[i:i + 60]
    return None


def _read_caption(doc: Document) -> dict:
    """Court, parties and title from the caption; what was found, for the
    paragraph numbering to skip (its numbered lists are not paragraphs)."""
    found = _caption_lines(doc)
    if found is None:
        return {}
    index, lines = found
    m = _COURT.search(lines[0]) or _COURT_LINE.match(lines[0].strip())
    court = m.group(1)
    district = None
    rest = lines[1:]
    for j, text in enumerate(lines[1:4], start=1):
        d = _DISTRICT.match(text.strip())
        if d:
            district = d
            rest = lines[j + 1:]
            break
    name = _titlecase(court.upper())
    if district:
        if district.group("circuit"):
            name += " for the " + _titlecase(district.group("circuit").upper())
        else:
            state = (district.group("state") or district.group("state2")).upper()
            part = (district.group("part") or "").upper()
            if part and not district.group("word"):
                doc.warnings.append(f"caption reads '{district.group(0)}' (no 'DISTRICT')")
            name += ", " + _titlecase(f"{part} DISTRICT OF {state}" if part else f"DISTRICT OF {state}")
    if doc.court is None:
        doc.court = name
    if rest and _DIVISION.match(rest[0].strip()):
        doc.metadata.setdefault("division", _titlecase(rest[0].strip()))
        rest = rest[1:]
    parties, end = _read_parties(rest)
    if len(parties) == 1 and re.match(r"in\s+re\b", parties[0], re.I):
        doc.metadata.setdefault("in_re", parties[0])
        parties = []
    elif parties and not doc.parties:
        doc.parties = [_party_casing(doc, p) for p in parties]
    elif not parties:
        doc.warnings.append("caption found but no parties read from it")
    title = _read_title(rest[: end + 8] if end is not None else rest[:30], parties)
    if title:
        doc.title = title
    return {"page": index, "lines": end}


def _party_name(text: str) -> str | None:
    m = _PARTY.match(text)
    if not m:
        return None
    name = m.group("name").strip(" ,")
    if len(name) < 3 or name.lower().startswith(("before", "case", "attorney", "by ", "no.", "in re")):
        return None
    words = name.split()
    if len(words) > 14 or any(w[0].islower() and w not in _NAME_PARTICLES for w in words):
        return None  # a sentence, not a name
    return name


def _read_parties(lines: list[str]) -> tuple[list[str], int | None]:
    """The first plaintiff and the first defendant; index of the defendants' role line."""
    plaintiff = defendant = None
    seen_versus = False
    for i, text in enumerate(lines):
        text = text.strip()
        if i < 3 and re.match(r"in\s+re\b", text, re.I) and plaintiff is None:
            return [text], None  # "In re Bard IVC Filters ...": a matter, not parties
        if _VERSUS.match(text):
            seen_versus = True
            continue
        inline = _INLINE_VERSUS.match(text)
        if inline and not seen_versus and not _ROLE_LINE.search(inline.group("a")):
            # "TARRANT REGIONAL WATER DISTRICT v." / "A v. B"
            plaintiff = plaintiff or _party_name(inline.group("a") + ",") or inline.group("a").strip(" ,")
            seen_versus = True
            if inline.group("b"):
                defendant = _party_name(inline.group("b") + ",")
            continue
        name = None if _ROLE_LINE.match(text) else _party_name(text)
        if name:
            if plaintiff is None and not seen_versus:
                plaintiff = name
            elif seen_versus and defendant is None:
                defendant = name
        if seen_versus and _DEFENDANT_ROLE.search(text):
            return [p for p in (plaintiff, defendant) if p], i
    return [p for p in (plaintiff, defendant) if p], None


def _party_casing(doc: Document, name: str) -> str:
    """Caption names are in capitals; take the casing the body text uses."""
    if any(c.islower() for c in name):
        return name
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)", re.I)
    variants: Counter[str] = Counter()
    for page in doc.pages[:20]:
        for line in page.lines:
            for m in pattern.finditer(line.text):
                if any(c.islower() for c in m.group(0)):
                    variants[m.group(0)] += 1
    return variants.most_common(1)[0][0] if variants else _titlecase(name)


def _read_title(lines: list[str], parties: list[str]) -> str | None:
    """The first run of capitalised title-column fragments naming a paper.

    Caption columns arrive merged on one line ("Plaintiffs, PRELIMINARY
    INJUNCTION"): the title column is what is left after the party column,
    or else the line's trailing words in capitals. A party's name in
    capitals ("FEDEX CORPORATION,") is the party column, not the title.
    """
    runs: list[list[str]] = []
    run: list[str] = []
    names = tuple(p.upper() for p in parties)

    def close() -> None:
        nonlocal run
        if run:
            runs.append(run)
            run = []

    for text in lines:
        right = text.strip()
        for _ in range(4):
            m = _LEFT.match(right) or _ENTITY_NAME.match(right) or _LEADING_ENTITY.match(right)
            if not m or not m.group(0) or _TITLE_WORDS.search(m.group(0)):
                break
            right = right[m.end():]
        right = right.strip()
        if not right:
            continue
        if right.endswith(",") and not _TITLE_WORDS.search(right) or right.upper().startswith(names):
            continue  # a party of the caption's left column
        if _TITLE_STOP.match(right) or right.startswith("("):
            close()
            continue
        if any(c.islower() for c in right):
            words = right.split()
            tail: list[str] = []
            while words and not any(c.islower() for c in words[-1]):
                tail.insert(0, words.pop())
            if words and re.fullmatch(r"No\.?:?|Nos?\.", words[-1]):
                close()  # "Case No. 4:24-CV-..." ends the title column's run
                continue
            right = _LEADING_ENTITY.sub("", " ".join(tail))
            tail = right.split()
            if sum(1 for w in tail if len(re.findall(r"[A-Z]", w)) >= 2) < 2 and not _TITLE_WORDS.search(right):
                close()
                continue
        if not re.search(r"[A-Z]", right):
            close()
            continue
        run.append(right)
    close()
    for run in runs:
        title = " ".join(run)
        if _TITLE_WORDS.search(title):
            return re.sub(r"\s+FOR\s*:?$", "", title).rstrip(" :;,")
    return None


def _caption_case_number(doc: Document) -> str | None:
    for page in doc.pages[:3]:
        for line in page.lines[:60]:
            if re.search(r"\bno\b", line.text, re.I):  # "Case No.", "No.", "Civil Action No."
                m = _CASE_NUMBER.search(line.text)
                if m:
                    return f"{m.group(1)}:{m.group(2)}-{m.group(3).lower()}-{m.group(4)}{m.group(5).upper()}"
    return None


# -- footnotes --------------------------------------------------------------------


def _mark_footnotes(doc: Document) -> None:
    """Flag footnotes: from a line opening with the next footnote number, low on
    a page whose text above calls it (``Bonta.1``), to the page end.

    Footnotes are numbered through the document, so a start must be the next
    number, or a little higher when a call mark was lost in extraction (the
    text above must then call one of the numbers below, or two if the jump
    is large). A footnote continued from the previous page is not caught: it
    has no number to anchor on.
    """
    expected = 1
    for page in doc.pages:
        lines = page.lines
        if len(lines) < 3:
            continue
        start = None
        for i in range(len(lines) // 3, len(lines)):
            m = _NOTE_START.match(lines[i].text)
            if not m or not expected <= int(m.group(1)) <= expected + _NOTE_JUMP:
                continue
            numbers = _note_numbers(lines[i:], int(m.group(1)))
            above = "\n".join(l.text for l in lines[:i])
            called = sum(1 for n in numbers if _called(above, n))
            if called >= (1 if numbers[0] <= expected + 5 else 2):
                start = i
                expected = numbers[-1] + 1
                break
        if start is None:
            continue
        for line in lines[start:]:
            line.footnote = True
            line.paragraph = None


def _called(text: str, n: int) -> bool:
    """Does `text` call footnote `n`? "Bonta.1", "LLC, 1 Deannah" (the
    superscript set apart), but not "F.3d", "Section 1", "Dkt. No. 1"."""
    for m in re.finditer(r"(?:[A-Za-z)\]”’\"']|[.,;:]\s?)" + str(n) + r"(?![\dA-Za-z.,:/-])", text):
        if m.group(0)[0].isalpha() or not _REFERENCE.search(text[: m.start() + 1]):
            return True
    return False


def _note_numbers(lines: list[Line], first: int) -> list[int]:
    """The rising footnote numbers that open lines, from `first` on."""
    numbers = [first]
    for line in lines[1:]:
        m = _NOTE_START.match(line.text)
        if m and numbers[-1] < int(m.group(1)) <= numbers[-1] + 3:
            numbers.append(int(m.group(1)))
    return numbers


# -- numbered paragraphs ----------------------------------------------------------


def _mark_paragraphs(doc: Document, caption: dict) -> None:
    """Number paragraphs ``12.`` / ``¶ 12``.

    A start counts if it is the next number; otherwise only where a sentence
    ended and the number after it follows soon: 1 opens a new series (an
    answer after its counterclaims, a prayer for relief), a higher number
    skips (an answer to some counts only; warned about). A heading
    or footnote ends a paragraph. A number that continues a citation
    ("Ex. 14 at / 1. On ...") is not a start. Outside complaints, answers and
    declarations only a long series counts: a brief's numbered headings are
    not paragraphs.
    """
    skip_page = caption.get("page")
    skip_lines = (caption.get("lines") or 0) + 8
    flat = [
        (page, line) for p_index, page in enumerate(doc.pages)
        for l_index, line in enumerate(page.lines)
        if not line.footnote and not (p_index == skip_page and l_index < skip_lines)
    ]
    starts: dict[int, int] = {}
    for i, (_, line) in enumerate(flat):
        m = _PARAGRAPH.match(line.text)
        if m and not _TOC_LEADER.search(line.text) and any(c.islower() for c in line.text[m.end():]):
            starts[i] = int(m.group(1) or m.group(2))
    last = 0
    current: int | None = None
    series: list[dict] = []
    marked: list[Line] = []
    notes: list[str] = []
    for i, (page, line) in enumerate(flat):
        n = starts.get(i)
        confirmed = False
        if n is not None:
            before = flat[i - 1][1].text if i else ""
            if _PINPOINT.search(before):
                n = None
            elif not before or _SENTENCE_END.search(before) or _HEADING.match(before):
                confirmed = any(starts.get(j) == n + 1 for j in range(i + 1, min(len(flat), i + 80)))
        if n is not None and last and n == last + 1:
            last = current = n
            series[-1]["last"] = n
        elif confirmed and n == 1:
            series.append({"page": page.number, "line": line.number, "last": 1})
            last = current = 1
        elif confirmed and last and n > last:
            notes.append(f"page {page.number} line {line.number}: paragraph {n} follows {last}")
            last = current = n
            series[-1]["last"] = n
        elif current is not None and _HEADING.match(line.text):
            current = None
        if current is not None:
            line.paragraph = current
            marked.append(line)
    if not series:
        return
    title = " ".join(filter(None, [doc.title, str(doc.metadata.get("doc_label") or "")]))
    pleading = _PLEADING.search(title) and not _NOT_PLEADING.match(title)
    if not pleading and max(s["last"] for s in series) < _LONG_SERIES:
        for line in marked:
            line.paragraph = None
        return
    doc.warnings.extend(notes)
    doc.metadata["paragraph_series"] = series
