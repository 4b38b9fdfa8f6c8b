"""The contract result: headline figures, per-period cash flows of every party, scenarios and break-even
(schema ``wellspent.contract/1``, DESIGN §5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from wellspent.contracts.engine import ContractArrays, evaluate
from wellspent.contracts.inputs import ContractInputs, ContractModel
from wellspent.contracts.irr import xirr, xirr_many
from wellspent.finite import finite_or_none

FloatArray = npt.NDArray[np.float64]
SCHEMA = "wellspent.contract/1"
SCENARIOS = (0.5, 0.75, 1.0, 1.25)
"""Performance multiples of expected achievement in the scenario table (issue 3)."""


def money_multiples(inputs: ContractInputs) -> FloatArray:
    """Investors' money multiple for each draw."""
    return evaluate(inputs).money_multiple


def breakeven_performance(inputs: ContractInputs, tolerance: float = 1e-13) -> FloatArray:
    """The multiple of expected achievement at which investors get exactly their money back (money multiple 1),
    per draw, by bisection on the vectorised engine. 0 if they do at zero achievement; NaN if they never do
    (achievement capped at each outcome's limit) or nothing is drawn."""
    roots = inputs.parent < 0
    rates = inputs.achievement[:, roots]
    with np.errstate(divide="ignore", over="ignore"):
        ceilings = np.where(rates > 0, inputs.limit[roots][None, :] / np.where(rates > 0, rates, 1.0), np.inf)
    upper = np.minimum(ceilings.min(axis=1, initial=np.inf), 1e6)
    upper = np.where(np.isfinite(upper), upper, 1e6)
    low = np.zeros(inputs.draws)
    high = upper.copy()
    mm_low = money_multiples(_with(inputs, low))
    mm_high = money_multiples(_with(inputs, high))
    result = np.full(inputs.draws, np.nan)
    result[mm_low >= 1.0] = 0.0
    searching = (mm_low < 1.0) & (mm_high >= 1.0)
    for _ in range(200):
        if not searching.any() or np.all((high - low)[searching] <= tolerance * np.maximum(high[searching], 1.0)):
            break
        mid = 0.5 * (low + high)
        above = money_multiples(_with(inputs, mid)) >= 1.0
        high = np.where(searching & above, mid, high)
        low = np.where(searching & ~above, mid, low)
    result[searching] = high[searching]
    return result


def _with(inputs: ContractInputs, performance: FloatArray) -> ContractInputs:
    from dataclasses import replace

    return replace(inputs, performance=inputs.performance * performance)


@dataclass(frozen=True)
class ContractResult:
    """One contract's result; for a multi-draw run ``draw`` selects the draw described."""

    model: ContractModel
    arrays: ContractArrays
    draw: int = 0

    @property
    def outcome_payments_total(self) -> float:
        return float(self.arrays.payments[self.draw].sum())

    @property
    def investor_irr(self) -> float | None:
        return finite_or_none(xirr(self.model.period_ends, self.arrays.investor_flows[self.draw]))

    @property
    def money_multiple(self) -> float | None:
        return finite_or_none(self.arrays.money_multiple[self.draw])

    @property
    def peak_capital(self) -> float:
        return float(self.arrays.peak_capital[self.draw])

    def payments_by_payer(self) -> list[dict[str, Any]]:
        """Outcome payments and fees by payer over the contract, £."""
        a, d = self.arrays, self.draw
        return [
            {
                "payer": payer.name,
                "agency": payer.agency,
                "outcomes_fund": payer.outcomes_fund,
                "share": payer.share,
                "cap": payer.cap,
                "outcome_payments": float(a.payer_payments[d, y].sum()),
                "fees": float(a.fees[d, y].sum()),
            }
            for y, payer in enumerate(self.model.spec.payers)
        ]

    @property
    def leverage(self) -> float | None:
        """Total outcome payments ÷ outcomes-fund payments (DESIGN §5); null without a fund."""
        fund = sum(row["outcome_payments"] for row in self.payments_by_payer() if row["outcomes_fund"])
        return self.outcome_payments_total / fund if fund > 0 else None

    def periods(self) -> list[dict[str, Any]]:
        """Cash flows of every party per period (undiscounted cash £), dated at each period's end."""
        a, d, spec = self.arrays, self.draw, self.model.spec
        rows = []
        for p, end in enumerate(self.model.period_ends):
            rows.append({
                "period": p,
                "end": end.isoformat(),
                "referrals": float(self.model.inputs.referrals[d, p]),
                "achievements": float(a.achievements[d, :, p].sum()),
                "outcome_payments": float(a.payments[d, p]),
                "by_payer": {payer.name: float(a.payer_payments[d, y, p]) for y, payer in enumerate(spec.payers)},
                "fees": float(a.fees[d, :, p].sum()),
                "provider_costs": float(a.provider_costs[d, p]),
                "investor_drawdown": float(a.drawdowns[d, p]),
                "principal_repaid": float(a.principal_repaid[d, p]),
                "return_paid": float(a.return_paid[d, p]),
                "investor_surplus": float(a.investor_surplus[d, p]),
                "investor_flow": float(a.investor_flows[d, p]),
                "provider_surplus": float(a.provider_surplus[d, p]),
                "provider_loss": float(a.provider_loss[d, p]),
                "capital_outstanding": float(a.outstanding[d, p]),
            })
        return rows

    def outcomes(self) -> list[dict[str, Any]]:
        """Per rate-card outcome: price, expected achievements and payments within the contract."""
        a, d = self.arrays, self.draw
        by_id = {o.id: o for o in self.model.spec.rate_card}
        return [
            {
                "id": outcome_id,
                "name": by_id[outcome_id].name,
                "price": by_id[outcome_id].price,
                "after": by_id[outcome_id].after,
                "achievements": float(a.achievements[d, o].sum()),
                "payments": float(a.outcome_payments[d, o].sum()),
            }
            for o, outcome_id in enumerate(self.model.outcome_ids)
        ]

    def price_vs_value(self) -> dict[str, Any] | None:
        """Per valued outcome, the price paid against the public value and fiscal saving each achievement buys,
        and the commissioners' net position by agency. Undiscounted £ over the contract: payments in cash as
        contracted, values in the price year shown. None when no outcome links a unit cost."""
        values = self.model.values
        if not any(v is not None for v in values):
            return None
        a, d = self.arrays, self.draw
        by_id = {o.id: o for o in self.model.spec.rate_card}
        rows: list[dict[str, Any]] = []
        savings: dict[str, float] = {}
        for o, (outcome_id, value) in enumerate(zip(self.model.outcome_ids, values, strict=True)):
            if value is None:
                continue
            achieved = float(a.achievements[d, o].sum())
            fiscal = value.kind == "fiscal"
            gross = achieved * value.per_achievement
            public = gross * (1.0 - value.transfer_share) if fiscal else gross
            if fiscal:
                savings[value.agency] = savings.get(value.agency, 0.0) + gross
            price = by_id[outcome_id].price
            rows.append({
                "id": outcome_id,
                "price": price,
                "unit_cost": value.unit_cost,
                "kind": value.kind,
                "agency": value.agency,
                "value_per_achievement": value.per_achievement,
                "value_to_price": value.per_achievement / price if price > 0 else None,
                "achievements": achieved,
                "payments": float(a.outcome_payments[d, o].sum()),
                "public_value": public,
                "fiscal_saving": gross if fiscal else 0.0,
                "verified": value.verified,
            })
        paid: dict[str, float] = {}
        for row in self.payments_by_payer():
            paid[row["agency"]] = paid.get(row["agency"], 0.0) + row["outcome_payments"] + row["fees"]
        agencies = list(dict.fromkeys([*paid, *savings]))
        position = [{"agency": agency, "payments": paid.get(agency, 0.0), "fiscal_savings": savings.get(agency, 0.0),
                     "net": savings.get(agency, 0.0) - paid.get(agency, 0.0)} for agency in agencies]
        public_total = float(sum(row["public_value"] for row in rows))
        return {
            "price_year": next(v.price_year for v in values if v is not None),
            "outcomes": rows,
            "public_value_total": public_total,
            "fiscal_savings_total": sum(savings.values()),
            "value_per_pound_paid": public_total / self.outcome_payments_total if self.outcome_payments_total else None,
            "by_agency": position,
        }

    def scenarios(self) -> list[dict[str, Any]]:
        """Outcome payments and investor returns at 50/75/100/125% of expected achievement (one vectorised call)."""
        one = _one_draw(self.model.inputs, self.draw)
        many = evaluate(one.with_performance(np.asarray(SCENARIOS)))
        irrs = xirr_many(self.model.period_ends, many.investor_flows)
        return [
            {
                "performance": m,
                "outcome_payments_total": float(many.payments[i].sum()),
                "investor_irr": finite_or_none(irrs[i]),
                "money_multiple": finite_or_none(many.money_multiple[i]),
                "peak_capital": float(many.peak_capital[i]),
                "provider_net": float((many.provider_surplus[i] - many.provider_loss[i]).sum()),
            }
            for i, m in enumerate(SCENARIOS)
        ]

    def breakeven_performance(self) -> float | None:
        return finite_or_none(breakeven_performance(_one_draw(self.model.inputs, self.draw))[0])

    def to_dict(self, scenarios: bool = True) -> dict[str, Any]:
        """The result as a JSON-ready document, schema ``wellspent.contract/1``."""
        a, d, spec = self.arrays, self.draw, self.model.spec
        drawn = float(a.drawdowns[d].sum())
        document: dict[str, Any] = {
            "schema": SCHEMA,
            "name": spec.name,
            "start": spec.start,
            "period": spec.period,
            "period_count": spec.periods,
            "outcome_payments_total": self.outcome_payments_total,
            "fees_total": float(a.fees[d].sum()),
            "payments_by_payer": self.payments_by_payer(),
            "provider_costs_total": float(a.provider_costs[d].sum()),
            "participant_cap_factor": float(a.participant_cap_factor[d]),
            "investor": {
                "commitment": spec.investor.commitment if spec.investor else 0.0,
                "drawn": drawn,
                "distributions": float((a.principal_repaid[d] + a.return_paid[d] + a.investor_surplus[d]).sum()),
                "investor_irr": self.investor_irr,
                "money_multiple": self.money_multiple,
                "peak_capital": self.peak_capital,
            },
            "provider": {
                "surplus": float(a.provider_surplus[d].sum()),
                "loss": float(a.provider_loss[d].sum()),
                "net": float((a.provider_surplus[d] - a.provider_loss[d]).sum()),
            },
            "investor_irr": self.investor_irr,
            "money_multiple": self.money_multiple,
            "peak_capital": self.peak_capital,
            "breakeven_performance": self.breakeven_performance(),
            "leverage": self.leverage,
            "outcomes": self.outcomes(),
            "periods": self.periods(),
            "price_vs_value": self.price_vs_value(),
        }
        if scenarios:
            document["scenarios"] = self.scenarios()
        return document


def _one_draw(inputs: ContractInputs, draw: int) -> ContractInputs:
    if inputs.draws == 1:
        return inputs
    from dataclasses import replace

    from wellspent.contracts.inputs import PER_DRAW_FIELDS

    return replace(inputs, **{name: getattr(inputs, name)[draw:draw + 1] for name in PER_DRAW_FIELDS})
