"""Bluebook citations of real record documents, citation lists (Id., short
forms, both docket styles) and verification against the store.

Every expected string below was written by hand from the rules (Bluepages
B17 and table BT1 for court documents, rule 10.8.3 for a document of another
case, rule 16.6 for a news article, rules 4.1-4.2 for Id. and short forms),
reading the page and lines in the document, not from the code under test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casebase import store
from casebase.cite import forms, gather, lists, verify
from casebase.cli import main
from casebase.ingest import ingest
from casebase.testing import pleading_pdf

REPO = Path(__file__).resolve().parents[1]
TEXT = REPO / "corpus" / "filings-text"
PDF = REPO / "corpus" / "filings-pdf"

COMPLAINT = "gov.uscourts.cand.433688.1.0_1.md"
FAC = "gov.uscourts.cand.433688.32.0_1.md"
ANSWER = "gov.uscourts.cand.433688.147.0_2.md"
MOTION = "gov.uscourts.cand.433688.46.0.md"
MTD_ORDER = "gov.uscourts.cand.433688.163.0.md"
PI_ORDER = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
HEARING = "gov.uscourts.cand.433688.109.0.md"
DEPOSITION = "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
DECLARATION = "cand_3-18-mc-80132_dkt16-6_declaration.pdf"
QUASH_ORDER = "cand_3-04-cv-00098_dkt199_order_denying_motion_to_quash.pdf"
LOOKSMART = "cand_4-17-cv-04709_dkt229-4_hearing_transcript.pdf"
CA2_ORDER = "ca2_25-1689_dkt28-1_order_2025.pdf"
COLO_COMPLAINT = "dcolo_1-21-cv-01061_dkt1_complaint_p1.pdf"
ADKINS_BRIEF = "cand_3-18-cv-05982_dkt198-1_brief.pdf"
CA1_OPINION = "ca1_20-1507_opinion.pdf"
CA5_OPINION = "ca5_21-50498_opinion.pdf"
ENGADGET = "2024-08-05_engadget_musk-drags-openai-into-federal-court.txt"
ENGADGET_CITE = ("Elon Musk drags OpenAI into federal court, Engadget (Aug. 5, 2024), "
                 "https://www.engadget.com/elon-musk-drags-openai-into-federal-court-152709507.html.")
MUSK_V_ALTMAN = "4:24-cv-04722-YGR"


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> sqlite3.Connection:
    """Lines and pages are all a citation needs: no extraction, no index."""
    folder = tmp_path_factory.mktemp("cite")
    generated = folder / "generated_pageid_filing.pdf"
    generated.write_bytes(pleading_pdf(3, case="1:20-cv-00123-JTN", document="12", page_id=234))
    conn = store.connect(folder / "store")
    filings = shared / "corpus" / "filings-pdf"
    paths = [TEXT, REPO / "corpus" / "dockets", PDF / DECLARATION, PDF / QUASH_ORDER, PDF / LOOKSMART,
             PDF / CA2_ORDER, filings / COLO_COMPLAINT, filings / ADKINS_BRIEF, filings / CA1_OPINION,
             filings / CA5_OPINION,
             shared / "corpus" / "articles" / ENGADGET, generated]
    outcomes = ingest(paths, conn, extract=False, index=False)
    assert not [o for o in outcomes if o.status == "failed"], outcomes
    return conn


def one(db, doc: str, page: int | None = None, lines: tuple[int, int] | None = None, style: str = "ecf",
        home: str | None = None) -> str:
    """The citation of a passage standing first in a list."""
    start, end = lines or (None, None)
    (entry,) = lists.citation_list([gather.passage(db, doc, page, start, end)], style, home)
    return entry.text


# -- one citation per document type ---------------------------------------------------------------

OWN_CASE = [
    # complaints and amended complaints: the paragraph
    (COMPLAINT, 20, (5, 8), "Compl. ¶ 90, ECF No. 1."),
    (COMPLAINT, 20, (5, 12), "Compl. ¶¶ 90–91, ECF No. 1."),
    (FAC, 30, (1, 3), "First Am. Compl. ¶ 157, ECF No. 32."),
    (COLO_COMPLAINT, 1, (16, 22), "Compl. ¶¶ 1–2, ECF No. 1."),  # 'COMPLAINT TO CONFIRM RESCISSION ...'
    # answer and counterclaims: the paragraph
    (ANSWER, 60, (2, 6), "OpenAI Defs.' Countercls., Answer & Defenses ¶ 130, ECF No. 147."),
    # motions and their memoranda: the page
    (MOTION, 20, (1, 4), "Pls.' Mot. Prelim. Inj. at 20, ECF No. 46."),
    (ADKINS_BRIEF, 12, (3, 5), "Pl.'s Mem. P. & A. Supp. Pl.'s Mot. Class Cert. at 12, ECF No. 198-1."),
    # orders and opinions: the page
    (PI_ORDER, 4, (1, 4), "Order Den. Mot. Prelim. Inj. at 4, ECF No. 121."),
    (MTD_ORDER, 5, (1, 3),
     "Order Granting in Part & Den. in Part Defs.' Mots. to Dismiss First Am. Compl. at 5, ECF No. 163."),
    (QUASH_ORDER, 2, (4, 5), "Order Den. Mot. to Quash Subpoena at 2, ECF No. 199."),
    (CA2_ORDER, 1, (10, 12), "Order at 1, ECF No. 28-1."),
    # declarations: the declarant, the paragraph
    (DECLARATION, 2, (2, 8), "Wohlgemuth Decl. ¶¶ 1–2, ECF No. 16-6."),
    (DECLARATION, 2, (6, 8), "Wohlgemuth Decl. ¶ 2, ECF No. 16-6."),
    # hearing transcripts and depositions (an exhibit, 340-1): page:line and the day
    (HEARING, 45, (3, 10), "Hr'g Tr. 45:3–10, Feb. 4, 2025, ECF No. 109."),
    (LOOKSMART, 5, (5, 6), "Hr'g Tr. 5:5–6, Oct. 2, 2019, ECF No. 229-4."),
    (DEPOSITION, 128, (3, 10), "Sutskever Dep. 128:3–10, Oct. 1, 2025, ECF No. 340-1."),
    (DEPOSITION, 129, (4, 4), "Sutskever Dep. 129:4, Oct. 1, 2025, ECF No. 340-1."),
    # footnotes (rule 3.2(b)): the page and the note, whatever the document's pin
    (PI_ORDER, 5, (24, 25), "Order Den. Mot. Prelim. Inj. at 5 n.2, ECF No. 121."),
    (COMPLAINT, 20, (27, 28), "Compl. at 20 n.2, ECF No. 1."),
]


@pytest.mark.parametrize("doc,page,lines,expected", OWN_CASE, ids=[f"{c[0][:24]}-{c[1]}" for c in OWN_CASE])
def test_record_cite_in_its_own_case(db, doc, page, lines, expected):
    assert one(db, doc, page, lines) == expected


OTHER_CASE = [
    (LOOKSMART, 5, (5, 6), "Hr'g Tr. 5:5–6, LookSmart Grp., Inc. v. Microsoft Corp., No. 4:17-cv-04709-JST "
                           "(N.D. Cal. Oct. 2, 2019), ECF No. 229-4."),
    (QUASH_ORDER, 2, (4, 5), "Order Den. Mot. to Quash Subpoena at 2, Alvarado v. FedEx Corp., "
                             "No. 3:04-cv-00098-SI (N.D. Cal. Aug. 23, 2005), ECF No. 199."),
    (COLO_COMPLAINT, 1, (16, 20), "Compl. ¶ 1, Berkshire Life Ins. Co. of Am. v. Schubert, "
                                  "No. 1:21-cv-01061-KLM (D. Colo. Apr. 16, 2021), ECF No. 1."),
]


@pytest.mark.parametrize("doc,page,lines,expected", OTHER_CASE, ids=[c[0][:24] for c in OTHER_CASE])
def test_a_document_of_another_case_carries_its_case(db, doc, page, lines, expected):
    """Rule 10.8.3: the brief is in Musk v. Altman; this document is not."""
    assert one(db, doc, page, lines, home=MUSK_V_ALTMAN) == expected


def test_appellate_opinions_are_slip_opinions(db):
    """Rule 10.8.1: an untitled decision of a court of appeals is case law, cited by its case."""
    assert one(db, CA1_OPINION, 4, (1, 3), home=MUSK_V_ALTMAN) == (
        "Calvary Chapel of Bangor v. Mills, No. 20-1507, slip op. at 4 (1st Cir. Dec. 22, 2020).")
    p = gather.passage
    items = [p(db, CA1_OPINION, 4, 1, 3), p(db, CA1_OPINION, 5, 1, 2), p(db, CA5_OPINION, 2, 1, 2),
             p(db, CA1_OPINION, 6, 1, 1)]
    assert [e.text for e in lists.citation_list(items)] == [
        "Calvary Chapel of Bangor v. Mills, No. 20-1507, slip op. at 4 (1st Cir. Dec. 22, 2020).",
        "Id. at 5.",
        "St. Pierre v. Standard Ins. Co., No. 21-50498, slip op. at 2 (5th Cir. Mar. 16, 2022).",
        "Calvary Chapel of Bangor, slip op. at 6.",
    ]


DKT_STYLE = [
    (COMPLAINT, 20, (5, 8), "Compl. ¶ 90, Dkt. 1."),
    (PI_ORDER, 4, (1, 4), "Order Den. Mot. Prelim. Inj. at 4, Dkt. 121."),
    (DEPOSITION, 128, (3, 10), "Sutskever Dep. 128:3–10, Oct. 1, 2025, Dkt. 340-1."),
]


@pytest.mark.parametrize("doc,page,lines,expected", DKT_STYLE, ids=[c[0][:24] for c in DKT_STYLE])
def test_dkt_style(db, doc, page, lines, expected):
    assert one(db, doc, page, lines, style="dkt") == expected


@pytest.mark.parametrize("number,style,expected", [
    ("64", "ecf", "Opp'n to Mot. Prelim. Inj., ECF No. 64."),
    ("73", "ecf", "Reply Supp. Mot. Prelim. Inj., ECF No. 73."),
    ("73", "dkt", "Reply Supp. Mot. Prelim. Inj., Dkt. 73."),
    ("128", "ecf", "Opp'n to Mot. to Dismiss First Am. Compl., ECF No. 128."),
])
def test_oppositions_and_replies_cited_from_the_docket(db, number, style, expected):
    """The sample holds no opposition or reply itself; the docket names them."""
    it = gather.docket_entry(db, MUSK_V_ALTMAN, number)
    assert lists.citation_list([it], style)[0].text == expected
    assert verify.check(db, it) == ""


def test_two_oppositions_to_one_motion_stay_apart(db):
    """Both are 'Opp'n to Mot. Prelim. Inj.': the second is not Id., a repeat keeps its number."""
    items = [gather.docket_entry(db, MUSK_V_ALTMAN, n) for n in ("64", "65", "64")]
    assert [e.text for e in lists.citation_list(items)] == [
        "Opp'n to Mot. Prelim. Inj., ECF No. 64.", "Opp'n to Mot. Prelim. Inj., ECF No. 65.",
        "Opp'n to Mot. Prelim. Inj., ECF No. 64."]
    with pytest.raises(gather.NotFound, match="no docket entry 9999"):
        gather.docket_entry(db, MUSK_V_ALTMAN, "9999")


def test_article(db, capsys):
    assert one(db, ENGADGET) == ENGADGET_CITE
    # the command line cites a whole article without a page
    assert main(["cite", "--doc", ENGADGET, "--store", str(store.folder(db))]) == 0
    assert capsys.readouterr().out == ENGADGET_CITE + "\n"


def test_page_id_where_the_stamp_carries_one(db):
    """A generated W.D. Mich.-style stamp 'PageID.234' on page 1: page 2 is PageID.235."""
    assert one(db, "generated_pageid_filing.pdf", 2, (3, 4)) == "Doc. at 2, ECF No. 12, PageID.235."
    assert one(db, "generated_pageid_filing.pdf", 2, (3, 4), style="dkt") == "Doc. at 2, Dkt. 12, PageID.235."


@pytest.mark.parametrize("court,expected", [
    # as the parser reads the captions of the shared filings
    ("United States District Court, Northern District of California", "N.D. Cal."),
    ("United States District Court, Southern District of New York", "S.D.N.Y."),
    ("United States District Court, District of Colorado", "D. Colo."),
    ("United States District Court, District of Arizona", "D. Ariz."),
    ("United States Court of Appeals for the First Circuit", "1st Cir."),
    ("United States Court of Appeals for the Second Circuit", "2d Cir."),
    ("United States Court of Appeals for the Fifth Circuit", "5th Cir."),
    ("Supreme Court of the United States", "U.S."),
    ("Supreme Court of North Carolina", "N.C."),
    # and courts the sample does not hold: table T7 with the states of table T10
    ("United States District Court for the District of Massachusetts", "D. Mass."),
    ("United States District Court, District of New Jersey", "D.N.J."),
    ("United States District Court, Middle District of North Carolina", "M.D.N.C."),
    ("United States District Court for the Northern District of West Virginia", "N.D. W. Va."),
    ("United States District Court for the District of Columbia", "D.D.C."),
    ("United States Court of Appeals for the District of Columbia Circuit", "D.C. Cir."),
    ("United States Court of Appeals for the Federal Circuit", "Fed. Cir."),
    ("United States Court of Appeals for the Eleventh Circuit", "11th Cir."),
    ("Superior Court of California, County of San Francisco", ""),
])
def test_court_abbreviations(court, expected):
    assert forms.court_abbrev(court) == expected


# -- lists: Id. and short forms -------------------------------------------------------------------


def test_id_and_short_forms_in_the_users_order(db):
    p = gather.passage
    items = [
        p(db, COMPLAINT, 20, 5, 8), p(db, COMPLAINT, 20, 10, 12), p(db, COMPLAINT, 20, 10, 11),
        p(db, DEPOSITION, 128, 3, 10), p(db, DEPOSITION, 129, 1, 6),
        p(db, PI_ORDER, 4, 1, 4),
        p(db, COMPLAINT, 20, 20, 25),
        p(db, DEPOSITION, 128, 3, 10),
        p(db, ENGADGET), p(db, ENGADGET),
        p(db, LOOKSMART, 5, 5, 6),
        p(db, PI_ORDER, 5, 1, 2),
        p(db, LOOKSMART, 5, 7, 8),
        p(db, ENGADGET),
    ]
    assert [e.text for e in lists.citation_list(items)] == [
        "Compl. ¶ 90, ECF No. 1.",
        "Id. ¶ 91.",
        "Id.",  # the same paragraph again
        "Sutskever Dep. 128:3–10, Oct. 1, 2025, ECF No. 340-1.",
        "Id. at 129:1–6.",
        "Order Den. Mot. Prelim. Inj. at 4, ECF No. 121.",
        "Compl. ¶ 93.",  # a later repeat: the short form
        "Sutskever Dep. 128:3–10.",
        ENGADGET_CITE,
        "Id.",
        "Hr'g Tr. 5:5–6, LookSmart Grp., Inc. v. Microsoft Corp., No. 4:17-cv-04709-JST "
        "(N.D. Cal. Oct. 2, 2019), ECF No. 229-4.",
        "Order Den. Mot. Prelim. Inj. at 5.",
        "Hr'g Tr. 5:7–8, LookSmart Grp., ECF No. 229-4.",  # another case's short form keeps its case
        "Elon Musk drags OpenAI into federal court, supra.",
    ]


def test_short_form_keeps_the_number_when_two_documents_share_a_name(db):
    p = gather.passage
    items = [p(db, HEARING, 45, 3, 10), p(db, PI_ORDER, 4, 1, 4), p(db, HEARING, 46, 1, 2)]
    assert [e.text for e in lists.citation_list(items, "dkt")] == [
        "Hr'g Tr. 45:3–10, Feb. 4, 2025, Dkt. 109.",
        "Order Den. Mot. Prelim. Inj. at 4, Dkt. 121.",
        "Hr'g Tr. 46:1–2.",
    ]
    items.append(p(db, LOOKSMART, 5, 5, 6))  # now two hearing transcripts are cited
    items.append(p(db, HEARING, 47, 1, 1))
    texts = [e.text for e in lists.citation_list(items, "dkt", MUSK_V_ALTMAN)]
    assert texts[-1] == "Hr'g Tr. 47:1, Dkt. 109."


def test_home_case_defaults_to_the_case_most_cited(db):
    p = gather.passage
    items = [p(db, LOOKSMART, 5, 5, 6), p(db, PI_ORDER, 4, 1, 4), p(db, DEPOSITION, 128, 3, 10)]
    texts = [e.text for e in lists.citation_list(items)]
    assert texts[0].startswith("Hr'g Tr. 5:5–6, LookSmart Grp., Inc. v. Microsoft Corp., No. 4:17-cv-04709-JST")
    assert texts[1] == "Order Den. Mot. Prelim. Inj. at 4, ECF No. 121."
    with pytest.raises(ValueError, match="unknown citation style"):
        lists.citation_list(items, "bluebook")


# -- verification ---------------------------------------------------------------------------------


def test_quotes_verified_at_their_pins(db):
    p = gather.passage
    items = [p(db, COMPLAINT, 20, 5, 8), p(db, DEPOSITION, 128, 3, 10), p(db, ENGADGET),
             p(db, HEARING, 45, 3, 10, quote="THE COURT: Yeah, but the problem that you have with that . . . "
                                            "is that they only acted after government action.")]
    entries = verify.verify(db, lists.citation_list(items))
    assert [(e.verified, e.problem) for e in entries] == [(True, "")] * 4
    # the right words on the wrong lines, and words the page does not hold
    moved = p(db, COMPLAINT, 20, 10, 12, quote="Microsoft methodically entrenched itself further into OpenAI")
    assert verify.check(db, moved) == ("quote not found at gov.uscourts.cand.433688.1.0_1.md p. 20 lines 10–12: "
                                       '"Microsoft methodically entrenched itself further into OpenAI"')
    made_up = p(db, PI_ORDER, 4, 1, 4, quote="the balance of hardships tips decidedly in defendants' favor")
    assert verify.check(db, made_up).startswith("quote not found at musk_v_altman_dkt121")


def test_tampered_line_fails_verification_with_a_clear_message(db, tmp_path):
    """Verification reads the store, not the item: edit a stored line and the same cite fails."""
    it = gather.passage(db, DEPOSITION, 128, 3, 10)
    assert "52-page memo" in it.quote and verify.check(db, it) == ""
    row = db.execute(
        "SELECT l.doc_id, l.page_seq, l.seq, l.text FROM lines l JOIN pages p ON p.doc_id = l.doc_id"
        " AND p.seq = l.page_seq JOIN documents d ON d.id = l.doc_id"
        " WHERE d.name = ? AND p.number = 128 AND l.text LIKE '%52-page memo%'", (DEPOSITION,)).fetchone()
    try:
        with store.transaction(db):
            db.execute("UPDATE lines SET text = replace(text, '52-page', '25-page') WHERE doc_id = ? AND"
                       " page_seq = ? AND seq = ?", (row["doc_id"], row["page_seq"], row["seq"]))
        (entry,) = verify.verify(db, lists.citation_list([it]))
        assert entry.verified is False
        assert entry.problem.startswith(f"quote not found at {DEPOSITION} p. 128 lines 3–10: ")
        assert "\n" not in entry.problem
    finally:
        with store.transaction(db):
            db.execute("UPDATE lines SET text = ? WHERE doc_id = ? AND page_seq = ? AND seq = ?",
                       (row["text"], row["doc_id"], row["page_seq"], row["seq"]))
    assert verify.check(db, it) == ""


def test_missing_pages_lines_and_documents_are_named(db):
    it = gather.passage(db, PI_ORDER, 4, 1, 4)
    assert verify.check(db, forms.Item(**{**it.__dict__, "page": 400})) == f"{PI_ORDER} has no page 400"
    assert verify.check(db, forms.Item(**{**it.__dict__, "line_start": 60, "line_end": 61})) == (
        f"{PI_ORDER} p. 4 lines 60–61: no such lines in the store")
    assert verify.check(db, forms.Item(**{**it.__dict__, "doc": "gone.pdf"})) == "gone.pdf: not in the store"
    with pytest.raises(gather.NotFound, match="has no page 400"):
        gather.passage(db, PI_ORDER, 400)
