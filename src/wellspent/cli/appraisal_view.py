"""Terminal view of an appraisal result: headline, years, outcomes and who pays vs who benefits (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from wellspent.appraisal.result import AppraisalResult
from wellspent.cli.output import money, ratio


def show_appraisal(result: AppraisalResult, console: Console | None = None) -> None:
    """Print the headline figures and the year, outcome and agency tables."""
    console = console or Console()
    spec = result.model.spec
    console.print(f"[bold]{spec.name}[/bold]")
    console.print(
        f"£ in {spec.price_year} prices · {spec.horizon} years from {spec.start_year} · "
        f"discounting {result.model.discounting}"
    )
    pv = result.pv_benefits
    headline = Table(show_header=False, box=None, padding=(0, 2))
    headline.add_row("PV costs", money(result.pv_costs))
    headline.add_row("PV benefits", f"{money(pv['total'])}  (fiscal {money(pv['fiscal'])}, "
                                    f"economic {money(pv['economic'])}, social {money(pv['social'])})")
    headline.add_row("NPSV", money(result.npsv))
    headline.add_row("BCR", ratio(result.bcr))
    headline.add_row("Fiscal BCR", ratio(result.fiscal_bcr))
    payback = result.payback_year
    headline.add_row("Payback", "not within the horizon" if payback is None
                     else f"year {payback} ({spec.start_year + payback})")
    console.print(headline)

    years = Table(title="By year (undiscounted, real £)", title_justify="left")
    for column in ("Year", "DF", "Costs", "Fiscal", "Economic", "Social"):
        years.add_column(column, justify="right")
    for row in result.years():
        years.add_row(str(row["calendar_year"]), f"{row['discount_factor']:.4f}", money(row["costs"]),
                      money(row["benefits_fiscal"]), money(row["benefits_economic"]),
                      money(row["benefits_social"]))
    console.print(years)

    outcomes = Table(title="By outcome (PV)", title_justify="left")
    outcomes.add_column("Outcome", min_width=16)
    outcomes.add_column("Kind")
    outcomes.add_column("Successes", justify="right")
    outcomes.add_column("PV before adjustments", justify="right")
    outcomes.add_column("PV benefit", justify="right")
    for row in result.outcomes():
        outcomes.add_row(row["name"], row["kind"], f"{row['successes']:,.1f}",
                         money(row["pv_benefit_before_adjustments"]), money(row["pv_benefit"]))
    console.print(outcomes)

    agencies = Table(title="Who pays, who benefits (PV)", title_justify="left")
    agencies.add_column("Agency", no_wrap=True)
    for column in ("Cost", "Fiscal benefit", "of which cashable", "Net"):
        agencies.add_column(column, justify="right")
    for row in result.by_agency():
        agencies.add_row(row["agency"], money(row["pv_cost"]), money(row["pv_fiscal_benefit"]),
                         money(row["pv_cashable"]), money(row["net"]))
    console.print(agencies)
    for warning in result.model.warnings:
        console.print(f"[yellow]note:[/yellow] {warning}")
