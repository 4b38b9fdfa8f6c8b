"""Hand-worked small contracts: every cash flow written out here, worked by hand in the comments."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from wellspent.contracts import run_contract
from wellspent.specs.contract import ContractSpec

SMALL = Path(__file__).with_name("small_contract.yaml")
Q = 1.1 ** 0.25 - 1  # quarterly rate equivalent to a 10% annual return


def small(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data.update(changes)
    return data


def run(data: dict[str, Any]) -> dict[str, Any]:
    return run_contract(ContractSpec.model_validate(data)).to_dict()


def column(result: dict[str, Any], key: str) -> list[float]:
    return [row[key] for row in result["periods"]]


def test_small_contract_every_cash_flow() -> None:
    # Referrals 10 in Q0 and 10 in Q1. A (£1,000, 50%, lag 1): 5 achievements in Q1 and Q2.
    # B follows A (£2,000, 50% of A, lag 1): 2.5 in Q2 and Q3.
    # Payments: Q0 0; Q1 5×1,000 = 5,000; Q2 5,000 + 2.5×2,000 = 10,000; Q3 5,000. Total 20,000.
    # Payers: commissioner 75% (15,000), fund 25% (5,000); leverage 20,000 / 5,000 = 4.
    # Costs 5,000 in Q0–Q2 → net cash −5,000, 0, +5,000, +5,000.
    # Investor: Q0 draws 5,000; Q1 accrues 5,000 × Q; Q2 accrues again and the 5,000 surplus repays principal;
    # Q3: return accrued 2 × 5,000 × Q is paid, the rest is split 50:50.
    r = run(small())
    assert column(r, "outcome_payments") == pytest.approx([0, 5000, 10000, 5000])
    assert column(r, "provider_costs") == pytest.approx([5000, 5000, 5000, 0])
    assert column(r, "investor_drawdown") == pytest.approx([5000, 0, 0, 0])
    assert column(r, "principal_repaid") == pytest.approx([0, 0, 5000, 0])
    accrued = 2 * 5000 * Q
    assert column(r, "return_paid") == pytest.approx([0, 0, 0, accrued])
    split = (5000 - accrued) / 2
    assert column(r, "investor_surplus") == pytest.approx([0, 0, 0, split])
    assert column(r, "provider_surplus") == pytest.approx([0, 0, 0, split])
    assert column(r, "capital_outstanding") == pytest.approx([5000, 5000, 0, 0])
    assert [row["by_payer"]["Outcomes fund"] for row in r["periods"]] == pytest.approx([0, 1250, 2500, 1250])
    assert r["outcome_payments_total"] == pytest.approx(20000)
    assert [p["outcome_payments"] for p in r["payments_by_payer"]] == pytest.approx([15000, 5000])
    assert r["leverage"] == pytest.approx(4.0)
    assert r["money_multiple"] == pytest.approx((5000 + accrued + split) / 5000)
    assert r["peak_capital"] == pytest.approx(5000)
    assert [row["end"] for row in r["periods"]] == ["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31"]
    # IRR on dated flows: −5,000 on 31 Mar, +5,000 on 30 Sep, +(accrued + split) on 31 Dec 2020.
    days = [0, 183, 275]
    flows = [-5000, 5000, accrued + split]
    npv = sum(f / (1 + r["investor_irr"]) ** (d / 365) for f, d in zip(flows, days, strict=True))
    assert abs(npv) < 1e-6


def test_breakeven_is_75_percent() -> None:
    # At performance m every achievement scales by m: payments 20,000 m against costs 15,000, so investors get
    # exactly their money back at m = 0.75 (all payments go to principal, nothing to return): Q0 −5,000 drawn;
    # Q1 3,750 − 5,000 = −1,250 drawn; Q2 3,750 + 3,750 − 5,000 = 2,500 repaid; Q3 3,750 repaid; 6,250 = 6,250.
    r = run(small())
    assert r["breakeven_performance"] == pytest.approx(0.75, abs=1e-7)
    at = run_contract(ContractSpec.model_validate(small()))
    rows = {row["performance"]: row for row in at.scenarios()}
    assert rows[0.75]["money_multiple"] == pytest.approx(1.0)
    assert rows[0.75]["peak_capital"] == pytest.approx(6250)
    assert rows[0.5]["money_multiple"] == pytest.approx(2500 / 7500)  # 10,000 paid: 2,500 back of 7,500 drawn


def test_capped_fund_passes_the_rest_to_the_commissioner() -> None:
    # Fund capped at 4,000: it pays 1,250 (Q1), 2,500 (Q2), then only 250 of its 1,250 in Q3; the commissioner
    # pays the other 1,000: 3,750 + 1,000 = 4,750 in Q3. Total unchanged; leverage 20,000 / 4,000 = 5.
    data = small()
    data["payers"][1]["cap"] = 4000
    r = run(data)
    assert [row["by_payer"]["Outcomes fund"] for row in r["periods"]] == pytest.approx([0, 1250, 2500, 250])
    assert [row["by_payer"]["Commissioner"] for row in r["periods"]] == pytest.approx([0, 3750, 7500, 4750])
    assert r["outcome_payments_total"] == pytest.approx(20000)
    assert r["leverage"] == pytest.approx(5.0)


def test_every_payer_capped_leaves_payments_unpaid() -> None:
    # Commissioner capped at 12,000, fund at 4,000: only 16,000 is paid. Cumulative asks: commissioner
    # 3,750 / 11,250 / 15,000 → pays 3,750, 7,500, 750; fund 1,250, 2,500, 250.
    data = small()
    data["payers"][0]["cap"] = 12000
    data["payers"][1]["cap"] = 4000
    r = run(data)
    assert column(r, "outcome_payments") == pytest.approx([0, 5000, 10000, 1000])
    assert r["outcome_payments_total"] == pytest.approx(16000)


def test_period_and_contract_caps() -> None:
    # Per-period cap 8,000: Q2's 10,000 is cut to 8,000 → 5,000, 8,000, 5,000 (18,000).
    data = small(caps={"per_period": 8000})
    assert column(run(data), "outcome_payments") == pytest.approx([0, 5000, 8000, 5000])
    # Contract cap 12,000: cumulative 5,000, 15,000 → 12,000: 5,000, 7,000, 0.
    data = small(caps={"contract": 12000})
    r = run(data)
    assert column(r, "outcome_payments") == pytest.approx([0, 5000, 7000, 0])
    # The cap is shared pro rata between the outcomes paid in Q2 (A 5,000, B 5,000 → 3,500 each).
    assert {o["id"]: o["payments"] for o in r["outcomes"]} == pytest.approx({"a": 8500, "b": 3500})


def test_per_participant_cap_in_expectation() -> None:
    # A participant earns 0 (prob 0.5), 1,000 (A only, 0.25) or 3,000 (A and B, 0.25). With a 2,000 cap:
    # E[min(2,000, S)] = 0.25 × 1,000 + 0.25 × 2,000 = 750 against E[S] = 0.25 × 1,000 + 0.25 × 3,000 = 1,000,
    # so every payment is scaled by 0.75: 20,000 → 15,000.
    r = run(small(caps={"per_participant": 2000}))
    assert r["participant_cap_factor"] == pytest.approx(0.75)
    assert r["outcome_payments_total"] == pytest.approx(15000)


def test_fees_no_investor_and_provider_loss() -> None:
    # Fees for service 1,000 a quarter from the commissioner; no investor: the provider carries every deficit.
    # Net: −5,000 + 1,000 = −4,000; 0 + 1,000 = +1,000; +6,000; +6,000 → loss 4,000, surplus 13,000.
    data = small(fees_for_service=[{"name": "Service fee", "per_period": 1000}])
    data.pop("investor")
    r = run(data)
    assert r["fees_total"] == pytest.approx(4000)
    assert r["payments_by_payer"][0]["fees"] == pytest.approx(4000)
    assert column(r, "provider_loss") == pytest.approx([4000, 0, 0, 0])
    assert column(r, "provider_surplus") == pytest.approx([0, 1000, 6000, 6000])
    assert r["provider"]["net"] == pytest.approx(9000)
    assert r["investor_irr"] is None and r["money_multiple"] is None
    assert r["breakeven_performance"] is None


def test_commitment_too_small() -> None:
    # Commitment 3,000: Q0's deficit of 5,000 is 3,000 drawn and 2,000 provider loss.
    data = small()
    data["investor"]["commitment"] = 3000
    r = run(data)
    assert column(r, "investor_drawdown") == pytest.approx([3000, 0, 0, 0])
    assert column(r, "provider_loss") == pytest.approx([2000, 0, 0, 0])


def test_repeatable_outcome_with_limit() -> None:
    # An outcome claimable up to 3 times per participant at 1.5 expected claims: 20 referrals × 1.5 × 100.
    data = small(rate_card=[{"id": "visit", "name": "Visit", "price": 100, "achievement": 1.5, "limit": 3}])
    assert run(data)["outcome_payments_total"] == pytest.approx(3000)
    # Performance 3× would be 4.5 claims each: capped at the limit of 3 → 20 × 3 × 100 = 6,000.
    at = run_contract(ContractSpec.model_validate(data))
    rows = {row["performance"]: row["outcome_payments_total"] for row in at.scenarios()}
    assert rows[1.25] == pytest.approx(20 * 1.875 * 100)
    assert math.isclose(rows[0.5], 1500)


def test_reserve_holds_cash_for_next_quarters_costs() -> None:
    # Fixed costs 5,000 in every quarter; payments 0, 5,000, 10,000, 5,000 → net −5,000, 0, +5,000, 0.
    # With reserve_periods 1 the SPV keeps the next quarter's costs (5,000 after Q0–Q2, nothing after Q3):
    #   Q0 draws 5,000; Q1 cash 0; Q2 cash 5,000 is all held for Q3; Q3 cash 5,000 held + 0 = 5,000, nothing
    #   to keep after the last quarter → repays the 5,000 principal.
    data = small(investor={"commitment": 20000, "return_rate": 0.0, "surplus_share": 0.0, "reserve_periods": 1},
                 provider_costs={"fixed_per_period": 5000})
    r = run(data)
    assert column(r, "principal_repaid") == pytest.approx([0, 0, 0, 5000])
    assert column(r, "investor_drawdown") == pytest.approx([5000, 0, 0, 0])
    # Without a reserve, Q2's surplus repays principal at once.
    without = run(small(investor={"commitment": 20000, "return_rate": 0.0, "surplus_share": 0.0},
                        provider_costs={"fixed_per_period": 5000}))
    assert column(without, "principal_repaid") == pytest.approx([0, 0, 5000, 0])


def test_reserve_avoids_drawing_capital_again() -> None:
    # One outcome (£1,000, achieved by everyone a quarter after referral); referrals 5 then 10 → payments
    # 0, 5,000, 10,000, 0. Costs 5,000 in Q0 and Q3 → net −5,000, +5,000, +10,000, −5,000.
    # No reserve: Q0 draws 5,000; Q1 repays it; Q2's 10,000 goes to the provider (surplus share 0); Q3 draws
    #   5,000 again, never repaid → money multiple 5,000 / 10,000 = 0.5.
    # reserve_periods 2: Q1 keeps Q2 + Q3 costs (5,000) → holds its 5,000; Q2 has 15,000, keeps Q3's 5,000 and
    #   repays the 5,000 principal, the last 5,000 to the provider; Q3 pays its costs from the reserve → no
    #   second drawdown, money multiple 1.
    data = small(referrals={"profile": [5, 10]},
                 rate_card=[{"id": "a", "name": "A", "price": 1000, "achievement": 1.0, "lag": 1}],
                 provider_costs={"fixed_per_period": 5000, "fixed_periods": [0, 3]},
                 investor={"commitment": 20000, "return_rate": 0.0, "surplus_share": 0.0})
    no_reserve = run(data)
    assert column(no_reserve, "investor_drawdown") == pytest.approx([5000, 0, 0, 5000])
    assert column(no_reserve, "principal_repaid") == pytest.approx([0, 5000, 0, 0])
    assert column(no_reserve, "provider_surplus") == pytest.approx([0, 0, 10000, 0])
    assert no_reserve["money_multiple"] == pytest.approx(0.5)
    data["investor"]["reserve_periods"] = 2
    reserved = run(data)
    assert column(reserved, "investor_drawdown") == pytest.approx([5000, 0, 0, 0])
    assert column(reserved, "principal_repaid") == pytest.approx([0, 0, 5000, 0])
    assert column(reserved, "provider_surplus") == pytest.approx([0, 0, 5000, 0])
    assert reserved["money_multiple"] == pytest.approx(1.0)


def test_price_against_value() -> None:
    # A (10 achievements, £1,000 each) buys 0.1 WELLBY less 50% deadweight: 13,000 (2019 prices, the contract's
    # price year) × 0.1 × 0.5 = 650 per achievement → public value 6,500 for 10,000 paid.
    # B (5 achievements, £2,000) buys an ESA claimant's benefit saving to DWP, £7,500 in 2012/13 prices, all a
    # transfer: converted to 2019 with the GDP deflator, 7,500 × 81.1085 / (0.75 × 71.9294 + 0.25 × 73.4795);
    # it is a fiscal saving to DWP but adds nothing to public value.
    data = small(price_year=2019)
    data["rate_card"][0]["value"] = {"unit_cost": "wellby-central", "quantity": 0.1, "deadweight": 0.5}
    data["rate_card"][1]["value"] = {"unit_cost": "gmca-ee2-0-1-fiscal"}
    value = run(data)["price_vs_value"]
    rows = {row["id"]: row for row in value["outcomes"]}
    assert rows["a"]["value_per_achievement"] == pytest.approx(650)
    assert rows["a"]["public_value"] == pytest.approx(6500)
    assert rows["a"]["value_to_price"] == pytest.approx(0.65)
    saving = 7500 * 81.1085 / (0.75 * 71.9294 + 0.25 * 73.4795)
    assert rows["b"]["fiscal_saving"] == pytest.approx(5 * saving)
    assert rows["b"]["public_value"] == pytest.approx(0)
    assert value["public_value_total"] == pytest.approx(6500)
    assert value["value_per_pound_paid"] == pytest.approx(6500 / 20000)
    position = {row["agency"]: row for row in value["by_agency"]}
    assert position["dwp"]["net"] == pytest.approx(5 * saving)
    assert position["local-authority"]["net"] == pytest.approx(-15000)
    assert position["hm-treasury"]["payments"] == pytest.approx(5000)


def test_payment_distribution_sparse_and_fft_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shift-and-add convolution and the FFT convolution compute the same distribution.
    import numpy as np

    from wellspent.contracts import participant_cap

    probability = np.array([[0.6, 0.8, 0.7, 0.3, 0.5, 1.5], [0.2, 0.5, 0.5, 0.9, 0.1, 0.3]])
    prices = np.array([500.0, 1500.0, 1500.0, 2500.0, 2000.0, 250.0])
    limit = np.array([1, 1, 1, 1, 1, 3])
    parent = np.array([-1, 0, 1, -1, 3, -1])
    step, units, size = participant_cap.price_grid(prices, limit)
    sparse = participant_cap.payment_distribution(probability, units, limit, parent, size)
    monkeypatch.setattr(participant_cap, "SPARSE_COLUMNS", -1)
    fft = participant_cap.payment_distribution(probability, units, limit, parent, size)
    np.testing.assert_allclose(sparse, fft, atol=1e-12)
    np.testing.assert_allclose(sparse.sum(axis=1), 1.0, rtol=1e-12)
    # The mean of the distribution is the expected payment: Σ price × expected achievements.
    expected = np.array([0.6 * 500 + 0.6 * 0.8 * 1500 + 0.6 * 0.8 * 0.7 * 1500 + 0.3 * 2500 + 0.3 * 0.5 * 2000
                         + 1.5 * 250,
                         0.2 * 500 + 0.2 * 0.5 * 1500 + 0.2 * 0.5 * 0.5 * 1500 + 0.9 * 2500 + 0.9 * 0.1 * 2000
                         + 0.3 * 250])
    np.testing.assert_allclose(sparse @ (np.arange(size) * step), expected, rtol=1e-12)
