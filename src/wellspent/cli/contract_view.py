"""Terminal view of a contract result: headline, payers, outcomes, cash flows by period and scenarios (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from wellspent.cli.output import money, ratio
from wellspent.contracts.result import ContractResult


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def show_contract(result: ContractResult, scenarios: bool = False, console: Console | None = None) -> None:
    """Print the headline figures and the payer, outcome, period (and scenario) tables."""
    console = console or Console()
    spec = result.model.spec
    document = result.to_dict(scenarios=scenarios)
    console.print(f"[bold]{spec.name}[/bold]")
    console.print(f"{spec.periods} {spec.period}s from {spec.start} · cash £ as contracted")
    headline = Table(show_header=False, box=None, padding=(0, 2))
    headline.add_row("Outcome payments", money(document["outcome_payments_total"]))
    headline.add_row("Fees for service", money(document["fees_total"]))
    headline.add_row("Provider costs", money(document["provider_costs_total"]))
    investor = document["investor"]
    headline.add_row("Investor capital drawn", f"{money(investor['drawn'])} (peak {money(investor['peak_capital'])}"
                                               f" of {money(investor['commitment'])} committed)")
    headline.add_row("Investor IRR", _percent(document["investor_irr"]))
    headline.add_row("Money multiple", ratio(document["money_multiple"]))
    breakeven = document["breakeven_performance"]
    headline.add_row("Break-even performance", "never" if breakeven is None
                     else f"{breakeven:.0%} of expected achievement")
    headline.add_row("Leverage", "no outcomes fund" if document["leverage"] is None
                     else f"{document['leverage']:.2f} (£ of outcome payments per £ of fund top-up)")
    headline.add_row("Provider net", money(document["provider"]["net"]))
    if document["participant_cap_factor"] < 1:
        headline.add_row("Per-participant cap", f"pays {document['participant_cap_factor']:.1%} of uncapped payments")
    console.print(headline)

    payers = Table(title="Payers", title_justify="left")
    for column in ("Payer", "Share", "Cap", "Outcome payments", "Fees"):
        payers.add_column(column, justify="left" if column == "Payer" else "right")
    for row in document["payments_by_payer"]:
        payers.add_row(row["payer"] + (" (fund)" if row["outcomes_fund"] else ""), f"{row['share']:.0%}",
                       money(row["cap"]), money(row["outcome_payments"]), money(row["fees"]))
    console.print(payers)

    outcomes = Table(title="Rate card (expected)", title_justify="left")
    for column in ("Outcome", "Price", "Achievements", "Payments"):
        outcomes.add_column(column, justify="left" if column == "Outcome" else "right")
    for row in document["outcomes"]:
        outcomes.add_row(row["name"], money(row["price"]), f"{row['achievements']:,.1f}", money(row["payments"]))
    console.print(outcomes)

    flows = Table(title="Cash flows by period", title_justify="left")
    for column in ("End", "Referrals", "Payments", "Costs", "Drawn", "To investors", "Outstanding"):
        flows.add_column(column, justify="right", no_wrap=column == "End")
    for row in document["periods"]:
        back = row["principal_repaid"] + row["return_paid"] + row["investor_surplus"]
        flows.add_row(row["end"], f"{row['referrals']:,.0f}", money(row["outcome_payments"] + row["fees"]),
                      money(row["provider_costs"]), money(row["investor_drawdown"]), money(back),
                      money(row["capital_outstanding"]))
    console.print(flows)

    value = document["price_vs_value"]
    if value is not None:
        table = Table(title=f"Price against value (£, values in {value['price_year']} prices, undiscounted)",
                      title_justify="left")
        for column in ("Outcome", "Price", "Value each", "Value ÷ price", "Kind", "Public value"):
            table.add_column(column, justify="left" if column in ("Outcome", "Kind") else "right",
                             overflow="fold")
        for row in value["outcomes"]:
            table.add_row(row["id"], money(row["price"]), money(row["value_per_achievement"]),
                          ratio(row["value_to_price"]), row["kind"], money(row["public_value"]))
        console.print(table)
        console.print(f"Public value of valued outcomes {money(value['public_value_total'])}; "
                      f"£{value['value_per_pound_paid'] or 0:.2f} per £1 of outcome payments.")
        position = Table(title="Commissioners' position by agency (cash over the contract)", title_justify="left")
        for column in ("Agency", "Pays", "Saves (fiscal)", "Net"):
            position.add_column(column, justify="left" if column == "Agency" else "right")
        for row in value["by_agency"]:
            position.add_row(row["agency"], money(row["payments"]), money(row["fiscal_savings"]), money(row["net"]))
        console.print(position)

    if scenarios:
        table = Table(title="Scenarios (multiple of expected achievement)", title_justify="left")
        for column in ("Performance", "Outcome payments", "Investor IRR", "Money multiple", "Provider net"):
            table.add_column(column, justify="right")
        for row in document["scenarios"]:
            table.add_row(f"{row['performance']:.0%}", money(row["outcome_payments_total"]),
                          _percent(row["investor_irr"]), ratio(row["money_multiple"]), money(row["provider_net"]))
        console.print(table)
