"""Citations a litigator can paste: Bluebook record cites with their pins,
citation lists with Id. and short forms, verification against the store,
and the export formats reference managers import.

`forms` writes one citation, `lists` orders items into a list, `gather`
makes items of stored passages, `verify` checks each quote at its pin,
`formats` writes the list out.
"""

from casebase.cite.forms import (  # noqa: F401
    Entry, Item, STYLES, as_row, cite_date, document_form, full_cite, item, metadata, pin_cite, record_cite,
    span, surname,
)
