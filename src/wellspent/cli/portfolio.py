"""``wellspent portfolio value``: the value of past social outcomes contracts (INDIGO) against the outcome payments
made. Method: docs/portfolio.md.

SQLAlchemy is imported inside the command, so other verbs never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wellspent.cli.report_files import (
    HtmlOption,
    InteractiveOption,
    PdfOption,
    ReportTargets,
    XlsxOption,
    today,
    write_reports,
)

if TYPE_CHECKING:
    from wellspent.portfolio.query import PortfolioData
    from wellspent.portfolio.valuation import PortfolioValuation, Summary

portfolio_app = typer.Typer(
    help="Past social outcomes contracts as a portfolio: outcomes achieved × unit value against payments made.",
    no_args_is_help=True)

GROUPINGS = ("policy-sector", "none")


def _write_reports(document: dict[str, Any], targets: ReportTargets) -> None:
    """The portfolio report (HTML/PDF) and workbook from the same document ``--json`` prints."""
    def html_text(interactive: bool) -> str:
        from wellspent.reports.html import portfolio_html

        return portfolio_html(document, generated=today(), interactive=interactive)

    def workbook(path: Path) -> None:
        from wellspent.reports.xlsx import portfolio_workbook

        portfolio_workbook(document, path)

    write_reports(targets, html=html_text, xlsx=workbook)


@portfolio_app.command("value")
def value_command(
    country: Annotated[str, typer.Option("--country", help="Delivery country (ISO2).")] = "GB",
    by: Annotated[str, typer.Option("--by", help="Group contracts by: policy-sector or none.")] = "policy-sector",
    price_year: Annotated[str, typer.Option("--price-year", help="Price year of the values (GDP deflator).")] = "2024",
    deadweight: Annotated[Path | None, typer.Option(
        "--deadweight", help="A deadweight table (YAML) replacing wellspent/data/portfolio/deadweight-by-sector.yaml.")
    ] = None,
    contracts: Annotated[bool, typer.Option("--contracts", help="Also list every contract.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print only the result as JSON.")] = False,
    html: HtmlOption = None,
    pdf: PdfOption = None,
    xlsx: XlsxOption = None,
    interactive: InteractiveOption = False,
) -> None:
    """Value the outcomes achieved by a country's social outcomes contracts, less deadweight, against the actual
    outcome payments: by policy sector and in total, with coverage, BCR and leverage per outcomes fund."""
    from wellspent.cli.db import database_errors
    from wellspent.errors import InputError
    from wellspent.money.deflators import parse_price_year
    from wellspent.portfolio.config import load_deadweight, load_rules, unit_values
    from wellspent.portfolio.query import read_portfolio, store_is_empty
    from wellspent.portfolio.valuation import value_portfolio
    from wellspent.store.engine import get_engine

    targets = ReportTargets(html, pdf, xlsx, interactive)
    targets.check()
    if by not in GROUPINGS:
        raise InputError.single(None, "--by", f"must be one of {', '.join(GROUPINGS)}")
    try:
        base = parse_price_year(price_year)
    except ValueError as exc:
        raise InputError.single(None, "--price-year", str(exc)) from None
    year: int | str = base.year if not base.financial else str(base)
    rules = load_rules()
    table = load_deadweight(deadweight)
    try:
        values = unit_values(rules, year)
    except ValueError as exc:
        raise InputError.single(None, "--price-year", str(exc)) from None
    engine = get_engine()
    try:
        with database_errors():
            if store_is_empty(engine):
                typer.echo("The store holds no INDIGO projects. Import them first: "
                           "wellspent registry import-indigo DIR", err=True)
                raise typer.Exit(2)
            data = read_portfolio(engine, country.strip().upper())
    finally:
        engine.dispose()
    group = None if by == "policy-sector" else (lambda _contract: "All")
    valuation = value_portfolio(data.contracts, rules, values, table.sectors, table.default, group=group)
    document = _document(data, valuation, str(base), table.origin, table.sectors, table.default,
                         include_contracts=contracts or json_output or targets.any)
    if targets.any:
        _write_reports(document, targets)
    if json_output:
        from wellspent.cli.output import print_json

        print_json(document)
    else:
        _show(data, valuation, str(base), include_contracts=contracts)


def _document(data: PortfolioData, valuation: PortfolioValuation, price_year: str, deadweight_origin: str,
              deadweight: dict[str, float], default: float, *, include_contracts: bool) -> dict[str, Any]:
    document = valuation.to_dict()
    if not include_contracts:
        document.pop("contracts")
    return {
        "country": data.country, "currency": data.currency, "price_year": price_year,
        "projects_in_country": data.projects_in_country,
        "projects_without_actual_payments": data.projects_without_payments,
        "payment_rows_in_other_currencies": data.skipped_other_currency,
        "deadweight": {"table": deadweight_origin, "sectors": deadweight, "default": default},
        **document,
        "leverage": [fund.to_dict() for fund in data.leverage],
        "notes": data.notes,
    }


def _show(data: PortfolioData, valuation: PortfolioValuation, price_year: str, *, include_contracts: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from wellspent.cli.output import money

    console = Console()
    if not valuation.contracts:
        console.print(f"No contracts delivered in {data.country} have actual outcome payments in {data.currency} "
                      f"({data.projects_in_country} projects in the store).")
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    def ratio(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    table = Table(title=f"Value of outcomes achieved against outcome payments, {data.country}, "
                        f"£ {price_year} prices", title_justify="left")
    for heading in ("group", "contracts", "payments", "coverage", "public value before dw", "after dw",
                    "BCR before", "BCR after"):
        table.add_column(heading, justify="left" if heading == "group" else "right")
    kinds = Table(title="Value by kind, after deadweight (public = fiscal − transfers + economic + social)",
                  title_justify="left")
    for heading in ("group", "fiscal", "of which transfers", "economic", "social", "public"):
        kinds.add_column(heading, justify="left" if heading == "group" else "right")

    def row(summary: Summary, bold: bool = False) -> None:
        cells = [summary.label, f"{summary.contracts}", money(summary.payments), pct(summary.coverage),
                 money(summary.before.public), money(summary.after.public), ratio(summary.bcr_before),
                 ratio(summary.bcr_after)]
        table.add_row(*(f"[bold]{c}[/]" for c in cells) if bold else cells)
        value = summary.after
        cells = [summary.label, money(value.fiscal), money(value.fiscal_transfers), money(value.economic),
                 money(value.social), money(value.public)]
        kinds.add_row(*(f"[bold]{c}[/]" for c in cells) if bold else cells)

    for summary in valuation.by_group.values():
        row(summary)
    row(valuation.total, bold=True)
    console.print(table)
    console.print(kinds)
    total = valuation.total
    console.print(
        f"BCR = public value ÷ payments. Contracts: projects delivered in "
        f"{data.country} with actual outcome payments ({total.contracts} of {data.projects_in_country}). "
        f"Coverage: share of payments on metrics that could be valued. Metrics valued on reported counts: "
        f"{total.metrics_reported}; on counts inferred from payments ÷ price: {total.metrics_inferred}; "
        f"not valued: {total.metrics_unvalued}.")

    if include_contracts:
        detail = Table(title="Contracts", title_justify="left")
        for heading in ("project", "sector", "payments", "covered", "allocation", "public (after dw)"):
            detail.add_column(heading, justify="left" if heading in ("project", "sector", "allocation") else "right")
        for contract in valuation.contracts:
            detail.add_row(f"{contract.project_id} {contract.name[:40]}", contract.sector, money(contract.paid),
                           money(contract.covered), contract.allocation, money(contract.after.public))
        console.print(detail)

    if data.leverage:
        funds = Table(title="Leverage: actual payments in each outcomes fund's contracts, by payer",
                      title_justify="left")
        for heading in ("fund", "contracts", "payments", "fund host only", "others only", "joint (unsplit)",
                        "payer unknown"):
            funds.add_column(heading, justify="left" if heading == "fund" else "right")
        for fund in data.leverage:
            funds.add_row(fund.name, f"{fund.contracts}", money(fund.total), money(fund.fund_only),
                          money(fund.others_only), money(fund.joint), money(fund.payer_unknown))
        console.print(funds)
    for note in data.notes:
        console.print(f"Note: {note}")
    console.print("Method, mapping and deadweight tables: docs/portfolio.md. Every figure: --json.")
