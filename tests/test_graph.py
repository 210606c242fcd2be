"""The claims graph on real filings: a contradiction and a corroboration."""

from __future__ import annotations

import json

import pytest

from casebase import graph, store
from casebase.ingest import ingest

FILINGS = ("gov.uscourts.cand.433688.32.0_1.md",   # first amended complaint (Musk, xAI)
           "gov.uscourts.cand.433688.46.0.md",     # preliminary-injunction motion
           "gov.uscourts.cand.433688.147.0_2.md")  # OpenAI's answer and counterclaims


@pytest.fixture(scope="module")
def claims_graph(shared, tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph-store")
    db = store.connect(folder)
    out = ingest([shared / "corpus" / "filings-text" / f for f in FILINGS], db, index=False)
    assert [o.status for o in out] == ["ingested"] * 3, [o.error for o in out]
    docs = {r["name"]: r for r in store.documents(db)}
    return graph.build(store.claims(db), docs)


def test_a_real_contradiction_has_both_sides_with_pin_cites(claims_graph):
    found = {c["label"]: c for c in graph.contradictions(claims_graph)}
    reddit = found.get("OpenAI licensed Reddit")
    assert reddit, sorted(found)
    # the amended complaint alleges it; OpenAI's answer denies it
    assert any(s["speaker"] in ("Musk", "Plaintiffs") and s["doc"] == FILINGS[0] for s in reddit["affirming"])
    assert any(s["speaker"] == "OpenAI" and s["doc"] == FILINGS[2] for s in reddit["negating"])
    assert all(s["cite"].startswith("Dkt. ") for s in reddit["affirming"] + reddit["negating"])


def test_a_real_corroboration_counts_independent_sources(claims_graph):
    prop = graph.proposition_node("Microsoft", "licensed", "OpenAI")
    support = graph.corroboration(claims_graph, prop)
    # Musk alleges the exclusive licence; OpenAI's answer admits it: two sides, three filings
    assert {"Musk", "OpenAI"} <= set(support["speakers"])
    assert support["independent"] >= 2 and len(support["documents"]) >= 2


def test_entity_queries_and_export(claims_graph, tmp_path):
    said = graph.about(claims_graph, "Microsoft")
    assert any(s["proposition"] == "Microsoft licensed OpenAI" for s in said)
    path = graph.connection(claims_graph, "Microsoft", "Reddit")
    assert path[0] == "entity:Microsoft" and path[-1] == "entity:Reddit"
    graph.export(claims_graph, tmp_path / "g.graphml")
    graph.export(claims_graph, tmp_path / "g.json", "json")
    assert "<graphml" in (tmp_path / "g.graphml").read_text()
    data = json.loads((tmp_path / "g.json").read_text())
    assert len(data["nodes"]) == claims_graph.number_of_nodes()
