"""Institutional memory: memory_records, memory_versions, memory_links (issue 6; ADR 0011).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "memory_records",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_reason", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_role", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("type IN ('lesson', 'decision', 'evaluation', 'review')",
                           name=op.f("ck_memory_records_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memory_records")),
    )
    op.create_index(op.f("ix_memory_records_type"), "memory_records", ["type"], unique=False)
    op.create_table(
        "memory_versions",
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("front_matter", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_role", sa.Text(), nullable=True),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["memory_records.id"],
                                name=op.f("fk_memory_versions_record_id_memory_records")),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_memory_versions")),
    )
    op.create_table(
        "memory_links",
        sa.Column("record_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.CheckConstraint("kind IN ('registry', 'appraisal', 'contract', 'record')",
                           name=op.f("ck_memory_links_kind")),
        sa.ForeignKeyConstraint(["record_id"], ["memory_records.id"],
                                name=op.f("fk_memory_links_record_id_memory_records")),
        sa.PrimaryKeyConstraint("record_id", "kind", "target", name=op.f("pk_memory_links")),
    )
    op.create_index(op.f("ix_memory_links_target"), "memory_links", ["target"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index(op.f("ix_memory_links_target"), table_name="memory_links")
    op.drop_table("memory_links")
    op.drop_table("memory_versions")
    op.drop_index(op.f("ix_memory_records_type"), table_name="memory_records")
    op.drop_table("memory_records")
