"""``wellspent costs list|search|show|convert|agencies|import-gmca``: the unit cost library from the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from wellspent.errors import InputError

costs_app = typer.Typer(help="The unit cost library: list, search, show and convert sourced UK unit costs.",
                        no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON.")]


def _entry_dict(entry: Any) -> dict[str, Any]:
    data: dict[str, Any] = entry.model_dump()
    data["price_year"] = str(entry.price_year)
    return data


@costs_app.command("list")
def list_costs(
    domain: Annotated[str | None, typer.Option(help="Only this domain (crime, health, housing…).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: fiscal, economic or social.")] = None,
    agency: Annotated[str | None, typer.Option(help="Only costs borne by this agency id.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List unit costs, optionally filtered."""
    from wellspent.costs.library import load_library

    entries = [e for e in load_library()
               if (domain is None or e.domain == domain) and (kind is None or e.kind == kind)
               and (agency is None or e.agency == agency)]
    if json_output:
        from wellspent.cli.output import print_json

        print_json([_entry_dict(e) for e in entries])
        return
    _table(entries, f"{len(entries)} unit costs")


@costs_app.command("search")
def search_costs(
    text: Annotated[str, typer.Argument(help="Words to look for in names, ids and sources (fuzzy).")],
    limit: Annotated[int, typer.Option(min=1, max=500, help="Most results to show.")] = 15,
    json_output: JsonOption = False,
) -> None:
    """Search the library by name, id and source (fuzzy: typos and word order forgiven)."""
    from wellspent.costs.library import load_library
    from wellspent.costs.search import search

    hits = search(load_library(), text, limit=limit)
    if json_output:
        from wellspent.cli.output import print_json

        print_json([{**_entry_dict(h.entry), "score": round(h.score, 1)} for h in hits])
        return
    if not hits:
        typer.echo(f"No unit costs match {text!r}.")
        return
    _table([h.entry for h in hits], f"{len(hits)} best matches for {text!r}")


@costs_app.command("show")
def show_cost(
    unit_cost_id: Annotated[str, typer.Argument(metavar="ID", help="A unit cost id.")],
    json_output: JsonOption = False,
) -> None:
    """Show one unit cost with all its provenance."""
    entry = _get(unit_cost_id)
    data = _entry_dict(entry)
    if json_output:
        from wellspent.cli.output import print_json

        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in data.items():
        table.add_row(f"[bold]{key}[/bold]", "" if value is None else str(value))
    Console().print(table)


@costs_app.command("convert")
def convert_cost(
    unit_cost_id: Annotated[str, typer.Argument(metavar="ID", help="A unit cost id.")],
    to_year: Annotated[str, typer.Option("--to-year", help="Target price year: 2024 or 2023/24.")],
    json_output: JsonOption = False,
) -> None:
    """Convert a unit cost to another price year with the HM Treasury GDP deflator, showing the working."""
    from wellspent.money.deflators import DEFAULT_SERIES, load_series, parse_price_year

    entry = _get(unit_cost_id)
    series = load_series(DEFAULT_SERIES)
    try:
        target = parse_price_year(int(to_year) if to_year.isdigit() else to_year)
        from_index = series.index(entry.price_year)
        to_index = series.index(str(target))
    except ValueError as exc:
        raise InputError.single(None, "--to-year", str(exc)) from None
    amount = entry.amount * to_index / from_index
    working = {
        "id": entry.id,
        "amount": entry.amount,
        "price_year": str(entry.price_year),
        "to_year": str(target),
        "deflator": series.name,
        "index_from": from_index,
        "index_to": to_index,
        "converted": amount,
        "per": entry.per,
        "formula": "amount × index[to_year] / index[price_year]",
    }
    if json_output:
        from wellspent.cli.output import print_json

        print_json(working)
        return
    typer.echo(f"{entry.name} ({entry.id})")
    typer.echo(f"  £{entry.amount:,.2f} per {entry.per} in {entry.price_year} prices")
    typer.echo(f"  × deflator {to_index:.4f} ({target}) / {from_index:.4f} ({entry.price_year})  [{series.name}]")
    typer.echo(f"  = £{amount:,.2f} per {entry.per} in {target} prices")


@costs_app.command("agencies")
def list_agencies(json_output: JsonOption = False) -> None:
    """List the agency ids (who bears a cost or receives a benefit)."""
    from wellspent.vocabulary import agencies

    terms = agencies()
    if json_output:
        from wellspent.cli.output import print_json

        print_json([{"id": t.id, "name": t.name, "sector": t.sector, "fiscal": t.fiscal} for t in terms.values()])
        return
    for term in terms.values():
        typer.echo(f"{term.id:24} {term.name}")


@costs_app.command("import-gmca")
def import_gmca(
    workbook: Annotated[Path, typer.Argument(help="The GMCA Unit Cost Database workbook (.xlsx).")],
    out: Annotated[Path | None, typer.Option(help="Data folder to write (default: the package's).")] = None,
) -> None:
    """Import a GMCA Unit Cost Database workbook into library files (maintainers)."""
    from wellspent.costs import gmca_import

    report = gmca_import.import_workbook(workbook, out or gmca_import.default_out_dir())
    typer.echo(str(report))


def _get(unit_cost_id: str) -> Any:
    from wellspent.costs.library import load_library

    try:
        return load_library().get(unit_cost_id)
    except KeyError as exc:
        raise InputError.single(None, "ID", str(exc.args[0])) from None


def _table(entries: list[Any], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from wellspent.cli.output import money

    table = Table(title=title, title_justify="left")
    for column in ("id", "name", "£", "per", "price year", "kind", "agency"):
        table.add_column(column, justify="right" if column == "£" else "left", overflow="fold",
                         no_wrap=column in ("id", "£", "per"))
    for e in entries:
        table.add_row(e.id, e.name, money(e.amount) if e.amount >= 100 else f"£{e.amount:,.2f}", e.per,
                      str(e.price_year), e.kind, e.agency)
    Console().print(table)
