"""Claims: propositions about model use (subject, relation, object), how many
sources affirm and negate each, contradictions, and a card per proposition
listing every stance with its speaker, posture, quote and pin cite."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import streamlit as st

from casebase import graph
from casebase.app import common
from casebase.cite import gather


@st.cache_data(show_spinner=False, max_entries=4)
def proposition_list(_g: Any, folder: str, fp: tuple) -> list[dict[str, Any]]:
    return graph.propositions(_g)


def filter_propositions(props: Sequence[Mapping[str, Any]], entity: str | None = None,
                        relations: Sequence[str] = (), contradictions_only: bool = False) -> list[Mapping[str, Any]]:
    """Propositions naming `entity` (as subject, object or speaker), of the
    given relations, and (optionally) only those both affirmed and negated."""
    out = []
    for p in props:
        if relations and p["relation"] not in relations:
            continue
        if contradictions_only and not (p["affirmed"] and p["negated"]):
            continue
        if entity and entity not in (p["subject"], p["object"]) and \
                not any(s.get("speaker") == entity for s in p["stances"]):
            continue
        out.append(p)
    return out


def stance_of(claim: Mapping[str, Any]) -> str:
    return claim.get("type") or graph.stance(claim)


def stance_html(claim: Mapping[str, Any]) -> str:
    """One stance: asserts/denies/reports, who, how, where, and the quote, escaped."""
    stance = stance_of(claim)
    who = claim.get("speaker") or graph.speaker(claim)
    bits = [claim.get("posture"), "hedged" if claim.get("hedged") else None,
            "negated" if claim.get("polarity") == "negated" else None]
    how = ", ".join(common.esc(b) for b in bits if b)
    return (
        '<div class="cb-card">'
        f'<div><span class="cb-stance cb-{common.esc(stance)}">{common.esc(stance)}</span>'
        f'<strong>{common.esc(who)}</strong> <span class="cb-meta">({how})</span> · '
        f'<span class="cb-cite">{common.esc(claim.get("cite") or "")}</span></div>'
        f'<div class="cb-quote">{common.esc(claim.get("quote") or "")}</div>'
        "</div>"
    )


def stance_card(claim: Mapping[str, Any], key: str, show_open: bool = True) -> None:
    """A stance with its Open and Cite buttons."""
    doc_id = claim.get("doc_id")
    with st.container(border=True, key=key):
        st.html(stance_html(claim))
        b1, b2, _ = st.columns([1, 1, 8])
        if show_open:
            common.open_button(doc_id, claim.get("page"), claim.get("line_start"), key=f"{key}_open", where=b1)
        if doc_id:
            common.cite_button(
                lambda c=dict(claim): gather.claim(common.db(), c["id"]),
                key=f"{key}_cite", where=b2)


def prop_label(p: Mapping[str, Any]) -> str:
    return f"{p['subject']} · {p['relation'].replace('_', ' ')} · {p['object']}  (+{p['affirmed']} / −{p['negated']})"


def render() -> None:
    opened = common.open_page("Claims")
    if opened is None:
        return
    conn, folder, fp, _ = opened
    g = common.claims_graph(conn, folder, fp)
    claims = {c["id"]: c for c in common.all_claims(conn, folder, fp)}
    props = proposition_list(g, folder, fp)
    if not props:
        st.info("No claims about model use were found in the stored documents.")
        return
    entities = sorted({p["subject"] for p in props} | {p["object"] for p in props}
                      | {s["speaker"] for p in props for s in p["stances"]})
    relations = sorted({p["relation"] for p in props})
    c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
    entity = c1.selectbox("Entity", entities, index=None, key="claims_entity", placeholder="any entity")
    chosen = c2.multiselect("Relation", relations, key="claims_relation",
                            format_func=lambda r: r.replace("_", " "))
    only = c3.checkbox("Contradictions only", key="claims_contradictions",
                       help="Propositions that some sources affirm and others negate")
    shown = filter_propositions(props, entity, chosen, only)
    n_contra = len([p for p in props if p["affirmed"] and p["negated"]])
    st.caption(f"{len(shown)} of {len(props)} propositions · {len(claims)} claims · "
               f"{n_contra} contradicted")
    if not shown:
        st.info("No proposition matches these filters.")
        return
    table = [{"subject": p["subject"], "relation": p["relation"].replace("_", " "), "object": p["object"],
              "affirming": p["affirmed"], "negating": p["negated"],
              "documents": len({s["doc"] for s in p["stances"]})} for p in shown]
    ids = [p["id"] for p in shown]
    st.dataframe(table, hide_index=True, key="claims_table",
                 on_select=common.on_row_pick("claims_table", ids, "claims_prop"),
                 selection_mode="single-row")
    if st.session_state.get("claims_prop") not in ids:
        st.session_state["claims_prop"] = ids[0]
    by_id = {p["id"]: p for p in shown}
    pid = st.selectbox("Proposition", ids, key="claims_prop", format_func=lambda i: prop_label(by_id[i]))
    show_proposition(g, by_id[pid], claims)


def show_proposition(g: Any, p: Mapping[str, Any], claims: Mapping[str, Mapping[str, Any]]) -> None:
    support = graph.corroboration(g, p["id"])
    st.subheader(p["label"], anchor=False)
    st.caption(f"{p['affirmed']} affirming · {p['negated']} negating · "
               f"{support['independent']} independent affirming source(s) "
               f"({len(support['speakers'])} speakers in {len(support['documents'])} documents)")
    for i, s in enumerate(sorted(p["stances"], key=lambda s: (s["polarity"] == "negated", s.get("doc") or ""))):
        record = dict(claims.get(s.get("claim"), {}))
        record.update({k: v for k, v in s.items() if v not in (None, "")})
        stance_card(record, f"stance_{i}")
