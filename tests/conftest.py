"""Shared test helpers: repository paths and the shared data folder beside the clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def good_spec_path() -> Path:
    return FIXTURES / "good_spec.yaml"
