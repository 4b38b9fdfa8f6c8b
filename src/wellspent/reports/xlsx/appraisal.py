"""The appraisal as a live Excel model: an ``Inputs`` sheet of named inputs and calculation sheets of formulas
that reproduce the engine (DESIGN §3 "Calculation"; :mod:`wellspent.appraisal.engine`) cell by cell.

Sheets, in calculation order:

- ``Inputs``: every number the engine uses, one named cell or range each (``engagement_rate``, ``success_rate``…),
  including the Green Book discount rates by year; discount factors are formulas
  ``DF_0 = 1/(1 + r_0)`` with ``r_0 = 0`` and ``DF_t = DF_{t−1} / (1 + r_t)`` (DESIGN §2, Green Book 2018 Annex A6).
- ``People``: engaged people ``E_c = referrals_c × engagement_rate`` per cohort and by year.
- ``Costs``: each line by year, ``amount × (schedule_t + per_participant × E_t) × (1 + optimism_bias_costs)``.
- ``Benefits``: one block per outcome, one row per cohort: ``S_c × value per success × P(t − c − lag)`` with
  ``S_c = E_c × success_rate``, value per success ``quantity × source amount × deflator factor × (1 − OB
  correction)`` and ``P(k) = (1 − drop_off)^k`` for ``0 ≤ k < duration`` (else 0); net benefit = gross ×
  ``(1 − deadweight) × attribution × (1 − displacement)``.
- ``Totals``: benefits by kind, transfers (ADR 0007), by agency (fiscal, cashable), discounted flows, cumulative
  discounted fiscal benefit against cost and the payback year (first t with cumulative discounted fiscal ≥
  cumulative discounted cost, once a cost is incurred; GMCA CBA model "pay-back period").
- ``Summary``: PV costs, PV benefits by kind, transfers, public value ``fiscal + economic + social − transfers``,
  NPSV = PVB − PVC and BCR = PVB / PVC (Green Book 2018 §5.54–5.56), fiscal BCR, payback year, by agency.
- ``Engine check``: the engine's own figures as values and the difference from the workbook's formulas.

Only functions the ``formulas`` recalculation engine supports are used: SUM, SUMIF, SUMIFS, SUMPRODUCT, INDEX,
MATCH, IF, AND, ISNUMBER, POWER.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from wellspent.appraisal.engine import PAYBACK_TOLERANCE
from wellspent.appraisal.inputs import AppraisalModel
from wellspent.appraisal.result import AppraisalResult
from wellspent.reports.xlsx.appraisal_inputs import inputs_sheet
from wellspent.reports.xlsx.appraisal_layout import (
    BENEFITS,
    CHECK,
    COSTS,
    INPUTS,
    PEOPLE,
    SUMMARY,
    TOTALS,
    Layout,
    year_headers,
)
from wellspent.reports.xlsx.sheet import (
    COUNT,
    FACTOR,
    MONEY,
    RATIO,
    SHARE,
    YEAR_COLUMN,
    col,
    define_name,
    header_row,
    mark_values,
    put,
    readme,
    ref,
    save,
    title,
    widths,
)

SHEET_NOTES: tuple[tuple[str, str], ...] = (
    (INPUTS, "Every input the appraisal uses, each a named cell or range (Formulas ▸ Name Manager); discount "
             "factors are formulas from the rate schedule"),
    (PEOPLE, "Engaged people per cohort (referrals × engagement_rate) and by appraisal year"),
    (COSTS, "Each cost line by year with the optimism-bias uplift; totals by agency; PV of each"),
    (BENEFITS, "One block per outcome: successes per cohort × value per success × persistence profile, "
               "then deadweight, attribution and displacement"),
    (TOTALS, "Benefits by kind, transfers, by agency; discounted flows, cumulative fiscal vs cost, payback year"),
    (SUMMARY, "Headline figures, all formulas: PV costs and benefits, NPSV, BCR, fiscal BCR, payback, by agency"),
    (CHECK, "The wellspent engine's figures (values) beside the workbook's, and the difference"),
)


def _people_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    ws = wb.create_sheet(PEOPLE)
    title(ws, "People", "Engaged people E_c = referrals_c × engagement_rate (DESIGN §3)")
    header_row(ws, 4, ["Cohort", "Year t", "Referrals", "Engaged people"])
    cohorts = len(result.model.spec.cohorts)
    for i in range(cohorts):
        r = 5 + i
        put(ws, r, 1, f"Cohort {i + 1}")
        put(ws, r, 2, f"=INDEX(cohort_year,{i + 1})")
        put(ws, r, 3, f"=INDEX(referrals,{i + 1})", COUNT)
        put(ws, r, 4, f"=C{r}*engagement_rate", COUNT)
    last = 4 + cohorts
    define_name(wb, "engaged", PEOPLE, f"$D$5:$D${last}")
    header = last + 2
    year_headers(ws, layout, header)
    layout.engaged_by_year_row = header + 2
    r = layout.engaged_by_year_row
    put(ws, r, 1, "Engaged people by year (Σ cohorts starting in year t)")
    for c in layout.years():
        put(ws, r, c, f"=SUMIF(cohort_year,{col(c)}${header},engaged)", COUNT)
    widths(ws, {1: 48, 2: 10, 3: 12, 4: 16}, years=layout.horizon)
    ws.freeze_panes = f"{col(YEAR_COLUMN)}5"


def _costs_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    model = result.model
    ws = wb.create_sheet(COSTS)
    title(ws, "Costs (£, undiscounted, price-year prices)",
          "amount × (falls in year t + per participant × engaged people in t) × (1 + optimism_bias_costs)")
    year_headers(ws, layout, 4)
    header_row(ws, 6, ["Cost line", "Agency", "", "PV £"])
    first = 7
    engaged = ref(PEOPLE, "{c}$" + str(layout.engaged_by_year_row))
    for k in range(len(model.cost_names)):
        r = first + k
        layout.cost_rows.append(r)
        put(ws, r, 1, model.cost_names[k])
        put(ws, r, 2, f"=INDEX(cost_agency,{k + 1})")
        for c in layout.years():
            letter = col(c)
            schedule = ref(INPUTS, f"{letter}${layout.schedule_rows[k]}")
            put(ws, r, c, f"=INDEX(cost_amount,{k + 1})*({schedule}+INDEX(cost_per_participant,{k + 1})*"
                          f"{engaged.format(c=letter)})*(1+optimism_bias_costs)", MONEY)
        put(ws, r, 4, f"=SUMPRODUCT({layout.span(r)},discount_factor)", MONEY)
    last = first + len(model.cost_names) - 1
    layout.cost_total_row = last + 1
    r = layout.cost_total_row
    put(ws, r, 1, "Total costs", bold=True)
    for c in layout.years():
        put(ws, r, c, f"=SUM({col(c)}{first}:{col(c)}{last})", MONEY)
    put(ws, r, 4, f"=SUMPRODUCT({layout.span(r)},discount_factor)", MONEY)
    r += 2
    put(ws, r, 1, "Costs by agency", bold=True)
    for agency in model.agencies:
        r += 1
        layout.cost_agency_rows[agency] = r
        put(ws, r, 1, agency)
        for c in layout.years():
            letter = col(c)
            put(ws, r, c, f"=SUMIF($B${first}:$B${last},$A{r},{letter}${first}:{letter}${last})", MONEY)
        put(ws, r, 4, f"=SUMPRODUCT({layout.span(r)},discount_factor)", MONEY)
    widths(ws, {1: 48, 2: 24, 3: 4, 4: 14}, years=layout.horizon)
    ws.freeze_panes = f"{col(YEAR_COLUMN)}7"


def _benefits_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    model = result.model
    ws = wb.create_sheet(BENEFITS)
    title(ws, "Benefits by outcome (£, undiscounted, price-year prices)",
          "Per cohort: successes S_c = E_c × success_rate, × value per success × P(k), k = t − c − lag, "
          "P(k) = (1 − drop_off)^k for 0 ≤ k < duration (DESIGN §3)")
    year_headers(ws, layout, 4)
    cohorts = len(model.spec.cohorts)
    row = 7
    for o, name in enumerate(model.outcome_names):
        n = o + 1
        put(ws, row, 1, f"Outcome {n}: {name}", bold=True)
        put(ws, row, 2, f"=INDEX(outcome_kind,{n})", bold=True)
        params = [
            ("Unit value £ (source amount × deflator factor)",
             f"=INDEX(source_amount,{n})*INDEX(deflator_factor,{n})", MONEY),
            ("Value per success per year £ (quantity × unit value × (1 − OB correction))",
             f"=INDEX(quantity,{n})*D{row + 1}*(1-INDEX(ob_correction,{n}))", MONEY),
            ("Net share (1 − deadweight) × attribution × (1 − displacement)",
             f"=(1-INDEX(deadweight,{n}))*INDEX(attribution,{n})*(1-INDEX(displacement,{n}))", SHARE),
            ("Lag (years)", f"=INDEX(outcome_lag,{n})", None),
            ("Duration (years)", f"=INDEX(outcome_duration,{n})", None),
            ("Drop-off a year", f"=INDEX(drop_off,{n})", SHARE),
        ]
        for offset, (label, formula, fmt) in enumerate(params, start=1):
            put(ws, row + offset, 1, label)
            put(ws, row + offset, 4, formula, fmt)
        value, net_share, lag, duration, drop = (f"$D${row + i}" for i in (2, 3, 4, 5, 6))
        head = row + 7
        header_row(ws, head, ["Cohort (gross benefit £ by year →)", "Year t", "Successes"])
        for i in range(cohorts):
            r = head + 1 + i
            put(ws, r, 1, f"Cohort {i + 1}")
            put(ws, r, 2, f"=INDEX(cohort_year,{i + 1})")
            put(ws, r, 3, f"=INDEX(engaged,{i + 1})*INDEX(success_rate,{n})", COUNT)
            for c in layout.years():
                k = f"({col(c)}$4-$B{r}-{lag})"
                put(ws, r, c, f"=$C{r}*{value}*IF(AND({k}>=0,{k}<{duration}),"
                              f"IF({k}=0,1,POWER(1-{drop},{k})),0)", MONEY)
        first, last = head + 1, head + cohorts
        gross, net = last + 1, last + 2
        layout.outcome_gross_rows.append(gross)
        layout.outcome_net_rows.append(net)
        put(ws, gross, 1, "Gross benefit (before deadweight, attribution, displacement)", bold=True)
        put(ws, gross, 3, f"=SUM(C{first}:C{last})", COUNT)
        put(ws, net, 1, "Net benefit", bold=True)
        for c in layout.years():
            letter = col(c)
            put(ws, gross, c, f"=SUM({letter}{first}:{letter}{last})", MONEY)
            put(ws, net, c, f"={letter}{gross}*{net_share}", MONEY)
        put(ws, gross, 4, f"=SUMPRODUCT({layout.span(gross)},discount_factor)", MONEY)
        put(ws, net, 4, f"=SUMPRODUCT({layout.span(net)},discount_factor)", MONEY)
        row = net + 2
    put(ws, 6, 3, "Successes", bold=True)
    put(ws, 6, 4, "Value / PV £", bold=True)
    widths(ws, {1: 70, 2: 10, 3: 12, 4: 14}, years=layout.horizon)
    ws.freeze_panes = f"{col(YEAR_COLUMN)}7"


def _totals_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    model = result.model
    ws = wb.create_sheet(TOTALS)
    title(ws, "Totals by kind and agency; discounting and payback (£, price-year prices)",
          "Public value = fiscal + economic + social − transfers (ADR 0007); payback: first t with cumulative "
          "discounted fiscal benefit ≥ cumulative discounted cost (GMCA CBA model)")
    year_headers(ws, layout, 4)
    header_row(ws, 6, ["Outcome (net benefit £ by year →)", "Kind", "Agency", "Cashable", "Transfer share",
                       "Fiscal (1/0)", "PV £"])
    first = 7
    for o, name in enumerate(model.outcome_names):
        r, n = first + o, o + 1
        put(ws, r, 1, name)
        put(ws, r, 2, f"=INDEX(outcome_kind,{n})")
        put(ws, r, 3, f"=INDEX(outcome_agency,{n})")
        put(ws, r, 4, f"=INDEX(cashable,{n})")
        put(ws, r, 5, f"=INDEX(transfer_share,{n})", SHARE)
        put(ws, r, 6, f'=IF(B{r}="fiscal",1,0)')
        put(ws, r, 7, f"=SUMPRODUCT({layout.span(r)},discount_factor)", MONEY)
        for c in layout.years():
            put(ws, r, c, f"={ref(BENEFITS, f'{col(c)}{layout.outcome_net_rows[o]}')}", MONEY)
    last = first + len(model.outcome_names) - 1
    kinds_col = f"$B${first}:$B${last}"

    def block(r: int, label: str, formula: str, key: str, bold: bool = False) -> int:
        """One by-year row; ``formula`` has ``{c}`` for the year column letter and ``{p}`` for the previous."""
        layout.totals[key] = r
        put(ws, r, 1, label, bold=bold)
        for c in layout.years():
            previous = col(c - 1) if c > YEAR_COLUMN else ""
            put(ws, r, c, formula.format(c=col(c), p=previous, r=r), FACTOR if key == "df" else MONEY)
        if key not in ("df", "cum_costs", "cum_fiscal", "paid_back"):
            put(ws, r, 7, f"=SUMPRODUCT({layout.span(r)},discount_factor)", MONEY)
        return r + 1

    def rows_of(c: str) -> str:
        return f"{c}${first}:{c}${last}"

    r = last + 2
    put(ws, r, 1, "Benefits by kind (net)", bold=True)
    r += 1
    for kind in ("fiscal", "economic", "social"):
        r = block(r, f"Benefits: {kind}", f'=SUMIF({kinds_col},"{kind}",{{c}}${first}:{{c}}${last})', kind)
    r = block(r, "Transfers (part of fiscal, not public value)",
              f"=SUMPRODUCT($E${first}:$E${last},$F${first}:$F${last},{{c}}${first}:{{c}}${last})", "transfers")
    fiscal, economic, social, transfers = (layout.totals[k] for k in ("fiscal", "economic", "social", "transfers"))
    r = block(r, "Public value benefits (fiscal + economic + social − transfers)",
              f"={{c}}{fiscal}+{{c}}{economic}+{{c}}{social}-{{c}}{transfers}", "public", bold=True)
    r = block(r, "Costs", f"={ref(COSTS, '{c}' + str(layout.cost_total_row))}", "costs", bold=True)

    r += 1
    put(ws, r, 1, "By agency", bold=True)
    agencies = [row["agency"] for row in result.by_agency()]
    for agency in agencies:
        r += 1
        put(ws, r, 1, agency, bold=True)
        rows: dict[str, int] = {}
        rows["cost"] = r + 1
        r = block(r + 1, "  cost", f"={ref(COSTS, '{c}' + str(layout.cost_agency_rows[agency]))}",
                  f"{agency}:cost")
        rows["fiscal"] = r
        r = block(r, "  fiscal benefit",
                  f'=SUMIFS({rows_of("{c}")},$C${first}:$C${last},"{agency}",{kinds_col},"fiscal")',
                  f"{agency}:fiscal")
        rows["cashable"] = r
        r = block(r, "  of which cashable",
                  f'=SUMIFS({rows_of("{c}")},$C${first}:$C${last},"{agency}",{kinds_col},"fiscal",'
                  f'$D${first}:$D${last},"yes")', f"{agency}:cashable")
        layout.agency_rows[agency] = rows

    r += 1
    put(ws, r, 1, "Discounting and payback", bold=True)
    r += 1
    costs = layout.totals["costs"]
    r = block(r, "Discount factor DF_t", f"={ref(INPUTS, '{c}$' + str(layout.df_row))}", "df")
    df = layout.totals["df"]
    r = block(r, "Discounted costs", f"={{c}}{costs}*{{c}}{df}", "d_costs")
    r = block(r, "Discounted fiscal benefits", f"={{c}}{fiscal}*{{c}}{df}", "d_fiscal")
    r = block(r, "Discounted public value benefits", f"={{c}}{layout.totals['public']}*{{c}}{df}", "d_public")
    d_costs, d_fiscal = layout.totals["d_costs"], layout.totals["d_fiscal"]
    cum_costs, cum_fiscal = r, r + 1
    layout.totals["cum_costs"] = cum_costs
    layout.totals["cum_fiscal"] = cum_fiscal
    put(ws, cum_costs, 1, "Cumulative discounted costs")
    put(ws, cum_fiscal, 1, "Cumulative discounted fiscal benefits")
    for c in layout.years():
        letter = col(c)
        before = f"{col(c - 1)}{{row}}+" if c > YEAR_COLUMN else ""
        put(ws, cum_costs, c, f"={before.format(row=cum_costs)}{letter}{d_costs}", MONEY)
        put(ws, cum_fiscal, c, f"={before.format(row=cum_fiscal)}{letter}{d_fiscal}", MONEY)
    r = cum_fiscal + 1
    tolerance = f"{PAYBACK_TOLERANCE:.0E}".replace("E-0", "E-")
    r = block(r, f"Paid back? (cumulative cost > 0 and cumulative fiscal ≥ cost × (1 − {tolerance}))",
              f"=IF(AND({{c}}{cum_costs}>0,{{c}}{cum_fiscal}>={{c}}{cum_costs}*(1-{tolerance})),1,0)",
              "paid_back")
    paid = layout.span(layout.totals["paid_back"])
    put(ws, r, 1, "Payback year t (first year paid back)", bold=True)
    put(ws, r, 2, f'=IF(SUM({paid})=0,"none",MATCH(1,{paid},0)-1)', bold=True)
    layout.payback_cell = ref(TOTALS, f"$B${r}")
    widths(ws, {1: 62, 2: 12, 3: 24, 4: 10, 5: 10, 6: 9, 7: 14}, years=layout.horizon)
    ws.freeze_panes = f"{col(YEAR_COLUMN)}7"


def _summary_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    model = result.model
    ws = wb.create_sheet(SUMMARY, 1)
    title(ws, f"Summary — {model.spec.name}",
          f"Present values, real £ in {model.spec.price_year} prices, discounted to {model.spec.start_year} "
          "(Green Book 2018 §5.54–5.56). Every figure is a formula.")
    pv = {key: f"{ref(TOTALS, f'$G${layout.totals[key]}')}" for key in
          ("costs", "fiscal", "economic", "social", "transfers")}
    figures: list[tuple[str, str, str, str]] = [
        ("pv_costs", "PV costs", f"={pv['costs']}", MONEY),
        ("pv_fiscal", "PV benefits: fiscal", f"={pv['fiscal']}", MONEY),
        ("pv_economic", "PV benefits: economic", f"={pv['economic']}", MONEY),
        ("pv_social", "PV benefits: social", f"={pv['social']}", MONEY),
        ("pv_transfers", "of which transfers (in fiscal, not in public value)", f"={pv['transfers']}", MONEY),
        ("pv_total", "PV benefits: public value (fiscal + economic + social − transfers)",
         "=B6+B7+B8-B9", MONEY),
        ("npsv", "Net present social value (PVB − PVC)", "=B10-B5", MONEY),
        ("bcr", "Benefit-cost ratio (PVB / PVC)", '=IF(B5=0,"n/a",B10/B5)', RATIO),
        ("fiscal_bcr", "Fiscal BCR (PV fiscal / PVC)", '=IF(B5=0,"n/a",B6/B5)', RATIO),
        ("payback_year", "Payback year t", f"={layout.payback_cell}", "0"),
        ("payback_calendar_year", "Payback calendar year", '=IF(ISNUMBER(B14),start_year+B14,"none")', "0"),
    ]
    header_row(ws, 4, ["Figure", "Value"])
    for offset, (key, label, formula, fmt) in enumerate(figures):
        r = 5 + offset
        put(ws, r, 1, label, bold=key in ("npsv", "bcr"))
        put(ws, r, 2, formula, fmt, bold=key in ("npsv", "bcr"))
        layout.summary[key] = f"B{r}"
    r = 5 + len(figures) + 1
    put(ws, r, 1, "Who pays, who benefits (PV £)", bold=True)
    header_row(ws, r + 1, ["Agency", "PV cost", "PV fiscal benefit", "PV cashable", "Net (fiscal − cost)"])
    r += 1
    for agency, rows in layout.agency_rows.items():
        r += 1
        put(ws, r, 1, agency)
        for offset, measure in enumerate(("cost", "fiscal", "cashable")):
            put(ws, r, 2 + offset, f"={ref(TOTALS, f'$G${rows[measure]}')}", MONEY)
        put(ws, r, 5, f"=C{r}-B{r}", MONEY)
        for offset, measure in enumerate(("cost", "fiscal", "cashable", "net")):
            layout.summary[f"{agency}:{measure}"] = f"{col(2 + offset)}{r}"
    r += 2
    put(ws, r, 1, "Outcomes", bold=True)
    header_row(ws, r + 1, ["Outcome", "Successes (gross)", "PV net benefit", "PV before adjustments"])
    r += 1
    for o, name in enumerate(model.outcome_names):
        r += 1
        put(ws, r, 1, name)
        put(ws, r, 2, f"={ref(BENEFITS, f'$C${layout.outcome_gross_rows[o]}')}", COUNT)
        put(ws, r, 3, f"={ref(BENEFITS, f'$D${layout.outcome_net_rows[o]}')}", MONEY)
        put(ws, r, 4, f"={ref(BENEFITS, f'$D${layout.outcome_gross_rows[o]}')}", MONEY)
        layout.summary[f"outcome:{o}:successes"] = f"B{r}"
        layout.summary[f"outcome:{o}:pv_benefit"] = f"C{r}"
    widths(ws, {1: 66, 2: 18, 3: 18, 4: 20, 5: 20})
    ws.freeze_panes = "A5"


def summary_cells(result: AppraisalResult) -> dict[str, str]:
    """Where each engine figure sits on the ``Summary`` sheet (``"npsv"`` → ``"B11"``), for checking."""
    layout = Layout(horizon=result.model.inputs.horizon)
    wb = Workbook()
    add_appraisal_sheets(wb, result, layout)
    return layout.summary


def engine_figures(result: AppraisalResult) -> dict[str, float | int | str]:
    """The engine's figures keyed like :func:`summary_cells` ("none"/"n/a" where the engine gives null)."""
    pv = result.pv_benefits
    figures: dict[str, float | int | str] = {
        "pv_costs": result.pv_costs, "pv_fiscal": pv["fiscal"], "pv_economic": pv["economic"],
        "pv_social": pv["social"], "pv_transfers": pv["transfers"], "pv_total": pv["total"],
        "npsv": result.npsv,
        "bcr": "n/a" if result.bcr is None else result.bcr,
        "fiscal_bcr": "n/a" if result.fiscal_bcr is None else result.fiscal_bcr,
        "payback_year": "none" if result.payback_year is None else result.payback_year,
        "payback_calendar_year": "none" if result.payback_year is None
        else result.model.spec.start_year + result.payback_year,
    }
    for row in result.by_agency():
        for measure, key in (("cost", "pv_cost"), ("fiscal", "pv_fiscal_benefit"), ("cashable", "pv_cashable"),
                             ("net", "net")):
            figures[f"{row['agency']}:{measure}"] = row[key]
    for o, row in enumerate(result.outcomes()):
        figures[f"outcome:{o}:successes"] = row["successes"]
        figures[f"outcome:{o}:pv_benefit"] = row["pv_benefit"]
    return figures


def _check_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    ws = wb.create_sheet(CHECK)
    title(ws, "Engine check", "Grey: the wellspent engine's figures when this workbook was written (values). "
                              "The difference is a formula: 0 until you change an input.")
    header_row(ws, 4, ["Figure", "Workbook (formula)", "Engine (value)", "Difference"])
    r = 4
    for key, value in engine_figures(result).items():
        r += 1
        cell = layout.summary[key]
        fmt = RATIO if key.endswith("bcr") else (COUNT if key.endswith("successes") or "payback" in key else MONEY)
        put(ws, r, 1, key)
        put(ws, r, 2, f"={ref(SUMMARY, cell)}", fmt)
        mark_values(put(ws, r, 3, value, fmt))
        put(ws, r, 4, f'=IF(AND(ISNUMBER(B{r}),ISNUMBER(C{r})),B{r}-C{r},IF(B{r}=C{r},0,"differs"))', fmt)
    widths(ws, {1: 44, 2: 18, 3: 18, 4: 14})
    ws.freeze_panes = "A5"


def add_appraisal_sheets(wb: Workbook, result: AppraisalResult, layout: Layout | None = None) -> None:
    """Add the appraisal's Inputs, calculation, Summary and Engine check sheets to ``wb`` (draw ``result.draw``
    must be 0: the workbook shows the deterministic appraisal)."""
    model: AppraisalModel = result.model
    if model.inputs.draws != 1:
        raise ValueError("an appraisal workbook shows a deterministic (one-draw) appraisal")
    layout = layout or Layout(horizon=model.inputs.horizon)
    inputs_sheet(wb, result, layout)
    _people_sheet(wb, result, layout)
    _costs_sheet(wb, result, layout)
    _benefits_sheet(wb, result, layout)
    _totals_sheet(wb, result, layout)
    _summary_sheet(wb, result, layout)
    _check_sheet(wb, result, layout)


def appraisal_workbook(result: AppraisalResult, path: str | Path) -> Path:
    """Write the appraisal as a live Excel model (see the module docstring) to ``path`` (.xlsx)."""
    wb = Workbook()
    readme(wb, f"wellspent appraisal workbook — {result.model.spec.name}", str(result.model.spec.price_year),
           SHEET_NOTES, notes=list(result.model.warnings))
    add_appraisal_sheets(wb, result)
    return save(wb, path)
