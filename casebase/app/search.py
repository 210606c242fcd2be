"""Search: one query box over the whole record, mode and filters, results as
cards with the matched words marked and a pin cite, each one click from the
document viewer and the citation basket."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import streamlit as st

from casebase import search as engine
from casebase.records import KINDS
from casebase.app import common

MODE_LABELS = {"hybrid": "Hybrid (words + meaning)", "bm25": "Exact words (BM25)", "vector": "Meaning (vector)"}
KIND_LABELS = {"pdf": "Court PDF", "transcript": "Transcript", "filing_text": "Filing (text)", "article": "Article"}
SIZES = (10, 25, 50)


@st.cache_data(show_spinner="Searching…", max_entries=256)
def run_search(_conn: sqlite3.Connection, _index: Any, folder: str, fp: tuple, query: str, mode: str,
               k: int, kinds: tuple[str, ...], entity: str, after: str | None, before: str | None,
               docs: tuple[str, ...]) -> list[engine.Hit]:
    """casebase.search.search, remembered per store version and question."""
    return engine.search(_conn, _index, query, k=k, mode=mode, kind=list(kinds) or None,
                         entity=entity or None, after=after, before=before, doc=list(docs) or None)


def hit_html(hit: engine.Hit) -> str:
    """A result card's body: title, kind, date, pin cite and the marked passage, all escaped."""
    excerpt, marks, cut_start, cut_end = common.window(hit.text, hit.marks)
    body = ("… " if cut_start else "") + common.highlight(excerpt, marks) + (" …" if cut_end else "")
    meta = " · ".join(common.esc(x) for x in (KIND_LABELS.get(hit.kind, hit.kind), hit.date) if x)
    return (
        '<div class="cb-card">'
        f'<div class="cb-title">{common.esc(hit.title or hit.doc)}</div>'
        f'<div class="cb-meta">{meta} · <span class="cb-cite">{common.esc(hit.cite)}</span>'
        f' · {common.esc(hit.doc)}</div>'
        f'<div class="cb-snippet">{body}</div>'
        "</div>"
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def render() -> None:
    opened = common.open_page("Search the record")
    if opened is None:
        return
    conn, folder, fp, rows = opened
    names = {r["id"]: r["name"] for r in rows}

    query = st.text_input(
        "Search the record", key="search_q",
        placeholder='what the record says, e.g. did DeepSeek distill OpenAI\'s models?  —  "exact phrase" in quotes',
        help="Words and meaning together. Put a phrase in double quotes to require it exactly.")
    c1, c2 = st.columns([3, 1])
    mode = c1.radio("Mode", engine.MODES, key="search_mode", horizontal=True,
                    format_func=MODE_LABELS.get)
    k = c2.selectbox("Results", SIZES, key="search_k")
    with st.expander("Filters", expanded=False):
        f1, f2 = st.columns(2)
        kinds = f1.multiselect("Kind", KINDS, key="search_kind", format_func=lambda x: KIND_LABELS.get(x, x))
        entity = f2.text_input("Entity or party", key="search_entity", placeholder="e.g. Sutskever, xAI, DeepSeek")
        f3, f4 = st.columns(2)
        after = f3.date_input("From", value=None, key="search_after", min_value=date(1990, 1, 1),
                              max_value=date(2040, 12, 31), format="YYYY-MM-DD")
        before = f4.date_input("To", value=None, key="search_before", min_value=date(1990, 1, 1),
                               max_value=date(2040, 12, 31), format="YYYY-MM-DD")
        docs = st.multiselect("Documents", list(names), key="search_docs", format_func=lambda d: names.get(d, d))

    if not (query or "").strip():
        st.caption(f"{len(rows)} documents in the store. Type a question or some words, then press Enter.")
        return
    index = None
    if mode != "bm25":
        index, problem = common.vector_index(folder)
        if index is None:
            st.warning(f"The meaning index is not available ({common.md(problem)}); showing exact-word results.")
            mode = "bm25"
    try:
        hits = run_search(conn, index, folder, fp, query.strip(), mode, int(k), tuple(kinds),
                          (entity or "").strip(), _iso(after), _iso(before), tuple(docs))
    except ValueError as exc:
        st.error(common.md(exc))
        return
    if not hits:
        st.info("No passage matches. Try other words, another mode, or fewer filters.")
        return
    st.caption(f"{len(hits)} passage{'s' if len(hits) != 1 else ''}, best first")
    for i, hit in enumerate(hits):
        show_hit(conn, hit, i)


def show_hit(conn: sqlite3.Connection, hit: engine.Hit, i: int) -> None:
    with st.container(border=True, key=f"hit_{i}"):
        st.html(hit_html(hit))
        b1, b2, _ = st.columns([1, 1, 8])
        common.open_button(hit.doc_id, hit.page, hit.line_start, key=f"open_{i}", where=b1)
        # the callback runs in the next script run's thread: it opens its own connection
        common.cite_button(lambda h=hit: cite_hit(common.db(), h), key=f"cite_{i}", where=b2)


def cite_hit(conn: sqlite3.Connection, hit: engine.Hit):
    """The basket entry for a hit (what the Cite button adds)."""
    return common.passage_item(conn, hit.doc_id, hit.page, hit.line_start, hit.line_end, hit.text)
