"""Shared fixtures: where the read-only shared corpus lives."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared material (../shared in CI); tests on real documents skip without it."""
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED
