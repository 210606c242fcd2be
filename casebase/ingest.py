"""Bring files into the store: hash, parse (on every core), save one by one.

A file whose content is already stored is skipped; a changed file replaces
its older version in the same transaction that writes the new one. Parse
errors are collected per file and never stop the batch.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

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


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named, and documents found in folders (recursively, sorted).

    Inside folders only known document types are taken and hidden files are
    skipped; a file named on the command line is always tried.
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if (f.is_file() and f.suffix.lower() in SUFFIXES
                        and not any(part.startswith(".") for part in f.relative_to(p).parts)):
                    yield f
        else:
            yield p


def _parse(path: str) -> Document | str:
    """Worker: a Document, or the one-line reason it could not be parsed."""
    try:
        return parse_file(path)
    except ParseError as exc:
        return str(exc)
    except MemoryError:
        return f"{Path(path).name}: out of memory while parsing"
    except Exception as exc:  # a parser bug must not stop the batch
        return f"{Path(path).name}: could not parse ({type(exc).__name__}: {exc})"


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: sqlite3.Connection,
    workers: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ingest files and folders into the store behind `db`."""
    outcomes: list[Outcome] = []
    todo: list[tuple[Path, str]] = []
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
    for (path, key), result in zip(todo, _parse_all([str(p) for p, _ in todo], workers)):
        if isinstance(result, str):
            outcomes.append(_report(Outcome(key, "failed", error=result), progress))
            continue
        result.path = key
        if store.find_by_sha(db, result.sha256):  # the same content twice in one batch
            outcomes.append(_report(Outcome(key, "unchanged", id=result.id), progress))
            continue
        store.save(db, result, replaces=store.ids_at_path(db, key))
        outcomes.append(_report(
            Outcome(key, "ingested", id=result.id, kind=result.kind,
                    pages=result.page_count, warnings=result.warnings),
            progress,
        ))
    return outcomes


def _parse_all(paths: list[str], workers: int) -> Iterator[Document | str]:
    if workers <= 1 or len(paths) <= 1:
        yield from map(_parse, paths)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_parse, paths, chunksize=1)


def _report(outcome: Outcome, progress: Callable[[Outcome], None] | None) -> Outcome:
    if progress:
        progress(outcome)
    return outcome


def summary(outcomes: list[Outcome]) -> str:
    """The end-of-run summary a person reads: counts, then each failure."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("ingested", "unchanged", "failed")}
    lines = [f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, {counts['failed']} failed"]
    lines += [f"  failed: {o.error}" for o in outcomes if o.status == "failed"]
    ocr = [o for o in outcomes if any("OCR" in w for w in o.warnings)]
    for o in ocr:
        pages = sum("OCR" in w for w in o.warnings)
        lines.append(f"  warning: {Path(o.path).name}: {pages} page(s) need OCR (no usable text layer)")
    return "\n".join(lines)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
