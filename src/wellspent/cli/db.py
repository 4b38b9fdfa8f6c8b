"""``wellspent db upgrade|backup``: the wellspent database (SQLite by default, PostgreSQL by URL; ADR 0010).

SQLAlchemy and Alembic are imported inside the commands, so other verbs never load them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from wellspent.errors import InputError

db_app = typer.Typer(
    help="The wellspent database: create or upgrade its tables, back it up. SQLite in WELLSPENT_HOME by default; "
         "set WELLSPENT_DATABASE_URL for PostgreSQL.",
    no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON.")]


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn "cannot reach the database" into a bad-input error (exit 2) that names the setting to check."""
    from sqlalchemy.exc import OperationalError

    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise InputError.single(None, "WELLSPENT_DATABASE_URL", f"cannot use the database: {reason}") from None


@db_app.command("upgrade")
def upgrade_database(json_output: JsonOption = False) -> None:
    """Create the database if needed and bring its tables to the newest schema (safe to run again)."""
    from wellspent.store.engine import describe, get_engine
    from wellspent.store.migrate import upgrade

    engine = get_engine()
    try:
        with database_errors():
            result = upgrade(engine)
    finally:
        engine.dispose()
    document = {"database": describe(engine.url), "before": result.before, "after": result.after,
                "changed": result.changed}
    if json_output:
        from wellspent.cli.output import print_json

        print_json(document)
    elif result.changed:
        typer.echo(f"Upgraded {document['database']} from {result.before or 'an empty database'} "
                   f"to revision {result.after}.")
    else:
        typer.echo(f"{document['database']} is already at the newest revision ({result.after}).")


@db_app.command("backup")
def backup_database(
    to: Annotated[Path | None, typer.Option(
        "--to", help="Write the backup here (default: WELLSPENT_HOME/backups/wellspent-<UTC time>.db, or .dump "
                     "for PostgreSQL). An existing file is never overwritten.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Back the database up: SQLite with its online backup API; PostgreSQL with pg_dump (custom format)."""
    from wellspent.store.backup import backup
    from wellspent.store.engine import describe, get_engine

    engine = get_engine()
    try:
        with database_errors():
            path = backup(engine, to)
    finally:
        engine.dispose()
    if json_output:
        from wellspent.cli.output import print_json

        print_json({"database": describe(engine.url), "backup": str(path), "bytes": path.stat().st_size})
    else:
        typer.echo(f"Backed up {describe(engine.url)} to {path} ({path.stat().st_size:,} bytes).")
