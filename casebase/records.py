"""Plain records that every parser returns and the store keeps.

A Document is pages of lines; each line knows its printed number (the
pleading-paper margin number or the transcript's own line) so that every
answer can be cited as document, page, line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("pdf", "transcript", "filing_text", "article")


@dataclass
class Stamp:
    """The ECF header a court's filing system prints on every page."""

    raw: str
    case_number: str | None = None
    document_number: str | None = None
    filed: str | None = None  # ISO date
    page: int | None = None
    page_count: int | None = None
    page_id: str | None = None
    entry_id: str | None = None  # appellate ECF "Entry ID"


@dataclass
class Line:
    """One line of text as printed.

    `number` is the printed line number (pleading margin or transcript line)
    where the page has one, else the line's position on the page (1-based).
    Offsets index into `Document.text`.
    """

    number: int
    text: str
    char_start: int = 0
    char_end: int = 0
    speaker: str | None = None  # transcript turn: "Q", "A", "THE COURT", "MR. SAVITT"
    paragraph: int | None = None  # numbered paragraph (¶ n) the line belongs to
    footnote: bool = False


@dataclass
class Page:
    """A page: for transcripts the transcript's own page, else the PDF page."""

    number: int
    lines: list[Line] = field(default_factory=list)
    pdf_page: int | None = None
    needs_ocr: bool = False
    stamp: Stamp | None = None
    # Page furniture kept out of the body: running heads above the first
    # margin number, running footers below the body (page numbers, reporter
    # footers). Transcript page numbers are read from here.
    header: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One ingested file, parsed."""

    path: str
    kind: str
    pages: list[Page] = field(default_factory=list)
    sha256: str = ""
    title: str | None = None
    case_number: str | None = None
    document_number: str | None = None
    filed: str | None = None  # ISO date the court stamped
    date: str | None = None  # ISO date of the document: filed, published or testified
    court: str | None = None
    parties: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Content address: stable across machines and re-ingests."""
        return self.sha256[:12]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        """The body text: lines joined by newlines, pages by form feeds."""
        return "\f".join("\n".join(l.text for l in p.lines) for p in self.pages)

    def assign_offsets(self) -> None:
        """Set each line's character span in `text`."""
        pos = 0
        for i, page in enumerate(self.pages):
            if i:
                pos += 1  # the form feed
            for j, line in enumerate(page.lines):
                if j:
                    pos += 1  # the newline
                line.char_start = pos
                pos += len(line.text)
                line.char_end = pos


class ParseError(Exception):
    """A file that cannot be parsed; the message names the cause in plain words."""
