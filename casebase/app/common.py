"""What every page shares: the store and its models loaded once per process,
results cached per version of the store, the citation basket, moving between
pages, and the escaping every piece of document text goes through.

Safety rule of the whole app: text from a document (lines, titles, quotes,
metadata) reaches HTML only through `esc` / `highlight`, which escape it and
add nothing but the app's own `<mark>`/`<span>` tags. Text shown through
Markdown (labels, captions) goes through `md`, so a document cannot inject
links, images or formatting either.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import streamlit as st

from casebase import cite, store
from casebase.cite import gather

BASKET = "basket"  # session_state key: the citation basket, a list of cite.Item
VIEWER = "viewer"  # session_state key: {"doc_id", "page", "line"} the document viewer shows
GOTO = "_goto"  # session_state key: the page app.py switches to on the next run

BUILD_HELP = (
    "Build it from the sample corpus, from the repository root:\n\n"
    "```bash\n.venv/bin/casebase ingest corpus/\n```\n\n"
    "or point the environment variable `CASEBASE_STORE` at an existing store, "
    "or add files on the **Ingest** page."
)


# --------------------------------------------------------------------------- escaping


def esc(text: Any) -> str:
    """Text for HTML: every <, >, &, and quote escaped."""
    return html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(text: Any) -> str:
    """Text for Markdown (labels, captions, alerts): every markup character
    backslash-escaped, so a document's words stay words."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


@dataclass(frozen=True)
class Span:
    """A stretch of a text to wrap: [start, end), a CSS class, a tooltip."""

    start: int
    end: int
    cls: str = ""
    title: str = ""


def highlight(text: str, spans: Iterable[Span | tuple[int, int]]) -> str:
    """Escaped text with the given spans wrapped in <mark> tags.

    Spans are clipped to the text; where they overlap the earlier one wins
    the overlap. Escaping happens piece by piece after the cuts, so the
    offsets are offsets into the raw text.
    """
    text = text or ""
    cuts: list[Span] = []
    for s in spans:
        if not isinstance(s, Span):
            s = Span(int(s[0]), int(s[1]))
        start, end = max(0, s.start), min(len(text), s.end)
        if end > start:
            cuts.append(Span(start, end, s.cls, s.title))
    cuts.sort(key=lambda s: (s.start, -s.end))
    out, pos = [], 0
    for s in cuts:
        if s.end <= pos:
            continue
        start = max(s.start, pos)
        out.append(esc(text[pos:start]))
        attrs = (f' class="{esc(s.cls)}"' if s.cls else "") + (f' title="{esc(s.title)}"' if s.title else "")
        out.append(f"<mark{attrs}>{esc(text[start:s.end])}</mark>")
        pos = s.end
    out.append(esc(text[pos:]))
    return "".join(out)


def window(text: str, marks: Sequence[tuple[int, int]], width: int = 360) -> tuple[str, list[tuple[int, int]], bool, bool]:
    """About `width` characters of `text` around its first mark, cut at word
    boundaries: (excerpt, marks shifted into it, cut at start, cut at end)."""
    text = (text or "").replace("\n", " ").replace("\f", " ")  # same length: marks stay valid
    if len(text) <= width:
        return text, list(marks), False, False
    first = marks[0][0] if marks else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    shifted = [(max(a, start) - start, min(b, end) - start) for a, b in marks if b > start and a < end]
    return text[start:end], shifted, start > 0, end < len(text)


CSS = """
<style>
.cb-card .cb-title {font-weight: 600; font-size: 1.02rem;}
.cb-card .cb-meta {color: #666; font-size: 0.85rem; margin: 0.1rem 0 0.35rem 0;}
.cb-cite {font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.85rem;
  background: #f1f3f6; padding: 0 0.3rem; border-radius: 3px;}
.cb-flag {color: #a4262c; font-weight: 600; font-size: 0.85rem;}
.cb-ok {color: #1e7b34; font-size: 0.85rem;}
.cb-snippet, .cb-quote {line-height: 1.45; white-space: pre-wrap;}
.cb-quote {border-left: 3px solid #c9ced6; padding-left: 0.6rem; margin: 0.25rem 0;}
.cb-snippet mark, .cb-quote mark {background: #ffe58a; padding: 0 1px;}
table.cb-lines {border-collapse: collapse; width: 100%; font-size: 0.92rem;}
table.cb-lines td {padding: 0 0.4rem; vertical-align: top; border: none;}
table.cb-lines td.cb-ln {color: #888; text-align: right; white-space: nowrap; width: 4.2rem;
  font-family: ui-monospace, SFMono-Regular, Menlo, monospace; user-select: none;}
table.cb-lines td.cb-sp {color: #555; font-weight: 600; white-space: nowrap; width: 1%;}
table.cb-lines td.cb-tx {white-space: pre-wrap;}
table.cb-lines tr.cb-fn td.cb-tx {font-size: 0.85rem; color: #444;}
table.cb-lines tr.cb-claim td.cb-tx {background: #e8f1ff;}
table.cb-lines tr.cb-target td {background: #fff3c4;}
table.cb-lines tr.cb-target td.cb-ln {color: #000; font-weight: 700;}
mark.cb-ent {background: transparent; border-bottom: 2px solid #8fb3ff; padding: 0;}
mark.cb-ent-PERSON {border-bottom-color: #f0a35e;}
mark.cb-ent-ORG {border-bottom-color: #6fb36f;}
mark.cb-ent-AI_MODEL, mark.cb-ent-PRODUCT {border-bottom-color: #b57be0;}
mark.cb-ent-COURT, mark.cb-ent-CASE_NUMBER, mark.cb-ent-LAW {border-bottom-color: #9a9a9a;}
.cb-stance {font-size: 0.8rem; font-weight: 700; text-transform: uppercase; padding: 0 0.35rem;
  border-radius: 3px; margin-right: 0.4rem;}
.cb-asserts {background: #d9f2d9;} .cb-denies {background: #fbd5d5;} .cb-reports {background: #e3e7ee;}
.cb-disputed {color: #b3261e; font-weight: 700;}
</style>
"""


def style() -> None:
    """The app's own CSS (no document text in it)."""
    st.html(CSS)


# --------------------------------------------------------------------------- the store


def store_folder() -> Path:
    """The store this app shows: $CASEBASE_STORE, else ./data."""
    return store.store_dir().resolve()


_local = threading.local()


def db(folder: Path | None = None) -> sqlite3.Connection:
    """An open connection to the store (creating it when missing).

    SQLite connections belong to the thread that opened them and Streamlit
    runs scripts on its own threads, so each thread keeps its own; opening
    one costs a millisecond, unlike the indexes, which are shared.
    """
    key = str(folder or store_folder())
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    conn = conns.get(key)
    if conn is None:
        conn = conns[key] = store.connect(key)
    return conn


def document_count(folder: Path) -> int:
    """How many documents the store holds; 0 when there is no store (without creating one)."""
    if not (folder / "casebase.db").is_file():
        return 0
    return db(folder).execute("SELECT count(*) FROM documents").fetchone()[0]


def require_store() -> sqlite3.Connection | None:
    """The store's connection, or a message saying how to build it (and None)."""
    folder = store_folder()
    if not (folder / "casebase.db").is_file():
        st.info(f"There is no casebase store at `{folder}` yet.\n\n" + BUILD_HELP, icon=":material/info:")
        return None
    if document_count(folder) == 0:
        st.info(f"The casebase store at `{folder}` holds no documents yet.\n\n" + BUILD_HELP,
                icon=":material/info:")
        return None
    return db(folder)


def fingerprint(conn: sqlite3.Connection) -> tuple:
    """A cheap token that changes whenever the store's content does: cache key
    for everything built from the whole store (timeline, claims graph)."""
    n, last, top = conn.execute("SELECT count(*), max(ingested_at), max(rowid) FROM documents").fetchone()
    claims, claim_top = conn.execute("SELECT count(*), max(rowid) FROM claims").fetchone()
    mentions = conn.execute("SELECT max(rowid) FROM mentions").fetchone()[0]
    dockets = conn.execute("SELECT count(*) FROM dockets").fetchone()[0]
    aliases = store.folder(conn) / "aliases.tsv"
    mtime = aliases.stat().st_mtime_ns if aliases.exists() else 0
    return (n, last, top, claims, claim_top, mentions, dockets, mtime)


@st.cache_resource(show_spinner="Loading the search model…")
def vector_index(folder: str) -> tuple[Any, str | None]:
    """The store's vector index with its embedding model, once per process:
    (index, None), or (None, why not) so that search can fall back to BM25."""
    try:
        from casebase.index import open_index

        return open_index(folder), None
    except Exception as exc:  # no model files, a broken chroma folder: BM25 still works
        return None, f"{type(exc).__name__}: {exc}"


@st.cache_resource(show_spinner="Loading the language model…")
def language_pipeline(aliases_path: str, mtime: int) -> Any:
    """The spaCy pipeline ingest uses, loaded once per process (and per alias table)."""
    from casebase.nlp import load_pipeline

    return load_pipeline(aliases_path)


def open_page(title: str) -> tuple[sqlite3.Connection, str, tuple, list[dict[str, Any]]] | None:
    """The prelude every store page shares: its title, then the store's
    connection, folder, fingerprint and document rows (None without a store)."""
    st.title(title)
    conn = require_store()
    if conn is None:
        return None
    folder = str(store_folder())
    fp = fingerprint(conn)
    return conn, folder, fp, document_rows(conn, folder, fp)


def on_row_pick(table_key: str, ids: Sequence[Any], target_key: str) -> Callable[[], None]:
    """A dataframe's on_select callback: the picked row's id (from `ids`, in
    the table's row order) becomes session_state[target_key]."""
    ids = list(ids)

    def pick() -> None:
        state = st.session_state.get(table_key)
        rows = getattr(getattr(state, "selection", None), "rows", None) or []
        if rows and rows[0] < len(ids):
            st.session_state[target_key] = ids[rows[0]]
    return pick


def on_point_pick(chart_key: str, param: str, target_key: str,
                  cast: Callable[[Any], Any] = str) -> Callable[[], None]:
    """A Vega-Lite chart's on_select callback: the `id` field of the point
    picked by selection parameter `param` becomes session_state[target_key]."""
    def pick() -> None:
        state = st.session_state.get(chart_key)
        picked = (getattr(state, "selection", None) or {}).get(param) or []
        if picked and "id" in picked[0]:
            st.session_state[target_key] = cast(picked[0]["id"])
    return pick


@st.cache_data(show_spinner=False, max_entries=8)
def document_rows(_conn: sqlite3.Connection, folder: str, fp: tuple) -> list[dict[str, Any]]:
    """Every stored document's summary row, by name."""
    return list(store.documents(_conn))


@st.cache_data(show_spinner=False, max_entries=8)
def document_parties(_conn: sqlite3.Connection, folder: str, fp: tuple) -> list[list[str]]:
    """Each stored document's parties as its caption names them (store.documents leaves them out)."""
    out = []
    for (raw,) in _conn.execute("SELECT parties FROM documents"):
        try:
            parties = json.loads(raw or "[]")
        except ValueError:
            parties = []
        out.append([p for p in parties if isinstance(p, str)])
    return out


def doc_row(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any]:
    """A document's whole row, decoded, as the citation functions take it."""
    return gather.doc_row(conn, doc_id)


@st.cache_data(show_spinner=False, max_entries=8)
def all_claims(_conn: sqlite3.Connection, folder: str, fp: tuple) -> list[dict[str, Any]]:
    """Every stored claim (store.claims), as the CLI lists them."""
    return store.claims(_conn)


@st.cache_resource(show_spinner="Building the claims graph…", max_entries=4)
def claims_graph(_conn: sqlite3.Connection, folder: str, fp: tuple) -> Any:
    """The claims graph of the whole store (shared by every session: read it, never change it)."""
    from casebase import graph

    docs = {r["name"]: r for r in store.documents(_conn)}
    return graph.build(store.claims(_conn), docs)


# --------------------------------------------------------------------------- timeline


@st.cache_data(show_spinner="Building the timeline…", max_entries=4)
def timeline_events(_conn: sqlite3.Connection, folder: str, fp: tuple) -> list[Any]:
    """Every event of the store's documents and docket entries."""
    from casebase.timeline import build_timeline

    return build_timeline(_conn)


# --------------------------------------------------------------------------- basket


def basket() -> list[cite.Item]:
    """The session's citation basket, in the order the user keeps it."""
    return st.session_state.setdefault(BASKET, [])


def add_citation(item: cite.Item) -> None:
    """Button callback: put a passage in the basket (once)."""
    items = basket()
    if any(i.cite == item.cite and i.quote == item.quote for i in items):
        st.toast(f"Already in the citation basket: {md(item.cite)}", icon=":material/info:")
        return
    items.append(item)
    st.toast(f"Added to the citation basket: {md(item.cite)}", icon=":material/bookmark_add:")


def passage_item(conn: sqlite3.Connection, doc_id: str, page: int | None, line_start: int | None,
                 line_end: int | None, quote: str, page_end: int | None = None) -> cite.Item:
    """A basket entry for lines of a stored document (cite.gather.passage)."""
    return gather.passage(conn, doc_id, page, line_start, line_end, quote=quote, page_end=page_end)


# --------------------------------------------------------------------------- navigation

# Widget values that survive a visit to another page (Streamlit forgets a
# widget's value when a run does not draw it): the query and every filter.
KEEP = (
    "search_q", "search_mode", "search_k", "search_kind", "search_entity", "search_after", "search_before",
    "search_docs", "timeline_entity", "timeline_party", "timeline_kind", "timeline_disputed",
    "claims_entity", "claims_relation", "claims_contradictions", "graph_entity", "graph_relation", "graph_docs",
)


def keep_widget_state() -> None:
    """Called at the top of every run, before any page draws its widgets."""
    for key in KEEP:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]



def go(page: str) -> None:
    """Switch to a page on the next run (safe inside button callbacks)."""
    st.session_state[GOTO] = page


def open_document(doc_id: str, page: int | None = None, line: int | None = None) -> None:
    """Button callback: show a document in the viewer at a page (printed
    number) and line."""
    st.session_state[VIEWER] = {"doc_id": doc_id, "page": page, "line": line}
    go("documents")


def open_button(doc_id: str | None, page: int | None, line: int | None, key: str,
                where: Any = st) -> None:
    """The "Open" button of a passage (disabled where there is no stored document)."""
    where.button("Open", key=key, on_click=open_document, args=(doc_id, page, line),
                 disabled=not doc_id, help="Show this passage in the document viewer")


def cite_button(make: Callable[[], cite.Item], key: str, where: Any = st) -> None:
    """The "Cite" button of a passage; `make` builds its basket entry when clicked."""
    where.button("Cite", key=key, on_click=lambda: add_citation(make()),
                 help="Add this passage to the citation basket")
