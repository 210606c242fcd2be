"""Graph: who asserted, denied or reported what, as a network of entities and
propositions (networkx spring layout drawn with Altair: no JavaScript from
the internet), filtered by entity and relation, exported as GraphML or JSON."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Sequence

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from casebase import graph
from casebase.app import common

STANCES = ("asserts", "denies", "reports")
NODE_COLOURS = {"entity": "#3f6fb5", "proposition": "#e08a2e", "document": "#8a8a8a"}
EDGE_COLOURS = {"asserts": "#3d9a50", "denies": "#c0392b", "reports": "#9aa4b2",
                "subject": "#c9ced6", "object": "#c9ced6", "source": "#dddddd"}


def view(g: nx.MultiDiGraph, entity: str | None = None, relations: Sequence[str] = (),
         documents: bool = False) -> nx.MultiDiGraph:
    """The part of the graph to draw: propositions of the chosen relations that
    touch `entity` (as subject, object or speaker), with their entities,
    speakers and (optionally) source documents."""
    props = []
    for node, data in g.nodes(data=True):
        if data.get("type") != "proposition":
            continue
        if relations and data["relation"] not in relations:
            continue
        if entity:
            touching = {data["subject"], data["object"]} | {
                g.nodes[u].get("label") for u, _, d in g.in_edges(node, data=True) if d.get("type") in STANCES}
            if entity not in touching:
                continue
        props.append(node)
    keep = set(props)
    for p in props:
        keep.update(v for _, v, d in g.out_edges(p, data=True) if d.get("type") in ("subject", "object"))
        keep.update(u for u, _, d in g.in_edges(p, data=True)
                    if d.get("type") in STANCES or (documents and d.get("type") == "source"))
    return g.subgraph(keep).copy()


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Spring layout positions, fixed by a seed so the picture is stable.

    Each connected part is laid out on its own, in a square whose side
    grows with the root of its size, and the squares are shelved in rows,
    largest first: one spring layout of everything throws unconnected
    parts to the far corners and leaves the middle empty.
    """
    if g.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(g.to_undirected(as_view=True))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    sides = [len(c) ** 0.5 for c in parts]
    width = max(max(sides), 1.6 * sum(s * s for s in sides) ** 0.5)
    out: dict[str, tuple[float, float]] = {}
    x = y = shelf = 0.0
    for part, side in zip(parts, sides):
        if x > 0 and x + side > width:
            x, y, shelf = 0.0, y - shelf, 0.0
        sub = simple.subgraph(part)
        if len(part) == 1:
            pos = {next(iter(part)): (0.0, 0.0)}
        else:
            pos = nx.spring_layout(sub, seed=7, k=1.6 / len(part) ** 0.5, iterations=80)
        for n, (px, py) in pos.items():  # spring_layout fits [-1, 1]: into the square, inset
            out[n] = (x + side * (0.5 + 0.42 * float(px)), y - side * (0.5 - 0.42 * float(py)))
        x += side
        shelf = max(shelf, side)
    return out


@st.cache_data(show_spinner="Laying out the graph…", max_entries=32)
def chart_spec(_g: nx.MultiDiGraph, folder: str, fp: tuple, view_key: tuple) -> dict[str, Any]:
    """The drawn view's Vega-Lite spec, made once per store version and filter."""
    nodes, edges = frames(_g, layout(_g))
    return chart(nodes, edges).to_dict()


def frames(g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edge endpoints) as data frames for the chart."""
    nodes = pd.DataFrame([
        {"id": n, "label": d.get("label", n), "type": d.get("type", ""), "x": pos[n][0], "y": pos[n][1],
         "degree": g.degree(n)}
        for n, d in g.nodes(data=True) if n in pos
    ], columns=["id", "label", "type", "x", "y", "degree"])
    rows = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        if u in pos and v in pos:
            for end in (u, v):
                rows.append({"edge": i, "type": d.get("type", ""), "x": pos[end][0], "y": pos[end][1],
                             "cite": d.get("cite", ""), "posture": d.get("posture") or ""})
    edges = pd.DataFrame(rows, columns=["edge", "type", "x", "y", "cite", "posture"])
    return nodes, edges


def chart(nodes: pd.DataFrame, edges: pd.DataFrame) -> alt.LayerChart:
    """Edges as lines coloured by stance, nodes as circles coloured by type,
    entity names written beside them; pan and zoom, click a node to select it."""
    pick = alt.selection_point(name="node", fields=["id"], on="click", clear="dblclick")
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    x = alt.X("x:Q", axis=axis, scale=_fit(nodes["x"], right=0.25))  # room for the names on the right
    y = alt.Y("y:Q", axis=axis, scale=_fit(nodes["y"]))
    lines = alt.Chart(edges).mark_line(strokeWidth=1.4).encode(
        x=x, y=y, detail="edge:N",
        color=alt.Color("type:N", title="edge", scale=alt.Scale(domain=list(EDGE_COLOURS),
                                                               range=list(EDGE_COLOURS.values()))),
        tooltip=["type:N", "posture:N", "cite:N"])
    dots = alt.Chart(nodes).mark_circle(opacity=0.9, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        color=alt.Color("type:N", title="node", scale=alt.Scale(domain=list(NODE_COLOURS),
                                                               range=list(NODE_COLOURS.values()))),
        size=alt.Size("degree:Q", scale=alt.Scale(range=[60, 700]), legend=None),
        tooltip=[alt.Tooltip("label:N", title="name"), "type:N", alt.Tooltip("degree:Q", title="links")],
        opacity=alt.condition(pick, alt.value(0.95), alt.value(0.4)),
    ).add_params(pick)
    names = alt.Chart(nodes).transform_filter("datum.type == 'entity'").transform_calculate(
        short=f"length(datum.label) > {_NAME_CHARS} ? slice(datum.label, 0, {_NAME_CHARS - 1}) + '…' : datum.label",
    ).mark_text(align="left", dx=9, dy=-4, fontSize=11).encode(x=x, y=y, text="short:N")
    # nodes and edges each keep their own colours (an entity is not an "asserts")
    return alt.layer(lines, dots, names).resolve_scale(color="independent").properties(height=560).interactive()


_NAME_CHARS = 32  # longer entity names are cut on the drawing (the tooltip has them whole)


def _fit(values: pd.Series, margin: float = 0.06, right: float = 0.0) -> alt.Scale:
    """A position scale that frames the laid-out nodes, with a margin, never
    stretched to zero or to round numbers (which pushes clusters to a corner)."""
    if values.empty:
        return alt.Scale(zero=False)
    low, high = float(values.min()), float(values.max())
    span = (high - low) or 1.0
    return alt.Scale(domain=[low - margin * span, high + (margin + right) * span], zero=False, nice=False)


def export_bytes(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """graph.export to a temporary file, read back for a download button."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        graph.export(g, path, fmt)
        return path.read_bytes()


def render() -> None:
    opened = common.open_page("Graph")
    if opened is None:
        return
    conn, folder, fp, _ = opened
    g = common.claims_graph(conn, folder, fp)
    if not any(d.get("type") == "proposition" for _, d in g.nodes(data=True)):
        st.info("No claims about model use were found in the stored documents, so the graph is empty.")
        return
    entities = sorted(d["label"] for _, d in g.nodes(data=True) if d.get("type") == "entity")
    relations = sorted({d["relation"] for _, d in g.nodes(data=True) if d.get("type") == "proposition"})
    c1, c2, c3 = st.columns([2, 3, 1], vertical_alignment="bottom")
    entity = c1.selectbox("Entity", entities, index=None, key="graph_entity", placeholder="all entities")
    chosen = c2.multiselect("Relation", relations, key="graph_relation", format_func=lambda r: r.replace("_", " "))
    docs = c3.checkbox("Documents", key="graph_docs", help="Also draw the documents each claim comes from")
    sub = view(g, entity, chosen, docs)
    n_props = sum(1 for _, d in sub.nodes(data=True) if d.get("type") == "proposition")
    st.caption(f"{n_props} propositions · {sub.number_of_nodes()} nodes · {sub.number_of_edges()} edges. "
               "Drag to pan, scroll to zoom, click a node for its claims.")
    if sub.number_of_nodes() == 0:
        st.info("Nothing matches these filters.")
        return
    spec = chart_spec(sub, folder, fp, (entity, tuple(chosen), docs))
    st.vega_lite_chart(spec, key="graph_chart", on_select=common.on_point_pick("graph_chart", "node", "graph_node"),
                       selection_mode="node")

    d1, d2, _ = st.columns([2, 2, 6])
    stem = "casebase-graph" + (f"-{entity}" if entity else "")
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
    d1.download_button("Download GraphML", data=lambda: export_bytes(sub, "graphml"), file_name=f"{stem}.graphml",
                       mime="application/graphml+xml", key="graph_dl_graphml", on_click="ignore")
    d2.download_button("Download JSON", data=lambda: export_bytes(sub, "json"), file_name=f"{stem}.json",
                       mime="application/json", key="graph_dl_json", on_click="ignore")

    labels = {n: d.get("label", n) for n, d in sub.nodes(data=True)}
    order = sorted(labels, key=lambda n: (sub.nodes[n].get("type") != "entity", labels[n]))
    if st.session_state.get("graph_node") not in labels:
        st.session_state["graph_node"] = order[0]
    node = st.selectbox("Node", order, key="graph_node",
                        format_func=lambda n: f"{labels[n]}  ({sub.nodes[n].get('type')})")
    show_node(g, sub, node)


def show_node(g: nx.MultiDiGraph, sub: nx.MultiDiGraph, node: str) -> None:
    """What the graph says about a node: an entity's stances, a proposition's stances."""
    from casebase.app.claims import stance_card

    data = sub.nodes[node]
    if data.get("type") == "entity":
        rows = graph.about(g, data["label"])
        visible = {sub.nodes[n].get("label") for n in sub if sub.nodes[n].get("type") == "proposition"}
        rows = [r for r in rows if r["proposition"] in visible]
        st.markdown(f"**{common.md(data['label'])}**: {len(rows)} stance(s) by or about")
        if rows:
            st.dataframe([{"proposition": r["proposition"], "role": r["role"], "speaker": r.get("speaker"),
                           "stance": r.get("type"), "posture": r.get("posture"), "cite": r.get("cite")}
                          for r in rows], hide_index=True)
    elif data.get("type") == "proposition":
        stances = [{"speaker": g.nodes[u].get("label", u), **d}
                   for u, _, d in g.in_edges(node, data=True) if d.get("type") in STANCES]
        st.markdown(f"**{common.md(data['label'])}**: {len(stances)} stance(s)")
        for i, s in enumerate(stances):
            stance_card(_with_doc_id(s), f"graph_stance_{i}")
    else:
        st.markdown(f"**{common.md(data.get('label'))}** (document)")


def _with_doc_id(stance: dict[str, Any]) -> dict[str, Any]:
    from casebase import store

    out = dict(stance)
    out["doc_id"] = store.resolve(common.db(), stance.get("doc") or "")
    return out
