"""A plain-Python reference implementation of DESIGN §3, written loop by loop from the text.

It is the independent check of the vectorised engine (tests/test_reference.py) and the named baseline of the
appraisal benchmark (benchmarks/bench_appraisal.py). It reads one draw of compiled inputs (unit values already
in price-year prices) and loops over years, cohorts, cost lines and outcomes.
"""

from __future__ import annotations

from typing import Any

from wellspent.appraisal.inputs import AppraisalModel


def reference_appraisal(model: AppraisalModel, draw: int = 0) -> dict[str, Any]:
    """Headline figures and per-year totals of one draw, by explicit loops."""
    x, d = model.inputs, draw
    horizon = x.horizon
    df = [float(v) for v in x.discount_factors]
    engaged = {int(c): float(x.referrals[d, i]) * float(x.engagement_rate[d])
               for i, c in enumerate(x.cohort_years)}
    costs = [0.0] * horizon
    costs_by_agency: dict[str, float] = {}
    for k in range(len(x.cost_per_participant)):
        agency = model.agencies[int(x.cost_agency[k])]
        for t in range(horizon):
            if x.cost_per_participant[k]:
                amount = float(x.cost_amounts[d, k]) * engaged.get(t, 0.0)
            else:
                amount = float(x.cost_amounts[d, k]) * float(x.cost_schedule[k, t])
            amount *= 1.0 + float(x.optimism_bias_costs[d])
            costs[t] += amount
            costs_by_agency[agency] = costs_by_agency.get(agency, 0.0) + amount * df[t]
    benefits = {"fiscal": [0.0] * horizon, "economic": [0.0] * horizon, "social": [0.0] * horizon}
    fiscal_by_agency: dict[str, float] = {}
    transfers = [0.0] * horizon
    for o in range(len(x.lag)):
        kind = ("fiscal", "economic", "social")[int(x.outcome_kind[o])]
        value = float(x.unit_value[d, o]) * (1.0 - float(x.benefit_correction[d, o]))
        adjust = ((1.0 - float(x.deadweight[d, o])) * float(x.attribution[d, o])
                  * (1.0 - float(x.displacement[d, o])))
        for c, people in engaged.items():
            successes = people * float(x.success_rate[d, o])
            for t in range(horizon):
                k = t - c - int(x.lag[o])
                if 0 <= k < int(x.duration[o]):
                    amount = (successes * float(x.quantity[d, o]) * value
                              * (1.0 - float(x.drop_off[d, o])) ** k * adjust)
                    benefits[kind][t] += amount
                    if kind == "fiscal":
                        transfers[t] += amount * float(x.outcome_transfer_share[o])
                        agency = model.agencies[int(x.outcome_agency[o])]
                        fiscal_by_agency[agency] = fiscal_by_agency.get(agency, 0.0) + amount * df[t]
    pv_costs = sum(c * f for c, f in zip(costs, df, strict=True))
    pv = {kind: sum(b * f for b, f in zip(values, df, strict=True)) for kind, values in benefits.items()}
    pv_transfers = sum(b * f for b, f in zip(transfers, df, strict=True))
    total = sum(pv.values()) - pv_transfers
    payback = None
    cum_costs = cum_fiscal = 0.0
    for t in range(horizon):
        cum_costs += costs[t] * df[t]
        cum_fiscal += benefits["fiscal"][t] * df[t]
        if cum_costs > 0 and cum_fiscal >= cum_costs * (1 - 1e-9):
            payback = t
            break
    return {
        "pv_costs": pv_costs,
        "pv_benefits": {**pv, "transfers": pv_transfers, "total": total},
        "npsv": total - pv_costs,
        "payback_year": payback,
        "costs": costs,
        "costs_by_agency": costs_by_agency,
        "fiscal_by_agency": fiscal_by_agency,
    }
