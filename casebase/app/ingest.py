"""Ingest: upload files into the store, with progress while they are parsed
and indexed, and each file's problem in plain words.

The name a browser sends is never trusted: an upload is saved as
`<store>/uploads/<safe name>`, where the safe name keeps only the base name's
letters, digits, dot, underscore and hyphen, and a number is added when a
different file already has that name. Unknown types and files over the cap
are refused before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import streamlit as st

from casebase import store
from casebase.ingest import Outcome, ingest
from casebase.parse import MAX_BYTES, SUFFIXES
from casebase.app import common

UPLOADS = "uploads"
# One batch at a time per process: the spaCy pipeline and the store's writer are shared.
_ONE_AT_A_TIME = threading.Lock()
DEFAULT_UPLOAD_MB = 50
NAME_LIMIT = 120


def upload_limit() -> int:
    """The largest upload accepted, in bytes: $CASEBASE_UPLOAD_MAX_MB (default
    50 MB), never more than the parsers' own limit."""
    try:
        mb = float(os.environ.get("CASEBASE_UPLOAD_MAX_MB", DEFAULT_UPLOAD_MB))
    except ValueError:
        mb = DEFAULT_UPLOAD_MB
    return int(min(mb * 2**20, MAX_BYTES))


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:,.1f} MB"
    if n >= 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n} bytes"


def safe_name(name: str) -> str:
    """A file name safe to write inside the uploads folder: the base name only
    (either slash), accents folded, anything outside [A-Za-z0-9._-] replaced,
    no leading dots, at most NAME_LIMIT characters with its suffix kept."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    base = re.sub(r"_{2,}", "_", base).lstrip(".")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip("._-") or "upload"
    suffix = suffix.lower()[:10]
    stem = stem[: NAME_LIMIT - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def check_upload(name: str, size: int, limit: int | None = None) -> str | None:
    """Why an upload is refused, in plain words; None when it may be ingested."""
    limit = upload_limit() if limit is None else limit
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in SUFFIXES:
        kinds = ", ".join(sorted(SUFFIXES))
        what = f"'{suffix}' files" if suffix else "files without an extension"
        return f"{name}: refused: casebase cannot read {what}. It reads {kinds}."
    if size == 0:
        return f"{name}: refused: the file is empty."
    if size > limit:
        return f"{name}: refused: the file is {_size(size)}; the upload limit is {_size(limit)}."
    return None


def save_upload(folder: Path, name: str, data: bytes) -> Path:
    """Write an upload as `<folder>/uploads/<safe name>`; the same content under
    the same name reuses its file, a different one gets `-2`, `-3`, ..."""
    uploads = (folder / UPLOADS).resolve()
    uploads.mkdir(parents=True, exist_ok=True)
    clean = safe_name(name)
    stem, suffix = Path(clean).stem, Path(clean).suffix
    digest = hashlib.sha256(data).digest()
    n = 1
    while True:
        target = uploads / (clean if n == 1 else f"{stem}-{n}{suffix}")
        if target.parent != uploads:  # cannot happen with a safe name; never write outside
            raise ValueError(f"unsafe upload name {name!r}")
        if not target.exists():
            tmp = target.with_name(f".{target.name}.part")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            return target
        if target.is_file() and hashlib.sha256(target.read_bytes()).digest() == digest:
            return target
        n += 1


@dataclass
class Result:
    """One uploaded file's fate, as the page reports it."""

    name: str  # as the browser sent it
    status: str  # ingested, unchanged, failed, refused
    message: str = ""
    saved_as: str = ""
    doc_id: str | None = None
    kind: str | None = None
    pages: int = 0
    warnings: int = 0


def plain(error: str | None, stored: str, client: str) -> str:
    """A parser's one-line error, naming the file as the user knows it."""
    text = error or "could not be read"
    if text.startswith(stored + ":"):
        text = text[len(stored) + 1:].strip()
    return f"{client}: {text}"


def ingest_uploads(conn, files: Iterable[tuple[str, bytes]], limit: int | None = None,
                   on_step: Callable[[int, int, str], None] | None = None) -> list[Result]:
    """Check, save and ingest uploads one by one (parse, extract, chunk), then
    bring the vector index in step; `on_step(done, total, name)` reports progress."""
    folder = store.folder(conn)
    files = list(files)
    results: list[Result | None] = [None] * len(files)  # in the order given
    todo: list[tuple[int, str, Path]] = []
    for i, (name, data) in enumerate(files):
        why = check_upload(name, len(data), limit)
        if why:
            results[i] = Result(name, "refused", why)
            continue
        known = store.find_by_sha(conn, hashlib.sha256(data).hexdigest())
        if known:  # the same content is stored already, under whatever name: write nothing
            results[i] = Result(name, "unchanged", doc_id=known)
        else:
            todo.append((i, name, save_upload(folder, name, data)))
    for done, (i, name, path) in enumerate(todo):
        if on_step:
            on_step(done, len(todo), name)
        outcome: Outcome = ingest([path], conn, workers=1, index=False)[0]
        results[i] = Result(
            name, outcome.status,
            plain(outcome.error, path.name, name) if outcome.status == "failed" else "",
            saved_as=str(path), doc_id=outcome.id, kind=outcome.kind, pages=outcome.pages,
            warnings=len(outcome.warnings))
    if any(r.status == "ingested" for r in results if r):
        if on_step:
            on_step(len(todo), len(todo), "")
        index, problem = common.vector_index(str(folder))
        if index is not None:
            index.sync(conn)
    return [r for r in results if r]


STATUS_TEXT = {"ingested": "ingested", "unchanged": "already in the store", "failed": "could not be read",
               "refused": "refused"}


def render() -> None:
    st.title("Ingest")
    folder = common.store_folder()
    limit = upload_limit()
    n = common.document_count(folder)
    st.caption(f"Store `{folder}` · {n} documents. Uploads are saved under `{folder / UPLOADS}`.")
    st.markdown(f"Court PDFs, transcripts, text extractions of filings and news articles "
                f"({', '.join(sorted(SUFFIXES))}), up to {_size(limit)} each.")
    round_key = st.session_state.setdefault("_ingest_round", 0)
    uploaded = st.file_uploader("Add documents", accept_multiple_files=True, key=f"ingest_files_{round_key}",
                                max_upload_size=max(1, -(-limit // 2**20)),
                                help=f"Allowed: {', '.join(sorted(SUFFIXES))}")
    files = [(f.name, f.getvalue()) for f in uploaded or []]
    refused = [check_upload(name, len(data), limit) for name, data in files]
    for why in refused:
        if why:
            st.error(common.md(why), icon=":material/block:")
    ok = [f for f, why in zip(files, refused) if not why]
    if st.button(f"Ingest {len(ok)} file{'s' if len(ok) != 1 else ''}", key="ingest_run", type="primary",
                 disabled=not ok):
        run(files, limit)  # refusals too, so the batch report names them
        st.session_state["_ingest_round"] = round_key + 1  # a fresh uploader for the next batch
        st.rerun()
    show_results(st.session_state.get("_ingest_results") or [])


def run(files: list[tuple[str, bytes]], limit: int) -> None:
    conn = common.db()
    aliases = store.aliases_path(conn)
    common.language_pipeline(str(aliases), aliases.stat().st_mtime_ns)
    bar = st.progress(0.0, text="Starting…")

    def step(done: int, total: int, name: str) -> None:
        if done < total:
            bar.progress(done / max(total, 1),
                         text=f"Parsing and reading {common.md(name)} ({done + 1} of {total})…")
        else:
            bar.progress(0.97, text="Indexing for search…")

    with st.spinner("Ingesting…"), _ONE_AT_A_TIME:
        results = ingest_uploads(conn, files, limit, on_step=step)
    bar.progress(1.0, text="Done")
    st.session_state["_ingest_results"] = results


def show_results(results: list[Result]) -> None:
    if not results:
        return
    counts = {s: sum(r.status == s for r in results) for s in STATUS_TEXT}
    st.subheader("Last batch", anchor=False)
    st.caption(" · ".join(f"{n} {STATUS_TEXT[s]}" for s, n in counts.items() if n))
    for r in results:
        if r.status in ("failed", "refused"):
            st.error(common.md(r.message or f"{r.name}: {STATUS_TEXT[r.status]}"), icon=":material/error:")
    st.dataframe([{"file": r.name, "result": STATUS_TEXT[r.status], "kind": r.kind or "", "pages": r.pages,
                   "warnings": r.warnings, "saved as": Path(r.saved_as).name if r.saved_as else "",
                   "id": r.doc_id or ""} for r in results], hide_index=True)
    for i, r in enumerate(results):
        if r.doc_id and r.status in ("ingested", "unchanged"):
            c1, c2 = st.columns([6, 1], vertical_alignment="center")
            c1.markdown(common.md(r.name))
            common.open_button(r.doc_id, None, None, key=f"ingest_open_{i}", where=c2)
