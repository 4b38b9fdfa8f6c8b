"""The store: SQLAlchemy 2 models, engines and Alembic migrations (DESIGN §1).

SQLite by default (a file in ``WELLSPENT_HOME``, WAL mode, created on first use); PostgreSQL through
``WELLSPENT_DATABASE_URL``. The public surface:

- :func:`wellspent.store.engine.get_engine` — an engine for the configured database;
- :func:`wellspent.store.migrate.upgrade` — bring a database to the newest schema (idempotent);
- :func:`wellspent.store.backup.backup` — copy the database to a file;
- :mod:`wellspent.store.models` — the tables.

Nothing here is imported by the appraisal or contract engines; the CLI imports it lazily.
"""

from wellspent.store import memory_models as _memory_models  # noqa: F401 - registers the memory tables on Base
