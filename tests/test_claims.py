"""Claims about model use: the component, the document layer and the scorer.

Sentences are the corpus's own (articles, the Dkt. 121 order, the Dkt. 109
hearing, the Dkt. 147 answer) except where a construction the record lacks
is needed (a plain negation, a question and its answer in a deposition):
those are marked as written for the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casebase.extract.claims import Claim, claims_for, extract_claims, group_propositions
from casebase.extract.score import load_jsonl, quotes_overlap, score
from casebase.nlp import load_pipeline
from casebase.parse import parse_file
from casebase.records import Document, Line, Page

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "tests" / "data" / "claims-extra.jsonl"
DEV_FILINGS = ("musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt",
               "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt")
EXTRA_DOCS = ("gov.uscourts.cand.433688.1.0_1.md", "gov.uscourts.cand.433688.46.0.md",
              "gov.uscourts.cand.433688.109.0.md", "gov.uscourts.cand.433688.147.0_2.md",
              "gov.uscourts.cand.433688.163.0.md")


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def read(nlp, text: str) -> list[tuple]:
    """(subject, relation, object, asserted_by, posture, polarity, hedged) of each claim."""
    doc = nlp(text)
    return [(c["subject"], c["relation"], c["object"], c["asserted_by"], c["posture"],
             c["polarity"], c["hedged"]) for c in doc._.claims]


def doc_claims(nlp, path: Path) -> list[Claim]:
    return claims_for(parse_file(path), nlp)


# --------------------------------------------------------------------------
# the component, sentence by sentence


def test_attribution_per_source_and_saying(nlp):
    text = ("Per WIRED, Anthropic revoked OpenAI's API access to Claude, saying OpenAI technical staff "
            "used Claude Code ahead of GPT-5 in violation of commercial terms that bar using Claude to "
            "build competing products, including training competing models, or to reverse "
            "engineer/duplicate the service.")
    got = read(nlp, text)
    assert ("OpenAI", "accessed_api", "Claude", "WIRED", "reported", "affirmed", False) in got
    assert ("OpenAI", "used_model", "Claude Code", "Anthropic", "alleged", "affirmed", False) in got
    assert ("OpenAI", "violated_terms", "Anthropic", "Anthropic", "alleged", "affirmed", False) in got
    # what the terms forbid in general is nobody's conduct
    assert len(got) == 3


def test_attribution_report_and_evidence_frames(nlp):
    text = ("It traces speculation to December 2024 when DeepSeek-V3 sometimes called itself ChatGPT, "
            "cites Bloomberg's report that Microsoft security researchers saw people possibly linked to "
            "DeepSeek extracting large amounts of data via OpenAI's API in the fall (after which OpenAI "
            "blocked access), and the Financial Times report that OpenAI had evidence of distillation.")
    got = read(nlp, text)
    # the innermost frame speaks: Bloomberg reports the extraction (hedged by "possibly");
    # OpenAI, not the newspaper, claims the distillation
    assert ("DeepSeek", "accessed_api", "OpenAI", "Bloomberg", "reported", "affirmed", True) in got
    assert ("DeepSeek", "distilled_from", "OpenAI", "OpenAI", "alleged", "affirmed", False) in got


def test_attribution_reporting_verbs(nlp):
    assert read(nlp, "Sacks said DeepSeek distilled knowledge from OpenAI's models.") == [
        ("DeepSeek", "distilled_from", "OpenAI", "Sacks", "alleged", "affirmed", False)]
    assert read(nlp, "Elon Musk admitted xAI 'partly' distilled OpenAI's models to train Grok.") == [
        ("xAI", "distilled_from", "OpenAI", "Musk", "admitted", "affirmed", True)]
    assert read(nlp, "The Court finds that xAI used OpenAI's outputs to train Grok.") == [
        ("xAI", "trained_on_outputs_of", "OpenAI", "court", "found", "affirmed", False)]
    # the document's own voice is left for extract_claims to name
    assert read(nlp, "xAI used ChatGPT to benchmark Grok.")[0][3:5] == (None, None)


def test_hedges(nlp):
    newsletter = ("Newsletter analysis of claims that DeepSeek trained on OpenAI outputs in breach of "
                  "OpenAI's terms.")
    assert read(nlp, newsletter) == [
        ("DeepSeek", "trained_on_outputs_of", "OpenAI", None, None, "affirmed", True),
        ("DeepSeek", "violated_terms", "OpenAI", None, None, "affirmed", True)]
    # the API's owner is left unsaid: it is the one of the claim just before
    doc = nlp("Bloomberg reported that DeepSeek extracted data through OpenAI's API. Fall 2024: Microsoft "
              "researchers observe suspected DeepSeek-linked API data extraction (Bloomberg); accounts "
              "blocked.")
    assert [(c["subject"], c["relation"], c["object"], c["asserted_by"], c["hedged"]) for c in doc._.claims] == [
        ("DeepSeek", "accessed_api", "OpenAI", "Bloomberg", False),
        ("DeepSeek", "accessed_api", "OpenAI", None, True)]
    assert read(nlp, "DeepSeek may have distilled OpenAI's models, according to Sacks.")[0][-1] is True
    assert read(nlp, "OpenAI believes DeepSeek used its models to train R1.") == [
        ("DeepSeek", "trained_on_outputs_of", "OpenAI", "OpenAI", "alleged", "affirmed", True)]


def test_alleged_conduct_and_admission_in_one_sentence(nlp):
    text = ("Details the complaint's allegations: OpenAI recruiter Tifa Chen allegedly courted several xAI "
            "employees over Signal; Li allegedly uploaded xAI's entire code base to a personal cloud "
            "account in July 2025 within hours of messages with Chen and later admitted misappropriation "
            "in a handwritten confession; Fraiture allegedly used AirDrop at least five times to move "
            "source code after signing with OpenAI.")
    got = read(nlp, text)
    assert got == [
        ("Li", "misappropriated", "xAI", "complaint", "alleged", "affirmed", True),
        ("Li", "misappropriated", "xAI", "Li", "admitted", "affirmed", True),
        ("Fraiture", "misappropriated", "xAI", "complaint", "alleged", "affirmed", True),
    ]  # AirDrop is a product, not a model: using it is no model use


def test_negation_and_denial(nlp):
    # written for the test: the record has no plain negated sentence about model use
    assert read(nlp, "xAI did not distill OpenAI's models.") == [
        ("xAI", "distilled_from", "OpenAI", None, None, "negated", False)]
    assert read(nlp, "xAI never used GPT-4 as a teacher.") == [
        ("xAI", "distilled_from", "GPT-4", None, None, "negated", False)]
    assert read(nlp, "OpenAI denies that it used Claude to train GPT-5.") == [
        ("OpenAI", "trained_on_outputs_of", "Claude", "OpenAI", "denied", "negated", False)]


@pytest.mark.parametrize("text", [
    # CLAIMS.md's kinds of non-claims: definitions, generic statements, hypotheticals
    "Distillation is a technique in which a small model learns from the outputs of a larger one.",
    "Labs worry about distillation.",
    "The question is whether companies like xAI are allowed to distill OpenAI's models.",
    "If xAI had distilled GPT-4, it would have violated OpenAI's terms of service.",
    "Hundreds of millions use ChatGPT for free every week.",  # Dkt. 147, p. 10
    # statements that a document does not say something (corpus articles)
    "U.S. District Judge Rita Lin dismissed xAI's suit with leave to amend, finding no allegations about "
    "OpenAI's own conduct - e.g., that it induced theft or used any stolen secrets.",
    "She found no plausible allegation that OpenAI induced Xuechen Li to disclose Grok secrets or knew of "
    "any disclosure.",
    # a promise to refrain is not a licence (Dkt. 147, p. 13)
    "In his headline claim, Musk asserted that the defendants purportedly promised Musk they would "
    "conduct their operations in ways that Musk preferred: open-sourcing all their latest technology "
    "and refraining from licensing it to Microsoft.",
    # a violation of a statute or of a gift's terms is no breach of terms of service
    "Plaintiffs here allege that the edict constitutes a Sherman Act violation under either analysis.",
    "OpenAI is plainly violating the terms of Musk's donations.",
])
def test_not_claims(nlp, text):
    assert read(nlp, text) == []


def test_question_is_kept_apart(nlp):
    doc = nlp("Did xAI distill OpenAI's models?")
    assert doc._.claims == []
    assert [(q["subject"], q["relation"], q["object"]) for q in doc._.claim_questions] == [
        ("xAI", "distilled_from", "OpenAI")]


def test_student_model_and_base_model(nlp):
    text = ("Warns developers that OpenAI's terms restrict using outputs to build rival models, citing "
            "Stanford's Alpaca (LLaMA fine-tuned on GPT-3-generated data) as the kind of project at issue.")
    doc = nlp(text)
    got = {(c["relation"], c["object"], c["student_model"]) for c in doc._.claims}
    assert got == {("trained_on_outputs_of", "GPT-3", "Alpaca"), ("used_model", "Llama", "Alpaca")}
    assert len({c["subject"] for c in doc._.claims}) == 1  # Stanford, however the alias table names it


# --------------------------------------------------------------------------
# the document layer: provenance and the document's own voice


def test_order_recites_plaintiffs_allegations(nlp, shared):
    claims = doc_claims(nlp, shared / "corpus" / "filings-text" / DEV_FILINGS[0])
    assert len(claims) == 1
    c = claims[0]
    assert (c.subject, c.relation, c.object, c.asserted_by, c.posture) == (
        "Microsoft", "licensed", "OpenAI", "Musk", "alleged")  # "Plaintiffs allege in the FAC as follows:"
    assert (c.page, c.line_start, c.line_end) == (2, 13, 15)
    assert c.doc == DEV_FILINGS[0]
    assert c.quote.startswith("Further, OpenAI and Microsoft have several contractual arrangements")
    document = parse_file(shared / "corpus" / "filings-text" / DEV_FILINGS[0])
    assert " ".join(document.text[c.char_start:c.char_end].split()) == c.quote


def test_article_voice_and_complaint_party(nlp, shared):
    articles = shared / "corpus" / "articles"
    claims = doc_claims(nlp, articles / "2024-08-05_engadget_musk-drags-openai-into-federal-court.txt")
    voices = [(c.asserted_by, c.posture) for c in claims]
    # "The complaint says ..." / "It asks the court ..." speak for Musk, who filed it;
    # the article's own summary is the author's report
    assert voices == [("Musk", "alleged"), ("Musk", "alleged"), ("author", "reported")]
    assert {c.proposition for c in claims} == {"Microsoft|licensed|OpenAI"}
    assert all(c.page == 1 and c.line_start for c in claims)


def test_hearing_transcript_speaker(nlp, shared):
    claims = doc_claims(nlp, shared / "corpus" / "filings-text" / "gov.uscourts.cand.433688.109.0.md")
    toberoff = [c for c in claims if c.asserted_by == "Toberoff"]
    assert [(c.proposition, c.posture, c.page, c.line_start) for c in toberoff] == [
        ("Microsoft|licensed|OpenAI", "stated", 33, 16)]
    assert all(c.asserted_by != "court" for c in claims)


def test_answer_allegations_denials_and_concessions(nlp, shared):
    claims = doc_claims(nlp, shared / "corpus" / "filings-text" / "gov.uscourts.cand.433688.147.0_2.md")
    by = {(c.proposition, c.asserted_by, c.posture, c.polarity) for c in claims}
    # the repeated complaint paragraph is Musk's, the response OpenAI's
    assert ("OpenAI|licensed|Reddit", "Musk", "alleged", "affirmed") in by
    assert ("OpenAI|licensed|Reddit", "OpenAI", "denied", "negated") in by
    # OpenAI concedes the Microsoft licence in its response to ¶ 134, so its general
    # denials of other paragraphs do not deny the licence
    assert ("Microsoft|licensed|OpenAI", "OpenAI", "admitted", "affirmed") in by
    assert ("Microsoft|licensed|OpenAI", "OpenAI", "denied", "negated") not in by


def transcript(lines: list[tuple[str | None, str]]) -> Document:
    """A deposition page built for the test (the record's excerpt asks no model-use question)."""
    page = Page(number=42, lines=[Line(number=i + 1, text=t, speaker=s) for i, (s, t) in enumerate(lines)])
    return Document(path="/tmp/musk_deposition.txt", kind="transcript", pages=[page],
                    title="Videotaped Deposition of Elon Musk", metadata={"deponent": "ELON MUSK"})


def test_answer_to_question_is_testimony(nlp):
    document = transcript([
        ("Q", "Q. Did xAI distill OpenAI's models?"),
        ("A", "A. Partly."),
        ("Q", "Q. Did xAI use ChatGPT outputs to train Grok?"),
        ("A", "A. No."),
        ("Q", "Q. Did xAI access OpenAI's API?"),
        ("A", "A. I don't recall."),
        ("Q", "Q. And xAI used GPT-4 as the teacher for Grok 3;"),
        ("Q", "correct?"),
        ("ATTORNEY AGNOLUCCI", "ATTORNEY AGNOLUCCI: Object to form."),
        ("THE WITNESS", "THE WITNESS: Yes, I believe so."),
    ])
    claims = claims_for(document, nlp)
    got = [(c.proposition, c.asserted_by, c.posture, c.polarity, c.hedged, c.page, c.line_start, c.line_end)
           for c in claims]
    assert got == [
        ("xAI|distilled_from|OpenAI", "Musk", "testified", "affirmed", True, 42, 1, 2),
        ("xAI|trained_on_outputs_of|ChatGPT", "Musk", "testified", "negated", False, 42, 3, 4),
        ("xAI|distilled_from|GPT-4", "Musk", "testified", "affirmed", True, 42, 7, 10),
    ]
    assert claims[2].student_model == "Grok 3"
    assert claims[0].quote == "Q. Did xAI distill OpenAI's models? A. Partly."


def test_trial_answers_are_each_witness_s_testimony(nlp):
    """In a trial transcript the answer is the witness on the stand's (generated excerpt)."""
    from casebase.parse import parse_bytes
    from casebase.testing import trial_transcript_text

    document = parse_bytes(trial_transcript_text(second_witness=True).encode(), "trial.txt")
    got = [(c.proposition, c.student_model, c.asserted_by, c.posture, c.polarity, c.page, c.line_start, c.line_end)
           for c in claims_for(document, nlp)]
    assert got == [
        ("xAI|distilled_from|OpenAI", "Grok", "Musk", "testified", "affirmed", 1812, 3, 4),
        ("xAI|distilled_from|OpenAI", None, "Roe", "testified", "negated", 1813, 4, 5),
    ]


def test_witness_statement_in_answer(nlp):
    document = transcript([
        ("Q", "Q. What did your engineers do?"),
        ("A", "A. I believe xAI used OpenAI's models to train Grok."),
    ])
    [claim] = claims_for(document, nlp)
    assert (claim.proposition, claim.student_model, claim.asserted_by, claim.posture, claim.hedged) == (
        "xAI|trained_on_outputs_of|OpenAI", "Grok", "Musk", "testified", True)


def test_extract_claims_takes_pipeline_pieces(nlp, shared):
    """extract_claims works from any (Doc, offset) pieces of the document's text."""
    from casebase.nlp import chunks

    document = parse_file(shared / "corpus" / "articles" /
                          "2025-08-03_fidelisozuawala_anthropic-cuts-openai-claude-access.txt")
    whole = claims_for(document, nlp)
    pieces = chunks(document, max_chars=500)
    assert len(pieces) > 1
    claims = extract_claims(document, [(nlp(t), off) for off, t in pieces], nlp=nlp)
    assert claims and {c.id for c in claims} <= {c.id for c in whole}
    first = [c for c in whole if c.char_end <= pieces[1][0]]
    assert first and first == [c for c in claims if c.char_end <= pieces[1][0]]
    for c in claims:
        assert " ".join(document.text[c.char_start:c.char_end].split()) == c.quote
        assert document.pages[c.page - 1].lines[c.line_start - 1].char_start <= c.char_start


def test_claim_record_and_propositions():
    a = Claim(doc="a.txt", quote="q", subject="X.AI Corp.", relation="distilled_from", object="OpenAI",
              asserted_by="OpenAI", posture="alleged", char_start=3, char_end=9)
    b = Claim(doc="b.txt", quote="q", subject="xAI", relation="distilled_from", object="OpenAI, Inc.",
              asserted_by="xAI", posture="denied", polarity="negated")
    again = Claim(doc="a.txt", quote="other words", subject="X.AI Corp.", relation="distilled_from",
                  object="OpenAI", asserted_by="OpenAI", posture="alleged", char_start=3, char_end=9)
    assert a.id == again.id and a.id != b.id and len(a.id) == 16
    record = a.to_dict()
    for key in ("doc", "quote", "subject", "relation", "object", "student_model", "asserted_by", "posture",
                "polarity", "hedged", "page", "line_start", "line_end", "char_start", "char_end", "id"):
        assert key in record
    assert record["proposition"] == "X.AI Corp.|distilled_from|OpenAI"
    groups = group_propositions([a, b])
    assert list(groups) == ["xAI|distilled_from|OpenAI"]
    assert groups["xAI|distilled_from|OpenAI"] == [a, b]


# --------------------------------------------------------------------------
# scoring: the product's scorer is the shared one, and the thresholds hold


def test_score_agrees_with_shared_scorer(shared, tmp_path):
    gold_path = shared / "gold" / "claims-dev.jsonl"
    gold = load_jsonl(gold_path)
    pred = []
    for i, g in enumerate(gold):  # a mix of hits, near misses and noise
        p = dict(g)
        if i % 5 == 1:
            p["relation"] = "trained_on_outputs_of" if g["relation"] == "distilled_from" else "used_model"
        if i % 5 == 2:
            p["object"] = {"OpenAI": "GPT-4", "Claude": "Anthropic"}.get(g["object"], g["object"])
        if i % 5 == 3:
            p["asserted_by"], p["hedged"] = "author", not g["hedged"]
        if i % 7 == 4:
            p["quote"] = "an unrelated sentence"
        pred.append(p)
    pred.append({"doc": "2024-06-11_nbcsandiego-cnbc_musk-drops-suit.txt", "quote": "x", "subject": "xAI",
                 "relation": "licensed", "object": "OpenAI"})
    pred_path = tmp_path / "pred.jsonl"
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in pred), encoding="utf-8")
    for flag in ([], ["--only-docs-in-gold"]):
        out = subprocess.run([sys.executable, str(shared / "tools" / "score_claims.py"), str(gold_path),
                              str(pred_path), "--json", *flag], capture_output=True, text=True, check=True)
        theirs = json.loads(out.stdout.strip().splitlines()[-1])
        assert score(gold, pred, only_docs_in_gold=bool(flag)) == theirs


def test_quotes_overlap():
    assert quotes_overlap("Late Jan 2025: FT reports OpenAI says it has evidence of distillation.",
                          "- Late Jan 2025: FT reports OpenAI says it has evidence of distillation.")
    assert not quotes_overlap("OpenAI granted Microsoft a license.", "Musk sued OpenAI in August.")


def _predict(nlp, paths: list[Path]) -> list[dict]:
    return [c.to_dict() for p in paths for c in doc_claims(nlp, p)]


def test_dev_set_thresholds(nlp, shared):
    corpus = shared / "corpus"
    paths = sorted((corpus / "articles").glob("*.txt")) + [corpus / "filings-text" / n for n in DEV_FILINGS]
    figures = score(load_jsonl(shared / "gold" / "claims-dev.jsonl"), _predict(nlp, paths))
    assert figures["relaxed"]["f1"] >= 0.85, figures
    assert figures["strict"]["f1"] >= 0.75, figures
    assert figures["asserted_by_accuracy"] >= 0.9, figures
    assert figures["posture_accuracy"] >= 0.9, figures


@pytest.mark.slow
def test_extra_set_thresholds(nlp, shared):
    """The project's own labels: every claim in five filings (one has none)."""
    gold = load_jsonl(EXTRA)
    assert len(gold) >= 30
    assert {g["doc"] for g in gold} <= set(EXTRA_DOCS)
    paths = [shared / "corpus" / "filings-text" / n for n in EXTRA_DOCS]
    figures = score(gold, _predict(nlp, paths))
    assert figures["relaxed"]["f1"] >= 0.8, figures
    assert figures["strict"]["f1"] >= 0.75, figures
    assert figures["asserted_by_accuracy"] >= 0.9, figures
    assert figures["posture_accuracy"] >= 0.9, figures
