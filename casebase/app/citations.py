"""Citations: the basket of passages gathered from every page, in the order
the user puts them, written as a citation list (full form, Id., short forms),
each quote checked at its pin in the store, and exported in every format of
casebase.cite.formats.EXPORTS."""

from __future__ import annotations

import streamlit as st

from casebase import cite
from casebase.app import common
from casebase.cite import formats, lists, verify

FORMAT_LABELS = {"bluebook": "Bluebook", "markdown": "Markdown", "csv": "CSV", "ris": "RIS", "bibtex": "BibTeX",
                 "csl-json": "CSL-JSON"}
STYLE_LABELS = {"ecf": "ECF No. 121", "dkt": "Dkt. 121"}


def move(items: list, i: int, delta: int) -> None:
    """Swap item i with its neighbour (delta -1: up, +1: down); no-op at the ends."""
    j = i + delta
    if 0 <= i < len(items) and 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]


def remove(items: list, i: int) -> None:
    if 0 <= i < len(items):
        del items[i]


def export(entries: list[cite.Entry], fmt: str) -> tuple[str, str, str]:
    """(text, file name, MIME type) of the list in one of formats.EXPORTS."""
    fn, ext, mime = formats.EXPORTS[fmt]
    return fn(entries), f"citations.{ext}", mime


def entry_html(n: int, e: cite.Entry) -> str:
    it = e.item
    status = (f'<span class="cb-flag">Not verified: {common.esc(e.problem)}</span>' if e.verified is False
              else '<span class="cb-ok">Quote verified at its pin</span>' if e.verified else "")
    return (
        '<div class="cb-card">'
        f'<div><strong>{n}.</strong> <span class="cb-cite">{common.esc(e.text)}</span>'
        f' <span class="cb-meta">{common.esc(it.doc)}</span></div>'
        + (f'<div class="cb-meta">{common.esc(it.full)}</div>' if it.full.rstrip(".") != e.text.rstrip(".") else "")
        + (f'<div class="cb-quote">{common.esc(it.quote)}</div>' if it.quote else "")
        + f"<div>{status}</div></div>"
    )


def _clear() -> None:
    common.basket().clear()


def render() -> None:
    st.title("Citations")
    items = common.basket()
    if not items:
        st.info("The citation basket is empty. Use **Cite** on a search result, a claim, a timeline source "
                "or lines of a document to add passages here.")
        return
    c1, c2 = st.columns([3, 5], vertical_alignment="bottom")
    style = c1.radio("Docket numbers", list(STYLE_LABELS), format_func=STYLE_LABELS.get, horizontal=True,
                     key="cite_style")
    cases = sorted({it.case_number for it in items if it.case_number and not it.is_article})
    home = c2.selectbox("Your case (its documents are cited without the case name)", [None] + cases,
                        format_func=lambda c: "the case most cited" if c is None else c, key="cite_home")
    entries = verify.verify(common.db(), lists.citation_list(items, style, home))
    failed = sum(e.verified is False for e in entries)
    st.caption(f"{len(items)} passage{'s' if len(items) != 1 else ''} · reorder with Up and Down · "
               f"{len(entries) - failed} of {len(entries)} quotes verified at their pins")
    if failed:
        st.warning(f"{failed} citation{'s' if failed != 1 else ''} failed verification: "
                   "they are flagged in every export.")
    for i, e in enumerate(entries):
        with st.container(border=True, key=f"basket_{i}"):
            c0, b1, b2, b3 = st.columns([8.5, 1.1, 1.5, 1.7], vertical_alignment="center")
            with c0:
                st.html(entry_html(i + 1, e))
            b1.button("Up", key=f"basket_up_{i}", on_click=move, args=(items, i, -1), disabled=i == 0)
            b2.button("Down", key=f"basket_down_{i}", on_click=move, args=(items, i, 1),
                      disabled=i == len(items) - 1)
            b3.button("Remove", key=f"basket_remove_{i}", on_click=remove, args=(items, i))
    st.button("Clear basket", key="basket_clear", on_click=_clear)

    st.subheader("Export", anchor=False)
    cols = st.columns(3) + st.columns(3)  # two rows: every label whole
    texts = {}
    for col, fmt in zip(cols, formats.EXPORTS):
        text, name, mime = export(entries, fmt)
        texts[fmt] = text
        col.download_button(f"Download {FORMAT_LABELS.get(fmt, fmt)}", data=text.encode("utf-8"), file_name=name,
                            mime=mime, key=f"basket_dl_{fmt}", on_click="ignore")
    tabs = st.tabs([FORMAT_LABELS.get(f, f) for f in formats.EXPORTS])
    for tab, fmt in zip(tabs, formats.EXPORTS):
        with tab:
            st.code(texts[fmt], language="json" if fmt == "csl-json" else None, wrap_lines=True)
