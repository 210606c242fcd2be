"""Export formats of a citation list: Bluebook text, Markdown, CSV, RIS,
BibTeX and CSL-JSON, each written from the same `Entry` list
(`casebase.cite.lists`).

The Bluebook text is what a brief pastes; the other formats carry the same
citation (`Entry.text`) as a note next to structured fields, so a reference
manager keeps the exact pin cite even where its own style cannot render a
record citation. Court documents (filings, orders, transcripts, docket
entries) are cases in every format; news articles are newspaper articles.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Callable

from casebase.cite.forms import PARTICLES, SUFFIXES, Entry, Item, display_title

# ----------------------------------------------------------------- shared


def flag(entry: Entry) -> str:
    """'[UNVERIFIED: <problem>]' for an entry whose quote failed verification, else ''."""
    if entry.verified is not False:
        return ""
    return f"[UNVERIFIED: {entry.problem}]" if entry.problem else "[UNVERIFIED]"


def _one_line(text: str | None) -> str:
    """Line-based formats (RIS, table cells, the Bluebook list) hold no line breaks."""
    return " ".join((text or "").split())


def _remarks(entry: Entry) -> list[str]:
    """What a reference manager keeps beside the citation: the quote and any flag."""
    out = [f'"{_one_line(entry.item.quote)}"'] if entry.item.quote.strip() else []
    return out + ([flag(entry)] if flag(entry) else [])


def date_parts(iso: str | None) -> list[int]:
    """[2025, 3, 4] from '2025-03-04'; only the parts present ('2025-03' -> [2025, 3])."""
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", (iso or "").strip())
    if not m:
        return []
    return [int(p) for p in m.groups() if p is not None]


def _slug(text: str | None, drop: frozenset[str] = frozenset()) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in drop]
    return "-".join(words)


_CASE_WORDS = frozenset({"v", "vs", "et", "al", "in", "re"})


def keys(entries: list[Entry]) -> list[str]:
    """Stable, unique keys (BibTeX keys, CSL and RIS ids), one per entry.

    'musk-altman-ecf121-p4' for a court document, 'sherwood-news-2024-12-13'
    for an article; a repeat in the list (an Id. cite) gets '-2', '-3'.
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for entry in entries:
        it = entry.item
        if it.is_article:
            base = "-".join(p for p in (_slug(it.publisher)[:40].strip("-"), "-".join(
                f"{n:02d}" for n in date_parts(it.date))) if p)
        else:
            base = _slug(it.case_name, _CASE_WORDS) or _slug(it.form) or _slug(it.title)[:40].strip("-")
            if it.document_number:
                base += f"-ecf{_slug(it.document_number)}"
            if it.page is not None:
                base += f"-p{it.page}"
        base = (base or _slug(it.doc)[:40].strip("-") or "item").strip("-")
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


_NOT_A_PERSON = re.compile(r"(?i)\d|\b(staff|news|press|reuters|associated|bloomberg|inc|llc|llp|"
                           r"corp|company|team|editors?|board|desk|service|wire|times|journal|post)\b")


def names(author: str | None) -> list[dict[str, str]]:
    """An article's byline as CSL names: [{'family': 'Keegan', 'given': 'Jon'}];
    an organisation or anything not shaped like a person as {'literal': ...}.

    Splits 'A B and C D', 'A B, C D', 'A B; C D'; reads 'Doe, Jane' as one name.
    """
    text = _one_line(re.sub(r"(?i)^by\s+", "", author or ""))
    out: list[dict[str, str]] = []
    for part in re.split(r"\s*;\s*|\s+and\s+|\s+&\s+", text):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) == 2 and len(pieces[0].split()) == 1 and len(pieces[1].split()) <= 2 \
                and pieces[1].lower() not in SUFFIXES:
            out.append({"family": pieces[0], "given": pieces[1]})  # 'Doe, Jane'
            continue
        if len(pieces) > 1 and pieces[-1].lower() in SUFFIXES:
            pieces[-2:] = [f"{pieces[-2]} {pieces[-1]}"]  # 'Jon Keegan, Jr.'
        out += [_person(piece) for piece in pieces]
    return out


def _person(name: str) -> dict[str, str]:
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in SUFFIXES else ""
    if not 2 <= len(words) <= 4 or _NOT_A_PERSON.search(name) or not all(
            w[:1].isupper() or w.lower() in PARTICLES for w in words):
        return {"literal": name}
    cut = next((i for i, w in enumerate(words[1:-1], 1) if w.lower() in PARTICLES), len(words) - 1)
    out = {"family": " ".join(words[cut:]), "given": " ".join(words[:cut])}
    return out | ({"suffix": suffix} if suffix else {})


def _inverted(name: dict[str, str], bibtex: bool = False) -> str:
    """'Keegan, Jon'; with a suffix 'Keegan, Jon, Jr.' (RIS) or 'Keegan, Jr., Jon'
    (BibTeX); an organisation as written."""
    if "literal" in name:
        return name["literal"]
    suffix = name.get("suffix", "")
    parts = (name["family"], suffix, name["given"]) if bibtex else (name["family"], name["given"], suffix)
    return ", ".join(p for p in parts if p)


def _pages(item: Item) -> str:
    if item.page is None:
        return ""
    if item.page_end not in (None, item.page):
        return f"{item.page}-{item.page_end}"
    return str(item.page)


def _case_line(item: Item) -> str:
    """'Musk v. Altman, No. 4:24-cv-04722-YGR (N.D. Cal.), ECF No. 121': where the document sits."""
    head = ", ".join(p for p in (item.case_name, f"No. {item.case_number}" if item.case_number else "") if p)
    if item.court:
        head += f" ({item.court})" if head else item.court
    ecf = f"ECF No. {item.document_number}" if item.document_number else ""
    return ", ".join(p for p in (head, ecf) if p)


def _title(item: Item) -> str:
    """The title a reference manager shows: a slip opinion's is its case name."""
    if item.is_slip_opinion and item.case_name:
        return item.case_name
    return _one_line(display_title(item.title) or item.form or item.doc)


# ----------------------------------------------------------------- text formats


def to_bluebook(entries: list[Entry]) -> str:
    """The list as a brief cites it: each citation exactly as it stands (Id.,
    short and full forms in list order), its quote indented on the next line;
    an entry whose quote failed verification is marked so it is not pasted blind."""
    out = []
    for entry in entries:
        out.append(" ".join(p for p in (flag(entry), _one_line(entry.text)) if p))
        if entry.item.quote.strip():
            out.append(f'    "{_one_line(entry.item.quote)}"')
    return "\n".join(out) + ("\n" if out else "")


def _md(text: str) -> str:
    """A table cell: one line, and nothing a renderer would read as a column or emphasis."""
    return re.sub(r"([\\|*_`])", r"\\\1", _one_line(text))


def _verified(entry: Entry) -> str:
    return {True: "yes", False: "no", None: ""}[entry.verified]


def to_markdown(entries: list[Entry]) -> str:
    """A table for a memo or an issue: #, citation, quote, verification."""
    out = ["| # | Citation | Quote | Verified |", "|---|---|---|---|"]
    for n, entry in enumerate(entries, 1):
        verified = _verified(entry) + (f": {entry.problem}" if entry.verified is False and entry.problem else "")
        out.append(f"| {n} | {_md(entry.text)} | {_md(entry.item.quote)} | {_md(verified)} |")
    return "\n".join(out) + "\n"


ITEM_COLUMNS = ("doc", "kind", "form", "pin", "page", "page_end", "line_start", "line_end", "paragraphs",
                "title", "date", "event_date", "court", "case_name", "case_number", "document_number",
                "page_id", "author", "publisher", "url")
CSV_COLUMNS = ("n", "citation", "quote", "verified", "problem") + ITEM_COLUMNS


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


def to_csv(entries: list[Entry]) -> str:
    """One row per entry with every field of its passage, for a spreadsheet or a script.

    Cells are written verbatim (a quote starting with '-' or '=' is not
    defused for spreadsheets: the text must match the record).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, entry in enumerate(entries, 1):
        it = entry.item
        writer.writerow([n, entry.text, it.quote, _verified(entry), entry.problem]
                        + [_cell(getattr(it, col)) for col in ITEM_COLUMNS])
    return buf.getvalue()


# ----------------------------------------------------------------- RIS


def _ris_date(parts: list[int]) -> str:
    """RIS dates are 'YYYY/MM/DD/' with empty parts kept: '2025/03//'."""
    y, m, d = (parts + [0, 0, 0])[:3]
    return f"{y:04d}/" + (f"{m:02d}" if m else "") + "/" + (f"{d:02d}" if d else "") + "/"


def _ris_rows(item: Item, key: str) -> list[tuple[str, str]]:
    """Tags as Zotero's RIS translator reads them. A court document is a CASE:
    TI case name (here the document's title), PB court, SV docket number
    (EndNote's tag), DA date decided, SP first page; a news article is NEWS:
    AU authors, TI title, T2 publication, DA date."""
    parts = date_parts(item.date)
    if item.is_article:
        rows = [("TY", "NEWS"), ("ID", key)]
        rows += [("AU", _inverted(n)) for n in names(item.author)]
        rows += [("TI", _title(item)), ("T2", _one_line(item.publisher))]
    else:
        rows = [("TY", "CASE"), ("ID", key), ("TI", _title(item)), ("T2", _one_line(item.case_name)),
                ("PB", _one_line(item.court)), ("SV", _one_line(item.case_number)),
                ("M1", f"ECF No. {item.document_number}" if item.document_number else "")]
        if item.page is not None:
            rows.append(("SP", str(item.page)))
            if item.page_end not in (None, item.page):
                rows.append(("EP", str(item.page_end)))
    if parts:
        rows += [("DA", _ris_date(parts)), ("PY", f"{parts[0]:04d}")]
    rows.append(("UR", _one_line(item.url)))
    return rows


def to_ris(entries: list[Entry]) -> str:
    """RIS records (Zotero, EndNote, Mendeley): the citation and its quote as notes (N1)."""
    out = []
    for entry, key in zip(entries, keys(entries)):
        rows = _ris_rows(entry.item, key)
        rows += [("N1", _one_line(entry.text))] + [("N1", r) for r in _remarks(entry)]
        out.append("".join(f"{tag}  - {value}\n" for tag, value in rows if value) + "ER  - \n")
    return "\n".join(out)


# ----------------------------------------------------------------- BibTeX

_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
          "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, '--' kept
    from turning into a dash; other Unicode (§, ¶, –, curly quotes) left for
    biber / inputenc utf8."""
    out = re.sub(r"[\\{}&%$#_~^]", lambda m: _LATEX[m.group()], _one_line(text))
    return re.sub(r"-(?=-)", "-{}", out)


def _url(url: str) -> str:
    """URLs are verbatim fields in biblatex: unescaped, only braces (which would
    unbalance the field) percent-encoded."""
    return _one_line(url).replace("{", "%7B").replace("}", "%7D")


def _bib_author(item: Item) -> str:
    """'Keegan, Jon and {Associated Press}': organisations braced so BibTeX keeps them whole."""
    return " and ".join("{" + latex_escape(n["literal"]) + "}" if "literal" in n
                        else latex_escape(_inverted(n, bibtex=True)) for n in names(item.author))


def _bib_fields(entry: Entry) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and its fields, already in BibTeX form (escaped, braced)."""
    it = entry.item
    iso = ["-".join(f"{p:02d}" for p in date_parts(d)) for d in (it.date, it.event_date)]
    title = "{" + latex_escape(_title(it)) + "}"
    if it.is_article:
        kind, fields = "article", [("author", _bib_author(it)), ("title", title),
                                   ("journal", latex_escape(it.publisher or ""))]
    else:
        kind, fields = "misc", [("title", title), ("howpublished", latex_escape(_case_line(it))),
                                ("pages", _pages(it).replace("-", "--"))]
    fields += [("date", iso[0]), ("year", iso[0][:4]), ("eventdate", iso[1]),
               ("url", _url(it.url or "")), ("note", latex_escape(entry.text)),
               ("annote", latex_escape(" ".join(_remarks(entry))))]
    return kind, [(k, v) for k, v in fields if v]


def to_bibtex(entries: list[Entry]) -> str:
    """BibTeX / biblatex: court documents as @misc (what every style and tool
    reads) with the case, docket and ECF numbers in `howpublished`, articles as
    @article; `note` is the citation as it stands, `annote` its quote. Titles
    are braced so styles do not lowercase them."""
    out = []
    for entry, key in zip(entries, keys(entries)):
        kind, fields = _bib_fields(entry)
        out.append(f"@{kind}{{{key},\n" + "".join(f"  {k} = {{{v}}},\n" for k, v in fields) + "}\n")
    return "\n".join(out)


# ----------------------------------------------------------------- CSL-JSON


def _csl(entry: Entry, key: str) -> dict[str, Any]:
    """One CSL-JSON item; only variables of the CSL 1.0 input schema."""
    it = entry.item
    rec: dict[str, Any] = {"id": key, "citation-key": key}
    if it.is_article:
        rec |= {"type": "article-newspaper", "title": _title(it)}
        if names(it.author):
            rec["author"] = names(it.author)
        if it.publisher:
            rec["container-title"] = _one_line(it.publisher)
    else:
        rec |= {"type": "legal_case", "title": _title(it)}
        # No "page": for a legal_case CSL styles print it as the reporter's first
        # page; the pin goes in "locator".
        for var, value in (("container-title", it.case_name), ("authority", it.court),
                           ("number", it.case_number)):
            if value:
                rec[var] = _one_line(value)
    for var, iso in (("issued", it.date), ("event-date", it.event_date)):
        if date_parts(iso):
            rec[var] = {"date-parts": [date_parts(iso)]}
    pin = re.sub(r"^at\s+", "", _one_line(it.pin))
    if pin:
        rec["locator"] = pin
    if it.url:
        rec["URL"] = _one_line(it.url)
    rec["note"] = _one_line(entry.text)
    if _remarks(entry):
        rec["annote"] = " ".join(_remarks(entry))
    return rec


def to_csl_json(entries: list[Entry]) -> str:
    """CSL-JSON (citeproc, pandoc, Zotero import): court documents as legal_case,
    articles as article-newspaper."""
    records = [_csl(entry, key) for entry, key in zip(entries, keys(entries))]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


Exporter = Callable[[list[Entry]], str]

EXPORTS: dict[str, tuple[Exporter, str, str]] = {
    "bluebook": (to_bluebook, "txt", "text/plain"),
    "markdown": (to_markdown, "md", "text/markdown"),
    "csv": (to_csv, "csv", "text/csv"),
    "ris": (to_ris, "ris", "application/x-research-info-systems"),
    "bibtex": (to_bibtex, "bib", "application/x-bibtex"),
    "csl-json": (to_csl_json, "json", "application/vnd.citationstyles.csl+json"),
}
