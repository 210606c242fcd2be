"""The Streamlit workbench: one small module per page, all calling the same
package functions as the `casebase` command.

`app.py` at the repository root is the entry (`streamlit run app.py`); it
builds the navigation from `PAGES` and runs the chosen page's `render()`.
"""

from __future__ import annotations

# (url path, title, module, icon): the order of the navigation.
PAGES = (
    ("search", "Search", "search", ":material/search:"),
    ("documents", "Documents", "documents", ":material/description:"),
    ("timeline", "Timeline", "timeline", ":material/timeline:"),
    ("claims", "Claims", "claims", ":material/gavel:"),
    ("graph", "Graph", "graph", ":material/hub:"),
    ("citations", "Citations", "citations", ":material/format_quote:"),
    ("ingest", "Ingest", "ingest", ":material/upload_file:"),
)
