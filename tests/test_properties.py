"""Property tests (hypothesis): invariants any correct appraisal engine must keep."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wellspent.appraisal import appraise, compile_appraisal, evaluate
from wellspent.appraisal.inputs import PER_DRAW_FIELDS
from wellspent.money import discount_factors
from wellspent.specs import AppraisalSpec

KINDS = ("fiscal", "economic", "social")
AGENCY = {"fiscal": "nhs", "economic": "individuals", "social": "society"}

money = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)
rate = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    horizon = draw(st.integers(min_value=1, max_value=15))
    cohorts = draw(st.lists(st.integers(min_value=0, max_value=horizon - 1), min_size=1, max_size=4, unique=True))
    costs: list[dict[str, Any]] = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        basis = draw(st.sampled_from(["per_year", "per_participant", "once"]))
        cost: dict[str, Any] = {"name": f"cost {i}", "agency": draw(st.sampled_from(["la-housing", "nhs"])),
                                basis: draw(money)}
        if basis == "once":
            cost["year"] = draw(st.integers(min_value=0, max_value=horizon - 1))
        if basis == "per_year" and draw(st.booleans()):
            cost["years"] = sorted(draw(st.sets(st.integers(0, horizon - 1), min_size=1)))
        costs.append(cost)
    outcomes = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(KINDS))
        outcomes.append({
            "name": f"outcome {i}",
            "value": {"amount": draw(money), "price_year": draw(st.integers(1990, 2024)), "per": "year",
                      "kind": kind, "agency": AGENCY[kind], "cashable": draw(st.booleans()),
                      "transfer_share": draw(rate) if kind == "fiscal" else 0.0,
                      "confidence": draw(st.integers(1, 6)), "source": "generated"},
            "quantity": draw(st.floats(min_value=0.1, max_value=52)),
            "success_rate": draw(rate),
            "lag": draw(st.integers(0, 3)),
            "duration": draw(st.integers(1, 10)),
            "drop_off": draw(rate),
            "deadweight": draw(rate),
            "attribution": draw(rate),
            "displacement": draw(rate),
        })
    return {
        "wellspent": "appraisal/1", "name": "generated", "policy_area": "cross-cutting",
        "price_year": 2024, "start_year": 2025, "horizon": horizon,
        "discounting": draw(st.sampled_from(["green-book", "health", 0.05])),
        "optimism_bias": {"costs": draw(st.floats(min_value=0, max_value=1))},
        "engagement_rate": draw(st.floats(min_value=0.01, max_value=1)),
        "cohorts": [{"year": y, "referrals": draw(st.floats(min_value=1, max_value=1000))} for y in cohorts],
        "costs": costs, "outcomes": outcomes,
    }


def run(data: dict[str, Any]) -> dict[str, Any]:
    return appraise(AppraisalSpec.model_validate(data)).to_dict()


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(specs())
def test_doubling_referrals_doubles_people_costs_and_all_benefits(data: dict[str, Any]) -> None:
    base = run(data)
    doubled = {**data, "cohorts": [{**c, "referrals": 2 * c["referrals"]} for c in data["cohorts"]]}
    twice = run(doubled)
    for kind in ("fiscal", "economic", "social", "total"):
        assert close(twice["pv_benefits"][kind], 2 * base["pv_benefits"][kind])
    # costs that scale with people double; fixed costs (per_year, once) do not change
    people_only = {**data, "costs": [c for c in data["costs"] if "per_participant" in c]}
    fixed_only = {**data, "costs": [c for c in data["costs"] if "per_participant" not in c]}
    people, fixed = run(people_only)["pv_costs"], run(fixed_only)["pv_costs"]
    assert close(base["pv_costs"], people + fixed)
    assert close(twice["pv_costs"], 2 * people + fixed)


@settings(max_examples=40, deadline=None)
@given(specs())
def test_deadweight_one_gives_zero_benefit(data: dict[str, Any]) -> None:
    data = {**data, "outcomes": [{**o, "deadweight": 1.0} for o in data["outcomes"]]}
    result = run(data)
    assert result["pv_benefits"]["total"] == 0.0
    assert all(row["benefits_fiscal"] == 0.0 for row in result["years"])


@settings(max_examples=60, deadline=None)
@given(specs(), st.floats(min_value=0.01, max_value=100))
def test_bcr_unchanged_when_every_money_input_is_scaled(data: dict[str, Any], factor: float) -> None:
    scaled_costs = []
    for cost in data["costs"]:
        scaled = dict(cost)
        for key in ("per_year", "per_participant", "once"):
            if key in scaled:
                scaled[key] *= factor
        scaled_costs.append(scaled)
    scaled_outcomes = [{**o, "value": {**o["value"], "amount": o["value"]["amount"] * factor}}
                       for o in data["outcomes"]]
    base = run(data)
    scaled_result = run({**data, "costs": scaled_costs, "outcomes": scaled_outcomes})
    assert close(scaled_result["pv_costs"], factor * base["pv_costs"])
    if base["bcr"] is not None:
        assert math.isclose(scaled_result["bcr"], base["bcr"], rel_tol=1e-9, abs_tol=1e-12)
    assert scaled_result["payback_year"] == base["payback_year"]


@settings(max_examples=40, deadline=None)
@given(specs())
def test_identities_hold(data: dict[str, Any]) -> None:
    r = run(data)
    assert close(r["npsv"], r["pv_benefits"]["total"] - r["pv_costs"])
    assert close(r["pv_benefits"]["total"], sum(r["pv_benefits"][k] for k in KINDS) - r["pv_benefits"]["transfers"])
    assert close(sum(o["pv_benefit"] for o in r["outcomes"]), sum(r["pv_benefits"][k] for k in KINDS))
    assert close(sum(o["pv_benefit"] * o["transfer_share"] for o in r["outcomes"] if o["kind"] == "fiscal"),
                 r["pv_benefits"]["transfers"])
    assert close(sum(a["pv_cost"] for a in r["by_agency"]), r["pv_costs"])
    assert close(sum(a["pv_fiscal_benefit"] for a in r["by_agency"]), r["pv_benefits"]["fiscal"])
    assert all(a["pv_cashable"] <= a["pv_fiscal_benefit"] + 1e-9 for a in r["by_agency"])
    discounted = sum(y["costs"] * y["discount_factor"] for y in r["years"])
    assert close(discounted, r["pv_costs"])


@settings(max_examples=30, deadline=None)
@given(st.lists(specs(), min_size=2, max_size=4))
def test_draws_are_independent_rows(many: list[dict[str, Any]]) -> None:
    """Stacking draws that differ only in their numbers gives each draw's own deterministic result."""
    first = many[0]
    variants = [first] + [
        {**first, "engagement_rate": other["engagement_rate"], "optimism_bias": other["optimism_bias"]}
        for other in many[1:]
    ]
    models = [compile_appraisal(AppraisalSpec.model_validate(v)) for v in variants]
    base = models[0]
    stacked = replace(base.inputs, **{
        name: np.concatenate([getattr(m.inputs, name) for m in models], axis=0) for name in PER_DRAW_FIELDS
    })
    arrays = evaluate(stacked, len(base.agencies))
    for d, model in enumerate(models):
        alone = evaluate(model.inputs, len(model.agencies))
        np.testing.assert_allclose(arrays.npsv[d], alone.npsv[0], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(arrays.pv_costs_by_agency[d], alone.pv_costs_by_agency[0], rtol=1e-12)
        assert arrays.payback_year[d] == alone.payback_year[0]


@given(st.sampled_from(["green-book", "health", "green-book-2022"]), st.integers(min_value=2, max_value=400))
def test_discount_factors_positive_and_decreasing(name: str, horizon: int) -> None:
    df = discount_factors(name, horizon)
    assert df[0] == 1.0
    assert np.all(df > 0)
    assert np.all(np.diff(df) < 0)


@given(st.floats(min_value=0.0, max_value=0.2), st.integers(min_value=1, max_value=60))
def test_constant_rate_matches_closed_form(rate_value: float, horizon: int) -> None:
    df = discount_factors(rate_value, horizon)
    expected = (1 + rate_value) ** -np.arange(horizon)
    np.testing.assert_allclose(df, expected, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(specs(), st.lists(rate, min_size=2, max_size=4))
def test_draws_with_different_drop_off_match_single_draws(data: dict[str, Any], drop_offs: list[float]) -> None:
    """Drop-off varying by draw takes the engine's per-draw persistence path; each draw must still equal its own
    deterministic run."""
    variants = [{**data, "outcomes": [{**o, "drop_off": d} for o in data["outcomes"]]} for d in drop_offs]
    models = [compile_appraisal(AppraisalSpec.model_validate(v)) for v in variants]
    base = models[0]
    stacked = replace(base.inputs, **{
        name: np.concatenate([getattr(m.inputs, name) for m in models], axis=0) for name in PER_DRAW_FIELDS
    })
    arrays = evaluate(stacked, len(base.agencies))
    for d, model in enumerate(models):
        alone = evaluate(model.inputs, len(model.agencies))
        np.testing.assert_allclose(arrays.benefits_by_kind[d], alone.benefits_by_kind[0], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(arrays.npsv[d], alone.npsv[0], rtol=1e-12, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(specs(), st.lists(rate, min_size=3, max_size=3), st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3))
def test_summary_evaluation_equals_the_detailed_one(data: dict[str, Any], drop_offs: list[float],
                                                    engagement: list[float]) -> None:
    """The Monte Carlo path (present values only) agrees with the detailed engine draw by draw."""
    from wellspent.appraisal.engine import evaluate_summary

    # Only the first outcome's drop-off varies by draw, so both engine paths (shared and per-draw persistence)
    # are used together when there are several outcomes.
    variants = [{**data, "engagement_rate": e,
                 "outcomes": [{**o, "drop_off": d} if i == 0 else o for i, o in enumerate(data["outcomes"])]}
                for d, e in zip(drop_offs, engagement, strict=True)]
    models = [compile_appraisal(AppraisalSpec.model_validate(v)) for v in variants]
    stacked = replace(models[0].inputs, **{
        name: np.concatenate([getattr(m.inputs, name) for m in models], axis=0) for name in PER_DRAW_FIELDS
    })
    n = len(models[0].agencies)
    full = evaluate(stacked, n)
    for summary in (evaluate_summary(stacked, n), evaluate_summary(stacked, n, payback=False)):
        for name in ("pv_costs", "pv_benefits_by_kind", "pv_transfers", "pv_costs_by_agency",
                     "pv_fiscal_by_agency", "npsv"):
            np.testing.assert_allclose(getattr(summary, name), getattr(full, name), rtol=1e-10, atol=1e-6)
    with_payback = evaluate_summary(stacked, n)
    assert with_payback.payback_year is not None
    np.testing.assert_array_equal(with_payback.payback_year, full.payback_year)
    assert evaluate_summary(stacked, n, payback=False).payback_year is None
