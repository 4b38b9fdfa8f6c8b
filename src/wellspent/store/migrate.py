"""Bring a database to the newest schema with the Alembic migrations shipped in the package.

No ``alembic.ini`` is needed: :func:`alembic_config` builds the configuration in code. :func:`upgrade` is
idempotent and cheap when the database is already at the newest revision, so the importer and the CLI call it
on every use ("created on first use, no set-up").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade` did: the revision before (None for an empty database) and after."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """True when a migration ran."""
        return self.before != self.after


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for the shipped migrations, bound to ``connection`` (or ``url``) if given.

    Maintainers write a new revision with
    ``command.revision(alembic_config(url=...), message=..., autogenerate=True)`` against a database at head.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the package ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no migrations found in " + str(MIGRATIONS_DIR))
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database wellspent has never touched."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> UpgradeResult:
    """Create or upgrade the tables to ``revision`` (default: the newest), in one transaction."""
    with engine.begin() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        target = head_revision() if revision == "head" else revision
        if before != target:
            command.upgrade(alembic_config(connection), revision)
        after = MigrationContext.configure(connection).get_current_revision()
    if after is None:  # pragma: no cover - command.upgrade always stamps a revision
        raise RuntimeError("the database has no revision after upgrading")
    return UpgradeResult(before=before, after=after)
