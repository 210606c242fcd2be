"""Timeline: the record's chronology as an interactive chart with a table
below, filtered by entity, party and kind; disputed dates marked; a chosen
event lists its sources with pin cites."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

import altair as alt
import pandas as pd
import streamlit as st

from casebase import aliases, store
from casebase.timeline import Event
from casebase.app import common


def filter_events(events: Sequence[Event], entities: Iterable[str] = (), parties: Iterable[str] = (),
                  kinds: Iterable[str] = (), disputed_only: bool = False) -> list[int]:
    """Positions of the events that name any chosen entity, any chosen party,
    are of a chosen kind (each filter ignored when empty)."""
    ents = {e.lower() for e in entities}
    pars = {p.lower() for p in parties}
    kinds = set(kinds)
    out = []
    for i, ev in enumerate(events):
        named = {e.lower() for e in ev.entities}
        if ents and not ents & named:
            continue
        if pars and not pars & named:
            continue
        if kinds and ev.kind not in kinds:
            continue
        if disputed_only and not ev.disputed:
            continue
        out.append(i)
    return out


def party_names(parties: Iterable[Iterable[str]], events: Sequence[Event], table: Any = None) -> list[str]:
    """The parties of the stored documents (one list per document), by their
    canonical names through the alias `table` (default the package's), that
    events name; most named first."""
    table = table if table is not None else _aliases("", 0)
    named = Counter(e for ev in events for e in ev.entities)
    out = set()
    for listed in parties:
        for p in listed:
            name = aliases.canonical(p, table) or p
            if name in named:
                out.add(name)
    return sorted(out, key=lambda n: -named[n])


@st.cache_resource(show_spinner=False)
def _aliases(path: str, mtime: int) -> Any:
    """An alias table, read once per version of its file ("" for the package's)."""
    return aliases.load_aliases(path or None)


def events_frame(events: Sequence[Event], ids: Sequence[int]) -> pd.DataFrame:
    """One row per event: its id (position in the full timeline), date span,
    kind, title, disputed flag, number of sources and first pin cite."""
    rows = []
    for i in ids:
        ev = events[i]
        start, end = ev.span
        rows.append({
            "id": i, "date": ev.date, "start": start, "end": end, "precision": ev.precision,
            "kind": ev.kind, "title": ev.title, "disputed": ev.disputed,
            "dates stated": ", ".join(ev.dates) if ev.disputed else "",
            "sources": len(ev.sources), "cite": ev.sources[0].cite if ev.sources else "",
            "entities": ", ".join(ev.entities),
        })
    frame = pd.DataFrame(rows, columns=["id", "date", "start", "end", "precision", "kind", "title", "disputed",
                                        "dates stated", "sources", "cite", "entities"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Events by date and kind: a dot per event, a bar over the span of a
    month, year or approximate date; disputed events in red; click to select."""
    pick = alt.selection_point(name="event", fields=["id"], on="click", clear="dblclick")
    base = alt.Chart(frame).encode(
        y=alt.Y("kind:N", title=None, sort="-x"),
        tooltip=[alt.Tooltip("date:N", title="date"), alt.Tooltip("title:N"), alt.Tooltip("kind:N"),
                 alt.Tooltip("sources:Q"), alt.Tooltip("cite:N", title="first source"),
                 alt.Tooltip("dates stated:N")],
    )
    color = alt.condition("datum.disputed", alt.value("#b3261e"), alt.value("#3f6fb5"))
    spans = base.transform_filter("datum.precision != 'day'").mark_bar(height=6, opacity=0.35).encode(
        x=alt.X("start:T", title=None), x2="end:T", color=color)
    dots = base.mark_point(filled=True, size=70).encode(
        x=alt.X("start:T", title=None),
        color=color,
        shape=alt.condition("datum.disputed", alt.value("diamond"), alt.value("circle")),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        size=alt.condition(pick, alt.value(140), alt.value(70)),
    ).add_params(pick)
    height = max(160, 26 * frame["kind"].nunique())
    return alt.layer(spans, dots).properties(height=height).interactive(bind_y=False)


@st.cache_data(show_spinner=False, max_entries=64)
def view(_events: Sequence[Event], folder: str, fp: tuple, ids: tuple[int, ...]
         ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table and the chart's Vega-Lite spec of a filtered timeline, made
    once per store version and filter (Altair's spec building dominates a run)."""
    frame = events_frame(_events, ids)
    return frame, chart(frame).to_dict()


def render() -> None:
    opened = common.open_page("Timeline")
    if opened is None:
        return
    conn, folder, fp, _ = opened
    events = common.timeline_events(conn, folder, fp)
    if not events:
        st.info("No dated events were found in the stored documents.")
        return
    parties = common.document_parties(conn, folder, fp)
    named = Counter(e for ev in events for e in ev.entities)
    kinds = Counter(ev.kind for ev in events)
    c1, c2, c3, c4 = st.columns([3, 2, 3, 1], vertical_alignment="bottom")
    ent = c1.multiselect("Entity", sorted(named, key=lambda e: (-named[e], e)), key="timeline_entity",
                         placeholder="any entity")
    table_path = store.aliases_path(conn)
    table = _aliases(str(table_path), table_path.stat().st_mtime_ns)
    par = c2.multiselect("Party", party_names(parties, events, table), key="timeline_party", placeholder="any party")
    kind = c3.multiselect("Kind", sorted(kinds, key=lambda k: (-kinds[k], k)), key="timeline_kind",
                          placeholder="any kind")
    disputed = c4.checkbox("Disputed only", key="timeline_disputed")
    ids = filter_events(events, ent, par, kind, disputed)
    n_disputed = sum(events[i].disputed for i in ids)
    st.caption(f"{len(ids)} of {len(events)} events · {n_disputed} with disputed dates (red diamonds)")
    if not ids:
        st.info("No event matches these filters.")
        return
    frame, spec = view(events, folder, fp, tuple(ids))
    st.vega_lite_chart(spec, key="timeline_chart", selection_mode="event",
                       on_select=common.on_point_pick("timeline_chart", "event", "timeline_event", int))
    table = frame[["date", "kind", "title", "disputed", "dates stated", "sources", "cite"]]
    st.dataframe(table, hide_index=True, key="timeline_table", height=320,
                 on_select=common.on_row_pick("timeline_table", ids, "timeline_event"),
                 selection_mode="single-row",
                 column_config={"disputed": st.column_config.CheckboxColumn("disputed"),
                                "title": st.column_config.TextColumn("event", width="large")})
    if st.session_state.get("timeline_event") not in ids:
        st.session_state["timeline_event"] = ids[0]
    chosen = st.selectbox("Event", ids, key="timeline_event",
                          format_func=lambda i: f"{events[i].date} — {events[i].title[:110]}")
    show_event(events[chosen], chosen)


def show_event(ev: Event, event_id: int) -> None:
    flag = ' <span class="cb-disputed">disputed date</span>' if ev.disputed else ""
    dates = f" · sources state {common.esc(', '.join(ev.dates))}" if ev.disputed else ""
    st.html(
        f'<div class="cb-card"><div class="cb-title">{common.esc(ev.title)}</div>'
        f'<div class="cb-meta">{common.esc(ev.date)} ({common.esc(ev.precision)}) · {common.esc(ev.kind)}'
        f'{flag}{dates} · {common.esc(", ".join(ev.entities))}</div></div>')
    st.markdown(f"**Sources** ({len(ev.sources)})")
    for j, s in enumerate(ev.sources):
        key = f"tl_src_{event_id}_{j}"
        with st.container(border=True, key=key):
            st.html(
                f'<div><span class="cb-cite">{common.esc(s.cite)}</span> '
                f'<span class="cb-meta">{common.esc(s.origin)} · as stated: “{common.esc(s.date_as_stated)}”'
                f' · {common.esc(s.name)}</span></div>'
                f'<div class="cb-quote">{common.esc(s.text)}</div>')
            b1, b2, _ = st.columns([1, 1, 8])
            stored = not s.doc.startswith("docket:")
            common.open_button(s.doc if stored else None, s.page, s.line_start, key=f"{key}_open", where=b1)
            common.cite_button(lambda s=s: source_item(s), key=f"{key}_cite", where=b2)


def source_item(s: Any):
    """The basket entry of a timeline source: a stored document's lines, or a docket entry."""
    from casebase import cite
    from casebase.cite import gather

    if not s.doc.startswith("docket:"):
        return common.passage_item(common.db(), s.doc, s.page, s.line_start, s.line_end, s.text,
                                   page_end=s.page_end if s.page_end not in (None, s.page) else None)
    number = s.cite.removeprefix("Dkt. ").strip() if s.cite.startswith("Dkt. ") else None
    case = s.doc.removeprefix("docket:")
    if number:
        try:
            return gather.docket_entry(common.db(), case, number)
        except gather.NotFound:
            pass
    return cite.item({"name": f"Docket {case}", "kind": "docket", "title": s.text[:200], "case_number": case,
                      "document_number": number, "date": s.date}, None, None, None, s.text)
