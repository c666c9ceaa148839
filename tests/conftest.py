"""Shared test helpers: fixture paths, the ../shared data (skipped when absent), a cached analysis."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("STORYWORLD_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared() -> Path:
    """../shared (or $STORYWORLD_SHARED); the test is skipped when it is not there."""
    if not (SHARED / "corpora").is_dir():
        pytest.skip("../shared is not present")
    return SHARED
