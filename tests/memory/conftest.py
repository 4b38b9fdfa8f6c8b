"""Fixtures: ``database_url`` and ``engine`` on SQLite and PostgreSQL (see ``tests/store/backends.py``), and a
second empty database on the same backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.store.backends import database_url, engine, postgres_database, postgres_url
from wellspent.store.engine import get_engine

__all__ = ["database_url", "engine", "other_engine", "postgres_url"]


@pytest.fixture
def other_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A second, empty database on the same backend as ``engine``."""
    if database_url.startswith("sqlite"):
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'other.db'}"])
    else:
        urls = postgres_database()
    url = next(urls)
    other = get_engine(url)
    try:
        yield other
    finally:
        other.dispose()
        for _ in urls:  # drop the PostgreSQL database
            pass
