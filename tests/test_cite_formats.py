"""Export formats of a citation list, checked by the tools that read them:
CSL-JSON against the official CSL schema, RIS through rispy, BibTeX through
bibtexparser, CSV through csv.DictReader.

The entries are passages of REAL documents: the Musk v. Altman complaint
(Dkt. 1), the order denying the preliminary injunction (Dkt. 121) and the
Sutskever deposition excerpt (Dkt. 340-1) from corpus/filings-text, and, when
../shared is present, four news digests from the shared corpus. Quotes are
the parsed lines' own text; `Entry.text` is written here by hand in the forms
`casebase.cite.lists` produces (full, Id., short).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

bibtexparser = pytest.importorskip("bibtexparser", reason="bibtexparser (test extra) not installed")
rispy = pytest.importorskip("rispy", reason="rispy (test extra) not installed")
jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (test extra) not installed")

from bibtexparser.middlewares import LatexDecodingMiddleware  # noqa: E402

from casebase.cite.formats import (  # noqa: E402
    CSV_COLUMNS, EXPORTS, flag, keys, latex_escape, names, to_bibtex, to_bluebook, to_csl_json, to_csv,
    to_markdown, to_ris,
)
from casebase.cite.forms import Entry, Item, display_title  # noqa: E402
from casebase.parse import parse_file  # noqa: E402
from casebase.records import Document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FILINGS = ROOT / "corpus" / "filings-text"
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "corpus" / "articles"
SCHEMA = Path(__file__).parent / "data" / "csl-data.json"

CASE = "Musk v. Altman"
UNVERIFIED = "quote differs from the record at 4:2 | nearest match 4:2–3"


def passage(doc: Document, page: int, start: int, end: int, footnote: bool = False) -> tuple[str, str | None]:
    """The text of printed lines start..end of a page (body or footnote), and the page's PageID."""
    pg = next(p for p in doc.pages if p.number == page)
    lines = [ln.text for ln in pg.lines if start <= ln.number <= end and ln.footnote == footnote]
    assert lines, f"{doc.path}: no lines {page}:{start}-{end}"
    return " ".join(lines), pg.stamp.page_id if pg.stamp else None


def record_item(doc: Document, page: int, start: int, end: int, *, form: str, pin: str,
                paragraphs: tuple[int, ...] = (), footnote: bool = False) -> Item:
    quote, page_id = passage(doc, page, start, end, footnote)
    assert "Northern District of California" in (doc.court or "")
    return Item(doc=Path(doc.path).name, quote=quote, page=page, line_start=start, line_end=end,
                paragraphs=list(paragraphs), pin=pin, form=form, title=doc.title, kind=doc.kind,
                date=doc.filed or doc.date, event_date=doc.metadata.get("proceeding_date"),
                court="N.D. Cal.", case_name=CASE, case_number=doc.case_number,
                document_number=doc.document_number, page_id=page_id, url=doc.metadata.get("source_url"))


def article_item(name: str, line: int, author: str | None) -> Item:
    doc = parse_file(ARTICLES / name)
    meta = doc.metadata
    if author:  # the digests name the byline in their publisher note
        assert author.split(",")[0] in meta["publisher_note"]
    quote, _ = passage(doc, 1, line, line)
    return Item(doc=name, quote=quote, page=1, line_start=line, line_end=line, title=doc.title,
                kind=doc.kind, date=doc.date, author=author, publisher=meta["publisher"],
                url=meta["source_url"])


@pytest.fixture(scope="module")
def court_entries() -> list[Entry]:
    compl = parse_file(FILINGS / "gov.uscourts.cand.433688.1.0_1.md")
    order = parse_file(FILINGS / "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt")
    dep = parse_file(FILINGS / "musk_v_altman_dkt340-1_sutskever_deposition_excerpt.txt")
    para108 = record_item(compl, 23, 16, 18, form="Compl.", pin="¶ 108", paragraphs=(108,))
    return [
        Entry(para108, "Compl. ¶ 108, ECF No. 1.", True),
        Entry(record_item(compl, 23, 27, 27, form="Compl.", pin="¶ 108 n.5", paragraphs=(108,), footnote=True),
              "Id. ¶ 108 n.5.", True),
        Entry(record_item(compl, 39, 13, 13, form="Compl.", pin="¶ 176", paragraphs=(176,)), "Id. ¶ 176.", True),
        Entry(record_item(compl, 32, 26, 26, form="Compl.", pin="¶ 144 n.16", paragraphs=(144,), footnote=True),
              "Id. ¶ 144 n.16."),
        Entry(record_item(dep, 128, 17, 19, form="Sutskever Dep.", pin="128:17–19"),
              "Sutskever Dep. 128:17–19, Oct. 1, 2025, ECF No. 340-1.", True),
        Entry(record_item(dep, 128, 1, 2, form="Sutskever Dep.", pin="128:1–2"), "Id. at 128:1–2.", True),
        Entry(record_item(order, 4, 1, 2, form="Order Den. Mot. Prelim. Inj.", pin="at 4"),
              "Order Den. Mot. Prelim. Inj. 4, ECF No. 121.", False, UNVERIFIED),
        Entry(para108, "Compl. ¶ 108.", True),
    ]


def news_entries() -> list[Entry]:
    """Four digests: a byline, two bylines, none, a pseudonym; day, month and year dates."""
    sherwood = article_item("2024-12-13_sherwood_openai-elon-wanted-for-profit.txt", 4, "Jon Keegan")
    coins = article_item("2025-02-14_coins2day-bloomberg_board-rejects-bid.txt", 1, "Shirin Ghaffary, Rachel Metz")
    mogin = article_item("2025-01_moginrubin_interlocking-directorates.txt", 2, None)
    ospo = article_item("2023_ospo_openai-terms-of-use-compete-clause.txt", 3, "VanL")
    return [
        Entry(sherwood, "Jon Keegan, OpenAI: Elon literally wanted us to be for-profit!, Sherwood News "
                        "(Dec. 13, 2024).", True),
        Entry(coins, "Shirin Ghaffary & Rachel Metz, 'OpenAI is not for sale': Elon Musk's $97.4 billion bid is "
                     "unanimously rejected by board, Coins2Day (Feb. 14, 2025).", True),
        Entry(mogin, "Key issue in Musk vs. OpenAI and Microsoft: interlocking directorates, Mogin Rubin LLP "
                     "(Jan. 2025).", None),
        Entry(ospo, "VanL, Be Careful With OpenAI's Terms of Use, OSPO.co (2023).", True),
    ]


@pytest.fixture(scope="module")
def article_entries() -> list[Entry]:
    if not ARTICLES.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED} (article digests are not copied into the repo)")
    return news_entries()


@pytest.fixture(scope="module")
def entries(court_entries: list[Entry]) -> list[Entry]:
    """Court documents, plus the news digests where ../shared is present."""
    return court_entries + (news_entries() if ARTICLES.is_dir() else [])


def remarks(entry: Entry) -> list[str]:
    return ([f'"{entry.item.quote}"'] if entry.item.quote else []) + ([flag(entry)] if flag(entry) else [])


def ris_date(iso: str) -> str:
    y, m, d = (iso.split("-") + ["", ""])[:3]
    return f"{y}/{m}/{d}/"


# ----------------------------------------------------------------- registry and empty lists


def test_exports_in_order_each_a_string(entries: list[Entry]) -> None:
    assert list(EXPORTS) == ["bluebook", "markdown", "csv", "ris", "bibtex", "csl-json"]
    assert [ext for _, ext, _ in EXPORTS.values()] == ["txt", "md", "csv", "ris", "bib", "json"]
    for fn, _, mime in EXPORTS.values():
        out = fn(entries)
        assert isinstance(out, str) and out.endswith("\n") and "/" in mime
        assert "Compl. ¶ 108, ECF No. 1." in out


def test_empty_list_gives_an_empty_but_valid_file() -> None:
    assert to_bluebook([]) == ""
    assert to_markdown([]).splitlines() == ["| # | Citation | Quote | Verified |", "|---|---|---|---|"]
    reader = csv.DictReader(io.StringIO(to_csv([])))
    assert list(reader) == [] and tuple(reader.fieldnames or ()) == CSV_COLUMNS
    assert to_ris([]) == "" and rispy.loads(to_ris([])) == []
    lib = bibtexparser.parse_string(to_bibtex([]))
    assert lib.entries == [] and lib.failed_blocks == []
    assert json.loads(to_csl_json([])) == []
    jsonschema.validate([], json.loads(SCHEMA.read_text(encoding="utf-8")))


# ----------------------------------------------------------------- Bluebook and Markdown


def test_bluebook_keeps_list_order_and_marks_unverified(entries: list[Entry]) -> None:
    lines = to_bluebook(entries).splitlines()
    expected = []
    for e in entries:
        expected.append(e.text if e.verified is not False else f"[UNVERIFIED: {UNVERIFIED}] {e.text}")
        expected.append(f'    "{e.item.quote}"')
    assert lines == expected
    assert lines[12] == ("[UNVERIFIED: quote differs from the record at 4:2 | nearest match 4:2–3] "
                         "Order Den. Mot. Prelim. Inj. 4, ECF No. 121.")
    assert lines[11] == '    "Well, you put -- you put these two screenshots in your memo; correct?"'
    assert not any(re.match(r"\d+\.", ln) for ln in lines)  # pastes into a brief: no numbering


def test_markdown_table_escapes_pipes_and_emphasis(entries: list[Entry]) -> None:
    rows = to_markdown(entries).splitlines()[2:]
    assert len(rows) == len(entries)
    for n, (row, e) in enumerate(zip(rows, entries), 1):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 4, row
        plain = [re.sub(r"\\(.)", r"\1", c) for c in cells]
        verified = {True: "yes", False: f"no: {UNVERIFIED}", None: ""}[e.verified]
        assert plain == [str(n), e.text, e.item.quote, verified]
    footnote16 = rows[3]
    assert r"clwainwright?ref\_src=twsrc%5Etfw" in footnote16  # '_' would start emphasis


# ----------------------------------------------------------------- CSV


def cell(value: object) -> str:
    return "" if value is None else ";".join(map(str, value)) if isinstance(value, list) else str(value)


def test_csv_reads_back_to_the_same_rows(entries: list[Entry]) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(entries))))
    assert len(rows) == len(entries)
    for n, (row, e) in enumerate(zip(rows, entries), 1):
        expected = {"n": str(n), "citation": e.text, "quote": e.item.quote,
                    "verified": {True: "yes", False: "no", None: ""}[e.verified], "problem": e.problem}
        expected |= {col: cell(getattr(e.item, col)) for col in CSV_COLUMNS[5:]}
        assert row == expected
    assert rows[0]["paragraphs"] == "108" and rows[0]["date"] == "2024-08-05"
    assert rows[4]["event_date"] == "2025-10-01" and rows[4]["document_number"] == "340-1"
    assert rows[6]["verified"] == "no" and rows[6]["problem"] == UNVERIFIED


# ----------------------------------------------------------------- RIS


def test_ris_round_trips_through_rispy(entries: list[Entry]) -> None:
    records = rispy.loads(to_ris(entries))
    assert len(records) == len(entries)
    for rec, e, key in zip(records, entries, keys(entries)):
        it = e.item
        assert rec["id"] == key and rec["title"] == display_title(it.title)
        assert rec["date"] == ris_date(it.date) and rec["year"] == it.date[:4]
        assert rec["urls"] == [it.url]
        assert rec["notes"] == [e.text] + remarks(e)
        if it.kind == "article":
            assert rec["type_of_reference"] == "NEWS" and rec["secondary_title"] == it.publisher
            assert rec.get("authors", []) == [
                ", ".join((n["family"], n["given"])) if "family" in n else n["literal"] for n in names(it.author)]
        else:  # the tags Zotero reads for a Case: caseName, court, docketNumber, dateDecided, firstPage
            assert rec["type_of_reference"] == "CASE" and rec["secondary_title"] == CASE
            assert rec["publisher"] == "N.D. Cal." and rec["unknown_tag"]["SV"] == [it.case_number]
            assert rec["note"] == f"ECF No. {it.document_number}" and rec["start_page"] == str(it.page)
    assert records[4]["date"] == "2025/10/29/" and records[4]["unknown_tag"]["SV"] == ["4:24-cv-04722-YGR"]
    assert records[6]["notes"][-1] == f"[UNVERIFIED: {UNVERIFIED}]"


def test_ris_articles_authors_and_partial_dates(article_entries: list[Entry]) -> None:
    sherwood, coins, mogin, ospo = rispy.loads(to_ris(article_entries))
    assert sherwood["authors"] == ["Keegan, Jon"]
    assert coins["authors"] == ["Ghaffary, Shirin", "Metz, Rachel"]
    assert "authors" not in mogin and ospo["authors"] == ["VanL"]
    assert (mogin["date"], mogin["year"]) == ("2025/01//", "2025")
    assert (ospo["date"], ospo["year"]) == ("2023///", "2023")
    assert coins["title"] == "'OpenAI is not for sale': Elon Musk's $97.4 billion bid is unanimously rejected by board"


# ----------------------------------------------------------------- BibTeX


def test_bibtex_parses_and_special_characters_survive(entries: list[Entry]) -> None:
    text = to_bibtex(entries)
    raw = bibtexparser.parse_string(text)
    assert raw.failed_blocks == [] and len(raw.entries) == len(entries)
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert decoded.failed_blocks == []
    seen = ""
    for r, d, e, key in zip(raw.entries, decoded.entries, entries, keys(entries)):
        it = e.item
        f, g = r.fields_dict, {k: v.value for k, v in d.fields_dict.items()}
        assert r.key == key and r.entry_type == ("article" if it.kind == "article" else "misc")
        assert g["title"] == display_title(it.title) and g["note"] == e.text
        assert g["annote"] == " ".join(remarks(e))
        assert f["url"].value == it.url and f["date"].value == it.date and f["year"].value == it.date[:4]
        if it.kind == "article":
            assert g["journal"] == it.publisher
        else:
            assert g["howpublished"] == f"{CASE}, No. {it.case_number} (N.D. Cal.), ECF No. {it.document_number}"
            assert f["pages"].value == str(it.page)
        seen += g["note"] + g["annote"]
    for ch in ("&", "%", "$", "_", "§", "¶", "–", "“", "”", "’", "--"):
        assert ch in seen, ch  # the real passages carry each of these
    assert re.search(r"(?<!\\)[&%$#_]", "".join(v.value for e in raw.entries for k, v in e.fields_dict.items()
                                              if k not in ("url",))) is None


def test_bibtex_articles_authors(article_entries: list[Entry]) -> None:
    lib = bibtexparser.parse_string(to_bibtex(article_entries), append_middleware=[LatexDecodingMiddleware()])
    authors = [e.fields_dict.get("author") for e in lib.entries]
    assert [a.value if a else None for a in authors] == ["Keegan, Jon", "Ghaffary, Shirin and Metz, Rachel",
                                                          None, "VanL"]
    assert lib.entries[1]["title"].startswith("'OpenAI is not for sale': Elon Musk's $97.4 billion")


def test_latex_escape_each_special_character() -> None:
    assert latex_escape("a\\b {c} & 7.6% $69 #5 x_y ~ ^ -- § ¶ – “q”") == (
        r"a\textbackslash{}b \{c\} \& 7.6\% \$69 \#5 x\_y \textasciitilde{} \textasciicircum{} -{}- § ¶ – “q”")


# ----------------------------------------------------------------- CSL-JSON


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_csl_json_validates_against_the_csl_schema(entries: list[Entry], validator) -> None:
    records = json.loads(to_csl_json(entries))
    assert list(validator.iter_errors(records)) == []
    assert [r["id"] for r in records] == keys(entries)
    for rec, e in zip(records, entries):
        it = e.item
        assert rec["note"] == e.text and rec["title"] == display_title(it.title) and rec["URL"] == it.url
        assert rec["issued"] == {"date-parts": [[int(p) for p in it.date.split("-")]]}
        if it.kind != "article":
            assert rec["type"] == "legal_case" and rec["authority"] == "N.D. Cal."
            assert (rec["number"], rec["container-title"]) == (it.case_number, CASE)
            assert rec["locator"] == it.pin.removeprefix("at ")
    assert records[4]["event-date"] == {"date-parts": [[2025, 10, 1]]}
    assert records[0]["locator"] == "¶ 108" and records[6]["locator"] == "4"
    assert records[6]["annote"].endswith(f"[UNVERIFIED: {UNVERIFIED}]")


def test_csl_json_articles(article_entries: list[Entry], validator) -> None:
    sherwood, coins, mogin, ospo = records = json.loads(to_csl_json(article_entries))
    assert validator.is_valid(records)
    assert {r["type"] for r in records} == {"article-newspaper"}
    assert sherwood["author"] == [{"family": "Keegan", "given": "Jon"}]
    assert coins["author"] == [{"family": "Ghaffary", "given": "Shirin"}, {"family": "Metz", "given": "Rachel"}]
    assert "author" not in mogin and ospo["author"] == [{"literal": "VanL"}]
    assert mogin["issued"] == {"date-parts": [[2025, 1]]} and ospo["issued"] == {"date-parts": [[2023]]}
    assert coins["container-title"] == "Coins2Day"


def test_csl_schema_rejects_what_is_not_csl(court_entries: list[Entry], validator) -> None:
    good = json.loads(to_csl_json(court_entries[:1]))[0]
    assert validator.is_valid([good])
    for bad in ({**good, "pin": "¶ 108"},  # not a CSL variable
                {**good, "issued": "2024-08-05"},  # dates are objects
                {**good, "author": [{"name": "Jon Keegan"}]},
                {k: v for k, v in good.items() if k != "id"}):
        assert not validator.is_valid([bad]), bad


# ----------------------------------------------------------------- keys and names


def test_keys_are_unique_and_stable(entries: list[Entry]) -> None:
    ks = keys(entries)
    assert len(set(ks)) == len(ks) and ks == keys(entries)
    assert ks[:8] == ["musk-altman-ecf1-p23", "musk-altman-ecf1-p23-2", "musk-altman-ecf1-p39",
                      "musk-altman-ecf1-p32", "musk-altman-ecf340-1-p128", "musk-altman-ecf340-1-p128-2",
                      "musk-altman-ecf121-p4", "musk-altman-ecf1-p23-3"]
    assert all(re.fullmatch(r"[a-z0-9-]+", k) for k in ks)


def test_names_read_bylines() -> None:
    assert names("Shirin Ghaffary and Rachel Metz") == [{"family": "Ghaffary", "given": "Shirin"},
                                                        {"family": "Metz", "given": "Rachel"}]
    assert names("Keegan, Jon") == [{"family": "Keegan", "given": "Jon"}]
    assert names("By Jon Keegan, Jr.") == [{"family": "Keegan", "given": "Jon", "suffix": "Jr."}]
    assert names("Associated Press") == [{"literal": "Associated Press"}]
    assert names(None) == [] and names("") == []
