"""Self-contained HTML reports (Jinja2): an appraisal as a Five Case Model business case, a simulation, a contract
and a portfolio valuation. One file each, CSS and SVG charts inline, nothing fetched (DESIGN §1: reports/).

The functions only lay out figures the engines computed: every £ is real at the appraisal's price year unless the
page says otherwise (contract cash flows are cash £ as contracted). They never read the clock: the caller passes
``generated`` (a date string) or leaves it out. Calculation conventions are DESIGN §3 (appraisal) and §5
(contracts); the Five Case Model order (strategic, economic, commercial, financial, management) is HM Treasury's
business case structure, with the Green Book's economic appraisal in the economic case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from wellspent.appraisal.optimism_bias import benefit_correction
from wellspent.money.discounting import resolve_discounting
from wellspent.reports import formatting

if TYPE_CHECKING:  # pragma: no cover
    from wellspent.appraisal.result import AppraisalResult
    from wellspent.contracts.result import ContractResult

TEMPLATES = Path(__file__).parent / "templates"
"""The Jinja2 templates, shipped inside the package (hatch builds ``src/wellspent`` whole)."""

CASES: tuple[str, ...] = ("Strategic case", "Economic case", "Commercial case", "Financial case", "Management case")
"""The five cases of HM Treasury's Five Case Model, in the order a business case presents them."""


@dataclass(frozen=True)
class PlacedFigure:
    """A chart ready for a page: ``svg`` is inline SVG markup from :mod:`wellspent.reports.figures`."""

    id: str
    title: str
    description: str
    svg: Markup
    vega_lite: dict[str, Any] = field(default_factory=dict, compare=False)
    """The chart's Vega-Lite specification, drawn live by vl-convert's bundled Vega-Embed in interactive pages."""


def paragraphs(text: str | None) -> list[str]:
    """Narrative text split into paragraphs on blank lines (single newlines join lines of one paragraph).

    >>> paragraphs("First line\\nsame paragraph.\\n\\n  Second.  ")
    ['First line same paragraph.', 'Second.']
    >>> paragraphs(None)
    []
    """
    if not text:
        return []
    parts = re.split(r"\n\s*\n", text.strip())
    return [" ".join(line.strip() for line in part.splitlines() if line.strip()) for part in parts if part.strip()]


def year_ranges(years: Iterable[int]) -> str:
    """Appraisal years as compact ranges.

    >>> year_ranges([0, 1, 2, 3, 5])
    '0–3, 5'
    """
    ordered = sorted(set(years))
    spans: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        spans.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(spans)


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update({
        "money": formatting.money,
        "money_exact": formatting.money_exact,
        "ratio": formatting.ratio,
        "percent": formatting.percent,
        "number": formatting.number,
        "factor": formatting.factor,
        "paragraphs": paragraphs,
    })
    env.globals["UNDEFINED"] = formatting.UNDEFINED
    return env


def _render(template: str, *, interactive: bool = False, **context: Any) -> str:
    """Render ``template``; with ``interactive``, every figure in the context is also drawn live (zoomable,
    tooltips) by the Vega-Embed bundle that ships inside the vl-convert wheel, inlined once in the page (no CDN);
    the static SVG stays in place for printing and for readers without JavaScript until the script replaces it."""
    scripts: list[Markup] = []
    if interactive:
        from wellspent.reports import figures

        placed = [f for value in context.values() if isinstance(value, list)
                  for f in value if isinstance(f, PlacedFigure)]
        if placed:
            scripts.append(Markup("<script>" + figures.interactive_script() + "</script>"))
            scripts += [Markup(figures.interactive_embed(
                figures.Figure(f.id, f.title, f.description, f.vega_lite, ""), f"{f.id}-chart")) for f in placed]
    return _environment().get_template(template).render(interactive_scripts=scripts, **context)


def _place(figures: Sequence[Any]) -> list[PlacedFigure]:
    """Charts as page figures; the SVG is trusted markup made by our own chart code (vl-convert)."""
    return [PlacedFigure(f"fig-{re.sub(r'[^a-z0-9-]+', '-', str(f.key).lower())}", f.title, f.description,
                         Markup(f.svg), f.vega_lite) for f in figures]


def _figures(kind: str, *args: Any, **kwargs: Any) -> list[PlacedFigure]:
    """The charts of one report from :mod:`wellspent.reports.figures` (imported here: vl-convert is slow to load)."""
    from wellspent.reports import figures

    makers: dict[str, Callable[..., list[figures.Figure]]] = {
        "appraisal": figures.appraisal_figures, "simulation": figures.simulation_figures,
        "contract": figures.contract_figures, "portfolio": figures.portfolio_figures}
    return _place(makers[kind](*args, **kwargs))


FINANCIAL_FIGURES = frozenset({"fig-who-pays-who-benefits"})
"""Appraisal charts placed in the financial case (who pays and who benefits); the rest go in the economic case."""


# --------------------------------------------------------------------------------------------------- appraisal


def _outcome_working(result: AppraisalResult) -> list[dict[str, Any]]:
    """Each outcome's inputs, source and adjustments beside its PV benefit (the 'show the working' rows)."""
    spec = result.model.spec
    overrides = spec.optimism_bias.benefits_by_confidence
    rows: list[dict[str, Any]] = []
    for outcome, source, row in zip(spec.outcomes, result.model.outcome_sources, result.outcomes(), strict=True):
        _, from_default = benefit_correction(source.confidence, overrides)
        rows.append({
            **row,
            "anchor": f"outcome-{len(rows) + 1}",
            "price_factor": source.price_factor,
            "unit_value_corrected": row["unit_value"] * (1.0 - row["optimism_bias_correction"]),
            "correction_unverified": from_default,
            "inline_value": source.unit_cost is None,
            "quantity": outcome.quantity,
            "success_rate": outcome.success_rate,
            "lag": outcome.lag,
            "duration": outcome.duration,
            "drop_off": outcome.drop_off,
            "deadweight": outcome.deadweight,
            "attribution": outcome.attribution,
            "displacement": outcome.displacement,
            "adjustment_factor": (1.0 - outcome.deadweight) * outcome.attribution * (1.0 - outcome.displacement),
            "pv_transfer": row["pv_benefit"] * row["transfer_share"] if row["kind"] == "fiscal" else 0.0,
        })
    return rows


def _cost_lines(result: AppraisalResult) -> list[dict[str, Any]]:
    """Each cost line with its agency and when it falls."""
    spec = result.model.spec
    start = spec.start_year
    lines = []
    for cost in spec.costs:
        if cost.per_year is not None:
            years = cost.years if cost.years is not None else list(range(spec.horizon))
            basis, amount = "per year", cost.per_year
            schedule = (f"years {year_ranges(years)} ({start + min(years)}–{start + max(years)})"
                        if len(years) > 1 else f"year {years[0]} ({start + years[0]})")
        elif cost.per_participant is not None:
            basis, amount = "per engaged participant", cost.per_participant
            schedule = "in each cohort's year (see cohorts)"
        else:
            assert cost.once is not None and cost.year is not None
            basis, amount = "once", cost.once
            schedule = f"year {cost.year} ({start + cost.year})"
        lines.append({"name": cost.name, "agency": cost.agency, "basis": basis, "amount": amount,
                      "schedule": schedule})
    return lines


def _cohorts(result: AppraisalResult) -> list[dict[str, Any]]:
    spec = result.model.spec
    return [{"year": c.year, "calendar_year": spec.start_year + c.year, "referrals": c.referrals,
             "engaged": c.referrals * spec.engagement_rate} for c in spec.cohorts]


def _discounting(result: AppraisalResult) -> dict[str, Any]:
    """The discount-rate schedule's bands that fall inside the horizon (year 0 is undiscounted)."""
    spec = result.model.spec
    schedule = resolve_discounting(spec.discounting)
    last = spec.horizon - 1
    bands = [{"first": max(band.first_year, 1),
              "last": min(band.last_year, last) if band.last_year is not None else last,
              "rate": band.rate}
             for band in schedule.bands
             if band.first_year <= last and (band.last_year is None or band.last_year >= 1)]
    return {"name": result.model.discounting, "source": schedule.source, "bands": bands}


def _agency_years(result: AppraisalResult) -> dict[str, Any]:
    """Undiscounted costs and fiscal benefits by agency and year (real £, price year)."""
    a, d, model = result.arrays, result.draw, result.model
    costs = [i for i in range(len(model.agencies)) if a.costs_by_agency[d, i].any()]
    fiscal = [i for i in range(len(model.agencies)) if a.fiscal_by_agency[d, i].any()]
    rows = []
    for t in range(model.inputs.horizon):
        rows.append({
            "year": t, "calendar_year": model.spec.start_year + t,
            "costs": [float(a.costs_by_agency[d, i, t]) for i in costs],
            "fiscal": [float(a.fiscal_by_agency[d, i, t]) for i in fiscal],
        })
    return {"cost_agencies": [model.agencies[i] for i in costs],
            "fiscal_agencies": [model.agencies[i] for i in fiscal], "rows": rows}


def _summary(doc: dict[str, Any], working: list[dict[str, Any]], simulation: dict[str, Any] | None
             ) -> dict[str, Any]:
    payback = doc["payback_year"]
    return {
        "payback": None if payback is None else {"year": payback, "calendar_year": doc["start_year"] + payback},
        "unverified_values": sum(1 for row in working if not row["verified"]),
        "unverified_corrections": sum(1 for row in working if row["correction_unverified"]),
        "outcome_count": len(working),
        "probability_bcr_above_1": None if simulation is None else simulation.get("probability_bcr_above_1"),
        "probability_bcr_above_2": None if simulation is None else simulation.get("probability_bcr_above_2"),
        "draws": None if simulation is None else simulation.get("draws"),
    }


def _simulation_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Percentile rows of a simulation report, each with how to format it (money, ratio or percent)."""
    results = report["results"]
    if report["kind"] == "appraisal":
        rows = [("NPSV", results["npsv"], "money"), ("BCR", results["bcr"], "ratio"),
                ("Fiscal BCR", results["fiscal_bcr"], "ratio"), ("PV costs", results["pv_costs"], "money"),
                ("PV benefits", results["pv_benefits"], "money")]
        rows += [(f"Net fiscal position: {agency}", summary, "money")
                 for agency, summary in results.get("agency_net", {}).items()]
    else:
        rows = [("Outcome payments", results["outcome_payments"], "money"),
                ("Investor IRR", results["investor_irr"], "percent"),
                ("Money multiple", results["money_multiple"], "ratio"),
                ("Peak capital", results["peak_capital"], "money"),
                ("Provider net", results["provider_net"], "money")]
        rows += [(f"Payments by {payer}", summary, "money")
                 for payer, summary in results.get("payer_payments", {}).items()]
    return [{"label": label, "summary": summary, "format": kind} for label, summary, kind in rows]


def appraisal_html(result: AppraisalResult, *, simulation: dict[str, Any] | None = None,
                   contract: ContractResult | None = None, generated: str | None = None,
                   interactive: bool = False) -> str:
    """An appraisal as a business case in Five Case Model order, with an executive summary first and a 'show the
    working' appendix last.

    ``simulation`` is the ``wellspent.simulation/1`` document of the same spec (adds P(BCR > 1), percentiles,
    tornado and switching values); ``contract`` is the result of the contract linked by
    ``business_case.commercial.contract`` (the commercial case says so when there is none). £ are real, at the
    spec's price year, discounted as the spec says (Green Book STPR by default, DESIGN §2).
    """
    doc = result.to_dict()
    spec = result.model.spec
    working = _outcome_working(result)
    charts = _figures("appraisal", doc, simulation=simulation)
    business_case = getattr(spec, "business_case", None)
    commercial = getattr(business_case, "commercial", None) if business_case is not None else None
    return _render(
        "appraisal.html",
        interactive=interactive,
        title=f"Business case: {spec.name}",
        generated=generated,
        r=doc,
        spec=spec,
        summary=_summary(doc, working, simulation),
        business_case=business_case,
        strategic=getattr(business_case, "strategic", None) if business_case is not None else None,
        commercial=commercial,
        management=getattr(business_case, "management", None) if business_case is not None else None,
        outcomes=working,
        costs=_cost_lines(result),
        cohorts=_cohorts(result),
        discounting=_discounting(result),
        agency_years=_agency_years(result),
        simulation=simulation,
        simulation_rows=_simulation_rows(simulation) if simulation is not None else [],
        contract=_contract_context(contract) if contract is not None else None,
        economic_figures=[f for f in charts if f.id not in FINANCIAL_FIGURES],
        financial_figures=[f for f in charts if f.id in FINANCIAL_FIGURES],
    )


# --------------------------------------------------------------------------------------------------- simulation


def simulation_html(report: dict[str, Any], *, appraisal: AppraisalResult | None = None,
                    generated: str | None = None, interactive: bool = False) -> str:
    """A Monte Carlo simulation report (``wellspent.simulation/1``): what was uncertain, percentiles of the
    headline figures, probabilities and, for appraisals, the tornado and switching values (Green Book §5.59–5.61,
    A5.21–A5.23). ``appraisal`` is the deterministic result of the same spec, for its price year and charts."""
    appraisal_doc = appraisal.to_dict() if appraisal is not None else None
    return _render(
        "simulation.html",
        interactive=interactive,
        title=f"Uncertainty analysis: {report['name']}",
        generated=generated,
        s=report,
        rows=_simulation_rows(report),
        price_year=appraisal_doc["price_year"] if appraisal_doc is not None else None,
        figures=_figures("simulation", report, appraisal=appraisal_doc),
    )


# --------------------------------------------------------------------------------------------------- contract


def _contract_years(result: ContractResult, periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per-period cash flows summed by contract year (each 12 months from the start date), cash £."""
    spec = result.model.spec
    per_year = 12 // spec.months_per_period
    keys = ("referrals", "achievements", "outcome_payments", "fees", "provider_costs", "investor_drawdown",
            "principal_repaid", "return_paid", "investor_surplus")
    years: list[dict[str, Any]] = []
    first = spec.start_date
    for row in periods:
        if row["period"] % per_year == 0:
            years.append({"year": len(years) + 1, "first": first.strftime("%b %Y"), **dict.fromkeys(keys, 0.0)})
        years[-1]["last"] = date.fromisoformat(row["end"]).strftime("%b %Y")
        for key in keys:
            years[-1][key] += row[key]
        first = date.fromisoformat(row["end"]) + timedelta(days=1)
    return years


def _contract_context(result: ContractResult) -> dict[str, Any]:
    """A contract's payment mechanism and results, for the commercial case and the contract report."""
    doc = result.to_dict(scenarios=True)
    spec = result.model.spec
    by_id = {row["id"]: row for row in doc["outcomes"]}
    rate_card = [{
        "id": o.id, "name": o.name, "price": o.price, "achievement": o.achievement, "lag": o.lag, "limit": o.limit,
        "after": o.after, "source": o.source, "achievements": by_id[o.id]["achievements"],
        "payments": by_id[o.id]["payments"],
        "value": o.value,
    } for o in spec.rate_card]
    pvv = doc["price_vs_value"]
    return {
        "c": doc,
        "spec": spec,
        "period": spec.period,
        "rate_card": rate_card,
        "years": _contract_years(result, doc["periods"]),
        "unverified_values": 0 if pvv is None else sum(1 for row in pvv["outcomes"] if not row["verified"]),
    }


def contract_html(result: ContractResult, *, generated: str | None = None, interactive: bool = False) -> str:
    """A social outcomes contract report (DESIGN §5): payment mechanism, who pays, investor and provider
    positions, performance scenarios, price against value and the per-period cash flows (cash £ as contracted)."""
    context = _contract_context(result)
    return _render(
        "contract.html",
        interactive=interactive,
        title=f"Outcomes contract: {result.model.spec.name}",
        generated=generated,
        contract=context,
        figures=_figures("contract", context["c"]),
    )


# --------------------------------------------------------------------------------------------------- portfolio


def portfolio_html(valuation: dict[str, Any], *, generated: str | None = None, interactive: bool = False) -> str:
    """A portfolio valuation report: the ``wellspent portfolio value --json`` document (value of outcomes achieved
    by past social outcomes contracts, before and after deadweight, against actual outcome payments; method in
    docs/portfolio.md). £ at ``valuation['price_year']`` prices for values; payments are cash as reported."""
    return _render(
        "portfolio.html",
        interactive=interactive,
        title=f"Portfolio value of social outcomes contracts, {valuation['country']}",
        generated=generated,
        p=valuation,
        figures=_figures("portfolio", valuation),
    )
