"""Copy the database to a file (``wellspent db backup``).

- **SQLite**: Python's :meth:`sqlite3.Connection.backup` (the SQLite online backup API), which copies a
  consistent snapshot even while another process writes; WAL content is included. The copy is itself a
  ready-to-use SQLite database.
- **PostgreSQL**: ``pg_dump --format=custom`` when ``pg_dump`` is on the PATH (restore with ``pg_restore``); the
  password, if the URL has one, goes to ``pg_dump`` through ``PGPASSWORD``, not the command line. Without
  ``pg_dump`` the backup is refused with a message saying so (exit 2).

The default destination is ``<WELLSPENT_HOME>/backups/wellspent-<UTC timestamp>.db`` (``.dump`` for PostgreSQL).
An existing file is never overwritten.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from wellspent.errors import InputError
from wellspent.store.engine import data_home, describe, is_sqlite


def default_backup_path(suffix: str, now: datetime | None = None) -> Path:
    """``<WELLSPENT_HOME>/backups/wellspent-YYYYMMDDTHHMMSSZ<suffix>``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return data_home() / "backups" / f"wellspent-{stamp}{suffix}"


def backup(engine: Engine, to: Path | None = None) -> Path:
    """Back the database of ``engine`` up to ``to`` (default: :func:`default_backup_path`) and return the path."""
    if is_sqlite(engine.url):
        return _backup_sqlite(engine, to or default_backup_path(".db"))
    if engine.url.get_backend_name() == "postgresql":
        return _backup_postgres(engine, to or default_backup_path(".dump"))
    raise InputError.single(None, "WELLSPENT_DATABASE_URL",
                            f"backups are supported for SQLite and PostgreSQL, not {engine.url.get_backend_name()}")


def _target(to: Path) -> Path:
    target = to.expanduser()
    if target.exists():
        raise InputError.single(str(target), "", "already exists; choose another file (backups never overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _backup_sqlite(engine: Engine, to: Path) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise InputError.single(None, "WELLSPENT_DATABASE_URL", "an in-memory database cannot be backed up")
    source_path = Path(database).expanduser()
    if not source_path.exists():
        raise InputError.single(str(source_path), "", "no database here yet; run `wellspent db upgrade` first")
    target = _target(to)
    source = sqlite3.connect(source_path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def _backup_postgres(engine: Engine, to: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise InputError.single(None, "db backup",
                                f"PostgreSQL databases are backed up with pg_dump, which is not on the PATH "
                                f"(Debian: apt-get install postgresql-client); then run: "
                                f"pg_dump --format=custom --file=FILE {describe(engine.url)}")
    target = _target(to)
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    completed = subprocess.run(
        [pg_dump, "--format=custom", f"--file={target}", f"--dbname={url.render_as_string(hide_password=False)}"],
        env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        target.unlink(missing_ok=True)
        raise InputError.single(None, "db backup",
                                f"pg_dump failed (exit {completed.returncode}): {completed.stderr.strip()}")
    return target
