"""Shared fixtures: where the read-only shared corpus lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Scanned pages stay flagged and empty unless a test turns OCR on itself, so
# results do not depend on whether Tesseract happens to be installed.
os.environ["CASEBASE_OCR"] = "0"

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared material (../shared in CI); tests on real documents skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED
