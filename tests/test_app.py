"""The Streamlit workbench, driven headless with streamlit.testing.v1.AppTest.

One store is built for the session from real documents (the Dkt. 121 order,
the Sutskever deposition excerpt, two news digests from ../shared) plus a
generated filing whose text carries a denial and hostile markup
(`<script>`, `<img onerror>`, a `javascript:` link): it makes a contradicted
proposition for the claims page and is the escaping test's document.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from casebase import search, store
from casebase.cite import formats
from casebase.app import PAGES, common
from casebase.app import graph as graph_page
from casebase.app import ingest as ingest_page
from casebase.ingest import ingest

pytestmark = pytest.mark.shared

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
TEXT = REPO / "corpus" / "filings-text"
DOCKETS = REPO / "corpus" / "dockets"
ORDER = "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
DEPOSITION = "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt"
DEEPSEEK = "2025-01-27_recodechinaai_openai-deepseek-distillation-saga.txt"
XAI_APPLE = "2025-08-26_republicworld-reuters_xai-sues-apple-and-openai.txt"
HOSTILE = "hostile_notice.txt"

# A filing-text extraction (kept verbatim by its parser, markup and all).
HOSTILE_TEXT = """\
DATE: 2025-02-03
----------------------------------------------------------------------
  Case 4:25-cv-00001-ABC               Document 7     Filed 02/03/25      Page 1 of 1

  1                                      UNITED STATES DISTRICT COURT
  2                                    NORTHERN DISTRICT OF CALIFORNIA
  3
  4    OPENAI, INC.,                                        Case No.: 4:25-cv-00001-ABC
  5                Plaintiff,                               NOTICE
  6           v.
  7    HANGZHOU DEEPSEEK,
  8                Defendant.
  9
  10   DeepSeek denied that it distilled OpenAI's models. <script>alert(1)</script>
  11   The statement <img src=x onerror=alert(2)> was posted on February 1, 2025.
  12   OpenAI said it has evidence that DeepSeek distilled its models.
  13   See [the filing](javascript:alert(3)) and *details* in <b>bold</b> zanzibarquux.
"""


@pytest.fixture(scope="session")
def app_store(shared, tmp_path_factory) -> Path:
    """A store of five documents with entities, claims, chunks and vectors."""
    folder = tmp_path_factory.mktemp("app-store")
    src = tmp_path_factory.mktemp("app-src")
    hostile = src / HOSTILE
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    db = store.connect(folder)
    outcomes = ingest([DOCKETS, TEXT / ORDER, TEXT / DEPOSITION, shared / "corpus" / "articles" / DEEPSEEK,
                       shared / "corpus" / "articles" / XAI_APPLE, hostile], db)
    # (the docket's TSV repeats its JSON's entries, so it adds nothing)
    assert all(o.status == "ingested" for o in outcomes if o.kind != "docket"), [o.error for o in outcomes]
    assert any(o.status == "ingested" for o in outcomes if o.kind == "docket")
    assert sum(o.kind != "docket" for o in outcomes) == 5
    db.close()
    return folder


@pytest.fixture
def app(app_store, monkeypatch) -> AppTest:
    monkeypatch.setenv("CASEBASE_STORE", str(app_store))
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    """Switch page the way the app's own buttons do."""
    at.session_state[common.GOTO] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def bodies(at: AppTest) -> list[str]:
    """What the page passed to st.html, the app's one raw-HTML channel."""
    return [h.value for h in at.get("html") if not h.value.lstrip().startswith("<style>")]


def cards(at: AppTest) -> list[str]:
    return [b for b in bodies(at) if 'class="cb-card"' in b]


def cite_of(card: str) -> str:
    return re.search(r'<span class="cb-cite">([^<]*)</span>', card).group(1)


def search_for(at: AppTest, query: str, mode: str = "bm25") -> list[str]:
    at.radio(key="search_mode").set_value(mode)
    at.text_input(key="search_q").input(query).run()
    assert not at.exception, [e.value for e in at.exception]
    return cards(at)


# -- every page ------------------------------------------------------------------


def test_every_page_renders(app):
    for url, title, _, _ in PAGES:
        goto(app, url)
        assert app.title, url
        assert not app.error, (url, [e.value for e in app.error])
    assert [t.value for t in goto(app, "search").title] == ["Search the record"]


def test_missing_store_says_how_to_build_it(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("CASEBASE_STORE", str(missing))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    for url in ("search", "documents", "timeline", "claims", "graph"):
        goto(at, url)
        text = " ".join(i.value for i in at.info)
        assert "casebase ingest corpus/" in text and str(missing) in text, url
    assert not missing.exists()  # looking does not create a store
    goto(at, "ingest")
    assert at.get("file_uploader")


# -- search, cite, open -------------------------------------------------------------


def test_search_finds_passage_cites_it_and_exports_the_pin_cite(app):
    found = search_for(app, '"52-page memo"')
    assert found
    first = found[0]
    assert "Sutskever Dep. 128:" in cite_of(first) and "(Dkt. 340-1)" in cite_of(first)
    assert "<mark>52-page memo</mark>" in first
    app.button(key="cite_0").click().run()
    basket = app.session_state[common.BASKET]
    page, line = re.search(r"Dep\. (\d+):(\d+)", cite_of(first)).groups()
    assert [i.cite for i in basket] == [f"Sutskever Dep. {page}:{line}" + (
        f"–{basket[0].line_end}" if basket[0].line_end != int(line) else "") + ", Oct. 1, 2025, ECF No. 340-1"]
    assert "52-page memo" in basket[0].quote
    app.button(key="cite_0").click().run()  # twice: still one entry
    assert len(app.session_state[common.BASKET]) == 1

    goto(app, "citations")
    assert "Quote verified at its pin" in cards(app)[0]
    exports = {c.value for c in app.code}
    assert len(exports) == len(formats.EXPORTS)
    where = f"{basket[0].page}:{basket[0].line_start}"
    assert all(where in text for text in exports), where  # every format carries page:line
    assert sum(basket[0].cite in text for text in exports) >= 4  # the citation itself, in the list's form
    bluebook = next(t for t in exports if t.startswith("Sutskever Dep."))
    assert bluebook.splitlines()[0] == basket[0].cite + "."
    csv_text = next(t for t in exports if t.startswith("n,citation,"))
    row = next(csv.DictReader(io.StringIO(csv_text)))
    assert (row["citation"], row["verified"]) == (basket[0].cite + ".", "yes")
    csl = json.loads(next(t for t in exports if t.lstrip().startswith("[")))
    assert csl[0]["locator"] == basket[0].pin
    labels = {b.label for b in app.get("download_button")}
    assert labels == {"Download Bluebook", "Download Markdown", "Download CSV", "Download RIS",
                      "Download BibTeX", "Download CSL-JSON"}
    app.radio(key="cite_style").set_value("dkt").run()
    assert bluebook.replace("ECF No.", "Dkt.") in {c.value for c in app.code}


def test_basket_reorders_and_removes(app):
    search_for(app, "distillation", mode="bm25")
    app.button(key="cite_0").click().run()
    app.button(key="cite_1").click().run()
    before = [i.cite + i.quote for i in app.session_state[common.BASKET]]
    assert len(before) == 2 and before[0] != before[1]
    goto(app, "citations")
    assert app.button(key="basket_up_0").disabled and app.button(key="basket_down_1").disabled
    app.button(key="basket_down_0").click().run()
    assert [i.cite + i.quote for i in app.session_state[common.BASKET]] == before[::-1]
    app.button(key="basket_up_1").click().run()
    assert [i.cite + i.quote for i in app.session_state[common.BASKET]] == before
    app.button(key="basket_remove_0").click().run()
    assert [i.cite + i.quote for i in app.session_state[common.BASKET]] == before[1:]
    assert "1." in cards(app)[0]


def test_open_shows_the_page_and_line_of_the_hit(app, app_store):
    first = search_for(app, '"52-page memo"')[0]
    m = re.search(r"Dep\. (\d+):(\d+)", cite_of(first))
    page, line = int(m.group(1)), int(m.group(2))
    app.button(key="open_0").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Documents"]
    db = store.connect(app_store)
    assert app.selectbox(key="doc_select").value == store.resolve(db, DEPOSITION)
    view = next(b for b in bodies(app) if 'class="cb-lines"' in b and "cb-ln" in b)
    target = re.search(r'<tr id="L(\d+)-(\d+)" class="cb-target[^"]*">(.*?)</tr>', view)
    assert (int(target.group(1)), int(target.group(2))) == (page, line)
    assert f'<td class="cb-ln">{page}:{line}</td>' in target.group(3)
    # the line shown is the first line of the passage the hit cited
    hit = search.search(db, None, '"52-page memo"', mode="bm25")[0]
    first_line = hit.text.split("\n")[0]
    assert common.esc(first_line) in re.sub(r"</?mark[^>]*>", "", target.group(3))
    # the query survives the visit to the viewer
    goto(app, "search")
    assert app.text_input(key="search_q").value == '"52-page memo"'
    assert cite_of(cards(app)[0]) == cite_of(first)


def test_document_viewer_pages_metadata_claims_and_original(app, app_store):
    db = store.connect(app_store)
    order = store.resolve(db, ORDER)
    claim = store.claims(db, doc=ORDER)[0]  # a line of the order that carries a claim
    page, line = claim["page"], claim["line_start"]
    app.session_state[common.VIEWER] = {"doc_id": order, "page": page, "line": line}
    goto(app, "documents")
    assert app.selectbox(key="doc_page").value == page - 1  # pages of the order are numbered from 1
    view = next(b for b in bodies(app) if "cb-target" in b and "cb-ln" in b)
    row = re.search(rf'<tr id="L{page}-{line}" class="([^"]*)" title="([^"]*)">', view)
    assert row and set(row.group(1).split()) == {"cb-claim", "cb-target"}
    assert f"{claim['subject']} {claim['relation'].replace('_', ' ')} {claim['object']}" in row.group(2)
    assert f'<td class="cb-ln">{page}:{line}</td>' in view
    assert re.search(r'<mark class="cb-ent cb-ent-ORG" title="OpenAI \(ORG\)">', view)
    details = next(b for b in bodies(app) if "ECF document" in b)
    assert "4:24-cv-04722-YGR" in details and ">121<" in details
    assert app.get("download_button")[0].label == "Download original"
    app.button(key="doc_next").click().run()
    assert app.selectbox(key="doc_page").value == page
    assert "cb-target" not in next(b for b in bodies(app) if "cb-ln" in b)
    app.button(key="doc_cite").click().run()
    assert app.session_state[common.BASKET][-1].cite == f"Order Den. Mot. Prelim. Inj. at {page + 1}, ECF No. 121"


# -- timeline, claims, graph ---------------------------------------------------------


def test_timeline_table_filters_and_sources(app):
    goto(app, "timeline")
    table = app.dataframe[0].value
    assert len(table) > 20
    assert table["cite"].str.startswith("Dkt. 121 at").any()  # events read from the order
    assert (table["cite"].str.fullmatch(r"Dkt\. \d+(-\d+)?")).any()  # docket entries
    app.multiselect(key="timeline_kind").select("order").run()
    orders = app.dataframe[0].value
    assert 0 < len(orders) < len(table) and set(orders["kind"]) == {"order"}
    app.multiselect(key="timeline_kind").unselect("order").run()
    app.multiselect(key="timeline_entity").select("Musk").run()
    musk = app.dataframe[0].value
    assert 0 < len(musk) < len(table)
    app.multiselect(key="timeline_entity").unselect("Musk").run()
    assert "Musk" in app.multiselect(key="timeline_party").options  # Elon Musk, a party, by his canonical name
    app.multiselect(key="timeline_party").select("Musk").run()
    assert len(app.dataframe[0].value) == len(musk)
    app.multiselect(key="timeline_party").unselect("Musk").run()
    # an event from the order: its sources listed with pin cites, each citable
    pick_event(app, "2015-06-24")
    event = app.selectbox(key="timeline_event").value
    sources = [b for b in bodies(app) if "cb-quote" in b]
    assert any('<span class="cb-cite">Dkt. 121 at 12:14–16</span>' in b for b in sources)
    app.button(key=f"tl_src_{event}_0_cite").click().run()
    added = app.session_state[common.BASKET][-1]
    assert (added.cite, added.line_start, added.line_end) == ("Order Den. Mot. Prelim. Inj. at 12, ECF No. 121", 14, 16)
    app.button(key=f"tl_src_{event}_0_open").click().run()
    assert app.session_state[common.VIEWER]["page"] == 12 and app.session_state[common.VIEWER]["line"] == 14
    assert [t.value for t in app.title] == ["Documents"]
    # a docket entry's event: cited as the filing the clerk's text names
    goto(app, "timeline")
    pick_event(app, "2024-12-13 — Dkt. 64")
    event = app.selectbox(key="timeline_event").value
    app.button(key=f"tl_src_{event}_0_cite").click().run()
    added = app.session_state[common.BASKET][-1]
    assert (added.cite, added.kind, added.document_number) == ("Opp'n to Mot. Prelim. Inj., ECF No. 64", "docket", "64")


def pick_event(at: AppTest, label_start: str) -> None:
    box = at.selectbox(key="timeline_event")
    index = next(i for i, label in enumerate(box.options) if label.startswith(label_start))
    box.select_index(index).run()
    assert not at.exception


def test_claims_distillation_and_contradictions(app):
    goto(app, "claims")
    table = app.dataframe[0].value
    rows = set(zip(table["subject"], table["relation"], table["object"]))
    assert ("DeepSeek", "distilled from", "OpenAI") in rows
    app.checkbox(key="claims_contradictions").check().run()
    contra = app.dataframe[0].value
    assert 0 < len(contra) < len(table)
    assert all(contra["affirming"] > 0) and all(contra["negating"] > 0)
    assert ("DeepSeek", "distilled from", "OpenAI") in set(zip(contra["subject"], contra["relation"], contra["object"]))
    app.selectbox(key="claims_prop").set_value("prop:DeepSeek|distilled_from|OpenAI").run()
    stances = [b for b in cards(app) if "cb-stance" in b]
    assert any('cb-stance cb-denies">denies<' in s and "DeepSeek denied that it distilled" in s for s in stances)
    assert any("cb-asserts" in s or "cb-reports" in s for s in stances)
    n = len(app.session_state.get(common.BASKET, []))
    denial = next(i for i, s in enumerate(stances) if "cb-denies" in s)
    app.button(key=f"stance_{denial}_cite").click().run()
    assert len(app.session_state[common.BASKET]) == n + 1
    assert app.session_state[common.BASKET][-1].quote.startswith("DeepSeek denied that it distilled")


def test_graph_renders_filters_and_exports(app, app_store):
    goto(app, "graph")
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    whole = app.caption[0].value
    app.selectbox(key="graph_entity").set_value("Apple").run()
    assert not app.exception and app.caption[0].value != whole
    assert [b.label for b in app.get("download_button")] == ["Download GraphML", "Download JSON"]
    db = store.connect(app_store)
    g = common_graph(db)
    sub = graph_page.view(g, "DeepSeek", ["distilled_from"])
    assert {d["type"] for _, d in sub.nodes(data=True)} == {"entity", "proposition"}
    assert "prop:DeepSeek|distilled_from|OpenAI" in sub and "prop:Apple|used_model|ChatGPT" not in sub
    path = Path(app_store) / "graph-test.graphml"
    path.write_bytes(graph_page.export_bytes(sub, "graphml"))
    assert set(nx.read_graphml(path).nodes) == set(sub.nodes)
    data = json.loads(graph_page.export_bytes(sub, "json"))
    assert {n["id"] for n in data["nodes"]} == set(sub.nodes)


def test_graph_layout_packs_unconnected_parts_side_by_side(app_store):
    """Each connected part gets its own square: no part overlaps another, the
    drawing is not mostly empty, and the same graph is drawn the same way."""
    db = store.connect(app_store)
    g = common_graph(db)
    pos = graph_page.layout(g)
    assert set(pos) == set(g.nodes)
    parts = list(nx.connected_components(nx.Graph(g.to_undirected(as_view=True))))
    assert len(parts) > 1
    boxes = [(min(pos[n][0] for n in p), max(pos[n][0] for n in p), min(pos[n][1] for n in p),
              max(pos[n][1] for n in p)) for p in parts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2], (a, b)  # apart
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    area = (max(xs) - min(xs)) * (max(ys) - min(ys))
    assert area <= 3.0 * sum(len(p) for p in parts)  # squares of side sqrt(n), packed
    assert graph_page.layout(g) == pos


def common_graph(db):
    from casebase import graph

    return graph.build(store.claims(db), {r["name"]: r for r in store.documents(db)})


# -- escaping -------------------------------------------------------------------------


def unmarked(body: str) -> str:
    return re.sub(r"</?mark[^>]*>", "", body)


def assert_inert(html_bodies: list[str]) -> None:
    for b in html_bodies:
        low = b.lower()
        assert "<script" not in low and "<img" not in low and "<b>bold" not in low, b[:300]
        assert 'href="javascript' not in low


def test_document_text_is_always_escaped(app, app_store):
    db = store.connect(app_store)
    hostile = store.resolve(db, HOSTILE)
    # search card
    found = search_for(app, "zanzibarquux alert")
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in unmarked(c) for c in found)
    assert_inert(bodies(app))
    # document viewer
    app.session_state[common.VIEWER] = {"doc_id": hostile, "page": 1, "line": 11}
    goto(app, "documents")
    view = next(b for b in bodies(app) if "cb-target" in b)
    assert "&lt;img src=x onerror=alert(2)&gt;" in view
    assert "[the filing](javascript:alert(3))" in view  # shown as text, not made a link
    assert_inert(bodies(app))
    assert not any("<script" in m.value.lower() for m in app.markdown)
    # timeline: the dated sentence and its source
    goto(app, "timeline")
    pick_event(app, "2025-02-01")
    assert any("&lt;img src=x onerror=alert(2)&gt;" in b for b in bodies(app))
    assert_inert(bodies(app))
    # claims and citations
    goto(app, "claims")
    app.selectbox(key="claims_prop").set_value("prop:DeepSeek|distilled_from|OpenAI").run()
    assert_inert(bodies(app))
    goto(app, "citations")
    assert_inert(bodies(app))


def test_highlight_escapes_and_marks():
    text = 'a <b>x</b> & "q"'
    out = common.highlight(text, [(3, 4), (11, 12), (20, 30)])
    assert out == 'a &lt;<mark>b</mark>&gt;x&lt;/b&gt; <mark>&amp;</mark> &quot;q&quot;'
    spans = [common.Span(0, 1, "cb-ent", 'say "<hi>"')]
    assert common.highlight("xy", spans) == '<mark class="cb-ent" title="say &quot;&lt;hi&gt;&quot;">x</mark>y'
    assert common.md("[link](javascript:x) *b*") == r"\[link\]\(javascript\:x\) \*b\*"
    excerpt, marks, cut_start, cut_end = common.window("word " * 200 + "target " + "word " * 200,
                                                         [(1000, 1006)], width=100)
    assert excerpt[marks[0][0]:marks[0][1]] == "target" and cut_start and cut_end


# -- ingest ----------------------------------------------------------------------------


def test_safe_names_and_refusals(tmp_path):
    assert ingest_page.safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert ingest_page.safe_name("C:\\Users\\x\\Évidence report (1).PDF") == "Evidence_report_1.pdf"
    assert ingest_page.safe_name("..") == "upload"
    assert ingest_page.safe_name(".hidden.md") == "hidden.md"
    assert ingest_page.safe_name("a" * 300 + ".txt") == "a" * 116 + ".txt"
    assert ingest_page.check_upload("x.txt", 10, limit=100) is None
    assert "cannot read '.exe' files" in ingest_page.check_upload("setup.exe", 10, limit=100)
    assert "upload limit" in ingest_page.check_upload("big.pdf", 101, limit=100)
    assert "empty" in ingest_page.check_upload("e.txt", 0, limit=100)
    first = ingest_page.save_upload(tmp_path, "../a b.txt", b"one")
    assert first == (tmp_path / "uploads" / "a_b.txt").resolve()
    assert ingest_page.save_upload(tmp_path, "a b.txt", b"one") == first  # same content: same file
    second = ingest_page.save_upload(tmp_path, "a b.txt", b"two")
    assert second.name == "a_b-2.txt" and second.read_bytes() == b"two" and first.read_bytes() == b"one"


def test_ingest_page_refuses_and_ingests(tmp_path, monkeypatch, shared):
    folder = tmp_path / "store"
    monkeypatch.setenv("CASEBASE_STORE", str(folder))
    monkeypatch.setenv("CASEBASE_UPLOAD_MAX_MB", "0.05")  # 51 KiB
    at = AppTest.from_file(str(APP), default_timeout=300).run()
    goto(at, "ingest")
    article = (shared / "corpus" / "articles" / XAI_APPLE).read_bytes()
    assert len(article) < 0.05 * 2**20
    at.get("file_uploader")[0].set_value([
        ("../../evil/" + XAI_APPLE, article, "text/plain"),
        ("huge.txt", b"x" * 60_000, "text/plain"),
        ("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
    ]).run()
    errors = re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))  # as Markdown shows them
    assert "huge.txt: refused: the file is 59 KB; the upload limit is 51 KB." in errors
    assert "tool.exe: refused: casebase cannot read '.exe' files. It reads .htm, .html," in errors
    run = at.button(key="ingest_run")
    assert run.label == "Ingest 1 file"
    run.click().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert list(table["result"]) == ["ingested", "refused", "refused"]
    assert list(table["saved as"]) == [XAI_APPLE, "", ""]
    assert sorted(p.name for p in (folder / "uploads").iterdir()) == [XAI_APPLE]  # refusals never written
    assert (folder / "uploads" / XAI_APPLE).read_bytes() == article
    assert not (folder / "evil").exists() and not (tmp_path / "evil").exists()
    db = store.connect(folder)
    assert [r["name"] for r in store.documents(db)] == [XAI_APPLE]
    # the same content again, under another name: recognised, nothing written
    at.get("file_uploader")[0].set_value(("copy of it.txt", article, "text/plain")).run()
    at.button(key="ingest_run").click().run()
    assert list(at.dataframe[0].value["result"]) == ["already in the store"]
    assert sorted(p.name for p in (folder / "uploads").iterdir()) == [XAI_APPLE]
    # the new document is searchable at once
    goto(at, "search")
    assert any("Republic World" in cite_of(c) for c in search_for(at, "App Store rankings"))
