"""One citation of the record, in Bluebook form.

Court documents take the forms of Bluepages B17 with the abbreviations of
table BT1 ("Compl. ¶ 12, ECF No. 1.", "Order Den. Mot. Prelim. Inj. at 4,
ECF No. 121.", "Sutskever Dep. 128:3–10, Oct. 1, 2025, ECF No. 340-1.");
a document of another case carries its case (rule 10.8.3); articles follow
rule 16.6. `pin_cite` is the compact locator the app and the CLI show beside
search hits, claims and timeline sources ("Dkt. 121 at 12:3–9").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
# Name parts a citation keeps beside a surname, shared by every form that splits a name.
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "ph.d", "ph.d.", "esq", "esq."})
PARTICLES = frozenset({"st.", "st", "de", "del", "della", "di", "da", "van", "von", "der", "den", "le", "la",
                       "du", "mac", "bin", "al"})
STYLES = ("ecf", "dkt")


def metadata(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A document row's metadata as a dict, whether stored as JSON or not."""
    meta = doc.get("metadata") or {}
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = {}
    return meta if isinstance(meta, dict) else {}


def cite_date(iso: str | None) -> str:
    """An ISO date (or year, or year-month) as a citation writes it: 'Mar. 5, 2025'."""
    if not iso:
        return ""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m:
        return iso
    y, mo, d = m.groups()
    if mo and 1 <= int(mo) <= 12:
        month = MONTHS[int(mo) - 1]
        return f"{month} {int(d)}, {y}" if d else f"{month} {y}"
    return y


def surname(name: str) -> str:
    """'ILYA SUTSKEVER' -> 'Sutskever', 'Vanessa St. Pierre' -> 'St. Pierre'."""
    parts = [p for p in name.split() if p]
    while len(parts) > 1 and parts[-1].rstrip(",").lower() in SUFFIXES:
        parts.pop()
    if not parts:
        return name
    keep = 2 if len(parts) > 2 and parts[-2].lower() in PARTICLES else 1
    return " ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w
                    for w in (p.rstrip(",") for p in parts[-keep:]))


def span(page: int | None, line_start: int | None = None, line_end: int | None = None,
         page_end: int | None = None) -> str:
    """'12', '12:3', '12:3–9' or, across a page break, '12:27–13:2'."""
    if page is None:
        return ""
    if line_start is None:
        return str(page)
    if page_end not in (None, page) and line_end is not None:
        return f"{page}:{line_start}–{page_end}:{line_end}"
    if line_end is None or line_end == line_start:
        return f"{page}:{line_start}"
    return f"{page}:{line_start}–{line_end}"


def line_span(page: int | None, line_start: int | None, line_end: int | None = None,
              page_end: int | None = None) -> str:
    """'line 3', 'lines 3–10' or, across a page break, 'lines 27–13:2' ('' without lines)."""
    if page is None or line_start is None:
        return ""
    lines = span(page, line_start, line_end, page_end).split(":", 1)[1]
    return f"lines {lines}" if "–" in lines else f"line {lines}"


def as_row(doc: Any) -> Mapping[str, Any]:
    """A documents-table row, or a parsed Document seen as one."""
    if isinstance(doc, Mapping):
        return doc
    return {"kind": doc.kind, "name": Path(doc.path).name, "title": doc.title,
            "document_number": doc.document_number, "date": doc.date, "filed": doc.filed,
            "case_number": doc.case_number, "court": doc.court, "parties": doc.parties,
            "metadata": doc.metadata}


def pin_cite(doc: Any, page: int | None = None, line_start: int | None = None,
             line_end: int | None = None, page_end: int | None = None) -> str:
    """The pin cite of a passage.

    'Dkt. 121 at 12:3–9' (a docketed filing, page:line on pleading paper),
    'Sutskever Dep. 128:3–10 (Dkt. 340-1)', "Hr'g Tr. 45:3–10 (Dkt. 109)",
    '<title>, <publisher> (<date>)' for an article. `doc` is a documents row
    or any mapping with its keys (kind, name, title, document_number, date,
    metadata), or a parsed Document.
    """
    doc = as_row(doc)
    kind = doc.get("kind")
    meta = metadata(doc)
    number = doc.get("document_number")
    if kind == "article":
        title = doc.get("title") or doc.get("name") or "Untitled"
        publisher = meta.get("publisher") or meta.get("site")
        when = cite_date(doc.get("date"))
        out = title + (f", {publisher}" if publisher else "") + (f" ({when})" if when else "")
        lines = line_span(page, line_start, line_end, page_end)
        return out + (f", {lines}" if lines else "")
    where = span(page, line_start, line_end, page_end)
    if kind == "transcript":
        return f"{document_form(doc)} {where}".rstrip() + (f" (Dkt. {number})" if number else "")
    if number:
        return f"Dkt. {number}" + (f" at {where}" if where else "")
    name = doc.get("title") or doc.get("name") or "Doc."
    return f"{name}" + (f" at {where}" if where else "")


# ----------------------------------------------------------------- the document's name

# Bluepages table BT1 (court documents), with the plurals and possessives
# filings use. Words not listed keep their spelling.
BT1 = {
    "acknowledgment": "Ack.", "addendum": "Add.", "administrative": "Admin.", "admission": "Admis.",
    "affidavit": "Aff.", "amended": "Am.", "appendix": "App.", "application": "Appl.",
    "argument": "Arg.", "attachment": "Attach.", "brief": "Br.", "certificate": "Cert.",
    "certification": "Cert.", "complaint": "Compl.", "counterclaim": "Countercl.",
    "counterclaims": "Countercls.", "declaration": "Decl.", "defendant": "Def.", "defendants": "Defs.",
    "defendant's": "Def.'s", "defendants'": "Defs.'", "denying": "Den.", "deposition": "Dep.",
    "document": "Doc.", "exhibit": "Ex.", "exhibits": "Exs.", "hearing": "Hr'g", "injunction": "Inj.",
    "interrogatory": "Interrog.", "interrogatories": "Interrogs.", "judgment": "J.",
    "memorandum": "Mem.", "motion": "Mot.", "motions": "Mots.", "opinion": "Op.", "opposition": "Opp'n",
    "petition": "Pet.", "petitioner": "Pet'r", "plaintiff": "Pl.", "plaintiffs": "Pls.",
    "plaintiff's": "Pl.'s", "plaintiffs'": "Pls.'", "preliminary": "Prelim.", "proceedings": "Proc.",
    "record": "R.", "report": "Rep.", "request": "Req.", "respondent": "Resp't", "response": "Resp.",
    "summary": "Summ.", "supplemental": "Supp.", "support": "Supp.", "temporary": "Temp.",
    "testimony": "Test.", "transcript": "Tr.", "and": "&",
}
# Words a descriptive title can lose (B17.1.1 keeps titles short); "in part" stays.
_DROP = {"a", "an", "the", "of", "for", "in", "verified", "[proposed]", "proposed"}
_PHRASES = ((re.compile(r"(?i)\bpoints\s+and\s+authorities\b"), "P. & A."),
            (re.compile(r"(?i)\bin\s+support\s+of\b"), "Supp."),
            (re.compile(r"(?i)\bin\s+opposition\s+to\b"), "Opp'n"),
            (re.compile(r"(?i)\bnotice\s+of\s+motion\s+and\s+(?=motion\b)"), ""))
# The words that say what a document is; the first one in its name decides
# the pin: paragraphs for pleadings and declarations, pages for the rest.
_TYPE_WORD = re.compile(r"\b(Order|Op\.|J\.|Mots?\.|Mem\.|Br\.|Opp'n|Reply|Resp\.|Compl\.|Countercls?\.|Answer"
                        r"|Decl\.|Aff\.|Stip(?:ulation)?\.?|Tr\.|Dep\.|Letter|Notice)")
_PARAGRAPHED = ("Compl.", "Countercl.", "Countercls.", "Answer", "Decl.", "Aff.", "Stip.", "Stipulation")
# Titles (and their parts) that are not names: court boilerplate a parser may keep.
_NOT_TITLE = re.compile(r"(?i)\b(case\s*no|caseno|document\s+\d)")


@lru_cache(maxsize=1)
def _casing() -> dict[str, str]:
    """Names whose casing title-case would break ('OPENAI' -> 'OpenAI'), from the alias table."""
    from casebase.aliases import DEFAULT_PATH, load_aliases

    out: dict[str, str] = {}
    for row in load_aliases(DEFAULT_PATH).rows:
        for word in (row.alias, row.canonical):
            if " " not in word and word[1:] != word[1:].lower() and not word.isupper():
                out.setdefault(word.lower(), word)
    return out


def _word(word: str, first: bool, abbreviate: bool = True) -> str:
    low = word.lower().replace("’", "'")
    if abbreviate and low in BT1:
        return BT1[low]
    base, poss = (low[:-2], "'s") if low.endswith("'s") else (low, "")
    if base in _casing():
        return _casing()[base] + poss
    if not word.isupper() and not word.islower():
        return word.replace("’", "'")
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "re", "with"}
    if not first and low in small:
        return low
    return low[:1].upper() + low[1:]


def display_title(title: str | None) -> str:
    """A title as a reference manager should show it: an all-capitals caption
    title in title case ('REPORTER'S TRANSCRIPT OF PROCEEDINGS' -> "Reporter's
    Transcript of Proceedings"), any other title as written."""
    text = " ".join((title or "").split())
    if not text.isupper():
        return text
    return " ".join(_word(w, i == 0, abbreviate=False) for i, w in enumerate(text.split()))


def abbreviate_title(title: str) -> str:
    """A filing's title in BT1 form: 'ORDER DENYING MOTION FOR A PRELIMINARY
    INJUNCTION' -> 'Order Den. Mot. Prelim. Inj.'."""
    text = " ".join(title.replace("’", "'").split())
    text = re.sub(r"^(?:-?v\.?-\s*|[^A-Za-z\[]+)+", "", text)  # "-V- ORDER": caption debris before the title
    text = re.split(r"\s*\(1\)\s*", text)[0]  # "ORDER (1) GRANTING ..., (2) ...": the order is enough
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    out: list[str] = []
    for word in re.findall(r"[^\s,;:]+|[,;:]", text):
        if word in ",;:":
            if out and out[-1] not in ",;:":
                out.append(word)
            continue
        if word.lower() in _DROP and not (out and out[-1] in ("Granting", "Den.") and word.lower() == "in"):
            continue
        if word in ("P.", "&", "A.", "Supp.", "Opp'n"):
            out.append(word)
            continue
        out.append(_word(word, not out))
    text = " ".join(out).replace(" ,", ",").replace(" ;", ";").replace(" :", ":").replace(", &", " &")
    return text.strip(" ,;:")


def docket_form(description: str) -> str:
    """A docket entry's document named from the clerk's text: 'OPPOSITION/RESPONSE
    (re 46 Notice of Motion and Motion for Preliminary Injunction) filed by ...'
    -> "Opp'n to Mot. Prelim. Inj."; 'REPLY (re 46 ...)' -> 'Reply Supp. Mot. Prelim. Inj.'."""
    text = " ".join(description.split())
    m = re.match(r"(?i)(opposition(?:/response)?|reply(?: in support)?)\s*\(re\s+\d+\s+([^)]*?)\s*\)", text)
    if m:
        target = abbreviate_title(re.sub(r"(?i)[,;]?\s*(?:and\s+)?memorandum of points.*$", "", m.group(2)))
        return ("Opp'n to " if m.group(1).lower().startswith("opp") else "Reply Supp. ") + target
    if re.match(r"(?i)transcript of proceedings", text):
        return "Hr'g Tr."
    head = re.split(r"(?i)\s+(?:by\b|filed\s*by|signed\s+by|against\b|with jury demand|re:?\s+\d|\(|responses due)"
                    r"|\.\s|,\s*-|;", text)[0]
    return abbreviate_title(head.rstrip(". "))


def document_form(doc: Any) -> str:
    """The name a citation gives a document: 'Compl.', 'Sutskever Dep.', "Hr'g Tr."."""
    doc = as_row(doc)
    meta = metadata(doc)
    if doc.get("kind") == "docket":
        return docket_form(doc.get("title") or "")
    if doc.get("kind") == "transcript":
        deponent = meta.get("deponent") or meta.get("witness")
        if deponent:
            return f"{surname(deponent)} Dep."
        return "Trial Tr." if meta.get("proceeding") == "trial" else "Hr'g Tr."
    title = " ".join(str(doc.get("title") or "").split())
    if not title or _NOT_TITLE.search(title):
        label = meta.get("doc_label")
        return abbreviate_title(label) if label else "Doc."
    m = re.match(r"(?i)^(supplemental\s+|reply\s+)?(declaration|affidavit)\s+of\s+(.+?)"
                 r"(?:\s+in\s+(?:support|opposition)\b|\s+re\b|,|$)", title)
    if m:
        supp = "Supp. " if m.group(1) and m.group(1).lower().startswith("supp") else (
            "Reply " if m.group(1) else "")
        return f"{surname(m.group(3))} {supp}{BT1[m.group(2).lower()]}"
    form = abbreviate_title(title)
    complaint = re.match(r"^(.*?\bCompl\.)", form)  # 'Compl. to Confirm Rescission ...': a complaint is 'Compl.'
    return complaint.group(1) if complaint else form


# ----------------------------------------------------------------- pins


def paragraph_pin(paragraphs: list[int]) -> str:
    """'¶ 12', '¶¶ 12–14' (a run), '¶¶ 12, 15'."""
    nums = sorted(set(paragraphs))
    if not nums:
        return ""
    if len(nums) == 1:
        return f"¶ {nums[0]}"
    if nums == list(range(nums[0], nums[-1] + 1)):
        return f"¶¶ {nums[0]}–{nums[-1]}"
    return "¶¶ " + ", ".join(map(str, nums))


def pin(form: str, kind: str | None, page: int | None = None, line_start: int | None = None,
        line_end: int | None = None, page_end: int | None = None,
        paragraphs: list[int] | None = None, footnote: int | None = None) -> str:
    """The pin the document type calls for: ¶ for pleadings and declarations,
    page:line for transcripts, 'at 4' for the rest, 'at 14 n.5' in a footnote
    (rule 3.2(b)); '' for an article."""
    if kind == "article" or page is None:
        return ""
    if footnote is not None and kind != "transcript":
        return f"at {page} n.{footnote}"
    head = _TYPE_WORD.search(form)
    if paragraphs and head and head.group(1) in _PARAGRAPHED:
        return paragraph_pin(paragraphs)
    if kind == "transcript":
        return span(page, line_start, line_end, page_end)
    if page_end not in (None, page):
        return f"at {page}–{page_end}"
    return f"at {page}"


def id_pin(p: str) -> str:
    """The pin after 'Id.': '¶ 14' stays, '45:3' becomes 'at 45:3'."""
    return p if not p or p.startswith(("¶", "at ")) else f"at {p}"


# ----------------------------------------------------------------- case and court


def case_name(parties: list[str] | str | None) -> str:
    """'Musk v. Altman' from the caption's first party on each side."""
    if isinstance(parties, str):
        try:
            parties = json.loads(parties)
        except ValueError:
            parties = [parties]
    parties = [p for p in (parties or []) if p]
    if len(parties) < 2:
        return ""
    return f"{_case_party(parties[0])} v. {_case_party(parties[1])}"


_T6 = {"corporation": "Corp.", "company": "Co.", "group": "Grp.", "incorporated": "Inc.",
       "association": "Ass'n", "insurance": "Ins.", "international": "Int'l", "national": "Nat'l",
       "technologies": "Techs.", "technology": "Tech.", "district": "Dist.", "regional": "Reg'l",
       "department": "Dep't", "america": "Am.", "university": "Univ.", "services": "Servs.", "service": "Serv."}


_ORG_WORDS = re.compile(r"(?i)\b(inc|llc|l\.l\.c|corp|corporation|company|co|ltd|l\.p|lp|foundation|fund)\b\.?")


def _case_party(name: str) -> str:
    """A party as rule 10.2 names it: a person by surname, a firm or body with
    T6 abbreviations, a state without 'State of'."""
    name = re.sub(r"(?i),?\s+et\s+al\.?$", "", " ".join(name.split()))
    name = re.sub(r"(?i),?\s+(?:jr|sr|ii|iii|iv)\.?$", "", name)  # a person's suffix, not a firm's comma
    state = re.sub(r"(?i)^(?:the\s+)?(?:state|commonwealth|people)\s+of\s+(?:the\s+)?", "", name)
    if state != name:
        return state
    words = name.split()
    if not (_ORG_WORDS.search(name) or "," in name or len(words) == 1 or " of " in name
            or any(w.lower() in _T6 for w in words)):
        return surname(name)
    words = [_T6.get(w.lower().strip(","), w) + ("," if w.endswith(",") and w.lower().strip(",") in _T6 else "")
             for w in name.split()]
    out = " ".join(_casing().get(w.lower(), w) for w in words)
    return out[:1].upper() + out[1:]


# Table T10: states as court names abbreviate them.
STATES = {
    "alabama": "Ala.", "alaska": "Alaska", "arizona": "Ariz.", "arkansas": "Ark.", "california": "Cal.",
    "colorado": "Colo.", "connecticut": "Conn.", "delaware": "Del.", "columbia": "D.C.", "florida": "Fla.",
    "georgia": "Ga.", "hawaii": "Haw.", "idaho": "Idaho", "illinois": "Ill.", "indiana": "Ind.", "iowa": "Iowa",
    "kansas": "Kan.", "kentucky": "Ky.", "louisiana": "La.", "maine": "Me.", "maryland": "Md.",
    "massachusetts": "Mass.", "michigan": "Mich.", "minnesota": "Minn.", "mississippi": "Miss.",
    "missouri": "Mo.", "montana": "Mont.", "nebraska": "Neb.", "nevada": "Nev.", "new hampshire": "N.H.",
    "new jersey": "N.J.", "new mexico": "N.M.", "new york": "N.Y.", "north carolina": "N.C.",
    "north dakota": "N.D.", "ohio": "Ohio", "oklahoma": "Okla.", "oregon": "Or.", "pennsylvania": "Pa.",
    "rhode island": "R.I.", "south carolina": "S.C.", "south dakota": "S.D.", "tennessee": "Tenn.",
    "texas": "Tex.", "utah": "Utah", "vermont": "Vt.", "virginia": "Va.", "washington": "Wash.",
    "west virginia": "W. Va.", "wisconsin": "Wis.", "wyoming": "Wyo.", "puerto rico": "P.R.",
}
_STATE_NAMES = "|".join(sorted(STATES, key=len, reverse=True))  # 'west virginia' before 'virginia'
_STATE = f"({_STATE_NAMES})"
_DISTRICT = re.compile(r"\b(?:(northern|southern|eastern|western|central|middle)\s+)?district\s+of\s+(?:the\s+)?"
                       + _STATE + r"\b")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh")
_CIRCUIT = re.compile(r"\b(" + "|".join(_ORDINALS) + r"|district of columbia|federal)\s+circuit\b")
_HIGH_COURT = re.compile(rf"\bsupreme\s+court\s+of\s+(?:the\s+)?(united states|{_STATE_NAMES})\b")

SLIP_OP = "slip op."


def _ordinal(n: int) -> str:
    """Bluebook ordinals: '1st', '2d', '3d', '4th', ..., '11th'."""
    return f"{n}{'st' if n == 1 else 'd' if n in (2, 3) else 'th'}"


def court_abbrev(court: str | None) -> str:
    """A court as table T7 abbreviates it: 'United States District Court, Northern
    District of California' -> 'N.D. Cal.', '... Southern District of New York' ->
    'S.D.N.Y.', '... for the Ninth Circuit' -> '9th Cir.', 'Supreme Court of North
    Carolina' -> 'N.C.'; '' for a court it cannot read."""
    low = " ".join((court or "").lower().split())
    m = _CIRCUIT.search(low)
    if m:
        name = m.group(1)
        return {"district of columbia": "D.C. Cir.", "federal": "Fed. Cir."}.get(
            name) or f"{_ordinal(_ORDINALS.index(name) + 1)} Cir."
    m = _DISTRICT.search(low)
    if m:
        part = {"northern": "N.D.", "southern": "S.D.", "eastern": "E.D.", "western": "W.D.",
                "central": "C.D.", "middle": "M.D."}.get(m.group(1) or "", "D.")
        state = STATES[m.group(2)]
        return part + ("" if re.fullmatch(r"(?:[A-Z]\.)+", state) else " ") + state  # 'S.D.N.Y.', 'N.D. Cal.'
    m = _HIGH_COURT.search(low)
    if m:
        return "U.S." if m.group(1) == "united states" else STATES[m.group(1)]
    return ""


def is_appellate(abbrev: str) -> bool:
    """A court whose untitled decisions are case law: a circuit, the Supreme
    Court, a state's highest court (a bare state abbreviation)."""
    return abbrev.endswith("Cir.") or abbrev == "U.S." or abbrev in STATES.values()


def case_key(case_number: str | None) -> str:
    """What stays the same when a case is reassigned: '3:24-cv-04722' and
    '4:24-cv-04722-YGR' are one case ('24-cv-04722')."""
    m = re.search(r"(\d{2})-([a-z]{2})-(\d{3,5})", (case_number or "").lower())
    return f"{m.group(1)}-{m.group(2)}-{int(m.group(3)):05d}" if m else (case_number or "").strip().lower()


# ----------------------------------------------------------------- records


@dataclass
class Item:
    """One passage of the record to cite, with every field a citation form needs.

    `cite` and `full` are the passage's citation on its own (Bluebook, ECF
    style); a list (`casebase.cite.lists`) turns repeats into Id. and short
    forms.
    """

    doc: str  # base name of the stored document
    cite: str = ""  # 'Compl. ¶ 12, ECF No. 1' (record form, no final period)
    full: str = ""  # with the case for a document of another case, final period
    quote: str = ""
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    title: str | None = None  # the document's own title (an article's headline)
    kind: str | None = None  # documents.kind: pdf, filing_text, transcript, article, docket
    date: str | None = None  # ISO: filing date of a court document, publication date of an article
    case_number: str | None = None
    document_number: str | None = None  # ECF number: '121', '340-1'
    url: str | None = None
    note: str = ""
    form: str = ""  # the document's Bluebook name: 'Compl.', "Hr'g Tr.", 'Sutskever Dep.'
    pin: str = ""  # '¶ 12', '¶¶ 12–14', 'at 4', '45:3–10'; '' for the whole document
    page_end: int | None = None  # last page when the passage runs over a page break
    paragraphs: list[int] = field(default_factory=list)
    event_date: str | None = None  # ISO: the day a transcript's proceeding took place
    court: str | None = None  # Bluebook abbreviation: 'N.D. Cal.'
    case_name: str | None = None  # 'Musk v. Altman'
    page_id: str | None = None  # PageID of the pin page where its ECF stamp carries one
    footnote: int | None = None  # the footnote the passage lies in
    author: str | None = None
    publisher: str | None = None

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def is_slip_opinion(self) -> bool:
        return self.form == SLIP_OP


@dataclass
class Entry:
    """An item as it stands in a citation list."""

    item: Item
    text: str  # full, Id. or short form, ending with a period
    verified: bool | None = None  # None: not checked (no store at hand)
    problem: str = ""  # why verification failed, one line


def item(doc: Any, page: int | None = None, line_start: int | None = None, line_end: int | None = None,
         quote: str = "", note: str = "", page_end: int | None = None,
         paragraphs: list[int] | None = None, page_id: str | None = None, footnote: int | None = None) -> Item:
    """A citation-list entry for a passage of a document (a documents row or a
    parsed Document). `paragraphs` are the numbered paragraphs the passage's
    lines belong to; `page_id` the ECF PageID of its page; `footnote` the
    footnote the lines lie in."""
    doc = as_row(doc)
    meta = metadata(doc)
    kind = doc.get("kind")
    form = "" if kind == "article" else document_form(doc)
    if form == "Doc." and is_appellate(court_abbrev(doc.get("court"))) and case_name(doc.get("parties")):
        form = SLIP_OP  # an untitled decision of an appellate court is case law: a slip opinion
    paragraphs = sorted(set(paragraphs or []))
    it = Item(
        doc=doc.get("name") or "", quote=" ".join(quote.split()), page=page, line_start=line_start,
        line_end=line_end if line_end is not None else line_start, title=doc.get("title"), kind=kind,
        date=(doc.get("filed") or doc.get("date")) if kind != "article" else doc.get("date"),
        case_number=doc.get("case_number"), document_number=doc.get("document_number"),
        url=meta.get("source_url") or None,
        note=note, form=form, page_end=page_end if page_end not in (None, page) else None,
        paragraphs=paragraphs,
        pin=pin(form, kind, page, line_start, line_end, page_end, paragraphs, footnote), footnote=footnote,
        event_date=doc.get("date") if kind == "transcript" else None,
        court=court_abbrev(doc.get("court")), case_name=case_name(doc.get("parties")),
        page_id=page_id, author=meta.get("author") or None,
        publisher=(meta.get("publisher") or meta.get("site")) if kind == "article" else None,
    )
    it.cite = record_cite(it)
    it.full = full_cite(it) + "."
    return it


def ecf_number(it: Item, style: str = "ecf") -> str:
    """'ECF No. 121' or, in the dkt style, 'Dkt. 121'; with the PageID where the stamp has one."""
    if not it.document_number:
        return ""
    number = f"ECF No. {it.document_number}" if style == "ecf" else f"Dkt. {it.document_number}"
    return number + (f", PageID.{it.page_id}" if it.page_id else "")


def record_cite(it: Item, style: str = "ecf", short: bool = False) -> str:
    """B17 form, no final period: 'Compl. ¶ 12, ECF No. 1'; a transcript adds the
    day it was taken. `short` drops the date and number for a later repeat."""
    if it.is_article:
        return article_cite(it, short=short)
    if it.is_slip_opinion:
        return slip_opinion_cite(it, short=short)
    head = " ".join(p for p in (it.form, it.pin) if p)
    if short:
        return head
    parts = [head]
    if it.event_date:  # a transcript: the day it was taken
        parts.append(cite_date(it.event_date))
    ecf = ecf_number(it, style)
    if ecf:
        parts.append(ecf)
    return ", ".join(parts)


def full_cite(it: Item, style: str = "ecf") -> str:
    """Rule 10.8.3 form for a document of another case, no final period:
    'Order Den. Mot. to Quash Subpoena at 3, Alvarado v. FedEx Corp.,
    No. 3:04-cv-00098-SI (N.D. Cal. Aug. 23, 2005), ECF No. 199'."""
    if it.is_article:
        return article_cite(it)
    if it.is_slip_opinion:
        return slip_opinion_cite(it)
    head = " ".join(p for p in (it.form, it.pin) if p)
    when = cite_date(it.event_date or it.date)
    paren = " ".join(p for p in (it.court, when) if p)
    parts = [head]
    if it.case_name:
        parts.append(it.case_name)
    if it.case_number:
        parts.append(f"No. {it.case_number}" + (f" ({paren})" if paren else ""))
    elif paren:
        parts[-1] += f" ({paren})"
    ecf = ecf_number(it, style)
    if ecf:
        parts.append(ecf)
    return ", ".join(parts)


def slip_opinion_cite(it: Item, short: bool = False) -> str:
    """Rule 10.8.1: 'Calvary Chapel of Bangor v. Mills, No. 20-1507, slip op. at 4
    (1st Cir. Dec. 22, 2020)'; the short form names the first party:
    'Calvary Chapel of Bangor, slip op. at 5'."""
    where = " ".join(p for p in (SLIP_OP, it.pin) if p)
    if short:
        return f"{it.case_name.split(' v. ')[0]}, {where}"
    paren = " ".join(p for p in (it.court, cite_date(it.date)) if p)
    number = f"No. {it.case_number}, " if it.case_number else ""
    return f"{it.case_name}, {number}{where}" + (f" ({paren})" if paren else "")


def article_cite(it: Item, short: bool = False) -> str:
    """Rule 16.6: 'Author, Title, Publication (Mar. 1, 2024), URL'; the short
    form is 'Author, supra' (or the title, where no author is known)."""
    title = it.title or it.doc
    if short:
        return f"{surname(it.author) if it.author else title}, supra"
    parts = [p for p in (it.author, title, it.publisher) if p]
    out = ", ".join(parts)
    when = cite_date(it.date)
    if when:
        out += f" ({when})"
    if it.url:
        out += f", {it.url}"
    return out
