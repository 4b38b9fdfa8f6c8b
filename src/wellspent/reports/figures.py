"""Figures for reports: each chart as a Vega-Lite spec, an inline SVG (rendered by vl-convert, no browser) and a
text alternative that states the key numbers; plus the offline JavaScript bundle for interactive pages.

One SVG takes about 0.1–0.3 s to render after vl-convert's first call (about 0.3 s more to start its engine);
renders are cached by spec, so a report that shows the same figure twice renders it once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

import altair as alt
import vl_convert as vlc

from wellspent.reports import charts
from wellspent.reports.charts import Doc
from wellspent.reports.formatting import money


@dataclass(frozen=True)
class Figure:
    """One chart, ready to inline: ``svg`` has no XML prolog and ids unique to this figure; ``description`` is
    the text alternative (what a reader who cannot see the chart needs to act on)."""

    key: str
    title: str
    description: str
    vega_lite: dict[str, Any]
    svg: str


# ---------------------------------------------------------------- rendering

def _vl_version() -> str | None:
    """The Vega-Lite version Altair writes (``v6.4.1`` → ``6.4``) if vl-convert ships it, else its latest."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vlc.get_vegalite_versions() else None


VL_VERSION = _vl_version()
FORMAT_LOCALE: Final = "en-GB"
"""d3-format locale for rendering: £ as the currency, comma thousands."""


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec without ``$schema`` (a URL nothing needs to fetch)."""
    spec: dict[str, Any] = chart.to_dict()
    spec.pop("$schema", None)
    return spec


_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
_ID = re.compile(r'\bid="([^"]+)"')


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every ``id`` in ``svg`` and every reference to it (``url(#…)``, ``href="#…"``), so that several
    inlined SVGs on one page never share an id (clip paths, gradients)."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    svg = re.sub(rf'\bid="({pattern})"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(rf"url\(#({pattern})\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(rf'href="#({pattern})"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


@lru_cache(maxsize=256)
def _render(spec_json: str, prefix: str) -> str:
    svg: str = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=VL_VERSION, format_locale=FORMAT_LOCALE,
                                   allowed_base_urls=[])
    return _unique_ids(_PROLOG.sub("", svg, count=1), prefix)


def render_svg(chart: alt.TopLevelMixin, id_prefix: str | None = None) -> str:
    """The chart as an SVG string to inline in HTML (no XML prolog; no external resources: vl-convert may not
    load any URL). Ids are prefixed with ``id_prefix`` (default: a hash of the spec, so two different charts
    never collide). Cached by spec."""
    spec_json = json.dumps(chart_spec(chart), sort_keys=True)
    prefix = id_prefix or "fig-" + hashlib.sha1(spec_json.encode("utf-8")).hexdigest()[:10]
    return _render(spec_json, prefix)


def _title_text(chart: alt.TopLevelMixin) -> str:
    title = chart_spec(chart).get("title", "")
    if isinstance(title, Mapping):
        text = title.get("text", "")
        return " ".join(text) if isinstance(text, list) else str(text)
    return str(title)


def figure(key: str, chart: alt.TopLevelMixin, description: str) -> Figure:
    """A :class:`Figure` from a chart: the description is also set as the chart's own ``description`` (Vega
    puts it in the SVG's ``aria-label``)."""
    described = chart.properties(description=description)
    return Figure(key=key, title=_title_text(described), description=description,
                  vega_lite=chart_spec(described), svg=render_svg(described, id_prefix=key))


# ---------------------------------------------------------------- text alternatives

def describe_cumulative(appraisal: Doc) -> str:
    """Text alternative of :func:`charts.cumulative_costs_benefits`."""
    rows = charts.cumulative_rows(appraisal)
    units = charts.price_basis(appraisal, "appraisal result")
    first, last = rows[0], rows[-1]
    text = (f"Over {len(rows)} years ({first['calendar_year']}–{last['calendar_year']}), discounted costs total "
            f"{money(last['costs'])}, discounted fiscal benefits {money(last['fiscal'])} and discounted public "
            f"value {money(last['public'])} ({units}). ")
    payback = appraisal.get("payback_year")
    if payback is None:
        return text + ("Fiscal benefits do not repay costs within the horizon: by "
                       f"{last['calendar_year']} they reach {money(last['fiscal'])} against costs of "
                       f"{money(last['costs'])}.")
    at = rows[int(payback)]
    return text + (f"Costs are repaid in year {payback} ({at['calendar_year']}): by then cumulative discounted "
                   f"fiscal benefits are {money(at['fiscal'])} against costs of {money(at['costs'])}.")


def describe_who_pays(appraisal: Doc) -> str:
    """Text alternative of :func:`charts.who_pays_who_benefits`."""
    units = charts.price_basis(appraisal, "appraisal result")
    parts = []
    for row in charts.field(appraisal, "by_agency", "appraisal result"):
        name = charts.agency_name(str(row["agency"]))
        parts.append(f"{name} bears costs of {money(float(row['pv_cost']))} and receives fiscal benefits of "
                     f"{money(float(row['pv_fiscal_benefit']))} ({money(float(row['pv_cashable']))} cashable): "
                     f"net {money(float(row['net']))}.")
    return f"Present values by agency ({units}). " + " ".join(parts)


def describe_npsv(simulation: Doc) -> str:
    """Text alternative of :func:`charts.npsv_distribution`."""
    units = charts.price_basis(simulation, "simulation result")
    npsv = charts.field(simulation, "results.npsv", "simulation result")
    p_above = float(charts.field(simulation, "probability_bcr_above_1", "simulation result"))
    text = (f"Over {int(simulation['draws']):,} draws, the probability that the benefit-cost ratio exceeds 1 is "
            f"{p_above:.1%} ({units}).")
    if npsv.get("p50") is not None:
        text += (f" Median NPSV {money(float(npsv['p50']))}; 90% of draws lie between "
                 f"{money(float(npsv['p5']))} and {money(float(npsv['p95']))} (5th to 95th percentile).")
    return text + f" NPSV at central values: {money(float(simulation['deterministic']['npsv']))}."


def describe_tornado(simulation: Doc, top: int = 10, outcome_names: Sequence[str] = ()) -> str:
    """Text alternative of :func:`charts.tornado` (the three largest swings in words)."""
    rows = charts.top_tornado(simulation, top)
    units = charts.price_basis(simulation, "simulation result")
    if not rows:
        return "No uncertain inputs, so nothing to rank."
    parts = [f"{charts.input_label(str(r['input']), outcome_names)} moves NPSV from "
             f"{money(float(r['npsv_at_low']))} (at {float(r['low_value']):,.4g}) "
             f"to {money(float(r['npsv_at_high']))} (at {float(r['high_value']):,.4g})" for r in rows[:3]]
    return (f"The {len(rows)} inputs that move NPSV most, one at a time from their 10th to 90th percentile "
            f"({units}; NPSV at central values {money(float(simulation['deterministic']['npsv']))}). "
            f"Largest: " + "; ".join(parts) + ".")


def describe_cash_flows(contract: Doc) -> str:
    """Text alternative of :func:`charts.contract_cash_flows`."""
    periods = charts.field(contract, "periods", "contract result")
    payers = "; ".join(f"{p['payer']} {money(float(p['outcome_payments']))}"
                       for p in charts.field(contract, "payments_by_payer", "contract result"))
    text = (f"Over {len(periods)} {contract['period']}ly periods from {contract['start']}, outcome payments total "
            f"{money(float(contract['outcome_payments_total']))} (£ cash): {payers}. Provider delivery costs total "
            f"{money(float(contract['provider_costs_total']))}.")
    investor = contract.get("investor")
    if investor:
        irr = investor.get("investor_irr")
        multiple = investor.get("money_multiple")
        text += (f" Investors drew {money(float(investor['drawn']))} and received "
                 f"{money(float(investor['distributions']))}")
        if multiple is not None:
            text += f" (money multiple {float(multiple):.2f}"
            text += f", IRR {float(irr):.1%} a year)" if irr is not None else ")"
        text += "."
    return text


def describe_capital(contract: Doc) -> str:
    """Text alternative of :func:`charts.investor_capital`."""
    periods = charts.field(contract, "periods", "contract result")
    peak = charts.peak_capital(contract)
    investor = contract.get("investor") or {}
    if peak is None or peak[1] <= 0:
        return "Investors have no capital outstanding in any period."
    index, amount = peak
    text = (f"Investors' capital outstanding peaks at {money(amount)} (£ cash) in the period ending "
            f"{charts.period_label(str(periods[index]['end']))} (period {index})")
    if investor.get("commitment"):
        text += f", against a commitment of {money(float(investor['commitment']))}"
    repaid = next((i for i in range(index, len(periods)) if float(periods[i]["capital_outstanding"]) <= 0.005), None)
    if repaid is None:
        text += f"; {money(float(periods[-1]['capital_outstanding']))} is still outstanding at the end."
    else:
        text += (f"; it is all repaid by the end of the period ending "
                 f"{charts.period_label(str(periods[repaid]['end']))} (period {repaid}).")
    return text


def describe_portfolio(portfolio: Doc) -> str:
    """Text alternative of :func:`charts.portfolio_bcr_by_sector`."""
    groups = [*(portfolio.get("by_group") or {}).values(), charts.field(portfolio, "total", "portfolio result")]
    parts = [f"{g['label']}: {g['contracts']} contract{'' if int(g['contracts']) == 1 else 's'}, BCR "
             f"{float(g['bcr_after_deadweight']):.2f} after deadweight ({float(g['bcr_before_deadweight']):.2f} "
             f"before), {float(g['coverage']):.0%} of payments valued." for g in groups]
    return (f"Public value (£, {portfolio['price_year']} prices) per £1 of actual outcome payments, by policy "
            "sector. " + " ".join(parts))


# ---------------------------------------------------------------- builders

def describe_contract_tornado(simulation: Doc, top: int = 10) -> str:
    """Text alternative of :func:`charts.contract_tornado` (the three largest swings in words)."""
    rows = charts.top_tornado(simulation, top)
    if not rows:
        return "No uncertain inputs, so nothing to rank."
    parts = [f"{r['input']} moves it from {float(r['money_multiple_at_low']):.2f} (at {float(r['low_value']):,.4g}) "
             f"to {float(r['money_multiple_at_high']):.2f} (at {float(r['high_value']):,.4g})" for r in rows[:3]]
    base = float(simulation["deterministic"]["money_multiple"])
    return (f"The {len(rows)} inputs that move the investors' money multiple most, one at a time from their 10th "
            f"to 90th percentile (money multiple at central values {base:.2f}; 1 means investors get their money "
            f"back). Largest: " + "; ".join(parts) + ".")


def simulation_figures(simulation: Doc, appraisal: Doc | None = None) -> list[Figure]:
    """NPSV distribution and tornado of an appraisal simulation; the money-multiple tornado of a contract
    simulation with uncertain inputs. The price year comes from the simulation document, else from ``appraisal``."""
    if simulation.get("kind") != "appraisal":
        if not simulation.get("tornado"):
            return []
        return [figure("contract-tornado", charts.contract_tornado(simulation),
                       describe_contract_tornado(simulation))]
    if "price_year" not in simulation and appraisal is not None and "price_year" in appraisal:
        simulation = {**simulation, "price_year": appraisal["price_year"]}
    names = [str(o["name"]) for o in (appraisal or {}).get("outcomes") or []]
    figures = [figure("npsv-distribution", charts.npsv_distribution(simulation), describe_npsv(simulation))]
    if simulation.get("tornado"):
        figures.append(figure("tornado", charts.tornado(simulation, outcome_names=names),
                              describe_tornado(simulation, outcome_names=names)))
    return figures


def appraisal_figures(appraisal: Doc, simulation: Doc | None = None) -> list[Figure]:
    """Cumulative costs and benefits with payback, who pays and who benefits; with a simulation, its figures."""
    figures = [
        figure("cumulative-costs-benefits", charts.cumulative_costs_benefits(appraisal),
               describe_cumulative(appraisal)),
        figure("who-pays-who-benefits", charts.who_pays_who_benefits(appraisal), describe_who_pays(appraisal)),
    ]
    if simulation is not None:
        figures += simulation_figures(simulation, appraisal)
    return figures


def contract_figures(contract: Doc) -> list[Figure]:
    """Cash flows by period; investor capital outstanding when investors put capital in."""
    figures = [figure("contract-cash-flows", charts.contract_cash_flows(contract), describe_cash_flows(contract))]
    peak = charts.peak_capital(contract)
    if peak is not None and peak[1] > 0:
        figures.append(figure("investor-capital", charts.investor_capital(contract), describe_capital(contract)))
    return figures


def portfolio_figures(portfolio: Doc) -> list[Figure]:
    """Benefit-cost ratio of past contracts by policy sector."""
    return [figure("portfolio-bcr-by-sector", charts.portfolio_bcr_by_sector(portfolio),
                   describe_portfolio(portfolio))]


# ---------------------------------------------------------------- interactive pages (offline)

@cache
def interactive_script() -> str:
    """vl-convert's JavaScript bundle of Vega, Vega-Lite and Vega-Embed (about 0.9 MB, built from files inside
    the vl-convert wheel: no network). Inline it once per page in a ``<script>``; it defines ``vegaEmbed``."""
    # The stub marks ``snippet`` required; at run time it defaults to the snippet that sets window.vegaEmbed.
    bundle: str = vlc.javascript_bundle(vl_version=VL_VERSION)  # type: ignore[call-arg]
    return bundle


_ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def interactive_embed(figure: Figure, element_id: str) -> str:
    """A ``<script>`` that draws ``figure`` interactively into the element with id ``element_id`` using the
    bundle from :func:`interactive_script` (which must come first on the page)."""
    if not _ELEMENT_ID.fullmatch(element_id):
        raise ValueError(f"not a safe HTML id: {element_id!r}")
    options = {"renderer": "svg", "actions": False, "mode": "vega-lite",
               "formatLocale": vlc.get_format_locale(FORMAT_LOCALE)}

    def script_json(value: object) -> str:
        return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")

    return (f"<script>vegaEmbed({script_json('#' + element_id)}, {script_json(figure.vega_lite)}, "
            f"{script_json(options)}).catch(function (error) {{ console.error(error); }});</script>")
