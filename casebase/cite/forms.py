"""Citations a litigator can paste: pin cites to the record, full cites, and
the export formats of a citation list (Bluebook-style list, CSV, RIS,
CSL-JSON, Markdown).

The one home of citation formatting: search hits, timeline sources, claims
and the app's citation basket all call `pin_cite`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_SUFFIXES = ("JR", "SR", "II", "III", "IV", "PH.D", "ESQ")


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
    """'ILYA SUTSKEVER' -> 'Sutskever'."""
    parts = [p for p in name.split() if p]
    while len(parts) > 1 and parts[-1].rstrip(".,").upper() in _SUFFIXES:
        parts.pop()
    last = parts[-1].rstrip(",") if parts else name
    return last[:1].upper() + last[1:].lower() if last.isupper() else last


_ORG_WORDS = re.compile(r"(?i)\b(inc|llc|l\.l\.c|corp|corporation|company|co|ltd|l\.p|lp|foundation|fund)\b\.?")


def short_party(name: str) -> str:
    """A party as a case name gives it: 'OpenAI, Inc.' -> 'OpenAI', 'ELON MUSK' -> 'Musk'."""
    name = re.sub(r"(?i),?\s+et\s+al\.?$", "", name.strip())
    head = name.split(",")[0].strip()
    if head != name.strip() or _ORG_WORDS.search(head) or len(head.split()) == 1:
        return _title_case(head) if head.isupper() else head
    return surname(head)


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
        if line_start is not None:
            lines = span(page, line_start, line_end, page_end).split(":", 1)[1]
            out += f", line {lines}" if "–" not in lines else f", lines {lines}"
        return out
    where = span(page, line_start, line_end, page_end)
    if kind == "transcript":
        deponent = meta.get("deponent") or meta.get("witness")
        if deponent:
            head = f"{surname(deponent)} Dep."
        else:
            head = "Trial Tr." if meta.get("proceeding") == "trial" else "Hr'g Tr."
        return f"{head} {where}".rstrip() + (f" (Dkt. {number})" if number else "")
    if number:
        return f"Dkt. {number}" + (f" at {where}" if where else "")
    name = doc.get("title") or doc.get("name") or "Doc."
    return f"{name}" + (f" at {where}" if where else "")


def full_cite(doc: Mapping[str, Any], page: int | None = None, line_start: int | None = None,
              line_end: int | None = None) -> str:
    """A Bluebook-style full citation of a record document, with the pin.

    'Order Denying Motion for a Preliminary Injunction, Musk v. Altman,
    No. 4:24-cv-04722-YGR (N.D. Cal. Mar. 4, 2025), ECF No. 121, at 12:3–9.'
    """
    doc = as_row(doc)
    meta = metadata(doc)
    where = span(page, line_start, line_end)
    if doc.get("kind") == "article":
        publisher = meta.get("publisher") or meta.get("site") or ""
        author = meta.get("author")
        head = f"{author}, " if author else ""
        url = meta.get("source_url")
        out = f"{head}{doc.get('title') or doc.get('name')}, {publisher} ({cite_date(doc.get('date'))})"
        return out + (f", {url}" if url else "") + "."
    title = _title_case(doc.get("title") or doc.get("name") or "Document")
    parties = doc.get("parties") or []
    if isinstance(parties, str):
        try:
            parties = json.loads(parties)
        except ValueError:
            parties = [parties]
    case = f"{short_party(parties[0])} v. {short_party(parties[1])}" if len(parties) >= 2 else ""
    court = _court_abbrev(doc.get("court") or "")
    when = cite_date(doc.get("filed") or doc.get("date"))
    paren = " ".join(p for p in (court, when) if p)
    parts = [title]
    if case:
        parts.append(case)
    if doc.get("case_number"):
        parts.append(f"No. {doc['case_number']}" + (f" ({paren})" if paren else ""))
    elif paren and case:
        parts[-1] += f" ({paren})"  # "Musk v. Altman (N.D. Cal. ...)", no comma before it
    elif paren:
        parts.append(f"({paren})")
    if doc.get("document_number"):
        parts.append(f"ECF No. {doc['document_number']}")
    if where:
        parts.append(f"at {where}")
    return ", ".join(parts) + "."


def _title_case(text: str) -> str:
    if not text.isupper():
        return text
    small = {"a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "by"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


_COURTS = (
    (r"northern district of california", "N.D. Cal."),
    (r"central district of california", "C.D. Cal."),
    (r"southern district of new york", "S.D.N.Y."),
    (r"district of delaware", "D. Del."),
    (r"ninth circuit", "9th Cir."),
)


def _court_abbrev(court: str) -> str:
    low = court.lower()
    for pattern, abbrev in _COURTS:
        if re.search(pattern, low):
            return abbrev
    return ""


# ----------------------------------------------------------------- citation lists


@dataclass
class Item:
    """One entry of a citation list: a passage of the record with its source."""

    doc: str  # base name
    cite: str  # the pin cite
    full: str  # the full citation with the pin
    quote: str = ""
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    title: str | None = None
    kind: str | None = None
    date: str | None = None
    case_number: str | None = None
    document_number: str | None = None
    url: str | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def item(doc: Mapping[str, Any], page: int | None = None, line_start: int | None = None,
         line_end: int | None = None, quote: str = "", note: str = "") -> Item:
    """A citation-list entry for a passage of a stored document."""
    meta = metadata(doc)
    return Item(
        doc=doc.get("name") or "", cite=pin_cite(doc, page, line_start, line_end),
        full=full_cite(doc, page, line_start, line_end), quote=" ".join(quote.split()),
        page=page, line_start=line_start, line_end=line_end, title=doc.get("title"),
        kind=doc.get("kind"), date=doc.get("filed") or doc.get("date"),
        case_number=doc.get("case_number"), document_number=doc.get("document_number"),
        url=meta.get("source_url"), note=note,
    )


def to_bluebook(items: list[Item]) -> str:
    """A numbered list of full citations with their quotes, for a brief or memo."""
    out = []
    for n, it in enumerate(items, 1):
        line = f"{n}. {it.full}"
        if it.quote:
            line += f' ("{it.quote}")'
        out.append(line)
    return "\n".join(out) + ("\n" if out else "")


def to_markdown(items: list[Item]) -> str:
    out = ["| # | Citation | Quote |", "|---|---|---|"]
    for n, it in enumerate(items, 1):
        quote, full = (t.replace("|", "\\|") for t in (it.quote, it.full))
        out.append(f"| {n} | {full} | {quote} |")
    return "\n".join(out) + "\n"


CSV_FIELDS = ("doc", "cite", "full", "quote", "page", "line_start", "line_end", "title", "kind",
              "date", "case_number", "document_number", "url", "note")


def to_csv(items: list[Item]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for it in items:
        writer.writerow({k: v for k, v in asdict(it).items() if k in CSV_FIELDS})
    return buf.getvalue()


def to_ris(items: list[Item]) -> str:
    """RIS records (Zotero, EndNote): court documents as CASE, articles as NEWS."""
    out = []
    for it in items:
        rows = [("TY", "NEWS" if it.kind == "article" else "CASE"), ("TI", it.title or it.doc)]
        if it.date:
            rows.append(("DA", it.date.replace("-", "/")))
            rows.append(("PY", it.date[:4]))
        if it.case_number:
            rows.append(("M1", it.case_number))
        if it.document_number:
            rows.append(("M2", f"ECF No. {it.document_number}"))
        if it.page is not None:
            rows.append(("SP", str(it.page)))
        if it.url:
            rows.append(("UR", it.url))
        rows.append(("N1", it.cite + (f" — {it.quote}" if it.quote else "")))
        rows.append(("ER", ""))
        out.append("\n".join(f"{k}  - {v}" for k, v in rows))
    return "\n".join(out) + ("\n" if out else "")


def to_csl_json(items: list[Item]) -> str:
    """CSL-JSON (citeproc, Zotero import): legal_case for record documents."""
    records = []
    for n, it in enumerate(items, 1):
        rec: dict[str, Any] = {
            "id": f"item-{n}",
            "type": "article-newspaper" if it.kind == "article" else "legal_case",
            "title": it.title or it.doc,
            "locator": f"{it.page}:{it.line_start}" if it.line_start is not None else it.page,
            "note": it.cite,
        }
        if it.date:
            rec["issued"] = {"date-parts": [[int(p) for p in it.date.split("-")]]}
        if it.case_number:
            rec["number"] = it.case_number
        if it.url:
            rec["URL"] = it.url
        if it.quote:
            rec["abstract"] = it.quote
        records.append(rec)
    return json.dumps(records, indent=2, ensure_ascii=False)


EXPORTS = {
    "bluebook": (to_bluebook, "txt", "text/plain"),
    "markdown": (to_markdown, "md", "text/markdown"),
    "csv": (to_csv, "csv", "text/csv"),
    "ris": (to_ris, "ris", "application/x-research-info-systems"),
    "csl-json": (to_csl_json, "json", "application/json"),
}
