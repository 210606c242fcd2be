"""Entity mentions as plain records, read off a processed spaCy Doc.

The pipeline (casebase.nlp) does the finding and naming; this module turns
its spans into rows the store can keep and a citation can point at.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from .. import nlp as _nlp  # noqa: F401  (registers the Span extensions read below)


@dataclass
class Mention:
    """One entity mention. start/end are character offsets in the text given
    to spaCy plus the chunk's offset, i.e. Document offsets when the lead
    feeds `casebase.nlp.chunks(document)`."""

    text: str
    label: str
    canonical: str
    owner: str | None
    start: int
    end: int


def extract_entities(spacy_doc: Doc, offset: int = 0) -> list[Mention]:
    """The mentions in a Doc run through casebase.nlp.load_pipeline()."""
    return [
        Mention(
            text=ent.text,
            label=ent.label_,
            canonical=ent._.canonical or ent.text,
            owner=ent._.owner,
            start=ent.start_char + offset,
            end=ent.end_char + offset,
        )
        for ent in spacy_doc.ents
    ]
