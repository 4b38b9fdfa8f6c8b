"""The database backends the store tests run on: a temporary SQLite file and a fresh PostgreSQL database.

PostgreSQL: the server named by ``WELLSPENT_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``, trust authentication, as on the development machines and
in ``.ci/run``) gets a new database per test, dropped afterwards. Where no server answers the PostgreSQL cases are
skipped with the reason, except under CI (``CI=true``), where they fail: CI must test both backends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from wellspent.store.engine import get_engine

POSTGRES_URL_ENV = "WELLSPENT_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    """The URL of a database on the test server from which other databases can be created."""
    return os.environ.get(POSTGRES_URL_ENV, "").strip() or DEFAULT_POSTGRES_URL


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available ({reason}); set {POSTGRES_URL_ENV} or start a server on 127.0.0.1:5432")


def postgres_database() -> Iterator[str]:
    """Create a fresh database on the test server, yield its URL, drop it afterwards."""
    admin_url = make_url(postgres_admin_url())
    if admin_url.drivername in ("postgresql", "postgres"):
        admin_url = admin_url.set(drivername="postgresql+psycopg")
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    except ModuleNotFoundError as exc:  # psycopg not installed
        _unavailable(str(exc))
        raise  # pragma: no cover - _unavailable always raises
    name = f"wellspent_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        _unavailable(str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        yield from postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database (for PostgreSQL-only tests)."""
    yield from postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database, on each backend."""
    engine = get_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()
