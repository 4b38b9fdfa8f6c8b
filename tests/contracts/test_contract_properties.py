"""Contract invariants (hypothesis), XIRR against published and independent values, and a known-truth
simulation of individual participants."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellspent.contracts import breakeven_performance, compile_contract, evaluate, run_contract
from wellspent.contracts.irr import xirr
from wellspent.specs.contract import ContractSpec

prices = st.sampled_from([100.0, 250.0, 500.0, 1000.0, 1500.0, 2500.0])


def pounds(low: float, high: float) -> st.SearchStrategy[float]:
    """Money to the penny (no sub-penny or subnormal amounts)."""
    return st.floats(min_value=low, max_value=high).map(lambda x: round(x, 2))


maybe_cap = st.one_of(st.none(), st.floats(min_value=500, max_value=50_000).map(lambda x: round(x, 2)))


@st.composite
def contracts(draw: st.DrawFn) -> dict[str, Any]:
    periods = draw(st.integers(min_value=2, max_value=12))
    card: list[dict[str, Any]] = []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        outcome: dict[str, Any] = {"id": f"o{i}", "name": f"outcome {i}", "price": draw(prices),
                                   "achievement": draw(st.floats(min_value=0, max_value=1)),
                                   "lag": draw(st.integers(min_value=0, max_value=3))}
        if i > 0 and draw(st.booleans()):
            outcome["after"] = f"o{draw(st.integers(min_value=0, max_value=i - 1))}"
        card.append(outcome)
    fund_share = draw(st.sampled_from([0.0, 0.2, 0.25, 0.5]))
    payers: list[dict[str, Any]] = [{"name": "Commissioner", "agency": "local-authority", "share": 1 - fund_share,
                                     "cap": draw(maybe_cap)}]
    if fund_share:
        payers.append({"name": "Fund", "agency": "hm-treasury", "share": fund_share, "outcomes_fund": True,
                       "cap": draw(maybe_cap)})
    return {
        "wellspent": "contract/1", "name": "generated", "policy_area": "cross-cutting", "start": "2021-04-01",
        "period": draw(st.sampled_from(["month", "quarter"])), "periods": periods,
        "referrals": {"profile": draw(st.lists(st.floats(min_value=0, max_value=50).map(lambda x: round(x, 1)),
                                               min_size=1, max_size=periods))},
        "rate_card": card,
        "caps": {"per_participant": draw(maybe_cap), "per_period": draw(maybe_cap), "contract": draw(maybe_cap)},
        "payers": payers,
        "provider_costs": {"fixed_per_period": draw(pounds(0, 5000)), "per_referral": draw(pounds(0, 300))},
        "investor": {"commitment": draw(pounds(1000, 100_000)),
                     "return_rate": draw(st.floats(min_value=0, max_value=0.2)),
                     "surplus_share": draw(st.floats(min_value=0, max_value=1)),
                     "reserve_periods": draw(st.integers(min_value=0, max_value=3))},
    }


def run(data: dict[str, Any]) -> dict[str, Any]:
    return run_contract(ContractSpec.model_validate(data)).to_dict(scenarios=False)


TOL = 1e-6


@settings(max_examples=80, deadline=None)
@given(contracts())
def test_payments_never_exceed_any_cap_and_shares_add_up(data: dict[str, Any]) -> None:
    r = run(data)
    caps = data["caps"]
    per_period = [row["outcome_payments"] for row in r["periods"]]
    if caps["per_period"] is not None:
        assert max(per_period) <= caps["per_period"] + TOL
    if caps["contract"] is not None:
        assert sum(per_period) <= caps["contract"] + TOL
    for payer, row in zip(data["payers"], r["payments_by_payer"], strict=True):
        if payer["cap"] is not None:
            assert row["outcome_payments"] <= payer["cap"] + TOL
    assert math.isclose(sum(row["outcome_payments"] for row in r["payments_by_payer"]),
                        r["outcome_payments_total"], rel_tol=1e-9, abs_tol=TOL)
    for row in r["periods"]:
        assert math.isclose(sum(row["by_payer"].values()), row["outcome_payments"], rel_tol=1e-9, abs_tol=TOL)
    assert math.isclose(sum(o["payments"] for o in r["outcomes"]), r["outcome_payments_total"],
                        rel_tol=1e-9, abs_tol=TOL)
    assert all(row["capital_outstanding"] <= data["investor"]["commitment"] + TOL for row in r["periods"])


@settings(max_examples=60, deadline=None)
@given(contracts())
def test_uncapped_payer_shares_are_exact(data: dict[str, Any]) -> None:
    for payer in data["payers"]:
        payer["cap"] = None
    r = run(data)
    for payer, row in zip(data["payers"], r["payments_by_payer"], strict=True):
        assert math.isclose(row["outcome_payments"], payer["share"] * r["outcome_payments_total"],
                            rel_tol=1e-9, abs_tol=TOL)


@settings(max_examples=60, deadline=None)
@given(contracts())
def test_zero_achievement_returns_nothing(data: dict[str, Any]) -> None:
    for outcome in data["rate_card"]:
        outcome["achievement"] = 0.0
    r = run(data)
    assert r["outcome_payments_total"] == 0.0
    if r["investor"]["drawn"] > 0:
        assert r["money_multiple"] == 0.0
        assert r["investor_irr"] == -1.0


@settings(max_examples=60, deadline=None)
@given(contracts())
def test_doubling_prices_doubles_payments_up_to_the_caps(data: dict[str, Any]) -> None:
    base = run(data)
    doubled = {**data, "rate_card": [{**o, "price": 2 * o["price"]} for o in data["rate_card"]]}
    twice = run(doubled)
    assert twice["outcome_payments_total"] <= 2 * base["outcome_payments_total"] + TOL
    assert twice["outcome_payments_total"] >= base["outcome_payments_total"] - TOL
    uncapped = {**doubled, "caps": {}, "payers": [{**p, "cap": None} for p in data["payers"]]}
    plain = {**data, "caps": {}, "payers": [{**p, "cap": None} for p in data["payers"]]}
    assert math.isclose(run(uncapped)["outcome_payments_total"], 2 * run(plain)["outcome_payments_total"],
                        rel_tol=1e-9, abs_tol=TOL)


@settings(max_examples=40, deadline=None)
@given(contracts())
def test_breakeven_performance_gives_a_money_multiple_of_one(data: dict[str, Any]) -> None:
    # Break-even is well defined where the money multiple rises continuously with performance: no caps (a cap
    # can make later payments vanish) and no surplus share (investors would share surplus earned before they
    # invested). Capped contracts are covered by the hand-worked cases.
    data = {**data, "caps": {}, "payers": [{**p, "cap": None} for p in data["payers"]],
            "investor": {**data["investor"], "surplus_share": 0.0}}
    model = compile_contract(ContractSpec.model_validate(data))
    m = float(breakeven_performance(model.inputs)[0])
    if math.isnan(m) or m == 0.0:
        return
    multiple = float(evaluate(model.inputs.with_performance(np.array([m]))).money_multiple[0])
    assert multiple == pytest.approx(1.0, abs=1e-6)


# ----------------------------------------------------------------------------------------------------- XIRR


def test_xirr_excel_documented_example() -> None:
    # Microsoft's XIRR help: −10,000 on 1 Jan 2008; 2,750 on 1 Mar 2008; 4,250 on 30 Oct 2008; 3,250 on
    # 15 Feb 2009; 2,750 on 1 Apr 2009 → 0.373362535 (37.34%).
    dates = [date(2008, 1, 1), date(2008, 3, 1), date(2008, 10, 30), date(2009, 2, 15), date(2009, 4, 1)]
    assert xirr(dates, [-10000, 2750, 4250, 3250, 2750]) == pytest.approx(0.373362535, abs=1e-8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=3000).map(lambda x: round(x, 2)), min_size=1, max_size=15))
def test_xirr_equals_numpy_financial_irr_on_365_day_spacing(tail: list[float]) -> None:
    # A conventional flow (one outlay, then receipts) has one IRR; on dates exactly 365 days apart XIRR's
    # (date − date_0) / 365 exponents are whole years, so it must equal the periodic IRR (both solvers stop
    # at their own tolerances, hence 1e-6).
    flows = [-1000.0, *tail]
    if sum(tail) < 100.0:
        return
    dates = [date(2001, 1, 1) + timedelta(days=365 * i) for i in range(len(flows))]
    expected = float(npf.irr(flows))
    assert xirr(dates, flows) == pytest.approx(expected, abs=1e-6)


# ---------------------------------------------------------------------------------------------- known truth


def test_engine_matches_a_simulation_of_participants() -> None:
    """Simulate each participant from known probabilities with a plain loop (including the per-participant cap,
    applied exactly), and compare mean payments with the engine's expectation within sampling error."""
    spec = {
        "wellspent": "contract/1", "name": "simulated", "policy_area": "homelessness", "start": "2022-01-01",
        "period": "quarter", "periods": 20,
        "referrals": {"blocks": [{"per_period": 1000, "first": 0, "last": 3}]},
        "rate_card": [
            {"id": "entry", "name": "Entry", "price": 500, "achievement": 0.6, "lag": 0},
            {"id": "m3", "name": "3 months", "price": 1500, "achievement": 0.7, "lag": 1, "after": "entry"},
            {"id": "m6", "name": "6 months", "price": 1500, "achievement": 0.8, "lag": 1, "after": "m3"},
            {"id": "job", "name": "Job", "price": 2500, "achievement": 0.3, "lag": 2},
            {"id": "job26", "name": "Job 26 weeks", "price": 2000, "achievement": 0.5, "lag": 2, "after": "job"},
        ],
        "caps": {"per_participant": 5000},
        "payers": [{"name": "Commissioner", "agency": "la-housing", "share": 1.0}],
    }
    engine_total = run(spec)["outcome_payments_total"]

    # Simulate 100 runs of the contract: referrals each quarter are Poisson(1,000) (mean 1,000, as in the spec),
    # each participant's outcomes are drawn from the rate card's probabilities, and the cap is applied exactly.
    rng = random.Random(20261126)
    np_rng = np.random.default_rng(20261126)
    run_totals = []
    for _ in range(100):
        total = 0.0
        for _quarter in range(4):
            for _person in range(int(np_rng.poisson(1000))):
                paid = 0.0
                if rng.random() < 0.6:
                    paid += 500
                    if rng.random() < 0.7:
                        paid += 1500
                        if rng.random() < 0.8:
                            paid += 1500
                if rng.random() < 0.3:
                    paid += 2500
                    if rng.random() < 0.5:
                        paid += 2000
                total += min(paid, 5000.0)
        run_totals.append(total)
    mean = sum(run_totals) / len(run_totals)
    sd = (sum((t - mean) ** 2 for t in run_totals) / (len(run_totals) - 1)) ** 0.5
    assert abs(engine_total - mean) < 4 * sd / len(run_totals) ** 0.5
    engine_total /= 4000  # per participant
    # and the cap really binds here: uncapped expectation is higher than the engine's
    uncapped = 0.6 * (500 + 0.7 * (1500 + 0.8 * 1500)) + 0.3 * (2500 + 0.5 * 2000)
    assert engine_total < uncapped - 50
