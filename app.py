"""casebase workbench: `streamlit run app.py` from the repository root.

The store is $CASEBASE_STORE, else ./data (build it with `casebase ingest corpus/`).
"""

from __future__ import annotations

import importlib

import streamlit as st

from casebase.app import PAGES, common

st.set_page_config(page_title="casebase", page_icon=":material/balance:", layout="wide")


def _render(module: str):
    return importlib.import_module(f"casebase.app.{module}").render


common.keep_widget_state()  # before any page switch: see common.KEEP
pages = {
    url: st.Page(_render(module), title=title, url_path=url, icon=icon, default=(i == 0))
    for i, (url, title, module, icon) in enumerate(PAGES)
}
current = st.navigation(list(pages.values()))

# A button on another page (Open, Go to ...) asked for a page switch.
target = st.session_state.pop(common.GOTO, None)
if target in pages and pages[target].url_path != current.url_path:
    st.switch_page(pages[target])

common.style()
with st.sidebar:
    folder = common.store_folder()
    st.caption(f"Store: `{folder}`  \n{common.document_count(folder)} documents")
    n = len(common.basket())
    st.caption(f"Citation basket: {n} passage{'' if n == 1 else 's'}")

current.run()
