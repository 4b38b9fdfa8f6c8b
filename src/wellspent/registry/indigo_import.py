"""Import the GO Lab INDIGO impact bond export (the CSV download of the "Impact Bond Dataset v2") into the store.

``wellspent registry import-indigo DIR`` reads the export layout (``all-data-by-type/``, ``key-datasets/``; see
``shared/data/indigo/SOURCE.md``) and writes organisations, outcomes funds, projects and their outcome metrics,
prices, payments, payment commitments, investments, results and source documents (ADR 0010):

- **All or nothing.** Every file is read and checked before anything is written: a missing column, a number
  that is not one, a date in another form, bytes that are not UTF-8, a duplicate id or a row pointing at a
  project the export does not have is reported with its file, row and column (all problems at once), and the
  store is left as it was. The writing happens in one transaction.
- **Idempotent.** Rows are matched by natural keys (entity ids; ``(project, position)`` for sub-lists) and
  only changed values are written. Re-importing the export most recently imported changes nothing at all, not
  even the ``imports`` table.
- **Withdrawal, not deletion.** A project missing from a newer export becomes ``withdrawn`` and keeps its data;
  it becomes ``active`` again if it comes back. Organisations and funds are never deleted either.
- **Missing is NULL**, targets and actuals stay in separate columns, and every row keeps its source row
  (``raw``) and the INDIGO source ids it cites.

The report counts rows per table, projects by delivery country and stage, and includes a data-quality report
(:mod:`wellspent.registry.quality`).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, delete, insert, select, tuple_, update

from wellspent.errors import InputError, Problem
from wellspent.registry.csvfile import Cells, CsvTable, ProblemLog, read_csv
from wellspent.registry.priorities import load_priorities
from wellspent.registry.quality import Finding, data_quality_report
from wellspent.registry.search import refresh_search_index
from wellspent.store.models import PAYMENT_TYPES, Base

REPORT_SCHEMA = "wellspent.indigo-import/1"
SOURCE_NAME = "indigo"
DEFAULT_FOCUS_COUNTRY = "GB"

PROJECTS_FILE = "key-datasets/original_projects.csv"
"""The project rows: the full project export plus ``Organisations`` and ``Countries`` (delivery countries)."""
PROJECTS_CHECK_FILE = "all-data-by-type/original_projects.csv"
"""The same projects in the relational export; its ids must match (a half-updated folder is refused)."""
ORGANISATIONS_FILE = "key-datasets/original_orgs.csv"
FUNDS_FILE = "all-data-by-type/original_funds.csv"


@dataclass(frozen=True)
class Column:
    """One CSV column → one store column. ``kind``: ``text``, ``key`` (required text), ``decimal``, ``whole``,
    ``date``, ``sources``, ``payment_type``, or ``text+decimal`` / ``text+whole`` for a column the export fills
    with text as well as numbers (the cell goes to ``<attr>_text``, its number, when it is one, to ``<attr>``)."""

    attr: str
    csv: str
    kind: str = "text"


@dataclass(frozen=True)
class FileSpec:
    """How one export file becomes rows of one table."""

    table: str
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    notes: Mapping[str, str] = field(default_factory=dict)
    """Section → ``(Notes)`` column, gathered into a JSON ``notes`` column (entities) or ``notes`` text (lists)."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Section → ``(Source ID's)`` column (projects)."""

    @property
    def required(self) -> list[str]:
        """Every CSV column this spec reads."""
        return [c.csv for c in self.columns] + list(self.notes.values()) + list(self.sources.values())


def _cols(*specs: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


_V = "Fund - Dimensions of Scale - Total Outcome Fund value (outcomes funding) - "
_R = "Fund - Dimensions of Scale - Total value of repayable investment linked to Outcome Fund - "
_D = "Fund - Dimensions of Scale - "
_OPF = "Overall project finance - "
_TIC = _OPF + "Total investment commitment - "
_MPO = _OPF + "Maximum potential outcome payment - "
_TOP = _OPF + "Total outcome payments made - "
_ID = "Investment Details - "
_PC = "Purpose and classifications - "
_SB = "Service and beneficiaries - "
_DT = "Dates - "

ORGANISATIONS = FileSpec("organisations", ORGANISATIONS_FILE, _cols(
    ("id", "ID", "key"), ("name", "Name"), ("trading_name", "Trading Name"),
    ("name_english", "Translated Official Name - English"),
    ("name_source_language", "Translated Official Name - Source Language"), ("description", "Description"),
    ("jurisdiction", "Jurisdiction"), ("org_type", "Type - (Value)"), ("org_identifier", "ORG-Ids - Primary"),
    ("website", "Website"), ("address", "Address"), ("postcode", "Postcode"), ("country", "Country"),
), key=("id",))

FUNDS = FileSpec("funds", FUNDS_FILE, _cols(
    ("id", "ID", "key"), ("name", "Fund - Name"), ("stage", "Fund - Stage of Development - (Value)"),
    ("host_organisation_id", "Fund - Host institution of Outcome Fund"), ("mechanism", "Fund - Mechanism"),
    ("expression_of_interest_date", "Fund - Dates - Expression of interest - (Value)", "date"),
    ("launch_date", "Fund - Dates - Launch date - (Value)", "date"),
    ("anticipated_end_date", "Fund - Dates - Anticipated End date - (Value)", "date"),
    ("actual_end_date", "Fund - Dates - Actual End date - (Value)", "date"),
    ("purpose", "Fund - Purpose and classifications - Purpose"),
    ("primary_sdg_goal", "Fund - Purpose and classifications - Primary SDG goal"),
    ("secondary_sdg_goals", "Fund - Purpose and classifications - Secondary SDG goals"),
    ("target_population", "Fund - Service and beneficiaries - Target population"),
    ("targeted_service_users", "Fund - Service and beneficiaries - Targeted number of unique service users or "
                               "beneficiaries (total) - (Value)", "whole"),
    ("value_currency", _V + "Currency"),
    ("value_aspiration", _V + "Aspiration - Amount - (Value)", "decimal"),
    ("value_aspiration_usd", _V + "Aspiration - Amount USD - (Value)", "decimal"),
    ("value_actual", _V + "Actual - Amount - (Value)", "decimal"),
    ("value_actual_usd", _V + "Actual - Amount USD - (Value)", "decimal"),
    ("repayable_investment_currency", _R + "Currency"),
    ("repayable_investment_aspiration", _R + "Aspiration - Amount - (Value)", "decimal"),
    ("repayable_investment_aspiration_usd", _R + "Aspiration - Amount USD - (Value)", "decimal"),
    ("repayable_investment_actual", _R + "Actual - Amount - (Value)", "decimal"),
    ("repayable_investment_actual_usd", _R + "Actual - Amount USD - (Value)", "decimal"),
    ("outcome_contracts_aspiration", _D + "Number of outcome contracts - Aspiration - (Value)", "whole"),
    ("outcome_contracts_actual", _D + "Number of outcome contracts - Actual - (Value)", "whole"),
    ("outcome_funders_aspiration", _D + "Number of Contributing Outcome Funders - Aspiration - (Value)", "whole"),
    ("outcome_funders_actual", _D + "Number of Contributing Outcome Funders - Actual - (Value)", "whole"),
    ("investors_aspiration", _D + "Number of independent investor organisations - Aspiration - (Value)", "whole"),
    ("investors_actual", _D + "Number of independent investor organisations - Actual - (Value)", "whole"),
    ("identifier_scheme", "Fund - Identifier Scheme"), ("identifier", "Fund - Identifier"),
    ("country", "Fund - Country"),
), key=("id",), notes={
    "dates": "Fund - Dates - (Notes)",
    "purpose_and_classifications": "Fund - Purpose and classifications - (Notes)",
    "service_and_beneficiaries": "Fund - Service and beneficiaries - (Notes)",
    "outcome_fund_value": _V + "(Notes)",
    "repayable_investment": _R + "(Notes)",
    "outcome_contracts": _D + "Number of outcome contracts - (Notes)",
    "outcome_funders": _D + "Number of Contributing Outcome Funders - (Notes)",
    "investors": _D + "Number of independent investor organisations - (Notes)",
})

PROJECTS = FileSpec("projects", PROJECTS_FILE, _cols(
    ("id", "ID", "key"), ("name", "Impact Bond Name - (Value)"), ("alternative_names", "Alternative Names - (Value)"),
    ("stage", "Stage of Development - (Value)"),
    ("social_investment_prototype", "Social Investment Prototype - (Value)"),
    ("countries", "Countries"), ("organisation_ids", "Organisations"),
    ("jurisdiction", "Jurisdiction - Jurisdiction - (Value)"),
    ("contract_signed", _DT + "Date outcomes contract signed - (Value)", "date"),
    ("all_contracts_signed", _DT + "Date contracts between all parties signed - (Value)", "date"),
    ("anticipated_completion", _DT + "Anticipated completion date - (Value)", "date"),
    ("actual_completion", _DT + "Actual completion date - (Value)", "date"),
    ("service_start", _DT + "Start date of service provision - (Value)", "date"),
    ("anticipated_service_end", _DT + "Anticipated end date of service provision - (Value)", "date"),
    ("actual_service_end", _DT + "Actual end date of service provision - (Value)", "date"),
    ("anticipated_duration_months", _DT + "Anticipated duration of service provision - (Value)", "decimal"),
    ("actual_duration_months", _DT + "Actual duration of service provision - (Value)", "decimal"),
    ("investment_currency", _TIC + "Currency - (Value)"),
    ("investment_min", _TIC + "Amount - Min - (Value)", "decimal"),
    ("investment_exact", _TIC + "Amount - Exact - (Value)", "decimal"),
    ("investment_max", _TIC + "Amount - Max - (Value)", "decimal"),
    ("investment_min_usd", _TIC + "Amount USD - Min - (Value)", "decimal"),
    ("investment_exact_usd", _TIC + "Amount USD - Exact - (Value)", "decimal"),
    ("investment_max_usd", _TIC + "Amount USD - Max - (Value)", "decimal"),
    ("max_outcome_payment_currency", _MPO + "Currency - (Value)"),
    ("max_outcome_payment", _MPO + "Amount - (Value)", "decimal"),
    ("max_outcome_payment_usd", _MPO + "Amount USD - (Value)", "decimal"),
    ("max_potential_loss", _OPF + "Maximum potential loss - (Value)"),
    ("max_potential_return_type", _OPF + "Maximum potential return type - (Value)"),
    ("max_potential_return", _OPF + "Maximum potential return - (Value)"),
    ("contracting_configuration", _OPF + "Configuration of the Contracting Parties - (Value)"),
    ("investor_repayment", _OPF + "Investor repayment - (Value)"),
    ("outcome_payments_made_currency", _TOP + "Currency - (Value)"),
    ("outcome_payments_made", _TOP + "Amount - (Value)", "decimal"),
    ("outcome_payments_made_usd", _TOP + "Amount USD - (Value)", "decimal"),
    ("funds_invested_currency", _ID + "Total Funds Invested - Latest - Currency - (Value)"),
    ("funds_invested", _ID + "Total Funds Invested - Latest - Amount - (Value)", "decimal"),
    ("funds_invested_usd", _ID + "Total Funds Invested - Latest - Amount USD - (Value)", "decimal"),
    ("funds_invested_date", _ID + "Total Funds Invested - Latest - Date - (Value)", "date"),
    ("irr_target", _ID + "Internal Rate of Return - Target - (Value)"),
    ("irr_latest", _ID + "Internal Rate of Return - Latest - (Value)"),
    ("irr_date", _ID + "Internal Rate of Return - Date - (Value)", "date"),
    ("social_challenge", _PC + "Social challenge - (Value)"), ("intervention", _PC + "Intervention - (Value)"),
    ("policy_sector", _PC + "Policy sector - (Value)"), ("primary_sdg_goal", _PC + "Primary SDG goal - (Value)"),
    ("secondary_sdg_goals", _PC + "Secondary SDG goals - (Value)"),
    ("primary_sdg_target", _PC + "Primary SDG target - (Value)"),
    ("secondary_sdg_targets", _PC + "Secondary SDG targets - (Value)"),
    ("target_population", _SB + "Target population - (Value)"),
    ("targeted_service_users", _SB + "Targeted number of unique service users or beneficiaries (total) - (Value)",
     "whole"),
    ("targeted_unit_type", _SB + "Unit type of targeted service users or beneficiaries - (Value)"),
    ("targeted_unit_description", _SB + "Unit description of targeted service user or beneficiaries - (Value)"),
    ("actual_service_users", _SB + "Actual number of unique service users or beneficiaries engaged (total) - (Value)",
     "whole"),
    ("actual_unit_type", _SB + "Unit type of actual service users or beneficiaries engaged - (Value)"),
    ("actual_unit_description", _SB + "Unit description of actual service user or beneficiaries engaged - (Value)"),
    ("covid_changes", "Changes to project due to COVID-19 - (Value)"), ("project_notes", "Notes - (Value)"),
), key=("id",), sources={
    "stage_development": "Stage of Development - (Source ID's)",
    "dates": _DT + "(Source ID's)",
    "jurisdiction": "Jurisdiction - (Source ID's)",
    "overall_project_finance": _OPF + "(Source ID's)",
    "investment_details": _ID + "(Source ID's)",
    "purpose_and_classifications": _PC + "(Source ID's)",
    "service_and_beneficiaries": _SB + "(Source ID's)",
    "changes_to_project_due_to_covid19": "Changes to project due to COVID-19 - (Source ID's)",
}, notes={
    "dates": _DT + "(Notes)",
    "jurisdiction": "Jurisdiction - (Notes)",
    "overall_project_finance": _OPF + "(Notes)",
    "investment_details": _ID + "(Notes)",
    "purpose_and_classifications": _PC + "(Notes)",
    "service_and_beneficiaries": _SB + "(Notes)",
})

_PROJECT_ID = Column("project_id", "Project ID", "key")
_SOURCES = Column("source_ids", "Sources", "sources")
_NOTES = Column("notes", "Notes")


def _child(table: str, file: str, *specs: tuple[str, str] | tuple[str, str, str],
           key: tuple[str, ...] = ("project_id", "seq"), sources: bool = True) -> FileSpec:
    columns = (_PROJECT_ID, *_cols(*specs), *((_SOURCES,) if sources else ()), _NOTES)
    return FileSpec(table, f"all-data-by-type/original_projects_{file}.csv", columns, key=key)


PROJECT_FUNDS = _child("project_funds", "outcome_funds", ("fund_id", "Id", "key"), key=("project_id", "fund_id"))

PROJECT_SOURCES = _child(
    "project_sources", "sources",
    ("source_key", "Id"), ("name", "Name - (Value)"), ("source_type", "Type - (Value)"),
    ("publishing_organisations", "Publishing Organisations - (Value)"), ("url", "URL - (Value)"),
    ("archive_url", "Archive URL - (Value)"), ("internal_url", "Internal URL - (Value)"),
    ("publication_date", "Publication Date - (Value)"), ("accessed_date", "Accessed Date - (Value)"),
    sources=False)

OUTCOME_METRICS = _child(
    "outcome_metrics", "outcome_metrics",
    ("metric_id", "Id"), ("definition", "Outcome Definition - (Value)"),
    ("target_population", "Target Population - (Value)"),
    ("targeted_number", "Targeted number of service users Or beneficiaries (total) - (Value)", "text+whole"),
    ("unit_type", "Unit type of targeted Service users or beneficiaries - (Value)"),
    ("unit_description", "Unit description of Service user or beneficiaries - (Value)"),
    ("target", "Outcome metric target - (Value)"),
    ("other_target", "Other target for Meeting outcome metric target - (Value)"),
    ("validation_method", "Outcome validation Method - (Value)"),
    ("validation_data_source", "Data source for Outcome validation - (Value)"),
    ("policy_sector", "Policy sector - (Value)"), ("primary_sdg_goal", "Primary SDG goal - (Value)"),
    ("secondary_sdg_goals", "Secondary SDG goals - (Value)"), ("primary_sdg_target", "Primary SDG target - (Value)"),
    ("secondary_sdg_targets", "Secondary SDG targets - (Value)"))

OUTCOME_PRICINGS = _child(
    "outcome_pricings", "outcome_pricings",
    ("metric_id", "Outcome Metric Id - (Value)"), ("currency", "Currency - (Value)"),
    ("price_per_unit", "Price Per Unit - Amount - (Value)", "decimal"),
    ("price_per_unit_usd", "Price Per Unit - Amount USD - (Value)", "decimal"),
    ("max_price_all_targets", "Maximum Price if all targets achieved - Amount - (Value)", "decimal"),
    ("contracted_increases", "Contracted increases to outcome pricing - (Value)"),
    ("price_description", "Price Description - (Value)"))

OUTCOME_PAYMENTS = _child(
    "outcome_payments", "outcome_payments",
    ("payment_plan_id", "Outcome Payment Plan Id - (Value)"), ("metric_id", "Outcome Metric Id - (Value)"),
    ("period_start", "Period - Start - (Value)", "date"), ("period_end", "Period - End - (Value)", "date"),
    ("payer_organisation_ids", "Payer Organisation ID - (Value)"),
    ("recipient_organisation_ids", "Recipient Organisation ID - (Value)"),
    ("payment_type", "Type - (Value)", "payment_type"), ("currency", "Payments - Currency - (Value)"),
    ("amount", "Payments - Amount - (Value)", "decimal"), ("amount_usd", "Payments - Amount USD - (Value)", "decimal"),
    ("in_sandboxes", "(In Sandboxes)"))

OUTCOME_PAYMENT_COMMITMENTS = _child(
    "outcome_payment_commitments", "outcome_payment_commitments",
    ("organisation_id", "Organisation ID - (Value)"), ("role", "Organisation Role Category - (Value)"),
    ("max_payment_currency", "Maximum potential Outcome payment - Currency - (Value)"),
    ("max_payment", "Maximum potential Outcome payment - Amount - (Value)", "text+decimal"),
    ("max_payment_usd", "Maximum potential Outcome payment - Amount USD - (Value)", "decimal"),
    ("result_type", "Result type - (Value)"),
    ("period_start", "Period - Start - (Value)", "date"), ("period_end", "Period - End - (Value)", "date"),
    ("payments_made_currency", "Total outcome payments made - Currency - (Value)"),
    ("payments_made", "Total outcome payments made - Amount - (Value)", "text+decimal"),
    ("payments_made_usd", "Total outcome payments made - Amount USD - (Value)", "decimal"),
    ("alteration_description", "Alterations to payment commitment - Description - (Value)"),
    ("alteration_reason", "Alterations to payment commitment - Reason - (Value)"))

INVESTMENTS = _child(
    "investments", "investments",
    ("investment_id", "Id"), ("organisation_id", "Organisation ID - (Value)"),
    ("role", "Organisation Role Category - (Value)"), ("currency", "Investment Commitment - Currency - (Value)"),
    ("amount_min", "Investment Commitment - Amount - Min - (Value)", "decimal"),
    ("amount_exact", "Investment Commitment - Amount - Exact - (Value)", "decimal"),
    ("amount_max", "Investment Commitment - Amount - Max - (Value)", "decimal"),
    ("amount_min_usd", "Investment Commitment - Amount USD - Min - (Value)", "decimal"),
    ("amount_exact_usd", "Investment Commitment - Amount USD - Exact - (Value)", "decimal"),
    ("amount_max_usd", "Investment Commitment - Amount USD - Max - (Value)", "decimal"),
    ("max_potential_loss", "Maximum Potential loss - (Value)"),
    ("max_potential_return_type", "Maximum Potential Return Type - (Value)"),
    ("max_potential_return", "Maximum Potential Return - (Value)"),
    ("investor_repayment", "Investor Repayment - (Value)"), ("investment_type", "Investment Type - (Value)"))

RESULTS = _child(
    "results", "results",
    ("metric_id", "Outcome Metric Id - (Value)"), ("result_level", "Result level - (Value)"),
    ("result_type", "Result type - (Value)"),
    ("period_start", "Period - Start - (Value)"), ("period_end", "Period - End - (Value)"),
    ("outcomes_achieved", "Outcomes achieved - (Value)"),
    ("number_engaged", "Number engaged In impact bond - (Value)", "text+whole"),
    ("number_positive_outcomes", "Number with Positive social outcomes - (Value)", "decimal"),
    ("other_description", "Other Description of result - (Value)"),
    ("validators", "Outcomes validator(s) - (Value)"), ("evaluation_documents", "Evaluation Documents - (Value)"),
    ("in_sandboxes", "(In Sandboxes)"))

ENTITY_SPECS: tuple[FileSpec, ...] = (ORGANISATIONS, FUNDS, PROJECTS)
CHILD_SPECS: tuple[FileSpec, ...] = (PROJECT_FUNDS, PROJECT_SOURCES, OUTCOME_METRICS, OUTCOME_PRICINGS,
                                     OUTCOME_PAYMENTS, OUTCOME_PAYMENT_COMMITMENTS, INVESTMENTS, RESULTS)
TABLE_ORDER: tuple[str, ...] = ("organisations", "funds", "projects", "project_countries",
                                *(spec.table for spec in CHILD_SPECS))
"""Tables in writing order (a row's foreign keys are written before it)."""

LENIENT_NUMBER_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (spec.file, column.csv) for spec in CHILD_SPECS for column in spec.columns if column.kind.startswith("text+"))
"""Columns the data standard types as numbers but the published export also fills with text: kept as text, with
the number beside it when the cell is one; the data-quality report lists the rest."""


# --- reading ----------------------------------------------------------------------------------------------------

@dataclass
class ParsedExport:
    """Everything read from an export, checked, as rows ready to write."""

    root: Path
    file_hashes: dict[str, str]
    rows: dict[str, list[dict[str, Any]]]
    project_cells: list[dict[str, str]]
    list_presence: dict[str, set[str] | None]
    findings: list[Finding]

    @property
    def content_hash(self) -> str:
        """SHA-256 over the sorted ``path:sha256`` lines of every file read."""
        lines = "".join(f"{path}:{digest}\n" for path, digest in sorted(self.file_hashes.items()))
        return hashlib.sha256(lines.encode()).hexdigest()

    def project_ids(self) -> set[str]:
        """The ids of the projects in this export."""
        return {row["id"] for row in self.rows["projects"]}


def parse_export(root: Path) -> ParsedExport:
    """Read and check an INDIGO export folder; raise :class:`InputError` listing every problem found."""
    if not root.is_dir():
        raise InputError.single(str(root), "", "not a folder; give the folder of the INDIGO export "
                                               "(the one holding all-data-by-type/ and key-datasets/)")
    if not (root / "all-data-by-type").is_dir() and not (root / "key-datasets").is_dir():
        raise InputError.single(str(root), "", "not an INDIGO export folder: it has neither all-data-by-type/ nor "
                                               "key-datasets/ (the layout of the GO Lab CSV download)")
    problems = ProblemLog()
    tables: dict[str, CsvTable] = {}
    for spec in (*ENTITY_SPECS, *CHILD_SPECS):
        table = read_csv(root / spec.file, _name(root, spec.file), spec.required, problems)
        if table is not None:
            tables[spec.file] = table
    check = read_csv(root / PROJECTS_CHECK_FILE, _name(root, PROJECTS_CHECK_FILE), ["ID"], problems)
    read_files = {spec.file for spec in (*ENTITY_SPECS, *CHILD_SPECS)}
    list_tables: dict[str, CsvTable | None] = {}
    for entry in load_priorities().lists:  # sub-lists the data-quality report counts but the store does not keep
        if entry.file in read_files:
            list_tables[entry.section] = tables.get(entry.file)
        elif (root / entry.file).exists():
            list_tables[entry.section] = read_csv(root / entry.file, _name(root, entry.file), ["Project ID"], problems)
        else:
            list_tables[entry.section] = None
    problems.raise_if_any()

    findings: list[Finding] = []
    rows: dict[str, list[dict[str, Any]]] = {}
    for spec in ENTITY_SPECS:
        rows[spec.table] = _entity_rows(spec, tables[spec.file], problems)
    project_ids = {row["id"] for row in rows["projects"] if row["id"] is not None}
    if check is not None:
        _check_same_projects(check, project_ids, tables[PROJECTS_FILE].name, problems)
    rows["project_countries"] = [
        {"project_id": row["id"], "country": country}
        for row in rows["projects"] for country in _countries(row["countries"])]
    for spec in CHILD_SPECS:
        rows[spec.table] = _child_rows(spec, tables[spec.file], project_ids, problems, findings)
    list_presence: dict[str, set[str] | None] = {}
    for section, list_table in list_tables.items():
        list_presence[section] = (None if list_table is None else
                                  {r.cells["Project ID"].strip() for r in list_table.rows} & project_ids)
    problems.raise_if_any()

    findings += _reference_findings(rows, tables)
    hashes = {spec_file: table.sha256 for spec_file, table in tables.items()}
    if check is not None:
        hashes[PROJECTS_CHECK_FILE] = check.sha256
    for entry in load_priorities().lists:
        listed = list_tables.get(entry.section)
        if listed is not None:
            hashes[entry.file] = listed.sha256
    return ParsedExport(root=root, file_hashes=hashes, rows=rows,
                        project_cells=[dict(r.cells) for r in tables[PROJECTS_FILE].rows],
                        list_presence=list_presence, findings=findings)


def _name(root: Path, relative: str) -> str:
    return str(root / relative)


def _countries(text: str | None) -> list[str]:
    """``'KE, UG'`` → ``['KE', 'UG']`` (unique, in order)."""
    if not text:
        return []
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _parse_columns(cells: Cells, columns: Iterable[Column]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in columns:
        kind, name = column.kind, column.csv
        if kind == "text":
            out[column.attr] = cells.text(name)
        elif kind == "key":
            out[column.attr] = cells.required_text(name)
        elif kind == "decimal":
            out[column.attr] = cells.decimal(name)
        elif kind == "whole":
            out[column.attr] = cells.whole(name)
        elif kind == "date":
            out[column.attr] = cells.date(name)
        elif kind == "sources":
            out[column.attr] = cells.source_ids(name)
        elif kind == "payment_type":
            out[column.attr] = cells.choice(name, PAYMENT_TYPES)
        elif kind == "text+decimal":
            out[column.attr + "_text"], out[column.attr] = cells.lenient_decimal(name)
        elif kind == "text+whole":
            out[column.attr + "_text"], out[column.attr] = cells.lenient_whole(name)
        else:  # pragma: no cover - a spec error, caught by the tests
            raise ValueError(f"unknown column kind {kind!r}")
    return out


def _entity_rows(spec: FileSpec, table: CsvTable, problems: ProblemLog) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = Cells(table, row, problems)
        values = _parse_columns(cells, spec.columns)
        key = values["id"]
        if key is not None:
            if key in seen:
                cells.problem("ID", f"duplicate id {key!r} (also row {seen[key]})")
                continue
            seen[key] = row.number
        notes = {section: note for section, column in spec.notes.items() if (note := cells.text(column))}
        if spec.table == "projects":
            sources = {section: ids for section, column in spec.sources.items() if (ids := cells.source_ids(column))}
            values["source_ids"] = sources or None
            values["section_notes"] = notes or None
        elif spec.notes:
            values["notes"] = notes or None
        values["raw"] = dict(row.cells)
        values["_row"] = row.number
        out.append(values)
    return out


def _check_same_projects(check: CsvTable, project_ids: set[str], projects_name: str, problems: ProblemLog) -> None:
    other = {r.cells["ID"].strip() for r in check.rows if r.cells["ID"].strip()}
    if other == project_ids:
        return
    only_here = sorted(other - project_ids)
    only_there = sorted(project_ids - other)
    detail = "; ".join(part for part in (
        f"{len(only_here)} only here ({', '.join(only_here[:5])}{', …' if len(only_here) > 5 else ''})"
        if only_here else "",
        f"{len(only_there)} only in {projects_name} ({', '.join(only_there[:5])}{', …' if len(only_there) > 5 else ''})"
        if only_there else "") if part)
    problems.add(Problem(check.name, "column 'ID'", f"the project ids differ from {projects_name}: {detail}"))


def _child_rows(spec: FileSpec, table: CsvTable, project_ids: set[str], problems: ProblemLog,
                findings: list[Finding]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    positions: Counter[str] = Counter()
    seen: dict[tuple[Any, ...], int] = {}
    lenient = [c for c in spec.columns if c.kind.startswith("text+")]
    for row in table.rows:
        cells = Cells(table, row, problems)
        values = _parse_columns(cells, spec.columns)
        project_id = values["project_id"]
        if project_id is None:
            continue
        if project_id not in project_ids:
            cells.problem("Project ID", f"project {project_id!r} is not in {PROJECTS_FILE}")
            continue
        positions[project_id] += 1
        if "seq" in spec.key:
            values["seq"] = positions[project_id]
        key = tuple(values[k] for k in spec.key)
        if None in key:
            continue
        if key in seen:
            cells.problem(None, f"duplicate {', '.join(spec.key)} {key!r} (also row {seen[key]})")
            continue
        seen[key] = row.number
        for column in lenient:
            if values[column.attr + "_text"] is not None and values[column.attr] is None:
                findings.append(Finding("not_a_number", table.name, row.number, column.csv,
                                        values[column.attr + "_text"], project_id))
        values["raw"] = dict(row.cells)
        values["_row"] = row.number
        out.append(values)
    return out


def _reference_findings(rows: Mapping[str, list[dict[str, Any]]], tables: Mapping[str, CsvTable]) -> list[Finding]:
    """Ids that point at nothing: organisations, funds, outcome metrics and cited sources (INDIGO's report checks
    the same, as priority 0). Not errors: the published export has some, and they are kept as given."""
    findings: list[Finding] = []
    organisations = {row["id"] for row in rows["organisations"]}
    funds = {row["id"] for row in rows["funds"]}
    metrics = {(row["project_id"], row["metric_id"]) for row in rows["outcome_metrics"]}
    sources: dict[str, set[str]] = defaultdict(set)
    for row in rows["project_sources"]:
        if row["source_key"]:
            sources[row["project_id"]].add(row["source_key"])

    def file_of(spec: FileSpec) -> str:
        return tables[spec.file].name

    def org_ids(text: str | None) -> list[str]:
        return [part.strip() for part in (text or "").split(",") if part.strip()]

    def add(check: str, spec: FileSpec, row: Mapping[str, Any], column: str, value: str) -> None:
        findings.append(Finding(check, file_of(spec), _row_number(row), column, value, row.get("project_id")))

    for row in rows["funds"]:
        for org in org_ids(row["host_organisation_id"]):
            if org not in organisations:
                add("unknown_organisation", FUNDS, row, "Fund - Host institution of Outcome Fund", org)
    for row in rows["projects"]:
        row_with_project = {**row, "project_id": row["id"]}
        for org in org_ids(row["organisation_ids"]):
            if org not in organisations:
                add("unknown_organisation", PROJECTS, row_with_project, "Organisations", org)
        for section, ids in (row["source_ids"] or {}).items():
            for source_id in ids:
                if source_id not in sources[row["id"]]:
                    add("source_not_in_sources_table", PROJECTS, row_with_project, PROJECTS.sources[section],
                        source_id)
    org_columns = (
        (OUTCOME_PAYMENT_COMMITMENTS, (("organisation_id", "Organisation ID - (Value)"),)),
        (INVESTMENTS, (("organisation_id", "Organisation ID - (Value)"),)),
        (OUTCOME_PAYMENTS, (("payer_organisation_ids", "Payer Organisation ID - (Value)"),
                            ("recipient_organisation_ids", "Recipient Organisation ID - (Value)"))),
    )
    for spec, columns in org_columns:
        for row in rows[spec.table]:
            for attr, column in columns:
                for org in org_ids(row[attr]):
                    if org not in organisations:
                        add("unknown_organisation", spec, row, column, org)
    for row in rows["project_funds"]:
        if row["fund_id"] not in funds:
            add("unknown_fund", PROJECT_FUNDS, row, "Id", row["fund_id"])
    for spec in (OUTCOME_PRICINGS, OUTCOME_PAYMENTS, RESULTS):
        for row in rows[spec.table]:
            if row["metric_id"] and (row["project_id"], row["metric_id"]) not in metrics:
                add("unknown_outcome_metric", spec, row, "Outcome Metric Id - (Value)", row["metric_id"])
    for spec in CHILD_SPECS:
        if not any(c.kind == "sources" for c in spec.columns):
            continue
        for row in rows[spec.table]:
            for source_id in row["source_ids"] or ():
                if source_id not in sources[row["project_id"]]:
                    add("source_not_in_sources_table", spec, row, "Sources", source_id)
    return findings


def _row_number(row: Mapping[str, Any]) -> int | None:
    """The data row a parsed row came from (``_row``, which is not written to the store)."""
    number = row.get("_row")
    return number if isinstance(number, int) else None


# --- writing ----------------------------------------------------------------------------------------------------

@dataclass
class TableChange:
    """What an import did to one table."""

    rows: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    reinstated: int = 0

    def to_dict(self) -> dict[str, int]:
        """Counts as a JSON object (``withdrawn``/``reinstated`` only where they apply)."""
        out = {"rows": self.rows, "inserted": self.inserted, "updated": self.updated, "deleted": self.deleted,
               "unchanged": self.unchanged}
        if self.withdrawn or self.reinstated:
            out |= {"withdrawn": self.withdrawn, "reinstated": self.reinstated}
        return out


CHUNK = 500
"""Keys per ``IN (…)`` list in bulk updates and deletes."""


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _key_of(row: Mapping[str, Any], key: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row[k] for k in key)


def _sync_table(connection: Connection, name: str, key: tuple[str, ...], new_rows: list[dict[str, Any]],
                import_id: int, *, scope: set[str] | None) -> TableChange:
    """Upsert ``new_rows`` into table ``name`` by ``key``; for a project sub-list (``scope`` = the export's
    project ids) also delete the rows of those projects that the export no longer has."""
    table = _table(name)
    entity = "first_seen_import_id" in table.c
    change = TableChange(rows=len(new_rows))
    existing: dict[tuple[Any, ...], dict[str, Any]] = {}
    for mapping in connection.execute(select(table)).mappings():
        row = dict(mapping)
        existing[_key_of(row, key)] = row
    inserts: list[dict[str, Any]] = []
    seen_again: list[Any] = []  # entities whose only change is the import that last saw them
    for new in new_rows:
        values = {k: v for k, v in new.items() if k in table.c}
        old = existing.pop(_key_of(values, key), None)
        if old is None:
            if entity:
                values |= {"first_seen_import_id": import_id, "last_seen_import_id": import_id}
            if "status" in table.c:
                values["status"] = "active"
            inserts.append(values)
            continue
        changes = {k: v for k, v in values.items() if old.get(k) != v}
        data_changed = bool(changes)
        if "status" in table.c and old["status"] != "active":
            changes["status"] = "active"
            change.reinstated += 1
        if entity and old["last_seen_import_id"] != import_id:
            if changes:
                changes["last_seen_import_id"] = import_id
            else:
                seen_again.append(old["id"])
        if changes:
            condition = and_(*(table.c[k] == old[k] for k in key))
            connection.execute(update(table).where(condition).values(**changes))
        if data_changed:
            change.updated += 1
        else:
            change.unchanged += 1
    for start in range(0, len(seen_again), CHUNK):
        connection.execute(update(table).where(table.c.id.in_(seen_again[start:start + CHUNK]))
                           .values(last_seen_import_id=import_id))
    if inserts:
        connection.execute(insert(table), inserts)
    change.inserted = len(inserts)
    if scope is not None:
        stale = [k for k in existing if k[0] in scope]
        for start in range(0, len(stale), CHUNK):
            chunk = stale[start:start + CHUNK]
            connection.execute(delete(table).where(tuple_(*(table.c[k] for k in key)).in_(chunk)))
        change.deleted = len(stale)
    elif name == "projects":
        gone = [k[0] for k, old in existing.items() if old["status"] == "active"]
        if gone:
            connection.execute(update(table).where(table.c.id.in_(gone)).values(status="withdrawn"))
        change.withdrawn = len(gone)
    return change


def _import_row(connection: Connection, parsed: ParsedExport, now: datetime) -> tuple[int, bool]:
    """The ``imports`` row for this export: the latest one if it has the same content hash, else a new one."""
    from wellspent import __version__

    imports = _table("imports")
    latest = connection.execute(
        select(imports.c.id, imports.c.content_hash).where(imports.c.source == SOURCE_NAME)
        .order_by(imports.c.id.desc()).limit(1)).first()
    if latest is not None and latest.content_hash == parsed.content_hash:
        return int(latest.id), False
    counts = {name: len(parsed.rows[name]) for name in TABLE_ORDER}
    result = connection.execute(insert(imports).values(
        source=SOURCE_NAME, imported_at=now, source_dir=str(parsed.root.resolve()),
        content_hash=parsed.content_hash, file_hashes=dict(sorted(parsed.file_hashes.items())), counts=counts,
        wellspent_version=__version__).returning(imports.c.id))
    return int(result.scalar_one()), True


# --- the import -------------------------------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did, with counts, projects by country and the data-quality report."""

    import_id: int
    new_import: bool
    source_dir: str
    content_hash: str
    database: str
    tables: dict[str, TableChange]
    projects_by_country: dict[str, int]
    projects_by_stage: dict[str, int]
    data_quality: dict[str, Any]

    @property
    def changed(self) -> bool:
        """True when the import wrote anything."""
        return self.new_import or any(
            c.inserted or c.updated or c.deleted or c.withdrawn or c.reinstated for c in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON document (schema ``wellspent.indigo-import/1``)."""
        return {
            "schema": REPORT_SCHEMA,
            "import_id": self.import_id,
            "new_import": self.new_import,
            "changed": self.changed,
            "source_dir": self.source_dir,
            "content_hash": self.content_hash,
            "database": self.database,
            "tables": {name: change.to_dict() for name, change in self.tables.items()},
            "projects": {
                "in_export": self.tables["projects"].rows,
                "withdrawn_now": self.tables["projects"].withdrawn,
                "by_country": self.projects_by_country,
                "by_stage": self.projects_by_stage,
            },
            "data_quality": self.data_quality,
        }


def import_indigo(directory: Path | str, engine: Engine | None = None, *, focus_country: str = DEFAULT_FOCUS_COUNTRY,
                  now: Callable[[], datetime] | None = None) -> ImportReport:
    """Import the INDIGO export in ``directory`` into the store of ``engine`` (default: the configured database,
    created or upgraded first). Raises :class:`InputError` for a bad export; the store is then unchanged."""
    from wellspent.store.engine import describe, get_engine
    from wellspent.store.migrate import upgrade

    parsed = parse_export(Path(directory))
    own_engine = engine is None
    engine = engine or get_engine()
    try:
        upgrade(engine)
        scope = parsed.project_ids()
        with engine.begin() as connection:
            import_id, new_import = _import_row(connection, parsed, (now or (lambda: datetime.now(UTC)))())
            changes: dict[str, TableChange] = {}
            for name in TABLE_ORDER:
                spec = next((s for s in (*ENTITY_SPECS, *CHILD_SPECS) if s.table == name), None)
                key = spec.key if spec is not None else ("project_id", "country")
                child = name not in ("organisations", "funds", "projects")
                changes[name] = _sync_table(connection, name, key, parsed.rows[name], import_id,
                                            scope=scope if child else None)
            refresh_search_index(connection)
        database = describe(engine.url)
    finally:
        if own_engine:
            engine.dispose()
    by_country = Counter(row["country"] for row in parsed.rows["project_countries"])
    by_stage = Counter(row["stage"] or "(blank)" for row in parsed.rows["projects"])
    focus_ids = {row["project_id"] for row in parsed.rows["project_countries"] if row["country"] == focus_country}
    quality = data_quality_report(parsed.project_cells, focus_country, focus_ids, parsed.list_presence,
                                  parsed.findings)
    return ImportReport(
        import_id=import_id, new_import=new_import, source_dir=str(parsed.root.resolve()),
        content_hash=parsed.content_hash, database=database, tables=changes,
        projects_by_country=dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        projects_by_stage=dict(sorted(by_stage.items(), key=lambda kv: (-kv[1], kv[0]))),
        data_quality=quality)
