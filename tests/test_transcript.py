"""Transcripts cite as page:line of the transcript itself, with speakers.

Page and line numbers, texts and speakers below were read from the files
(the PDF's pages were rendered and read as images).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebase.parse.text import parse_filing_text
from casebase.parse.transcript import as_transcript, looks_like_transcript
from casebase.records import Document, Line

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
DEPOSITION = CORPUS / "filings-text" / "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
HEARING = CORPUS / "filings-text" / "gov.uscourts.cand.433688.109.0.md"
HEARING_PDF = CORPUS / "filings-pdf" / "cand_4-17-cv-04709_dkt229-4_hearing_transcript.pdf"
ORDER = CORPUS / "filings-text" / "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")

_cache: dict[Path, Document] = {}


def parsed(path: Path) -> Document:
    if path not in _cache:
        if path.suffix == ".pdf":
            from casebase.parse.filing import finish
            from casebase.parse.pdf import parse_pdf

            _cache[path] = as_transcript(finish(parse_pdf(path.read_bytes(), path.name)))
        else:
            _cache[path] = parse_filing_text(path.read_text(encoding="utf-8"), path.name)
    return _cache[path]


def at(doc: Document, page: int, number: int) -> Line:
    [p] = [p for p in doc.pages if p.number == page]
    [l] = [l for l in p.lines if l.number == number]
    return l


def check(doc: Document, expected: list[tuple[int, int, str, str | None]]) -> None:
    for page, number, text, speaker in expected:
        got = at(doc, page, number)
        assert (page, number, got.text, got.speaker) == (page, number, text, speaker)


def test_deposition_pages_are_the_transcripts_own():
    doc = parsed(DEPOSITION)
    assert doc.kind == "transcript"
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 128, 129, 130, 131]
    assert [p.pdf_page for p in doc.pages] == [3, 4, 5, 6, 7, 8, 9, 10]
    # the exhibit slip sheet and the reporter's cover have no transcript page
    assert [u["pdf_page"] for u in doc.metadata["unpaged"]] == [1, 2]
    assert doc.metadata["unpaged"][1]["text"].startswith("In the Matter Of:")
    assert sum("no transcript page number" in w for w in doc.warnings) == 2
    assert doc.title == "Videotaped Deposition of Ilya Sutskever"
    assert (doc.filed, doc.date) == ("2025-10-29", "2025-10-01")
    for page in doc.pages:
        assert page.footer == [f"www.LexitasLegal.com/Premier Lexitas 888-267-1200 Page {page.number}"]
        assert max(l.number for l in page.lines) <= 25


def test_deposition_lines_and_speakers():
    doc = parsed(DEPOSITION)
    check(doc, [
        (1, 13, "Videotaped Deposition of ILYA SUTSKEVER", None),
        (128, 1, "Well, you put -- you put these two", None),  # the excerpt starts mid-question
        (128, 3, "A. Yes.", "A"),
        (128, 4, "Q. All right.", "Q"),
        (128, 5, "And then you sent your 52-page memo,", "Q"),
        (128, 12, "A. Because we were having the discussions", "A"),
        (128, 13, "with the independent directors only.", "A"),
        (128, 23, "ATTORNEY AGNOLUCCI: Object to form.", "ATTORNEY AGNOLUCCI"),
        (128, 24, "THE WITNESS: So the way I wrote this", "THE WITNESS"),
        (129, 1, "that the independent board members asked me to", "THE WITNESS"),
        (129, 9, "BY ATTORNEY MOLO:", None),
        (129, 13, "A. It was most likely Adam D'Angelo.", "A"),
        (130, 1, "Q. Well, before he asked you if you had", "Q"),
        (130, 17, "[As Read] Sam exhibits a consistent", "Q"),
        (131, 15, "A. Termination.", "A"),
        (131, 20, "Q. Why?", "Q"),
        (131, 25, "ATTORNEY AGNOLUCCI: Object to form.", "ATTORNEY AGNOLUCCI"),
    ])


def test_deposition_time_stamps_leave_the_text():
    doc = parsed(DEPOSITION)
    assert "13:51:45" not in doc.text
    times = doc.metadata["timestamps"]
    assert times["128:5"] == "13:51:45"
    assert times["129:10"] == "13:53:14"
    assert times["131:25"] == "13:55:44"
    assert doc.metadata["examinations"][0] == {"page": 129, "line": 9, "examiner": "ATTORNEY MOLO"}
    assert doc.metadata["closing_note"].startswith("[excerpt ends")


def test_hearing_text_pages_lines_speakers():
    doc = parsed(HEARING)
    assert doc.kind == "transcript"
    assert doc.page_count == 107
    assert all(p.number == p.pdf_page == p.stamp.page for p in doc.pages)
    assert doc.metadata["inferred_pages"] == [1]  # the cover prints no page number
    assert doc.title == "REPORTER'S TRANSCRIPT OF PROCEEDINGS"
    assert doc.date == "2025-02-04"
    check(doc, [
        (3, 6, "THE CLERK: Good morning, everyone. These", "THE CLERK"),
        (3, 11, "Your Honor, now calling the civil matter 24-CV-4722-YGR,", "THE CLERK"),
        (3, 16, "MR. TOBEROFF: Good morning. Marc Toberoff for the", "MR. TOBEROFF"),
        (3, 17, "plaintiffs, Elon Musk, xAI, and Shivon Zilis.", "MR. TOBEROFF"),
        (3, 18, "THE COURT: Okay. And who's here with you, sir?", "THE COURT"),
        (4, 12, "MS. EDDY: Good morning, Your Honor. Sarah Eddy for", "MS. EDDY"),
        (4, 14, "MR. SAVITT: Your Honor, good morning. William", "MR. SAVITT"),
        (5, 14, "Let's see. In terms of starting off, well, we'll start", "THE COURT"),
        (6, 1, "THE COURT: By the end of the year?", "THE COURT"),
    ])
    assert at(doc, 3, 2).speaker is None  # "P R O C E E D I N G S"
    assert doc.pages[3].footer == ["RAYNEE H. MERCADO, CSR, RMR, CRR, FCRR, CCRR (510) 565-7228"]


def test_an_order_is_not_a_transcript():
    assert not looks_like_transcript(parsed(ORDER))
    assert parsed(ORDER).kind == "filing_text"


@pytest.mark.skipif(not HEARING_PDF.is_file(), reason=f"{HEARING_PDF} not found")
def test_hearing_pdf_pages_lines_speakers():
    doc = parsed(HEARING_PDF)
    assert doc.kind == "transcript"
    assert [p.number for p in doc.pages] == list(range(1, 39))
    assert doc.metadata["inferred_pages"] == [1, 2]  # cover and appearances print none
    assert doc.parties == ["Looksmart Group, Inc.", "Microsoft Corporation"]
    assert doc.date == "2019-10-02"
    check(doc, [
        (3, 1, "Wednesday, October 2, 2019 2:12 p.m.", None),
        (3, 3, "THE CLERK: Your Honor, now calling civil matter", "THE CLERK"),
        (3, 8, "MR. MARTIN: This is Brandon Martin for plaintiff", "MR. MARTIN"),
        (3, 19, "(Pause in the proceedings.)", None),
        (3, 25, "other people did in a totally unrelated case -- some totally", "THE COURT"),
        (13, 5, "MR. ENGER: There were a number of interrogatories", "MR. ENGER"),
        (14, 1, "Microsoft do in response? This is very telling.", "MR. ENGER"),
        (14, 15, "THE COURT: Can you just tell me where in the brief", "THE COURT"),
        (14, 20, "(Simultaneous colloquy.)", None),
        (14, 22, "MR. ENGER: Right here. Page 7 of the brief is where", "MR. ENGER"),
        (38, 11, "THE CLERK: Court is in recess.", "THE CLERK"),
        (38, 15, "CERTIFICATE OF REPORTER", None),
        (38, 25, "Monday, October 14, 2019", None),
    ])
    # the reporter's footer is furniture on every page, the cover's too
    assert all(p.footer == ["RAYNEE H. MERCADO, CSR, RMR, CRR, FCRR, CCRR (510) 565-7228"] for p in doc.pages)


def test_transcript_without_printed_page_numbers_keeps_pdf_pages():
    # the hearing transcript with the page numbers after the ECF stamps cut off
    text = re.sub(r"(Page \d+ of 107)[ \t]+\d+", r"\1", HEARING.read_text(encoding="utf-8"))
    doc = parse_filing_text(text, "no-page-numbers.md")
    assert doc.kind == "transcript"
    assert [p.number for p in doc.pages] == list(range(1, 108))
    assert "no transcript page numbers found; pages are the PDF's" in doc.warnings
    assert at(doc, 3, 18).speaker == "THE COURT"


# -- a trial transcript (generated: the corpus has press reports of the trial testimony, no transcript)


def test_trial_excerpt_pages_witness_and_cite():
    from casebase import cite
    from casebase.parse import parse_bytes
    from casebase.testing import trial_transcript_text

    doc = parse_bytes(trial_transcript_text().encode(), "generated_trial_transcript.txt")
    assert doc.kind == "transcript"
    assert doc.title == "Trial Transcript, Vol. 9"
    assert doc.date == "2026-04-30" and doc.metadata["proceeding"] == "trial"
    assert doc.case_number == "4:24-cv-04722-YGR"  # from the caption's "No."
    assert [p.number for p in doc.pages] == [1790, 1811, 1812]
    assert doc.metadata["witnesses"] == [{"page": 1811, "line": 1, "witness": "Elon Musk"}]
    assert doc.metadata["examinations"] == [{"page": 1811, "line": 5, "examiner": "MR. SAVITT"}]
    page = doc.pages[2]
    assert [(l.number, l.speaker) for l in page.lines] == [
        (1, "Q"), (2, "A"), (3, "Q"), (4, "A"), (5, "Q"), (6, "THE COURT")]
    assert page.lines[3].text == "A. Partly."
    assert cite.pin_cite(doc, 1812, 3, 4) == "Trial Tr. 1812:3–4"


def test_witness_called_mid_transcript_and_previously_sworn_note():
    from casebase.parse import parse_bytes
    from casebase.testing import trial_transcript_text

    doc = parse_bytes(trial_transcript_text(second_witness=True).encode(), "trial.txt")
    assert [w["witness"] for w in doc.metadata["witnesses"]] == ["Elon Musk", "Jane Roe"]
    assert doc.metadata["witnesses"][1] == {"page": 1813, "line": 1, "witness": "Jane Roe"}
    # a name alone on its line, not followed by a call to the stand, names no witness
    text = trial_transcript_text(second_witness=True).replace("called as a witness for", "counsel for")
    assert [w["witness"] for w in parse_bytes(text.encode(), "trial.txt").metadata["witnesses"]] == ["Jane Roe"]
