"""Report charts: every chart renders offline to SVG for every example, carries units and price year, uses only
the palette, marks payback where the hand-worked case says, and its text alternative states the right numbers."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from wellspent.appraisal import appraise, appraise_file
from wellspent.contracts import run_contract_file
from wellspent.errors import InputError
from wellspent.reports import charts, figures
from wellspent.reports.palette import ALLOWED_COLOURS, OKABE_ITO
from wellspent.specs.loader import load_appraisal_uncertain, validate_appraisal
from wellspent.specs.strict_yaml import StrictDocument
from wellspent.uncertainty.report import npsv_histogram, simulation_report

ROOT = Path(__file__).resolve().parents[2]
APPRAISALS = sorted((ROOT / "examples").glob("*.yaml"))
CONTRACTS = sorted((ROOT / "examples" / "contracts").glob("*.yaml"))
PAYBACK_CASE = ROOT / "tests" / "cases" / "payback_constant_rate.yaml"
SMALL_CONTRACT = ROOT / "tests" / "contracts" / "small_contract.yaml"
DRAWS = 2000


@cache
def appraisal_doc(path: Path) -> dict[str, Any]:
    return appraise_file(path).to_dict()


@cache
def simulation_doc(path: Path) -> dict[str, Any]:
    from wellspent.appraisal import compile_appraisal

    spec, inputs = load_appraisal_uncertain(path)
    return simulation_report(compile_appraisal(spec), inputs, DRAWS, seed=7)


def payback_case(amount: float = 600) -> dict[str, Any]:
    """The hand-worked payback case (tests/cases), optionally with another annual saving."""
    case = yaml.safe_load(PAYBACK_CASE.read_text(encoding="utf-8"))
    spec = copy.deepcopy(case["spec"])
    spec["outcomes"][0]["value"]["amount"] = amount
    return appraise(validate_appraisal(StrictDocument(spec, str(PAYBACK_CASE)))).to_dict()


# A portfolio document in the shape of `wellspent portfolio value --json` (only the fields the chart reads).
PORTFOLIO: dict[str, Any] = {
    "country": "GB", "price_year": "2024",
    "total": {"label": "Total", "contracts": 4, "payments": 3_000_000.0, "coverage": 0.5,
              "bcr_before_deadweight": 1.2, "bcr_after_deadweight": 0.9},
    "by_group": {
        "Homelessness": {"label": "Homelessness", "contracts": 3, "payments": 2_000_000.0, "coverage": 0.48,
                         "bcr_before_deadweight": 2.0, "bcr_after_deadweight": 1.5},
        "Health": {"label": "Health", "contracts": 1, "payments": 1_000_000.0, "coverage": 0.25,
                   "bcr_before_deadweight": 0.4, "bcr_after_deadweight": 0.28},
    },
}


def all_titles(spec: dict[str, Any]) -> str:
    title = spec["title"]
    return " ".join([title["text"], *title.get("subtitle", [])]) if isinstance(title, dict) else str(title)


_COLOUR = re.compile(r'(?:fill|stroke)="([^"]+)"|(?:fill|stroke):\s*([^;"]+)')


def colours(svg: str) -> set[str]:
    found = {(a or b).strip().upper() for a, b in _COLOUR.findall(svg)}
    return found - {"NONE", "TRANSPARENT"}


def check_svg(svg: str) -> None:
    assert svg.startswith("<svg"), "no XML prolog: the SVG is inlined in HTML"
    assert not re.search(r'(?:href|src)="(?!#)', svg), "no external resources"
    assert "http" not in re.sub(r'xmlns(?::\w+)?="[^"]+"', "", svg), "no URL besides the SVG namespaces"
    assert colours(svg) <= ALLOWED_COLOURS, colours(svg) - ALLOWED_COLOURS


# ---------------------------------------------------------------- every example renders

@pytest.mark.parametrize("path", APPRAISALS, ids=[p.stem for p in APPRAISALS])
def test_appraisal_figures_render_for_every_example(path: Path) -> None:
    appraisal = appraisal_doc(path)
    made = figures.appraisal_figures(appraisal, simulation_doc(path))
    assert [f.key for f in made] == ["cumulative-costs-benefits", "who-pays-who-benefits", "npsv-distribution",
                                     "tornado"]
    for fig in made:
        check_svg(fig.svg)
        assert f"£, {appraisal['price_year']} prices" in fig.title, fig.title
        assert fig.title in all_titles(fig.vega_lite)
        assert "$schema" not in fig.vega_lite
        assert fig.description and "£" in fig.description
        assert len(str(fig.vega_lite)) < 40_000, "chart data are aggregates, not draws"


@pytest.mark.parametrize("path", CONTRACTS, ids=[p.stem for p in CONTRACTS])
def test_contract_figures_render_for_every_example(path: Path) -> None:
    contract = run_contract_file(path).to_dict(scenarios=True)
    made = figures.contract_figures(contract)
    assert [f.key for f in made] == ["contract-cash-flows", "investor-capital"]
    for fig in made:
        check_svg(fig.svg)
        assert "£ cash, as contracted" in fig.title, fig.title


def test_portfolio_figure_renders() -> None:
    (fig,) = figures.portfolio_figures(PORTFOLIO)
    check_svg(fig.svg)
    assert "£ per £, 2024 prices" in fig.title
    # Hand: Homelessness 1.50 after, 2.00 before deadweight; Health 0.28 / 0.40; one contract → singular.
    assert "Homelessness: 3 contracts, BCR 1.50 after deadweight (2.00 before), 48% of payments valued." \
        in fig.description
    assert "Health: 1 contract, BCR 0.28 after deadweight (0.40 before), 25% of payments valued." in fig.description
    assert "Total: 4 contracts, BCR 0.90" in fig.description


def test_svgs_use_palette_colours_for_data() -> None:
    svg = figures.appraisal_figures(payback_case())[0].svg
    data_colours = colours(svg) - {"#FFFFFF", "#DDDDDD", "#595959", "#000000"}
    assert data_colours and data_colours <= {c.upper() for c in OKABE_ITO.values()}


# ---------------------------------------------------------------- the numbers

def test_cumulative_rows_and_payback_marker_hand_case() -> None:
    # tests/cases/payback_constant_rate.yaml, by hand: cost 1,000 in year 0; saving 600 a year in years 0–2 at
    # 20%: DF 1, 1/1.2, 1/1.44, 1/1.728. Cumulative savings 600, 1,100, 1,516.67, 1,516.67 against 1,000:
    # payback in year 1 = 2027 (start 2026).
    appraisal = payback_case()
    rows = charts.cumulative_rows(appraisal)
    assert [r["costs"] for r in rows] == pytest.approx([1000, 1000, 1000, 1000])
    assert [r["fiscal"] for r in rows] == pytest.approx([600, 1100, 1100 + 600 / 1.44, 1100 + 600 / 1.44])
    assert [r["public"] for r in rows] == pytest.approx([r["fiscal"] for r in rows])
    spec = charts.cumulative_costs_benefits(appraisal).to_dict()
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 1
    marker = rules[0]["data"]["values"]
    assert marker[0]["calendar_year"] == 2027 and marker[0]["value"] == pytest.approx(1100)
    assert "year 1 (2027)" in all_titles(spec)
    description = figures.describe_cumulative(appraisal)
    assert "Costs are repaid in year 1 (2027)" in description
    assert "fiscal benefits are £1,100 against costs of £1,000" in description
    assert "discounted public value £1,517" in description  # 600 + 500 + 416.67


def test_no_payback_no_marker() -> None:
    # Saving 100 a year: 100 + 83.33 + 69.44 = 252.78 < 1,000, so no payback within the 4 years.
    appraisal = payback_case(100)
    assert appraisal["payback_year"] is None
    spec = charts.cumulative_costs_benefits(appraisal).to_dict()
    assert not [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert "do not repay costs within the 4-year horizon" in all_titles(spec)
    assert "reach £253 against costs of £1,000" in figures.describe_cumulative(appraisal)


def test_who_pays_description_hand_case() -> None:
    # Local authority: cost 1,000; fiscal benefit 1,516.67, all cashable; net 516.67.
    text = figures.describe_who_pays(payback_case())
    assert "bears costs of £1,000 and receives fiscal benefits of £1,517 (£1,517 cashable): net £517." in text


def test_npsv_histogram_hand_example() -> None:
    # 0…10 in 5 equal bins: edges 0, 2, 4, 6, 8, 10; [0,2) {0,1}, [2,4) {2,3}, [4,6), [6,8), [8,10] {8,9,10}.
    result = npsv_histogram(np.arange(11.0), bins=5)
    assert result == {"bins": [0.0, 2.0, 4.0, 6.0, 8.0, 10.0], "counts": [2, 2, 2, 2, 3]}
    assert npsv_histogram(np.array([np.nan, 1.0, np.inf]), bins=2)["counts"] == [0, 1]
    assert npsv_histogram(np.array([np.nan]), bins=2) == {"bins": [], "counts": []}


def test_histogram_in_report_counts_every_draw() -> None:
    simulation = simulation_doc(APPRAISALS[-1])
    histogram = simulation["npsv_histogram"]
    assert sum(histogram["counts"]) == DRAWS
    assert len(histogram["bins"]) == 41
    assert histogram["bins"][0] <= simulation["results"]["npsv"]["p5"] <= simulation["results"]["npsv"]["p95"] \
        <= histogram["bins"][-1]
    assert simulation["price_year"] == appraisal_doc(APPRAISALS[-1])["price_year"]


def test_npsv_and_tornado_descriptions_state_the_report_figures() -> None:
    simulation: dict[str, Any] = {
        "kind": "appraisal", "price_year": 2024, "draws": 1000, "probability_bcr_above_1": 0.8125,
        "deterministic": {"npsv": 50_000.0},
        "results": {"npsv": {"p5": -20_000.0, "p50": 40_000.0, "p95": 90_000.4}},
        "npsv_histogram": {"bins": [-30_000.0, 0.0, 30_000.0, 100_000.0], "counts": [100, 400, 500]},
        "tornado": [
            {"input": "a", "low_value": 0.1, "high_value": 0.3, "npsv_at_low": 10_000.0, "npsv_at_high": 70_000.0,
             "swing": 60_000.0},
            {"input": "b", "low_value": 5.0, "high_value": 9.0, "npsv_at_low": 60_000.0, "npsv_at_high": 30_000.0,
             "swing": 30_000.0},
        ],
    }
    npsv_fig, tornado_fig = figures.simulation_figures(simulation)
    assert "P(BCR > 1) = 81.2%" in all_titles(npsv_fig.vega_lite)
    assert "probability that the benefit-cost ratio exceeds 1 is 81.2%" in npsv_fig.description
    assert "Median NPSV £40,000; 90% of draws lie between −£20,000 and £90,000" in npsv_fig.description
    assert "a moves NPSV from £10,000 (at 0.1) to £70,000 (at 0.3); b moves NPSV from £60,000" \
        in tornado_fig.description
    # a contract simulation without uncertain inputs has no tornado, so no figure
    assert figures.simulation_figures({**simulation, "kind": "contract", "tornado": []}) == []
    without_year = {k: v for k, v in simulation.items() if k != "price_year"}
    assert "£, 2019 prices" in figures.simulation_figures(without_year, {"price_year": 2019})[0].title


def test_contract_descriptions_hand_case() -> None:
    # tests/contracts/small_contract.yaml, worked in tests/contracts/test_contract_cases.py: payments 20,000
    # (commissioner 75% = 15,000, fund 5,000); costs 3 × 5,000; capital 5,000, 5,000, 0, 0 → peak in period 0
    # (ends 31 Mar 2020), repaid by period 2 (ends 30 Sep 2020).
    contract = run_contract_file(SMALL_CONTRACT).to_dict()
    cash, capital = figures.contract_figures(contract)
    assert "outcome payments total £20,000 (£ cash): Commissioner £15,000; Outcomes fund £5,000" in cash.description
    assert "Provider delivery costs total £15,000" in cash.description
    assert capital.description.startswith("Investors' capital outstanding peaks at £5,000 (£ cash) in the period "
                                          "ending Mar 2020 (period 0), against a commitment of £20,000")
    assert "all repaid by the end of the period ending Sep 2020 (period 2)" in capital.description


# ---------------------------------------------------------------- rendering and embedding

def test_ids_are_prefixed_with_their_references() -> None:
    svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"/><use href="#clip1"/></svg>'
    out = figures._unique_ids(svg, "fig")
    assert out == ('<svg><clipPath id="fig-clip1"><rect/></clipPath><g clip-path="url(#fig-clip1)"/>'
                   '<use href="#fig-clip1"/></svg>')


def test_bad_document_names_the_missing_field() -> None:
    with pytest.raises(InputError, match="price_year"):
        charts.cumulative_costs_benefits({"years": []})
    with pytest.raises(InputError, match="npsv_histogram"):
        charts.npsv_distribution({"price_year": 2024, "draws": 10})


def test_interactive_embed_is_offline_and_safe() -> None:
    fig = figures.contract_figures(run_contract_file(SMALL_CONTRACT).to_dict())[0]
    snippet = figures.interactive_embed(fig, "chart-1")
    assert snippet.startswith('<script>vegaEmbed("#chart-1", ') and snippet.endswith("</script>")
    assert snippet.count("<") == 2, "the spec cannot close the script element"
    assert "http" not in snippet
    with pytest.raises(ValueError):
        figures.interactive_embed(fig, '"><script>')
    bundle = figures.interactive_script()
    assert "vegaEmbed" in bundle and "</script" not in bundle


def test_contract_simulation_tornado_figure_hand_case() -> None:
    # The small contract with outcome A's achievement uniform(0.3, 0.7): by hand (tests/uncertainty/
    # test_simulation.py) the money multiple at a = 0.34 is (30,000 × 0.34 − 5,000) / (10,000 − 3,400) = 52/66.
    from wellspent.contracts.inputs import compile_contract
    from wellspent.specs.contract_loader import validate_contract_uncertain

    data = yaml.safe_load((Path(__file__).parents[1] / "contracts" / "small_contract.yaml").read_text())
    data["rate_card"][0]["achievement"] = {"dist": "uniform", "low": 0.3, "high": 0.7}
    spec, inputs = validate_contract_uncertain(StrictDocument(data, "contract.yaml"))
    report = simulation_report(compile_contract(spec), inputs, 500, 3)
    [figure] = figures.simulation_figures(report)
    assert figure.key == "contract-tornado"
    check_svg(figure.svg)
    assert "£ cash, as contracted" in all_titles(figure.vega_lite)
    assert f"from {52 / 66:.2f} (at 0.34)" in figure.description
    assert f"at central values {report['deterministic']['money_multiple']:.2f}" in figure.description
