"""Citations as printed in the shared filings: record cites, case law, statutes, Id. chains.

Every row of REAL is a string copied from a file in /work/shared/corpus (text
extractions, or text pypdfium2 extracts from the PDFs); the test first checks
that the string really is in that file, then what `find_citations` makes of it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pypdfium2
import pytest

from casebase.extract.citations import (
    LegalCite,
    RecordCite,
    _flatten,
    _tokenizer,
    find_citations,
    format_pin,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS} (../shared from the repo)"
)

D121 = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"  # order denying PI
D163 = "gov.uscourts.cand.433688.163.0.md"  # order on motions to dismiss
D147 = "gov.uscourts.cand.433688.147.0_2.md"  # answer and counterclaims
D32 = "gov.uscourts.cand.433688.32.0_1.md"  # first amended complaint
D46 = "gov.uscourts.cand.433688.46.0.md"  # motion for preliminary injunction
D109 = "gov.uscourts.cand.433688.109.0.md"  # PI hearing transcript
D340 = "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
BRIEF = "cand_3-18-cv-05982_dkt198-1_brief.pdf"  # Adkins v. Facebook class cert brief
MSJ = "cand_5-15-cv-02543_dkt440_redacted_order_MSJ.pdf"  # Tessera v. Toshiba
CA5 = "ca5_21-50498_opinion.pdf"


@lru_cache(maxsize=None)
def source(name: str) -> str:
    """The file's text: as stored, or as pypdfium2 extracts it from the PDF."""
    if name.endswith(".pdf"):
        pdf = pypdfium2.PdfDocument(str(CORPUS / "filings-pdf" / name))
        try:
            return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        finally:
            pdf.close()
    return (CORPUS / "filings-text" / name).read_text(encoding="utf-8")


def squeeze(s: str) -> str:
    return " ".join(s.split())


def rec(kind: str, **fields) -> dict:
    return {"type": RecordCite, "kind": kind, **fields}


def law(kind: str, **fields) -> dict:
    return {"type": LegalCite, "kind": kind, **fields}


# (source file, citation string as printed there, every citation expected in it)
REAL = [
    # --- Dkt. 121, order denying the preliminary injunction
    (D121, "Dkt. No. 73-32, ¶¶ 3, 5", [rec("docket", document_number="73-32", paragraphs=[3, 5])]),
    (D121, "Dkt. No. 107 at ¶¶ 4-8", [rec("docket", document_number="107", paragraphs=[4, 5, 6, 7, 8])]),
    (D121, "Dkt. No. 32-22 at 5", [rec("docket", document="Dkt. No. 32-22", page=5, fmt="Dkt. No. 32-22 at 5")]),
    (D121, "Dkt. Nos. 46, 118", [rec("docket", document_number="46"), rec("docket", document_number="118", text="118")]),
    (D121, "Id. ¶ 168", [rec("id", paragraphs=[168], antecedent=None)]),
    (D121, "id., ¶¶ 161-67", [rec("id", paragraphs=list(range(161, 168)))]),
    (D121, "Id. at 64:16-21", [rec("id", page=64, line=16, line_end=21, page_end=None)]),
    (D121, "Id. at i-ii", [rec("id", page=None, pin="at i-ii")]),
    (D121, "Dkt. No. 46-9, Mtn., Ex. 8", [rec("docket", document_number="46-9"), rec("exhibit", document="Mtn.", exhibit="8")]),
    (D121, "Dkt. No. 32-17; FAC, Ex. 16.", [rec("docket", document_number="32-17"), rec("exhibit", document="FAC", exhibit="16", fmt="FAC Ex. 16")]),
    (
        D121,
        "All. for the Wild Rockies v. Cottrell, 632 F.3d 1127, 1135 (9th Cir. 2011)",
        [law("case", volume="632", reporter="F.3d", page="1127", pin="1135", year=2011, court="ca9", defendant="Cottrell")],
    ),
    (
        D121,
        "Pimental v. Dreyfus, 670 F.3d 1096, 1105–06 (9th Cir. 2012)",
        [law("case", plaintiff="Pimental", volume="670", page="1096", pin="1105–06", fmt="670 F.3d 1096, 1105–06")],
    ),
    (D121, "Honey Bum, 63 F.4th at 821", [law("short", volume="63", reporter="F.4th", pin="821", antecedent=None)]),
    (D121, "15 U.S.C. § 19(a)(2)", [law("statute", volume="15", reporter="U.S.C.", section="19", pin="(a)(2)")]),
    (D121, "Cal. Corp. Code. § 5233(c)", [law("statute", reporter="Cal. Corp. Code", section="5233", pin="(c)")]),
    # --- Dkt. 163, order on the motions to dismiss
    (D163, "(FAC ¶ 251)", [rec("amended_complaint", document="FAC", paragraphs=[251], text="FAC ¶ 251")]),
    (D163, "Count VII (id. ¶¶ 305–08, 310–15)", [rec("id", paragraphs=[305, 306, 307, 308, *range(310, 316)])]),
    (
        D163,
        "Re: Dkt. Nos. 101, 102, 103, 152, & 154.",
        [rec("docket", document_number=n) for n in ("101", "102", "103", "152", "154")],
    ),
    (D163, "Cal. Civ. Code, §1620", [law("statute", reporter="Cal. Civ. Code", section="1620")]),
    (
        D163,
        "(See OpenAI Mtn. at 34; FAC ¶¶ 113, 322.)",
        [rec("brief", document="OpenAI Mtn.", page=34), rec("amended_complaint", paragraphs=[113, 322])],
    ),
    (D163, "(See Dkt. No. 128 at 17-18.)", [rec("docket", document_number="128", page=17, page_end=18)]),
    (D163, "Prior Order at 15 n.11", [rec("order", document="Prior Order", page=15)]),
    (D163, "18 U.S.C. § 1962(b)", [law("statute", volume="18", section="1962", pin="(b)", fmt="18 U.S.C. § 1962(b)")]),
    # --- Dkt. 147, answer; Dkt. 32, first amended complaint
    (D147, "Dkt. No. 18 at 2, ¶ 10", [rec("docket", page=2, paragraphs=[10], fmt="Dkt. No. 18 at 2, ¶ 10")]),
    (D147, "Cal. Corp. Code § 5142", [law("statute", reporter="Cal. Corp. Code", section="5142", pin=None)]),
    (D147, "Cal. Bus. & Prof. Code §§ 17200 et seq.", [law("statute", reporter="Cal. Bus. & Prof. Code", section="17200")]),
    (D147, "Ex. 25 at 1", [rec("exhibit", exhibit="25", document="Ex. 25", page=1)]),
    (D32, "Ex. 19 at 1-4", [rec("exhibit", exhibit="19", page=1, page_end=4)]),
    (D32, "Dkt. No. 1 at 30, ¶ 146", [rec("docket", document_number="1", page=30, paragraphs=[146])]),
    (D32, "Cal. Civ. Code § 3294(a)", [law("statute", reporter="Cal. Civ. Code", section="3294", pin="(a)")]),
    (D32, "15 U.S.C. § 26", [law("statute", volume="15", reporter="U.S.C.", section="26")]),
    # --- Dkt. 46, motion for a preliminary injunction
    (D46, "FAC ¶¶ 201, 227, 330-89", [rec("amended_complaint", paragraphs=[201, 227, *range(330, 390)])]),
    (D46, "id. ¶¶ 113, 124, 387(f)", [rec("id", paragraphs=[113, 124, 387])]),
    (D46, "Id. ¶ 163 & n.8", [rec("id", paragraphs=[163])]),
    (D46, "Id. ¶¶ 77 n.4, 78", [rec("id", paragraphs=[77, 78])]),
    (D46, "FAC Ex. 2 at 1", [rec("exhibit", document="FAC", exhibit="2", page=1, fmt="FAC Ex. 2 at 1")]),
    (D46, "15 U.S.C. § 19(a)(1)(B)", [law("statute", section="19", pin="(a)(1)(B)")]),
    (D46, "Ex. 21 at 1:21–22", [rec("exhibit", exhibit="21", page=1, line=21, line_end=22)]),
    (D46, "Ex. 19 at 1:19–2:24", [rec("exhibit", page=1, line=19, page_end=2, line_end=24)]),
    (D46, "PLS.Com, 32 F.4th at 834", [law("short", volume="32", reporter="F.4th", pin="834")]),
    (D46, "Exs. 10-15", [rec("exhibit", exhibit="10-15")]),
    (
        D46,
        "Stanislaus Food Prod. Co. v. USS-POSCO Indus., 803 F.3d 1084, 1092 (9th Cir. 2015)",
        [law("case", volume="803", reporter="F.3d", page="1084", pin="1092", year=2015, court="ca9")],
    ),
    # --- Dkt. 109 hearing transcript; Dkt. 340-1 deposition excerpt header
    (D109, "Docket 75-32 at paragraph 5", [rec("docket", document="Dkt. No. 75-32", paragraphs=[5])]),
    (
        D340,
        "Dkt. 340-1 = Exhibit 4 to Joint Discovery Letter Brief [Dkt. 300]",
        [rec("docket", document_number="340-1"), rec("exhibit", exhibit="4"), rec("docket", document_number="300")],
    ),
    # --- Adkins v. Facebook brief (PDF)
    (
        BRIEF,
        "Declaration of Mary Frantz (“Frantz Decl.”) at ¶¶ 4, 6, 43",
        [rec("declaration", document="Frantz Decl.", paragraphs=[4, 6, 43], fmt="Frantz Decl. ¶¶ 4, 6, 43")],
    ),
    (BRIEF, "Frantz Decl. at ¶¶ 7, 27, 64, 81–103", [rec("declaration", paragraphs=[7, 27, 64, *range(81, 104)])]),
    (
        BRIEF,
        "Bream 30(b)(6) Dep. 40:23–41:10, 43:22–45:19",
        [rec("deposition", document="Bream 30(b)(6) Dep.", page=40, line=23, page_end=41, line_end=10)],
    ),
    (
        BRIEF,
        "Deposition of Stephen Adkins (“Adkins Dep.”) at 267:10–268:13",
        [rec("deposition", document="Adkins Dep.", page=267, line=10, page_end=268, line_end=13)],
    ),
    (
        BRIEF,
        "Adkins Dep. at 66:7–14, 71:1–3, 194:12–19",
        [rec("deposition", page=66, line=7, line_end=14, fmt="Adkins Dep. 66:7–14")],
    ),
    (
        BRIEF,
        "May 2, 2019 Hearing Tr. at 51:19-23",
        [rec("hearing_transcript", document="Hearing Tr.", page=51, line=19, line_end=23)],
    ),
    (BRIEF, "ECF No. 153 at 10", [rec("ecf", document="ECF No. 153", document_number="153", page=10)]),
    (BRIEF, "Ex. 3, at ‘491", [rec("exhibit", exhibit="3", page=None, pin="at ‘491")]),
    (
        BRIEF,  # "Plans & Tr. Funds" is a party name, not a transcript
        "Amgen Inc. v. Conn. Ret. Plans & Tr. Funds, 568 U.S. 455, 466 (2013)",
        [law("case", plaintiff="Amgen Inc.", volume="568", reporter="U.S.", page="455", pin="466", court="scotus")],
    ),
    (
        BRIEF,
        "Giroux v. Essex Prop. Tr., Inc., 2018 WL 2463107, at *4",
        [law("case", plaintiff="Giroux", volume="2018", reporter="WL", page="2463107", pin="*4")],
    ),
    (BRIEF, "15 U.S.C. § 45(a)", [law("statute", volume="15", section="45", pin="(a)")]),
    (BRIEF, "FACC ¶¶ 11, 21, 22, 25", [rec("amended_complaint", paragraphs=[11, 21, 22, 25])]),
    (BRIEF, "Van Dyke Decl. at 1", [rec("declaration", document="Van Dyke Decl.", page=1)]),
    (BRIEF, "Id. at ¶¶ 54-59", [rec("id", paragraphs=[54, 55, 56, 57, 58, 59])]),
    # --- Tessera v. Toshiba order on summary judgment (PDF)
    (
        MSJ,
        "Decl. of Amy K. Liang (“Liang Decl.”) Ex. 1, at 1, ECF 380-2, 403-6",
        [
            rec("exhibit", document="Liang Decl.", exhibit="1", page=1, fmt="Liang Decl. Ex. 1 at 1"),
            rec("ecf", document_number="380-2"),
            rec("ecf", document_number="403-6"),
        ],
    ),
    (MSJ, "Toshiba Opp. at 5-15", [rec("brief", document="Toshiba Opp.", page=5, page_end=15)]),
    (
        MSJ,
        "Toshiba Amend. Ans., Counterclaim ¶¶ 29-35, ECF 90-1",
        [rec("counterclaim", paragraphs=list(range(29, 36))), rec("ecf", document_number="90-1")],
    ),
    (
        MSJ,
        "First Am. Compl. at 3-4, ECF 87",
        [rec("amended_complaint", document="First Am. Compl.", page=3, page_end=4), rec("ecf", document_number="87")],
    ),
    (MSJ, "Cal. Civ. Proc. Code § 337", [law("statute", reporter="Cal. Civ. Proc. Code", section="337")]),
    (
        MSJ,
        "Dec. 2016 Hr’g Tr. at 28-29, ECF 280",
        [rec("hearing_transcript", document="Hr’g Tr.", page=28, page_end=29), rec("ecf", document_number="280")],
    ),
    (MSJ, "Ninth Circuit Oral Arg. Tr. at 32-33", [rec("transcript", document="Oral Arg. Tr.", page=32, page_end=33)]),
    (MSJ, "First MSJ Order at 16-18", [rec("order", document="First MSJ Order", page=16, page_end=18)]),
    (
        MSJ,
        "Decl. of Dr. John C. Bravman (“Bravman Decl.”) ¶¶ 3-8",
        [rec("declaration", document="Bravman Decl.", paragraphs=[3, 4, 5, 6, 7, 8])],
    ),
    (MSJ, "Tessera Opp. to MSJ at 3-6", [rec("brief", document="Tessera Opp. to MSJ", page=3, page_end=6)]),
    (MSJ, "ECF 249, at 2", [rec("ecf", document_number="249", page=2, fmt="ECF No. 249 at 2")]),
    (MSJ, "Harbour Decl. Ex. A, at 54", [rec("exhibit", document="Harbour Decl.", exhibit="A", page=54)]),
    (MSJ, "Mot. to Strike at 1", [rec("brief", document="Mot. to Strike", page=1)]),
    (
        MSJ,
        "Brulotte v. Thys Co., 379 U.S. 29 (1964)",
        [law("case", plaintiff="Brulotte", defendant="Thys Co.", volume="379", page="29", year=1964)],
    ),
    (CA5, "Texas Insurance Code § 4001.003(1)", [law("statute", reporter="Texas Insurance Code", section="4001.003")]),
]


def check(cite, expected: dict) -> None:
    exp = dict(expected)
    assert isinstance(cite, exp.pop("type")), cite
    fmt = exp.pop("fmt", None)
    for key, value in exp.items():
        assert getattr(cite, key) == value, (key, cite)
    if fmt is not None:
        assert format_pin(cite) == fmt


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize(("name", "printed", "expected"), REAL, ids=[f"{r[0][:18]}:{r[1][:40]}" for r in REAL])
def test_real_citation_strings(name: str, printed: str, expected: list[dict]) -> None:
    assert squeeze(printed) in squeeze(source(name)), f"not in {name}"
    cites = find_citations(printed)
    assert len(cites) == len(expected), cites
    for cite, exp in zip(cites, expected):
        check(cite, exp)
        assert cite.text == printed[cite.start : cite.end]


def test_real_table_is_large_enough() -> None:
    assert len(REAL) >= 40


# Forms the record uses that the corpus happens not to contain.
FORMS = [
    ("Compl. ¶ 12", "complaint", "Compl. ¶ 12"),
    ("Compl. ¶¶ 3-5", "complaint", "Compl. ¶¶ 3–5"),
    ("FAC ¶¶ 3–5", "amended_complaint", "FAC ¶¶ 3–5"),
    ("First Am. Compl. ¶ 231", "amended_complaint", "First Am. Compl. ¶ 231"),
    ("ECF No. 121 at 4", "ecf", "ECF No. 121 at 4"),
    ("Dkt. 46", "docket", "Dkt. No. 46"),
    ("Dkt. No. 32-2", "docket", "Dkt. No. 32-2"),
    ("Sutskever Dep. 128:3–10", "deposition", "Sutskever Dep. 128:3–10"),
    ("Musk Dep. at 12:4-8", "deposition", "Musk Dep. 12:4–8"),
    ("Ex. A at 2", "exhibit", "Ex. A at 2"),
    ("Exh. 3", "exhibit", "Ex. 3"),
    ("PageID.234", "page_id", "PageID.234"),
    ("PageID #: 234", "page_id", "PageID.234"),
    ("Hr'g Tr. 12:4", "hearing_transcript", "Hr'g Tr. 12:4"),
    ("Tr. 45:2-46:3", "transcript", "Tr. 45:2–46:3"),
    ("Opp. at 5", "brief", "Opp. at 5"),
    ("Mot. at 12", "brief", "Mot. at 12"),
    ("Decl. of Jane Roe ¶ 4", "declaration", "Decl. of Jane Roe ¶ 4"),
    ("Compl. para. 12", "complaint", "Compl. ¶ 12"),
    ("Compl. paras. 3—5", "complaint", "Compl. ¶¶ 3–5"),
    ("Id. at 45:13-24", "id", "Id. at 45:13–24"),
    ("Id. ¶ 7", "id", "Id. ¶ 7"),
]


@pytest.mark.parametrize(("printed", "kind", "pin"), FORMS)
def test_forms(printed: str, kind: str, pin: str) -> None:
    (cite,) = find_citations(printed)
    assert (cite.kind, format_pin(cite), cite.text) == (kind, pin, printed)


def test_prose_mentions_are_not_citations() -> None:
    text = "The FAC alleges a boycott. Sutskever Dep. was noticed. See the Complaint and the Order."
    assert find_citations(text) == []


def test_empty_text() -> None:
    assert find_citations("") == [] and find_citations(" \n\f ") == []


def test_ecf_stamp_page_id_is_not_a_citation() -> None:
    stamp = "Case 2:20-cv-01234 Document 12 Filed 01/02/20 Page 3 of 9 PageID #: 34\nSee PageID #: 12."
    (cite,) = find_citations(stamp)
    assert (cite.kind, cite.page) == ("page_id", 12)


def test_id_and_short_forms_resolve_across_kinds() -> None:
    text = (
        "Musk v. Altman, 123 F.4th 100, 110 (9th Cir. 2025). Compl. ¶ 3. Id. ¶ 4. "
        "Compl. ¶ 14. Musk, 123 F.4th at 45. Id. at 46. Id."
    )
    cites = find_citations(text)
    kinds = [c.kind for c in cites]
    assert kinds == ["case", "complaint", "id", "complaint", "short", "id", "id"]
    assert [c.antecedent for c in cites] == [None, None, 1, 1, 0, 4, 4]
    assert format_pin(cites[2]) == "Compl. ¶ 4"
    assert isinstance(cites[5], LegalCite) and format_pin(cites[5]) == "123 F.4th 100, 46"
    assert cites[6].pin == "46"  # a bare Id. repeats the pin before it


# --- Id. chains in real passages --------------------------------------------


@needs_shared
@pytest.mark.shared
def test_id_chain_in_dkt121_background() -> None:
    """Dkt. 121 p. 2: "(See generally, FAC ¶¶ 82-124.)" then six "Id." cites, broken over lines."""
    text = source(D121)
    start = text.index("Plaintiffs allege in the FAC as follows:")
    end = text.index("(Id. ¶ 232.)") + len("(Id. ¶ 232.)")
    cites = find_citations(text[start:end])
    assert [c.kind for c in cites] == ["amended_complaint"] + ["id"] * 6
    assert cites[0].paragraphs == list(range(82, 125))  # "¶¶ 82-\n  10   124": margin number skipped
    expected = [[98], [99, 112, 133], list(range(161, 168)), [168], [231], [232]]
    for cite, paragraphs in zip(cites[1:], expected):
        assert cite.antecedent == 0
        assert (cite.document, cite.paragraphs) == ("FAC", paragraphs)
    assert format_pin(cites[2]) == "FAC ¶¶ 99, 112, 133"


@needs_shared
@pytest.mark.shared
def test_id_follows_record_then_case_in_dkt121() -> None:
    """"(Id. at i-ii.)" points at Dkt. No. 46; "Id. at 20" at Winter; "Id. at 1131" at Cottrell."""
    text = source(D121)
    cites = find_citations(text)
    by_text = {c.text: (i, c) for i, c in enumerate(cites)}
    i_ii, id_ii = by_text["Id. at i-ii"]
    assert isinstance(id_ii, RecordCite) and cites[id_ii.antecedent].document == "Dkt. No. 46"
    assert format_pin(id_ii) == "Dkt. No. 46 at i-ii"
    _, id_20 = by_text["Id. at 20"]
    winter = cites[id_20.antecedent]
    assert isinstance(id_20, LegalCite) and winter.kind == "case" and winter.plaintiff == "Winter"
    assert (id_20.volume, id_20.reporter, id_20.page, id_20.pin) == ("555", "U.S.", "7", "20")
    _, id_1131 = by_text["Id. at 1131"]
    assert cites[id_1131.antecedent].volume == "632" and format_pin(id_1131) == "632 F.3d 1127, 1131"
    # "W.T. Grant Co., 345\n  18   U.S. 629": found across a margin number; its Id. follows.
    _, id_632 = by_text["Id. at 632-33"]
    assert (cites[id_632.antecedent].volume, cites[id_632.antecedent].page) == ("345", "629")


@needs_shared
@pytest.mark.shared
def test_footnote_spans_keep_body_id_chains_in_dkt121() -> None:
    """The footnote on p. 14 cites Dkt. No. 118; the body's "Id. at 64:16-21" means Dkt. No. 109."""
    text = source(D121)
    note = (text.index("       after the hearing on this motion"), text.index("GRANTED but moot.") + 17)
    plain = {c.text: c for c in find_citations(text)}
    assert plain["Id. at 64:16-21"].document == "Dkt. No. 118"  # nearest cite, inside the footnote
    cites = find_citations(text, footnotes=[note])
    (hit,) = [c for c in cites if c.text == "Id. at 64:16-21"]
    assert cites[hit.antecedent].document_number == "109"
    assert format_pin(hit) == "Dkt. No. 109 at 64:16–21"


@needs_shared
@pytest.mark.shared
def test_id_chain_in_pi_motion_statement_of_facts() -> None:
    """Dkt. 46: "FAC Ex. 2 at 1" then "Id. ¶¶ 91-97": a ¶ pin means the FAC, not the exhibit."""
    text = source(D46)
    start = text.index("FAC Ex. 2 at 1")
    end = text.index("Id. ¶ 133.") + len("Id. ¶ 133.")
    cites = find_citations(text[start:end])
    assert cites[0].kind == "exhibit"
    ids = cites[1:]
    assert ids and all(c.kind == "id" and c.antecedent == 0 for c in ids)
    assert [format_pin(c) for c in ids[:3]] == ["FAC ¶¶ 91–97", "FAC ¶ 103", "FAC ¶¶ 104, 309"]
    assert format_pin(ids[-1]) == "FAC ¶ 133"


@needs_shared
@pytest.mark.shared
def test_id_chain_in_brief_footnotes() -> None:
    """Adkins brief fns. 3-8: the Frantz Declaration, then five "Id. at ¶¶" cites to it."""
    text = source(BRIEF)
    start = text.index("Declaration of Mary Frantz")
    end = text.index("Id. at ¶¶ 20, 41(D), 61(D).") + 27
    cites = find_citations(text[start:end])
    assert cites[0].document == "Frantz Decl." and cites[0].paragraphs == [4, 6, 43]
    ids = [c for c in cites if c.kind == "id"]
    assert len(ids) == 5 and all(c.antecedent == 0 and c.document == "Frantz Decl." for c in ids)
    assert ids[1].paragraphs == [43] and ids[4].paragraphs == [20, 41, 61]


@needs_shared
@pytest.mark.shared
def test_short_forms_resolve_to_full_cites_in_pi_motion() -> None:
    text = source(D46)
    cites = find_citations(text)
    shorts = [c for c in cites if c.kind == "short"]
    assert len(shorts) >= 10
    for c in shorts:
        if c.antecedent is not None:
            full = cites[c.antecedent]
            assert full.kind == "case" and (full.volume, full.reporter) == (c.volume, c.reporter)
            assert c.antecedent < cites.index(c)
    pls = [c for c in shorts if c.text == "PLS.Com, 32 F.4th at 834"]
    assert pls and cites[pls[0].antecedent].page == "824"
    # the body's full cite, not the table of authorities' entry
    assert "834 (9th Cir." in cites[pls[0].antecedent].text


# --- Whole documents ----------------------------------------------------------


def _counts(cites) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in cites:
        out[c.kind] = out.get(c.kind, 0) + 1
    return out


def _sound(text: str, cites) -> None:
    for i, c in enumerate(cites):
        assert c.text.strip(), c
        assert c.text == text[c.start : c.end]
        assert c.antecedent is None or 0 <= c.antecedent < i
    starts = [c.start for c in cites]
    assert starts == sorted(starts)


@needs_shared
@pytest.mark.shared
def test_whole_pi_motion() -> None:
    text = source(D46)
    cites = find_citations(text)
    _sound(text, cites)
    n = _counts(cites)
    assert n["amended_complaint"] > 20 and n["id"] > 80 and n["case"] > 40
    assert n["statute"] > 10 and n["exhibit"] > 30 and n["short"] > 10
    fac = [c for c in cites if c.kind == "amended_complaint"]
    assert all(c.paragraphs and c.document == "FAC" for c in fac)  # always cited by ¶ there


@needs_shared
@pytest.mark.shared
def test_whole_brief_pdf() -> None:
    text = source(BRIEF)
    cites = find_citations(text)
    _sound(text, cites)
    n = _counts(cites)
    assert n["declaration"] >= 10 and n["exhibit"] > 40 and n["id"] > 40 and n["case"] > 30
    assert n["deposition"] >= 5 and n["ecf"] >= 3


@needs_shared
@pytest.mark.shared
def test_whole_amended_complaint_has_no_internal_supra() -> None:
    """The FAC's "as detailed in paragraphs 135-45, supra" refer to itself, not to authority."""
    text = source(D32)
    cites = find_citations(text)
    _sound(text, cites)
    n = _counts(cites)
    assert n.get("supra", 0) == 0 and n["statute"] > 50 and n["exhibit"] > 40


# --- eyecite, sped up ---------------------------------------------------------


@needs_shared
@pytest.mark.shared
def test_window_tokenizer_finds_what_eyecite_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same citations, spans and metadata as stock eyecite (its tokenizer, unpatched helpers)."""
    import eyecite.find
    import eyecite.helpers
    from eyecite import get_citations

    tokenizer = _tokenizer()  # installs the two shortcuts
    text = _flatten(source(MSJ)).text

    def key(cites):
        return [(type(c).__name__, c.span(), c.full_span(), c.groups, repr(c.metadata)) for c in cites]

    fast = key(get_citations(text, tokenizer=tokenizer))
    scan = eyecite.find.extract_pincited_reference_citations
    court = eyecite.helpers.get_court_by_paren
    monkeypatch.setattr(eyecite.find, "extract_pincited_reference_citations", scan.__wrapped__)
    monkeypatch.setattr(eyecite.helpers, "get_court_by_paren", court.__wrapped__)
    stock = key(get_citations(text))
    assert len(stock) > 40
    assert fast == stock
