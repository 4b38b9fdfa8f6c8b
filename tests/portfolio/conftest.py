"""Fixtures: the INDIGO export beside the clone (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

INDIGO = SHARED / "data" / "indigo"


@pytest.fixture
def indigo_dir() -> Path:
    """The INDIGO export in ``../shared/data/indigo`` (skipped with the reason when it is not there)."""
    if not (INDIGO / "key-datasets" / "original_projects.csv").is_file():
        pytest.skip(f"INDIGO export not found at {INDIGO} (../shared beside the clone)")
    return INDIGO
