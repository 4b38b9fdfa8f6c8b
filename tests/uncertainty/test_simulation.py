"""Monte Carlo, tornado and switching values on hand-worked and convergence cases."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from tests.conftest import FIXTURES
from wellspent.appraisal.inputs import compile_appraisal
from wellspent.cli.main import main
from wellspent.specs.loader import validate_appraisal_uncertain
from wellspent.specs.strict_yaml import StrictDocument
from wellspent.uncertainty.report import simulation_report
from wellspent.uncertainty.sensitivity import switching_values, tornado
from wellspent.uncertainty.simulate import BLOCK, simulate

# NPSV = referrals (100) × success × £1,000 × (1 − deadweight) − £9,000 (one year, no discounting, grade-1 value
# with no optimism-bias correction). Central values (uniform means): success 0.1, deadweight 0.2 → −1,000.
TWO_INPUTS: dict[str, Any] = {
    "wellspent": "appraisal/1", "name": "Two uncertain inputs", "policy_area": "cross-cutting",
    "price_year": 2024, "start_year": 2025, "horizon": 1, "discounting": 0,
    "optimism_bias": {"costs": 0.0, "benefits_by_confidence": {1: 0.0}},
    "cohorts": [{"year": 0, "referrals": 100}],
    "costs": [{"name": "Service", "agency": "local-authority", "once": 9000, "year": 0}],
    "outcomes": [{
        "name": "Saving",
        "value": {"amount": 1000, "price_year": 2024, "per": "year", "kind": "fiscal", "agency": "local-authority",
                  "confidence": 1, "source": "hand-worked case"},
        "success_rate": {"dist": "uniform", "low": 0.05, "high": 0.15},
        "deadweight": {"dist": "uniform", "low": 0.0, "high": 0.4},
    }],
}


def load(data: dict[str, Any]) -> tuple[Any, Any]:
    spec, inputs = validate_appraisal_uncertain(StrictDocument(copy.deepcopy(data), "case.yaml"))
    return compile_appraisal(spec), inputs


def test_central_values_give_the_deterministic_result() -> None:
    model, inputs = load(TWO_INPUTS)
    assert [u.path for u in inputs] == ["outcomes[0].success_rate", "outcomes[0].deadweight"]
    from wellspent.appraisal import AppraisalResult, evaluate

    result = AppraisalResult(model, evaluate(model.inputs, len(model.agencies)))
    assert result.npsv == pytest.approx(100 * 0.1 * 1000 * 0.8 - 9000)


def test_tornado_on_two_inputs() -> None:
    # success at U(0.05, 0.15)'s 10th/90th percentiles 0.06 / 0.14: NPSV 100 × 0.06 × 800 − 9,000 = −4,200 and
    # 100 × 0.14 × 800 − 9,000 = 2,200 (swing 6,400). Deadweight at 0.04 / 0.36: 10,000 × 0.96 − 9,000 = 600
    # and 10,000 × 0.64 − 9,000 = −2,600 (swing 3,200). Success rate ranks first.
    model, inputs = load(TWO_INPUTS)
    rows = tornado(model, inputs)
    assert [r["input"] for r in rows] == ["outcomes[0].success_rate", "outcomes[0].deadweight"]
    assert rows[0]["npsv_at_low"] == pytest.approx(-4200)
    assert rows[0]["npsv_at_high"] == pytest.approx(2200)
    assert rows[0]["swing"] == pytest.approx(6400)
    assert rows[1]["npsv_at_low"] == pytest.approx(600)
    assert rows[1]["npsv_at_high"] == pytest.approx(-2600)
    assert rows[1]["swing"] == pytest.approx(3200)


def test_switching_values_on_two_inputs() -> None:
    # NPSV = 0 when 100 × s × 800 = 9,000 → s = 0.1125 (+12.5%), or when 10,000 × (1 − d) = 9,000 → d = 0.1.
    model, inputs = load(TWO_INPUTS)
    rows = {r["input"]: r for r in switching_values(model, inputs)}
    assert rows["outcomes[0].success_rate"]["switching_value"] == pytest.approx(0.1125, abs=1e-9)
    assert rows["outcomes[0].success_rate"]["change_from_central"] == pytest.approx(0.125, abs=1e-7)
    assert rows["outcomes[0].deadweight"]["switching_value"] == pytest.approx(0.1, abs=1e-9)
    # A cost so high nothing in range switches: none.
    costly = copy.deepcopy(TWO_INPUTS)
    costly["costs"][0]["once"] = 1_000_000
    model, inputs = load(costly)
    assert all(r["switching_value"] is None for r in switching_values(model, inputs))


def test_monte_carlo_mean_converges_to_npsv_at_the_means() -> None:
    # Engagement, success rates, deadweight, attribution and unit values enter NPSV multilinearly and are
    # independent, so E[NPSV] = NPSV evaluated at the means of the inputs.
    data = copy.deepcopy(TWO_INPUTS)
    data["engagement_rate"] = {"dist": "triangular", "low": 0.5, "mode": 0.9, "high": 1.0}
    data["outcomes"][0]["attribution"] = {"dist": "beta", "alpha": 4, "beta": 2}
    data["outcomes"][0]["value"]["amount"] = {"dist": "pert", "low": 600, "mode": 1000, "high": 1800}
    model, inputs = load(data)
    means = {u.path: float(u.distribution.mean) for u in inputs}
    at_means = copy.deepcopy(TWO_INPUTS)
    at_means["engagement_rate"] = means["engagement_rate"]
    at_means["outcomes"][0]["success_rate"] = means["outcomes[0].success_rate"]
    at_means["outcomes"][0]["deadweight"] = means["outcomes[0].deadweight"]
    at_means["outcomes"][0]["attribution"] = means["outcomes[0].attribution"]
    at_means["outcomes"][0]["value"]["amount"] = means["outcomes[0].value.amount"]
    model_at_means, _ = load(at_means)
    from wellspent.appraisal import AppraisalResult, evaluate

    expected = AppraisalResult(model_at_means, evaluate(model_at_means.inputs, 1)).npsv
    run = simulate(model, inputs, draws=200_000, seed=7)
    npsv = run.metrics["npsv"]
    standard_error = npsv.std(ddof=1) / math.sqrt(npsv.size)
    assert abs(npsv.mean() - expected) < 5 * standard_error


def test_same_seed_same_numbers_however_chunked() -> None:
    model, inputs = load(TWO_INPUTS)
    draws = 2 * BLOCK + 123
    one = simulate(model, inputs, draws, seed=11, chunk_draws=BLOCK).metrics["npsv"]
    two = simulate(model, inputs, draws, seed=11, chunk_draws=10 * BLOCK).metrics["npsv"]
    np.testing.assert_array_equal(one, two)
    other_seed = simulate(model, inputs, draws, seed=12, chunk_draws=BLOCK).metrics["npsv"]
    assert not np.array_equal(one, other_seed)


def test_degenerate_distributions_reproduce_the_deterministic_result() -> None:
    data = copy.deepcopy(TWO_INPUTS)
    data["outcomes"][0]["success_rate"] = {"dist": "uniform", "low": 0.1, "high": 0.1}
    data["outcomes"][0]["deadweight"] = {"dist": "triangular", "low": 0.2, "mode": 0.2, "high": 0.2}
    model, inputs = load(data)
    run = simulate(model, inputs, draws=1000, seed=3)
    np.testing.assert_array_equal(run.metrics["npsv"], np.full(1000, 100 * 0.1 * 1000 * 0.8 - 9000))


def test_report_probabilities() -> None:
    # NPSV > 0 ⇔ 100 × s × 1,000 × (1 − d) > 9,000 ⇔ s (1 − d) > 0.09; P(BCR > 1) is the same event (costs are
    # fixed). The probability is estimated in the test from its own uniforms; compare within sampling error.
    model, inputs = load(TWO_INPUTS)
    report = simulation_report(model, inputs, draws=100_000, seed=5)
    rng = np.random.default_rng(99)
    s = rng.uniform(0.05, 0.15, 1_000_000)
    d = rng.uniform(0.0, 0.4, 1_000_000)
    p = float(np.mean(s * (1 - d) > 0.09))
    assert report["probability_bcr_above_1"] == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / 100_000) + 1e-3)
    assert report["probability_bcr_above_1"] == pytest.approx(report["probability_npsv_positive"])
    assert report["results"]["npsv"]["p50"] is not None


def test_simulate_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "two.yaml"
    spec.write_text(yaml.safe_dump(TWO_INPUTS), encoding="utf-8")
    assert main(["simulate", str(spec), "--draws", "5000", "--seed", "3", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["simulate", str(spec), "--draws", "5000", "--seed", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert first["schema"] == "wellspent.simulation/1" and first["draws"] == 5000
    assert first["tornado"][0]["input"] == "outcomes[0].success_rate"


BAD = FIXTURES / "bad_distributions"
BAD_CASES = {
    "low_above_high": "outcomes[0].success_rate",
    "negative_sd": "outcomes[0].deadweight",
    "rate_outside_0_1": "outcomes[0].success_rate",
    "unknown_distribution": "outcomes[0].success_rate",
    "structural_field": "horizon",
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_distributions_exit_2_with_field_messages(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD / f"{name}.yaml"
    assert main(["simulate", str(path), "--draws", "100"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and BAD_CASES[name] in err and "Traceback" not in err


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results() -> None:
    distributed = pytest.importorskip("distributed")
    model, inputs = load(TWO_INPUTS)
    draws = 3 * BLOCK + 5
    local = simulate(model, inputs, draws, seed=21, chunk_draws=BLOCK)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        remote = simulate(model, inputs, draws, seed=21, chunk_draws=BLOCK, scheduler=cluster.scheduler_address)
    for key in local.metrics:
        np.testing.assert_array_equal(local.metrics[key], remote.metrics[key])


def test_contract_simulation_mean_payments_converge() -> None:
    # Without caps, outcome payments are linear in each (independent) achievement rate, so their Monte Carlo mean
    # converges to the payments at the rates' means: a (uniform 0.3–0.7, mean 0.5) and b (triangular 0.2, 0.5,
    # 0.8, mean 0.5) → the small contract's £20,000.
    from wellspent.contracts.inputs import compile_contract
    from wellspent.specs.contract_loader import validate_contract_uncertain

    data = yaml.safe_load((Path(__file__).parents[1] / "contracts" / "small_contract.yaml").read_text())
    data["rate_card"][0]["achievement"] = {"dist": "uniform", "low": 0.3, "high": 0.7}
    data["rate_card"][1]["achievement"] = {"dist": "triangular", "low": 0.2, "mode": 0.5, "high": 0.8}
    spec, inputs = validate_contract_uncertain(StrictDocument(data, "contract.yaml"))
    model = compile_contract(spec)
    report = simulation_report(model, inputs, draws=50_000, seed=4)
    payments = simulate(model, inputs, 50_000, seed=4).metrics["outcome_payments"]
    se = payments.std(ddof=1) / math.sqrt(payments.size)
    assert abs(payments.mean() - 20000) < 5 * se
    assert report["kind"] == "contract"
    assert report["results"]["money_multiple"]["p50"] is not None
    assert 0.0 < report["probability_investors_repaid"] < 1.0


def test_sobol_indices_on_two_inputs() -> None:
    # Y = a × s × u − c with s ~ U(0.05, 0.15) and u = 1 − d ~ U(0.6, 1) independent. For a product:
    # Var(Y)/a² = E[s²]E[u²] − E[s]²E[u]² = (0.01 + 0.01/12)(0.64 + 0.16/12) − 0.01 × 0.64 = 0.000677778;
    # S1(s) = Var(s)E[u]²/Var = (0.01/12 × 0.64)/0.000677778 = 0.7869; S1(d) = Var(u)E[s]²/Var = 0.1967;
    # ST(s) = 1 − S1(d) = 0.8033; ST(d) = 1 − S1(s) = 0.2131.
    pytest.importorskip("SALib")
    from wellspent.uncertainty.sensitivity import sobol_indices

    model, inputs = load(TWO_INPUTS)
    rows = {r["input"]: r for r in sobol_indices(model, inputs, base_samples=8192, seed=1)}
    s, d = rows["outcomes[0].success_rate"], rows["outcomes[0].deadweight"]
    assert s["first_order"] == pytest.approx(0.7869, abs=0.03)
    assert d["first_order"] == pytest.approx(0.1967, abs=0.03)
    assert s["total"] == pytest.approx(0.8033, abs=0.03)
    assert d["total"] == pytest.approx(0.2131, abs=0.03)


def _grouped(rho: float) -> dict[str, Any]:
    data = copy.deepcopy(TWO_INPUTS)
    data["uncertainty"] = {"groups": [{"name": "together", "inputs": ["outcomes[*].success_rate",
                                                                      "outcomes[0].deadweight"],
                                       "correlation": rho}]}
    return data


@pytest.mark.parametrize(("rho", "expected"), [(0.9, 6 / math.pi * math.asin(0.45)), (1.0, 1.0), (0.0, 0.0)])
def test_correlation_groups_give_the_gaussian_copula_rank_correlation(rho: float, expected: float) -> None:
    # Members share a standard normal with weight √ρ: their normal scores have correlation ρ, so their Spearman
    # rank correlation is (6/π) arcsin(ρ/2) (Kruskal 1958): 0.8910 at ρ = 0.9, 1 at ρ = 1, 0 at ρ = 0.
    from scipy.stats import spearmanr

    _model, inputs = load(_grouped(rho))
    assert all(u.group == "together" and u.correlation == rho for u in inputs)
    from wellspent.uncertainty.simulate import sample_block

    samples = sample_block(inputs, seed=3, block=0, size=BLOCK)
    s, d = samples["outcomes[0].success_rate"], samples["outcomes[0].deadweight"]
    assert spearmanr(s, d).statistic == pytest.approx(expected, abs=0.02)
    # the marginals are unchanged: uniform(0.05, 0.15) and uniform(0, 0.4)
    assert s.min() >= 0.05 and s.max() <= 0.15 and s.mean() == pytest.approx(0.1, abs=0.002)
    assert d.min() >= 0.0 and d.max() <= 0.4 and d.mean() == pytest.approx(0.2, abs=0.006)


def test_correlated_runs_are_reproducible_however_chunked() -> None:
    model, inputs = load(_grouped(0.6))
    draws = 2 * BLOCK + 7
    one = simulate(model, inputs, draws, seed=5, chunk_draws=BLOCK).metrics["npsv"]
    two = simulate(model, inputs, draws, seed=5, chunk_draws=4 * BLOCK).metrics["npsv"]
    np.testing.assert_array_equal(one, two)


@pytest.mark.parametrize(("groups", "path", "words"), [
    ([{"name": "g", "inputs": ["outcomes[*].attribution"], "correlation": 0.5}],
     "uncertainty.groups[0].inputs[0]", "matches no uncertain input"),
    ([{"name": "g", "inputs": ["outcomes[0].success_rate"], "correlation": 0.5},
      {"name": "h", "inputs": ["outcomes[*].success_rate"], "correlation": 0.2}],
     "uncertainty.groups[1].inputs[0]", "already in group 'g'"),
    ([{"name": "g", "inputs": ["outcomes[0].success_rate"], "correlation": 1.5}],
     "uncertainty.groups[0].correlation", "less than or equal to 1"),
])
def test_bad_correlation_groups(groups: list[dict[str, Any]], path: str, words: str) -> None:
    from wellspent.errors import InputError

    data = copy.deepcopy(TWO_INPUTS)
    data["uncertainty"] = {"groups": groups}
    with pytest.raises(InputError) as caught:
        load(data)
    assert any(p.path == path and words in p.message for p in caught.value.problems), caught.value.problems


def test_contract_tornado_and_switching_value_on_the_money_multiple_by_hand() -> None:
    # The small contract with outcome A's achievement a uncertain (uniform 0.3–0.7; B stays 50% of A's achievers).
    # Payments: Q1 10,000a; Q2 10,000a + 2,000 × 5a = 20,000a; Q3 10,000a (40,000a in all); costs 5,000 in Q0–Q2.
    # For a < 0.5 the investors draw 5,000 in Q0 and 5,000 − 10,000a in Q1, and get back 20,000a − 5,000 in Q2 and
    # 10,000a in Q3 (all principal, no return), so money multiple = (30,000a − 5,000) / (10,000 − 10,000a).
    # It is 1 at 40,000a = 15,000: a = 0.375 (the switching value). At the 10th percentile a = 0.34 it is
    # (10,200 − 5,000) / 6,600 = 52/66.
    from wellspent.contracts.inputs import compile_contract
    from wellspent.specs.contract_loader import validate_contract_uncertain
    from wellspent.uncertainty.sensitivity import contract_switching_values, contract_tornado

    data = yaml.safe_load((Path(__file__).parents[1] / "contracts" / "small_contract.yaml").read_text())
    data["rate_card"][0]["achievement"] = {"dist": "uniform", "low": 0.3, "high": 0.7}
    spec, inputs = validate_contract_uncertain(StrictDocument(data, "contract.yaml"))
    model = compile_contract(spec)
    [row] = contract_tornado(model, inputs)
    assert row["input"] == "rate_card[0].achievement"
    assert row["low_value"] == pytest.approx(0.34) and row["high_value"] == pytest.approx(0.66)
    assert row["money_multiple_at_low"] == pytest.approx(52 / 66, rel=1e-12)
    assert row["money_multiple_at_high"] > 1.0 and row["swing"] == pytest.approx(
        row["money_multiple_at_high"] - 52 / 66)
    [switch] = contract_switching_values(model, inputs)
    assert switch["switching_value"] == pytest.approx(0.375, abs=1e-9)
    assert switch["change_from_central"] == pytest.approx(0.375 / 0.5 - 1)
    assert switch["within_p5_p95"] is True  # 0.32 ≤ 0.375 ≤ 0.68
    report = simulation_report(model, inputs, draws=2_000, seed=1)
    assert report["tornado"] == [row] and report["switching_values"] == [switch]
