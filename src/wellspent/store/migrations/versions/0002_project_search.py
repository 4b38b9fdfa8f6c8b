"""Full-text search over projects (issue 5, part 3).

PostgreSQL: a materialised view ``project_search`` (one row per project: ``project_id`` and a weighted
``document`` tsvector built from the project's name, alternative names, funds, policy sector, target population,
outcome-metric definitions and the names of its organisations, payers and investors) with a GIN index on
``document``. :func:`wellspent.registry.search.refresh_search_index` refreshes it after an import.

SQLite: nothing persistent. The store's table set is fixed by the models (an FTS5 virtual table brings five
shadow tables with it), so the FTS5 index is built in the connection's ``temp`` schema when a search runs
(:mod:`wellspent.registry.search`); 319 projects take a few milliseconds.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROJECT_SEARCH_VIEW = """
CREATE MATERIALIZED VIEW project_search AS
SELECT
    p.id AS project_id,
    setweight(to_tsvector('english', coalesce(p.name, '') || ' ' || coalesce(p.alternative_names, '') || ' '
                          || coalesce(f.names, '')), 'A')
    || setweight(to_tsvector('english', coalesce(p.policy_sector, '') || ' ' || coalesce(p.target_population, '')),
                 'B')
    || setweight(to_tsvector('english', coalesce(m.definitions, '')), 'C')
    || setweight(to_tsvector('english', coalesce(o.names, '')), 'D') AS document
FROM projects p
LEFT JOIN LATERAL (
    SELECT string_agg(coalesce(funds.name, pf.fund_id), ' ') AS names
    FROM project_funds pf LEFT JOIN funds ON funds.id = pf.fund_id
    WHERE pf.project_id = p.id
) f ON true
LEFT JOIN LATERAL (
    SELECT string_agg(coalesce(om.definition, '') || ' ' || coalesce(om.target_population, ''), ' ') AS definitions
    FROM outcome_metrics om WHERE om.project_id = p.id
) m ON true
LEFT JOIN LATERAL (
    SELECT string_agg(DISTINCT coalesce(org.name, '') || ' ' || coalesce(org.trading_name, ''), ' ') AS names
    FROM organisations org
    WHERE org.id IN (
        SELECT trim(both ' ' FROM item) FROM unnest(string_to_array(coalesce(p.organisation_ids, ''), ',')) AS item
        UNION SELECT c.organisation_id FROM outcome_payment_commitments c WHERE c.project_id = p.id
        UNION SELECT i.organisation_id FROM investments i WHERE i.project_id = p.id
    )
) o ON true
WITH DATA
"""


def upgrade() -> None:
    """Upgrade the schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PROJECT_SEARCH_VIEW)
    op.execute("CREATE UNIQUE INDEX ix_project_search_project_id ON project_search (project_id)")
    op.execute("CREATE INDEX ix_project_search_document ON project_search USING gin (document)")


def downgrade() -> None:
    """Downgrade the schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP MATERIALIZED VIEW IF EXISTS project_search")
