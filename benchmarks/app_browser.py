"""What a user waits for in the workbench, measured in a real browser.

    .venv/bin/python benchmarks/app_browser.py [--store PATH] [--rounds 5]

Starts `streamlit run app.py` on the store (without --store: a fresh store
built from the sample corpus/ in a temporary folder), drives the system
Chromium through Playwright (casebase.browser), and prints seconds per
interaction, each measured from the click or key press until Streamlit's
run is over and what it draws is visible (charts drawn, buttons mounted):

    first render   a fresh browser session loads the app (round 1: cold server)
    search submit  a new question, Enter, until the first result card shows
    cite           Cite on a result, until the sidebar counts the passage
    open result    Open on the first result, until the viewer marks the line
    page: X        sidebar switch to page X, until its main content shows
    download       Download Bluebook on the Citations page, until the file is complete

Round 1 is cold (models loaded, timeline and graph built on first use);
the median and worst are over all rounds, with round 1 also shown alone.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from casebase import browser, store
from casebase.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = (
    "did DeepSeek train on OpenAI outputs?",
    "is Musk's motion for a preliminary injunction denied",
    "what did Sutskever say about Altman",
    "do OpenAI's terms forbid using outputs to build competing models",
    "distillation of a frontier model through its API",
)


def build_store(folder: Path) -> None:
    t = time.perf_counter()
    db = store.connect(folder)
    outcomes = ingest([REPO / "corpus"], db)
    db.close()
    n = sum(o.status == "ingested" for o in outcomes)
    print(f"built a store of {n} documents from corpus/ in {time.perf_counter() - t:.1f}s: {folder}", flush=True)


def pages(page) -> list[tuple[str, object]]:
    """Each page of the sidebar with what marks it as drawn (in the order a round visits them)."""
    drawn = '[data-testid="stVegaLiteChart"] g.mark-symbol path'
    return [
        ("Timeline", page.locator(drawn)),
        ("Claims", page.locator("[class*='st-key-stance_0']")),
        ("Graph", page.locator(drawn)),
        ("Ingest", page.locator('[data-testid="stFileUploader"]')),
        ("Documents", page.locator(".st-key-doc_page_view")),
        ("Search", page.locator(".st-key-hit_0")),
        ("Citations", page.locator(".st-key-basket_0")),
    ]


def one_round(ctx, url: str, question: str, times: dict[str, list[float]]) -> None:
    def note(label: str, seconds: float) -> None:
        times.setdefault(label, []).append(seconds)

    page = ctx.new_page()  # a new Streamlit session: empty basket
    try:
        box = page.get_by_role("textbox", name="Search the record")
        note("first render", browser.open_app(page, url, box).seconds)
        box.fill(question)
        note("search submit", browser.act(page, lambda: box.press("Enter"), page.locator(".st-key-hit_0"),
                                          timeout=300).seconds)
        hit = page.locator(".st-key-hit_0")
        basket = page.get_by_text("Citation basket: 1 passage", exact=True)
        note("cite", browser.act(page, hit.get_by_role("button", name="Cite", exact=True).click, basket).seconds)
        note("open result", browser.act(page, hit.get_by_role("button", name="Open", exact=True).click,
                                        page.locator(".st-key-doc_page_view tr.cb-target")).seconds)
        for name, until in pages(page):
            note(f"page: {name}", browser.go(page, name, until, timeout=300).seconds)
        button = page.get_by_role("button", name="Download Bluebook")
        note("download export", browser.download(page, button)[2])
        problems = browser.exceptions(page)
        if problems:
            print(f"  the app showed an exception: {problems[0][:200]}", file=sys.stderr)
    finally:
        page.close()


def report(times: dict[str, list[float]]) -> None:
    print(f"\n{'interaction':<20} {'n':>3} {'round 1':>9} {'median':>9} {'worst':>9}")
    for label, xs in times.items():
        print(f"{label:<20} {len(xs):>3} {xs[0]:>8.2f}s {statistics.median(xs):>8.2f}s {max(xs):>8.2f}s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="an existing store (default: build one from corpus/)")
    ap.add_argument("--rounds", type=int, default=5, help="walks through the app, each in a fresh session")
    args = ap.parse_args()
    why = browser.missing()
    if why:
        raise SystemExit(f"cannot run the browser benchmark: {why}")

    with tempfile.TemporaryDirectory(prefix="casebase-app-browser-") as tmp:
        tmp = Path(tmp)
        folder = args.store
        if folder is None:
            folder = tmp / "store"
            build_store(folder)
        t = time.perf_counter()
        with browser.serve(folder, tmp / "streamlit.log") as url:
            print(f"server answering after {time.perf_counter() - t:.2f}s ({url})", flush=True)
            times: dict[str, list[float]] = {}
            with browser.chromium(tmp / "profile", downloads=tmp / "downloads") as ctx:
                for r in range(args.rounds):
                    question = QUESTIONS[r % len(QUESTIONS)]
                    t = time.perf_counter()
                    one_round(ctx, url, question, times)
                    print(f"round {r + 1}: {time.perf_counter() - t:.1f}s ({question!r})", flush=True)
            report(times)


if __name__ == "__main__":
    main()
