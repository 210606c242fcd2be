"""Ingest end to end through the CLI: the store, the JSON contract, bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebase import store
from casebase.cli import main
from casebase.ingest import ingest
from casebase.testing import pleading_line, pleading_pdf

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared" / "corpus"


def run_json(capsys, *argv: str) -> dict | list:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_sample_corpus_ingests_and_reingest_is_a_no_op(tmp_path, capsys):
    out = run_json(capsys, "ingest", str(CORPUS), "--store", str(tmp_path))
    docs = out["documents"]
    files = [f for f in CORPUS.rglob("*") if f.suffix in (".pdf", ".txt", ".md") and f.name != "README.md"]
    dockets = list(CORPUS.rglob("docket*.json")) + list(CORPUS.rglob("docket*.tsv"))
    assert len(docs) == len(files) + len(dockets)
    assert {d["status"] for d in docs if d["kind"] != "docket"} == {"ingested"}, [d for d in docs if d["error"]]
    # the docket's JSON and TSV carry the same entries: the second adds nothing
    assert [d["status"] for d in docs if d["kind"] == "docket"] == ["ingested", "unchanged"]
    again = run_json(capsys, "ingest", str(CORPUS), "--store", str(tmp_path))
    assert {d["status"] for d in again["documents"]} == {"unchanged"}
    assert [d["id"] for d in again["documents"]] == [d["id"] for d in docs]


def test_show_json_contract_for_pleading_pdf(tmp_path, capsys):
    pdf = tmp_path / "in" / "generated_order.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(pleading_pdf(3))
    run_json(capsys, "ingest", str(pdf), "--store", str(tmp_path / "s"))
    shown = run_json(capsys, "show", "generated_order.pdf", "--store", str(tmp_path / "s"))
    for key in ("id", "path", "kind", "title", "case_number", "document_number", "filed",
                "page_count", "pages"):
        assert key in shown
    assert shown["kind"] == "pdf"
    assert shown["case_number"] == "4:24-cv-04722-YGR"
    assert shown["document_number"] == "999"
    assert shown["filed"] == "2025-03-04"
    assert shown["page_count"] == 3
    page2 = shown["pages"][1]
    assert page2["number"] == 2 and page2["needs_ocr"] is False
    assert [l["number"] for l in page2["lines"]] == list(range(1, 29))
    assert page2["lines"][16]["text"] == pleading_line(2, 17)
    # the stamp and the footer are not body text
    assert not any("Document 999" in l["text"] or "GENERATED ORDER" in l["text"]
                   for p in shown["pages"] for l in p["lines"])
    # the id works as well as the base name
    assert run_json(capsys, "show", shown["id"], "--store", str(tmp_path / "s"))["id"] == shown["id"]
    # --store may come before the command too
    assert run_json(capsys, "--store", str(tmp_path / "s"), "show", shown["id"])["id"] == shown["id"]


def test_changed_file_replaces_its_old_version(tmp_path):
    db = store.connect(tmp_path / "s")
    f = tmp_path / "order.pdf"
    f.write_bytes(pleading_pdf(2, document="10"))
    first = ingest([f], db, workers=1)[0]
    f.write_bytes(pleading_pdf(3, document="11"))
    second = ingest([f], db, workers=1)[0]
    assert first.status == second.status == "ingested" and first.id != second.id
    rows = db.execute("SELECT id, document_number, page_count FROM documents").fetchall()
    assert [tuple(r) for r in rows] == [(second.id, "11", 3)]
    assert db.execute("SELECT count(*) FROM lines WHERE doc_id = ?", (first.id,)).fetchone()[0] == 0
    assert db.execute("SELECT count(DISTINCT page_seq) FROM lines").fetchone()[0] == 3


def bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad file and a word its error must contain."""
    good = pleading_pdf(2)
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (folder / "really_html.pdf").write_bytes(b"<!DOCTYPE html><html><body>Not found</body></html>")
    with open(folder / "huge.pdf", "wb") as f:  # 1 GB, sparse
        f.truncate(2**30)
    (folder / "binary.txt").write_bytes(b"Case notes\x00\x01\x02" + os.urandom(2048))
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(__import__("io").BytesIO(good)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(folder / "encrypted.pdf", "wb") as f:
        writer.write(f)
    return {
        "zero.pdf": "empty",
        "truncated.pdf": "truncated",
        "really_html.pdf": "HTML",
        "huge.pdf": "too large",
        "binary.txt": "binary",
        "image.png": "unsupported",
        "encrypted.pdf": "encrypted",
    }


def test_bad_input_fails_one_line_each_and_the_batch_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = bad_inputs(folder)
    latin1 = folder / "latin1_notes.txt"
    latin1.write_bytes("Déclaration de M. Müller — café, naïve, § 12.\n".encode("cp1252") * 3)
    good = folder / "good.pdf"
    good.write_bytes(pleading_pdf(1))
    paths = [str(folder / name) for name in expected] + [str(latin1), str(good)]
    out = run_json(capsys, "ingest", *paths, "--store", str(tmp_path / "s"))
    by_name = {Path(d["path"]).name: d for d in out["documents"]}
    for name, word in expected.items():
        d = by_name[name]
        assert d["status"] == "failed", d
        assert name in d["error"] and word.lower() in d["error"].lower(), d["error"]
        assert "\n" not in d["error"]
    assert by_name["good.pdf"]["status"] == "ingested"
    assert by_name["latin1_notes.txt"]["status"] == "ingested"
    shown = run_json(capsys, "show", "latin1_notes.txt", "--store", str(tmp_path / "s"))
    assert "Müller — café" in shown["pages"][0]["lines"][0]["text"]
    db = store.connect(tmp_path / "s")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    # the human summary names each failure on its own line
    capsys.readouterr()
    assert main(["ingest", *paths, "--store", str(tmp_path / "s2")]) == 0
    text = capsys.readouterr().out
    assert "2 ingested, 0 unchanged, 7 failed" in text
    assert sum(line.strip().startswith("failed:") for line in text.splitlines()) == 7


def test_killed_ingest_leaves_a_consistent_store_and_resumes(tmp_path):
    PAGES = 8
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        (src / f"order_{i:02}.pdf").write_bytes(pleading_pdf(PAGES, document=str(100 + i)))
    storedir = tmp_path / "s"
    cmd = [sys.executable, "-m", "casebase.cli", "ingest", str(src), "--store", str(storedir),
           "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db_path = storedir / "casebase.db"
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and proc.poll() is None:
        if db_path.exists():
            try:
                with sqlite3.connect(db_path, timeout=5) as check:
                    done = check.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            if done >= 2:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 2 <= done < 12, "the run should have been killed midway"

    db = store.connect(storedir)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for row in db.execute("SELECT id, page_count FROM documents"):
        pages = db.execute("SELECT count(*) FROM pages WHERE doc_id = ?", (row["id"],)).fetchone()[0]
        lines = db.execute("SELECT count(*) FROM lines WHERE doc_id = ?", (row["id"],)).fetchone()[0]
        assert pages == row["page_count"] == PAGES and lines == PAGES * 28
    partial = db.execute("SELECT count(*) FROM documents").fetchone()[0]

    result = subprocess.run(cmd + ["--json"], capture_output=True, text=True, check=True)
    statuses = [d["status"] for d in json.loads(result.stdout)["documents"]]
    assert statuses.count("unchanged") == partial
    assert statuses.count("ingested") == 12 - partial
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 12
    assert db.execute("SELECT count(*) FROM lines").fetchone()[0] == 12 * PAGES * 28
    # the vector index caught up with the documents the killed run had committed
    from casebase.index import open_index

    chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert open_index(storedir).count() == chunks > 0


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not beside this checkout")
def test_every_shared_filing_ingests(tmp_path, capsys):
    out = run_json(capsys, "ingest", str(SHARED / "filings-pdf"), str(SHARED / "filings-text"),
                   "--store", str(tmp_path))
    docs = out["documents"]
    assert len(docs) == 19 + 8
    failed = [d for d in docs if d["status"] != "ingested"]
    assert not failed, failed


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (OCR is optional)")
def test_ocr_fills_a_scanned_page_when_tesseract_is_installed(shared, monkeypatch):
    from casebase.parse import parse_file

    monkeypatch.setenv("CASEBASE_OCR", "1")
    doc = parse_file(shared / "corpus" / "filings-pdf" / "scotus_11-889_tarrant_v_herrmann_slip_SCANNED.pdf")
    page = doc.pages[0]
    assert page.needs_ocr  # the text did not come from the file
    assert any("OCR (Tesseract)" in w for w in doc.warnings)
    text = " ".join(l.text for l in page.lines).lower()
    assert "tarrant" in text and "herrmann" in text
