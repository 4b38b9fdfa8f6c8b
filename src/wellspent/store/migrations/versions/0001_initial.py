"""Initial tables: imports, organisations, funds, projects and their sub-lists (ADR 0010).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_dir", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("file_hashes", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("counts", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("wellspent_version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index(op.f("ix_imports_content_hash"), "imports", ["content_hash"], unique=False)

    op.create_table(
        "funds",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("host_organisation_id", sa.String(length=64), nullable=True),
        sa.Column("mechanism", sa.Text(), nullable=True),
        sa.Column("expression_of_interest_date", sa.Text(), nullable=True),
        sa.Column("launch_date", sa.Text(), nullable=True),
        sa.Column("anticipated_end_date", sa.Text(), nullable=True),
        sa.Column("actual_end_date", sa.Text(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("primary_sdg_goal", sa.Text(), nullable=True),
        sa.Column("secondary_sdg_goals", sa.Text(), nullable=True),
        sa.Column("target_population", sa.Text(), nullable=True),
        sa.Column("targeted_service_users", sa.Integer(), nullable=True),
        sa.Column("value_currency", sa.Text(), nullable=True),
        sa.Column("value_aspiration", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("value_aspiration_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("value_actual", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("value_actual_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("repayable_investment_currency", sa.Text(), nullable=True),
        sa.Column("repayable_investment_aspiration", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("repayable_investment_aspiration_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("repayable_investment_actual", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("repayable_investment_actual_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("outcome_contracts_aspiration", sa.Integer(), nullable=True),
        sa.Column("outcome_contracts_actual", sa.Integer(), nullable=True),
        sa.Column("outcome_funders_aspiration", sa.Integer(), nullable=True),
        sa.Column("outcome_funders_actual", sa.Integer(), nullable=True),
        sa.Column("investors_aspiration", sa.Integer(), nullable=True),
        sa.Column("investors_actual", sa.Integer(), nullable=True),
        sa.Column("identifier_scheme", sa.Text(), nullable=True),
        sa.Column("identifier", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("notes", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("first_seen_import_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_import_id"], ["imports.id"], name=op.f("fk_funds_first_seen_import_id_imports")
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_import_id"], ["imports.id"], name=op.f("fk_funds_last_seen_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("trading_name", sa.Text(), nullable=True),
        sa.Column("name_english", sa.Text(), nullable=True),
        sa.Column("name_source_language", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("jurisdiction", sa.Text(), nullable=True),
        sa.Column("org_type", sa.Text(), nullable=True),
        sa.Column("org_identifier", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("first_seen_import_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_import_id"], ["imports.id"], name=op.f("fk_organisations_first_seen_import_id_imports")
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_import_id"], ["imports.id"], name=op.f("fk_organisations_last_seen_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("alternative_names", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("social_investment_prototype", sa.Text(), nullable=True),
        sa.Column("countries", sa.Text(), nullable=True),
        sa.Column("organisation_ids", sa.Text(), nullable=True),
        sa.Column("jurisdiction", sa.Text(), nullable=True),
        sa.Column("contract_signed", sa.Text(), nullable=True),
        sa.Column("all_contracts_signed", sa.Text(), nullable=True),
        sa.Column("anticipated_completion", sa.Text(), nullable=True),
        sa.Column("actual_completion", sa.Text(), nullable=True),
        sa.Column("service_start", sa.Text(), nullable=True),
        sa.Column("anticipated_service_end", sa.Text(), nullable=True),
        sa.Column("actual_service_end", sa.Text(), nullable=True),
        sa.Column("anticipated_duration_months", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("actual_duration_months", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_currency", sa.Text(), nullable=True),
        sa.Column("investment_min", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_exact", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_max", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_min_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_exact_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("investment_max_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_outcome_payment_currency", sa.Text(), nullable=True),
        sa.Column("max_outcome_payment", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_outcome_payment_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_potential_loss", sa.Text(), nullable=True),
        sa.Column("max_potential_return_type", sa.Text(), nullable=True),
        sa.Column("max_potential_return", sa.Text(), nullable=True),
        sa.Column("contracting_configuration", sa.Text(), nullable=True),
        sa.Column("investor_repayment", sa.Text(), nullable=True),
        sa.Column("outcome_payments_made_currency", sa.Text(), nullable=True),
        sa.Column("outcome_payments_made", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("outcome_payments_made_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("funds_invested_currency", sa.Text(), nullable=True),
        sa.Column("funds_invested", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("funds_invested_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("funds_invested_date", sa.Text(), nullable=True),
        sa.Column("irr_target", sa.Text(), nullable=True),
        sa.Column("irr_latest", sa.Text(), nullable=True),
        sa.Column("irr_date", sa.Text(), nullable=True),
        sa.Column("social_challenge", sa.Text(), nullable=True),
        sa.Column("intervention", sa.Text(), nullable=True),
        sa.Column("policy_sector", sa.Text(), nullable=True),
        sa.Column("primary_sdg_goal", sa.Text(), nullable=True),
        sa.Column("secondary_sdg_goals", sa.Text(), nullable=True),
        sa.Column("primary_sdg_target", sa.Text(), nullable=True),
        sa.Column("secondary_sdg_targets", sa.Text(), nullable=True),
        sa.Column("target_population", sa.Text(), nullable=True),
        sa.Column("targeted_service_users", sa.Integer(), nullable=True),
        sa.Column("targeted_unit_type", sa.Text(), nullable=True),
        sa.Column("targeted_unit_description", sa.Text(), nullable=True),
        sa.Column("actual_service_users", sa.Integer(), nullable=True),
        sa.Column("actual_unit_type", sa.Text(), nullable=True),
        sa.Column("actual_unit_description", sa.Text(), nullable=True),
        sa.Column("covid_changes", sa.Text(), nullable=True),
        sa.Column("project_notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("section_notes", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("first_seen_import_id", sa.Integer(), nullable=False),
        sa.Column("last_seen_import_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'withdrawn')", name=op.f("ck_projects_status")),
        sa.ForeignKeyConstraint(
            ["first_seen_import_id"], ["imports.id"], name=op.f("fk_projects_first_seen_import_id_imports")
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_import_id"], ["imports.id"], name=op.f("fk_projects_last_seen_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_index(op.f("ix_projects_status"), "projects", ["status"], unique=False)

    op.create_table(
        "investments",
        sa.Column("investment_id", sa.String(length=64), nullable=True),
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("amount_min", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_exact", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_max", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_min_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_exact_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_max_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_potential_loss", sa.Text(), nullable=True),
        sa.Column("max_potential_return_type", sa.Text(), nullable=True),
        sa.Column("max_potential_return", sa.Text(), nullable=True),
        sa.Column("investor_repayment", sa.Text(), nullable=True),
        sa.Column("investment_type", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_investments_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_investments")),
    )
    op.create_table(
        "outcome_metrics",
        sa.Column("metric_id", sa.String(length=64), nullable=True),
        sa.Column("definition", sa.Text(), nullable=True),
        sa.Column("target_population", sa.Text(), nullable=True),
        sa.Column("targeted_number_text", sa.Text(), nullable=True),
        sa.Column("targeted_number", sa.Integer(), nullable=True),
        sa.Column("unit_type", sa.Text(), nullable=True),
        sa.Column("unit_description", sa.Text(), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("other_target", sa.Text(), nullable=True),
        sa.Column("validation_method", sa.Text(), nullable=True),
        sa.Column("validation_data_source", sa.Text(), nullable=True),
        sa.Column("policy_sector", sa.Text(), nullable=True),
        sa.Column("primary_sdg_goal", sa.Text(), nullable=True),
        sa.Column("secondary_sdg_goals", sa.Text(), nullable=True),
        sa.Column("primary_sdg_target", sa.Text(), nullable=True),
        sa.Column("secondary_sdg_targets", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_outcome_metrics_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_outcome_metrics")),
    )
    op.create_table(
        "outcome_payment_commitments",
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("max_payment_currency", sa.Text(), nullable=True),
        sa.Column("max_payment_text", sa.Text(), nullable=True),
        sa.Column("max_payment", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_payment_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("result_type", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Text(), nullable=True),
        sa.Column("period_end", sa.Text(), nullable=True),
        sa.Column("payments_made_currency", sa.Text(), nullable=True),
        sa.Column("payments_made_text", sa.Text(), nullable=True),
        sa.Column("payments_made", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("payments_made_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("alteration_description", sa.Text(), nullable=True),
        sa.Column("alteration_reason", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_outcome_payment_commitments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_outcome_payment_commitments")),
    )
    op.create_table(
        "outcome_payments",
        sa.Column("payment_plan_id", sa.String(length=64), nullable=True),
        sa.Column("metric_id", sa.String(length=64), nullable=True),
        sa.Column("period_start", sa.Text(), nullable=True),
        sa.Column("period_end", sa.Text(), nullable=True),
        sa.Column("payer_organisation_ids", sa.Text(), nullable=True),
        sa.Column("recipient_organisation_ids", sa.Text(), nullable=True),
        sa.Column("payment_type", sa.String(length=16), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("amount_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("in_sandboxes", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.CheckConstraint(
            "payment_type IS NULL OR payment_type IN ('Planned', 'Actual')",
            name=op.f("ck_outcome_payments_payment_type"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_outcome_payments_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_outcome_payments")),
    )
    op.create_index(op.f("ix_outcome_payments_payment_type"), "outcome_payments", ["payment_type"], unique=False)

    op.create_table(
        "outcome_pricings",
        sa.Column("metric_id", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("price_per_unit", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("price_per_unit_usd", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("max_price_all_targets", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("contracted_increases", sa.Text(), nullable=True),
        sa.Column("price_description", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_outcome_pricings_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_outcome_pricings")),
    )
    op.create_table(
        "project_countries",
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_countries_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "country", name=op.f("pk_project_countries")),
    )
    op.create_index(op.f("ix_project_countries_country"), "project_countries", ["country"], unique=False)

    op.create_table(
        "project_funds",
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("fund_id", sa.String(length=64), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_funds_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "fund_id", name=op.f("pk_project_funds")),
    )
    op.create_index(op.f("ix_project_funds_fund_id"), "project_funds", ["fund_id"], unique=False)

    op.create_table(
        "project_sources",
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("source_type", sa.Text(), nullable=True),
        sa.Column("publishing_organisations", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("archive_url", sa.Text(), nullable=True),
        sa.Column("internal_url", sa.Text(), nullable=True),
        sa.Column("publication_date", sa.Text(), nullable=True),
        sa.Column("accessed_date", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_sources_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_project_sources")),
    )
    op.create_table(
        "results",
        sa.Column("metric_id", sa.String(length=64), nullable=True),
        sa.Column("result_level", sa.Text(), nullable=True),
        sa.Column("result_type", sa.Text(), nullable=True),
        sa.Column("period_start", sa.Text(), nullable=True),
        sa.Column("period_end", sa.Text(), nullable=True),
        sa.Column("outcomes_achieved", sa.Text(), nullable=True),
        sa.Column("number_engaged_text", sa.Text(), nullable=True),
        sa.Column("number_engaged", sa.Integer(), nullable=True),
        sa.Column("number_positive_outcomes", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("other_description", sa.Text(), nullable=True),
        sa.Column("validators", sa.Text(), nullable=True),
        sa.Column("evaluation_documents", sa.Text(), nullable=True),
        sa.Column("in_sandboxes", sa.Text(), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("source_ids", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(none_as_null=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_results_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("project_id", "seq", name=op.f("pk_results")),
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_table("results")
    op.drop_table("project_sources")
    op.drop_index(op.f("ix_project_funds_fund_id"), table_name="project_funds")
    op.drop_table("project_funds")
    op.drop_index(op.f("ix_project_countries_country"), table_name="project_countries")
    op.drop_table("project_countries")
    op.drop_table("outcome_pricings")
    op.drop_index(op.f("ix_outcome_payments_payment_type"), table_name="outcome_payments")
    op.drop_table("outcome_payments")
    op.drop_table("outcome_payment_commitments")
    op.drop_table("outcome_metrics")
    op.drop_table("investments")
    op.drop_index(op.f("ix_projects_status"), table_name="projects")
    op.drop_table("projects")
    op.drop_table("organisations")
    op.drop_table("funds")
    op.drop_index(op.f("ix_imports_content_hash"), table_name="imports")
    op.drop_table("imports")
