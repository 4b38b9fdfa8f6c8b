"""Memory record types ``appraisal`` and ``contract``: saved appraisal and contract runs (issue 6 item 2).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "type IN ('lesson', 'decision', 'evaluation', 'review')"
NEW = "type IN ('lesson', 'decision', 'evaluation', 'review', 'appraisal', 'contract')"


def _replace(check: str) -> None:
    with op.batch_alter_table("memory_records") as batch:  # SQLite: the table is copied
        batch.drop_constraint(op.f("ck_memory_records_type"), type_="check")
        batch.create_check_constraint(op.f("ck_memory_records_type"), check)


def upgrade() -> None:
    """Upgrade the schema."""
    _replace(NEW)


def downgrade() -> None:
    """Downgrade the schema (refused by the database while saved runs remain)."""
    _replace(OLD)
