"""A portfolio valuation as an Excel model (:mod:`wellspent.portfolio.valuation`, docs/portfolio.md).

Per outcome metric: ``value before deadweight = achieved × value per achievement`` by kind; public value
``fiscal − transfers + economic + social`` (transfers left out, ADR 0007); ``after = before × (1 − deadweight)``
with the contract's sector deadweight. Per contract and in total: sums of those (SUMIF on the project id), and
``BCR = public value ÷ actual outcome payments``. The values per achievement are inputs: each is the valuation's
own ``value before deadweight ÷ achieved`` (the library unit cost in the chosen price year × the mapping rule's
quantity). How payments were attributed to metrics (tagged, price- or count-weighted) is an input, not a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from wellspent.errors import InputError
from wellspent.reports.xlsx.sheet import (
    COUNT,
    MONEY,
    RATIO,
    SHARE,
    header_row,
    legend,
    mark_input,
    mark_values,
    put,
    readme,
    ref,
    save,
    title,
    widths,
)

CONTRACTS, METRICS, SUMMARY = "Contracts", "Metrics", "Summary"
KINDS = ("fiscal", "fiscal_transfers", "economic", "social")

SHEET_NOTES: tuple[tuple[str, str], ...] = (
    (SUMMARY, "Portfolio totals and BCRs before and after deadweight (formulas), and by group"),
    (CONTRACTS, "Per contract: deadweight and actual payments (inputs); public value and BCR (formulas)"),
    (METRICS, "Per outcome metric: achieved × value per achievement by kind (inputs), value before and after "
              "deadweight (formulas)"),
)


def _per_achievement(metric: dict[str, Any], kind: str) -> float:
    achieved = metric.get("achieved")
    if not metric.get("valued") or not achieved:
        return 0.0
    return float(metric["value_before_deadweight"][kind]) / float(achieved)


def _contracts(document: dict[str, Any]) -> list[dict[str, Any]]:
    contracts = document.get("contracts")
    if not isinstance(contracts, list):
        raise InputError.single(None, "contracts", "the portfolio document has no per-contract valuations "
                                                   "(run `wellspent portfolio value --contracts`)")
    return contracts


def portfolio_cells(document: dict[str, Any]) -> dict[str, str]:
    """Where each contract's and the total's figures sit (``"total:bcr_after"`` → ``"Summary!B9"``)."""
    wb = Workbook()
    return _build(wb, document)


def _build(wb: Workbook, document: dict[str, Any]) -> dict[str, str]:
    contracts = _contracts(document)
    cells: dict[str, str] = {}
    # Contracts sheet (built first: metrics refer to its deadweight cells).
    cs = wb.create_sheet(CONTRACTS)
    title(cs, "Contracts", "Deadweight and actual payments are inputs; value and BCR are formulas.")
    legend(cs, 3)
    header_row(cs, 5, ["Project", "Name", "Sector", "Deadweight", "Payments", "Payments covered",
                       "Public value before deadweight", "Public value after deadweight", "BCR before",
                       "BCR after", "Allocation of untagged payments"])
    contract_row: dict[str, int] = {}
    for i, contract in enumerate(contracts):
        r = 6 + i
        contract_row[str(contract["project_id"])] = r
        put(cs, r, 1, str(contract["project_id"]))
        put(cs, r, 2, contract["name"])
        put(cs, r, 3, contract["sector"])
        mark_input(put(cs, r, 4, float(contract["deadweight"]), SHARE))
        mark_input(put(cs, r, 5, float(contract["payments"]), MONEY))
        mark_input(put(cs, r, 6, float(contract["payments_covered"]), MONEY))
        put(cs, r, 11, contract["allocation"])
    last_contract = 5 + len(contracts)

    ms = wb.create_sheet(METRICS)
    title(ms, "Outcome metrics", "value = achieved × value per achievement; public = fiscal − transfers + "
                                 "economic + social; after = before × (1 − deadweight)")
    legend(ms, 3)
    header_row(ms, 5, ["Project", "Metric", "Rule", "Achieved", "Inferred?", "Fiscal £ per achievement",
                       "of which transfers £", "Economic £ per achievement", "Social £ per achievement",
                       "Payments attributed", "Value before: fiscal", "transfers", "economic", "social",
                       "Public value before deadweight", "Deadweight", "Public value after deadweight"])
    r = 5
    for contract in contracts:
        dw_cell = ref(CONTRACTS, f"$D${contract_row[str(contract['project_id'])]}")
        for metric in contract["metrics"]:
            r += 1
            put(ms, r, 1, str(contract["project_id"]))
            put(ms, r, 2, f"{metric['metric_id']}: {metric['definition']}")
            put(ms, r, 3, metric["rule"] or "(no rule)")
            achieved = metric.get("achieved")
            mark_input(put(ms, r, 4, 0.0 if achieved is None else float(achieved), COUNT),
                       unverified=bool(metric.get("inferred")))
            put(ms, r, 5, "inferred from payments ÷ price" if metric.get("inferred") else
                ("reported" if achieved is not None else "not reported"))
            for offset, kind in enumerate(KINDS):
                mark_input(put(ms, r, 6 + offset, _per_achievement(metric, kind), MONEY))
                put(ms, r, 11 + offset, f"=D{r}*{'FGHI'[offset]}{r}", MONEY)
            mark_input(put(ms, r, 10, float(metric["paid_attributed"]), MONEY))
            put(ms, r, 15, f"=K{r}-L{r}+M{r}+N{r}", MONEY)
            put(ms, r, 16, f"={dw_cell}", SHARE)
            put(ms, r, 17, f"=O{r}*(1-P{r})", MONEY)
    last_metric = max(r, 6)
    projects = f"{ref(METRICS, f'$A$6:$A${last_metric}')}"
    for project, row in contract_row.items():
        before = f"SUMIF({projects},A{row},{ref(METRICS, f'$O$6:$O${last_metric}')})"
        after = f"SUMIF({projects},A{row},{ref(METRICS, f'$Q$6:$Q${last_metric}')})"
        put(cs, row, 7, f"={before}", MONEY)
        put(cs, row, 8, f"={after}", MONEY)
        put(cs, row, 9, f'=IF(E{row}=0,"n/a",G{row}/E{row})', RATIO)
        put(cs, row, 10, f'=IF(E{row}=0,"n/a",H{row}/E{row})', RATIO)
        for key, letter in (("public_before", "G"), ("public_after", "H"), ("bcr_before", "I"),
                            ("bcr_after", "J")):
            cells[f"{project}:{key}"] = f"{CONTRACTS}!{letter}{row}"
    widths(cs, {1: 14, 2: 48, 3: 22, 4: 12, 5: 16, 6: 16, 7: 18, 8: 18, 9: 11, 10: 11, 11: 18})
    widths(ms, {1: 14, 2: 60, 3: 22, 4: 11, 5: 16, **{c: 15 for c in range(6, 18)}})
    cs.freeze_panes = "B6"
    ms.freeze_panes = "C6"

    ss = wb.create_sheet(SUMMARY, 1)
    title(ss, "Portfolio summary", f"Price year {document.get('price_year', 'as valued')}; cash payments. "
                                   "Formulas over the Contracts sheet.")
    header_row(ss, 4, ["Group", "Contracts", "Payments", "Public value before deadweight",
                       "Public value after deadweight", "BCR before", "BCR after"])
    span = f"$6:${last_contract}"
    col_of = {letter: ref(CONTRACTS, f"${letter}{span.replace(':', f':${letter}')}") for letter in "CEGH"}
    r = 5
    put(ss, r, 1, "Total", bold=True)
    put(ss, r, 2, f"=COUNTA({col_of['C']})")
    for column, letter in ((3, "E"), (4, "G"), (5, "H")):
        put(ss, r, column, f"=SUM({col_of[letter]})", MONEY)
    put(ss, r, 6, f'=IF(C{r}=0,"n/a",D{r}/C{r})', RATIO)
    put(ss, r, 7, f'=IF(C{r}=0,"n/a",E{r}/C{r})', RATIO)
    for key, letter in (("payments", "C"), ("public_before", "D"), ("public_after", "E"), ("bcr_before", "F"),
                        ("bcr_after", "G")):
        cells[f"total:{key}"] = f"{SUMMARY}!{letter}{r}"
    sectors = {str(c["sector"]) for c in contracts}
    groups = document.get("by_group") or {}
    if groups and set(groups) <= sectors:
        for label in groups:
            r += 1
            put(ss, r, 1, label)
            put(ss, r, 2, f'=COUNTIF({col_of["C"]},A{r})')
            for column, letter in ((3, "E"), (4, "G"), (5, "H")):
                put(ss, r, column, f"=SUMIF({col_of['C']},A{r},{col_of[letter]})", MONEY)
            put(ss, r, 6, f'=IF(C{r}=0,"n/a",D{r}/C{r})', RATIO)
            put(ss, r, 7, f'=IF(C{r}=0,"n/a",E{r}/C{r})', RATIO)
            cells[f"group:{label}:bcr_after"] = f"{SUMMARY}!G{r}"
    elif groups:
        for label, summary in groups.items():
            r += 1
            put(ss, r, 1, f"{label} (engine values)")
            mark_values(put(ss, r, 3, summary["payments"], MONEY))
            mark_values(put(ss, r, 4, summary["value_before_deadweight"]["public"], MONEY))
            mark_values(put(ss, r, 5, summary["value_after_deadweight"]["public"], MONEY))
    widths(ss, {1: 30, 2: 11, 3: 16, 4: 20, 5: 20, 6: 11, 7: 11})
    return cells


def portfolio_workbook(valuation: dict[str, Any], path: str | Path) -> Path:
    """Write a portfolio valuation document (``wellspent portfolio value --json --contracts``) as an Excel model
    to ``path`` (.xlsx): counts × values per achievement × (1 − deadweight), totals and BCRs as formulas."""
    wb = Workbook()
    readme(wb, "wellspent portfolio valuation workbook", str(valuation.get("price_year", "the valuation's")),
           SHEET_NOTES, notes=[str(n) for n in valuation.get("notes", []) if n])
    _build(wb, valuation)
    return save(wb, path)
