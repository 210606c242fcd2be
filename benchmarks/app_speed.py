"""How long each workbench interaction takes, cold and warm (Streamlit AppTest, no browser).

    CASEBASE_STORE=/tmp/appstore .venv/bin/python benchmarks/app_speed.py [--rounds 3]

Prints seconds per interaction: the first round loads models and builds the
cached timeline and graph; later rounds show what a user waits for. Each
round asks a new question, so searches are never answered from the cache.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from casebase import store

APP = Path(__file__).resolve().parents[1] / "app.py"
QUERIES = (
    "did the court find Musk likely to succeed",
    "why did Sutskever write the memo to the independent directors",
    "charitable trust and donations to OpenAI",
    "who asked for the preliminary injunction hearing",
    "Microsoft exclusive license",
)


def timed(label: str, fn, out: dict[str, list[float]]) -> None:
    t = time.perf_counter()
    at = fn()
    out.setdefault(label, []).append(time.perf_counter() - t)
    if at is not None and at.exception:
        raise SystemExit(f"{label}: {at.exception[0].value}")


def round_trip(at: AppTest, times: dict[str, list[float]], query: str) -> None:
    def goto(page: str):
        at.session_state["_goto"] = page
        return at.run()

    timed("new session (+AppTest ~1s)", at.run, times)
    timed("rerun search page", at.run, times)
    timed("search (hybrid)", lambda: at.text_input(key="search_q").input(query).run(), times)
    timed("search (bm25)", lambda: at.radio(key="search_mode").set_value("bm25").run(), times)
    timed("cite a result", lambda: at.button(key="cite_0").click().run(), times)
    timed("open a result", lambda: at.button(key="open_0").click().run(), times)
    timed("next page", lambda: at.button(key="doc_next").click().run(), times)
    timed("timeline page", lambda: goto("timeline"), times)
    timed("timeline filter", lambda: at.multiselect(key="timeline_kind").select(
        at.multiselect(key="timeline_kind").options[0]).run(), times)
    timed("claims page", lambda: goto("claims"), times)
    timed("graph page", lambda: goto("graph"), times)
    timed("citations page", lambda: goto("citations"), times)
    timed("ingest page", lambda: goto("ingest"), times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    folder = store.store_dir(None)
    if not (folder / "casebase.db").is_file():
        raise SystemExit(f"no store in {folder}: build one first (casebase ingest corpus/ --store {folder})")
    print(f"store: {folder}")
    times: dict[str, list[float]] = {}
    for r in range(args.rounds):
        round_trip(AppTest.from_file(str(APP), default_timeout=600), times, QUERIES[r % len(QUERIES)])
    print(f"{'interaction':<26} {'cold s':>8} {'warm s (median)':>16} {'warm max':>9}")
    for label, ts in times.items():
        warm = ts[1:] or ts
        print(f"{label:<26} {ts[0]:>8.2f} {statistics.median(warm):>16.3f} {max(warm):>9.3f}")


if __name__ == "__main__":
    main()
