"""The appraisal workbook's ``Inputs`` sheet: every number the engine uses, one named, styled cell or range each
(DESIGN §3), with sources, notes and unverified values flagged; discount factors are formulas
``DF_0 = 1/(1 + r_0)``, ``r_0 = 0``, ``DF_t = DF_{t−1} / (1 + r_t)`` (DESIGN §2; Green Book 2018 Annex A6)."""

from __future__ import annotations

from openpyxl import Workbook

from wellspent.appraisal.optimism_bias import benefit_correction
from wellspent.appraisal.result import AppraisalResult
from wellspent.money.discounting import resolve_discounting
from wellspent.reports.xlsx.appraisal_layout import INPUTS, Layout
from wellspent.reports.xlsx.sheet import (
    COUNT,
    FACTOR,
    MONEY,
    SHARE,
    YEAR_COLUMN,
    col,
    define_name,
    header_row,
    legend,
    mark_input,
    put,
    title,
    widths,
)


def inputs_sheet(wb: Workbook, result: AppraisalResult, layout: Layout) -> None:
    model = result.model
    spec, inputs = model.spec, model.inputs
    ws = wb.create_sheet(INPUTS)
    title(ws, f"Inputs — {spec.name}", "Blue cells are inputs; each is a defined name used by the formulas.")
    legend(ws, 3)
    row = 5
    put(ws, row, 1, "Appraisal settings", bold=True)
    header_row(ws, row, ["Value", "Name", "Notes and sources"], 2)
    schedule = resolve_discounting(spec.discounting)
    settings: list[tuple[str, str, object, str | None, str, bool]] = [
        ("Price year", "price_year", spec.price_year, None, "all £ are real, in this year's prices", False),
        ("Start year (calendar year of t = 0)", "start_year", spec.start_year, None,
         "t = 0 is undiscounted (DESIGN §2)", True),
        ("Horizon (years)", "horizon", spec.horizon, None,
         "structure: fixed by the year columns of this workbook", False),
        ("Engagement rate", "engagement_rate", float(inputs.engagement_rate[0]), SHARE,
         "share of referrals who engage", True),
        ("Optimism bias on costs", "optimism_bias_costs", float(inputs.optimism_bias_costs[0]), SHARE,
         "uplift on every cost (HM Treasury supplementary guidance)", True),
    ]
    for label, name, value, fmt, note, is_input in settings:
        row += 1
        put(ws, row, 1, label)
        cell = put(ws, row, 2, value, fmt)
        if is_input:
            mark_input(cell)
        put(ws, row, 3, name)
        put(ws, row, 4, note)
        define_name(wb, name, INPUTS, f"$B${row}")
    row += 1
    put(ws, row, 1, "Discounting")
    put(ws, row, 2, model.discounting)
    put(ws, row, 4, schedule.source)
    row += 1
    put(ws, row, 1, "GDP deflator series")
    put(ws, row, 2, model.deflator_series)

    row += 2
    put(ws, row, 1, "Discount rates and factors", bold=True)
    put(ws, row, 4, "DF_0 = 1, DF_t = DF_{t−1} / (1 + r_t) (DESIGN §2; Green Book 2018 Annex A6)")
    layout.year_row, layout.calendar_row = row + 1, row + 2
    rate_row, layout.df_row = row + 3, row + 4
    put(ws, layout.year_row, 1, "Appraisal year t", bold=True)
    put(ws, layout.calendar_row, 1, "Calendar year", bold=True)
    put(ws, rate_row, 1, "Discount rate r_t")
    put(ws, rate_row, 3, "discount_rate")
    put(ws, layout.df_row, 1, "Discount factor DF_t")
    put(ws, layout.df_row, 3, "discount_factor")
    rates = schedule.rates(layout.horizon)
    for t, c in enumerate(layout.years()):
        letter = col(c)
        put(ws, layout.year_row, c, t, bold=True)
        put(ws, layout.calendar_row, c, f"=start_year+{letter}{layout.year_row}", bold=True)
        mark_input(put(ws, rate_row, c, float(rates[t]), "0.00%"))
        previous = "1" if t == 0 else f"{col(c - 1)}{layout.df_row}"
        put(ws, layout.df_row, c, f"={previous}/(1+{letter}{rate_row})", FACTOR)
    define_name(wb, "appraisal_year", INPUTS, layout.span(layout.year_row))
    define_name(wb, "discount_rate", INPUTS, layout.span(rate_row))
    define_name(wb, "discount_factor", INPUTS, layout.span(layout.df_row))

    row = layout.df_row + 2
    put(ws, row, 1, "Cohorts", bold=True)
    header_row(ws, row + 1, ["Cohort", "Year t", "Referrals", "Notes"])
    first = row + 2
    for i in range(len(spec.cohorts)):
        r = first + i
        put(ws, r, 1, f"Cohort {i + 1}")
        mark_input(put(ws, r, 2, int(inputs.cohort_years[i])))
        mark_input(put(ws, r, 3, float(inputs.referrals[0, i]), COUNT))
        put(ws, r, 4, "people referred in year t")
    last = first + len(spec.cohorts) - 1
    define_name(wb, "cohort_year", INPUTS, f"$B${first}:$B${last}")
    define_name(wb, "referrals", INPUTS, f"$C${first}:$C${last}")

    row = last + 2
    put(ws, row, 1, "Cost lines (£, price-year prices)", bold=True)
    header_row(ws, row + 1, ["Cost line", "Agency", "Basis", "Amount £", "Per participant (1/0)", "", "Notes"])
    put(ws, row + 1, YEAR_COLUMN - 1, "Falls in year? (1/0) →", bold=True)
    for c in layout.years():
        put(ws, row + 1, c, f"={col(c)}{layout.year_row}", bold=True)
    first = row + 2
    for k, cost in enumerate(spec.costs):
        r = first + k
        layout.schedule_rows.append(r)
        per_participant = bool(inputs.cost_per_participant[k])
        basis = "per participant" if per_participant else ("per year" if cost.per_year is not None else "once")
        put(ws, r, 1, model.cost_names[k])
        mark_input(put(ws, r, 2, cost.agency))
        put(ws, r, 3, basis)
        mark_input(put(ws, r, 4, float(inputs.cost_amounts[0, k]), MONEY))
        mark_input(put(ws, r, 5, 1 if per_participant else 0))
        put(ws, r, 7, "× engaged people in each cohort's year" if per_participant else "× schedule →")
        for t, c in enumerate(layout.years()):
            mark_input(put(ws, r, c, int(inputs.cost_schedule[k, t])))
    last = first + len(spec.costs) - 1
    define_name(wb, "cost_agency", INPUTS, f"$B${first}:$B${last}")
    define_name(wb, "cost_amount", INPUTS, f"$D${first}:$D${last}")
    define_name(wb, "cost_per_participant", INPUTS, f"$E${first}:$E${last}")

    row = last + 2
    put(ws, row, 1, "Outcomes", bold=True)
    columns = ["Outcome", "Kind", "Agency", "Cashable", "Transfer share", "Source amount £", "Source price year",
               "Deflator factor", "Confidence grade", "OB correction", "Success rate", "Quantity", "Lag (years)",
               "Duration (years)", "Drop-off", "Deadweight", "Attribution", "Displacement", "Verified",
               "Unit cost / source"]
    header_row(ws, row + 1, columns)
    first = row + 2
    overrides = spec.optimism_bias.benefits_by_confidence
    for o, src in enumerate(model.outcome_sources):
        r = first + o
        _, from_default = benefit_correction(src.confidence, overrides)
        put(ws, r, 1, model.outcome_names[o])
        values: list[tuple[object, str | None, bool]] = [
            (src.kind, None, False),
            (src.agency, None, False),
            ("yes" if src.cashable else "no", None, False),
            (src.transfer_share, SHARE, False),
            (src.amount, MONEY, not src.verified),
            (src.price_year, None, False),
            (src.price_factor, "0.000000", False),
            (src.confidence, None, False),
            (float(inputs.benefit_correction[0, o]), SHARE, from_default),
            (float(inputs.success_rate[0, o]), "0.00%", False),
            (float(inputs.quantity[0, o]), "0.00", False),
            (int(inputs.lag[o]), None, False),
            (int(inputs.duration[o]), None, False),
            (float(inputs.drop_off[0, o]), SHARE, False),
            (float(inputs.deadweight[0, o]), SHARE, False),
            (float(inputs.attribution[0, o]), SHARE, False),
            (float(inputs.displacement[0, o]), SHARE, False),
        ]
        for offset, (value, fmt, unverified) in enumerate(values):
            mark_input(put(ws, r, 2 + offset, value, fmt), unverified=unverified)
        put(ws, r, 19, "yes" if src.verified else "NOT VERIFIED")
        source = f"{src.unit_cost}: {src.source}" if src.unit_cost else f"inline value: {src.source}"
        notes = [source, f"£{src.amount:,.2f} per {src.per} in {src.price_year} prices"]
        if from_default:
            notes.append("OB correction from the default grade table, not verified against HM Treasury (2014)")
        put(ws, r, 20, "; ".join(notes))
    last = first + len(model.outcome_sources) - 1
    for offset, name in enumerate(["outcome_kind", "outcome_agency", "cashable", "transfer_share",
                                   "source_amount", "source_price_year", "deflator_factor", "confidence_grade",
                                   "ob_correction", "success_rate", "quantity", "outcome_lag", "outcome_duration",
                                   "drop_off", "deadweight", "attribution", "displacement"]):
        letter = col(2 + offset)
        define_name(wb, name, INPUTS, f"${letter}${first}:${letter}${last}")
    for note_row, note in enumerate(model.warnings, start=last + 2):
        put(ws, note_row, 1, "Warning", bold=True)
        put(ws, note_row, 2, note)
    widths(ws, {1: 44, 2: 22, 3: 22, 4: 14, 5: 12, 6: 12, 7: 14}, years=max(layout.horizon, 13))
    ws.freeze_panes = "B5"
