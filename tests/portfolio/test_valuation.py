"""Portfolio valuation: arithmetic hand-worked on a three-contract fixture (no database), the shipped tables, the
command line, and one integration run on the real INDIGO export (SQLite)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from wellspent.portfolio.valuation import (
    ContractInput,
    MetricInput,
    MetricRule,
    RuleValue,
    UnitValue,
    value_contract,
    value_portfolio,
)

# Unit values, already in the price year (the deflator is applied before valuation, in config.unit_values):
#   job-fiscal  £1,000 per year, fiscal, 80% transfer    job-economic  £2,000 per year, economic
#   housed      £10,000 per year, fiscal, no transfer    wellbeing     £5,000 per WELLBY, social
UNITS = {
    "job-fiscal": UnitValue("job-fiscal", "fiscal", 1000.0, 0.8),
    "job-economic": UnitValue("job-economic", "economic", 2000.0),
    "housed": UnitValue("housed", "fiscal", 10000.0),
    "wellbeing": UnitValue("wellbeing", "social", 5000.0),
}
# Rules (first match wins):
#   housed-12m  one year of `housed`                 → £10,000 fiscal per achievement, public £10,000
#   job         half a year of job-fiscal and -economic → fiscal £500 (of which transfers £400) + economic £1,000;
#               public = 500 − 400 + 1,000 = £1,100 per achievement
#   wellbeing   0.1 WELLBY                            → £500 social per achievement
#   engaged     deliberately not valued (no values)
RULES = [
    MetricRule("housed-12m", r"housed 12 months", (RuleValue("housed", 1.0),), "a year housed"),
    MetricRule("job", r"enters job", (RuleValue("job-fiscal", 0.5), RuleValue("job-economic", 0.5)), "entry"),
    MetricRule("wellbeing", r"wellbeing", (RuleValue("wellbeing", 0.1),), "0.1 WELLBY"),
    MetricRule("engaged", r"engaged", (), "process milestone"),
]
DEADWEIGHT = {"Homelessness": 0.25, "Employment": 0.40}
DEFAULT_DEADWEIGHT = 0.5

# Contract A, Homelessness (deadweight 25%): counts reported, payments untagged (£60,000), no prices.
#   a1 housed 12 months: 10 reported; a2 engaged: 40 reported (not valued).
#   Untagged payments spread by count (no prices): a1 10/50 × 60,000 = £12,000; a2 40/50 × 60,000 = £48,000.
#   Value a1: 10 × £10,000 = £100,000 fiscal = public; after deadweight × 0.75 = £75,000.
#   Covered: £12,000 of £60,000.
A = ContractInput("A", "Housing SIB", "Homelessness", (
    MetricInput("a1", "Person housed 12 months", achieved=10),
    MetricInput("a2", "Person engaged", achieved=40),
), untagged_paid=60_000.0)
# Contract B, Employment (deadweight 40%): payments tagged per metric.
#   b1 enters job: no count reported; £6,000 paid at £1,500 each → inferred 6,000 / 1,500 = 4.
#      Value 4 × (fiscal 500, transfers 400, economic 1,000) = fiscal £2,000, transfers £1,600, economic £4,000,
#      public £4,400.
#   b2 wellbeing: 20 reported (paid £4,000): social 20 × £500 = £10,000.
#   Before: fiscal 2,000, transfers 1,600, economic 4,000, social 10,000, public 14,400.
#   After (× 0.6): fiscal 1,200, transfers 960, economic 2,400, social 6,000, public 8,640.
#   Covered: all £10,000.
B = ContractInput("B", "Jobs SIB", "Employment", (
    MetricInput("b1", "Enters job", achieved=None, paid=6_000.0, price=1_500.0),
    MetricInput("b2", "Wellbeing up", achieved=20, paid=4_000.0, price=200.0),
))
# Contract C, Employment (deadweight 40%): counts reported, payments untagged (£8,000), every metric priced.
#   c1 enters job: 5 at £1,000; c2 attended sessions: 15 at £200 (matches no rule: unvalued).
#   Spread by count × price: c1 5,000 / 8,000, c2 3,000 / 8,000 → c1 £5,000, c2 £3,000.
#   Value c1: 5 × public £1,100 = £5,500 (fiscal 2,500, transfers 2,000, economic 5,000); after × 0.6 = £3,300.
#   Covered: £5,000 of £8,000.
C = ContractInput("C", "Jobs SIB 2", "Employment", (
    MetricInput("c1", "Enters job", achieved=5, price=1_000.0),
    MetricInput("c2", "Attended sessions", achieved=15, price=200.0),
), untagged_paid=8_000.0)


def test_contract_a_counts_reported_payments_spread_by_count() -> None:
    result = value_contract(A, RULES, UNITS, 0.25)
    assert result.allocation == "count-weighted"
    a1, a2 = result.metrics
    assert (a1.paid, a2.paid) == pytest.approx((12_000.0, 48_000.0))
    assert a1.achieved == 10 and not a1.inferred and a1.valued
    assert a2.rule == "engaged" and not a2.valued
    assert result.before.public == pytest.approx(100_000.0)
    assert result.after.public == pytest.approx(75_000.0)
    assert (result.paid, result.covered) == pytest.approx((60_000.0, 12_000.0))


def test_contract_b_counts_inferred_from_payments_and_transfers_left_out() -> None:
    result = value_contract(B, RULES, UNITS, 0.40)
    b1, b2 = result.metrics
    assert b1.inferred and b1.achieved == pytest.approx(4.0)
    assert not b2.inferred and b2.achieved == 20
    assert result.allocation == "tagged"
    assert result.before.to_dict() == pytest.approx(
        {"fiscal": 2_000.0, "fiscal_transfers": 1_600.0, "economic": 4_000.0, "social": 10_000.0,
         "public": 14_400.0})
    assert result.after.to_dict() == pytest.approx(
        {"fiscal": 1_200.0, "fiscal_transfers": 960.0, "economic": 2_400.0, "social": 6_000.0, "public": 8_640.0})
    assert result.covered == pytest.approx(10_000.0)


def test_contract_c_unvalued_metric_reduces_coverage() -> None:
    result = value_contract(C, RULES, UNITS, 0.40)
    assert result.allocation == "price-weighted"
    c1, c2 = result.metrics
    assert (c1.paid, c2.paid) == pytest.approx((5_000.0, 3_000.0))
    assert c2.rule is None and not c2.valued
    assert result.before.public == pytest.approx(5_500.0)
    assert result.after.public == pytest.approx(3_300.0)
    assert result.covered == pytest.approx(5_000.0)


def test_portfolio_totals_by_sector() -> None:
    portfolio = value_portfolio([A, B, C], RULES, UNITS, DEADWEIGHT, DEFAULT_DEADWEIGHT)
    homes, jobs = portfolio.by_group["Homelessness"], portfolio.by_group["Employment"]
    # Homelessness: 1 contract, £60,000 paid, £12,000 covered (20%); public £100,000 → £75,000;
    # BCR 100,000 / 60,000 = 1.667 before, 75,000 / 60,000 = 1.25 after.
    assert (homes.contracts, homes.payments, homes.covered) == (1, 60_000.0, pytest.approx(12_000.0))
    assert homes.coverage == pytest.approx(0.2)
    assert (homes.bcr_before, homes.bcr_after) == pytest.approx((100_000 / 60_000, 1.25))
    # Employment: B + C, £18,000 paid, £15,000 covered (83.3%); public 14,400 + 5,500 = £19,900 before,
    # 8,640 + 3,300 = £11,940 after; BCR 19,900 / 18,000 = 1.106 and 11,940 / 18,000 = 0.663.
    assert (jobs.contracts, jobs.payments) == (2, 18_000.0)
    assert jobs.coverage == pytest.approx(15_000 / 18_000)
    assert (jobs.before.public, jobs.after.public) == pytest.approx((19_900.0, 11_940.0))
    assert (jobs.bcr_before, jobs.bcr_after) == pytest.approx((19_900 / 18_000, 11_940 / 18_000))
    # Total: 3 contracts, £78,000 paid, £27,000 covered (34.6%); fiscal 100,000 + 2,000 + 2,500 = £104,500 of
    # which transfers 1,600 + 2,000 = £3,600; economic 4,000 + 5,000 = £9,000; social £10,000;
    # public 104,500 − 3,600 + 9,000 + 10,000 = £119,900 → after £86,940; BCR 1.537 before, 1.115 after.
    total = portfolio.total
    assert (total.contracts, total.payments, total.covered) == (3, 78_000.0, pytest.approx(27_000.0))
    assert total.before.to_dict() == pytest.approx(
        {"fiscal": 104_500.0, "fiscal_transfers": 3_600.0, "economic": 9_000.0, "social": 10_000.0,
         "public": 119_900.0})
    assert total.after.public == pytest.approx(86_940.0)
    assert (total.bcr_before, total.bcr_after) == pytest.approx((119_900 / 78_000, 86_940 / 78_000))
    # Metrics: valued on reported counts a1, b2, c1; on an inferred count b1; not valued a2, c2.
    assert (total.metrics_reported, total.metrics_inferred, total.metrics_unvalued) == (3, 1, 2)


def test_unknown_sector_takes_the_default_deadweight() -> None:
    other = ContractInput("D", "Other", "Health", (MetricInput("d1", "Wellbeing", achieved=2),))
    result = value_portfolio([other], RULES, UNITS, DEADWEIGHT, DEFAULT_DEADWEIGHT).contracts[0]
    assert result.deadweight == 0.5
    assert result.after.public == pytest.approx(2 * 500 * 0.5)
    assert value_portfolio([other], RULES, UNITS, DEADWEIGHT, 0.5).total.bcr_before is None  # no payments


def test_untagged_payments_without_any_reported_count_stay_unattributed() -> None:
    lone = ContractInput("E", "No results", "Employment", (MetricInput("e1", "Enters job"),), untagged_paid=900.0)
    result = value_contract(lone, RULES, UNITS, 0.4)
    assert (result.allocation, result.unattributed, result.covered) == ("none", 900.0, 0.0)
    assert not result.metrics[0].valued


def test_shipped_tables_load_and_name_library_unit_costs() -> None:
    from wellspent.portfolio.config import load_deadweight, load_rules, unit_values

    rules = load_rules()
    values = unit_values(rules, 2024)  # raises for an id the library does not have
    assert {term.unit_cost for rule in rules for term in rule.values} == set(values)
    assert all(rule.why for rule in rules)
    table = load_deadweight()
    assert set(table.sectors) >= {"Homelessness", "Employment and training", "Child and family welfare"}
    assert all(0 <= share <= 1 for share in table.sectors.values())


@pytest.mark.parametrize(("definition", "rule"), [
    ("Metric 18: 12 months Accommodation Sustainment", "accommodation-sustained-12m"),
    ("Metric 16: 3 months Accommodation Sustainment", "accommodation-sustained-3m"),
    ("Metric 14: Entry into Full-time Employment", "employment-entry"),
    ("Metric 16: 26 weeks full-time Employment", "employment-sustained-26w"),
    ("Obtains level 2 qualification", "qualification-level-2"),
    ("Obtains level 1 qualification", "qualification-other"),
    ("Metric 1: Initial wellbeing assessment", "engagement-or-assessment"),
    ("Metric 3: The programme averts escalation of children and young people from Child Protection Plan (CPP) to "
     "Looked After Child (LAC) (six months after engagement)", "care-entry-averted"),
    ("Metric 5: Reduction in re-offending of young people", "reoffending-reduced"),
])
def test_shipped_mapping_matches_indigo_definitions(definition: str, rule: str) -> None:
    from wellspent.portfolio.config import load_rules
    from wellspent.portfolio.valuation import match_rule

    matched = match_rule(definition, load_rules())
    assert matched is not None and matched.id == rule


def test_deadweight_override_file(tmp_path: Path) -> None:
    from wellspent.errors import InputError
    from wellspent.portfolio.config import load_deadweight

    path = tmp_path / "dw.yaml"
    path.write_text("default: 0.1\nsectors:\n  Homelessness: {deadweight: 0.5, source: assumption}\n",
                    encoding="utf-8")
    table = load_deadweight(path)
    assert (table.default, table.sectors) == (0.1, {"Homelessness": 0.5})
    path.write_text("default: 1.5\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_deadweight(path)


def test_cli_empty_store_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from wellspent.cli.main import main

    monkeypatch.setenv("WELLSPENT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["portfolio", "value"]) == 2
    assert "wellspent registry import-indigo DIR" in capsys.readouterr().err


def test_indigo_gb_portfolio_on_sqlite(indigo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The real export: GB actual payments equal SOURCE.md (£122,852,596 across 31 projects)."""
    import json

    from wellspent.cli.main import main
    from wellspent.registry.indigo_import import import_indigo
    from wellspent.store.engine import get_engine

    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = get_engine(url)
    try:
        import_indigo(indigo_dir, engine)
    finally:
        engine.dispose()
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", url)
    assert main(["portfolio", "value", "--country", "GB", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    total = document["total"]
    assert total["contracts"] == 31
    assert total["payments"] == pytest.approx(122_852_596.0)
    assert 0 < total["coverage"] <= 1
    assert math.isfinite(total["bcr_before_deadweight"]) and math.isfinite(total["bcr_after_deadweight"])
    assert total["bcr_after_deadweight"] < total["bcr_before_deadweight"]
    assert sum(group["payments"] for group in document["by_group"].values()) == pytest.approx(122_852_596.0)
    assert len(document["contracts"]) == 31
    assert main(["portfolio", "value"]) == 0  # the terminal view renders
