"""Bring files into the store: hash, parse (on every core), save one by one.

A file whose content is already stored is skipped; a changed file replaces
its older version in the same transaction that writes the new one. Parse
errors are collected per file and never stop the batch.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import store
from .parse import SUFFIXES, check_file, parse_file, sha256_file
from .records import Document, ParseError


@dataclass
class Outcome:
    """What happened to one file; `status` is ingested, unchanged or failed."""

    path: str
    status: str
    id: str | None = None
    error: str | None = None
    kind: str | None = None
    pages: int = 0
    warnings: list[str] = field(default_factory=list)


# A folder's own notes (README, LICENSE) are not part of the record.
_NOT_RECORDS = re.compile(r"(?i)^(readme|license|licence|changelog|sources)(\.[a-z]+)?$")


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named, and documents found in folders (recursively, sorted).

    Inside folders only known document types are taken; hidden files and a
    folder's README or LICENSE are skipped. A file named on the command line
    is always tried.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.is_file() and f.suffix.lower() in SUFFIXES and not _NOT_RECORDS.match(f.name)
                        and not any(part.startswith(".") for part in f.relative_to(p).parts)):
                    yield f
        elif not is_docket(p):
            yield p


@dataclass
class Parsed:
    """A worker's result for one file: the document, what was read off it,
    its search chunks and its dated statements for the timeline."""

    document: Document
    extraction: Any = None
    chunks: list[Any] = field(default_factory=list)
    dated: Any = None


def _process(path: str, aliases: str | None, extract: bool) -> Parsed | str:
    """Worker: parse, extract, chunk and date one file; or the one-line reason it failed."""
    name = Path(path).name
    try:
        doc = parse_file(path)
    except ParseError as exc:
        return str(exc)
    except MemoryError:
        return f"{name}: out of memory while parsing"
    except Exception as exc:  # a parser bug must not stop the batch
        return f"{name}: could not parse ({type(exc).__name__}: {exc})"
    try:
        from .index import chunk_document
        from .timeline import find_dated

        result = Parsed(doc, chunks=chunk_document(doc), dated=find_dated(doc))
        if extract:
            from .extract.run import extract as run_extraction

            result.extraction = run_extraction(doc, aliases)
        return result
    except Exception as exc:
        return f"{name}: parsed, but extraction failed ({type(exc).__name__}: {exc})"


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: sqlite3.Connection,
    workers: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
    extract: bool = True,
    index: bool = True,
) -> list[Outcome]:
    """Ingest files and folders into the store behind `db`.

    Only new or changed files are parsed and run through the pipeline; the
    timeline's dated statements and the vector index are brought in step
    with the store at the end (which also repairs a run that died between
    the two, and a store from an older casebase).
    """
    outcomes: list[Outcome] = []
    todo: list[tuple[Path, str]] = []
    paths = list(paths)
    outcomes.extend(_report(o, progress) for o in ingest_dockets(paths, db))
    for path in iter_files(paths):
        key = str(path.resolve()) if path.exists() else str(path)
        try:
            check_file(path)
            sha = sha256_file(path)
        except (ParseError, OSError) as exc:
            msg = str(exc) if isinstance(exc, ParseError) else f"{path.name}: cannot read ({exc})"
            outcomes.append(_report(Outcome(key, "failed", error=msg), progress))
            continue
        existing = store.find_by_sha(db, sha)
        if existing:
            outcomes.append(_report(Outcome(key, "unchanged", id=existing), progress))
        else:
            todo.append((path, key))

    workers = workers or min(os.cpu_count() or 1, 2)
    aliases = str(store.aliases_path(db)) if extract else None
    jobs = [str(p) for p, _ in todo]
    for (path, key), result in zip(todo, _process_all(jobs, workers, aliases, extract)):
        if isinstance(result, str):
            outcomes.append(_report(Outcome(key, "failed", error=result), progress))
            continue
        doc = result.document
        doc.path = key
        if store.find_by_sha(db, doc.sha256):  # the same content twice in one batch
            outcomes.append(_report(Outcome(key, "unchanged", id=doc.id), progress))
            continue
        store.save(db, doc, replaces=store.ids_at_path(db, key),
                   extraction=result.extraction, chunks=result.chunks, dated=result.dated)
        outcomes.append(_report(
            Outcome(key, "ingested", id=doc.id, kind=doc.kind,
                    pages=doc.page_count, warnings=doc.warnings),
            progress,
        ))
    from .timeline import sync_dated

    sync_dated(db)
    if index:
        from .index import open_index

        open_index(store.folder(db)).sync(db)
    return outcomes


def is_docket(path: Path) -> bool:
    """Docket data (not a document): docket.json or a docket_entries*.tsv."""
    name = path.name.lower()
    return name == "docket.json" or (name.startswith("docket") and name.endswith(".tsv"))


def ingest_dockets(paths: list[str | os.PathLike[str]], db: sqlite3.Connection) -> list[Outcome]:
    """Docket files found among the paths go to the dockets table (for the timeline)."""
    from .parse.docket import load_docket

    found: list[Path] = []
    for p in map(Path, paths):
        found += [f for f in sorted(p.rglob("*")) if f.is_file() and is_docket(f)] if p.is_dir() else \
            ([p] if is_docket(p) else [])
    outcomes = []
    for f in found:
        try:
            added = store.save_docket(db, load_docket(f))
        except ParseError as exc:
            outcomes.append(Outcome(str(f.resolve()), "failed", error=str(exc), kind="docket"))
            continue
        outcomes.append(Outcome(str(f.resolve()), "ingested" if added else "unchanged", kind="docket",
                                pages=added))
    return outcomes


def _process_all(paths: list[str], workers: int, aliases: str | None, extract: bool) -> Iterator[Parsed | str]:
    args = ([a] * len(paths) for a in (aliases, extract))
    if workers <= 1 or len(paths) <= 1:
        yield from map(_process, paths, *args)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_process, paths, *args, chunksize=1)


def _report(outcome: Outcome, progress: Callable[[Outcome], None] | None) -> Outcome:
    if progress:
        progress(outcome)
    return outcome


def summary(outcomes: list[Outcome]) -> str:
    """The end-of-run summary a person reads: counts, then each failure."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ingested", "unchanged", "failed")}
    lines = [f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed"]
    lines += [f"  failed: {o.error}" for o in outcomes if o.status == "failed"]
    ocr = [o for o in outcomes if any("needs OCR" in w for w in o.warnings)]
    for o in ocr:
        pages = sum("needs OCR" in w for w in o.warnings)
        lines.append(f"  warning: {Path(o.path).name}: {pages} page(s) need OCR (no usable text layer)")
    return "\n".join(lines)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
