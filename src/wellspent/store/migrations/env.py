"""Alembic environment for the wellspent store.

Run programmatically by :func:`wellspent.store.migrate.upgrade`, which hands over an open connection in
``config.attributes["connection"]``. A maintainer can also run Alembic's own commands through
:func:`wellspent.store.migrate.alembic_config` (for example ``command.revision(cfg, autogenerate=True)``); with no
connection given, the database comes from ``sqlalchemy.url`` or the usual ``WELLSPENT_DATABASE_URL``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from wellspent.store.memory_models import search_index_tables
from wellspent.store.models import Base

target_metadata = Base.metadata
_SEARCH_INDEX = search_index_tables("sqlite")  # FTS5 table and shadow tables; on PostgreSQL the one table


def _not_search_index(name: str | None, type_: str, parent_names: MutableMapping[Any, str | None]) -> bool:
    """Autogenerate leaves the memory search index alone: migration 0005 makes it, no model describes it."""
    return (name if type_ == "table" else parent_names.get("table_name")) not in _SEARCH_INDEX


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_name=_not_search_index,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Write the SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    from wellspent.store.engine import database_url

    url = context.config.get_main_option("sqlalchemy.url") or None
    context.configure(url=database_url(url), target_metadata=target_metadata, literal_binds=True,
                      dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the connection given, or on a new one to the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    from wellspent.store.engine import get_engine

    engine = get_engine(context.config.get_main_option("sqlalchemy.url") or None)
    try:
        with engine.begin() as new_connection:
            _configure(new_connection)
    finally:
        engine.dispose()


def _mode() -> str | None:
    """``offline`` or ``online`` when Alembic runs this file; None when it is merely imported (pytest's doctest
    collection imports every module of the package)."""
    try:
        return "offline" if context.is_offline_mode() else "online"
    except NameError:  # Alembic's context proxy is not set up: not running under Alembic
        return None


_MODE = _mode()
if _MODE == "offline":
    run_offline()
elif _MODE == "online":
    run_online()
