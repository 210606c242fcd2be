"""Citations: the basket of passages gathered from every page, in the order
the user puts them, exported as a Bluebook-style list, CSV, RIS, CSL-JSON or
Markdown (casebase.cite.EXPORTS)."""

from __future__ import annotations

import streamlit as st

from casebase import cite
from casebase.app import common

FORMAT_LABELS = {"bluebook": "Bluebook", "markdown": "Markdown", "csv": "CSV", "ris": "RIS", "csl-json": "CSL-JSON"}


def move(items: list, i: int, delta: int) -> None:
    """Swap item i with its neighbour (delta -1: up, +1: down); no-op at the ends."""
    j = i + delta
    if 0 <= i < len(items) and 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]


def remove(items: list, i: int) -> None:
    if 0 <= i < len(items):
        del items[i]


def export(items: list[cite.Item], fmt: str) -> tuple[str, str, str]:
    """(text, file name, MIME type) of the basket in one of cite.EXPORTS."""
    fn, ext, mime = cite.EXPORTS[fmt]
    return fn(items), f"citations.{ext}", mime


def item_html(n: int, it: cite.Item) -> str:
    return (
        '<div class="cb-card">'
        f'<div><strong>{n}.</strong> <span class="cb-cite">{common.esc(it.cite)}</span>'
        f' <span class="cb-meta">{common.esc(it.doc)}</span></div>'
        f'<div class="cb-meta">{common.esc(it.full)}</div>'
        + (f'<div class="cb-quote">{common.esc(it.quote)}</div>' if it.quote else "")
        + "</div>"
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
    st.caption(f"{len(items)} passage{'s' if len(items) != 1 else ''} · reorder with Up and Down")
    for i, it in enumerate(items):
        with st.container(border=True, key=f"basket_{i}"):
            c0, c1, c2, c3 = st.columns([12, 1, 1, 1.3], vertical_alignment="center")
            with c0:
                st.html(item_html(i + 1, it))
            c1.button("Up", key=f"basket_up_{i}", on_click=move, args=(items, i, -1), disabled=i == 0)
            c2.button("Down", key=f"basket_down_{i}", on_click=move, args=(items, i, 1),
                      disabled=i == len(items) - 1)
            c3.button("Remove", key=f"basket_remove_{i}", on_click=remove, args=(items, i))
    st.button("Clear basket", key="basket_clear", on_click=_clear)

    st.subheader("Export", anchor=False)
    cols = st.columns(len(cite.EXPORTS))
    texts = {}
    for col, fmt in zip(cols, cite.EXPORTS):
        text, name, mime = export(items, fmt)
        texts[fmt] = text
        col.download_button(f"Download {FORMAT_LABELS.get(fmt, fmt)}", data=text.encode("utf-8"), file_name=name,
                            mime=mime, key=f"basket_dl_{fmt}", on_click="ignore")
    tabs = st.tabs([FORMAT_LABELS.get(f, f) for f in cite.EXPORTS])
    for tab, fmt in zip(tabs, cite.EXPORTS):
        with tab:
            st.code(texts[fmt], language="json" if fmt == "csl-json" else None, wrap_lines=True)
