"""The command line end to end: every read command on one small store, in
both its text and its JSON form (the contracts the issues set), and the
errors a user meets first (no store, no such document).

The store: the Dkt. 121 order and the Sutskever deposition from `corpus/`,
the sample docket, and the generated trial-transcript excerpt
(casebase.testing) that carries the xAI / OpenAI distillation testimony.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from casebase.cli import main
from casebase.testing import trial_transcript_text
from casebase.timeline import date_span

REPO = Path(__file__).resolve().parents[1]
TEXT = REPO / "corpus" / "filings-text"
ORDER = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
DEPOSITION = "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
TRIAL = "generated_trial_transcript.txt"
CLAIM_KEYS = {"doc", "quote", "subject", "relation", "object", "student_model", "asserted_by", "posture",
              "polarity", "hedged", "id", "page", "line_start", "line_end"}


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    trial = folder / TRIAL
    trial.write_text(trial_transcript_text(), encoding="utf-8")
    assert main(["ingest", str(TEXT / ORDER), str(TEXT / DEPOSITION), str(trial),
                 str(REPO / "corpus" / "dockets"), "--store", str(folder / "store")]) == 0
    return folder / "store"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, store: Path, *argv: str):
    code, out, err = run(capsys, *argv, "--json", "--store", str(store))
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("argv", [["list"], ["show", ORDER], ["claims"], ["entities"], ["search", "Grok"],
                                  ["timeline"], ["graph", "--out", "g.graphml"]])
def test_read_commands_refuse_a_missing_store_and_create_none(capsys, tmp_path, argv):
    missing = tmp_path / "typo"
    code, out, err = run(capsys, *argv, "--store", str(missing))
    assert code == 1 and out == ""
    assert err.strip() == (f"casebase: no store in {missing} "
                           f"(build one with: casebase ingest PATH --store {missing})")
    assert not missing.exists()


def test_list_and_show(capsys, cli_store):
    rows = run_json(capsys, cli_store, "list")
    assert sorted(r["name"] for r in rows) == sorted([ORDER, DEPOSITION, TRIAL])
    code, out, _ = run(capsys, "--store", str(cli_store), "list")
    assert code == 0 and out.strip().endswith(f"3 documents in {cli_store}")
    shown = run_json(capsys, cli_store, "show", TRIAL)
    assert shown["kind"] == "transcript" and [p["number"] for p in shown["pages"]] == [1790, 1811, 1812]
    code, _, err = run(capsys, "show", "nope.pdf", "--store", str(cli_store))
    assert code == 1 and f"no document 'nope.pdf' in the store {cli_store}" in err


def test_claims_json_contract_and_filters(capsys, cli_store):
    claims = run_json(capsys, cli_store, "claims")
    assert claims and all(CLAIM_KEYS <= set(c) for c in claims)
    assert {c["doc"] for c in claims} <= {ORDER, DEPOSITION, TRIAL}  # base names
    [xai] = run_json(capsys, cli_store, "claims", "--subject", "xAI", "--relation", "distilled_from")
    assert (xai["doc"], xai["object"], xai["student_model"], xai["asserted_by"], xai["posture"],
            xai["polarity"], xai["page"], xai["line_start"], xai["line_end"]) == (
        TRIAL, "OpenAI", "Grok", "Musk", "testified", "affirmed", 1812, 3, 4)
    assert xai["quote"] == "Q. Did xAI distill OpenAI's models to train Grok? A. Partly."
    [only] = run_json(capsys, cli_store, "claims", "--doc", ORDER)
    assert (only["doc"], only["subject"], only["relation"], only["object"], only["asserted_by"]) == (
        ORDER, "Microsoft", "licensed", "OpenAI", "Musk")  # the order recites the plaintiffs' allegation
    code, out, _ = run(capsys, "claims", "--subject", "xAI", "--store", str(cli_store))
    assert "xAI distilled_from OpenAI" in out and "Musk, testified" in out and "Trial Tr. 1812:3–4" in out


def test_search_json_contract(capsys, cli_store):
    hits = run_json(capsys, cli_store, "search", "did xAI distill OpenAI's models for Grok?", "-k", "5")
    assert 0 < len(hits) <= 5
    assert all({"doc", "page", "line_start", "line_end", "text", "score", "cite"} <= set(h) for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert (hits[0]["doc"], hits[0]["page"], hits[0]["cite"]) == (TRIAL, 1812, "Trial Tr. 1812:1–6")
    bm25 = run_json(capsys, cli_store, "search", "preliminary injunction", "--mode", "bm25",
                    "--kind", "filing_text")
    assert bm25 and {h["doc"] for h in bm25} == {ORDER}
    assert all(h["cite"].startswith("Dkt. 121 at ") for h in bm25)


def test_timeline_json_contract_and_filters(capsys, cli_store):
    events = run_json(capsys, cli_store, "timeline")
    assert events and all({"date", "precision", "title", "disputed", "sources"} <= set(e) for e in events)
    starts = [date_span(e["date"])[0] for e in events]  # "2025-09..2025-11" starts on 2025-09-01
    assert starts == sorted(starts)
    assert all({"doc", "page", "line_start", "cite"} <= set(s) for e in events for s in e["sources"])
    order_day = [e for e in events if e["date"] == "2025-03-04"]
    assert any(s["doc"] == ORDER for e in order_day for s in e["sources"])
    window = run_json(capsys, cli_store, "timeline", "--after", "2025-01-01", "--before", "2025-12-31")
    assert window and all(date(2025, 1, 1) <= date_span(e["date"])[0] <= date(2025, 12, 31) for e in window)
    assert len(window) < len(events)


def test_entities_json_and_graph_export(capsys, cli_store, tmp_path):
    entities = run_json(capsys, cli_store, "entities")
    by_name = {e["canonical"]: e for e in entities}
    assert by_name["xAI"]["label"] == "ORG" and by_name["Musk"]["label"] == "PERSON"
    assert by_name["OpenAI"]["mentions"] > by_name["xAI"]["mentions"] > 0
    out = tmp_path / "claims.graphml"
    code, _, err = run(capsys, "graph", "--out", str(out), "--store", str(cli_store))
    assert code == 0, err
    g = nx.read_graphml(out)
    assert "prop:xAI|distilled_from|OpenAI" in g
    code, _, err = run(capsys, "graph", "--format", "json", "--out", str(tmp_path / "g.json"),
                       "--store", str(cli_store))
    data = json.loads((tmp_path / "g.json").read_text())
    assert code == 0 and {n["id"] for n in data["nodes"]} == set(g.nodes)


def test_entities_split_and_merge_re_resolve_the_store(capsys, cli_store, tmp_path):
    """Split an alias off, then merge it back: the stored mentions follow the
    user's alias table each time (on a copy, the other tests keep theirs)."""
    import shutil

    store = tmp_path / "copy"
    shutil.copytree(cli_store, store)

    def counts() -> dict[str, int]:
        return {e["canonical"]: e["mentions"] for e in run_json(capsys, store, "entities", "--label", "ORG")}

    before = counts()
    code, _, err = run(capsys, "entities", "split", "X.AI Corp.", "--store", str(store))
    assert code == 0, err
    split = counts()
    assert split["X.AI Corp."] > 0 and split["xAI"] + split["X.AI Corp."] == before["xAI"]
    code, _, err = run(capsys, "entities", "merge", "xAI", "X.AI Corp.", "--store", str(store))
    assert code == 0, err
    assert counts() == before


# -- cite ---------------------------------------------------------------------------------------

XAI_CITE = "Trial Tr. 1812:3–4, Apr. 30, 2026."  # the generated excerpt has no ECF number


def citations(out: str) -> list[str]:
    """The Bluebook export's citation lines (a quote follows each, indented)."""
    return [line for line in out.splitlines() if line and not line.startswith(" ")]


def test_cite_builds_one_verified_list_in_the_order_given(capsys, cli_store):
    [xai] = run_json(capsys, cli_store, "claims", "--subject", "xAI", "--relation", "distilled_from")
    code, out, err = run(capsys, "cite", "--doc", DEPOSITION, "--page", "128", "--lines", "3-10",
                         "--claim", xai["id"], "--doc", ORDER, "--page", "4",
                         "--doc", DEPOSITION, "--page", "129", "--lines", "1-6", "--store", str(cli_store))
    assert code == 0, err
    assert citations(out) == ["Sutskever Dep. 128:3–10, Oct. 1, 2025, ECF No. 340-1.", XAI_CITE,
                              "Order Den. Mot. Prelim. Inj. at 4, ECF No. 121.", "Sutskever Dep. 129:1–6."]
    assert "    \"Q. Did xAI distill OpenAI's models to train Grok? A. Partly.\"" in out.splitlines()
    code, out, _ = run(capsys, "cite", "--claim", xai["id"][:8], "--doc", DEPOSITION, "--page", "128",
                       "--lines", "3–4", "--doc", DEPOSITION, "--page", "128", "--lines", "5-6",
                       "--style", "dkt", "--store", str(cli_store))
    assert code == 0 and citations(out) == [XAI_CITE, "Sutskever Dep. 128:3–4, Oct. 1, 2025, Dkt. 340-1.",
                                            "Id. at 128:5–6."]


def test_cite_docket_entries(capsys, cli_store):
    """Oppositions and replies the store knows only from the docket, beside the order that decided them."""
    code, out, err = run(capsys, "cite", "--docket", "64", "--docket", "73", "--doc", ORDER, "--page", "4",
                         "--lines", "1-2", "--docket", "64", "--style", "dkt", "--store", str(cli_store))
    assert code == 0, err
    assert citations(out) == ["Opp'n to Mot. Prelim. Inj., Dkt. 64.", "Reply Supp. Mot. Prelim. Inj., Dkt. 73.",
                              "Order Den. Mot. Prelim. Inj. at 4, Dkt. 121.", "Opp'n to Mot. Prelim. Inj., Dkt. 64."]


def test_cite_json_contract(capsys, cli_store):
    entries = run_json(capsys, cli_store, "cite", "--doc", ORDER, "--page", "4", "--lines", "1-2",
                       "--doc", ORDER, "--page", "5")
    assert [e["citation"] for e in entries] == ["Order Den. Mot. Prelim. Inj. at 4, ECF No. 121.", "Id. at 5."]
    first = entries[0]
    assert (first["verified"], first["problem"], first["doc"], first["page"], first["line_start"],
            first["line_end"], first["document_number"], first["form"], first["pin"]) == (
        True, "", ORDER, 4, 1, 2, "121", "Order Den. Mot. Prelim. Inj.", "at 4")
    assert first["quote"].startswith("public interest.") and entries[1]["quote"] == ""


def test_cite_search_hits_and_file_formats(capsys, cli_store, tmp_path):
    out_file = tmp_path / "list.json"
    code, _, err = run(capsys, "cite", "--search", '"52-page memo"', "-k", "1", "--search", "Grok distill",
                       "-k", "1", "--format", "csl-json", "--out", str(out_file), "--store", str(cli_store))
    assert code == 0, err
    assert "wrote" in err and "2 citations, 2 verified" in err
    records = json.loads(out_file.read_text(encoding="utf-8"))
    assert [r["type"] for r in records] == ["legal_case", "legal_case"]
    assert "Sutskever Dep. 128:" in json.dumps(records, ensure_ascii=False)
    for fmt, probe in (("ris", "TY  - CASE"), ("bibtex", "@"), ("csv", "Sutskever Dep. 128:"),
                       ("markdown", "| 1 |")):
        code, out, err = run(capsys, "cite", "--search", '"52-page memo"', "-k", "1", "--format", fmt,
                             "--store", str(cli_store))
        assert code == 0 and probe in out, (fmt, err)


def test_cite_refuses_unverified_quotes_unless_allowed(capsys, cli_store):
    """A claim whose stored quote no longer matches its lines: flagged, exit 1."""
    db = sqlite3.connect(cli_store / "casebase.db")
    [xai] = run_json(capsys, cli_store, "claims", "--subject", "xAI", "--relation", "distilled_from")
    (record,) = db.execute("SELECT record FROM claims WHERE id = ?", (xai["id"],)).fetchone()
    tampered = json.loads(record)
    tampered["quote"] = "Q. Did xAI distill OpenAI's models to train Grok? A. Entirely."
    try:
        with db:
            db.execute("UPDATE claims SET record = ? WHERE id = ?", (json.dumps(tampered), xai["id"]))
        code, out, err = run(capsys, "cite", "--claim", xai["id"], "--store", str(cli_store))
        assert code == 1
        assert out.startswith(f"[UNVERIFIED: quote not found at {TRIAL} p. 1812 lines 3–4: ")
        assert "1 of 1 citations failed verification" in err and "--allow-unverified" in err
        code, out, _ = run(capsys, "cite", "--claim", xai["id"], "--allow-unverified", "--store", str(cli_store))
        assert code == 0 and out.startswith("[UNVERIFIED: ") and XAI_CITE in out
    finally:
        with db:
            db.execute("UPDATE claims SET record = ? WHERE id = ?", (record, xai["id"]))
        db.close()


@pytest.mark.parametrize("argv,message", [
    ([], "cite needs --claim ID, --search QUERY, --doc DOC --page P or --docket N"),
    (["--docket", "9999"], "no docket entry 9999 of 4:24-cv-04722-YGR in the store"),
    (["--doc", ORDER], f"--doc {ORDER}: give the --page to cite"),
    (["--doc", ORDER, "--page", "400"], f"{ORDER} has no page 400"),
    (["--doc", ORDER, "--page", "4", "--lines", "three"], "--lines 'three': give A-B, e.g. 3-10"),
    (["--claim", "nope"], "no claim 'nope' in the store"),
    (["--doc", "nope.pdf", "--page", "1"], "no document 'nope.pdf' in the store"),
])
def test_cite_selection_errors_are_one_line(capsys, cli_store, argv, message):
    code, out, err = run(capsys, "cite", *argv, "--store", str(cli_store))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_cite_option_order_is_checked(capsys, cli_store):
    with pytest.raises(SystemExit) as stop:
        main(["cite", "--page", "4", "--doc", ORDER, "--store", str(cli_store)])
    assert stop.value.code == 2
    assert "--page must follow --doc" in capsys.readouterr().err
