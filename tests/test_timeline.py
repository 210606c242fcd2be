"""The timeline: docket entries, dated statements with pin cites, merging, disputes.

Expected dates, pages and lines were read from the files themselves: the
Musk v. Altman docket index, the order denying the preliminary injunction
(Dkt. 121), the hearing transcript (Dkt. 109) and news digests in
../shared/corpus/articles.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from casebase import aliases, store, timeline
from casebase.ingest import ingest
from casebase.parse import parse_file
from casebase.parse.docket import docket_kind, load_docket
from casebase.records import ParseError
from casebase.timeline import (
    Event,
    build_timeline,
    cite,
    date_span,
    docket_events,
    document_events,
    find_dates,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus"
DOCKET = REPO / "corpus" / "dockets" / "musk_v_altman_4-24-cv-04722"
TEXT = REPO / "corpus" / "filings-text"
ORDER = TEXT / "musk_v_altman_dkt121_order_denying_PI_2025-03-04.txt"
HEARING = TEXT / "gov.uscourts.cand.433688.109.0.md"
ARTICLES = SHARED / "articles"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared corpus not found at {SHARED}")


def the(events: list[Event], date: str, cite_text: str) -> Event:
    """The one event on `date` with a source cited as `cite_text`."""
    found = [e for e in events if e.date == date and any(s.cite == cite_text for s in e.sources)]
    assert len(found) == 1, [(e.date, [s.cite for s in e.sources]) for e in events if e.date == date]
    return found[0]


def source(event: Event, cite_text: str):
    return next(s for s in event.sources if s.cite == cite_text)


@pytest.fixture(scope="module")
def docket():
    return load_docket(DOCKET)


@pytest.fixture(scope="module")
def order():
    return parse_file(ORDER)


# --------------------------------------------------------------------------- docket


def test_musk_docket_entries_have_numbers_dates_and_kinds(docket):
    assert len(docket) == 111
    by_number = {e.number: e for e in docket}
    assert {e.case_number for e in docket} == {"4:24-cv-04722-YGR"}
    assert (by_number["1"].filed, by_number["1"].kind) == ("2024-08-05", "complaint")
    assert (by_number["46"].filed, by_number["46"].kind) == ("2024-11-29", "motion")
    assert (by_number["121"].filed, by_number["121"].kind) == ("2025-03-04", "order")
    assert (by_number["110"].filed, by_number["110"].kind) == ("2025-02-04", "hearing")
    assert (by_number["109"].filed, by_number["109"].kind) == ("2025-02-06", "transcript")
    assert (by_number["147"].filed, by_number["147"].kind) == ("2025-04-09", "answer")
    assert by_number["335"].kind == "motion"  # "MOTION for Order to Show Cause" is a motion
    assert by_number["337"].filed is None  # the index has no date for it
    assert by_number["121"].cite == "Dkt. 121"
    assert by_number["32"].notes.startswith("108p")


def test_docket_tsv_index_matches_the_json(docket):
    tsv = load_docket(DOCKET / "docket_entries_partial.tsv")
    assert [(e.case_number, e.number, e.filed, e.description, e.kind) for e in tsv] == \
           [(e.case_number, e.number, e.filed, e.description, e.kind) for e in docket]


@needs_shared
def test_juriscraper_docket_json_with_attachments_and_minute_entries():
    entries = load_docket(SHARED / "dockets" / "juriscraper_pacer_district" / "cand_7.json")
    att = next(e for e in entries if e.number == "1-1")
    parent = next(e for e in entries if e.number == "1")
    assert att.description == "Civil Cover Sheet" and att.filed == parent.filed
    history = load_docket(SHARED / "dockets" / "juriscraper_docket_history" / "cand_299226.json")
    unnumbered = [e for e in history if e.number is None]
    assert unnumbered and unnumbered[0].filed == "2016-05-27"
    assert unnumbered[0].cite == "Docket entry of 2016-05-27"


def test_docket_kind_reads_the_opening_words():
    assert docket_kind("Notice of Motion and Motion for Preliminary Injunction filed by Elon Musk") == "motion"
    assert docket_kind("APPLICATION FOR ADMISSION OF ATTORNEY PRO HAC VICE; ORDER by Judge Yvonne "
                       "Gonzalez Rogers Granting 15 Motion") == "order"
    assert docket_kind("STIPULATION WITH PROPOSED ORDER re Response to Complaint") == "stipulation"
    assert docket_kind("TRANSCRIPT ORDER for proceedings held on 2/4/2025") == "transcript_order"


@pytest.mark.parametrize("name, content, message", [
    ("empty.json", "", "empty file"),
    ("list.json", "[1, 2]", "not a docket (no 'docket_entries' list)"),
    ("broken.json", '{"docket_entries": [', "not valid JSON"),
    ("bad_date.json", json.dumps({"docket_entries": [{"document_number": "1", "date_filed": "5 May"}]}),
     "date '5 May' is not an ISO date"),
    ("index.tsv", "number\tdate\n1\t2024-01-01\n", "not a docket index (missing column(s)"),
    ("docket.xml", "<docket/>", "unsupported docket format '.xml'"),
])
def test_bad_docket_files_raise_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParseError) as err:
        load_docket(path)
    text = str(err.value)
    assert text.startswith(name) and message in text and "\n" not in text


def test_docket_gives_filings_and_the_hearings_held(docket, tmp_path):
    events = docket_events(docket)
    hearings = [e for e in events if e.kind == "hearing"]
    # Minute entry 110 and transcript 109 say the PI hearing was held on 4 February 2025.
    assert {(e.date, e.sources[0].cite) for e in hearings} >= {
        ("2025-02-04", "Dkt. 110"), ("2025-02-04", "Dkt. 109"), ("2025-04-04", "Dkt. 149"),
        ("2025-04-04", "Dkt. 144"), ("2025-07-01", "Dkt. 197")}
    db = store.connect(tmp_path)
    merged = build_timeline(db, docket=docket)
    hearing = [e for e in merged if e.date == "2025-02-04" and e.kind == "hearing"]
    assert len(hearing) == 1
    assert {s.cite for s in hearing[0].sources} == {"Dkt. 105", "Dkt. 109", "Dkt. 110"}
    filed = the(merged, "2025-02-06", "Dkt. 109")  # the transcript's own filing stays its own event
    assert filed.kind == "transcript" and not filed.disputed
    assert [e.date for e in merged] == sorted(e.date for e in merged)


# --------------------------------------------------------------------------- dates


def test_find_dates_keeps_the_precision_stated():
    text = "Musk was a member of OpenAI from its inception through his resignation in February 2018."
    (d,) = find_dates(text)
    assert (d.text, d.date, d.precision, d.role) == ("February 2018", "2018-02", "month", "end")
    (d,) = find_dates("Musk stepped down as OpenAI’s co-chair on February 21, 2018, following his failed bids")
    assert (d.date, d.precision) == ("2018-02-21", "day")
    (d,) = find_dates("- Late Jan 2025: FT reports OpenAI says it has evidence of distillation.")
    assert (d.date, d.precision) == ("2025-01-21..2025-01-31", "approximate")
    assert [(d.text, d.date) for d in find_dates("Toberoff floated a late-2026 or early-2027 trial.")] == \
           [("late-2026", "2026-10..2026-12"), ("early-2027", "2027-01..2027-03")]
    (d,) = find_dates("Transcript of Proceedings held on 07/01/25, before Judge Thomas S. Hixson.")
    assert d.date == "2025-07-01"
    start, end = find_dates("Zilis was on the board, I believe, from 2018 to 2023.")
    assert [(start.date, start.role), (end.date, end.role)] == [("2018", "start"), ("2023", "end")]


def test_find_dates_refuses_relative_and_citation_dates():
    assert find_dates("Musk may testify today, a month after the hearing.") == ()
    assert find_dates("Winter v. Nat. Res. Def. Council, Inc., 555 U.S. 7, 24 (2008).") == ()
    assert find_dates("All. for the Wild Rockies v. Cottrell, 632 F.3d 1127, 1135 (9th Cir. 2011).") == ()
    assert find_dates("“deep learning” algorithms progressed in the late 2000s") == ()
    assert find_dates("(Filed on 3/4/2025) (Entered: 03/04/2025)") == ()
    assert find_dates("ruled late Tuesday that Musk had not shown") == ()  # no anchor, no weekday


def test_yearless_dates_and_weekdays_take_the_documents_date():
    (d,) = find_dates("the preliminary-injunction hearing was pushed to February 4 after the fire", "2025-01")
    assert (d.date, d.anchored) == ("2025-02-04", True)
    (d,) = find_dates("Article says the PI motion was filed 'in December'", "2025-02-04")
    assert (d.date, d.precision) == ("2024-12", "month")
    (d,) = find_dates("AP reports Judge Yvonne Gonzalez Rogers ruled late Tuesday", "2025-03-05", True)
    assert (d.text, d.date) == ("Tuesday", "2025-03-04")
    assert find_dates("AP reports Judge Yvonne Gonzalez Rogers ruled late Tuesday", "2025-03-05") == ()


def test_date_span_reads_every_precision():
    assert [d.isoformat() for d in date_span("2018")] == ["2018-01-01", "2018-12-31"]
    assert [d.isoformat() for d in date_span("2024-02")] == ["2024-02-01", "2024-02-29"]
    assert [d.isoformat() for d in date_span("2024-10..2024-12")] == ["2024-10-01", "2024-12-31"]


# --------------------------------------------------------------------------- statements


def test_order_dkt121_statements_have_dates_and_pin_cites(order):
    events = document_events(order)
    left = the(events, "2018-02", "Dkt. 121 at 2:22–23")
    assert left.precision == "month" and left.kind == "departure"
    assert source(left, "Dkt. 121 at 2:22–23").date_as_stated == "February 2018"
    assert "through his resignation in February 2018" in left.title
    xai = the(events, "2023-03", "Dkt. 121 at 3:1–3")
    assert "Musk started xAI" in xai.sources[0].text.replace("\n", " ")
    seat = the(events, "2024-07", "Dkt. 121 at 2:19–21")
    assert "relinquished that observer spot" in seat.title
    emails = the(events, "2015-06-24", "Dkt. 121 at 12:14–16")
    assert (emails.precision, emails.kind) == ("day", "communication")
    complaint = the(events, "2024-08-05", "Dkt. 121 at 1:28")  # footnote 1
    assert "Plaintiff Musk filed a complaint on August 5, 2024" in complaint.title
    fall = the(events, "2025-09..2025-11", "Dkt. 121 at 16:12–14")
    assert (fall.precision, fall.sources[0].date_as_stated) == ("approximate", "the fall of 2025")
    own = the(events, "2025-03-04", "Dkt. 121")
    assert own.title == "Filed: ORDER DENYING MOTION FOR A PRELIMINARY INJUNCTION" and own.kind == "order"


def test_cite_formats(order, docket):
    assert cite(order, 2, 22, 23) == "Dkt. 121 at 2:22–23"
    assert cite(order, 13, 28, 1, 14) == "Dkt. 121 at 13:28–14:1"
    assert cite(order) == "Dkt. 121"
    hearing = parse_file(HEARING)
    assert cite(hearing, 77, 20, 21) == "Hr'g Tr. 77:20–21 (Dkt. 109)"
    assert cite(next(e for e in docket if e.number == "46")) == "Dkt. 46"
    row = {"kind": "article", "name": "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt"}
    assert cite(row, 1, 8) == "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt, line 8"
    assert cite(row, 1, 1, 3) == "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt, lines 1–3"


@needs_shared
def test_news_digest_statements_weekdays_and_seasons():
    article = parse_file(ARTICLES / "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt")
    events = document_events(article)
    ruled = the(events, "2025-03-04", cite(article, 1, 1, 3))  # "ruled late Tuesday", published Wed 5 March
    assert source(ruled, cite(article, 1, 1, 3)).date_as_stated == "Tuesday"
    trial = the(events, "2025-09..2025-11", cite(article, 1, 9))
    assert trial.precision == "approximate" and "expedited trial in fall 2025" in trial.title
    recode = ARTICLES / "2025-01-27_recodechinaai_openai-deepseek-distillation-saga.txt"
    events = document_events(parse_file(recode))
    late = [e for e in events if e.precision == "approximate" and e.date == "2025-01-21..2025-01-31"]
    assert len(late) == 1 and late[0].title.startswith("Late Jan 2025: FT reports OpenAI")


# --------------------------------------------------------------------------- merging and disputes


def test_zilis_board_start_is_disputed_between_the_order_and_the_hearing(tmp_path):
    """The order (citing FAC ¶ 232) says Zilis was a member from March 2019;
    Musk's counsel told the court at the hearing "from 2018 to 2023"."""
    db = store.connect(tmp_path)
    ingest([ORDER, HEARING], db, workers=1, extract=False, index=False)
    events = build_timeline(db, entity="Shivon Zilis")
    start = [e for e in events if any(s.cite == "Dkt. 121 at 2:23–24" for s in e.sources) and e.date[:4] == "2019"]
    assert len(start) == 1
    event = start[0]
    assert event.disputed and event.date == "2019-03" and event.dates == ["2018", "2019-03"]
    assert {s.cite for s in event.sources} == {"Dkt. 121 at 2:23–24", "Hr'g Tr. 77:20–21 (Dkt. 109)"}
    assert "Zilis" in event.entities
    end = [e for e in events if e.date == "2023-03" and any(s.cite == "Dkt. 121 at 2:23–24" for s in e.sources)]
    assert len(end) == 1 and not end[0].disputed and end[0].dates == ["2023", "2023-03"]  # both say 2023


@needs_shared
def test_state_suit_withdrawal_disputed_between_two_news_reports(tmp_path):
    """CNBC: withdrawn Tuesday 2024-06-11; Techopedia wrote 'in July' (noted in timeline-facts.tsv)."""
    db = store.connect(tmp_path)
    ingest([ARTICLES / "2024-06-11_nbcsandiego-cnbc_musk-drops-suit.txt",
            ARTICLES / "2024-11-15_techopedia_microsoft-added-to-musk-case.txt"],
           db, workers=1, extract=False, index=False)
    (event,) = [e for e in build_timeline(db) if e.disputed]
    assert event.date == "2024-06-11" and event.dates == ["2024-06-11", "2024-07"]
    names = {s.name for s in event.sources}
    assert names == {"2024-06-11_nbcsandiego-cnbc_musk-drops-suit.txt",
                     "2024-11-15_techopedia_microsoft-added-to-musk-case.txt"}
    july = next(s for s in event.sources if s.date == "2024-07")
    assert july.cite == cite(parse_file(ARTICLES / "2024-11-15_techopedia_microsoft-added-to-musk-case.txt"), 1, 11)


@needs_shared
def test_a_report_misdating_a_docket_entry_joins_it_disputed(tmp_path, docket):
    """Law360 says the PI motion was filed 'in December'; the docket says 29 November 2024."""
    db = store.connect(tmp_path)
    ingest([ARTICLES / "2025-02-04_law360_judge-rips-musk-broad-bid.txt"], db,
           workers=1, extract=False, index=False)
    event = the(build_timeline(db, docket=docket), "2024-11-29", "Dkt. 46")
    assert event.disputed and event.dates == ["2024-11-29", "2024-12"] and event.kind == "motion"
    assert any(s.date_as_stated == "in December" or s.date_as_stated == "December" for s in event.sources)


@needs_shared
def test_order_docket_entry_and_news_report_merge_into_one_event(tmp_path, docket):
    db = store.connect(tmp_path)
    ingest([ORDER, ARTICLES / "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt"], db,
           workers=1, extract=False, index=False)
    event = the(build_timeline(db, docket=docket), "2025-03-04", "Dkt. 121")
    cites = {s.cite for s in event.sources}
    report = parse_file(ARTICLES / "2025-03-05_wsbtv-ap_judge-denies-musk-injunction.txt")
    assert {"Dkt. 121", cite(report, 1, 8)} <= cites
    assert {s.origin for s in event.sources} == {"docket", "filing", "article"}
    assert not event.disputed and event.kind == "order"
    assert event.title.startswith("Dkt. 121: ORDER DENYING MOTION FOR A PRELIMINARY INJUNCTION")


def test_build_timeline_filters_by_entity_and_dates(tmp_path, docket):
    db = store.connect(tmp_path)
    ingest([ORDER], db, workers=1, index=False)  # with extraction: entities come from the spaCy mentions
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
    everything = build_timeline(db, docket=docket)
    window = build_timeline(db, docket=docket, after="2025-02", before="2025-03-04")
    assert window and all("2025-02-01" <= e.span[1] and e.span[0] <= "2025-03-04" for e in window)
    assert len(window) < len(everything)
    sutskever = build_timeline(db, docket=docket, entity="Ilya Sutskever")
    assert sutskever and all("Sutskever" in e.entities for e in sutskever)
    assert {"Dkt. 317", "Dkt. 324"} <= {s.cite for e in sutskever for s in e.sources}


def test_trial_transcript_is_the_day_of_testimony_not_a_filing(tmp_path):
    """A transcript off the docket (the generated trial excerpt): one event on
    the day the witness testified, naming the witness; its cover's date is
    that event, not a statement of its own."""
    from casebase.testing import trial_transcript_text

    path = tmp_path / "generated_trial_transcript.txt"
    path.write_text(trial_transcript_text(), encoding="utf-8")
    db = store.connect(tmp_path / "store")
    ingest([path], db, workers=1, index=False)
    events = build_timeline(db, docket=[])
    [day] = [e for e in events if e.date == "2026-04-30"]
    assert (day.title, day.kind, day.precision) == (
        "Trial: Trial Transcript, Vol. 9 (witness: Elon Musk)", "testimony", "day")
    assert [s.cite for s in day.sources] == ["Trial Tr. 1790:1"]
    assert not any(e.title.startswith("Transcript filed") for e in events)
    assert day in build_timeline(db, docket=[], entity="Musk")


# --------------------------------------------------------------------------- stored statements


def rows(db, table: str, doc_id: str | None = None) -> int:
    where = " WHERE doc_id = ?" if doc_id else ""
    return db.execute(f"SELECT count(*) FROM {table}{where}", (doc_id,) if doc_id else ()).fetchone()[0]


def as_dicts(events: list[Event]) -> list[dict]:
    return [asdict(e) for e in events]


def count_calls(monkeypatch, *names: str) -> Counter:
    """Count calls of timeline functions (the date finders, the sentence reader)."""
    calls: Counter = Counter()
    for name in names:
        real = getattr(timeline, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(timeline, name, counted)
    return calls


def test_ingest_stores_dated_statements_and_the_build_only_reads_them(tmp_path, monkeypatch):
    db = store.connect(tmp_path)
    ingest([ORDER, HEARING, DOCKET], db, workers=2, extract=False, index=False)  # found in the workers
    ids = {r["name"]: r["id"] for r in store.documents(db)}
    order_id = ids[ORDER.name]
    assert rows(db, "dated", order_id) == len(document_events(parse_file(ORDER))) > 30
    assert rows(db, "dated", ids[HEARING.name]) > 0
    assert [tuple(r) for r in db.execute("SELECT DISTINCT version FROM dated_versions")] == \
           [(timeline.dated_version(),)]
    assert rows(db, "dated_versions") == 2 and rows(db, "docket_dated") == 111  # every entry, dated or not

    calls = count_calls(monkeypatch, "_dated_statements", "find_dates", "_dateparser_spans")
    events = build_timeline(db)
    assert sum(calls.values()) == 0  # no sentence read, no date parsed
    order = the(events, "2025-03-04", "Dkt. 121")
    assert {s.origin for s in order.sources} == {"docket", "filing"}
    assert the(events, "2018-02", "Dkt. 121 at 2:22–23").kind == "departure"


def test_a_store_from_before_the_dated_tables_upgrades_to_the_same_timeline(tmp_path, docket, monkeypatch):
    db = store.connect(tmp_path)
    ingest([ORDER, HEARING], db, workers=1, index=False)  # with the spaCy mentions, which name entities
    fresh = as_dicts(build_timeline(db, docket=docket))
    stored = rows(db, "dated")
    db.executescript("DROP TABLE dated; DROP TABLE dated_versions; DROP TABLE docket_dated;")
    db.close()
    db = store.connect(tmp_path)  # an older casebase's store: the tables are made, empty
    assert rows(db, "dated") == 0
    assert as_dicts(build_timeline(db, docket=docket)) == fresh
    assert rows(db, "dated") == stored and rows(db, "dated_versions") == 2  # found once, kept
    calls = count_calls(monkeypatch, "_dated_statements")
    assert as_dicts(build_timeline(db, docket=docket)) == fresh and not calls
    db.execute("UPDATE dated_versions SET version = 'old'")  # statements found by another version
    assert as_dicts(build_timeline(db, docket=docket)) == fresh and calls["_dated_statements"] == 2


def test_entities_on_events_follow_the_stores_alias_table(tmp_path):
    """`casebase entities split` rewrites the store's mentions; stored statements
    keep no names from them, so the timeline follows at once."""
    db = store.connect(tmp_path)
    ingest([ORDER], db, workers=1, index=False)
    assert not any("Deannah Templeton" in e.entities for e in build_timeline(db))
    path = store.aliases_path(db)
    aliases.split(path, "Deannah Templeton")
    table = aliases.load_aliases(path)
    assert store.recanonicalize(db, lambda name: aliases.canonical(name, table)) > 0
    split = build_timeline(db)
    assert any("Deannah Templeton" in e.entities for e in split)
    db.execute("DELETE FROM dated_versions")  # found again from the document: the same events
    assert as_dicts(build_timeline(db)) == as_dicts(split)


@needs_shared
def test_reingesting_a_changed_file_replaces_its_statements_and_deleting_cascades(tmp_path):
    src = tmp_path / "in" / "report.txt"
    src.parent.mkdir()
    shutil.copyfile(ARTICLES / "2024-06-11_nbcsandiego-cnbc_musk-drops-suit.txt", src)
    db = store.connect(tmp_path / "s")
    ingest([src], db, workers=1, extract=False, index=False)
    (old,) = [r["id"] for r in store.documents(db)]
    before = rows(db, "dated", old)
    src.write_text(src.read_text() + "\nMusk refiled the suit in federal court on August 5, 2024.\n")
    ingest([src], db, workers=1, extract=False, index=False)
    (new,) = [r["id"] for r in store.documents(db)]
    assert new != old and rows(db, "dated", old) == rows(db, "dated_versions", old) == 0
    assert rows(db, "dated", new) == before + 1
    (refiled,) = [e for e in build_timeline(db) if e.title.startswith("Musk refiled the suit")]
    assert refiled.date == "2024-08-05" and refiled.sources[0].doc == new
    db.execute("DELETE FROM documents WHERE id = ?", (new,))
    assert rows(db, "dated") == rows(db, "dated_versions") == 0


# --------------------------------------------------------------------------- the evaluation


@needs_shared
def test_timeline_finds_at_least_80_percent_of_the_reference_chronology(tmp_path):
    spec = importlib.util.spec_from_file_location("timeline_eval", REPO / "benchmarks" / "timeline_eval.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = ev  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(ev)
    finally:
        sys.modules.pop(spec.name, None)
    db, failures = ev.build_store(tmp_path, extract=False)
    assert failures == []
    events = build_timeline(db, docket=load_docket(SHARED / "dockets" / "musk_v_altman_4-24-cv-04722"))
    names = [r["name"] for r in store.documents(db)]
    results, absent = ev.score(events, ev.load_facts(ev.FACTS, names))
    assert len(results) >= 25  # facts whose best source is in the corpus
    found = sum(1 for _, e in results if e)
    assert found / len(results) >= 0.8, [f.event for f, e in results if e is None]
