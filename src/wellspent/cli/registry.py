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
