"""Report charts: one Altair (Vega-Lite) definition each, built from the JSON result documents the CLI prints
with ``--json`` (``wellspent.appraisal/1``, ``wellspent.simulation/1``, ``wellspent.contract/1`` and
``portfolio value``). No engine is called here; chart data are small aggregates (never raw draws).

Appraisal money is real £ at the spec's price year (DESIGN §2); contract cash flows are £ cash as contracted;
portfolio public value is £ at the portfolio's price year set against outcome payments in cash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import altair as alt

from wellspent.errors import InputError
from wellspent.reports import palette
from wellspent.reports.formatting import money
from wellspent.vocabulary import agencies

Doc = Mapping[str, Any]

MONEY_AXIS = "$,.2~s"
"""d3 format for money axes: the locale's currency (£) with an SI suffix (£1.5M, £500k)."""
MONEY_TIP = "$,.0f"
"""d3 format for money in tooltips: whole pounds with thousands separators."""


# ---------------------------------------------------------------- helpers shared with figures.py

def field(doc: Doc, path: str, what: str) -> Any:
    """``doc[a][b]…`` for a dotted ``path``; a missing field is an :class:`InputError` naming the document kind
    (``what``, e.g. ``"appraisal result"``), the field path and the problem."""
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise InputError.single(f"<{what}>", path, "missing: is this the --json output of the right command?")
        value = value[part]
    return value


def price_basis(doc: Doc, what: str) -> str:
    """The units of appraisal money: ``'£, 2024 prices'``."""
    return f"£, {field(doc, 'price_year', what)} prices"


def agency_name(agency_id: str) -> str:
    """An agency's name from the controlled vocabulary (the id itself if it is not listed)."""
    term = agencies().get(agency_id)
    return term.name if term is not None else agency_id


def period_label(end: str) -> str:
    """A contract period named by the month it ends: ``'2025-06-30'`` → ``'Jun 2025'``."""
    try:
        day = date.fromisoformat(end)
    except ValueError:
        raise InputError.single("<contract result>", "periods[].end", f"not a date: {end!r}") from None
    return day.strftime("%b %Y")


def cumulative_rows(appraisal: Doc) -> list[dict[str, Any]]:
    """Cumulative discounted costs, fiscal benefits and public value by year, £ (price-year prices).

    Per year t: ``x_t × discount_factor_t`` summed from year 0 (DESIGN §3: ``years[]`` money is undiscounted);
    public value is ``fiscal + economic + social − transfers`` (ADR 0007), so the last row equals ``pv_costs``,
    ``pv_benefits.fiscal`` and ``pv_benefits.total``."""
    rows: list[dict[str, Any]] = []
    cost = fiscal = public = 0.0
    for year in field(appraisal, "years", "appraisal result"):
        df = float(year["discount_factor"])
        cost += float(year["costs"]) * df
        fiscal += float(year["benefits_fiscal"]) * df
        public += (float(year["benefits_fiscal"]) + float(year["benefits_economic"])
                   + float(year["benefits_social"]) - float(year.get("transfers", 0.0))) * df
        rows.append({"year": int(year["year"]), "calendar_year": int(year["calendar_year"]),
                     "costs": cost, "fiscal": fiscal, "public": public})
    return rows


def peak_capital(contract: Doc) -> tuple[int, float] | None:
    """The first period in which investors' capital outstanding is largest, and that capital (£ cash); None if
    the contract has no periods."""
    periods = field(contract, "periods", "contract result")
    if not periods:
        return None
    best = max(range(len(periods)), key=lambda i: (float(periods[i]["capital_outstanding"]), -i))
    return best, float(periods[best]["capital_outstanding"])


def top_tornado(simulation: Doc, top: int) -> list[dict[str, Any]]:
    """The ``top`` tornado rows by swing (the simulation report already ranks them; re-sorted to be safe)."""
    rows = list(field(simulation, "tornado", "simulation result") or [])
    return sorted(rows, key=lambda r: -float(r["swing"]))[:top]


def _title(text: str, subtitle: Sequence[str] | str = ()) -> alt.Title:
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return alt.Title(text=text, subtitle=lines) if lines else alt.Title(text=text)


def _data(rows: Sequence[Mapping[str, Any]]) -> alt.Data:
    """Inline chart data (a few aggregate rows)."""
    return alt.Data(values=list(rows))  # type: ignore[no-untyped-call]


def _scale(domain: Sequence[str], colours: Sequence[str]) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=list(colours))


# ---------------------------------------------------------------- appraisal charts

COST_LINE = "Costs"
FISCAL_LINE = "Fiscal benefits (payback test)"
PUBLIC_LINE = "Public value (all benefits less transfers)"


def cumulative_costs_benefits(appraisal: Doc) -> alt.LayerChart:
    """Cumulative discounted costs, fiscal benefits and public value by calendar year (£, price-year prices),
    with the payback point marked: the first year t at which cumulative discounted fiscal benefits ≥ cumulative
    discounted costs (DESIGN §3, the document's ``payback_year``)."""
    what = "appraisal result"
    units = price_basis(appraisal, what)
    rows = cumulative_rows(appraisal)
    long = [{"calendar_year": r["calendar_year"], "year": r["year"], "series": name, "value": r[key]}
            for r in rows for key, name in (("costs", COST_LINE), ("fiscal", FISCAL_LINE), ("public", PUBLIC_LINE))]
    payback = field(appraisal, "payback_year", what)
    start = int(field(appraisal, "start_year", what))
    if payback is None:
        note = f"Fiscal benefits do not repay costs within the {len(rows)}-year horizon"
    else:
        note = f"Payback (cumulative fiscal benefits ≥ costs): year {payback} ({start + int(payback)})"
    colour = alt.Color("series:N", title=None, legend=alt.Legend(symbolType="stroke", symbolSize=400),
                       scale=_scale([COST_LINE, FISCAL_LINE, PUBLIC_LINE],
                                    [palette.COSTS, palette.FISCAL, palette.PUBLIC_VALUE]))
    dash = alt.StrokeDash("series:N", title=None,
                          scale=alt.Scale(domain=[COST_LINE, FISCAL_LINE, PUBLIC_LINE],
                                          range=[[1, 0], [6, 3], [2, 2]]))
    base = alt.Chart(_data(long))
    lines = base.mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=30, filled=True)).encode(
        x=alt.X("calendar_year:O", title="Year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"Cumulative present value ({units})", axis=alt.Axis(format=MONEY_AXIS)),
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("calendar_year:O", title="Year"), alt.Tooltip("series:N", title="Line"),
                 alt.Tooltip("value:Q", title="£ (discounted)", format=MONEY_TIP)],
    )
    layers: list[alt.Chart] = [lines]
    if payback is not None:
        at = rows[int(payback)]
        marker = alt.Chart(_data([{
            "calendar_year": at["calendar_year"], "value": at["fiscal"],
            "label": f"Payback: year {payback} ({at['calendar_year']})"}]))
        layers.append(marker.mark_rule(color=palette.MARKER, strokeDash=[3, 3], strokeWidth=1.5).encode(
            x="calendar_year:O"))
        layers.append(marker.mark_point(shape="diamond", size=160, filled=True, color=palette.MARKER).encode(
            x="calendar_year:O", y="value:Q"))
        layers.append(marker.mark_text(align="right", dx=-6, baseline="top", y=4, fontWeight="bold").encode(
            x="calendar_year:O", text="label:N"))
    return palette.styled(alt.LayerChart(layer=layers).properties(
        title=_title(f"Cumulative discounted costs and benefits ({units})", note),
        width=palette.WIDTH, height=palette.HEIGHT))


PV_COST = "Cost borne (PV)"
PV_FISCAL = "Fiscal benefit received (PV)"
PV_CASHABLE = "of which cashable (PV)"


def who_pays_who_benefits(appraisal: Doc) -> alt.Chart:
    """By agency: present value of the costs it bears, of the fiscal benefits it receives and of the cashable
    part of those benefits (£, price-year prices; the document's ``by_agency``)."""
    what = "appraisal result"
    units = price_basis(appraisal, what)
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for entry in field(appraisal, "by_agency", what):
        name = agency_name(str(entry["agency"]))
        order.append(name)
        for measure, key in ((PV_COST, "pv_cost"), (PV_FISCAL, "pv_fiscal_benefit"), (PV_CASHABLE, "pv_cashable")):
            rows.append({"agency": name, "measure": measure, "value": float(entry[key]),
                         "net": float(entry["net"])})
    measures = [PV_COST, PV_FISCAL, PV_CASHABLE]
    chart: alt.Chart = alt.Chart(_data(rows)).mark_bar(height={"band": 1}).encode(
        y=alt.Y("agency:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("measure:N", sort=measures, scale=alt.Scale(domain=measures)),
        x=alt.X("value:Q", title=f"Present value ({units})", axis=alt.Axis(format=MONEY_AXIS, tickCount=4)),
        color=alt.Color("measure:N", title=None,
                        scale=_scale(measures, [palette.COSTS, palette.FISCAL, palette.CASHABLE])),
        tooltip=[alt.Tooltip("agency:N", title="Agency"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("value:Q", title="£", format=MONEY_TIP),
                 alt.Tooltip("net:Q", title="Net (benefit − cost), £", format=MONEY_TIP)],
    )
    return palette.styled(chart.properties(
        title=_title(f"Who pays and who benefits, by agency ({units})",
                     "Present values; cashable benefits are part of the fiscal benefit, not in addition"),
        width=palette.WIDTH - 140, height=alt.Step(11)))


# ---------------------------------------------------------------- simulation charts

def npsv_distribution(simulation: Doc) -> alt.LayerChart:
    """Histogram of NPSV over the Monte Carlo draws (£, price-year prices; the report's ``npsv_histogram``),
    with NPSV = 0 (BCR = 1) and the deterministic NPSV marked; P(BCR > 1) in the subtitle."""
    what = "simulation result"
    units = price_basis(simulation, what)
    histogram = field(simulation, "npsv_histogram", what)
    edges = [float(e) for e in histogram["bins"]]
    counts = [int(c) for c in histogram["counts"]]
    if len(edges) != len(counts) + 1:
        raise InputError.single(f"<{what}>", "npsv_histogram", "needs one more bin edge than counts")
    draws = int(field(simulation, "draws", what))
    p_above = float(field(simulation, "probability_bcr_above_1", what))
    deterministic = float(field(simulation, "deterministic.npsv", what))
    bars = [{"start": edges[i], "end": edges[i + 1], "count": counts[i]} for i in range(len(counts))]
    hist = alt.Chart(_data(bars)).mark_bar(color=palette.PUBLIC_VALUE, stroke=palette.NEUTRALS[
        "background"], strokeWidth=0.5).encode(
        x=alt.X("start:Q", title=f"Net present social value ({units})", axis=alt.Axis(format=MONEY_AXIS),
                scale=alt.Scale(zero=False, nice=False)),
        x2="end:Q",
        y=alt.Y("count:Q", title="Draws"),
        y2=alt.Y2(datum=0),
        tooltip=[alt.Tooltip("start:Q", title="From £", format=MONEY_TIP),
                 alt.Tooltip("end:Q", title="To £", format=MONEY_TIP), alt.Tooltip("count:Q", title="Draws")],
    )
    middle = (edges[0] + edges[-1]) / 2 if edges else 0.0
    marks: list[dict[str, Any]] = [{"x": deterministic, "label": "Central estimate", "dash": "central", "row": 2}]
    if edges and edges[0] <= 0.0 <= edges[-1]:
        marks.append({"x": 0.0, "label": "NPSV = 0 (BCR = 1)", "dash": "zero", "row": 16})
    rule = alt.Chart(_data(marks)).mark_rule(color=palette.MARKER, strokeWidth=1.5).encode(
        x="x:Q", strokeDash=alt.StrokeDash("dash:N", legend=None,
                                           scale=alt.Scale(domain=["central", "zero"], range=[[5, 3], [1, 0]])))
    # Labels on two rows, each on the side of its line away from the other line (or, alone, with more room).
    for m in marks:
        m["left"] = (m["x"] < middle) if len(marks) == 1 else (m["x"] >= 0.0 if m["dash"] == "central"
                                                                else deterministic < 0.0)
    labels = [alt.Chart(_data([m for m in marks if m["left"] == left])).mark_text(
        align="left" if left else "right", dx=4 if left else -4, baseline="top").encode(
        x="x:Q", y=alt.Y("row:Q", scale=None), text="label:N") for left in (True, False)]
    subtitle = f"{draws:,} draws · P(BCR > 1) = {p_above:.1%} · dashed line: NPSV at central values"
    return palette.styled(alt.LayerChart(layer=[hist, rule, *labels]).properties(
        title=_title(f"Distribution of net present social value ({units})", subtitle),
        width=palette.WIDTH, height=palette.HEIGHT))


AT_LOW = "Input at its 10th percentile"
AT_HIGH = "Input at its 90th percentile"


def _short(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


_OUTCOME_INPUT = re.compile(r"outcomes\[(\d+)\]\.(\w+)")


def input_label(path: str, outcome_names: Sequence[str] = ()) -> str:
    """An uncertain input's path for a reader: ``outcomes[2].success_rate`` → ``'<name of outcome 2>: success
    rate'`` when the outcome names (the appraisal document's ``outcomes[].name``, in spec order) are known."""
    match = _OUTCOME_INPUT.fullmatch(path)
    if match and int(match.group(1)) < len(outcome_names):
        return f"{outcome_names[int(match.group(1))]}: {match.group(2).replace('_', ' ')}"
    return path


def _tornado_layers(simulation: Doc, top: int, key: str, base: float, label: Callable[[str], str],
                    axis: alt.X, value_tip: alt.Tooltip, swing_tip: alt.Tooltip) -> list[alt.Chart]:
    """The bars of a tornado (``<key>_at_low`` → ``<key>_at_high`` of the ``top`` rows by swing, drawn from the
    central value ``base``) and the rule at ``base``; ``label`` names an input path for a reader."""
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for r in top_tornado(simulation, top):
        name = f"{label(str(r['input']))} ({_short(float(r['low_value']))} – {_short(float(r['high_value']))})"
        order.append(name)
        for side, end in ((AT_LOW, "low"), (AT_HIGH, "high")):
            rows.append({"input": name, "side": side, "base": base, "value": float(r[f"{key}_at_{end}"]),
                         "swing": float(r["swing"])})
    bars = alt.Chart(_data(rows)).mark_bar().encode(
        y=alt.Y("input:N", title=None, sort=order, axis=alt.Axis(labelLimit=380)),
        x=axis,
        x2="value:Q",
        color=alt.Color("side:N", title=None, scale=_scale([AT_LOW, AT_HIGH], [palette.CASHABLE, palette.FISCAL])),
        tooltip=[alt.Tooltip("input:N", title="Input"), alt.Tooltip("side:N", title="At"), value_tip, swing_tip],
    )
    centre = alt.Chart(_data([{"base": base}])).mark_rule(color=palette.MARKER, strokeWidth=1.5).encode(
        x="base:Q")
    return [bars, centre]


TORNADO_RANGES = "Input ranges shown in brackets (10th – 90th percentile)"


def tornado(simulation: Doc, top: int = 10, outcome_names: Sequence[str] = ()) -> alt.LayerChart:
    """Tornado: NPSV (£, price-year prices) with one input at its 10th or 90th percentile and the rest at their
    central values (the report's ``tornado``), the ``top`` inputs by swing, largest first. ``outcome_names``
    turn ``outcomes[i].…`` paths into names (:func:`input_label`)."""
    what = "simulation result"
    units = price_basis(simulation, what)
    base = float(field(simulation, "deterministic.npsv", what))
    layers = _tornado_layers(
        simulation, top, "npsv", base, lambda path: input_label(path, outcome_names),
        alt.X("base:Q", title=f"NPSV ({units})", axis=alt.Axis(format=MONEY_AXIS, tickCount=4),
              scale=alt.Scale(zero=False)),
        alt.Tooltip("value:Q", title="NPSV £", format=MONEY_TIP), alt.Tooltip("swing:Q", title="Swing £",
                                                                              format=MONEY_TIP))
    return palette.styled(alt.LayerChart(layer=layers).properties(
        title=_title(f"What moves NPSV most ({units})",
                     [f"One input at a time at its 10th or 90th percentile; line: NPSV at central values "
                      f"({money(base)})", TORNADO_RANGES]),
        width=palette.WIDTH - 200, height=alt.Step(22)))


def contract_tornado(simulation: Doc, top: int = 10) -> alt.LayerChart:
    """Tornado of a contract simulation: the investors' money multiple (distributions ÷ capital drawn; a ratio of
    cash £) with one input at its 10th or 90th percentile and the rest central, the ``top`` inputs by swing; the
    line marks the money multiple at central values, the dashed line 1 (investors get their money back)."""
    base = float(field(simulation, "deterministic.money_multiple", "simulation result"))
    layers = _tornado_layers(
        simulation, top, "money_multiple", base, str,
        alt.X("base:Q", title="Investors' money multiple (£ returned per £ drawn, cash)", scale=alt.Scale(zero=False)),
        alt.Tooltip("value:Q", title="Money multiple", format=".2f"), alt.Tooltip("swing:Q", title="Swing",
                                                                                  format=".2f"))
    repaid = alt.Chart(_data([{"one": 1.0}])).mark_rule(color=palette.MARKER, strokeDash=[4, 3]).encode(x="one:Q")
    return palette.styled(alt.LayerChart(layer=[*layers, repaid]).properties(
        title=_title(f"What moves the investors' money multiple most ({CONTRACT_UNITS})",
                     [f"One input at a time at its 10th or 90th percentile; line: at central values ({base:.2f}); "
                      "dashed: 1 (money back)", TORNADO_RANGES]),
        width=palette.WIDTH - 200, height=alt.Step(22)))


# ---------------------------------------------------------------- contract charts

PROVIDER_LINE = "Provider delivery costs"
INVESTOR_LINE = "Investor flow (+ returned, − drawn)"
CONTRACT_UNITS = "£ cash, as contracted"


def contract_cash_flows(contract: Doc) -> alt.LayerChart:
    """Per period: outcome payments stacked by payer (bars), provider delivery costs and the investors' net flow
    (lines; drawdowns negative, repayments and returns positive), all £ cash as contracted (not deflated)."""
    what = "contract result"
    periods = field(contract, "periods", what)
    payers = [str(p["payer"]) for p in field(contract, "payments_by_payer", what)]
    bars: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    order: list[str] = []
    for p in periods:
        label = period_label(str(p["end"]))
        order.append(label)
        by_payer = p.get("by_payer") or {}
        for payer in payers:
            bars.append({"period": label, "series": payer, "value": float(by_payer.get(payer, 0.0))})
        lines.append({"period": label, "series": PROVIDER_LINE, "value": float(p["provider_costs"])})
        lines.append({"period": label, "series": INVESTOR_LINE, "value": float(p["investor_flow"])})
    domain = [*payers, PROVIDER_LINE, INVESTOR_LINE]
    payer_colours = [palette.SERIES[i % 4] for i in range(len(payers))]
    colour = alt.Color("series:N", title=None, scale=_scale(domain, [*payer_colours, palette.PROVIDER,
                                                                     palette.INVESTOR]))
    x = alt.X("period:O", title=f"Period ending ({field(contract, 'period', what)}ly periods)", sort=order,
              axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    y_title = f"Cash flow ({CONTRACT_UNITS})"
    tip = [alt.Tooltip("period:O", title="Period ending"), alt.Tooltip("series:N", title="Flow"),
           alt.Tooltip("value:Q", title="£", format=MONEY_TIP)]
    bar_layer = alt.Chart(_data(bars)).mark_bar().encode(
        x=x, y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=MONEY_AXIS), stack="zero"),
        color=colour, tooltip=tip)
    line_layer = alt.Chart(_data(lines)).mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=18)).encode(
        x=x, y=alt.Y("value:Q", title=y_title), color=colour, tooltip=tip,
        strokeDash=alt.StrokeDash("series:N", legend=None,
                                  scale=alt.Scale(domain=[PROVIDER_LINE, INVESTOR_LINE], range=[[1, 0], [5, 3]])))
    zero = alt.Chart(_data([{"y": 0}])).mark_rule(color=palette.NEUTRALS["axis"]).encode(y="y:Q")
    return palette.styled(alt.LayerChart(layer=[bar_layer, line_layer, zero]).properties(
        title=_title(f"Contract cash flows by period ({CONTRACT_UNITS})",
                     "Bars: outcome payments by payer; lines: provider costs and investors' net flow"),
        width=palette.WIDTH, height=palette.HEIGHT))


def investor_capital(contract: Doc) -> alt.LayerChart:
    """Investors' capital outstanding at the end of each period (£ cash), the peak marked, the commitment as a
    dashed line."""
    what = "contract result"
    periods = field(contract, "periods", what)
    rows = [{"period": period_label(str(p["end"])), "capital": float(p["capital_outstanding"])} for p in periods]
    order = [str(r["period"]) for r in rows]
    x = alt.X("period:O", title="Period ending", sort=order, axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    area = alt.Chart(_data(rows)).mark_area(
        color=palette.INVESTOR, opacity=0.35, line={"color": palette.INVESTOR, "strokeWidth": 2}).encode(
        x=x, y=alt.Y("capital:Q", title=f"Capital outstanding ({CONTRACT_UNITS})", axis=alt.Axis(format=MONEY_AXIS)),
        tooltip=[alt.Tooltip("period:O", title="Period ending"),
                 alt.Tooltip("capital:Q", title="Capital outstanding £", format=MONEY_TIP)])
    layers: list[alt.Chart] = [area]
    investor = contract.get("investor") or {}
    commitment = float(investor.get("commitment") or 0.0)
    if commitment > 0:
        line = alt.Chart(_data([{"y": commitment, "label": f"Commitment {money(commitment)}"}]))
        layers.append(line.mark_rule(color=palette.MARKER, strokeDash=[5, 3]).encode(y="y:Q"))
        layers.append(line.mark_text(align="right", baseline="bottom", dy=-3, x="width").encode(
            y="y:Q", text="label:N"))
    peak = peak_capital(contract)
    if peak is not None and peak[1] > 0:
        at = rows[peak[0]]
        mark = alt.Chart(_data([{**at, "label": f"Peak {money(peak[1])} ({at['period']})"}]))
        layers.append(mark.mark_point(shape="diamond", size=150, filled=True, color=palette.MARKER).encode(
            x=alt.X("period:O", sort=order), y="capital:Q"))
        layers.append(mark.mark_text(align="left", dx=8, dy=-10, fontWeight="bold").encode(
            x=alt.X("period:O", sort=order), y="capital:Q", text="label:N"))
    return palette.styled(alt.LayerChart(layer=layers).properties(
        title=_title(f"Investor capital outstanding ({CONTRACT_UNITS})",
                     "Capital drawn and not yet repaid, at the end of each period"),
        width=palette.WIDTH, height=palette.HEIGHT))


# ---------------------------------------------------------------- portfolio chart

AFTER_DEADWEIGHT = "After deadweight"
BEFORE_DEADWEIGHT = "Before deadweight"


def portfolio_bcr_by_sector(portfolio: Doc) -> alt.LayerChart:
    """Benefit-cost ratio of past contracts by policy sector and in total: public value achieved (£, portfolio
    price year, before and after deadweight) ÷ actual outcome payments (£ cash); the ``portfolio value`` method
    (docs/portfolio.md). Each label gives the contracts and the share of payments whose outcomes were valued."""
    what = "portfolio result"
    price_year = field(portfolio, "price_year", what)
    groups = [*(portfolio.get("by_group") or {}).values(), field(portfolio, "total", what)]
    rows: list[dict[str, Any]] = []
    order: list[str] = []
    for g in groups:
        n = int(g["contracts"])
        label = f"{g['label']} ({n} contract{'' if n == 1 else 's'}, {float(g['coverage']):.0%} valued)"
        order.append(label)
        for measure, key in ((AFTER_DEADWEIGHT, "bcr_after_deadweight"), (BEFORE_DEADWEIGHT, "bcr_before_deadweight")):
            rows.append({"group": label, "measure": measure, "bcr": float(g[key]),
                         "payments": float(g["payments"])})
    data = _data(rows)
    y = alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    colour = alt.Color("measure:N", title=None, legend=alt.Legend(symbolType="square", symbolOpacity=1),
                       scale=_scale([AFTER_DEADWEIGHT, BEFORE_DEADWEIGHT], [palette.PUBLIC_VALUE, palette.MARKER]))
    tip = [alt.Tooltip("group:N", title="Sector"), alt.Tooltip("measure:N", title="BCR"),
           alt.Tooltip("bcr:Q", title="£ value per £ paid", format=".2f"),
           alt.Tooltip("payments:Q", title="Outcome payments £", format=MONEY_TIP)]
    x = alt.X("bcr:Q", title=f"Public value per £1 of outcome payments (value in {price_year} prices)",
              scale=alt.Scale(domainMax=max([1.0, *(r["bcr"] for r in rows)]) * 1.05))
    bars = alt.Chart(data).transform_filter(alt.datum.measure == AFTER_DEADWEIGHT).mark_bar(height=14).encode(
        x=x, y=y, color=colour, tooltip=tip)
    ticks = alt.Chart(data).transform_filter(alt.datum.measure == BEFORE_DEADWEIGHT).mark_tick(
        thickness=3, size=20, opacity=1).encode(x=x, y=y, color=colour, tooltip=tip)
    one = alt.Chart(_data([{"x": 1.0}])).mark_rule(color=palette.MARKER, strokeDash=[4, 3]).encode(
        x="x:Q")
    return palette.styled(alt.LayerChart(layer=[bars, ticks, one]).properties(
        title=_title(f"Benefit-cost ratio of past contracts by policy sector (£ per £, {price_year} prices)",
                     [f"{portfolio.get('country', '')} contracts with actual outcome payments; dashed line: BCR = 1",
                      "Payments in cash; value of achieved outcomes priced with library unit costs"]),
        width=palette.WIDTH - 180, height=alt.Step(26)))
