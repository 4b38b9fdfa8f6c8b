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
