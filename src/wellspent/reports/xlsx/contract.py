"""A social outcomes contract as an Excel model: inputs, per-period formulas for expected achievements, outcome
payments, the per-period and whole-contract caps (MIN of running totals) and payments by payer; values for what
a formula cannot express exactly (:mod:`wellspent.contracts.engine`, DESIGN §5).

Formulas, per period p (columns from H):

- achievements of an unconditional outcome ``referrals[p − lag] × MIN(achievement × performance, limit)``; of a
  chained outcome ``achievements_parent[p − lag] × achievement``;
- gross payment ``price × achievements``, × the per-participant cap factor (an engine value, below);
- per-period cap ``MIN(total_p, cap_per_period)``; whole-contract cap: allowed running total
  ``MIN(Σ_{q≤p} paid_q, cap_contract)``, paid in p = allowed_p − allowed_{p−1};
- payer y is asked ``share_y × paid_p``, pays up to its own cap on a running total, and what capped payers cannot
  pay falls to the uncapped payers in proportion to their shares (unpaid if every payer is capped);
- provider costs ``fixed_p + per_referral × referrals_p + Σ_o cost_per_outcome_o × achievements_o,p``.

Values, on the sheet "Engine results (values)": the per-participant cap factor (the engine convolves each
participant's distribution of payable outcomes, :mod:`wellspent.contracts.participant_cap`), the investor
waterfall (a recursion with a revolving commitment, a reserve and accrued return), IRR, money multiple, peak
capital, break-even performance and the performance scenarios.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from wellspent.contracts.result import ContractResult
from wellspent.reports.xlsx.sheet import (
    COUNT,
    MONEY,
    RATIO,
    SHARE,
    YEAR_COLUMN,
    col,
    define_name,
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

INPUTS, PAYMENTS, SUMMARY, VALUES = "Contract inputs", "Payments", "Summary", "Engine results (values)"

SHEET_NOTES: tuple[tuple[str, str], ...] = (
    (SUMMARY, "Totals over the contract (formulas): outcome payments, by payer, fees, provider costs, leverage"),
    (INPUTS, "Rate card, referral profile, caps, payers and shares, fees, provider costs, investor terms"),
    (PAYMENTS, "Per period: expected achievements, payments before and after the caps, payments by payer, "
               "provider costs (formulas)"),
    (VALUES, "Engine values a formula cannot express exactly: the per-participant cap factor, the investor "
             "waterfall, IRR, money multiple, peak capital, break-even performance, scenarios"),
)


def _cap_value(value: float) -> float | str:
    return "none" if math.isinf(value) else value


def _inputs_sheet(wb: Workbook, result: ContractResult) -> dict[str, Any]:
    model = result.model
    spec, inputs = model.spec, model.inputs
    ws = wb.create_sheet(INPUTS)
    title(ws, f"Contract inputs — {spec.name}", "Cash £ as the contract states them. Caps: a number, or 'none'.")
    legend(ws, 3)
    at: dict[str, Any] = {}
    row = 5
    put(ws, row, 1, "Settings and caps", bold=True)
    settings: list[tuple[str, str, object, str, bool]] = [
        ("Performance (multiple of expected achievement)", "performance", float(inputs.performance[0]), RATIO,
         True),
        ("Cap per participant £", "cap_per_participant", _cap_value(float(inputs.cap_per_participant[0])), MONEY,
         False),
        ("Cap per period £", "cap_per_period", _cap_value(float(inputs.cap_per_period[0])), MONEY, True),
        ("Cap on the whole contract £", "cap_contract", _cap_value(float(inputs.cap_contract[0])), MONEY, True),
        ("Cost per referral £", "cost_per_referral", float(inputs.cost_per_referral[0]), MONEY, True),
    ]
    for label, name, value, fmt, live in settings:
        row += 1
        put(ws, row, 1, label)
        cell = put(ws, row, 2, value, fmt)
        if live:
            mark_input(cell)
        else:
            mark_values(cell)
        put(ws, row, 3, name)
        define_name(wb, name, INPUTS, f"$B${row}")
    put(ws, row - 3, 4, "used through the engine's cap factor (values sheet): changing it here changes nothing")

    row += 2
    at["period_row"], at["end_row"], at["referral_row"], at["fixed_row"] = row, row + 1, row + 2, row + 3
    put(ws, row, 1, "Period p", bold=True)
    put(ws, row + 1, 1, "Period ends", bold=True)
    put(ws, row + 2, 1, "Referrals (new participants)")
    put(ws, row + 3, 1, "Provider fixed costs £")
    for p in range(inputs.periods):
        c = YEAR_COLUMN + p
        put(ws, row, c, p, bold=True)
        put(ws, row + 1, c, model.period_ends[p].isoformat())
        mark_input(put(ws, row + 2, c, float(inputs.referrals[0, p]), COUNT))
        mark_input(put(ws, row + 3, c, float(inputs.fixed_costs[0, p]), MONEY))
    last_col = col(YEAR_COLUMN + inputs.periods - 1)
    define_name(wb, "referrals_by_period", INPUTS, f"${col(YEAR_COLUMN)}${row + 2}:${last_col}${row + 2}")

    row += 5
    put(ws, row, 1, "Rate card (in calculation order: a chained outcome follows the one it is conditional on)",
        bold=True)
    header_row(ws, row + 1, ["Outcome", "Price £", "Expected achievement", "Lag (periods)",
                             "Limit per participant", "Follows (outcome)", "Provider cost per achievement £"])
    first = row + 2
    for o, outcome_id in enumerate(model.outcome_ids):
        r = first + o
        parent = int(inputs.parent[o])
        put(ws, r, 1, outcome_id)
        mark_input(put(ws, r, 2, float(inputs.price[o]), MONEY))
        mark_input(put(ws, r, 3, float(inputs.achievement[0, o]), "0.0000"))
        mark_input(put(ws, r, 4, int(inputs.lag[o])))
        mark_input(put(ws, r, 5, int(inputs.limit[o])))
        put(ws, r, 6, model.outcome_ids[parent] if parent >= 0 else "")
        mark_input(put(ws, r, 7, float(inputs.cost_per_outcome[0, o]), MONEY))
    last = first + len(model.outcome_ids) - 1
    for name, letter in (("price", "B"), ("achievement", "C"), ("outcome_lag", "D"), ("outcome_limit", "E"),
                         ("cost_per_outcome", "G")):
        define_name(wb, name, INPUTS, f"${letter}${first}:${letter}${last}")

    row = last + 2
    put(ws, row, 1, "Payers", bold=True)
    header_row(ws, row + 1, ["Payer", "Share", "Cap £ (or none)", "Outcomes fund?", "Agency"])
    at["payer_rows"] = []
    for y, payer in enumerate(spec.payers):
        r = row + 2 + y
        at["payer_rows"].append(r)
        put(ws, r, 1, payer.name)
        mark_input(put(ws, r, 2, float(inputs.payer_share[0, y]), SHARE))
        mark_input(put(ws, r, 3, _cap_value(float(inputs.payer_cap[y])), MONEY))
        put(ws, r, 4, "yes" if payer.outcomes_fund else "no")
        put(ws, r, 5, payer.agency)
    row = row + 2 + len(spec.payers) + 1
    put(ws, row, 1, "Fees for service by payer £", bold=True)
    at["fee_rows"] = []
    for y, name in enumerate(model.payer_names):
        r = row + 1 + y
        at["fee_rows"].append(r)
        put(ws, r, 1, name)
        for p in range(inputs.periods):
            mark_input(put(ws, r, YEAR_COLUMN + p, float(inputs.fees[0, y, p]), MONEY))
    row = row + 2 + len(model.payer_names)
    put(ws, row, 1, "Investor terms (used by the engine's waterfall; values sheet)", bold=True)
    investor = spec.investor
    terms = [("Commitment £", inputs.commitment[0], MONEY), ("Return rate a year", inputs.return_rate[0], SHARE),
             ("Investors' share of surplus", inputs.surplus_share[0], SHARE),
             ("Reserve (periods of costs held back)", inputs.reserve_periods, "0")]
    for offset, (label, value, fmt) in enumerate(terms, start=1):
        put(ws, row + offset, 1, label)
        mark_values(put(ws, row + offset, 2, float(value), fmt))
    put(ws, row + len(terms) + 1, 1, investor.name if investor else "no investor")
    widths(ws, {1: 52, 2: 16, 3: 18, 4: 16, 5: 16, 6: 20, 7: 16}, years=inputs.periods)
    ws.freeze_panes = "B5"
    return at


def _payments_sheet(wb: Workbook, result: ContractResult, at: dict[str, Any]) -> dict[str, Any]:
    model = result.model
    inputs = model.inputs
    periods, outcomes, payers = inputs.periods, len(model.outcome_ids), len(model.payer_names)
    ws = wb.create_sheet(PAYMENTS)
    title(ws, "Payments per period (cash £)", "Formulas; see the README and docs/reports-xlsx.md")
    put(ws, 4, 1, "Period p", bold=True)
    cols = [YEAR_COLUMN + p for p in range(periods)]
    span = f"${col(cols[0])}${{r}}:${col(cols[-1])}${{r}}"
    period_row = at["period_row"]
    for c in cols:
        put(ws, 4, c, f"={ref(INPUTS, f'{col(c)}${period_row}')}", bold=True)
    put(ws, 5, 4, "Total", bold=True)
    row = 6
    put(ws, row, 1, "Expected achievements", bold=True)
    achieved_rows: list[int] = []
    for o in range(outcomes):
        r = row + 1 + o
        achieved_rows.append(r)
        n = o + 1
        parent = int(inputs.parent[o])
        put(ws, r, 1, model.outcome_ids[o])
        for c in cols:
            shift = f"{col(c)}$4-INDEX(outcome_lag,{n})"
            if parent < 0:
                base = f"INDEX(referrals_by_period,1,MAX(1,{shift}+1))"
                rate = f"MIN(INDEX(achievement,{n})*performance,INDEX(outcome_limit,{n}))"
            else:
                parent_row = span.format(r=achieved_rows[parent])
                base = f"INDEX({parent_row},1,MAX(1,{shift}+1))"
                rate = f"INDEX(achievement,{n})"
            put(ws, r, c, f"=IF({shift}>=0,{base},0)*{rate}", COUNT)
        put(ws, r, 4, f"=SUM({span.format(r=r)})", COUNT)
    row += outcomes + 2
    put(ws, row, 1, "Gross payments (price × achievements) £", bold=True)
    gross_rows = []
    for o in range(outcomes):
        r = row + 1 + o
        gross_rows.append(r)
        put(ws, r, 1, model.outcome_ids[o])
        for c in cols:
            put(ws, r, c, f"=INDEX(price,{o + 1})*{col(c)}{achieved_rows[o]}", MONEY)
        put(ws, r, 4, f"=SUM({span.format(r=r)})", MONEY)
    row += outcomes + 1
    lines: dict[str, int] = {}

    def line(key: str, label: str, formula: str, fmt: str = MONEY) -> None:
        nonlocal row
        row += 1
        lines[key] = row
        put(ws, row, 1, label, bold=key in ("paid", "received"))
        for c in cols:
            letter, previous = col(c), col(c - 1)
            first_col = c == cols[0]
            put(ws, row, c, formula.format(c=letter, p=previous, first=first_col, r=row,
                                           c0=col(cols[0])), fmt)
        put(ws, row, 4, f"=SUM({span.format(r=row)})", fmt)

    first_g, last_g = gross_rows[0], gross_rows[-1]
    line("gross", "Gross payments, all outcomes", f"=SUM({{c}}{first_g}:{{c}}{last_g})")
    line("after_participant", "After the per-participant cap (× engine cap factor)",
         f"={{c}}{lines['gross']}*participant_cap_factor")
    line("after_period", "After the per-period cap",
         f"=IF(ISNUMBER(cap_per_period),MIN({{c}}{lines['after_participant']},cap_per_period),"
         f"{{c}}{lines['after_participant']})")
    line("allowed", "Running total allowed by the contract cap",
         f"=IF(ISNUMBER(cap_contract),MIN(SUM(${{c0}}{lines['after_period']}:{{c}}{lines['after_period']}),"
         f"cap_contract),SUM(${{c0}}{lines['after_period']}:{{c}}{lines['after_period']}))")
    allowed = lines["allowed"]
    row += 1
    lines["paid"] = row
    put(ws, row, 1, "Outcome payments due (after every cap)", bold=True)
    for c in cols:
        before = f"-{col(c - 1)}{allowed}" if c != cols[0] else ""
        put(ws, row, c, f"={col(c)}{allowed}{before}", MONEY)
    put(ws, row, 4, f"=SUM({span.format(r=row)})", MONEY)

    row += 2
    put(ws, row, 1, "Payers", bold=True)
    paid = lines["paid"]
    asked_rows, cum_rows, capped_rows = [], [], []
    for y in range(payers):
        pr = at["payer_rows"][y]
        share, cap = ref(INPUTS, f"$B${pr}"), ref(INPUTS, f"$C${pr}")
        name = model.payer_names[y]
        line(f"asked{y}", f"{name}: asked (share × due)", f"={share}*{{c}}{paid}")
        asked = lines[f"asked{y}"]
        line(f"cum{y}", f"{name}: running total paid within its cap",
             f"=IF(ISNUMBER({cap}),MIN(SUM(${{c0}}{asked}:{{c}}{asked}),{cap}),SUM(${{c0}}{asked}:{{c}}{asked}))")
        cum = lines[f"cum{y}"]
        row += 1
        capped_rows.append(row)
        put(ws, row, 1, f"{name}: paid within its cap")
        for c in cols:
            before = f"-{col(c - 1)}{cum}" if c != cols[0] else ""
            put(ws, row, c, f"={col(c)}{cum}{before}", MONEY)
        put(ws, row, 4, f"=SUM({span.format(r=row)})", MONEY)
        asked_rows.append(asked)
        cum_rows.append(cum)
    row += 1
    lines["excess"] = row
    put(ws, row, 1, "Asked of capped payers beyond their caps")
    for c in cols:
        letter = col(c)
        asked_sum = "+".join(f"{letter}{r}" for r in asked_rows)
        paid_sum = "+".join(f"{letter}{r}" for r in capped_rows)
        put(ws, row, c, f"=({asked_sum})-({paid_sum})", MONEY)
    put(ws, row, 4, f"=SUM({span.format(r=row)})", MONEY)
    uncapped = "+".join(f"IF(ISNUMBER({ref(INPUTS, f'$C${pr}')}),0,{ref(INPUTS, f'$B${pr}')})"
                        for pr in at["payer_rows"])
    payer_rows = []
    for y in range(payers):
        pr = at["payer_rows"][y]
        weight = (f"IF(({uncapped})>0,IF(ISNUMBER({ref(INPUTS, f'$C${pr}')}),0,{ref(INPUTS, f'$B${pr}')})"
                  f"/({uncapped}),0)")
        line(f"payer{y}", f"{model.payer_names[y]}: outcome payments",
             f"={{c}}{capped_rows[y]}+{weight}*{{c}}{lines['excess']}")
        payer_rows.append(lines[f"payer{y}"])
    received = "+".join(f"{{c}}{r}" for r in payer_rows)
    line("received", "Outcome payments received, all payers", f"={received}")
    for y in range(payers):
        line(f"fees{y}", f"{model.payer_names[y]}: fees for service",
             f"={ref(INPUTS, '{c}' + str(at['fee_rows'][y]))}")
    row += 1
    put(ws, row, 1, "Provider costs", bold=True)
    achieved_first, achieved_last = achieved_rows[0], achieved_rows[-1]
    line("costs", "Provider costs (fixed + per referral + per achievement)",
         f"={ref(INPUTS, '{c}' + str(at['fixed_row']))}+cost_per_referral*"
         f"{ref(INPUTS, '{c}' + str(at['referral_row']))}+SUMPRODUCT(cost_per_outcome,"
         f"{{c}}{achieved_first}:{{c}}{achieved_last})")
    widths(ws, {1: 60, 2: 4, 3: 4, 4: 16}, years=periods)
    ws.freeze_panes = f"{col(YEAR_COLUMN)}5"
    return {"lines": lines, "payer_rows": payer_rows}


def _values_sheet(wb: Workbook, result: ContractResult) -> None:
    doc = result.to_dict(scenarios=True)
    a, d = result.arrays, result.draw
    ws = wb.create_sheet(VALUES)
    title(ws, "Engine results (values, not formulas)",
          "The per-participant cap is computed by convolving each participant's distribution of payable outcomes, "
          "and the investor waterfall is a recursion over periods with a revolving commitment: neither is a "
          "closed-form formula, so they are the engine's values. They do not move when you change an input.")
    row = 4
    put(ws, row, 1, "Per-participant cap factor (× gross payments)")
    mark_values(put(ws, row, 2, float(a.participant_cap_factor[d]), "0.000000"))
    define_name(wb, "participant_cap_factor", VALUES, f"$B${row}")
    headline: list[tuple[str, Any, str]] = [
        ("Outcome payments total £", doc["outcome_payments_total"], MONEY),
        ("Investor IRR", doc["investor_irr"], SHARE),
        ("Money multiple", doc["money_multiple"], RATIO),
        ("Peak capital £", doc["peak_capital"], MONEY),
        ("Break-even performance", doc["breakeven_performance"], RATIO),
        ("Leverage (payments ÷ outcomes fund)", doc["leverage"], RATIO),
        ("Investor drawn £", doc["investor"]["drawn"], MONEY),
        ("Investor distributions £", doc["investor"]["distributions"], MONEY),
        ("Provider net £", doc["provider"]["net"], MONEY),
    ]
    for label, value, fmt in headline:
        row += 1
        put(ws, row, 1, label)
        mark_values(put(ws, row, 2, "n/a" if value is None else value, fmt))
    row += 2
    put(ws, row, 1, "Investor waterfall by period £", bold=True)
    flows = [("Investor drawdown", a.drawdowns), ("Principal repaid", a.principal_repaid),
             ("Return paid", a.return_paid), ("Investor surplus", a.investor_surplus),
             ("Provider surplus", a.provider_surplus), ("Provider loss", a.provider_loss),
             ("Capital outstanding", a.outstanding), ("Investor cash flow", a.investor_flows)]
    put(ws, row + 1, 1, "Period p", bold=True)
    for p in range(result.model.inputs.periods):
        put(ws, row + 1, YEAR_COLUMN + p, p, bold=True)
    for offset, (label, values) in enumerate(flows, start=2):
        put(ws, row + offset, 1, label)
        for p in range(result.model.inputs.periods):
            mark_values(put(ws, row + offset, YEAR_COLUMN + p, float(values[d, p]), MONEY))
    row += len(flows) + 3
    put(ws, row, 1, "Scenarios (performance multiple of expected achievement)", bold=True)
    keys = ["performance", "outcome_payments_total", "investor_irr", "money_multiple", "peak_capital",
            "provider_net"]
    header_row(ws, row + 1, keys)
    for i, scenario in enumerate(doc.get("scenarios", [])):
        for j, key in enumerate(keys):
            value = scenario[key]
            fmt = MONEY if key in ("outcome_payments_total", "peak_capital", "provider_net") else RATIO
            mark_values(put(ws, row + 2 + i, 1 + j, "n/a" if value is None else value, fmt))
    widths(ws, {1: 48, 2: 18, 3: 16, 4: 16, 5: 16, 6: 16}, years=result.model.inputs.periods)


def _summary_sheet(wb: Workbook, result: ContractResult, found: dict[str, Any]) -> dict[str, str]:
    model = result.model
    lines = found["lines"]
    ws = wb.create_sheet(SUMMARY, 1)
    title(ws, f"Summary — {model.spec.name}", "Totals over the contract, cash £ (formulas)")
    cells: dict[str, str] = {}
    header_row(ws, 4, ["Figure", "Value"])
    rows: list[tuple[str, str, str]] = [
        ("gross", "Outcome payments before caps", "=" + ref(PAYMENTS, f"$D${lines['gross']}")),
        ("after_participant", "After the per-participant cap",
         "=" + ref(PAYMENTS, f"$D${lines['after_participant']}")),
        ("outcome_payments_total", "Outcome payments total (after every cap)",
         "=" + ref(PAYMENTS, f"$D${lines['received']}")),
        ("fees_total", "Fees for service",
         "=" + "+".join(ref(PAYMENTS, f"$D${lines[f'fees{y}']}") for y in range(len(model.payer_names)))),
        ("provider_costs_total", "Provider costs", "=" + ref(PAYMENTS, f"$D${lines['costs']}")),
    ]
    r = 4
    for key, label, formula in rows:
        r += 1
        put(ws, r, 1, label, bold=key == "outcome_payments_total")
        put(ws, r, 2, formula, MONEY)
        cells[key] = f"B{r}"
    r += 2
    header_row(ws, r, ["Payer", "Outcome payments", "Fees"])
    fund_cells = []
    for y, payer in enumerate(model.spec.payers):
        r += 1
        put(ws, r, 1, payer.name)
        put(ws, r, 2, "=" + ref(PAYMENTS, f"$D${found['payer_rows'][y]}"), MONEY)
        put(ws, r, 3, "=" + ref(PAYMENTS, f"$D${lines[f'fees{y}']}"), MONEY)
        cells[f"payer:{payer.name}"] = f"B{r}"
        if payer.outcomes_fund:
            fund_cells.append(f"B{r}")
    r += 2
    put(ws, r, 1, "Leverage (outcome payments ÷ outcomes-fund payments)")
    if fund_cells:
        fund = "+".join(fund_cells)
        put(ws, r, 2, f'=IF(({fund})>0,{cells["outcome_payments_total"]}/({fund}),"n/a")', RATIO)
    else:
        put(ws, r, 2, "n/a (no outcomes fund)")
    cells["leverage"] = f"B{r}"
    r += 2
    put(ws, r, 1, "Investor returns, IRR and the per-participant cap factor are engine values: see the sheet "
                  f"'{VALUES}'.")
    widths(ws, {1: 60, 2: 18, 3: 16})
    return cells


def contract_cells(result: ContractResult) -> dict[str, str]:
    """Where each total sits on the contract workbook's ``Summary`` sheet, for checking."""
    wb = Workbook()
    at = _inputs_sheet(wb, result)
    found = _payments_sheet(wb, result, at)
    return _summary_sheet(wb, result, found)


def contract_workbook(result: ContractResult, path: str | Path) -> Path:
    """Write a contract as an Excel model (see the module docstring) to ``path`` (.xlsx)."""
    wb = Workbook()
    readme(wb, f"wellspent contract workbook — {result.model.spec.name}", "cash (as the contract states)",
           SHEET_NOTES, notes=["The per-participant cap factor and the investor waterfall are engine values; "
                               "changing an input does not move them (see the values sheet)."])
    at = _inputs_sheet(wb, result)
    found = _payments_sheet(wb, result, at)
    _values_sheet(wb, result)
    _summary_sheet(wb, result, found)
    return save(wb, path)
