"""One pass of the spaCy pipeline over a document: its entity mentions and
its claims, each with page and line.

This is what ingest runs in its worker processes, once per new or changed
document; `nlp.pipe` batches the document's pieces.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ..records import Document
from .claims import Claim, extract_claims
from .entities import Mention, extract_entities


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # (page number, printed line) of each mention, parallel to `mentions`
    mention_lines: list[tuple[int, int]] = field(default_factory=list)


def locate(document: Document, offsets: list[int]) -> list[tuple[int, int]]:
    """(page, printed line) for character offsets into `document.text`."""
    document.assign_offsets()
    starts, where = [], []
    for page in document.pages:
        for line in page.lines:
            starts.append(line.char_start)
            where.append((page.number, line.number))
    if not starts:
        return [(0, 0) for _ in offsets]
    return [where[max(0, bisect.bisect_right(starts, o) - 1)] for o in offsets]


def extract(document: Document, aliases_path: str | Path | None = None, batch_size: int = 8) -> Extraction:
    """Entities and claims of a parsed document."""
    from ..nlp import chunks, load_pipeline

    if not any(p.lines for p in document.pages):
        return Extraction()
    nlp = load_pipeline(aliases_path)
    pieces = chunks(document)
    docs = list(nlp.pipe((text for _, text in pieces), batch_size=batch_size))
    mentions = [m for d, (offset, _) in zip(docs, pieces) for m in extract_entities(d, offset)]
    claims = extract_claims(document, zip(docs, (offset for offset, _ in pieces)), nlp=nlp)
    return Extraction(mentions, claims, locate(document, [m.start for m in mentions]))
