"""HTML reports: every example renders to one valid, accessible, offline page; the business case is in Five Case
Model order; headline figures, the working and unverified values are shown.

Expected figures are formatted here with plain f-strings (not the report's own formatters), from the engine's
numbers or from the spec by hand, so a formatting or layout bug in the report fails these tests.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, SHARED
from wellspent.appraisal import AppraisalResult, appraise_file
from wellspent.contracts import ContractResult, run_contract_file
from wellspent.reports.html import (
    CASES,
    appraisal_html,
    contract_html,
    paragraphs,
    portfolio_html,
    simulation_html,
)
from wellspent.specs.appraisal import BusinessCase, CommercialCase, ManagementCase, Risk, StrategicCase
from wellspent.specs.loader import linked_contract_path

APPRAISALS = sorted(EXAMPLES.glob("*.yaml"))
CONTRACTS = sorted((EXAMPLES / "contracts").glob("*.yaml"))
TRUSTED = EXAMPLES / "trusted-relationships.yaml"
TRUSTED_CONTRACT = EXAMPLES / "contracts" / "trusted-relationships-outcomes.yaml"
INDIGO = SHARED / "data" / "indigo"


# ------------------------------------------------------------------------------------------------ page checker


class Page(HTMLParser):
    """What the accessibility and offline checks need from a page, collected with the stdlib parser."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (attribute, value) of every href / src
        self.tables: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts_with_src = 0
        self.stylesheet_links = 0
        self.text_parts: list[str] = []
        self._heading: tuple[int, list[str]] | None = None
        self._in_style = False
        self.feed(text)
        self.close()
        self.text = " ".join(" ".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        for name in ("href", "xlink:href", "src"):
            if a.get(name) is not None:
                self.links.append((name, str(a[name])))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        elif tag == "table":
            self.tables.append({"th": [], "caption": False})
        elif tag == "th" and self.tables:
            self.tables[-1]["th"].append(a.get("scope"))
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        elif tag == "figure":
            self.figures.append({"attrs": a, "figcaption": False, "img_labels": []})
        elif tag == "figcaption" and self.figures:
            self.figures[-1]["figcaption"] = True
        elif a.get("role") == "img" and self.figures:
            self.figures[-1]["img_labels"].append(a.get("aria-label"))
        elif tag == "img":
            self.images.append(a)
        elif tag == "script" and a.get("src") is not None:
            self.scripts_with_src += 1
        elif tag == "link" and "stylesheet" in (a.get("rel") or "").lower():
            self.stylesheet_links += 1
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        if self._heading is not None:
            self._heading[1].append(data)
        self.text_parts.append(data)


def check_page(html: str) -> Page:
    """Fail on anything that breaks accessibility or the offline promise; return the parsed page."""
    page = Page(html)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en-GB">' in html
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1, "exactly one h1, first"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert all(text for _, text in page.headings), "empty heading"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids {duplicates}"
    for attribute, value in page.links:
        assert not re.match(r"(?i)\s*(https?:)?//", value), f"external {attribute}={value!r}"
        if value.startswith("#"):
            assert value[1:] in page.ids, f"broken internal link {value}"
    assert page.scripts_with_src == 0 and "<script src=" not in html.lower()
    assert page.stylesheet_links == 0
    assert page.tables, "a report without tables"
    for table in page.tables:
        assert table["th"], "a table without header cells"
        assert all(scope in ("col", "row") for scope in table["th"]), "a <th> without scope"
        assert table["caption"], "a table without a caption"
    for image in page.images:
        assert image.get("alt"), "an <img> without alt text"
    for figure in page.figures:
        assert figure["figcaption"] or figure["attrs"].get("aria-label"), "a figure without a caption"
        assert figure["img_labels"] and all(figure["img_labels"]), "a chart without role=img and aria-label"
    return page


def pounds(value: float) -> str:
    """£ as a reader expects it, written independently of the report's formatter (minus sign U+2212)."""
    whole = round(value)
    return f"−£{-whole:,}" if whole < 0 else f"£{whole:,}"


# ------------------------------------------------------------------------------------------------ fixtures


@cache
def appraisal(path: Path) -> AppraisalResult:
    return appraise_file(path)


@cache
def contract(path: Path) -> ContractResult:
    return run_contract_file(path)


@cache
def appraisal_page(path: Path) -> str:
    result = appraisal(path)
    link = linked_contract_path(path, result.model.spec)
    return appraisal_html(result, contract=contract(link) if link is not None else None, generated="2026-11-26")


@cache
def small_simulation(path: Path = TRUSTED) -> dict[str, Any]:
    from wellspent.appraisal.inputs import compile_appraisal
    from wellspent.specs.loader import load_appraisal_uncertain
    from wellspent.uncertainty.report import simulation_report

    spec, inputs = load_appraisal_uncertain(path)
    return simulation_report(compile_appraisal(spec), inputs, 500, 7)


def with_business_case(result: AppraisalResult, business_case: BusinessCase | None) -> AppraisalResult:
    spec = result.model.spec.model_copy(update={"business_case": business_case})
    return AppraisalResult(dataclasses.replace(result.model, spec=spec), result.arrays)


# ------------------------------------------------------------------------------------------------ appraisals


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_every_example_appraisal_renders_a_valid_business_case(path: Path) -> None:
    html = appraisal_page(path)
    page = check_page(html)
    result = appraisal(path)
    h2 = [text for level, text in page.headings if level == 2]
    cases = [text for text in h2 if any(text.endswith(case) for case in CASES)]
    assert cases == [f"{i}. {case}" for i, case in enumerate(CASES, start=1)]
    assert h2.index("Executive summary") < h2.index("1. Strategic case")
    assert h2[-1] == "Appendix: show the working"
    assert page.headings[0] == (1, f"Business case: {result.name}")
    summary = page.text[page.text.index("Executive summary"):page.text.index("1. Strategic case")]
    assert f"net present social value of {pounds(result.npsv)}" in summary
    assert result.bcr is not None and f"benefit-cost ratio of {result.bcr:.2f}" in summary
    assert result.fiscal_bcr is not None and f"fiscal BCR of {result.fiscal_bcr:.2f}" in summary
    assert f"{result.model.spec.price_year} prices" in summary
    assert "does not make a recommendation" in summary
    # the working: one table per outcome, with the outcome's name, and every warning
    for outcome in result.model.outcome_names:
        assert outcome in page.text
    for warning in result.model.warnings:
        assert warning in page.text
    assert "Generated on 2026-11-26" in page.text


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_unverified_values_are_flagged_and_counted(path: Path) -> None:
    result = appraisal(path)
    page = Page(appraisal_page(path))
    unverified = [name for name, source in zip(result.model.outcome_names, result.model.outcome_sources,
                                               strict=True) if not source.verified]
    if unverified:
        assert f"{len(unverified)} of the {len(result.model.outcome_names)} unit values used are not verified" \
            in page.text
    working = page.text[page.text.index("Appendix: show the working"):]
    for i, name in enumerate(result.model.outcome_names, start=1):
        caption = re.search(rf"{i}\. {re.escape(name)}( ⚠ Unverified)? Input Value", working)
        assert caption is not None, name
        assert (caption.group(1) is not None) == (name in unverified), name


def test_working_shows_the_adjustments_by_hand() -> None:
    """trusted-relationships.yaml, outcome 1 (residential care): deadweight 0.4, attribution 0.6, displacement 0
    → net factor (1 − 0.4) × 0.6 × (1 − 0) = 0.36; success rate 0.02; lag 1, duration 2; drop-off 25%.
    Cohort 0: 60 referrals × engagement 0.75 = 45 engaged. NEET (public finances) is 100% transfer payment, so all
    of its PV benefit is shown as transfer payments."""
    page = Page(appraisal_page(TRUSTED))
    working = page.text[page.text.index("Appendix: show the working"):]
    first = working[working.index("1. Entry into residential care avoided"):working.index("2. Entry into foster")]
    assert "× (1 − displacement) 0.3600" in first
    assert "Success rate 2% of engaged people" in first
    assert "starts 1 year after the cohort year, lasts 2 years" in first
    assert "Drop-off 25% a year after the first" in first
    assert "Deadweight 40% Attribution 60% Displacement 0%" in first
    assert "looked-after-child-residential-year" in first
    assert "0 (2025) 60 45" in working  # cohort table: year, referrals, engaged
    neet = next(o for o in appraisal(TRUSTED).outcomes() if o["name"] == "NEET at 16-18 avoided (public finances)")
    assert f"(of which {pounds(neet['pv_benefit'])} transfer payments, not public value)" in working


def test_trusted_relationships_commercial_case_shows_the_linked_contract() -> None:
    page = Page(appraisal_page(TRUSTED))
    commercial = page.text[page.text.index("3. Commercial case"):page.text.index("4. Financial case")]
    linked = contract(TRUSTED_CONTRACT)
    assert "Linked outcomes contract: Trusted relationships outcomes contract (illustrative)" in commercial
    assert pounds(linked.outcome_payments_total) in commercial
    # the rate card's first price (£500 for engagement) and the payers' shares (75% / 25%) come from the spec
    assert "£500" in commercial and "75%" in commercial and "25%" in commercial
    assert "Procurement and payment" in commercial  # business_case.commercial.notes


def test_narrative_is_escaped_and_split_into_paragraphs() -> None:
    business_case = BusinessCase(
        strategic=StrategicCase(problem="First <b>para</b>\nsame para.\n\nSecond & last.",
                                objectives=["Halve <script>alert(1)</script> entries"],
                                theory_of_change=["inputs → staff", "activities → visits"]),
        commercial=CommercialCase(notes="Fee for service, then payment by results."),
        management=ManagementCase(governance="Programme board; SRO: director of children's services.",
                                  monitoring=["referrals — monthly"], evaluation="Matched comparison.",
                                  risks=[Risk(risk="Low referrals", mitigation="Outreach", owner="Service lead")]),
    )
    html = appraisal_html(with_business_case(appraisal(TRUSTED), business_case))
    page = check_page(html)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>First &lt;b&gt;para&lt;/b&gt; same para.</p>" in html
    assert "<p>Second &amp; last.</p>" in html
    assert "No outcomes contract is linked to this appraisal." in page.text
    assert "Fee for service, then payment by results." in page.text
    assert "Low referrals Outreach Service lead" in page.text  # risk register row
    steps = page.text[page.text.index("Theory of change"):]
    assert steps.index("inputs → staff") < steps.index("activities → visits")


def test_without_business_case_each_case_says_what_is_missing() -> None:
    page = check_page(appraisal_html(with_business_case(appraisal(TRUSTED), None)))
    assert "The spec states no objectives" in page.text
    assert "No outcomes contract is linked to this appraisal, and the spec gives no commercial notes" in page.text
    assert "The spec gives no management case" in page.text
    assert "Generated by wellspent." in page.text  # no date given: none invented


def test_appraisal_with_simulation_shows_probability_and_sensitivity() -> None:
    simulation = small_simulation()
    page = check_page(appraisal_html(appraisal(TRUSTED), simulation=simulation))
    p1 = simulation["probability_bcr_above_1"] * 100
    shown = f"{p1:.1f}".rstrip("0").rstrip(".") + "%"
    summary = page.text[page.text.index("Executive summary"):page.text.index("1. Strategic case")]
    assert f"P(BCR > 1) {shown} 500 Monte Carlo draws" in summary
    economic = page.text[page.text.index("2. Economic case"):page.text.index("3. Commercial case")]
    assert "Sensitivity: tornado" in economic and "Switching values" in economic
    assert simulation["tornado"][0]["input"] in economic
    assert len(page.figures) >= 3  # cumulative, who pays, NPSV distribution (and a tornado)


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.stem)
def test_every_example_simulation_report_renders(path: Path) -> None:
    simulation = small_simulation(path)
    result = appraisal(path)
    page = check_page(simulation_html(simulation, appraisal=result, generated="2026-11-26"))
    assert page.headings[0] == (1, f"Uncertainty analysis: {simulation['name']}")
    assert f"NPSV at central values {pounds(simulation['deterministic']['npsv'])}" in page.text
    assert f"Real £ at {result.model.spec.price_year} prices" in page.text
    assert len(page.figures) == 2  # the NPSV distribution and the tornado


# ------------------------------------------------------------------------------------------------ contracts


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_example_contract_renders(path: Path) -> None:
    result = contract(path)
    page = check_page(contract_html(result, generated="2026-11-26"))
    assert page.headings[0] == (1, f"Outcomes contract: {result.model.spec.name}")
    assert f"Outcome payments {pounds(result.outcome_payments_total)}" in page.text
    periods = result.model.spec.periods
    assert f"Appendix: cash flows by {result.model.spec.period}" in page.text
    assert f"{periods - 1} (" in page.text  # the last period's row
    assert page.figures, "the contract's charts"


def test_contract_years_sum_the_referral_profile() -> None:
    """trusted-relationships-outcomes.yaml: quarterly profile [10, 15, 20, 20, 22 ×7, 21] from April 2025, so
    contract year 1 = 10+15+20+20 = 65, year 2 = 4 × 22 = 88, year 3 = 22+22+22+21 = 87, year 4 = 0."""
    page = Page(contract_html(contract(TRUSTED_CONTRACT)))
    table = page.text[page.text.index("Cash flows by contract year (cash £)"):]
    assert "1 (Apr 2025 – Mar 2026) 65 " in table
    assert "2 (Apr 2026 – Mar 2027) 88 " in table
    assert "3 (Apr 2027 – Mar 2028) 87 " in table
    assert "4 (Apr 2028 – Mar 2029) 0 " in table


# ------------------------------------------------------------------------------------------------ portfolio


def _portfolio_document() -> dict[str, Any]:
    """A two-sector portfolio written by hand: BCRs 0.5 = 50 ÷ 100 and 2.00 = 300 ÷ 150; total 350 ÷ 250 = 1.40."""
    def value(public: float) -> dict[str, float]:
        return {"fiscal": public, "fiscal_transfers": 0.0, "economic": 0.0, "social": 0.0, "public": public}

    def summary(label: str, payments: float, before: float, after: float) -> dict[str, Any]:
        return {"label": label, "contracts": 1, "payments": payments, "payments_covered": payments,
                "coverage": 1.0, "value_before_deadweight": value(before), "value_after_deadweight": value(after),
                "bcr_before_deadweight": before / payments, "bcr_after_deadweight": after / payments,
                "metrics_valued_reported": 1, "metrics_valued_inferred": 0, "metrics_unvalued": 0}

    return {
        "country": "GB", "currency": "GBP", "price_year": "2024", "projects_in_country": 2,
        "projects_without_actual_payments": 0, "payment_rows_in_other_currencies": 0,
        "deadweight": {"table": "test", "sectors": {"Health": 0.5}, "default": 0.25},
        "total": summary("Total", 250.0, 500.0, 350.0),
        "by_group": {"Health": summary("Health", 100.0, 100.0, 50.0),
                     "Homelessness": summary("Homelessness", 150.0, 400.0, 300.0)},
        "leverage": [], "notes": ["A note <with> markup."],
    }


def test_portfolio_report_from_a_hand_made_document() -> None:
    html = portfolio_html(_portfolio_document(), generated="2026-11-26")
    page = check_page(html)
    assert "Health 1 £100 100% £100 £50 1.00 0.50" in page.text
    assert "Homelessness 1 £150 100% £400 £300 2.67 2.00" in page.text
    assert "BCR after deadweight 1.40" in page.text
    assert "A note &lt;with&gt; markup." in html


def test_portfolio_report_from_indigo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    if not (INDIGO / "key-datasets" / "original_projects.csv").is_file():
        pytest.skip(f"INDIGO export not found at {INDIGO}")
    from wellspent.cli.main import main
    from wellspent.registry.indigo_import import import_indigo
    from wellspent.store.engine import get_engine

    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = get_engine(url)
    try:
        import_indigo(INDIGO, engine)
    finally:
        engine.dispose()
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", url)
    assert main(["portfolio", "value", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    page = check_page(portfolio_html(document))
    total = document["total"]
    assert f"Outcome payments {pounds(total['payments'])} {total['contracts']} contracts" in page.text
    assert f"BCR after deadweight {total['bcr_after_deadweight']:.2f}" in page.text
    assert len(document["contracts"]) == page.text.count("INDIGO-POJ-")


# ------------------------------------------------------------------------------------------------ helpers


def test_paragraphs_split_on_blank_lines_only() -> None:
    assert paragraphs("a\nb\n\n\n  c  \n \n") == ["a b", "c"]
    assert paragraphs("") == []


def test_the_page_checker_catches_what_it_should() -> None:
    """The checker itself must fail on broken pages, or the tests above prove nothing."""
    good = ('<!DOCTYPE html><html lang="en-GB"><body><h1>T</h1><table><caption>c</caption>'
            '<tr><th scope="col">x</th></tr></table></body></html>')
    check_page(good)
    broken = [
        good.replace("<h1>T</h1>", "<h1>T</h1><h3>skip</h3>"),
        good.replace("<h1>T</h1>", "<h1>T</h1><h1>two</h1>"),
        good.replace('scope="col"', ""),
        good.replace("<h1>T</h1>", '<h1>T</h1><a href="#nowhere">x</a>'),
        good.replace("<h1>T</h1>", '<h1>T</h1><img src="data:," >'),
        good.replace("<h1>T</h1>", '<h1>T</h1><img alt="x" src="https://example.org/a.png">'),
        good.replace("<h1>T</h1>", '<h1>T</h1><script src="x.js"></script>'),
        good.replace("<h1>T</h1>", '<h1>T</h1><link rel="stylesheet" href="x.css">'),
        good.replace("<h1>T</h1>", "<h1>T</h1><figure><svg></svg></figure>"),
    ]
    for page in broken:
        with pytest.raises(AssertionError):
            check_page(page)


def test_contract_simulation_report_renders() -> None:
    from wellspent.contracts.inputs import compile_contract
    from wellspent.specs.contract_loader import validate_contract_uncertain
    from wellspent.specs.strict_yaml import read_strict_yaml
    from wellspent.uncertainty.report import simulation_report

    spec, inputs = validate_contract_uncertain(read_strict_yaml(TRUSTED_CONTRACT))
    report = simulation_report(compile_contract(spec), inputs, 200, 3)
    page = check_page(simulation_html(report))
    assert f"Outcome payments at central values {pounds(report['deterministic']['outcome_payments_total'])}" \
        in page.text
    assert "Cash £ as contracted, undiscounted" in page.text
    assert "Sensitivity analysis" not in page.text  # the example contract has no uncertain input


def test_contract_simulation_report_shows_the_money_multiple_sensitivity() -> None:
    import yaml

    from wellspent.contracts.inputs import compile_contract
    from wellspent.specs.contract_loader import validate_contract_uncertain
    from wellspent.specs.strict_yaml import StrictDocument
    from wellspent.uncertainty.report import simulation_report

    data = yaml.safe_load((EXAMPLES.parent / "tests" / "contracts" / "small_contract.yaml").read_text())
    data["rate_card"][0]["achievement"] = {"dist": "uniform", "low": 0.3, "high": 0.7}
    spec, inputs = validate_contract_uncertain(StrictDocument(data, "contract.yaml"))
    page = check_page(simulation_html(simulation_report(compile_contract(spec), inputs, 500, 3)))
    sensitivity = page.text[page.text.index("Sensitivity analysis"):]
    # by hand (tests/uncertainty/test_simulation.py): money multiple 52/66 = 0.79 at a = 0.34; switching a = 0.375
    assert "rate_card[0].achievement" in sensitivity and "0.79" in sensitivity and "0.375" in sensitivity
    assert "money multiple = 1" in sensitivity
