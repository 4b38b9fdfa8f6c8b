"""Benchmark: the contract engine over many draws, and IRR over many cash-flow vectors.

1. 10,000 draws of a 3-year quarterly contract with 10 rate-card outcomes (two chains, a per-participant cap,
   payer caps, an investor) in one vectorised ``evaluate`` call — against the baseline of a per-draw Python loop
   over the same engine (a sample of draws timed and extrapolated). Targets (issue 3): ≤ 1 s and ≥ 50× the loop.
2. IRR for 100,000 cash-flow vectors: pyxirr in a loop (wellspent's way) against numpy-financial's ``irr`` in a
   loop (a sample timed and extrapolated).

Run with ``make bench``.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import numpy as np
import numpy_financial as npf

from wellspent.contracts import compile_contract, evaluate
from wellspent.contracts.irr import xirr_many
from wellspent.specs.contract import ContractSpec

DRAWS = 10_000
LOOP_SAMPLE = 200
IRR_VECTORS = 100_000
NPF_SAMPLE = 2_000


def contract_spec() -> dict[str, Any]:
    chain = [("entry", 500, 0.6, 0, None), ("m3", 1500, 0.8, 1, "entry"), ("m6", 1500, 0.8, 1, "m3"),
             ("m12", 1500, 0.7, 2, "m6"), ("eet", 500, 0.4, 1, None), ("l1", 2500, 0.4, 1, "eet"),
             ("job", 500, 0.25, 2, None), ("ft13", 4500, 0.6, 1, "job"), ("ft26", 3500, 0.7, 1, "ft13"),
             ("volunteer", 500, 0.2, 1, None)]
    return {
        "wellspent": "contract/1", "name": "benchmark", "policy_area": "homelessness", "start": "2024-04-01",
        "period": "quarter", "periods": 12,
        "referrals": {"blocks": [{"per_period": 60, "first": 0, "last": 5}]},
        "rate_card": [{"id": i, "name": i, "price": p, "achievement": a, "lag": lag, **({"after": af} if af else {})}
                      for i, p, a, lag, af in chain],
        "caps": {"per_participant": 12000, "contract": 3_000_000},
        "payers": [{"name": "Commissioner", "agency": "mhclg", "share": 0.75},
                   {"name": "Fund", "agency": "dcms", "share": 0.25, "cap": 600_000, "outcomes_fund": True}],
        "provider_costs": {"fixed_per_period": 120_000, "fixed_periods": list(range(9)), "per_referral": 800},
        "investor": {"commitment": 900_000, "return_rate": 0.07, "surplus_share": 0.3},
    }


def timed(fn: Any, repeat: int = 5) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return float(np.median(samples))


def main() -> None:
    model = compile_contract(ContractSpec.model_validate(contract_spec()))
    rng = np.random.default_rng(20261126)
    many = model.inputs.repeat_draws(DRAWS)
    achievement = np.clip(many.achievement * rng.uniform(0.7, 1.3, size=many.achievement.shape), 0.0, 1.0)
    many = replace(many, achievement=achievement)

    vectorised = timed(lambda: evaluate(many))
    singles = [replace(model.inputs, achievement=achievement[d:d + 1]) for d in range(LOOP_SAMPLE)]
    loop_sample = timed(lambda: [evaluate(one) for one in singles], repeat=3)
    loop = loop_sample * DRAWS / LOOP_SAMPLE
    arrays = evaluate(many)
    check = evaluate(singles[7])
    assert np.allclose(arrays.investor_flows[7], check.investor_flows[0]), "vectorised and single draw differ"

    # IRR: 100,000 flow vectors of 12 quarters, dated at quarter ends (pyxirr) or evenly spaced (numpy-financial).
    flows = np.tile(arrays.investor_flows, (IRR_VECTORS // DRAWS, 1))
    dates = model.period_ends
    pyxirr_loop = timed(lambda: xirr_many(dates, flows), repeat=1)
    npf_sample = timed(lambda: [npf.irr(row) for row in flows[:NPF_SAMPLE]], repeat=1)
    npf_loop = npf_sample * IRR_VECTORS / NPF_SAMPLE

    figures = {
        "contract": {"periods": 12, "period": "quarter", "outcomes": 10, "draws": DRAWS},
        "vectorised_s": vectorised,
        "draws_per_s": DRAWS / vectorised,
        "baseline_per_draw_loop_s": loop,
        "speedup_vs_loop": loop / vectorised,
        "targets": {"vectorised_s": 1.0, "speedup": 50},
        "irr_vectors": IRR_VECTORS,
        "pyxirr_loop_s": pyxirr_loop,
        "baseline_numpy_financial_loop_s": npf_loop,
        "pyxirr_speedup": npf_loop / pyxirr_loop,
    }
    print(json.dumps(figures, indent=2))
    print(f"\n{DRAWS:,} draws in one call: {vectorised:.3f} s (target ≤ 1 s) vs per-draw loop {loop:.2f} s "
          f"({loop / vectorised:.0f}×, target ≥ 50×)")
    print(f"IRR of {IRR_VECTORS:,} vectors: pyxirr loop {pyxirr_loop:.2f} s vs numpy-financial loop "
          f"{npf_loop:.1f} s ({npf_loop / pyxirr_loop:.0f}×)")


if __name__ == "__main__":
    main()
