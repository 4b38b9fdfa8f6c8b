"""Terminal view of a simulation: percentiles, probabilities, tornado and switching values (rich)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.table import Table

from wellspent.cli.output import money, ratio


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return money(value)
    if kind == "percent":
        return f"{value:.1%}"
    return ratio(value)


def show_simulation(document: dict[str, Any], console: Console | None = None) -> None:
    """Print the simulation summary tables."""
    console = console or Console()
    console.print(f"[bold]{document['name']}[/bold] — {document['draws']:,} draws, seed {document['seed']}")
    inputs = Table(title=f"{len(document['inputs'])} uncertain inputs", title_justify="left")
    for column in ("Input", "Distribution", "Central"):
        inputs.add_column(column)
    for row in document["inputs"]:
        inputs.add_row(row["path"], row["distribution"], f"{row['central']:,.4g}")
    console.print(inputs)

    results = document["results"]
    if document["kind"] == "appraisal":
        rows = [("NPSV", results["npsv"], "money"), ("BCR", results["bcr"], "ratio"),
                ("Fiscal BCR", results["fiscal_bcr"], "ratio")]
        rows += [(f"Net: {agency}", summary, "money") for agency, summary in results["agency_net"].items()]
    else:
        rows = [("Outcome payments", results["outcome_payments"], "money"),
                ("Investor IRR", results["investor_irr"], "percent"),
                ("Money multiple", results["money_multiple"], "ratio"),
                ("Provider net", results["provider_net"], "money")]
    table = Table(title="Percentiles", title_justify="left")
    for column in ("", "Mean", "5%", "25%", "50%", "75%", "95%"):
        table.add_column(column, justify="left" if column == "" else "right")
    for label, summary, kind in rows:
        table.add_row(label, *(_fmt(summary[key], kind) for key in ("mean", "p5", "p25", "p50", "p75", "p95")))
    console.print(table)
    if document["kind"] == "appraisal":
        console.print(f"P(BCR > 1) = {document['probability_bcr_above_1']:.1%} · "
                      f"P(BCR > 2) = {document['probability_bcr_above_2']:.1%}")
        _sensitivity(console, document, "npsv", "NPSV", "NPSV = 0", money)
        if document.get("sobol"):
            sobol = Table(title="Sobol indices of NPSV", title_justify="left")
            for column in ("Input", "First order", "Total"):
                sobol.add_column(column, justify="left" if column == "Input" else "right")
            for row in document["sobol"]:
                sobol.add_row(row["input"], f"{row['first_order']:.3f}", f"{row['total']:.3f}")
            console.print(sobol)
    else:
        console.print(f"P(investors get their money back) = {document['probability_investors_repaid']:.1%}")
        _sensitivity(console, document, "money_multiple", "investors' money multiple", "money multiple = 1",
                     ratio)


def _sensitivity(console: Console, document: dict[str, Any], key: str, label: str, root: str,
                 fmt: Callable[[float | None], str]) -> None:
    """The tornado (``<key>_at_low`` / ``_at_high``) and switching-value tables."""
    if not document.get("tornado"):
        return
    tornado = Table(title=f"Tornado: {label} with each input at its 10th / 90th percentile", title_justify="left")
    for column in ("Input", "At 10th", "At 90th", "Swing"):
        tornado.add_column(column, justify="left" if column == "Input" else "right")
    for row in document["tornado"]:
        tornado.add_row(row["input"], fmt(row[f"{key}_at_low"]), fmt(row[f"{key}_at_high"]), fmt(row["swing"]))
    console.print(tornado)
    switching = Table(title=f"Switching values ({root}, other inputs central)", title_justify="left")
    for column in ("Input", "Central", "Switching value", "Change"):
        switching.add_column(column, justify="left" if column == "Input" else "right")
    for row in document["switching_values"]:
        value = row["switching_value"]
        change = row["change_from_central"]
        switching.add_row(row["input"], f"{row['central']:,.4g}",
                          "none in range" if value is None else f"{value:,.4g}",
                          "" if change is None else f"{change:+.0%}")
    console.print(switching)
