"""News articles: HTML pages, and plain-text or Markdown digests with a header.

A digest in the corpus reads::

    SOURCE: https://example.com/story
    DATE: 2025-02 (approx.)
    TITLE: ...
    PUBLISHER: Example News (citing Reuters)
    TOPICS: musk-v-openai; 97.4B-bid
    CONTENT-STATUS: PARAPHRASED DIGEST ...
    ----------------------------------------------------------------------
    body text, one printed line per line

Both parsers return one `Document(kind="article")` whose lines are the body's
non-empty lines, numbered 1.. on each page (pages split at form feeds), so a
citation reads "article, page 1, line 7". Dates keep the precision the source
gives (``2025-02-14``, ``2025-02``, ``2023``): a month is never rounded to a day.
"""

from __future__ import annotations

import copy
import html as htmllib
import re
from datetime import date as Date
from typing import Any
from urllib.parse import urlparse

from ..records import Document, Line, Page, ParseError

# --- stray markup -----------------------------------------------------------

# Element names we are willing to strip. A fixed list keeps "x < y", "<5%" and
# "<Plaintiff>" intact: only things that are certainly HTML go.
_TAGS = (
    "a abbr address article aside audio b bdi bdo big blockquote body br button canvas caption "
    "center cite code col colgroup data dd del details dfn dialog div dl dt em embed fieldset "
    "figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input "
    "ins kbd label legend li link main mark meta nav noscript object ol optgroup option p param "
    "picture pre q s samp section select small source span strike strong sub summary sup svg "
    "table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr"
).split()
_TAG_NAME = r"(?:" + "|".join(sorted(_TAGS, key=len, reverse=True)) + r")"
_BLOCK_TAGS = r"(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer|figure|hr|pre|dd|dt)"
_ATTR_VALUE = r"""(?:"[^"<>\n]*"|'[^'<>\n]*'|[^\s"'=<>`]+)"""
_ATTR = r"""[^\s"'<>/=]+(?:\s*=\s*""" + _ATTR_VALUE + r")?"

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_COMMENT = re.compile(r"<!--.*?(?:-->|\n\s*\n|$)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_SCRIPT_OPEN = re.compile(r"<(?:script|style)\b[^>]*>.*?(?:\n\s*\n|$)", re.S | re.I)  # never closed


def _tag_pattern(names: str) -> re.Pattern[str]:
    """A closing tag, a bare tag, or a tag with at least one name=value attribute
    (so "<b and c>" in prose is not taken for a tag)."""
    return re.compile(
        r"</" + names + r"\s*>"
        r"|<" + names + r"\s*/?>"
        r"|<" + names + r"(?=\s[^<>]*=)(?:\s+" + _ATTR + r")+\s*/?>",
        re.I,
    )


_BLOCK_TAG = _tag_pattern(_BLOCK_TAGS)  # becomes a line break, so paragraphs stay apart
_TAG = _tag_pattern(_TAG_NAME)
# What is left of a tag cut short: `<a href="http://x` with no closing quote or `>`.
_BROKEN_TAG = re.compile(
    r"<" + _TAG_NAME + r"""\s+[\w:-]+\s*=\s*["']?[^"'\s<>]*["']?"""
    r"(?:\s+[\w:-]+\s*=\s*" + _ATTR_VALUE + r")*\s*/?>?",
    re.I,
)
# The tail of a tag whose start was lost: `href="http://x">`.
_ATTR_TAIL = re.compile(r"""(?<![\w/])(?:href|src)\s*=\s*(?:"[^"\n]*"|'[^'\n]*')\s*/?>""", re.I)


def clean_markup(text: str) -> str:
    """Remove HTML that leaked into article text: tags and tag fragments,
    script and style bodies, comments, and character entities.

    Why: scraped text keeps bits of markup (`<a href="...">`, `</p>`, `&amp;`)
    that would otherwise be indexed and quoted as if the author wrote them.
    Only certain HTML goes: "x < y", "§ 1", "AT&T" and "<5%" stay.
    """
    for _ in range(3):  # "&amp;lt;" is markup escaped twice
        unescaped = _ENTITY.sub(lambda m: htmllib.unescape(m.group()), text)
        if unescaped == text:
            break
        text = unescaped
    text = text.replace("\xa0", " ")
    text = _COMMENT.sub("", text)
    text = _SCRIPT.sub("\n", text)
    text = _SCRIPT_OPEN.sub("\n", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    text = _BROKEN_TAG.sub("", text)
    text = _ATTR_TAIL.sub("", text)
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)  # where a tag was cut out
    return re.sub(r"[ \t]+(?=\n|$)", "", text)


# --- dates ------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_PATTERNS = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)",
    r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)",  # US style
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)",  # European style
    r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b",
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})\b",
)
_MONTH_PATTERNS = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})(?![\d-])",
    r"(?P<y>\d{4})/(?P<m>\d{1,2})(?![\d/])",
    r"\b" + _MONTH + r",?\s+(?P<y>\d{4})\b",
)
_YEAR_PATTERNS = (r"(?<!\d)(?P<y>(?:19|20)\d{2})(?!\d)",)
_DATE_PATTERNS = [
    (re.compile(p, re.I), precision)
    for patterns, precision in ((_DAY_PATTERNS, "day"), (_MONTH_PATTERNS, "month"), (_YEAR_PATTERNS, "year"))
    for p in patterns
]
_APPROX = re.compile(r"\b(?:approx|approximately|circa|ca\.|about|around|est\.?|estimated)\b|^~", re.I)


def _iso_date(raw: str) -> tuple[str | None, str | None]:
    """ISO date at the precision `raw` gives, and that precision.

    "2025-02 (a Tuesday)" is "2025-02", not a guessed day. The date that opens
    the string wins over one in a trailing remark ("2025-01-29 (week of
    2025-01-27)"); failing that, the most precise date anywhere in it.
    """
    raw = raw.strip()
    found = []
    for pattern, precision in _DATE_PATTERNS:
        m = pattern.search(raw)
        if m:
            iso = _valid(m, precision)
            if iso:
                found.append((m.start() > 0, iso, precision))
    if not found:
        return None, None
    found.sort(key=lambda f: f[0])  # stable: at-start first, then day > month > year
    _, iso, precision = found[0]
    return iso, precision


def _valid(m: re.Match[str], precision: str) -> str | None:
    g = m.groupdict()
    year = int(g["y"])
    month = _MONTHS[g["mon"].lower()] if g.get("mon") else int(g.get("m") or 1)
    day = int(g.get("d") or 1)
    try:
        Date(year, month, day)
    except ValueError:
        return None
    return {"day": f"{year:04d}-{month:02d}-{day:02d}", "month": f"{year:04d}-{month:02d}", "year": f"{year:04d}"}[
        precision
    ]


# --- plain text and Markdown -------------------------------------------------

# Header keys we understand, by the field they fill. Others are kept in the raw header.
_KEYS = {
    "source_url": ("SOURCE", "URL", "SOURCE-URL", "LINK", "CANONICAL", "CANONICAL-URL"),
    "date": ("DATE", "PUBLISHED", "PUBLISHED-DATE", "DATE-PUBLISHED", "PUBLICATION-DATE", "PUBDATE"),
    "title": ("TITLE", "HEADLINE"),
    "publisher": ("PUBLISHER", "SITE", "SITE-NAME", "SITENAME", "OUTLET", "PUBLICATION", "SOURCE-NAME"),
    "author": ("AUTHOR", "AUTHORS", "BYLINE", "BY"),
    "topics": ("TOPICS", "TAGS", "KEYWORDS", "CATEGORIES"),
    "content_status": ("CONTENT-STATUS", "STATUS"),
}
_KNOWN = {k for keys in _KEYS.values() for k in keys}
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+){0,3}):(?:\s+(?P<value>.*))?$")
_RULE = re.compile(r"^\s*([-=_*~])(?:\s*\1){2,}\s*$")
_MD_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_MD_SIGNS = re.compile(r"^#{1,6}\s+\S|\[[^\]\n]+\]\([^)\s]+\)|^---\s*$\n(?=.*:)", re.M)


def parse_article_text(text: str, name: str) -> Document:
    """Parse a plain-text or Markdown article with an optional header block
    (`KEY: value` lines ended by a rule line, or Markdown YAML front matter)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    markdown = name.lower().endswith(_MD_SUFFIXES) or bool(_MD_SIGNS.search(text))
    header, body = _split_header(text, name)
    cleaned = clean_markup(body)
    warnings = ["stray markup removed"] if cleaned.split() != body.split() else []
    if markdown:
        cleaned = _strip_markdown(cleaned)
    fields = _fields(header)
    title = fields["title"]
    if not title and markdown:
        heading = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.M)
        title = clean_markup(_strip_markdown(heading.group(1))).strip() if heading else None
    doc = _document(name, cleaned, title, fields["date"], warnings)
    publisher, publisher_note = _split_note(fields["publisher"])
    source = fields["source_url"]
    if source and not _looks_like_url(source):  # "SOURCE: Reuters" names a publisher
        publisher, source = publisher or source, None
    doc.metadata.update(
        format="markdown" if markdown else "text",
        source_url=source,
        publisher=publisher,
        publisher_note=publisher_note,
        site=_site(source),
        author=fields["author"] or _author_in_note(publisher_note),
        topics=_topics(fields["topics"]),
        content_status=fields["content_status"],
        header=header,
    )
    return doc


def _split_header(text: str, name: str) -> tuple[dict[str, Any], str]:
    """The header block as a dict (keys upper-cased, `-` for `_`/space) and the body."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and lines[start].strip() == "---":
        front = _front_matter(lines, start, name)
        if front is not None:
            return front
    header: dict[str, Any] = {}
    last = None
    i = start
    while i < len(lines):
        line = lines[i]
        m = _HEADER_LINE.match(line)
        if m and not line[:1].isspace():
            last = _norm_key(m.group("key"))
            header[last] = (m.group("value") or "").strip()
        elif last and line[:1].isspace() and line.strip() and not _RULE.match(line):
            header[last] = f"{header[last]} {line.strip()}".strip()  # continuation line
        else:
            break
        i += 1
    ruled = i < len(lines) and bool(_RULE.match(lines[i])) and bool(header)
    if not header or not (ruled or _KNOWN & header.keys()):
        return {}, text
    return header, "\n".join(lines[i + 1 if ruled else i :])


def _front_matter(lines: list[str], start: int, name: str) -> tuple[dict[str, Any], str] | None:
    """YAML front matter between `---` lines, as Markdown sites write it."""
    import yaml

    for end in range(start + 1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[start + 1 : end]))
    except yaml.YAMLError as e:
        raise ParseError(f"{name}: front matter is not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(data, dict):
        return None
    header = {_norm_key(str(k)): _plain(v) for k, v in data.items()}
    return header, "\n".join(lines[end + 1 :])


def _plain(value: Any) -> Any:
    """YAML values as header strings: dates as ISO text, lists kept as lists."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return "" if value is None else str(value)


def _norm_key(key: str) -> str:
    return re.sub(r"[\s_]+", "-", key.strip()).upper()


def _fields(header: dict[str, Any]) -> dict[str, Any]:
    """Pick each known field from the header: the first of its key spellings present."""
    out: dict[str, Any] = {}
    for field, keys in _KEYS.items():
        value = next((header[k] for k in keys if header.get(k) not in (None, "", [])), None)
        if isinstance(value, str):
            value = clean_markup(value).strip() or None
        out[field] = value
    return out


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.M), r)
    for p, r in (
        (r"^\s{0,3}\[[^\]\n]+\]:\s+\S+.*$", ""),  # reference definition
        (r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", r"\1"),  # ATX heading
        (r"^\s{0,3}(?:=+|-+)\s*$", ""),  # setext underline, rule
        (r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$", ""),  # rule
        (r"^\s{0,3}>\s?", ""),  # block quote
        (r"!\[([^\]\n]*)\]\([^)\n]*\)", r"\1"),  # image: its alt text
        (r"\[([^\]\n]+)\]\((?:[^()\s]|\([^)\s]*\))*(?:\s+\"[^\"\n]*\")?\)", r"\1"),  # inline link
        (r"\[([^\]\n]+)\]\[[^\]\n]*\]", r"\1"),  # reference link
        (r"<((?:https?|mailto):[^>\s]+)>", r"\1"),  # autolink
        (r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),  # strong
        (r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", r"\1"),  # emphasis
        (r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)", r"\1"),
        (r"~~(?=\S)(.+?)(?<=\S)~~", r"\1"),  # strikethrough
        (r"(`+)(.+?)\1", r"\2"),  # code span
        (r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1"),  # backslash escape
    )
)


def _strip_markdown(text: str) -> str:
    """Markdown to the words a reader sees: no `#`, `*`, `_` or link targets."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text


# --- HTML -------------------------------------------------------------------

# `<a href="http://x the order` (quote never closed) or `<a href="http://x"the order`
# (no `>`): lxml reads the rest of the paragraph as attributes and the words vanish.
_OPEN_URL_TAG = re.compile(
    r"""<(?P<tag>a|img|iframe|link|source)\s+(?P<attr>href|src)\s*=\s*["']?(?P<url>[^"'\s<>]*)["']?""", re.I
)
_WELL_FORMED = re.compile(r"<[A-Za-z][\w:-]*(?:\s+" + _ATTR + r")*\s*/?>")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _repair_html(page: str) -> str:
    """Close start tags that were cut short so their text survives parsing."""

    def fix(m: re.Match[str]) -> str:
        if _WELL_FORMED.match(page, m.start()):
            return m.group()
        return f'<{m.group("tag")} {m.group("attr")}="{m.group("url")}">'

    return _OPEN_URL_TAG.sub(fix, page)


_DATE_XPATHS = (
    '//meta[@property="article:published_time" or @property="og:article:published_time"'
    ' or @name="article:published_time" or @itemprop="datePublished" or @name="pubdate"'
    ' or @name="publishdate" or @name="date" or @name="dc.date" or @name="DC.date.issued"'
    ' or @name="dcterms.created" or @name="sailthru.date" or @name="parsely-pub-date"]/@content',
    '//*[@itemprop="datePublished"]/@datetime',
    "//time[@pubdate]/@datetime",
    "//article//time/@datetime",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "iframe", "svg", "button", "template")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption")


def parse_article_html(text: str, name: str) -> Document:
    """Parse a news page: main text, title, author, date, site and URL.

    trafilatura finds the article among navigation, footers and scripts; when
    it finds nothing we fall back to the page's paragraphs as lxml reads them.
    The date comes from the page's publication tags or its URL; a date htmldate
    can only infer from the page's text is kept but flagged, since an article's
    text is full of the dates of the events it reports.
    """
    import lxml.html
    import trafilatura
    from lxml import etree

    page = _XML_DECL.sub("", _repair_html(text))
    if not page.strip():
        raise ParseError(f"{name}: empty HTML file")
    try:
        tree = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as e:
        raise ParseError(f"{name}: not readable as HTML ({e})") from None

    warnings: list[str] = []
    paragraphs = _lxml_text(copy.deepcopy(tree))
    if not paragraphs:  # whatever trafilatura finds would be menus and footers
        raise ParseError(f"{name}: no article text in the HTML (only navigation, scripts or boilerplate)")
    found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    body = (found.text or "").strip() if found else ""
    extractor = "trafilatura"
    if not body:
        body, extractor = paragraphs, "lxml"
        warnings.append("trafilatura found no main text; used the page's paragraphs")

    cleaned = clean_markup(body)
    if cleaned.split() != body.split():
        warnings.append("stray markup removed")
    title = (found.title if found else None) or _meta(tree, '//meta[@property="og:title"]/@content') or _first(
        tree, "//title"
    ) or _first(tree, "//h1")
    url = (found.url if found else None) or _meta(
        tree, '//link[@rel="canonical"]/@href|//meta[@property="og:url"]/@content'
    )
    date_raw, date_source = _html_date(tree, page, url)
    if not date_raw and found and found.date:
        date_raw, date_source = found.date, "htmldate"
        warnings.append(f"date {found.date} inferred by htmldate from the page, not from a publication tag")
    author = (found.author if found else None) or _meta(
        tree, '//meta[@name="author" or @property="article:author" or @name="byl"]/@content'
    )
    sitename = (found.sitename if found else None) or _meta(tree, '//meta[@property="og:site_name"]/@content')
    topics = [*((found.categories or []) if found else []), *((found.tags or []) if found else [])]

    doc = _document(name, cleaned, clean_markup(title).strip() if title else None, date_raw, warnings)
    doc.metadata.update(
        format="html",
        extractor=extractor,
        source_url=url,
        publisher=sitename,
        site=_site(url),
        author=clean_markup(author).strip() if author else None,
        topics=_topics(topics),
        content_status=None,
        description=found.description if found else None,
        date_source=date_source if doc.date else None,
        header={},
    )
    return doc


def _html_date(tree: Any, page: str, url: str | None) -> tuple[str | None, str | None]:
    """The publication date the page declares (meta, JSON-LD, <time>), else the URL's."""
    for xpath in _DATE_XPATHS:
        for value in tree.xpath(xpath):
            if _iso_date(str(value))[0]:
                return str(value), "meta"
    for value in _JSONLD_DATE.findall(page):
        if _iso_date(value)[0]:
            return value, "json-ld"
    m = _URL_DATE.search(url or "")
    if m:
        return "-".join(m.groups()), "url"
    return None, None


def _lxml_text(tree: Any) -> str:
    """The page's text blocks, skipping navigation, scripts and footers."""
    for bad in tree.xpath("|".join(f"//{t}" for t in _NOISE)):
        bad.drop_tree()
    roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body") or [tree]
    root = roots[0]
    blocks = [b for b in root.iter(*_BLOCKS) if not any(a.tag in _BLOCKS for a in b.iterancestors())]
    parts = [b.text_content() for b in blocks] if blocks else root.text_content().split("\n")
    return "\n".join(" ".join(p.split()) for p in parts if p.strip())


def _meta(tree: Any, xpath: str) -> str | None:
    values = [str(v).strip() for v in tree.xpath(xpath) if str(v).strip()]
    return values[0] if values else None


def _first(tree: Any, xpath: str) -> str | None:
    for el in tree.xpath(xpath):
        value = " ".join(el.text_content().split())
        if value:
            return value
    return None


# --- shared -----------------------------------------------------------------


def _document(name: str, body: str, title: str | None, date_raw: str | None, warnings: list[str]) -> Document:
    """Pages (split at form feeds) of non-empty lines, numbered 1.. per page."""
    pages = []
    for number, chunk in enumerate(body.split("\f"), start=1):
        texts = [" ".join(l.split()) for l in chunk.split("\n")]
        lines = [Line(number=i, text=t) for i, t in enumerate((t for t in texts if t), start=1)]
        pages.append(Page(number=number, lines=lines))
    pages = [p for p in pages if p.lines]
    for i, p in enumerate(pages, start=1):
        p.number = i
    if not pages:
        raise ParseError(f"{name}: no article text")
    iso, precision = _iso_date(date_raw) if date_raw else (None, None)
    metadata: dict[str, Any] = {"date_raw": date_raw, "date_precision": precision, "date_approximate": False}
    if not date_raw:
        warnings.append("no date found")
    elif not iso:
        warnings.append(f"date not understood: {date_raw!r}")
    elif _APPROX.search(date_raw):
        metadata["date_approximate"] = True
        warnings.append(f"date is approximate: {date_raw!r}")
    if not title:
        warnings.append("no title found")
    doc = Document(path=name, kind="article", pages=pages, title=title, date=iso, metadata=metadata, warnings=warnings)
    doc.assign_offsets()
    return doc


def _split_note(value: str | None) -> tuple[str | None, str | None]:
    """ "NDTV (Reuters copy)" -> ("NDTV", "Reuters copy")."""
    if not value:
        return None, None
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", value)
    if m and m.group(1):
        return m.group(1), m.group(2)
    return value, None


def _author_in_note(note: str | None) -> str | None:
    """An author the publisher note names explicitly: "(republishing X, by Chase Smith)"."""
    m = re.search(r"\bby\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3})", note or "")
    return m.group(1) if m else None


def _topics(value: Any) -> list[str]:
    if not value:
        return []
    items = value if isinstance(value, list) else re.split(r"[;,]" if ";" not in value else ";", value)
    out: list[str] = []
    for item in items:
        item = str(item).strip()
        if item and item not in out:
            out.append(item)
    return out


def _looks_like_url(value: str) -> bool:
    return bool(re.match(r"^(?:https?://|www\.)\S+$", value.strip(), re.I))


def _site(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url if "//" in url else f"//{url}").hostname
    return host[4:] if host and host.startswith("www.") else host
