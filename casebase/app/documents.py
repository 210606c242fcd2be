"""Documents: the record page by page with its printed line numbers, entity
mentions and claims marked, the ECF metadata, parse warnings, and the
original file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlparse

import streamlit as st

from casebase import store
from casebase.records import Document, Page
from casebase.app import common


@st.cache_data(show_spinner=False, max_entries=32)
def load_document(_conn: sqlite3.Connection, folder: str, fp: tuple, doc_id: str) -> Document:
    """store.load with line offsets set (mentions index into Document.text)."""
    doc = store.load(_conn, doc_id)
    doc.assign_offsets()
    return doc


@st.cache_data(show_spinner=False, max_entries=32)
def document_mentions(_conn: sqlite3.Connection, folder: str, fp: tuple, doc_id: str) -> list[dict[str, Any]]:
    return store.mentions(_conn, doc_id)


def page_label(doc: Document, seq: int) -> str:
    page = doc.pages[seq]
    label = f"Page {page.number}"
    if page.pdf_page and page.pdf_page != page.number:
        label += f" (PDF page {page.pdf_page})"
    if page.needs_ocr:
        label += " — needs OCR"
    return label


def page_seq(doc: Document, number: int | None) -> int:
    """The position of the page printed `number` (the first page when unknown)."""
    for seq, page in enumerate(doc.pages):
        if page.number == number:
            return seq
    return 0


def claim_lines(claims: Iterable[dict[str, Any]], page: int) -> dict[int, list[str]]:
    """Printed line -> the propositions claimed on it, for one page."""
    out: dict[int, list[str]] = {}
    for c in claims:
        if c.get("page") != page or c.get("line_start") is None:
            continue
        end = c.get("line_end") or c["line_start"]
        stance = "NOT " if c.get("polarity") == "negated" else ""
        label = f"{c['subject']} {stance}{c['relation'].replace('_', ' ')} {c['object']} ({c.get('asserted_by')})"
        for n in range(c["line_start"], end + 1):
            out.setdefault(n, []).append(label)
    return out


def page_html(doc: Document, page: Page, mentions: list[dict[str, Any]] | None = None,
              claims_at: dict[int, list[str]] | None = None, target: int | None = None) -> str:
    """One page as a table of (page:line, speaker, text): the text escaped,
    entity mentions underlined, claim lines shaded, the target line marked."""
    mentions = mentions or []
    claims_at = claims_at or {}
    rows = []
    m = 0
    for line in page.lines:
        while m < len(mentions) and mentions[m]["char_end"] <= line.char_start:
            m += 1
        spans = []
        j = m
        while j < len(mentions) and mentions[j]["char_start"] < line.char_end:
            mm = mentions[j]
            if mm["char_end"] > line.char_start:
                spans.append(common.Span(mm["char_start"] - line.char_start, mm["char_end"] - line.char_start,
                                         f"cb-ent cb-ent-{mm['label']}", f"{mm['canonical']} ({mm['label']})"))
            j += 1
        classes = []
        title = ""
        if line.number in claims_at:
            classes.append("cb-claim")
            title = f' title="{common.esc("; ".join(claims_at[line.number]))}"'
        if target is not None and line.number == target:
            classes.append("cb-target")
        if line.footnote:
            classes.append("cb-fn")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        rows.append(
            f'<tr id="L{page.number}-{line.number}"{cls}{title}>'
            f'<td class="cb-ln">{page.number}:{line.number}</td>'
            f'<td class="cb-sp">{common.esc(line.speaker or "")}</td>'
            f'<td class="cb-tx">{common.highlight(line.text, spans)}</td></tr>'
        )
    if not rows:
        note = "This page needs OCR: it has no usable text layer." if page.needs_ocr else "This page has no text."
        return f'<p class="cb-meta">{common.esc(note)}</p>'
    return '<table class="cb-lines">' + "".join(rows) + "</table>"


def metadata_rows(doc: Document, deponent: str | None = None) -> list[tuple[str, str]]:
    """The document's record fields worth showing, as (label, value)."""
    meta = doc.metadata or {}
    stamp = next((p.stamp for p in doc.pages if p.stamp), None)
    rows = [
        ("Kind", doc.kind), ("Case", doc.case_number), ("ECF document", doc.document_number),
        ("Filed", doc.filed), ("Date", doc.date), ("Court", doc.court),
        ("Parties", "; ".join(doc.parties) if doc.parties else None),
        ("Pages", str(doc.page_count)),
        ("PageID", stamp.page_id if stamp else None), ("Entry ID", stamp.entry_id if stamp else None),
        ("ECF stamp", stamp.raw if stamp else None),
        ("Author", meta.get("author")), ("Publisher", meta.get("publisher") or meta.get("site")),
        ("Deponent", meta.get("deponent") or meta.get("witness") or deponent),
        ("Source URL", meta.get("source_url")), ("File", doc.path), ("Id", doc.id),
    ]
    return [(k, str(v)) for k, v in rows if v not in (None, "", [])]


def safe_url(url: Any) -> str | None:
    """An http(s) URL from a document's metadata, or None (no javascript: links)."""
    if not isinstance(url, str):
        return None
    parts = urlparse(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _viewer() -> dict[str, Any]:
    """What the viewer shows: {"doc_id", "page" (printed number), "line", "seq"
    (position of the page, when known)}. The one source of truth: the
    widgets are set from it on every run and write back to it."""
    return st.session_state.setdefault(common.VIEWER, {"doc_id": None, "page": None, "line": None})


def _pick_doc() -> None:
    _viewer().update(doc_id=st.session_state.get("doc_select"), page=None, line=None, seq=None)


def _pick_page(doc: Document) -> None:
    seq = st.session_state.get("doc_page", 0)
    _viewer().update(page=doc.pages[seq].number, line=None, seq=seq)


def _step(doc: Document, seq: int, delta: int) -> None:
    seq = max(0, min(doc.page_count - 1, seq + delta))
    _viewer().update(page=doc.pages[seq].number, line=None, seq=seq)


def current_seq(doc: Document, viewer: dict[str, Any]) -> int:
    """The page position the viewer is at (by position when known: printed
    numbers can repeat)."""
    seq = viewer.get("seq")
    if isinstance(seq, int) and 0 <= seq < doc.page_count and doc.pages[seq].number == viewer.get("page"):
        return seq
    return page_seq(doc, viewer.get("page"))


def render() -> None:
    opened = common.open_page("Documents")
    if opened is None:
        return
    conn, folder, fp, rows = opened
    names = {r["id"]: r["name"] for r in rows}
    titles = {r["id"]: r["title"] for r in rows}
    viewer = _viewer()
    if viewer.get("doc_id") not in names:
        viewer.update(doc_id=rows[0]["id"], page=None, line=None)
    st.session_state["doc_select"] = viewer["doc_id"]
    doc_id = st.selectbox(
        "Document", list(names), key="doc_select", on_change=_pick_doc,
        format_func=lambda d: names[d] + (f" — {titles[d]}" if titles.get(d) else ""))
    doc = load_document(conn, folder, fp, doc_id)
    row = common.doc_row(conn, doc_id)

    st.subheader(doc.title or names[doc_id], anchor=False)
    show_metadata(doc, row)

    st.session_state["doc_page"] = current_seq(doc, viewer)
    c1, c2, c3, c4, c5 = st.columns([4, 1, 1, 2, 2], vertical_alignment="bottom")
    seq = c1.selectbox("Page", range(doc.page_count), key="doc_page", on_change=_pick_page, args=(doc,),
                       format_func=lambda s: page_label(doc, s))
    c2.button("Previous page", key="doc_prev", on_click=_step, args=(doc, seq, -1), disabled=seq == 0)
    c3.button("Next page", key="doc_next", on_click=_step, args=(doc, seq, 1),
               disabled=seq >= doc.page_count - 1)
    show_entities = c4.toggle("Entities", value=True, key="doc_entities", help="Underline entity mentions")
    show_claims = c5.toggle("Claims", value=True, key="doc_claims", help="Shade lines that carry a claim")
    page = doc.pages[seq]
    target = viewer.get("line") if viewer.get("page") == page.number else None

    claims = [c for c in common.all_claims(conn, folder, fp) if c["doc_id"] == doc_id]
    mentions = document_mentions(conn, folder, fp, doc_id) if show_entities else []
    at = claim_lines(claims, page.number) if show_claims else {}
    if page.needs_ocr:
        st.warning(f"Page {page.number} has no usable text layer. " + (
            "The text below was recognised by OCR: check it against the original." if page.lines
            else "There is no text to show: open the original file."))
    where = f"Page {page.number}" + (f" · PDF page {page.pdf_page}" if page.pdf_page and page.pdf_page != page.number else "")
    if target is not None:
        where += f" · line {target}"
    st.caption(where)
    with st.container(border=True, key="doc_page_view"):
        st.html(page_html(doc, page, mentions, at, target))

    cite_lines(doc_id, doc, page, target)
    page_claims = [c for c in claims if c.get("page") == page.number]
    if page_claims:
        st.markdown(f"**Claims on this page** ({len(page_claims)})")
        from casebase.app.claims import stance_card

        for i, c in enumerate(page_claims):
            stance_card(c, f"doc_claim_{i}", show_open=False)
    if show_entities:
        show_entity_list(conn, folder, fp, doc_id)


def show_metadata(doc: Document, row: dict[str, Any]) -> None:
    meta = metadata_rows(doc, row["metadata"].get("deponent"))
    with st.expander("Record details (ECF metadata)", expanded=False):
        st.html('<table class="cb-lines">' + "".join(
            f'<tr><td class="cb-sp">{common.esc(k)}</td><td class="cb-tx">{common.esc(v)}</td></tr>'
            for k, v in meta) + "</table>")
    ocr = [p.number for p in doc.pages if p.needs_ocr]
    if ocr:
        shown = ", ".join(str(n) for n in ocr[:30]) + (" …" if len(ocr) > 30 else "")
        st.warning(f"{len(ocr)} page(s) have no usable text layer (scanned, or a broken font encoding): "
                   f"{shown}.", icon=":material/document_scanner:")
    for w in doc.warnings:
        if "needs OCR" not in w:
            st.warning(common.md(w), icon=":material/warning:")
    b1, b2, _ = st.columns([2, 2, 6])
    path = Path(doc.path)
    if path.is_file():
        b1.download_button("Download original", data=lambda p=path: p.read_bytes(), file_name=path.name,
                           key="doc_download", on_click="ignore", help=f"The ingested file: {path}")
    else:
        b1.caption(f"Original file not found at {common.md(path)}")
    url = safe_url((doc.metadata or {}).get("source_url"))
    if url:
        b2.link_button("Source", url, help=url)


def cite_lines(doc_id: str, doc: Document, page: Page, target: int | None) -> None:
    """Pick lines of the page and put them in the basket."""
    numbers = [l.number for l in page.lines]
    if not numbers:
        return
    lo, hi = min(numbers), max(numbers)
    default = target if target is not None and lo <= target <= hi else lo
    c1, c2, c3 = st.columns([2, 2, 6], vertical_alignment="bottom")
    start = c1.number_input("From line", lo, hi, value=default, key=f"doc_from_{doc_id}_{page.number}")
    end = c2.number_input("To line", lo, hi, value=default, key=f"doc_to_{doc_id}_{page.number}")
    start, end = sorted((int(start), int(end)))
    quote = " ".join(l.text for l in page.lines if start <= l.number <= end)
    common.cite_button(
        lambda: common.passage_item(common.db(), doc_id, page.number, start, end, quote),
        key="doc_cite", where=c3)


def show_entity_list(conn: sqlite3.Connection, folder: str, fp: tuple, doc_id: str) -> None:
    mentions = document_mentions(conn, folder, fp, doc_id)
    if not mentions:
        return
    counts: dict[tuple[str, str], int] = {}
    for m in mentions:
        counts[(m["canonical"], m["label"])] = counts.get((m["canonical"], m["label"]), 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    with st.expander(f"Entities in this document ({len(top)})"):
        st.dataframe([{"entity": k[0], "label": k[1], "mentions": n} for k, n in top],
                     hide_index=True)
