"""Drive the workbench in a real browser: `streamlit run app.py` on a free
port, the system Chromium through Playwright, and waits that know when
Streamlit has finished a run.

Shared by tests/test_e2e_browser.py and benchmarks/app_browser.py, so the
test and the benchmark wait on the app the same way. Playwright is a test
extra: it is imported only by the functions that need it.

Why the waits look like this: every click reruns the page script on the
server, and the page keeps showing the previous run's elements (marked
stale) until the new ones arrive. The app root carries the script state in
`data-test-script-state`; a MutationObserver installed before any page
script counts every run it sees start, so "the run my click caused is over"
is: a run was seen, the state is back to notRunning, and the element the
run should draw is visible.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from casebase.serve import background, free_port

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Installed in every document before its scripts run: counts script runs.
_WATCH_RUNS = """
(() => {
  window.__cbRuns = 0;
  const seen = (value) => { if (value === 'running') window.__cbRuns += 1; };
  new MutationObserver((records) => {
    for (const r of records) { seen(r.oldValue); seen(r.target.getAttribute(r.attributeName)); }
  }).observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""

_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {runs: window.__cbRuns || 0,
          state: app ? app.getAttribute('data-test-script-state') : null,
          busy: !!document.querySelector('[data-testid="stStatusWidget"]'),
          stale: !!document.querySelector('[data-stale="true"]'),
          loading: !!document.querySelector('[data-testid="stSkeleton"]')};
}"""


def missing() -> str | None:
    """Why the browser cannot run here (None when it can): CI installs both."""
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright; never `playwright install`)"
    return None


@contextmanager
def serve(store: Path, log: Path, app: Path = APP, timeout: float = 120.0) -> Iterator[str]:
    """Run the workbench on the store until the block ends; yields its URL.

    The server's output goes to `log`, whose tail is in the error when the
    app does not come up within `timeout` seconds.
    """
    port = free_port()
    env = dict(os.environ, CASEBASE_STORE=str(store))
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    url = f"http://127.0.0.1:{port}"
    with background(cmd, f"{url}/_stcore/health", log, env=env, cwd=app.parent, timeout=timeout):
        yield url


@contextmanager
def chromium(user_data: Path, downloads: Path | None = None, timeout_ms: int = 90_000) -> Iterator[Any]:
    """A fresh Chromium profile (a Playwright BrowserContext) in `user_data`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(user_data), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            accept_downloads=True, downloads_path=str(downloads) if downloads else None,
            viewport={"width": 1400, "height": 1000})
        ctx.set_default_timeout(timeout_ms)
        ctx.add_init_script(_WATCH_RUNS)
        try:
            yield ctx
        finally:
            ctx.close()


@dataclass
class Settled:
    """What a wait saw: seconds taken and whether a script run was observed."""

    seconds: float
    ran: bool


def state(page: Any) -> dict[str, Any]:
    return page.evaluate(_STATE)


def settle(page: Any, until: Any, since: float | None = None, timeout: float = 120.0,
           grace: float = 3.0) -> Settled:
    """Wait until a script run has been seen and is over and `until` (a
    Locator) is visible. A run too quick to be seen is accepted after
    `grace` seconds once everything else holds; `since` is the
    perf_counter() the timing starts from (now when None)."""
    start = time.perf_counter() if since is None else since
    deadline = start + timeout
    last: dict[str, Any] = {}
    while True:
        last = state(page)
        quiet = last["state"] == "notRunning" and not (last["busy"] or last["stale"] or last["loading"])
        now = time.perf_counter()
        if quiet and (last["runs"] or now - start > grace) and until.first.is_visible():
            return Settled(now - start, bool(last["runs"]))
        if now > deadline:
            raise TimeoutError(f"the app did not settle within {timeout:.0f}s (last state {last}; "
                               f"waiting for {until})")
        time.sleep(0.05)


def act(page: Any, action: Callable[[], Any], until: Any, timeout: float = 120.0) -> Settled:
    """Do something that makes Streamlit rerun, then wait for it (see settle)."""
    page.evaluate("() => { window.__cbRuns = 0; }")
    start = time.perf_counter()
    action()
    return settle(page, until, since=start, timeout=timeout)


def open_app(page: Any, url: str, until: Any, timeout: float = 180.0) -> Settled:
    """Load the app and wait for its first run to draw `until`."""
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    return settle(page, until, since=start, timeout=timeout)


def go(page: Any, link: str, until: Any, timeout: float = 120.0) -> Settled:
    """Switch page through the sidebar navigation (the session and its basket stay)."""
    nav = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True)
    return act(page, nav.click, until, timeout)


def download(page: Any, button: Any, timeout: float = 60.0) -> tuple[str, bytes, float]:
    """Click a download button: (suggested file name, content, seconds until the file was complete)."""
    start = time.perf_counter()
    with page.expect_download(timeout=timeout * 1000) as info:
        button.click()
    d = info.value
    path = d.path()  # waits for the download to finish
    return d.suggested_filename, Path(path).read_bytes(), time.perf_counter() - start


def exceptions(page: Any) -> list[str]:
    """Texts of the exceptions Streamlit shows on the page (empty when none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()
