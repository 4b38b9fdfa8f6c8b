"""Where the database is and how to connect to it (DESIGN §1: configuration by environment).

- ``WELLSPENT_HOME``: the data folder. Default: the platform's user data folder for ``wellspent``
  (``~/.local/share/wellspent`` on Linux).
- ``WELLSPENT_DATABASE_URL``: an SQLAlchemy URL. Default: ``sqlite:///<WELLSPENT_HOME>/wellspent.db``.
  ``postgresql://…`` and ``postgres://…`` mean ``postgresql+psycopg://…`` (psycopg 3, the ``postgres`` extra).

SQLite connections get ``journal_mode=WAL``, ``foreign_keys=ON`` and a 30 s busy timeout, and their
transactions are real ones (``BEGIN`` is sent by SQLAlchemy, not left to the driver), so a migration or an
import either happens whole or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from wellspent.errors import InputError

HOME_ENV = "WELLSPENT_HOME"
DATABASE_URL_ENV = "WELLSPENT_DATABASE_URL"
DATABASE_FILE = "wellspent.db"
SQLITE_BUSY_TIMEOUT_S = 30.0


def data_home() -> Path:
    """The data folder: ``$WELLSPENT_HOME`` if set, else the platform's user data folder (not created here)."""
    configured = os.environ.get(HOME_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("wellspent", appauthor=False)


def database_url(url: str | URL | None = None) -> URL:
    """The database URL: ``url`` if given, else ``$WELLSPENT_DATABASE_URL``, else the SQLite file in the data folder.

    A PostgreSQL URL without a driver gets psycopg 3:

    >>> database_url("postgresql://postgres@127.0.0.1:5432/wellspent").drivername
    'postgresql+psycopg'
    >>> database_url("sqlite:////tmp/x.db").database
    '/tmp/x.db'
    """
    source = "--url" if url is not None else DATABASE_URL_ENV
    if url is None:
        url = os.environ.get(DATABASE_URL_ENV, "").strip() or None
    if url is None:
        return URL.create("sqlite", database=str(data_home() / DATABASE_FILE))
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError.single(None, source, f"not a database URL: {exc}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(url: URL) -> bool:
    """True for an SQLite URL."""
    return url.get_backend_name() == "sqlite"


def describe(url: URL) -> str:
    """The URL for messages: the password hidden."""
    return url.render_as_string(hide_password=True)


def get_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default: see :func:`database_url`). For an SQLite file the folder is created.

    Extra keyword arguments go to :func:`sqlalchemy.create_engine`. The database itself is not touched until the
    first connection; call :func:`wellspent.store.migrate.upgrade` to create or upgrade its tables.
    """
    resolved = database_url(url)
    if is_sqlite(resolved):
        if resolved.database and resolved.database != ":memory:" and not resolved.database.startswith("file:"):
            Path(resolved.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
        engine = _create(resolved, connect_args=connect_args, **kwargs)
        _configure_sqlite(engine)
        return engine
    return _create(resolved, **kwargs)


def _create(url: URL, **kwargs: Any) -> Engine:
    try:
        return create_engine(url, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        hint = ("; PostgreSQL needs the postgres extra: pip install 'wellspent[postgres]'"
                if url.get_backend_name() == "postgresql" else "")
        raise InputError.single(None, DATABASE_URL_ENV,
                                f"cannot use database driver {url.drivername!r} ({exc}){hint}") from None


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and proper transactions on every SQLite connection (SQLAlchemy's pysqlite recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver sends no BEGIN of its own; see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
