"""Articles: header digests from the shared corpus, generated HTML and Markdown pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebase.parse.article import clean_markup, parse_article_html, parse_article_text
from casebase.parse.textio import decode
from casebase.records import Document, ParseError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLES = SHARED / "corpus" / "articles"
needs_articles = pytest.mark.skipif(not ARTICLES.is_dir(), reason=f"shared corpus not found at {ARTICLES}")
HEADER_KEYS = ("SOURCE", "DATE", "TITLE", "PUBLISHER", "TOPICS", "CONTENT-STATUS")


def parse_corpus_file(name: str) -> Document:
    path = ARTICLES / name
    return parse_article_text(decode(path.read_bytes(), name), name)


def body_lines(name: str) -> list[str]:
    """The file's non-empty lines after its rule line, read independently of the parser."""
    lines = (ARTICLES / name).read_text(encoding="utf-8").split("\n")
    rule = next(i for i, l in enumerate(lines) if re.fullmatch(r"-{10,}", l.strip()))
    return [" ".join(l.split()) for l in lines[rule + 1 :] if l.strip()]


def assert_offsets(doc: Document) -> None:
    text = doc.text
    for page in doc.pages:
        assert [l.number for l in page.lines] == list(range(1, len(page.lines) + 1))
        for line in page.lines:
            assert text[line.char_start : line.char_end] == line.text


# --- the shared corpus --------------------------------------------------------


@needs_articles
def test_every_corpus_article_parses_with_its_header_and_body():
    files = sorted(ARTICLES.glob("*.txt"))
    assert len(files) >= 27
    for path in files:
        doc = parse_corpus_file(path.name)
        assert doc.kind == "article" and doc.path == path.name
        assert set(HEADER_KEYS) <= doc.metadata["header"].keys(), path.name
        assert doc.title and doc.date, path.name
        assert doc.metadata["source_url"].startswith("http"), path.name
        assert doc.metadata["content_status"].startswith("PARAPHRASED DIGEST"), path.name
        assert doc.metadata["topics"], path.name
        assert len(doc.pages) == 1
        texts = [l.text for l in doc.pages[0].lines]
        assert texts == body_lines(path.name), path.name
        for text in texts:  # no header line and no rule line leaked into the body
            assert not re.match(r"(SOURCE|DATE|TITLE|PUBLISHER|TOPICS|CONTENT-STATUS):", text), (path.name, text)
            assert not re.fullmatch(r"-{10,}", text)
        assert_offsets(doc)


@needs_articles
def test_header_fields_of_a_republished_bloomberg_story():
    doc = parse_corpus_file("2025-02-14_coins2day-bloomberg_board-rejects-bid.txt")
    assert doc.title == "'OpenAI is not for sale': Elon Musk's $97.4 billion bid is unanimously rejected by board"
    assert doc.date == "2025-02-14"
    m = doc.metadata
    assert m["source_url"] == "https://coins2day.com/2025/02/14/openai-rejects-elon-musk-97-4-billion-bid"
    assert m["site"] == "coins2day.com"
    assert m["publisher"] == "Coins2Day"
    assert m["publisher_note"] == "republishing Bloomberg; Shirin Ghaffary, Rachel Metz"
    assert m["topics"] == ["musk-v-openai", "97.4B-bid"]
    assert m["date_precision"] == "day" and not m["date_approximate"]
    assert doc.warnings == []
    first = doc.pages[0].lines[0]
    assert first.number == 1
    assert first.text.startswith("OpenAI's board formally and unanimously rejected the Musk consortium's $97.4 billion")


@needs_articles
def test_dates_keep_the_precision_the_header_gives():
    month = parse_corpus_file("2026-02_ndtv-reuters_judge-dismisses-xai-suit-for-now.txt")
    assert month.date == "2026-02"  # "2026-02 (a Tuesday; exact date not in excerpt)": no guessed day
    assert month.metadata["date_precision"] == "month"
    assert month.metadata["date_raw"] == "2026-02 (a Tuesday; exact date not in excerpt)"

    year = parse_corpus_file("2023_ospo_openai-terms-of-use-compete-clause.txt")
    assert (year.date, year.metadata["date_precision"], year.metadata["date_approximate"]) == ("2023", "year", True)
    assert any("approximate" in w for w in year.warnings)

    approx_month = parse_corpus_file("2025-01_moginrubin_interlocking-directorates.txt")
    assert (approx_month.date, approx_month.metadata["date_approximate"]) == ("2025-01", True)

    # the leading date wins over the one in the remark: "2025-01-29 (issue for week of 2025-01-27)"
    issue = parse_corpus_file("2025-01-27_recodechinaai_openai-deepseek-distillation-saga.txt")
    assert issue.date == "2025-01-29"
    assert issue.metadata["publisher"] == "Recode China AI"


@needs_articles
def test_author_named_in_the_publisher_note():
    doc = parse_corpus_file("2024-08-06_zerohedge-epochtimes_musk-revives-lawsuit.txt")
    assert doc.metadata["publisher"] == "ZeroHedge"
    assert doc.metadata["author"] == "Chase Smith"
    assert doc.title == "Elon Musk Revives Lawsuit Against OpenAI And Co-Founders"


@needs_articles
def test_body_keeps_notes_and_legitimate_ampersands():
    doc = parse_corpus_file("2024-03-01_courthousenews_musk-sues-openai-over-ai-threat.txt")
    lines = [l.text for l in doc.pages[0].lines]
    assert lines[0].startswith("Courthouse News describes Musk's Thursday-night lawsuit")
    assert lines[-1] == "NOTES: The stored copy is a Chinese-language mirror site's capture of the English article."
    assert any("counsel Irell & Manella LLP" in l for l in lines)
    assert any("(Cal. Bus. & Prof. Code 17200)" in l for l in lines)
    assert doc.metadata["publisher"] == "Courthouse News Service"
    assert "stray markup removed" not in doc.warnings


@needs_articles
def test_stray_link_fragment_in_a_real_article_is_removed(tmp_path):
    name = "2025-02-11_macrumors_openai-rebuffs-musk-buyout.txt"
    original = (ARTICLES / name).read_text(encoding="utf-8")
    target = "A Musk-led investor group made an unsolicited $97.4 billion offer"
    assert target in original
    damaged = original.replace(target, 'A Musk-led <a href="http://x">investor group</a> made an unsolicited $97.4 billion offer')
    path = tmp_path / name
    path.write_text(damaged, encoding="utf-8")
    doc = parse_article_text(decode(path.read_bytes(), name), name)
    clean = parse_corpus_file(name)
    assert [l.text for l in doc.pages[0].lines] == [l.text for l in clean.pages[0].lines]
    assert "href" not in doc.text and "<a" not in doc.text
    assert "stray markup removed" in doc.warnings


# --- generated pages ---------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Judge sends Musk suit to jury | Example News</title>
<meta name="author" content="Jane Reporter">
<meta property="og:title" content="Judge sends Musk's OpenAI suit to a jury">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.com/tech/musk-openai-jury">
<meta property="article:published_time" content="2026-01-08T14:30:00Z">
<meta property="article:modified_time" content="2026-01-09T09:00:00Z">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({event: "pageview"});</script>
<style>body { font-family: serif; }</style>
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Tech</a></li>
<li><a href="/subscribe">Subscribe now for full access</a></li></ul></nav></header>
<main><article>
<h1>Judge sends Musk's OpenAI suit to a jury</h1>
<p class="byline">By Jane Reporter</p>
<p>OAKLAND, Calif. - A federal judge said on Wednesday that there was enough evidence for a jury to decide
whether OpenAI broke its promise to remain a nonprofit.</p>
<p>U.S. District Judge Yvonne Gonzalez Rogers said she would issue a written order later and set trial
for March. See &lt;a href="http://x.example/order.pdf"&gt;the order and the docket.</p>
<p>Counsel for Musk pointed to <a href="http://x.example/dkt.pdf the docket entry and said the record was clear.</p>
<p>Musk says he gave about $38 million, roughly 60% of early funding, and that AT&amp;T-style conglomerates
were never the plan &amp; that x &lt; y in his telling.</p>
<p>Lawyers for OpenAI called the lawsuit a baseless bid to slow a competitor and said they looked forward
to trial under § 17200 and other statutes.</p>
<script>trackArticle("musk-openai-jury");</script>
</article></main>
<footer><p>Copyright 2026 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def test_html_news_page(tmp_path):
    path = tmp_path / "jury.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    doc = parse_article_html(decode(path.read_bytes(), path.name), path.name)
    assert doc.kind == "article" and doc.path == "jury.html"
    assert doc.title == "Judge sends Musk's OpenAI suit to a jury"
    assert doc.date == "2026-01-08"  # published, not modified
    m = doc.metadata
    assert m["author"] == "Jane Reporter"
    assert m["publisher"] == "Example News"
    assert m["source_url"] == "https://news.example.com/tech/musk-openai-jury"
    assert m["site"] == "news.example.com"
    assert m["date_source"] == "meta"
    assert m["extractor"] == "trafilatura"
    assert len(doc.pages) == 1
    lines = [l.text for l in doc.pages[0].lines]
    text = "\n".join(lines)
    assert any(l.startswith("OAKLAND, Calif. - A federal judge said on Wednesday") for l in lines)
    assert any(l.endswith("set trial for March. See the order and the docket.") for l in lines)
    # the unterminated <a href=" did not swallow the rest of its paragraph
    assert "Counsel for Musk pointed to the docket entry and said the record was clear." in lines
    assert any("AT&T-style conglomerates were never the plan & that x < y in his telling." in l for l in lines)
    assert any("under § 17200" in l for l in lines)
    for junk in ("<a", "href", "</", "&amp;", "&lt;", "dataLayer", "trackArticle", "font-family",
                 "Subscribe now", "Privacy policy", "Copyright 2026", "Home\n"):
        assert junk not in text, junk
    assert "stray markup removed" in doc.warnings
    assert "no date found" not in doc.warnings
    assert_offsets(doc)


def test_html_date_from_url_and_no_title(tmp_path):
    page = (
        '<html><head><link rel="canonical" href="https://www.example.org/2025/02/14/board-rejects-bid/">'
        "</head><body><article><p>The board rejected the offer on Friday, its chairman said in a statement "
        "released to reporters.</p><p>The offer had been made on 2025-02-10 by a consortium.</p></article>"
        "</body></html>"
    )
    doc = parse_article_html(page, "bid.html")
    assert doc.date == "2025-02-14"
    assert doc.metadata["date_source"] == "url"
    assert doc.metadata["site"] == "example.org"
    assert "no title found" in doc.warnings


def test_html_without_a_date_says_so():
    page = (
        "<html><head><title>Short note</title></head><body><div>The hearing was moved after the fire "
        "at counsel's offices, the clerk said.</div></body></html>"
    )
    doc = parse_article_html(page, "note.html")
    assert doc.title == "Short note"
    assert doc.date is None
    assert "no date found" in doc.warnings
    assert [l.text for l in doc.pages[0].lines] == [
        "The hearing was moved after the fire at counsel's offices, the clerk said."
    ]


@pytest.mark.parametrize(
    "page, cause",
    [
        ("", "empty"),
        ("   \n", "empty"),
        ('<html><body><nav><a href="/">Home</a></nav><script>var x = 1;</script></body></html>', "no article text"),
    ],
)
def test_html_without_text_is_refused(page, cause):
    with pytest.raises(ParseError) as err:
        parse_article_html(page, "broken.html")
    message = str(err.value)
    assert message.startswith("broken.html: ") and cause in message and "\n" not in message


MARKDOWN = """---
title: "Judge sets trial date"
date: 2026-04-02
author: Jane Reporter
tags: [musk-v-openai, trial-schedule]
url: https://news.example.com/trial
---

# Judge sets *April* trial date

Jury selection was set for **April 27** in [Oakland federal court](https://example.com/court "court").
The judge said there was _plenty_ of evidence; see the [order][1] and the exhibit_list file.

> "We look forward to trial," a spokesperson said.

- Trial length: about `four` weeks

[1]: https://example.com/order.pdf
"""


def test_markdown_with_front_matter(tmp_path):
    path = tmp_path / "trial.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = parse_article_text(decode(path.read_bytes(), path.name), path.name)
    assert doc.title == "Judge sets trial date"
    assert doc.date == "2026-04-02"
    m = doc.metadata
    assert m["format"] == "markdown"
    assert m["author"] == "Jane Reporter"
    assert m["topics"] == ["musk-v-openai", "trial-schedule"]
    assert m["source_url"] == "https://news.example.com/trial"
    assert m["header"]["TITLE"] == "Judge sets trial date"
    assert [l.text for l in doc.pages[0].lines] == [
        "Judge sets April trial date",
        "Jury selection was set for April 27 in Oakland federal court.",
        "The judge said there was plenty of evidence; see the order and the exhibit_list file.",
        '"We look forward to trial," a spokesperson said.',
        "- Trial length: about four weeks",
    ]
    assert doc.warnings == []


def test_markdown_with_a_header_block_unknown_keys_and_form_feeds():
    text = (
        "SOURCE: https://www.example.com/a\nDATE: February 2025\nTITLE: Bid rejected\nAUTHOR: A. Writer\n"
        "WORD-COUNT: 812\nTOPICS: bid, board\n====\n## The bid\n\nThe board said **no** to the "
        "[offer](http://example.com/offer).\fOn the second page: the chairman's statement.\n"
    )
    doc = parse_article_text(text, "bid.txt")
    assert (doc.title, doc.date, doc.metadata["date_precision"]) == ("Bid rejected", "2025-02", "month")
    assert doc.metadata["author"] == "A. Writer"
    assert doc.metadata["topics"] == ["bid", "board"]
    assert doc.metadata["site"] == "example.com"
    assert doc.metadata["header"]["WORD-COUNT"] == "812"
    assert [(p.number, [(l.number, l.text) for l in p.lines]) for p in doc.pages] == [
        (1, [(1, "The bid"), (2, "The board said no to the offer.")]),
        (2, [(1, "On the second page: the chairman's statement.")]),
    ]
    assert_offsets(doc)


def test_plain_text_without_header():
    doc = parse_article_text("Reuters: the judge ruled today.\nSecond line.\n", "bare.txt")
    assert doc.metadata["header"] == {}
    assert [l.text for l in doc.pages[0].lines] == ["Reuters: the judge ruled today.", "Second line."]
    assert "no date found" in doc.warnings and "no title found" in doc.warnings


@pytest.mark.parametrize(
    "text",
    ["", "SOURCE: https://x.example/a\nDATE: 2025-01-01\n----------\n\n  \n", "<script>var a = 1;</script>\n"],
)
def test_text_without_body_is_refused(text):
    with pytest.raises(ParseError, match=r"^empty\.txt: no article text"):
        parse_article_text(text, "empty.txt")


def test_broken_front_matter_is_refused():
    with pytest.raises(ParseError, match=r"^bad\.md: front matter is not valid YAML"):
        parse_article_text("---\ntitle: [unclosed\n---\nBody.\n", "bad.md")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ('See <a href="http://x">the order</a>.', "See the order."),
        ('see <a href="http://x.example/o.pdf the order', "see the order"),
        ('tail href="http://x.example">link text', "tail link text"),
        ("escaped &lt;a href=&quot;http://x&quot;&gt;text&lt;/a&gt;", "escaped text"),
        ("Fish &amp; chips &amp;amp; more", "Fish & chips & more"),
        ('one</p><p class="x">two', "one\n\ntwo"),
        ('before <script type="text/javascript">var a = "<p>";\n\nrun()</script> after', "before\n after"),
        ("unclosed <script>alert(1)\nstill script\n\nnext paragraph", "unclosed\nnext paragraph"),
        ("kept <!-- a comment --> text", "kept text"),
        # legitimate text stays
        ("x < y and a<b, AT&T, § 1, <5% and R&D; Q&A;", "x < y and a<b, AT&T, § 1, <5% and R&D; Q&A;"),
        ("if <b and c> then <Plaintiff> said", "if <b and c> then <Plaintiff> said"),
    ],
)
def test_clean_markup(raw, clean):
    assert clean_markup(raw) == clean
