"""Tables of institutional memory (issue 6; ADR 0011): records, every version of each, and their links.

- ``memory_records``: one row per record: type, title, the current version number (optimistic locking: an update
  names the version it started from), the soft-delete flag with reason, time and role;
- ``memory_versions``: every version ever saved: the full front matter (JSON) and the Markdown body, when, by which
  role and why. Versions are never updated or deleted;
- ``memory_links``: the current version's links (``registry``, ``appraisal``, ``contract``, ``record``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wellspent.store.models import Base

MEMORY_TYPES = ("lesson", "decision", "evaluation", "review", "appraisal", "contract")
MEMORY_LINK_KINDS = ("registry", "appraisal", "contract", "record")
MEMORY_ID = String(80)


class MemoryRecord(Base):
    """A record: its current version number and whether it is (softly) deleted."""

    __tablename__ = "memory_records"
    __table_args__ = (CheckConstraint(f"type IN {MEMORY_TYPES!r}", name="type"), Index(None, "type"))

    id: Mapped[str] = mapped_column(MEMORY_ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str]
    version: Mapped[int]
    """The current version (1, 2, …)."""
    deleted: Mapped[bool]
    deleted_reason: Mapped[str | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_role: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MemoryVersion(Base):
    """One saved version of a record."""

    __tablename__ = "memory_versions"

    record_id: Mapped[str] = mapped_column(MEMORY_ID, ForeignKey("memory_records.id"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    front_matter: Mapped[dict[str, Any]]
    body: Mapped[str]
    changed_at: Mapped[datetime]
    changed_by_role: Mapped[str | None]
    change_note: Mapped[str | None]


class MemoryLink(Base):
    """A link of a record's current version."""

    __tablename__ = "memory_links"
    __table_args__ = (CheckConstraint(f"kind IN {MEMORY_LINK_KINDS!r}", name="kind"), Index(None, "target"))

    record_id: Mapped[str] = mapped_column(MEMORY_ID, ForeignKey("memory_records.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    target: Mapped[str] = mapped_column(String(300), primary_key=True)


MEMORY_SEARCH_TABLE = "memory_search"
"""The full-text index of current records (migration ``0005``; ADR 0012), kept in step by the memory service.

It is not a model: on SQLite it is an FTS5 virtual table (``record_id UNINDEXED, type UNINDEXED, title, fields,
body``), on PostgreSQL a table ``(record_id, type, document tsvector)`` with a GIN index; see
:mod:`wellspent.memory.search_index`."""
MEMORY_SEARCH_HEAD_TABLE = "memory_search_head"
"""SQLite only: a second, small FTS5 table over the same records' title and front-matter text (``record_id
UNINDEXED, type UNINDEXED, title, fields``; same rowid), which the search probes for records holding common words
in their title or fields without reading the bodies' long doclists (migration ``0005``)."""
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
"""The shadow tables SQLite's FTS5 keeps beside a virtual table."""


def search_index_tables(dialect: str) -> frozenset[str]:
    """The tables the search index adds to a database of ``dialect`` (``sqlite``: the two FTS5 tables and their
    shadow tables; otherwise the one table), which ``Base.metadata`` does not describe.

    >>> sorted(search_index_tables("postgresql"))
    ['memory_search']
    >>> len(search_index_tables("sqlite"))
    12
    """
    if dialect == "sqlite":
        return frozenset({table + suffix for table in (MEMORY_SEARCH_TABLE, MEMORY_SEARCH_HEAD_TABLE)
                          for suffix in ("", *FTS5_SHADOW_SUFFIXES)})
    return frozenset({MEMORY_SEARCH_TABLE})
