"""``wellspent registry import-indigo``: past social outcomes contracts from the GO Lab INDIGO data set.

SQLAlchemy is imported inside the command, so other verbs never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from wellspent.registry.indigo_import import ImportReport

registry_app = typer.Typer(
    help="Past social outcomes contracts: import the GO Lab INDIGO impact bond data set into the database.",
    no_args_is_help=True)

TOP_FIELDS = 12
"""Fields shown per priority in the terminal view (--json has them all)."""


@registry_app.command("import-indigo")
def import_indigo_command(
    directory: Annotated[Path, typer.Argument(
        metavar="DIR", help="The INDIGO export folder (holding all-data-by-type/ and key-datasets/).")],
    country: Annotated[str, typer.Option(
        "--country", help="Focus country (ISO2) for the data-quality report's second column.")] = "GB",
    json_output: Annotated[bool, typer.Option("--json", help="Print only the import report as JSON.")] = False,
) -> None:
    """Import (or re-import) an INDIGO export: all or nothing, idempotent; projects gone from a newer export are
    marked withdrawn. Prints counts per table, projects by country and a data-quality report."""
    from wellspent.cli.db import database_errors
    from wellspent.registry.indigo_import import import_indigo

    with database_errors():
        report = import_indigo(directory, focus_country=country.strip().upper())
    if json_output:
        from wellspent.cli.output import print_json

        print_json(report.to_dict())
    else:
        show_import(report)


def show_import(report: ImportReport) -> None:
    """The import report as tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    document = report.to_dict()
    if report.new_import:
        console.print(f"Imported [bold]{report.source_dir}[/] into {report.database} as import {report.import_id}.")
    elif report.changed:
        console.print(f"Re-imported {report.source_dir} (import {report.import_id}); changes below.")
    else:
        console.print(f"{report.source_dir} is already imported (import {report.import_id}): nothing changed.")

    tables = Table(title="Rows by table", title_justify="left")
    for heading in ("table", "rows", "new", "changed", "deleted", "same"):
        tables.add_column(heading, justify="left" if heading == "table" else "right", no_wrap=True)
    for name, change in report.tables.items():
        tables.add_row(name, *(f"{n:,}" for n in (change.rows, change.inserted, change.updated, change.deleted,
                                                  change.unchanged)))
    console.print(tables)
    projects = report.tables["projects"]
    if projects.withdrawn or projects.reinstated:
        console.print(f"Projects no longer in the export, now withdrawn: {projects.withdrawn:,}; "
                      f"back in the export, active again: {projects.reinstated:,}.")

    quality: dict[str, Any] = document["data_quality"]
    focus = quality["focus"]
    countries = ", ".join(f"{code} {count}" for code, count in list(report.projects_by_country.items())[:10])
    console.print(f"Projects in the export: {report.tables['projects'].rows:,} "
                  f"({', '.join(f'{k} {v}' for k, v in report.projects_by_stage.items())}); "
                  f"delivered in {focus['country']}: {focus['projects']:,}. Top countries: {countries}.")

    summary = Table(title="Data quality (INDIGO priorities: 1 highest; 0 = problems)", title_justify="left")
    for heading in ("priority", "fields", "complete", f"complete ({focus['country']})", "sub-lists",
                    "problems"):
        summary.add_column(heading, justify="right")
    for level in quality["summary"]:
        if level["priority"] == 0:
            summary.add_row("0", "", "", "", "", f"{level['problems']:,}")
            continue
        summary.add_row(str(level["priority"]), str(level["fields"]), _pct(level["complete_share"]),
                        _pct(level["complete_share_focus"]), str(level["lists"]), "")
    console.print(summary)

    fields = Table(title=f"Most often missing priority-1 fields (of {quality['projects']:,} projects; "
                         f"{focus['projects']:,} in {focus['country']})", title_justify="left")
    for heading in ("field", "missing", f"missing ({focus['country']})"):
        fields.add_column(heading, justify="left" if heading == "field" else "right")
    for entry in [f for f in quality["fields"] if f["priority"] == 1 and f["kind"] == "value"][:TOP_FIELDS]:
        fields.add_row(entry["column"].removesuffix(" - (Value)"), f"{entry['missing']:,}",
                       f"{entry['missing_focus']:,}")
    console.print(fields)

    lists = Table(title="Projects with no rows in a priority-2 sub-list", title_justify="left")
    for heading in ("sub-list", "projects without", f"without ({focus['country']})"):
        lists.add_column(heading, justify="left" if heading == "sub-list" else "right")
    for entry in [e for e in quality["lists"] if e["priority"] == 2]:
        lists.add_row(entry["title"], f"{entry['projects_without']:,}", f"{entry['projects_without_focus']:,}")
    console.print(lists)

    if quality["problems"]:
        problems = Table(title="Problems kept as given (priority 0)", title_justify="left")
        for heading in ("check", "count", "projects", "first example"):
            problems.add_column(heading, justify="right" if heading in ("count", "projects") else "left")
        for problem in quality["problems"]:
            example = problem["examples"][0]
            problems.add_row(problem["check"], f"{problem['count']:,}", f"{problem['projects']:,}",
                             f"{Path(example['file']).name} row {example['row']}: {example['value']!r}")
        console.print(problems)
    console.print("The full report: --json.")


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


@registry_app.command("to-contract")
def to_contract_command(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="An INDIGO project id, e.g. INDIGO-POJ-0131.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the skeleton here (default: print it).")] = None,
) -> None:
    """Write a `contract/1` spec skeleton from a past project's rate card; fields it cannot fill say TODO."""
    from wellspent.cli.db import database_errors
    from wellspent.errors import InputError
    from wellspent.registry.to_contract import load_project_record, render_skeleton
    from wellspent.store.engine import get_engine
    from wellspent.store.migrate import upgrade

    with database_errors():
        engine = get_engine()
        upgrade(engine)
        record = load_project_record(engine, project_id.strip())
    if record is None:
        raise InputError.single(None, "ID", f"no project {project_id!r} in the registry "
                                            "(import one with `wellspent registry import-indigo DIR`)")
    text = render_skeleton(record)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


def _unknown_project(connection: Any, project_id: str) -> Exception:
    from wellspent.errors import InputError
    from wellspent.registry.search import suggest_ids

    suggestions = suggest_ids(connection, project_id)
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; list projects with: registry search ''"
    return InputError.single(None, "ID", f"no project {project_id!r} in the registry{hint}")


@registry_app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find (all must match); '' to only filter.")],
    country: Annotated[str | None, typer.Option("--country", help="Delivery country (ISO2).")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="Policy sector, e.g. Homelessness.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Stage of development, e.g. Complete.")] = None,
    from_year: Annotated[int | None, typer.Option("--from-year", help="Contract signed in or after.")] = None,
    to_year: Annotated[int | None, typer.Option("--to-year", help="Contract signed in or before.")] = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Outcome payer: org id or part of its name.")] = None,
    investor: Annotated[str | None, typer.Option("--investor", help="Investor: org id or part of its name.")] = None,
    fund: Annotated[str | None, typer.Option("--fund", help="Outcomes fund: id or part of its name.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many projects.")] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """Full-text search over past contracts (name, funds, sector, population, outcome metrics, organisations),
    with filters. Best matches first."""
    from wellspent.cli.db import database_errors
    from wellspent.registry.search import SearchFilters, search_projects
    from wellspent.store.engine import get_engine
    from wellspent.store.migrate import upgrade

    filters = SearchFilters(country=country, sector=sector, stage=stage, from_year=from_year, to_year=to_year,
                            payer=payer, investor=investor, fund=fund)
    with database_errors():
        engine = get_engine()
        try:
            upgrade(engine)
            hits = search_projects(engine, text, filters, limit=limit)
        finally:
            engine.dispose()
    if json_output:
        from wellspent.cli.output import print_json

        print_json({"query": text, "filters": {k: v for k, v in vars(filters).items() if v not in (None, False)},
                    "hits": [hit.to_dict() for hit in hits]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(hits)} project(s) for {text!r}", title_justify="left")
    for heading in ("id", "name", "sector", "stage", "countries", "year", "score"):
        table.add_column(heading, justify="right" if heading in ("year", "score") else "left",
                         no_wrap=heading in ("id", "year", "score", "countries"))
    for hit in hits:
        table.add_row(hit.id, hit.name or "", hit.policy_sector or "", hit.stage or "", hit.countries or "",
                      str(hit.year or ""), f"{hit.score:.3f}")
    Console().print(table)


@registry_app.command("similar")
def similar_command(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="A project id, e.g. INDIGO-POJ-0131.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many projects.")] = 10,
    json_output: Annotated[bool, typer.Option("--json", help="Print the ranking as JSON.")] = False,
) -> None:
    """The contracts most like a given one: same sector, outcome-metric and population words, size, country
    (weights in the JSON and in docs/registry.md)."""
    from wellspent.cli.db import database_errors
    from wellspent.registry.similar import WEIGHTS, similar_projects
    from wellspent.store.engine import get_engine
    from wellspent.store.migrate import upgrade

    with database_errors():
        engine = get_engine()
        try:
            upgrade(engine)
            try:
                ranked = similar_projects(engine, project_id.strip(), limit=limit)
            except KeyError:
                with engine.connect() as connection:
                    raise _unknown_project(connection, project_id.strip()) from None
        finally:
            engine.dispose()
    if json_output:
        from wellspent.cli.output import print_json

        print_json({"project": project_id.strip(), "weights": WEIGHTS,
                    "similar": [item.to_dict() for item in ranked]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Contracts most like {project_id.strip()}", title_justify="left")
    for heading in ("id", "name", "sector", "score", *WEIGHTS):
        table.add_column(heading, justify="left" if heading in ("id", "name", "sector") else "right",
                         no_wrap=heading == "id")
    for item in ranked:
        table.add_row(item.id, item.name or "", item.policy_sector or "", f"{item.score:.3f}",
                      *(f"{item.components[name]:.2f}" for name in WEIGHTS))
    Console().print(table)


@registry_app.command("show")
def show_command(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="A project id, e.g. INDIGO-POJ-0131.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the project as JSON.")] = False,
) -> None:
    """One past contract: key fields, countries, funds, outcome metrics, payers and investors."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from wellspent.cli.db import database_errors
    from wellspent.store.engine import get_engine
    from wellspent.store.migrate import upgrade
    from wellspent.store.models import (
        Fund,
        Investment,
        Organisation,
        OutcomeMetric,
        OutcomePaymentCommitment,
        Project,
        ProjectCountry,
        ProjectFund,
    )

    pid = project_id.strip()
    with database_errors():
        engine = get_engine()
        try:
            upgrade(engine)
            with Session(engine) as session:
                connection = session.connection()
                project = session.get(Project, pid)
                if project is None:
                    raise _unknown_project(connection, pid)
                names = dict(connection.execute(select(Organisation.id, Organisation.name)).all())
                document: dict[str, Any] = {
                    "id": project.id, "name": project.name, "alternative_names": project.alternative_names,
                    "stage": project.stage, "status": project.status, "policy_sector": project.policy_sector,
                    "contract_signed": project.contract_signed, "service_start": project.service_start,
                    "target_population": project.target_population,
                    "targeted_service_users": project.targeted_service_users,
                    "max_outcome_payment": None if project.max_outcome_payment is None else str(
                        project.max_outcome_payment),
                    "max_outcome_payment_currency": project.max_outcome_payment_currency,
                    "countries": list(connection.execute(select(ProjectCountry.country).where(
                        ProjectCountry.project_id == pid).order_by(ProjectCountry.country)).scalars()),
                    "funds": [{"id": fid, "name": fname} for fid, fname in connection.execute(
                        select(ProjectFund.fund_id, Fund.name).outerjoin(Fund, Fund.id == ProjectFund.fund_id)
                        .where(ProjectFund.project_id == pid).order_by(ProjectFund.fund_id))],
                    "outcome_metrics": list(connection.execute(select(OutcomeMetric.definition).where(
                        OutcomeMetric.project_id == pid).order_by(OutcomeMetric.seq)).scalars()),
                    "payers": [{"id": oid, "name": names.get(oid)} for oid in dict.fromkeys(connection.execute(
                        select(OutcomePaymentCommitment.organisation_id).where(
                            OutcomePaymentCommitment.project_id == pid).order_by(OutcomePaymentCommitment.seq))
                        .scalars()) if oid],
                    "investors": [{"id": oid, "name": names.get(oid)} for oid in dict.fromkeys(connection.execute(
                        select(Investment.organisation_id).where(Investment.project_id == pid)
                        .order_by(Investment.seq)).scalars()) if oid],
                }
        finally:
            engine.dispose()
    if json_output:
        from wellspent.cli.output import print_json

        print_json(document)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{pid}: {document['name'] or ''}", title_justify="left", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in document.items():
        if key in ("id", "name"):
            continue
        if isinstance(value, list):
            value = "\n".join(f"{v['name'] or ''} ({v['id']})" if isinstance(v, dict) else str(v or "")
                              for v in value)
        table.add_row(key.replace("_", " "), "" if value is None else str(value))
    Console().print(table)
