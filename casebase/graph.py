"""The claims graph: who asserted, denied or reported which proposition, where.

Nodes are entities, propositions (subject, relation, object) and documents;
each claim adds a stance edge from its speaker to its proposition (asserts,
denies or reports, carrying posture, polarity, hedging and the pin cite) and
a `source` edge from its document. Contradictions, corroboration and paths
between entities are plain queries over that graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx


def entity_node(name: str) -> str:
    return f"entity:{name}"


def proposition_node(subject: str, relation: str, obj: str) -> str:
    return f"prop:{subject}|{relation}|{obj}"


def doc_node(doc: str) -> str:
    return f"doc:{doc}"


def stance(claim: Mapping[str, Any]) -> str:
    """asserts, denies or reports: how the speaker stands to the proposition."""
    if claim.get("polarity") == "negated" or claim.get("posture") == "denied":
        return "denies"
    if claim.get("posture") == "reported" or claim.get("asserted_by") == "author":
        return "reports"
    return "asserts"


def speaker(claim: Mapping[str, Any]) -> str:
    """Who stands behind a claim: a named party, the court, or the document's author."""
    who = claim.get("asserted_by") or "author"
    if who == "author":
        return f"author of {claim.get('doc')}"
    if who == "court":
        return f"court ({claim.get('doc')})"
    return who


def build(claims: Iterable[Mapping[str, Any]], documents: Mapping[str, Mapping[str, Any]] | None = None) -> nx.MultiDiGraph:
    """A MultiDiGraph of the claims; `documents` maps a doc name to its row (title, kind, date)."""
    g = nx.MultiDiGraph()
    documents = documents or {}
    for c in claims:
        subject, relation, obj = c["subject"], c["relation"], c["object"]
        prop = proposition_node(subject, relation, obj)
        if prop not in g:
            g.add_node(prop, type="proposition", subject=subject, relation=relation, object=obj,
                       label=f"{subject} {relation.replace('_', ' ')} {obj}")
            for role, name in (("subject", subject), ("object", obj)):
                g.add_node(entity_node(name), type="entity", label=name)
                g.add_edge(prop, entity_node(name), key=role, type=role)
        who = speaker(c)
        node = entity_node(who)
        if node not in g:
            g.add_node(node, type="entity", label=who)
        doc = doc_node(c["doc"])
        if doc not in g:
            row = documents.get(c["doc"], {})
            g.add_node(doc, type="document", label=row.get("title") or c["doc"], kind=row.get("kind"),
                       date=row.get("date") or row.get("filed"))
        attrs = {
            "claim": c.get("id"), "doc": c["doc"], "posture": c.get("posture"),
            "polarity": c.get("polarity"), "hedged": bool(c.get("hedged")),
            "cite": c.get("cite") or "", "quote": c.get("quote") or "",
            "page": c.get("page"), "line_start": c.get("line_start"), "line_end": c.get("line_end"),
            "asserted_by": c.get("asserted_by"),
        }
        g.add_edge(node, prop, key=c.get("id"), type=stance(c), **attrs)
        g.add_edge(doc, prop, key=f"source:{c.get('id')}", type="source", **attrs)
    return g


def _stances(g: nx.MultiDiGraph, prop: str) -> list[dict[str, Any]]:
    return [
        {"speaker": g.nodes[u].get("label", u), **d}
        for u, _, d in g.in_edges(prop, data=True) if d.get("type") in ("asserts", "denies", "reports")
    ]


def propositions(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every proposition with its affirming and negating stances, most discussed first."""
    out = []
    for node, data in g.nodes(data=True):
        if data.get("type") != "proposition":
            continue
        stances = _stances(g, node)
        affirm = [s for s in stances if s["polarity"] != "negated"]
        negate = [s for s in stances if s["polarity"] == "negated"]
        out.append({"id": node, "subject": data["subject"], "relation": data["relation"],
                    "object": data["object"], "label": data["label"],
                    "affirmed": len(affirm), "negated": len(negate), "stances": stances})
    return sorted(out, key=lambda p: (-(p["affirmed"] + p["negated"]), p["label"]))


def contradictions(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Propositions both affirmed and negated, with the sources on each side."""
    return [
        {**p, "affirming": [s for s in p["stances"] if s["polarity"] != "negated"],
         "negating": [s for s in p["stances"] if s["polarity"] == "negated"]}
        for p in propositions(g) if p["affirmed"] and p["negated"]
    ]


def corroboration(g: nx.MultiDiGraph, prop: str) -> dict[str, Any]:
    """How many independent sources affirm a proposition.

    Independent means a different speaker in a different document: the same
    party repeating itself across its own filings counts once, and so does
    one document quoting the same speaker twice.
    """
    affirm = [s for s in _stances(g, prop) if s["polarity"] != "negated"]
    speakers = {s["speaker"] for s in affirm}
    docs = {s["doc"] for s in affirm}
    return {"proposition": prop, "claims": len(affirm), "speakers": sorted(speakers),
            "documents": sorted(docs), "independent": min(len(speakers), len(docs))}


def about(g: nx.MultiDiGraph, entity: str) -> list[dict[str, Any]]:
    """Every stance said about (as subject or object) or by an entity."""
    node = entity_node(entity)
    if node not in g:
        return []
    out = []
    for prop in {u for u, _, d in g.in_edges(node, data=True) if d.get("type") in ("subject", "object")}:
        for s in _stances(g, prop):
            out.append({"proposition": g.nodes[prop]["label"], "role": "about", **s})
    for _, prop, d in g.out_edges(node, data=True):
        if d.get("type") in ("asserts", "denies", "reports"):
            out.append({"proposition": g.nodes[prop]["label"], "role": "by",
                        "speaker": entity, **d})
    return out


def connection(g: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """The shortest chain of nodes linking two entities (empty when unconnected)."""
    try:
        return nx.shortest_path(g.to_undirected(as_view=True), entity_node(a), entity_node(b))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, default=str)


def export(g: nx.MultiDiGraph, path: str | Path, fmt: str = "graphml") -> None:
    """Write the graph as GraphML (Gephi, yEd, Cytoscape) or node-link JSON."""
    path = Path(path)
    if fmt == "graphml":
        clean = nx.MultiDiGraph()
        clean.add_nodes_from((n, {k: _scalar(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
        clean.add_edges_from((u, v, k, {kk: _scalar(vv) for kk, vv in d.items()})
                             for u, v, k, d in g.edges(keys=True, data=True))
        nx.write_graphml(clean, path)
    elif fmt == "json":
        path.write_text(json.dumps(nx.node_link_data(g, edges="edges"), indent=2, default=str))
    else:
        raise ValueError(f"unknown graph format {fmt!r} (graphml or json)")
