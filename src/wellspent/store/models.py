"""The tables (SQLAlchemy 2 typed declarative models). The Alembic migrations in ``migrations/versions`` create
exactly these; a test compares them on SQLite and PostgreSQL.

Conventions (ADR 0010):

- **Missing is NULL, never 0 or an empty string.** A blank cell in a source file is ``None`` here.
- **Money is** ``Numeric(20, 4)`` (a :class:`~decimal.Decimal` in Python), never a float, always beside its own
  currency column: INDIGO amounts are in the project's currency, with a separate USD conversion.
- **Targets and actuals stay apart**: separate columns (targeted vs actual service users, fund aspiration vs
  actual value) or a type column that is never summed across (outcome payments ``Planned`` vs ``Actual``).
- **Provenance**: every imported row keeps ``raw``, the source row exactly as read (column → cell text), and the
  INDIGO source ids it cites (``source_ids``); project-level source ids are per INDIGO section
  (``PROJECT_SECTIONS`` maps each column to its section; :meth:`Project.sources_for` looks one up).
- Sub-lists of a project (metrics, prices, payments, …) are keyed by ``(project_id, seq)``: ``seq`` is the row's
  position (1, 2, …) among that project's rows in the source file. INDIGO's own item ids (``outcomemetric1``,
  ``investment2``) are kept in their own columns but are not unique in the export, so they cannot be keys.
- Entities (organisations, funds, projects) record the import that first and last contained them; a project
  absent from a newer export is ``status = 'withdrawn'``, never deleted.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Context, Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Dialect, ForeignKey, Index, MetaData, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names fixed by convention, so migrations can refer to them on both backends."""

_FIFTEEN_DIGITS = Context(prec=15)


class Money(TypeDecorator[Decimal]):
    """Money and other non-integer quantities: ``NUMERIC(20, 4)``, a :class:`~decimal.Decimal` in Python.

    PostgreSQL stores the decimal exactly. SQLite stores ``NUMERIC`` as an 8-byte float, which holds 15
    significant digits exactly; the importer keeps at most that many, and values read from SQLite are rounded
    back to 15 significant digits, so what is read equals what was written on both backends.
    """

    impl = Numeric(20, 4)
    cache_ok = True

    def process_result_value(self, value: Decimal | None, dialect: Dialect) -> Decimal | None:
        """Drop the float noise SQLite adds beyond the 15th significant digit."""
        if value is None or dialect.name != "sqlite":
            return value
        return _FIFTEEN_DIGITS.plus(value)


MONEY = Money()

ID = String(64)
"""INDIGO identifiers (``INDIGO-POJ-0001``, ``INDIGO-ORG-0001``, ``INDIGO-FUND-0001``, ``outcomemetric1``)."""

PROJECT_STATUSES = ("active", "withdrawn")
PAYMENT_TYPES = ("Planned", "Actual")


class Base(DeclarativeBase):
    """Declarative base: the naming convention and the Python → SQL type map."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        str: Text(),
        Decimal: MONEY,
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON(none_as_null=True),
        list[str]: JSON(none_as_null=True),
    }


class Import(Base):
    """One imported export. Re-importing the same files (same content hash) as the latest import reuses its row."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    """Which importer: ``indigo``."""
    imported_at: Mapped[datetime]
    source_dir: Mapped[str]
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    """SHA-256 over the sorted ``path:sha256`` lines of every file read."""
    file_hashes: Mapped[dict[str, Any]]
    """File path (relative to the export folder) → SHA-256 of its bytes."""
    counts: Mapped[dict[str, Any]]
    """Table → rows in this export."""
    wellspent_version: Mapped[str] = mapped_column(String(32))


class Seen:
    """First and last import that contained an entity."""

    first_seen_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    last_seen_import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))


class Organisation(Seen, Base):
    """An organisation (``key-datasets/original_orgs.csv``)."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str | None]
    trading_name: Mapped[str | None]
    name_english: Mapped[str | None]
    name_source_language: Mapped[str | None]
    description: Mapped[str | None]
    jurisdiction: Mapped[str | None]
    org_type: Mapped[str | None]
    org_identifier: Mapped[str | None]
    """``ORG-Ids - Primary`` (an org-id.guide identifier)."""
    website: Mapped[str | None]
    address: Mapped[str | None]
    postcode: Mapped[str | None]
    country: Mapped[str | None]
    raw: Mapped[dict[str, Any]]


class Fund(Seen, Base):
    """An outcomes fund (``all-data-by-type/original_funds.csv``). Aspiration and actual values stay apart."""

    __tablename__ = "funds"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str | None]
    stage: Mapped[str | None]
    host_organisation_id: Mapped[str | None] = mapped_column(ID)
    mechanism: Mapped[str | None]
    expression_of_interest_date: Mapped[str | None]
    launch_date: Mapped[str | None]
    anticipated_end_date: Mapped[str | None]
    actual_end_date: Mapped[str | None]
    purpose: Mapped[str | None]
    primary_sdg_goal: Mapped[str | None]
    secondary_sdg_goals: Mapped[str | None]
    target_population: Mapped[str | None]
    targeted_service_users: Mapped[int | None]
    value_currency: Mapped[str | None]
    value_aspiration: Mapped[Decimal | None]
    value_aspiration_usd: Mapped[Decimal | None]
    value_actual: Mapped[Decimal | None]
    value_actual_usd: Mapped[Decimal | None]
    repayable_investment_currency: Mapped[str | None]
    repayable_investment_aspiration: Mapped[Decimal | None]
    repayable_investment_aspiration_usd: Mapped[Decimal | None]
    repayable_investment_actual: Mapped[Decimal | None]
    repayable_investment_actual_usd: Mapped[Decimal | None]
    outcome_contracts_aspiration: Mapped[int | None]
    outcome_contracts_actual: Mapped[int | None]
    outcome_funders_aspiration: Mapped[int | None]
    outcome_funders_actual: Mapped[int | None]
    investors_aspiration: Mapped[int | None]
    investors_actual: Mapped[int | None]
    identifier_scheme: Mapped[str | None]
    identifier: Mapped[str | None]
    country: Mapped[str | None]
    notes: Mapped[dict[str, Any] | None]
    """INDIGO section → its ``(Notes)`` text."""
    raw: Mapped[dict[str, Any]]


class Project(Seen, Base):
    """An impact bond project (``key-datasets/original_projects.csv``: the full project row plus ``Countries``).

    Dates are text as INDIGO gives them: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint(f"status IN {PROJECT_STATUSES!r}", name="status"),
        Index(None, "status"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str | None]
    alternative_names: Mapped[str | None]
    stage: Mapped[str | None]
    social_investment_prototype: Mapped[str | None]
    countries: Mapped[str | None]
    """Delivery countries as given (ISO2, comma-separated); one row each in ``project_countries``."""
    organisation_ids: Mapped[str | None]
    """The ``Organisations`` list as given (comma-separated ORG ids)."""
    jurisdiction: Mapped[str | None]
    # dates
    contract_signed: Mapped[str | None]
    all_contracts_signed: Mapped[str | None]
    anticipated_completion: Mapped[str | None]
    actual_completion: Mapped[str | None]
    service_start: Mapped[str | None]
    anticipated_service_end: Mapped[str | None]
    actual_service_end: Mapped[str | None]
    anticipated_duration_months: Mapped[Decimal | None]
    actual_duration_months: Mapped[Decimal | None]
    # overall project finance
    investment_currency: Mapped[str | None]
    investment_min: Mapped[Decimal | None]
    investment_exact: Mapped[Decimal | None]
    investment_max: Mapped[Decimal | None]
    investment_min_usd: Mapped[Decimal | None]
    investment_exact_usd: Mapped[Decimal | None]
    investment_max_usd: Mapped[Decimal | None]
    max_outcome_payment_currency: Mapped[str | None]
    max_outcome_payment: Mapped[Decimal | None]
    max_outcome_payment_usd: Mapped[Decimal | None]
    max_potential_loss: Mapped[str | None]
    max_potential_return_type: Mapped[str | None]
    max_potential_return: Mapped[str | None]
    contracting_configuration: Mapped[str | None]
    investor_repayment: Mapped[str | None]
    outcome_payments_made_currency: Mapped[str | None]
    outcome_payments_made: Mapped[Decimal | None]
    outcome_payments_made_usd: Mapped[Decimal | None]
    # investment details
    funds_invested_currency: Mapped[str | None]
    funds_invested: Mapped[Decimal | None]
    funds_invested_usd: Mapped[Decimal | None]
    funds_invested_date: Mapped[str | None]
    irr_target: Mapped[str | None]
    irr_latest: Mapped[str | None]
    irr_date: Mapped[str | None]
    # purpose and classifications
    social_challenge: Mapped[str | None]
    intervention: Mapped[str | None]
    policy_sector: Mapped[str | None]
    primary_sdg_goal: Mapped[str | None]
    secondary_sdg_goals: Mapped[str | None]
    primary_sdg_target: Mapped[str | None]
    secondary_sdg_targets: Mapped[str | None]
    # service and beneficiaries: targets and actuals apart
    target_population: Mapped[str | None]
    targeted_service_users: Mapped[int | None]
    targeted_unit_type: Mapped[str | None]
    targeted_unit_description: Mapped[str | None]
    actual_service_users: Mapped[int | None]
    actual_unit_type: Mapped[str | None]
    actual_unit_description: Mapped[str | None]
    covid_changes: Mapped[str | None]
    project_notes: Mapped[str | None]
    # bookkeeping and provenance
    status: Mapped[str] = mapped_column(String(16))
    source_ids: Mapped[dict[str, Any] | None]
    """INDIGO section (``dates``, ``overall_project_finance``, …) → the source ids its ``(Source ID's)`` cites."""
    section_notes: Mapped[dict[str, Any] | None]
    """INDIGO section → its ``(Notes)`` text."""
    raw: Mapped[dict[str, Any]]

    country_rows: Mapped[list[ProjectCountry]] = relationship(viewonly=True, order_by="ProjectCountry.country")
    fund_links: Mapped[list[ProjectFund]] = relationship(viewonly=True, order_by="ProjectFund.fund_id")
    outcome_metrics: Mapped[list[OutcomeMetric]] = relationship(viewonly=True, order_by="OutcomeMetric.seq")
    outcome_pricings: Mapped[list[OutcomePricing]] = relationship(viewonly=True, order_by="OutcomePricing.seq")
    outcome_payments: Mapped[list[OutcomePayment]] = relationship(viewonly=True, order_by="OutcomePayment.seq")
    outcome_payment_commitments: Mapped[list[OutcomePaymentCommitment]] = relationship(
        viewonly=True, order_by="OutcomePaymentCommitment.seq")
    investments: Mapped[list[Investment]] = relationship(viewonly=True, order_by="Investment.seq")
    results: Mapped[list[Result]] = relationship(viewonly=True, order_by="Result.seq")
    sources: Mapped[list[ProjectSource]] = relationship(viewonly=True, order_by="ProjectSource.seq")

    def sources_for(self, attribute: str) -> list[str]:
        """The INDIGO source ids cited for one of this project's columns (``[]`` when none are cited)."""
        section = PROJECT_SECTIONS.get(attribute)
        if section is None:
            raise KeyError(f"{attribute!r} is not a sourced project column")
        cited = (self.source_ids or {}).get(section)
        return list(cited) if cited else []


PROJECT_SECTIONS: dict[str, str] = {
    "stage": "stage_development",
    "jurisdiction": "jurisdiction",
    **{name: "dates" for name in (
        "contract_signed", "all_contracts_signed", "anticipated_completion", "actual_completion", "service_start",
        "anticipated_service_end", "actual_service_end", "anticipated_duration_months", "actual_duration_months")},
    **{name: "overall_project_finance" for name in (
        "investment_currency", "investment_min", "investment_exact", "investment_max", "investment_min_usd",
        "investment_exact_usd", "investment_max_usd", "max_outcome_payment_currency", "max_outcome_payment",
        "max_outcome_payment_usd", "max_potential_loss", "max_potential_return_type", "max_potential_return",
        "contracting_configuration", "investor_repayment", "outcome_payments_made_currency",
        "outcome_payments_made", "outcome_payments_made_usd")},
    **{name: "investment_details" for name in (
        "funds_invested_currency", "funds_invested", "funds_invested_usd", "funds_invested_date", "irr_target",
        "irr_latest", "irr_date")},
    **{name: "purpose_and_classifications" for name in (
        "social_challenge", "intervention", "policy_sector", "primary_sdg_goal", "secondary_sdg_goals",
        "primary_sdg_target", "secondary_sdg_targets")},
    **{name: "service_and_beneficiaries" for name in (
        "target_population", "targeted_service_users", "targeted_unit_type", "targeted_unit_description",
        "actual_service_users", "actual_unit_type", "actual_unit_description")},
    "covid_changes": "changes_to_project_due_to_covid19",
}
"""Project column → the INDIGO section whose ``(Source ID's)`` column cites sources for it."""


class ProjectChild:
    """A row of one of a project's sub-lists: key ``(project_id, seq)``, provenance ``source_ids`` and ``raw``."""

    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    """Position (1, 2, …) of the row among the project's rows in the source file."""
    source_ids: Mapped[list[str] | None]
    notes: Mapped[str | None]
    raw: Mapped[dict[str, Any]]


class ProjectCountry(Base):
    """A delivery country of a project (ISO2, from ``Countries``)."""

    __tablename__ = "project_countries"
    __table_args__ = (Index(None, "country"),)

    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(8), primary_key=True)


class ProjectFund(Base):
    """A project's membership of an outcomes fund (``original_projects_outcome_funds.csv``).

    ``fund_id`` is not a foreign key: the export links one project to a fund it does not list (the data-quality
    report names it).
    """

    __tablename__ = "project_funds"
    __table_args__ = (Index(None, "fund_id"),)

    project_id: Mapped[str] = mapped_column(ID, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    fund_id: Mapped[str] = mapped_column(ID, primary_key=True)
    source_ids: Mapped[list[str] | None]
    notes: Mapped[str | None]
    raw: Mapped[dict[str, Any]]


class ProjectSource(ProjectChild, Base):
    """A source document a project cites (``original_projects_sources.csv``); ``source_key`` is the id
    (``source3``) that ``source_ids`` elsewhere refer to."""

    __tablename__ = "project_sources"

    source_key: Mapped[str | None] = mapped_column(ID)
    name: Mapped[str | None]
    source_type: Mapped[str | None]
    publishing_organisations: Mapped[str | None]
    url: Mapped[str | None]
    archive_url: Mapped[str | None]
    internal_url: Mapped[str | None]
    publication_date: Mapped[str | None]
    accessed_date: Mapped[str | None]


class OutcomeMetric(ProjectChild, Base):
    """An outcome metric (``original_projects_outcome_metrics.csv``).

    ``targeted_number_text`` is the cell as given; ``targeted_number`` is it as a whole number, NULL when the
    cell is not one (``3000 (later revised to 944)``).
    """

    __tablename__ = "outcome_metrics"

    metric_id: Mapped[str | None] = mapped_column(ID)
    definition: Mapped[str | None]
    target_population: Mapped[str | None]
    targeted_number_text: Mapped[str | None]
    targeted_number: Mapped[int | None]
    unit_type: Mapped[str | None]
    unit_description: Mapped[str | None]
    target: Mapped[str | None]
    other_target: Mapped[str | None]
    validation_method: Mapped[str | None]
    validation_data_source: Mapped[str | None]
    policy_sector: Mapped[str | None]
    primary_sdg_goal: Mapped[str | None]
    secondary_sdg_goals: Mapped[str | None]
    primary_sdg_target: Mapped[str | None]
    secondary_sdg_targets: Mapped[str | None]


class OutcomePricing(ProjectChild, Base):
    """The price paid per outcome (``original_projects_outcome_pricings.csv``): rate-card prices."""

    __tablename__ = "outcome_pricings"

    metric_id: Mapped[str | None] = mapped_column(ID)
    currency: Mapped[str | None]
    price_per_unit: Mapped[Decimal | None]
    price_per_unit_usd: Mapped[Decimal | None]
    max_price_all_targets: Mapped[Decimal | None]
    contracted_increases: Mapped[str | None]
    price_description: Mapped[str | None]


class OutcomePayment(ProjectChild, Base):
    """An outcome payment for a period (``original_projects_outcome_payments.csv``).

    ``payment_type`` is ``Planned`` or ``Actual`` (NULL where the export leaves it blank); never add the two.
    Payer and recipient are ORG ids as given (sometimes a comma-separated list).
    """

    __tablename__ = "outcome_payments"
    __table_args__ = (
        CheckConstraint(f"payment_type IS NULL OR payment_type IN {PAYMENT_TYPES!r}", name="payment_type"),
        Index(None, "payment_type"),
    )

    payment_plan_id: Mapped[str | None] = mapped_column(ID)
    metric_id: Mapped[str | None] = mapped_column(ID)
    period_start: Mapped[str | None]
    period_end: Mapped[str | None]
    payer_organisation_ids: Mapped[str | None]
    recipient_organisation_ids: Mapped[str | None]
    payment_type: Mapped[str | None] = mapped_column(String(16))
    currency: Mapped[str | None]
    amount: Mapped[Decimal | None]
    amount_usd: Mapped[Decimal | None]
    in_sandboxes: Mapped[str | None]


class OutcomePaymentCommitment(ProjectChild, Base):
    """An outcome payer's commitment (``original_projects_outcome_payment_commitments.csv``).

    The two amounts the export sometimes fills with text (``=D41-D36``, ``C$1.16M (estimate)``) keep the cell in
    ``*_text`` and the number, when the cell is one, in the Numeric column.
    """

    __tablename__ = "outcome_payment_commitments"

    organisation_id: Mapped[str | None] = mapped_column(ID)
    role: Mapped[str | None]
    max_payment_currency: Mapped[str | None]
    max_payment_text: Mapped[str | None]
    max_payment: Mapped[Decimal | None]
    max_payment_usd: Mapped[Decimal | None]
    result_type: Mapped[str | None]
    period_start: Mapped[str | None]
    period_end: Mapped[str | None]
    payments_made_currency: Mapped[str | None]
    payments_made_text: Mapped[str | None]
    payments_made: Mapped[Decimal | None]
    payments_made_usd: Mapped[Decimal | None]
    alteration_description: Mapped[str | None]
    alteration_reason: Mapped[str | None]


class Investment(ProjectChild, Base):
    """An investor's commitment (``original_projects_investments.csv``): min/exact/max as given."""

    __tablename__ = "investments"

    investment_id: Mapped[str | None] = mapped_column(ID)
    organisation_id: Mapped[str | None] = mapped_column(ID)
    role: Mapped[str | None]
    currency: Mapped[str | None]
    amount_min: Mapped[Decimal | None]
    amount_exact: Mapped[Decimal | None]
    amount_max: Mapped[Decimal | None]
    amount_min_usd: Mapped[Decimal | None]
    amount_exact_usd: Mapped[Decimal | None]
    amount_max_usd: Mapped[Decimal | None]
    max_potential_loss: Mapped[str | None]
    max_potential_return_type: Mapped[str | None]
    max_potential_return: Mapped[str | None]
    investor_repayment: Mapped[str | None]
    investment_type: Mapped[str | None]


class Result(ProjectChild, Base):
    """A reported result for a metric and period (``original_projects_results.csv``).

    ``number_engaged_text`` is the cell as given (``303 children and their families``); ``number_engaged`` the
    whole number when the cell is one.
    """

    __tablename__ = "results"

    metric_id: Mapped[str | None] = mapped_column(ID)
    result_level: Mapped[str | None]
    result_type: Mapped[str | None]
    period_start: Mapped[str | None]
    period_end: Mapped[str | None]
    outcomes_achieved: Mapped[str | None]
    number_engaged_text: Mapped[str | None]
    number_engaged: Mapped[int | None]
    number_positive_outcomes: Mapped[Decimal | None]
    """A number in the data standard; a count in most rows, a share in a few (``0.46``)."""
    other_description: Mapped[str | None]
    validators: Mapped[str | None]
    evaluation_documents: Mapped[str | None]
    in_sandboxes: Mapped[str | None]
