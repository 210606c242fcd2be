"""Text extractions of filings: pages, printed line numbers, ECF fields,
caption, paragraphs and footnotes, on the real files in the shared corpus.

Expected values were read by eye from the files themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casebase.parse.text import is_filing, parse_filing_text
from casebase.records import Document, ParseError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEXTS = SHARED / "corpus" / "filings-text"
ARTICLES = SHARED / "corpus" / "articles"

pytestmark = pytest.mark.skipif(not TEXTS.is_dir(), reason=f"shared corpus not found at {TEXTS}")

ORDER_121 = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
COMPLAINT_1 = "gov.uscourts.cand.433688.1.0_1.md"
ANSWER_147 = "gov.uscourts.cand.433688.147.0_2.md"
ORDER_163 = "gov.uscourts.cand.433688.163.0.md"

_cache: dict[str, Document] = {}


def parsed(name: str) -> Document:
    if name not in _cache:
        _cache[name] = parse_filing_text((TEXTS / name).read_text(encoding="utf-8"), name)
    return _cache[name]


def line(doc: Document, page: int, number: int) -> list[str]:
    """Texts of the lines printed at page:number (a margin number can carry two)."""
    [p] = [p for p in doc.pages if p.number == page]
    return [l.text for l in p.lines if l.number == number]


# (file, kind, case number, document number, filed, page count): stamps and
# front matter as printed; the two without ECF stamps take the caption's
# case number and the front matter's docket entry and date.
EXPECTED = [
    (COMPLAINT_1, "filing_text", "3:24-cv-04722", "1", "2024-08-05", 83),
    ("gov.uscourts.cand.433688.109.0.md", "transcript", "4:24-cv-04722-YGR", "109", "2025-02-06", 107),
    (ANSWER_147, "filing_text", "4:24-cv-04722-YGR", "147", "2025-04-09", 100),
    (ORDER_163, "filing_text", "4:24-cv-04722-YGR", "163", "2025-05-01", 11),
    ("gov.uscourts.cand.433688.32.0_1.md", "filing_text", "4:24-cv-04722-YGR", "32", "2024-11-14", 107),
    ("gov.uscourts.cand.433688.46.0.md", "filing_text", "4:24-cv-04722-YGR", "46", "2024-11-29", 36),
    (ORDER_121, "filing_text", "4:24-cv-04722-YGR", "121", "2025-03-04", 16),
    ("musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt", "transcript", "4:24-cv-04722-YGR", "340-1",
     "2025-10-29", 8),
]


def test_every_text_is_covered():
    assert sorted(p.name for p in TEXTS.iterdir()) == sorted(e[0] for e in EXPECTED)


@pytest.mark.parametrize("name,kind,case,number,filed,pages", EXPECTED)
def test_fields_and_pages(name, kind, case, number, filed, pages):
    doc = parsed(name)
    assert doc.kind == kind
    assert (doc.case_number, doc.document_number, doc.filed) == (case, number, filed)
    assert doc.page_count == pages
    assert doc.court == "United States District Court, Northern District of California"
    assert doc.parties[0] == "Elon Musk"
    for page in doc.pages:
        assert page.lines or page.needs_ocr, f"page {page.number} is empty"
        if page.stamp:
            assert page.stamp.page == page.pdf_page
            assert (page.stamp.case_number, page.stamp.document_number) == (case, number)
    # offsets index the body text
    text = doc.text
    some = doc.pages[-1].lines[-1]
    assert text[some.char_start:some.char_end] == some.text


@pytest.mark.parametrize("name", [e[0] for e in EXPECTED])
def test_is_filing(name):
    assert is_filing((TEXTS / name).read_text(encoding="utf-8"))


def test_articles_are_not_filings():
    articles = sorted(ARTICLES.glob("*.txt"))
    assert articles
    for path in articles:
        assert not is_filing(path.read_text(encoding="utf-8")), path.name


def test_order_121_page_line_text():
    doc = parsed(ORDER_121)
    assert doc.title == "ORDER DENYING MOTION FOR A PRELIMINARY INJUNCTION"
    assert doc.parties == ["Elon Musk", "OpenAI, Inc."]
    assert doc.date == "2025-03-04"
    assert line(doc, 1, 4) == ["ELON MUSK, ET AL., Case No.: 4:24-CV-4722-YGR"]
    assert line(doc, 1, 10) == ["Plaintiffs Elon Musk, Shivon Zilis, and X.AI Corp. (“xAI”) collectively move for a"]
    assert line(doc, 1, 21) == ["I. BACKGROUND"]
    assert line(doc, 4, 11) == ["III. ANALYSIS"]
    assert line(doc, 4, 14) == ["A. Injunction Request No. 1: Violation of Section 1 of the Sherman Act"]
    assert line(doc, 6, 3) == [
        "Here, defendants first argue, and the Court agrees, that Musk himself has no Article III or"]
    assert line(doc, 7, 21) == ["competitor. In his declaration, Altman stated:"]
    assert line(doc, 9, 1) == ["Here, plaintiffs complain about (i) Reid Hoffman’s service on the OpenAI board from"]
    # an indented quotation printed above line 1 belongs to line 1, not the head
    assert line(doc, 5, 1)[0] == "of that kind is, in fact, anticompetitive in the particular circumstances."


def test_order_121_furniture_is_out_of_the_text():
    doc = parsed(ORDER_121)
    # the court's vertical sidebar, the page numbers, the stamp
    assert "Northern District of California" not in doc.text.split("\n")
    assert "United States District Court" not in doc.text.split("\n")
    assert "Page 3 of 16" not in doc.text
    page2 = doc.pages[1]
    assert page2.footer == ["2"]
    assert page2.header[0] == "Case 4:24-cv-04722-YGR Document 121 Filed 03/04/25 Page 2 of 16"


def test_order_121_footnotes():
    doc = parsed(ORDER_121)
    first = doc.pages[0]
    by_text = {l.text: l for l in first.lines}
    assert not by_text["Rob Bonta.1"].footnote
    assert by_text["1"].footnote
    assert by_text["Plaintiff Musk filed a complaint on August 5, 2024, and the operative First Amended"].footnote
    page6 = doc.pages[5]
    notes = [l for l in page6.lines if l.footnote]
    assert notes[0].number == 18 and notes[0].text == "3"
    assert not any(l.footnote for l in page6.lines if l.number < 18)


def test_footnote_calls_set_apart_by_a_space():
    # "Aestas, LLC, 1 Deannah Templeton": the superscript came out as a word
    doc = parsed("gov.uscourts.cand.433688.32.0_1.md")
    page3 = doc.pages[2]
    [note] = [l for l in page3.lines if l.text.startswith("Section 5233(c) of the California Corporations Code")]
    assert (note.number, note.footnote, note.paragraph) == (25, True, None)
    [first] = [l for l in page3.lines if l.text.startswith("1. Never before has a corporation")]
    assert (first.number, first.footnote, first.paragraph) == (17, False, 1)
    # "15 U.S.C. § 19(a)" opening a line is a citation, not footnote 15
    cites = [l for l in doc.pages[71].lines if l.text.startswith("15 U.S.C. § 19(a)")]
    assert cites and not any(l.footnote for l in cites)


def test_wide_indent_margin_numbers_163():
    doc = parsed(ORDER_163)
    assert doc.title == ("ORDER GRANTING IN PART AND DENYING IN PART DEFENDANTS’ MOTIONS TO DISMISS "
                         "FIRST AMENDED COMPLAINT")
    assert line(doc, 1, 7) == ["ELON MUSK, ET AL., Case No.: 4:24-CV-04722-YGR"]
    assert line(doc, 2, 3) == ["I. BACKGROUND AND LEGAL FRAMEWORK"]
    assert line(doc, 2, 11) == ["II. ANALYSIS"]
    footnote = [l for l in doc.pages[0].lines if l.text.startswith("The FAC also names the Attorney General")]
    assert footnote and footnote[0].footnote and footnote[0].number == 22
    assert doc.pages[1].footer == ["2"]


def test_markdown_wrapper_is_metadata():
    doc = parsed(COMPLAINT_1)
    assert doc.metadata["docket_entry"] == 1
    assert doc.metadata["heading"] == "Complaint"
    assert doc.metadata["docket_text"].startswith("COMPLAINT with Jury Demand against Aestas")
    assert "Docket entry" not in doc.text
    assert doc.pages[0].lines[0].text == "Marc Toberoff (S.B. #188547)"
    assert doc.pages[0].lines[0].number == 1


def test_complaint_paragraphs_and_footer():
    doc = parsed(COMPLAINT_1)
    assert doc.title == "COMPLAINT"
    assert line(doc, 5, 4) == ["6. Plaintiff Elon Musk is an individual, citizen, and resident of Texas."]
    [six] = [l for l in doc.pages[4].lines if l.number == 4]
    assert six.paragraph == 6
    # paragraph 1 runs on over the page break; the heading after 5 ends 5
    assert doc.pages[3].lines[0].paragraph == 1
    assert [l.paragraph for l in doc.pages[4].lines if l.text == "PARTIES"] == [None]
    assert doc.pages[2].footer == ["1 COMPLAINT"]
    assert doc.metadata["paragraph_series"][0] == {"page": 3, "line": 14, "last": 345}


def test_answer_paragraph_series():
    doc = parsed(ANSWER_147)
    assert doc.title == "OPENAI DEFENDANTS’ COUNTERCLAIMS, ANSWER, AND DEFENSES"
    assert [s["page"] for s in doc.metadata["paragraph_series"]] == [2, 28]
    assert line(doc, 2, 6)[0].startswith("1. Since its founding as an AI research lab")
    assert doc.pages[1].lines[[l.number for l in doc.pages[1].lines].index(6)].paragraph == 1
    # "Ex. 14 at / 1. On September 22, 2017" continues paragraph 104
    [p54] = [p for p in doc.pages if p.number == 54]
    wrapped = [l for l in p54.lines if l.text.startswith("1. On September 22, 2017")]
    assert wrapped and wrapped[0].paragraph == 104
    assert "-27- CASE NO. 4:24-CV-04722-YGR" in doc.pages[27].footer
    assert any("paragraph 416 follows 249" in w for w in doc.warnings)


def test_bad_input_is_a_parse_error():
    with pytest.raises(ParseError, match=r"^empty\.txt: no text"):
        parse_filing_text("SOURCE: x\nDATE: 2025-01-01\n-----\n\n  \n", "empty.txt")
    with pytest.raises(ParseError, match=r"^fm\.md: "):
        parse_filing_text("---\ndocket_entry: 3\n---\n", "fm.md")


def test_broken_front_matter_is_a_warning():
    body = (TEXTS / ORDER_121).read_text(encoding="utf-8").split("-" * 70, 1)[1]
    doc = parse_filing_text("---\ndocket_entry: [1\n---\n" + body, "broken.md")
    assert doc.page_count == 16
    assert any("front matter" in w for w in doc.warnings)
