"""A citation list: items in the user's order, each written as a brief would
write it there. A cite to the document just cited becomes 'Id.' (with the new
pin); a later repeat takes the short form; the first cite is in full.

Documents of the brief's own case (`home_case`) are cited by their record
form alone ('Compl. ¶ 12, ECF No. 1.'); a document of any other case carries
its case name, number and court (rule 10.8.3).
"""

from __future__ import annotations

from collections import Counter

from casebase.cite.forms import Entry, Item, STYLES, case_key, ecf_number, full_cite, id_pin, record_cite


def home_case_of(items: list[Item]) -> str | None:
    """The case most of the list's court documents belong to (ties: the first cited)."""
    keys = [case_key(it.case_number) for it in items
            if not (it.is_article or it.is_slip_opinion) and it.case_number]
    if not keys:
        return None
    counts = Counter(keys)
    return max(keys, key=lambda k: (counts[k], -keys.index(k)))


def _identity(it: Item) -> tuple:
    """What makes two items one document: docket entries share a name, not a number."""
    return it.doc, it.document_number, it.case_number


def _same_document(a: Item, b: Item) -> bool:
    return _identity(a) == _identity(b)


def _id_form(it: Item, previous: Item) -> str:
    """'Id.' alone when the pin is the same (or there is none), else 'Id. ¶ 14' / 'Id. at 5'."""
    if it.is_article or not it.pin or it.pin == previous.pin:
        return "Id."
    return f"Id. {id_pin(it.pin)}"


def _short_form(it: Item, style: str, own_case: bool, name_shared: bool) -> str:
    """A later repeat: the document's name and pin; its ECF number too where the
    name alone is ambiguous (another document of the list shares it, or it is a
    docket entry, named by the clerk's text), and its first party when it is
    of another case."""
    text = record_cite(it, style, short=True)
    if it.is_article or it.is_slip_opinion or (own_case and not name_shared and it.kind != "docket"):
        return text
    party = it.case_name.split(" v. ")[0].split(",")[0] if not own_case and it.case_name else ""
    return ", ".join(p for p in (text, party, ecf_number(it, style)) if p)


def citation_list(items: list[Item], style: str = "ecf", home_case: str | None = None) -> list[Entry]:
    """Write each item as it stands in the list: full form the first time,
    'Id.' right after the same document, the short form for a later repeat."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r} (use one of: {', '.join(STYLES)})")
    home = case_key(home_case) if home_case else home_case_of(items)
    documents_named: dict[str, set[tuple]] = {}
    for it in items:
        documents_named.setdefault(it.form, set()).add(_identity(it))
    entries: list[Entry] = []
    seen: set[tuple] = set()
    previous: Item | None = None
    for it in items:
        own_case = it.is_article or not it.case_number or case_key(it.case_number) == home
        if previous is not None and _same_document(it, previous):
            text = _id_form(it, previous)
        elif _identity(it) in seen:
            text = _short_form(it, style, own_case, len(documents_named[it.form]) > 1)
        else:
            text = record_cite(it, style) if own_case else full_cite(it, style)
        entries.append(Entry(item=it, text=text.rstrip(".") + "."))
        seen.add(_identity(it))
        previous = it
    return entries
