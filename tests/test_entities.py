"""Entities: the alias table, the spaCy pipeline and its noise handling, on the real record."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from casebase import aliases as A
from casebase.extract.entities import Mention, extract_entities
from casebase.nlp import (
    DEFAULT_ALIASES,
    LABELS,
    NOISE,
    chunks,
    flow_text,
    load_pipeline,
)
from casebase.records import Document, Line, Page

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FILINGS = SHARED / "corpus" / "filings-text"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (the corpus) is not beside the repo")


@pytest.fixture(scope="module")
def table() -> A.Aliases:
    return A.load_aliases()


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(claims=False)


def ents(nlp: Language, text: str) -> list[Mention]:
    return extract_entities(nlp(text))


def spans(nlp: Language, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in ents(nlp, text)]


# ---------------------------------------------------------------------------
# alias table


@pytest.mark.parametrize(
    "name, expected",
    [
        ("X.AI Corp.", "xAI"), ("xAI", "xAI"), ("X.AI", "xAI"), ("xAI Corp.", "xAI"), ("xAI Holdings", "xAI"),
        ("xAI’s", "xAI"), ("X.AI CORP.", "xAI"),
        ("OpenAI, Inc.", "OpenAI"), ("OpenAI OpCo, LLC", "OpenAI"), ("OAI Corporation", "OpenAI"),
        ("OpenAI's", "OpenAI"), ("OpenAI’s", "OpenAI"), ("OPENAI, L.P.", "OpenAI"), ("OpenAI Global", "OpenAI"),
        ("the ChatGPT maker", "OpenAI"),
        ("Microsoft Corp.", "Microsoft"), ("Microsoft Corporation", "Microsoft"), ("Hangzhou DeepSeek", "DeepSeek"),
        ("Mr. Musk", "Musk"), ("Elon Musk", "Musk"), ("Musk", "Musk"), ("ELON MUSK", "Musk"), ("Musk’s", "Musk"),
        ("Judge Yvonne Gonzalez Rogers", "Gonzalez Rogers"),
        ("GPT-4o", "GPT-4o"), ("gpt-4o-2024-05-13", "GPT-4o"), ("gpt-4-0613", "GPT-4"), ("DeepSeek-R1", "R1"),
        ("DeepSeek R1", "R1"), ("DeepSeek-V3", "V3"),
        ("U.S.", "United States"), ("US", "United States"), ("the United States", "United States"),
        ("United States District Court for the Northern District of California", "N.D. Cal."),
        # not in the table: cleaned and folded, never invented
        ("Acme Widgets, Inc.", "Acme Widgets"), ("the Acme Widgets Ltd.", "Acme Widgets"), ("Mr. D’Arcy", "D'Arcy"),
    ],
)
def test_canonical_names(table, name, expected):
    assert A.canonical(name, table) == expected


@pytest.mark.parametrize(
    "model, owner",
    [
        ("GPT-4o", "OpenAI"), ("gpt-4o-2024-05-13", "OpenAI"), ("ChatGPT", "OpenAI"), ("o1", "OpenAI"),
        ("o3", "OpenAI"), ("GPT-4T", "OpenAI"), ("Grok", "xAI"), ("Grok 5", "xAI"), ("Claude", "Anthropic"),
        ("Claude 3.5 Sonnet", "Anthropic"), ("R1", "DeepSeek"), ("V3", "DeepSeek"), ("Gemini", "Google"),
        ("Llama 3.1", "Meta"), ("Alpaca", "Stanford"), ("Copilot", "Microsoft"),
    ],
)
def test_model_owners(table, model, owner):
    assert A.owner(model, table) == owner


def test_owner_is_none_for_parties_and_unknown_names(table):
    assert A.owner("OpenAI", table) is None
    assert A.owner("Musk", table) is None
    assert A.owner("Frobnicator 9", table) is None


def test_table_covers_the_gold_floor(table):
    """CLAIMS.md's canonical names and aliases are the floor of the default table."""
    floor = {
        "OpenAI": ["OpenAI, Inc.", "OpenAI OpCo", "OpenAI Global", "OAI Corporation", "the ChatGPT maker"],
        "xAI": ["X.AI Corp.", "X.AI", "xAI Corp.", "xAI Holdings"],
        "Musk": ["Elon Musk", "Mr. Musk"],
        "Microsoft": ["Microsoft Corp.", "Microsoft Corporation"],
        "DeepSeek": ["DeepSeek", "Hangzhou DeepSeek"],
        "R1": ["DeepSeek-R1"], "V3": ["DeepSeek-V3"],
    }
    for canon, names in floor.items():
        for name in names:
            assert A.canonical(name, table) == canon, name
    for model, owner in {"GPT-4": "OpenAI", "GPT-4o": "OpenAI", "ChatGPT": "OpenAI", "Grok": "xAI", "Claude": "Anthropic",
                         "R1": "DeepSeek", "V3": "DeepSeek", "Gemini": "Google", "Llama": "Meta"}.items():
        assert table.entities[model].label == "AI_MODEL"
        assert A.owner(model, table) == owner


def test_default_table_is_consistent(table):
    """Each alias maps one way, each canonical name is defined by its own row, labels are known."""
    seen: dict[str, str] = {}
    for row in table.rows:
        k = A.key(row.alias)
        assert seen.setdefault(k, row.canonical) == row.canonical, row
        assert row.label in LABELS, row
        assert A.key(row.canonical) in table.index, row
        if row.owner:
            assert A.key(row.owner) in table.index, row  # owners are entities of the table too


def test_merge_and_split_rewrite_the_table(tmp_path):
    path = tmp_path / "aliases.tsv"
    shutil.copy(DEFAULT_ALIASES, path)
    comments = [l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("#")]

    A.merge(path, "Anthropic", "xAI")  # xAI and all its aliases, and its models, move
    t = A.load_aliases(path)
    assert A.canonical("X.AI Corp.", t) == "Anthropic"
    assert A.canonical("xAI Holdings", t) == "Anthropic"
    assert A.owner("Grok 3", t) == "Anthropic"
    assert [l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("#")] == comments

    A.merge(path, "OpenAI", "Frontier Model Shop LLC")  # a name the table never had
    assert A.canonical("Frontier Model Shop", A.load_aliases(path)) == "OpenAI"

    A.split(path, "X.AI Corp.")
    t = A.load_aliases(path)
    assert A.canonical("X.AI Corp.", t) == "X.AI Corp."  # stands alone, suffix folding does not pull it back
    assert A.canonical("xAI Holdings", t) == "Anthropic"  # the rest stays merged

    with pytest.raises(ValueError):
        A.split(path, "OpenAI")  # a canonical name is not an alias of anything
    with pytest.raises(ValueError):
        A.merge(path, "OpenAI", "OpenAI, Inc.")  # already one entity


def test_pipeline_follows_edits_to_the_alias_file(tmp_path):
    path = tmp_path / "aliases.tsv"
    shutil.copy(DEFAULT_ALIASES, path)
    text = "Plaintiffs Elon Musk, Shivon Zilis, and X.AI Corp. (“xAI”) collectively move for a preliminary injunction."
    first = load_pipeline(path, claims=False)
    assert load_pipeline(path, claims=False) is first  # built once
    assert [m.canonical for m in ents(first, text) if m.label == "ORG"] == ["xAI", "xAI"]
    A.split(path, "X.AI Corp.")
    second = load_pipeline(path, claims=False)
    assert second is not first
    assert [m.canonical for m in ents(second, text) if m.label == "ORG"] == ["X.AI Corp.", "xAI"]


# ---------------------------------------------------------------------------
# pipeline shape


def test_entity_ruler_sits_before_ner(nlp):
    names = nlp.pipe_names
    assert names.index("entity_ruler") < names.index("casebase_patterns") < names.index("ner") < names.index("casebase_entities")


def test_required_labels_are_produced(nlp):
    required = {"PERSON", "ORG", "AI_MODEL", "PRODUCT", "COURT", "CASE_NUMBER", "DATE", "MONEY", "LAW"}
    assert required <= set(LABELS)
    ruler_labels = set(nlp.get_pipe("entity_ruler").labels)
    assert {"PERSON", "ORG", "AI_MODEL", "PRODUCT", "COURT", "LAW"} <= ruler_labels
    assert {"DATE", "MONEY"} <= set(nlp.get_pipe("ner").labels)
    text = (
        "Case 4:24-cv-04722-YGR. On March 14, 2023, OpenAI, Inc. released GPT-4, which Microsoft sells in Copilot; "
        "Musk paid $44 million. Section 8 of the Clayton Act, 15 U.S.C. § 19, applies (N.D. Cal. 2020)."
    )
    assert {m.label for m in ents(nlp, text)} == required


def test_claims_component_is_last_when_available():
    full = load_pipeline()
    if Language.has_factory("casebase_claims"):
        assert full.pipe_names[-1] == "casebase_claims"
    else:
        assert "casebase_claims" not in full.pipe_names


# ---------------------------------------------------------------------------
# canonical names and owners on the record's own sentences


def test_models_owners_and_possessives(nlp):
    text = "xAI’s Grok competes directly with OpenAI’s ChatGPT and Microsoft’s Copilot 16 in the generative AI market."
    got = [(m.text, m.label, m.canonical, m.owner) for m in ents(nlp, text)]
    assert got == [
        ("xAI", "ORG", "xAI", None), ("Grok", "AI_MODEL", "Grok", "xAI"),
        ("OpenAI", "ORG", "OpenAI", None), ("ChatGPT", "AI_MODEL", "ChatGPT", "OpenAI"),
        ("Microsoft", "ORG", "Microsoft", None), ("Copilot", "PRODUCT", "Copilot", "Microsoft"),
    ]


def test_model_versions(nlp):
    text = ("Defendants have kept GPT-4, and subsequent models including without limitation, GPT-4T and GPT-4o "
            "(released May 2024), entirely closed; the API served gpt-4o-2024-05-13, and DeepSeek-R1 followed.")
    models = [(m.text, m.canonical, m.owner) for m in ents(nlp, text) if m.label == "AI_MODEL"]
    assert models == [
        ("GPT-4", "GPT-4", "OpenAI"), ("GPT-4T", "GPT-4 Turbo", "OpenAI"), ("GPT-4o", "GPT-4o", "OpenAI"),
        ("gpt-4o-2024-05-13", "GPT-4o", "OpenAI"), ("DeepSeek-R1", "R1", "DeepSeek"),
    ]


def test_parties_fold_to_one_name(nlp):
    text = ("Elon Musk (individually and on derivatively behalf of OpenAI, Inc. (“OpenAI”)); Shivon Zilis; "
            "and xAI assert twenty-six claims against Samuel Altman, Gregory Brockman, OpenAI, "
            "Microsoft Corporation (“Microsoft”), Deannah Templeton, Reid Hoffman, and California Attorney General Rob Bonta.")
    got = {(m.text, m.canonical) for m in ents(nlp, text)}
    assert {("Elon Musk", "Musk"), ("OpenAI, Inc.", "OpenAI"), ("Shivon Zilis", "Zilis"), ("xAI", "xAI"),
            ("Samuel Altman", "Altman"), ("Gregory Brockman", "Brockman"), ("Microsoft Corporation", "Microsoft"),
            ("Deannah Templeton", "Templeton"), ("Reid Hoffman", "Hoffman"),
            ("California Attorney General", "California Attorney General"), ("Rob Bonta", "Bonta")} <= got


def test_us_is_one_entity_and_not_the_pronoun(nlp):
    got = ents(nlp, "With U.S. and European antitrust regulators drawing nearer, the United States and the US government acted.")
    assert [(m.text, m.canonical) for m in got if m.label == "GPE"] == [
        ("U.S.", "United States"), ("United States", "United States"), ("US", "United States")]
    assert not [m for m in ents(nlp, "MR. TOBEROFF: Let US explain. They told us nothing.") if m.canonical == "United States"]


def test_courts_and_case_numbers(nlp):
    text = ("UNITED STATES DISTRICT COURT 10 NORTHERN DISTRICT OF CALIFORNIA 11 12 ELON MUSK, an individual, "
            "Case No. 3:24-cv-04722 and NO. C 24-04722 YGR; see 9th Cir. and (N.D. Cal. Apr. 18, 2019).")
    got = [(m.text, m.label, m.canonical) for m in ents(nlp, text) if m.label in ("COURT", "CASE_NUMBER")]
    assert got == [
        ("UNITED STATES DISTRICT COURT 10 NORTHERN DISTRICT OF CALIFORNIA", "COURT", "N.D. Cal."),
        ("3:24-cv-04722", "CASE_NUMBER", "4:24-cv-04722-YGR"),
        ("C 24-04722 YGR", "CASE_NUMBER", "4:24-cv-04722-YGR"),
        ("9th Cir.", "COURT", "Ninth Circuit"),
        ("N.D. Cal.", "COURT", "N.D. Cal."),
    ]


def test_statutes(nlp):
    text = ("Title 18 U.S.C. § 1962(a) makes it unlawful; see Cal. Bus. & Prof. Code § 17500, Cal. Corp. Code § 5142, "
            "Fed. R. Civ. P. 19(a)(2), and Section 1 of the Sherman Act.")
    assert [m.text for m in ents(nlp, text) if m.label == "LAW"] == [
        "18 U.S.C. § 1962(a)", "Cal. Bus. & Prof. Code § 17500", "Cal. Corp. Code § 5142", "Fed. R. Civ. P. 19(a)(2)", "Sherman Act"]


# ---------------------------------------------------------------------------
# noise, on real sentences of the record


@pytest.mark.parametrize(
    "text, expected",
    [
        ("THE COURT: You may.", []),
        ("13 Plaintiff, COMPLAINT FOR: 14 15 v. 1. PROMISSORY FRAUD", []),
        ("ELON MUSK, et al., ) ) 5 Plaintiffs, )", [("ELON MUSK", "PERSON")]),
        ("SAMUEL ALTMAN, et al., ) ) 8 Defendants. )", [("SAMUEL ALTMAN", "PERSON")]),
        ("The 25 Court also received requests to file an amicus brief by former employees of OpenAI.", [("OpenAI", "ORG")]),
        ("MS. EDDY: Your Honor, may I address that point, the 4 point about the alleged competition?", [("EDDY", "PERSON")]),
        ("Before The Honorable YVONNE GONZALEZ ROGERS, Judge", [("YVONNE GONZALEZ ROGERS", "PERSON")]),
        ("ATTORNEY AGNOLUCCI: Object to form.", [("AGNOLUCCI", "PERSON")]),
        ("I get them from Mira Murati.", [("Mira Murati", "PERSON")]),
        ("OpenAI charges $20 per month for its “ChatGPT Plus” plan.", [("OpenAI", "ORG"), ("$20", "MONEY"), ("ChatGPT Plus", "PRODUCT")]),
    ],
)
def test_noise_is_dropped(nlp, text, expected):
    assert spans(nlp, text) == expected


BAD_EDGE = re.compile(r"^(?:the|The|THE)\s|[,;:’'\"”“)(]$|['’]s$")


@needs_shared
@pytest.mark.parametrize("name", ["gov.uscourts.cand.433688.1.0_1.md", "gov.uscourts.cand.433688.109.0.md",
                                  "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"])
def test_no_noise_on_real_pages(nlp, name):
    """The first pages of a complaint, a hearing transcript and a deposition: captions, appearances,
    line numbers, reporters' footers. What survives is names, never furniture."""
    text = (FILINGS / name).read_text(encoding="utf-8")[:12_000]
    found = ents(nlp, " ".join(text.split()))
    assert len(found) > 10
    for m in found:
        assert not BAD_EDGE.search(m.text), m
        assert A.key(m.text) not in NOISE, m
        if m.label in ("PERSON", "ORG", "GPE", "PRODUCT", "AI_MODEL"):
            assert re.search(r"[A-Za-z]{2}", m.text), m  # no numbers or single letters
            assert m.text.lower() not in {"he", "she", "it", "they", "we", "him", "her", "them", "i", "you"}, m
            assert m.text != "us", m  # "US" (capitals) is the country in this record
            assert m.text.upper() not in {"PLAINTIFF", "PLAINTIFFS", "DEFENDANT", "DEFENDANTS", "COURT", "COMPLAINT"}, m
    canon = {m.canonical for m in found}
    assert "Musk" in canon and "Altman" in canon


# ---------------------------------------------------------------------------
# offsets: flow_text and chunks line up with the Document


def _document(path: Path) -> Document:
    """A Document built straight from a text file: a page per ECF header, a line per line."""
    pages: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("Case 4:24-cv-04722-YGR") and pages[-1]:
            pages.append([])
        pages[-1].append(line)
    return Document(str(path), "filing_text", [Page(i + 1, [Line(j + 1, t) for j, t in enumerate(p)]) for i, p in enumerate(pages)])


@needs_shared
def test_flow_text_and_chunks_keep_document_offsets(nlp):
    doc = _document(FILINGS / "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt")
    doc.assign_offsets()
    assert len(doc.pages) > 10
    flow = flow_text(doc)
    assert len(flow) == len(doc.text) and "\n" not in flow and "\f" not in flow
    pieces = chunks(doc, max_chars=6_000)
    assert len(pieces) > 5
    assert all(len(t) <= 6_000 and flow[o : o + len(t)] == t for o, t in pieces)
    assert "".join(t for _, t in pieces).split() == flow.split()  # nothing lost, nothing doubled
    assert sum(t.rstrip().endswith((".", "?", "!", ".)", ".”", ":")) for _, t in pieces[:-1]) >= len(pieces) // 2
    lines = [l for p in doc.pages for l in p.lines]
    mentions = [m for o, t in pieces[:2] for m in extract_entities(nlp(t), offset=o)]
    assert len(mentions) > 20
    for m in mentions:
        assert doc.text[m.start : m.end].replace("\n", " ") == m.text
        line = next(l for l in lines if l.char_start <= m.start < l.char_end + 1)
        if m.end <= line.char_end:
            assert m.text in line.text


def test_extension_values_survive_two_processes(nlp):
    texts = ["xAI’s Grok competes with OpenAI’s GPT-4o.", "Mr. Musk sued OpenAI, Inc. in the Northern District of California."] * 3
    out = [[(e.text, e._.canonical, e._.owner) for e in d.ents] for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert out[0] == [("xAI", "xAI", None), ("Grok", "Grok", "xAI"), ("OpenAI", "OpenAI", None), ("GPT-4o", "GPT-4o", "OpenAI")]
    assert out[1] == [("Musk", "Musk", None), ("OpenAI, Inc.", "OpenAI", None), ("Northern District of California", "N.D. Cal.", None)]


# ---------------------------------------------------------------------------
# precision on the hand-labelled mentions


def _eval_module():
    spec = importlib.util.spec_from_file_location("entities_eval", ROOT / "benchmarks" / "entities_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_precision_on_labelled_mentions(nlp):
    ev = _eval_module()
    sentences = ev.load_labelled(ev.LABELLED, SHARED)
    assert sum(len(s["gold"]) for s in sentences) >= 150
    result = ev.score(sentences, nlp)
    for label in ("ORG", "PERSON", "AI_MODEL"):
        r = result["labels"][label]
        assert r["tp"] + r["fn"] >= 25, label  # enough gold to mean something
        assert r["precision"] >= 0.9, (label, r)
        assert r["recall"] >= 0.85, (label, r)  # precision bought by saying nothing does not pass
    assert result["canonical_accuracy"] >= 0.95


def test_news_outlets_in_the_record_are_organisations(nlp):
    """Dkt. 1's list of publishers suing OpenAI (the model's NER misses most of them)."""
    text = ("Along with pending civil litigation from media outlets like The New York Times, Raw Story, "
            "and The Intercept concerning OpenAI's illegal use of their media content to train GPT models")
    got = {(m.canonical, m.label) for m in ents(nlp, text)}
    assert {("New York Times", "ORG"), ("Raw Story", "ORG"), ("The Intercept", "ORG"), ("OpenAI", "ORG")} <= got
