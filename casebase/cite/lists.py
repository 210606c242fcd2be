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


def citation_list(items: list[Item], style: str = "ecf", home_case: str | None = None) -> list[Entry]:
    """Write each item as it stands in the list: full form the first time,
    'Id.' right after the same document, the short form for a later repeat.

    A short form keeps the ECF number where two cited documents share a name
    (two 'Order's), and always for a document of another case or a docket
    entry (whose name is the clerk's description, not unique)."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r} (use one of: {', '.join(STYLES)})")
    home = case_key(home_case) if home_case else home_case_of(items)
    forms_by_doc: dict[str, set[tuple]] = {}
    for it in items:
        forms_by_doc.setdefault(it.form, set()).add(_identity(it))
    entries: list[Entry] = []
    seen: set[tuple] = set()
    previous: Item | None = None
    for it in items:
        own_case = it.is_article or not it.case_number or case_key(it.case_number) == home
        if previous is not None and _same_document(it, previous):
            text = _id_form(it, previous)
        elif _identity(it) in seen:
            text = record_cite(it, style, short=True)
            if not (it.is_article or it.is_slip_opinion) and not (own_case and len(forms_by_doc.get(it.form, ())) == 1
                                          and it.kind != "docket"):
                party = it.case_name.split(" v. ")[0].split(",")[0] if not own_case and it.case_name else ""
                text = ", ".join(p for p in (text, party, ecf_number(it, style)) if p)
        else:
            text = record_cite(it, style) if own_case and not it.is_article else full_cite(it, style)
        entries.append(Entry(item=it, text=text.rstrip(".") + "."))
        seen.add(_identity(it))
        previous = it
    return entries
