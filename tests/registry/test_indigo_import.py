"""The INDIGO import on SQLite and PostgreSQL.

Expected figures come from ``shared/data/indigo/SOURCE.md`` (computed there from the CSVs with Python's csv
module), never from the importer's own output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

import wellspent.registry.indigo_import as indigo_import
from tests.registry.export_copies import copy_export, drop_project, edit_csv, read_rows, set_cell, store_digest
from wellspent.cli.main import main
from wellspent.errors import InputError
from wellspent.registry.indigo_import import import_indigo, parse_export
from wellspent.registry.quality import CHECKS
from wellspent.store.models import (
    Fund,
    Import,
    Investment,
    OutcomeMetric,
    OutcomePayment,
    Project,
    ProjectCountry,
    ProjectFund,
    Result,
)

WITHDRAWN = "INDIGO-POJ-0121"  # Care Leavers SIB: Reboot West (GB), with metrics, prices, payments, investments
TABLE_ROWS = {  # SOURCE.md's file table (rows excluding the header)
    "projects": 319, "organisations": 1549, "funds": 21, "project_funds": 131, "outcome_metrics": 1408,
    "outcome_pricings": 385, "outcome_payments": 2232, "outcome_payment_commitments": 666, "investments": 1080,
    "results": 518, "project_sources": 2072,
}


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def _gb() -> Any:
    return select(ProjectCountry.project_id).where(ProjectCountry.country == "GB")


def test_full_import_matches_the_source_counts(engine: Engine, indigo_dir: Path) -> None:
    report = import_indigo(indigo_dir, engine)
    assert report.new_import and report.import_id == 1
    for table, rows in TABLE_ROWS.items():
        assert report.tables[table].rows == report.tables[table].inserted == rows, table
        assert _count(engine, indigo_import.Base.metadata.tables[table]) == rows, table
    # 319 projects in 41 delivery countries; 100 delivered in GB (Countries contains GB)
    assert report.projects_by_country["GB"] == 100
    assert len(report.projects_by_country) == 41
    assert report.projects_by_stage == {"Implementation": 196, "Complete": 122, "Contracted": 1}
    assert _count(engine, ProjectCountry, ProjectCountry.country == "GB") == 100
    assert _count(engine, Project, Project.status == "active") == 319
    with engine.connect() as connection:
        gb_by_stage = dict(connection.execute(select(Project.stage, func.count()).where(Project.id.in_(_gb()))
                                              .group_by(Project.stage)).all())
        gb_by_sector = dict(connection.execute(select(Project.policy_sector, func.count())
                                               .where(Project.id.in_(_gb())).group_by(Project.policy_sector))
                            .all())
    assert gb_by_stage == {"Complete": 73, "Implementation": 27}
    assert gb_by_sector == {"Employment and training": 32, "Homelessness": 23, "Child and family welfare": 20,
                            "Health": 15, "Education": 8, "Criminal justice": 2}


def test_money_targets_and_actuals_as_the_source_counts_them(engine: Engine, indigo_dir: Path) -> None:
    """SOURCE.md's UK sums come out of the store exactly: amounts are exact decimals, blanks are NULL (not 0),
    targets and actuals stay apart."""
    import_indigo(indigo_dir, engine)
    gb = _gb()
    with engine.connect() as connection:
        count, total = connection.execute(select(func.count(), func.sum(Project.max_outcome_payment)).where(
            Project.id.in_(gb), Project.max_outcome_payment_currency == "GBP")).one()
        assert (count, round(total)) == (56, 219_038_520)
        # INDIGO-POJ-0163: an amount with a blank currency stays an amount with a NULL currency
        assert connection.execute(select(Project.max_outcome_payment, Project.max_outcome_payment_currency)
                                  .where(Project.id == "INDIGO-POJ-0163")).one() == (Decimal(4_000_000), None)
        assert connection.execute(select(func.count()).where(Project.max_outcome_payment == 0)).scalar() == 0
        payments = dict(connection.execute(
            select(OutcomePayment.payment_type, func.sum(OutcomePayment.amount))
            .where(OutcomePayment.project_id.in_(gb), OutcomePayment.currency == "GBP")
            .group_by(OutcomePayment.payment_type)).all())
        assert payments["Actual"] == Decimal(122_852_596)
        assert round(payments["Planned"] / Decimal(100_000)) == 3606  # £360.6m
        actual_projects = connection.execute(select(func.count(func.distinct(OutcomePayment.project_id))).where(
            OutcomePayment.project_id.in_(gb), OutcomePayment.payment_type == "Actual")).scalar()
        assert actual_projects == 31
        users = connection.execute(select(
            func.count(Project.targeted_service_users), func.sum(Project.targeted_service_users),
            func.count(Project.actual_service_users), func.sum(Project.actual_service_users))
            .where(Project.id.in_(gb))).one()
        assert tuple(users) == (62, 104_870, 51, 61_126)
        capital = func.coalesce(Project.investment_exact, Project.investment_max, Project.investment_min)
        count, total = connection.execute(select(func.count(capital), func.sum(capital)).where(
            Project.id.in_(gb), Project.investment_currency == "GBP")).one()
        assert count == 75 and round(total / Decimal(100_000)) == 854  # £85.4m
        funds = dict(connection.execute(
            select(Fund.name, func.count()).join(ProjectFund, ProjectFund.fund_id == Fund.id)
            .where(ProjectFund.project_id.in_(gb)).group_by(Fund.name)).all())
        no_fund = connection.execute(select(func.count()).where(
            Project.id.in_(gb), Project.id.not_in(select(ProjectFund.project_id)))).scalar()
    assert funds["Life Chances Fund - United Kingdom"] == 30
    assert funds["Commissioning Better Outcomes Fund - United Kingdom"] == 26
    assert funds["Innovation Fund - United Kingdom"] == 10  # DWP Innovation Fund
    assert funds["Fair Chance Fund - United Kingdom"] == 7
    assert funds["Care Leavers - United Kingdom"] == 3
    assert no_fund == 6


def test_provenance_is_kept(engine: Engine, indigo_dir: Path) -> None:
    import_indigo(indigo_dir, engine)
    header, rows = read_rows(indigo_dir / "key-datasets" / "original_projects.csv")
    first = dict(zip(header, rows[0], strict=True))
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        project = session.get(Project, first["ID"])
        assert project is not None
        assert project.raw == first  # the source row exactly as read
        assert project.sources_for("service_start") == ["source2", "source4"]  # Dates - (Source ID's)
        assert project.sources_for("stage") == ["source9"]
        assert project.contract_signed == "2018"  # dates stay text as given
        assert project.status == "active" and project.first_seen_import_id == project.last_seen_import_id == 1
        assert {source.source_key for source in project.sources} >= {"source2", "source4", "source9"}
        assert [metric.metric_id for metric in project.outcome_metrics][:2] == ["outcomemetric1", "outcomemetric2"]
        # text where the standard says number: the text is kept, the number is NULL
        metric = session.execute(select(OutcomeMetric).where(
            OutcomeMetric.targeted_number_text == "3000 (later revised  to 944)")).scalar_one()
        assert metric.targeted_number is None
        result = session.execute(select(Result).where(Result.number_engaged_text == "420")).scalars().first()
        assert result is not None and result.number_engaged == 420
        fund_link = session.get(ProjectFund, ("INDIGO-POJ-0252", "INDIGO-FUND-0007"))  # a tab after the id
        assert fund_link is not None


def test_reimport_changes_nothing(engine: Engine, indigo_dir: Path) -> None:
    import_indigo(indigo_dir, engine)
    before = store_digest(engine)
    again = import_indigo(indigo_dir, engine)
    assert not again.new_import and not again.changed and again.import_id == 1
    assert all(c.inserted == c.updated == c.deleted == 0 and c.unchanged == c.rows for c in again.tables.values())
    assert store_digest(engine) == before
    assert _count(engine, Import) == 1


def test_a_project_missing_from_a_newer_export_is_withdrawn(engine: Engine, indigo_dir: Path,
                                                            tmp_path: Path) -> None:
    import_indigo(indigo_dir, engine)
    payments = _count(engine, OutcomePayment, OutcomePayment.project_id == WITHDRAWN)
    investments = _count(engine, Investment, Investment.project_id == WITHDRAWN)
    newer = copy_export(indigo_dir, tmp_path / "newer")
    drop_project(newer, WITHDRAWN)

    report = import_indigo(newer, engine)
    assert report.new_import and report.import_id == 2
    assert report.tables["projects"].rows == 318
    assert report.tables["projects"].withdrawn == 1
    assert report.tables["projects"].unchanged == 318
    assert all(c.deleted == 0 and c.inserted == 0 for c in report.tables.values())
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        gone = session.get(Project, WITHDRAWN)
        assert gone is not None and gone.status == "withdrawn"
        assert (gone.first_seen_import_id, gone.last_seen_import_id) == (1, 1)
        kept = session.get(Project, "INDIGO-POJ-0001")
        assert kept is not None and kept.status == "active" and kept.last_seen_import_id == 2
    # its data is kept, not deleted
    assert _count(engine, OutcomePayment, OutcomePayment.project_id == WITHDRAWN) == payments > 0
    assert _count(engine, Investment, Investment.project_id == WITHDRAWN) == investments > 0
    assert _count(engine, Project, Project.status == "active") == 318

    # the same newer export again: nothing changes
    digest = store_digest(engine)
    assert not import_indigo(newer, engine).changed
    assert store_digest(engine) == digest

    # the project comes back
    back = import_indigo(indigo_dir, engine)
    assert back.import_id == 3 and back.tables["projects"].reinstated == 1
    assert _count(engine, Project, Project.status == "active") == 319


def test_changed_rows_are_updated_and_stale_sub_rows_deleted(engine: Engine, indigo_dir: Path,
                                                             tmp_path: Path) -> None:
    import_indigo(indigo_dir, engine)
    newer = copy_export(indigo_dir, tmp_path / "newer")
    set_cell(newer / "key-datasets" / "original_projects.csv", 1, "Impact Bond Name - (Value)", "Renamed")
    path = newer / "all-data-by-type" / "original_projects_investments.csv"
    _, rows = read_rows(path)
    first = [n for n, row in enumerate(rows) if row[0] == "INDIGO-POJ-0001"]
    assert len(first) >= 3
    # drop the project's last investment: one deletion; its first: the later rows move up a position (updates)
    edit_csv(path, lambda header, rows: (header, [r for n, r in enumerate(rows) if n != first[-1]]))
    report = import_indigo(newer, engine)
    assert report.tables["projects"].updated == 1
    assert (report.tables["investments"].deleted, report.tables["investments"].updated) == (1, 0)
    edit_csv(path, lambda header, rows: (header, [r for n, r in enumerate(rows) if n != first[0]]))
    report = import_indigo(newer, engine)
    assert (report.tables["investments"].deleted, report.tables["investments"].updated) == (1, len(first) - 2)
    with engine.connect() as connection:
        assert connection.execute(select(Project.name).where(Project.id == "INDIGO-POJ-0001")).scalar() == "Renamed"


MALFORMED = {
    "missing column": (
        "all-data-by-type/original_projects_outcome_payments.csv",
        lambda path: edit_csv(path, lambda header, rows: (
            [h for h in header if h != "Payments - Amount - (Value)"],
            [[c for h, c in zip(header, row, strict=True) if h != "Payments - Amount - (Value)"] for row in rows])),
        ":1: column 'Payments - Amount - (Value)': missing from the header row"),
    "bad number": (
        "key-datasets/original_projects.csv",
        lambda path: set_cell(path, 12, "Overall project finance - Maximum potential outcome payment - Amount - "
                                        "(Value)", "1,2x0"),
        ": row 12, column 'Overall project finance - Maximum potential outcome payment - Amount - (Value)': "
        "not a number: '1,2x0'"),
    "wrong encoding": (
        "all-data-by-type/original_projects_outcome_metrics.csv",
        lambda path: path.write_bytes(path.read_bytes().replace(
            b"Vulnerable youth", "Vuln\xe9rable youth".encode("latin-1"), 1)),
        ": row 1, column 'Target Population - (Value)': not UTF-8 text: byte 0xe9"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_export_leaves_the_store_as_it_was(case: str, engine: Engine, indigo_dir: Path,
                                                     tmp_path: Path) -> None:
    import_indigo(indigo_dir, engine)
    before = store_digest(engine)
    relative, breaking, expected = MALFORMED[case]
    broken = copy_export(indigo_dir, tmp_path / "broken")
    drop_project(broken, WITHDRAWN)  # so that a successful import would change the store
    breaking(broken / relative)
    with pytest.raises(InputError) as raised:
        import_indigo(broken, engine)
    messages = [str(p) for p in raised.value.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(str(broken / relative)), messages
    assert expected in messages[0], messages
    assert store_digest(engine) == before


def test_a_failure_while_writing_rolls_everything_back(engine: Engine, indigo_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import_indigo(indigo_dir, engine)
    before = store_digest(engine)
    newer = copy_export(indigo_dir, tmp_path / "newer")
    drop_project(newer, WITHDRAWN)
    real_sync = indigo_import._sync_table

    def failing_sync(connection: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "outcome_payments":  # after the import row, projects (withdrawal) and several tables
            raise RuntimeError("disk full")
        return real_sync(connection, name, *args, **kwargs)

    monkeypatch.setattr(indigo_import, "_sync_table", failing_sync)
    with pytest.raises(RuntimeError, match="disk full"):
        import_indigo(newer, engine)
    assert store_digest(engine) == before
    assert _count(engine, Project, Project.status == "withdrawn") == 0


def test_export_level_problems_are_named(indigo_dir: Path, tmp_path: Path) -> None:
    broken = copy_export(indigo_dir, tmp_path / "broken")
    projects = broken / "key-datasets" / "original_projects.csv"
    edit_csv(projects, lambda header, rows: (header, [*rows, rows[0]]))  # a duplicate id
    set_cell(broken / "all-data-by-type" / "original_projects_outcome_payments.csv", 3, "Type - (Value)", "Maybe")
    set_cell(broken / "all-data-by-type" / "original_projects_results.csv", 2, "Project ID", "INDIGO-POJ-9999")
    set_cell(projects, 5, "Dates - Start date of service provision - (Value)", "2023/07")
    with pytest.raises(InputError) as raised:
        parse_export(broken)
    messages = "\n".join(str(p) for p in raised.value.problems)
    assert "original_projects.csv:" in messages
    assert ": row 320, column 'ID': duplicate id 'INDIGO-POJ-0001' (also row 1)" in messages
    assert "row 3, column 'Type - (Value)': must be one of Planned, Actual or blank, not 'Maybe'" in messages
    assert "row 2, column 'Project ID': project 'INDIGO-POJ-9999' is not in key-datasets/original_projects.csv" \
        in messages
    assert "row 5, column 'Dates - Start date of service provision - (Value)': not a date" in messages


def test_the_two_project_files_must_agree(indigo_dir: Path, tmp_path: Path) -> None:
    broken = copy_export(indigo_dir, tmp_path / "broken")
    edit_csv(broken / "all-data-by-type" / "original_projects.csv", lambda header, rows: (header, rows[1:]))
    with pytest.raises(InputError, match=r"the project ids differ from .*1 only in .*INDIGO-POJ-0001"):
        parse_export(broken)


def test_not_an_export_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        parse_export(tmp_path / "missing")
    with pytest.raises(InputError, match="not an INDIGO export folder"):
        parse_export(tmp_path)


def test_data_quality_report(engine: Engine, indigo_dir: Path) -> None:
    quality = import_indigo(indigo_dir, engine).data_quality
    assert quality["projects"] == 319 and quality["focus"] == {"country": "GB", "projects": 100}
    fields = {f["column"]: f for f in quality["fields"]}
    targeted = fields["Service and beneficiaries - Targeted number of unique service users or beneficiaries "
                      "(total) - (Value)"]
    actual = fields["Service and beneficiaries - Actual number of unique service users or beneficiaries engaged "
                    "(total) - (Value)"]
    assert (targeted["priority"], targeted["missing_focus"], actual["missing_focus"]) == (1, 100 - 62, 100 - 51)
    assert fields["Jurisdiction - Jurisdiction - (Value)"]["missing"] == 319 - 48  # SOURCE.md: filled for 48
    assert fields["Stage of Development - (Value)"]["missing"] == 0
    priorities = [f["priority"] for f in quality["fields"]]
    assert priorities == sorted(priorities)
    lists = {entry["section"]: entry for entry in quality["lists"]}
    assert lists["outcome_funds"]["projects_without_focus"] == 6  # SOURCE.md: 6 UK projects with no fund link
    assert lists["outcome_funds"]["priority"] == 2
    problems = {p["check"]: p for p in quality["problems"]}
    assert problems["unknown_fund"]["count"] == 1
    assert problems["unknown_fund"]["examples"][0]["value"] == "INDIGO-FUND-0011"
    assert problems["not_a_number"]["count"] >= 1
    assert {p["check"] for p in quality["problems"]} <= set(CHECKS)
    summary = {level["priority"]: level for level in quality["summary"]}
    assert summary[0]["problems"] == sum(p["count"] for p in quality["problems"])
    assert 0 < summary[1]["complete_share"] < 1


def test_cli_import_json_and_terminal(database_url: str, indigo_dir: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", database_url)
    assert main(["registry", "import-indigo", str(indigo_dir), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "wellspent.indigo-import/1"
    assert document["projects"]["by_country"]["GB"] == 100
    assert document["tables"]["projects"]["inserted"] == 319
    assert main(["registry", "import-indigo", str(indigo_dir)]) == 0
    out = capsys.readouterr().out
    assert "already imported (import 1): nothing changed" in out
    assert "delivered in GB: 100" in out
    assert main(["registry", "import-indigo", str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err
