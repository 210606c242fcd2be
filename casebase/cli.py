"""The `casebase` command: the same package functions the app calls."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import store
from .records import Document


def main(argv: list[str] | None = None) -> int:
    store_help = "store folder (default: $CASEBASE_STORE or ./data)"
    parser = argparse.ArgumentParser(prog="casebase", description=__doc__)
    parser.add_argument("--store", metavar="DIR", help=store_help)  # before the command or after it
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help=store_help)
        p.add_argument("--json", action="store_true", help="print JSON")
        return p

    p = command("ingest", "Parse files and folders into the store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: up to 2)")
    p.set_defaults(func=cmd_ingest)

    p = command("show", "Show one stored document page by page")
    p.add_argument("doc", metavar="DOC", help="document id or file base name")
    p.set_defaults(func=cmd_show)

    p = command("list", "List stored documents")
    p.set_defaults(func=cmd_list)

    p = command("entities", "Canonical entities in the store; merge or split aliases")
    p.add_argument("action", nargs="?", choices=("merge", "split"), help="edit the alias table")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="merge A B: B becomes an alias of A; split A: A stands alone")
    p.add_argument("--label", help="only this label (PERSON, ORG, AI_MODEL, ...)")
    p.set_defaults(func=cmd_entities)

    p = command("claims", "Claims about model use, with who asserted them and where")
    p.add_argument("--subject")
    p.add_argument("--relation")
    p.add_argument("--object", dest="obj")
    p.add_argument("--doc", help="document id or base name")
    p.set_defaults(func=cmd_claims)

    p = command("eval", "Score the store's claims against a gold file (as the shared scorer does)")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--only-docs-in-gold", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = command("search", "Search the record by meaning and by words")
    p.add_argument("query", metavar="QUERY", help='words or a question; "quoted" for an exact phrase')
    p.add_argument("-k", type=int, default=10, help="how many hits (default 10)")
    p.add_argument("--mode", choices=("hybrid", "vector", "bm25"), default="hybrid")
    p.add_argument("--kind", choices=("pdf", "transcript", "filing_text", "article"))
    p.add_argument("--entity", help="only documents naming this entity or party")
    p.add_argument("--after", metavar="DATE")
    p.add_argument("--before", metavar="DATE")
    p.add_argument("--case", dest="case_number", metavar="NUMBER")
    p.add_argument("--doc", help="only this document (id or base name)")
    p.add_argument("--phrase", action="store_true", help="exact phrase only")
    p.set_defaults(func=cmd_search)

    p = command("timeline", "Events in date order, each with its sources")
    p.add_argument("--entity")
    p.add_argument("--after", metavar="DATE")
    p.add_argument("--before", metavar="DATE")
    p.set_defaults(func=cmd_timeline)

    p = command("app", "Open the workbench (builds the store from corpus/ first if it is empty)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--corpus", default="corpus", help="folder ingested when the store is empty")
    p.set_defaults(func=cmd_app)

    p = command("cite", "A verified citation list (Bluebook, Markdown, CSV, RIS, BibTeX, CSL-JSON)")
    p.add_argument("--claim", action=_Select, metavar="ID", help="a stored claim (repeatable)")
    p.add_argument("--search", action=_Select, metavar="QUERY", help="the top hits of a search (repeatable)")
    p.add_argument("-k", action=_Select, type=int, metavar="N", help="hits the --search before it takes (default 5)")
    p.add_argument("--doc", action=_Select, metavar="DOC",
                   help="a stored document, with --page (an article: without, the whole article) (repeatable)")
    p.add_argument("--page", action=_Select, type=int, metavar="P", help="page of the --doc before it")
    p.add_argument("--lines", action=_Select, metavar="A-B", help="lines of that page (e.g. 3-10)")
    p.add_argument("--docket", action=_Select, metavar="N",
                   help="a docket entry, cited as the filing its text names (repeatable)")
    p.add_argument("--format", choices=("bluebook", "markdown", "csv", "ris", "bibtex", "csl-json"),
                   default="bluebook")
    p.add_argument("--style", choices=("ecf", "dkt"), default="ecf", help="ECF No. 121 (default) or Dkt. 121")
    p.add_argument("--case", dest="home_case", metavar="NUMBER",
                   help="the brief's own case (default: the case most cited documents belong to)")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--allow-unverified", action="store_true",
                   help="export even when a quote is not at its pin (it stays flagged)")
    p.set_defaults(func=cmd_cite, selections=[])

    p = command("graph", "Export the claims graph")
    p.add_argument("--format", choices=("graphml", "json"), default="graphml")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_graph)

    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("casebase: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except NoStore as e:
        print(f"casebase: {e}", file=sys.stderr)
        return 1


class NoStore(Exception):
    """A command that reads the store was pointed at a folder with none."""


def _existing(where: str | None) -> sqlite3.Connection:
    """The store's connection, for commands that only read it: a mistyped
    --store must not leave an empty store behind."""
    folder = store.store_dir(where)
    if not (folder / "casebase.db").is_file():
        raise NoStore(f"no store in {folder} (build one with: casebase ingest PATH --store {folder})")
    return store.connect(folder)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest, summary

    db = store.connect(args.store)
    bar = None
    if not args.json and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="file", desc="ingest", file=sys.stderr)

    def progress(outcome) -> None:
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(Path(outcome.path).name[:40])
        elif not args.json and outcome.status == "failed":
            print(f"failed: {outcome.error}", file=sys.stderr)

    outcomes = ingest(args.paths, db, workers=args.workers, progress=progress)
    if bar is not None:
        bar.close()
    if args.json:
        print(json.dumps({"documents": [
            {"id": o.id, "path": o.path, "status": o.status, "error": o.error,
             "kind": o.kind, "pages": o.pages, "warnings": o.warnings}
            for o in outcomes
        ]}, indent=2))
    else:
        print(summary(outcomes))
    return 0


def document_json(doc: Document) -> dict[str, Any]:
    """The `show --json` contract."""
    pages = []
    for page in doc.pages:
        entry: dict[str, Any] = {
            "number": page.number,
            "needs_ocr": page.needs_ocr,
            "lines": [
                {"number": l.number, "text": l.text, "speaker": l.speaker,
                 "paragraph": l.paragraph, "footnote": l.footnote,
                 "char_start": l.char_start, "char_end": l.char_end}
                for l in page.lines
            ],
        }
        if doc.kind == "transcript" or page.pdf_page != page.number:
            entry["pdf_page"] = page.pdf_page
        if page.stamp:
            entry["stamp"] = asdict(page.stamp)
        pages.append(entry)
    return {
        "id": doc.id, "path": doc.path, "kind": doc.kind, "title": doc.title,
        "case_number": doc.case_number, "document_number": doc.document_number,
        "filed": doc.filed, "date": doc.date, "court": doc.court, "parties": doc.parties,
        "page_count": doc.page_count, "warnings": doc.warnings, "metadata": doc.metadata,
        "pages": pages,
    }


def _open_doc(args: argparse.Namespace) -> tuple[Any, str] | None:
    db = _existing(args.store)
    doc_id = store.resolve(db, args.doc)
    if doc_id is None:
        print(f"casebase: no document '{args.doc}' in the store {store.store_dir(args.store)}",
              file=sys.stderr)
        return None
    return db, doc_id


def cmd_show(args: argparse.Namespace) -> int:
    found = _open_doc(args)
    if found is None:
        return 1
    db, doc_id = found
    doc = store.load(db, doc_id)
    if args.json:
        print(json.dumps(document_json(doc), indent=2, ensure_ascii=False))
        return 0
    print(f"{doc.title or Path(doc.path).name}  [{doc.kind}]  id {doc.id}")
    for label, value in (("case", doc.case_number), ("document", doc.document_number),
                         ("filed", doc.filed), ("court", doc.court), ("path", doc.path)):
        if value:
            print(f"  {label}: {value}")
    for w in doc.warnings:
        print(f"  warning: {w}")
    for page in doc.pages:
        where = f"page {page.number}"
        if page.pdf_page and page.pdf_page != page.number:
            where += f" (PDF page {page.pdf_page})"
        print(f"\n--- {where}{'  [needs OCR]' if page.needs_ocr else ''}")
        for line in page.lines:
            print(f"{line.number:>4}  {line.text}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    db = _existing(args.store)
    rows = list(store.documents(db))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(f"{r['id']}  {r['kind']:<11} {r['page_count']:>4}p  {r['filed'] or r['date'] or '':<10}  {r['name']}")
    print(f"{len(rows)} documents in {store.store_dir(args.store)}")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from . import aliases

    db = _existing(args.store)
    path = store.aliases_path(db)
    if args.action:
        wanted = 2 if args.action == "merge" else 1
        if len(args.names) != wanted:
            print(f"casebase: entities {args.action} takes {wanted} name(s)", file=sys.stderr)
            return 2
        (aliases.merge if args.action == "merge" else aliases.split)(path, *args.names)
        table = aliases.load_aliases(path)
        moved = store.recanonicalize(db, lambda name: aliases.canonical(name, table))
        print(f"{args.action}: {' / '.join(args.names)} ({path}); {moved} stored names re-resolved")
        return 0
    rows = store.entities(db, args.label)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        forms = ", ".join(f for f in r["forms"] if f != r["canonical"])[:80]
        print(f"{r['mentions']:>5}  {r['label']:<11} {r['canonical']}" + (f"  ({forms})" if forms else ""))
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    db = _existing(args.store)
    rows = store.claims(db, subject=args.subject, relation=args.relation, doc=args.doc, obj=args.obj)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for c in rows:
        stance = "NOT " if c["polarity"] == "negated" else ""
        hedge = " (hedged)" if c.get("hedged") else ""
        print(f"{c['subject']} {stance}{c['relation']} {c['object']}{hedge}"
              f" — {c['asserted_by']}, {c['posture']} — {c['cite']}\n    \"{c['quote']}\"")
    print(f"{len(rows)} claims")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .extract.score import report, score

    db = _existing(args.store)
    gold = [json.loads(l) for l in Path(args.gold).read_text(encoding="utf-8").splitlines() if l.strip()]
    figures = score(gold, store.claims(db), only_docs_in_gold=args.only_docs_in_gold)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .index import open_index
    from .search import search

    db = _existing(args.store)
    hits = search(db, open_index(store.store_dir(args.store)), args.query, k=args.k, mode=args.mode,
                  kind=args.kind, entity=args.entity, after=args.after, before=args.before,
                  case_number=args.case_number, doc=args.doc, phrase=args.phrase)
    if args.json:
        print(json.dumps([
            {"doc": h.doc, "page": h.page, "line_start": h.line_start, "line_end": h.line_end,
             "text": h.text, "score": h.score, "cite": h.cite, "snippet": h.snippet,
             "kind": h.kind, "title": h.title, "date": h.date}
            for h in hits], indent=2, ensure_ascii=False))
        return 0
    for n, h in enumerate(hits, 1):
        print(f"{n:>2}. {h.cite}  [{h.doc}]  score {h.score:.3f}\n    {h.snippet}")
    if not hits:
        print("no hits")
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .timeline import build_timeline

    db = _existing(args.store)
    events = build_timeline(db, entity=args.entity, after=args.after, before=args.before)
    if args.json:
        print(json.dumps([
            {"date": e.date, "precision": e.precision, "title": e.title, "disputed": e.disputed,
             "dates": e.dates, "kind": e.kind, "entities": e.entities,
             "sources": [{"doc": s.name or s.doc, "page": s.page, "line_start": s.line_start,
                          "cite": s.cite, "date_as_stated": s.date_as_stated} for s in e.sources]}
            for e in events], indent=2, ensure_ascii=False))
        return 0
    for e in events:
        flag = "  [disputed: " + " / ".join(e.dates) + "]" if e.disputed else ""
        print(f"{e.date:<12} {e.title}{flag}")
        for src in e.sources:
            print(f"{'':<14}{src.cite}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    import os
    import subprocess

    from .ingest import ingest, summary

    folder = store.store_dir(args.store)
    db = store.connect(folder)
    if not list(store.documents(db)):
        print(f"building the store in {folder} from {args.corpus}/ (first run only)", file=sys.stderr)
        print(summary(ingest([args.corpus], db)), file=sys.stderr)
    app = Path(__file__).resolve().parents[1] / "app.py"
    env = {**os.environ, "CASEBASE_STORE": str(folder.resolve())}
    return subprocess.call([sys.executable, "-m", "streamlit", "run", str(app), "--server.port",
                            str(args.port), "--browser.gatherUsageStats", "false"], env=env)


class _Select(argparse.Action):
    """Keeps --claim, --search and --doc in the order given (with the -k,
    --page and --lines that follow each), so the list is in the user's order."""

    def __call__(self, parser, namespace, value, option_string=None):
        selections = list(getattr(namespace, "selections", None) or [])
        if option_string in ("--claim", "--search", "--doc", "--docket"):
            selections.append({"what": option_string[2:], "value": value})
        elif not selections or (option_string == "-k") != (selections[-1]["what"] == "search"):
            parser.error(f"{option_string} must follow " + ("--search" if option_string == "-k" else "--doc"))
        else:
            selections[-1][option_string.lstrip("-")] = value
        namespace.selections = selections


def _line_range(text: str) -> tuple[int, int]:
    try:
        a, _, b = text.replace("–", "-").partition("-")
        return int(a), int(b or a)
    except ValueError:
        raise ValueError(f"--lines {text!r}: give A-B, e.g. 3-10") from None


def cmd_cite(args: argparse.Namespace) -> int:
    from .cite import formats, gather, lists, verify

    if not args.selections:
        print("casebase: cite needs --claim ID, --search QUERY, --doc DOC --page P or --docket N", file=sys.stderr)
        return 2
    db = _existing(args.store)
    items = []
    try:
        for sel in args.selections:
            if sel["what"] == "claim":
                items.append(gather.claim(db, sel["value"]))
            elif sel["what"] == "docket":
                items.append(gather.docket_entry(db, args.home_case or gather.docket_case(db), sel["value"]))
            elif sel["what"] == "doc":
                if "page" not in sel and gather.doc_row(db, gather.document_id(db, sel["value"]))["kind"] != "article":
                    raise gather.NotFound(f"--doc {sel['value']}: give the --page to cite")  # an article: whole
                start, end = _line_range(sel["lines"]) if "lines" in sel else (None, None)
                items.append(gather.passage(db, sel["value"], sel.get("page"), start, end))
            else:
                from .index import open_index
                from .search import search

                hits = search(db, open_index(store.store_dir(args.store)), sel["value"], k=sel.get("k", 5))
                items += [gather.hit(db, h) for h in hits]
    except (gather.NotFound, ValueError) as e:
        print(f"casebase: {e}", file=sys.stderr)
        return 2
    entries = verify.verify(db, lists.citation_list(items, args.style, args.home_case))
    if args.json:
        text = json.dumps([{"citation": e.text, "verified": e.verified, "problem": e.problem, **asdict(e.item)}
                           for e in entries], indent=2, ensure_ascii=False) + "\n"
    else:
        text = formats.EXPORTS[args.format][0](entries)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    failed = [e for e in entries if not e.verified]
    for e in failed:
        print(f"casebase: unverified: {e.text} ({e.problem})", file=sys.stderr)
    if failed and not args.allow_unverified:
        print(f"casebase: {len(failed)} of {len(entries)} citations failed verification"
              " (--allow-unverified exports them flagged)", file=sys.stderr)
        return 1
    if args.out:
        print(f"wrote {args.out}: {len(entries)} citations, {len(entries) - len(failed)} verified", file=sys.stderr)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    from . import graph

    db = _existing(args.store)
    docs = {r["name"]: r for r in store.documents(db)}
    g = graph.build(store.claims(db), docs)
    graph.export(g, args.out, args.format)
    summary = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "out": args.out,
               "contradictions": len(graph.contradictions(g))}
    print(json.dumps(summary) if args.json else
          f"wrote {args.out}: {summary['nodes']} nodes, {summary['edges']} edges, "
          f"{summary['contradictions']} contradicted propositions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
