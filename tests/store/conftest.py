"""Fixtures: ``database_url`` and ``engine`` on SQLite and PostgreSQL (see ``backends.py``)."""

from tests.store.backends import database_url, engine, postgres_url

__all__ = ["database_url", "engine", "postgres_url"]
