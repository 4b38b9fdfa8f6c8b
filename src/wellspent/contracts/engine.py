"""The social outcomes contract engine: pure, vectorised over a leading draw axis (DESIGN §1, §5).

Per period p (months or quarters), for every draw at once:

1. **Achievements.** An unconditional outcome o: ``A_o[p] = referrals[p − lag_o] × min(a_o × performance, limit_o)``;
   a chained outcome: ``A_o[p] = A_parent[p − lag_o] × a_o``. Achievements after the last period are not paid.
2. **Payments** ``price_o × A_o[p]``, then the caps in contract order: per participant (in expectation, see
   :mod:`wellspent.contracts.participant_cap`), per period (pro rata across outcomes), whole contract (cumulative).
3. **Payers** pay their share of each payment up to their own cap; what a capped payer cannot pay falls to the
   uncapped payers in proportion to their shares, or goes unpaid if all are capped. Fees for service are added.
4. **Provider costs**: fixed per period, per referral (in the referral's period), per achievement.
5. **Investor waterfall** (a recursion over periods, vectorised over draws — the one loop, ADR 0008): the
   period's net cash ``payments + fees − costs`` (plus cash held back); a deficit is drawn from the investor's
   revolving commitment (what the commitment cannot cover is the provider's loss); the SPV keeps a reserve for
   the next ``reserve_periods`` periods' costs; the rest of a surplus repays principal, then the return accrued
   at ``return_rate`` a year on outstanding principal, then is shared ``surplus_share`` : ``1 − surplus_share``
   between investors and provider. Capital is recycled: principal repaid early can be drawn again, so peak capital
   is less than total costs (Brookings 2015, methods-facts §4.4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wellspent.contracts.inputs import ContractInputs
from wellspent.contracts.participant_cap import cap_factor

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ContractArrays:
    """Numbers out, per draw. £ per period (cash, undiscounted). Shapes: D draws, P periods, O outcomes, Y payers."""

    achievements: FloatArray  # (D, O, P) expected achievements within the contract
    outcome_payments: FloatArray  # (D, O, P) after every cap
    payer_payments: FloatArray  # (D, Y, P) outcome payments by payer
    fees: FloatArray  # (D, Y, P) fees for service by payer
    provider_costs: FloatArray  # (D, P)
    participant_cap_factor: FloatArray  # (D,)
    drawdowns: FloatArray  # (D, P) investor capital drawn (positive)
    principal_repaid: FloatArray  # (D, P)
    return_paid: FloatArray  # (D, P)
    investor_surplus: FloatArray  # (D, P)
    provider_surplus: FloatArray  # (D, P)
    provider_loss: FloatArray  # (D, P) deficits the commitment could not cover
    outstanding: FloatArray  # (D, P) principal outstanding at the end of each period

    @property
    def payments(self) -> FloatArray:
        """Outcome payments per period, all outcomes (D, P)."""
        total: FloatArray = self.outcome_payments.sum(axis=1)
        return total

    @property
    def investor_flows(self) -> FloatArray:
        """Investors' cash flows per period: drawdowns negative, distributions positive (D, P)."""
        flows: FloatArray = self.principal_repaid + self.return_paid + self.investor_surplus - self.drawdowns
        return flows

    @property
    def money_multiple(self) -> FloatArray:
        """Distributions ÷ capital drawn (NaN where nothing was drawn) (D,)."""
        drawn = self.drawdowns.sum(axis=1)
        back = (self.principal_repaid + self.return_paid + self.investor_surplus).sum(axis=1)
        out = np.full(drawn.shape, np.nan)
        np.divide(back, drawn, out=out, where=drawn > 0)
        return out

    @property
    def peak_capital(self) -> FloatArray:
        """Most principal outstanding at any period end (D,)."""
        peak: FloatArray = self.outstanding.max(axis=1, initial=0.0)
        return peak


def _shift(values: FloatArray, lag: int) -> FloatArray:
    """``values`` delayed by ``lag`` periods along the last axis (zeros shifted in, the tail dropped)."""
    if lag == 0:
        return values
    out = np.zeros_like(values)
    if lag < values.shape[-1]:
        out[..., lag:] = values[..., :-lag]
    return out


def achievements(inputs: ContractInputs) -> tuple[FloatArray, FloatArray]:
    """Expected achievements (D, O, P), and the per-participant probabilities used for the cap (D, O)."""
    draws, periods = inputs.referrals.shape
    outcomes = inputs.price.shape[0]
    result = np.zeros((draws, outcomes, periods))
    probability = np.zeros((draws, outcomes))
    for o in range(outcomes):  # in chain order; vectorised over draws and periods
        parent = int(inputs.parent[o])
        if parent < 0:
            rate = np.minimum(inputs.achievement[:, o] * inputs.performance, float(inputs.limit[o]))
            base = inputs.referrals
        else:
            rate = inputs.achievement[:, o]
            base = result[:, parent, :]
        probability[:, o] = rate
        result[:, o, :] = _shift(base, int(inputs.lag[o])) * rate[:, None]
    return result, probability


def _cap_cumulative(amounts: FloatArray, cap: FloatArray) -> FloatArray:
    """Per-period amounts (…, P) after capping their running total at ``cap`` (broadcast on the leading axes)."""
    allowed = np.minimum(np.cumsum(amounts, axis=-1), cap[..., None])
    capped: FloatArray = np.diff(allowed, axis=-1, prepend=0.0)
    return capped


def _pro_rata(parts: FloatArray, total_before: FloatArray, total_after: FloatArray) -> FloatArray:
    """Scale ``parts`` (D, O, P) so they sum to ``total_after`` (D, P) where they summed to ``total_before``."""
    scale = np.ones_like(total_before)
    np.divide(total_after, total_before, out=scale, where=total_before > 0)
    scaled: FloatArray = parts * scale[:, None, :]
    return scaled


def _reserve(costs: FloatArray, periods_ahead: int) -> FloatArray:
    """Cash to keep at the end of each period: the provider's costs of the next ``periods_ahead`` periods."""
    if periods_ahead == 0:
        return np.zeros_like(costs)
    cumulative = np.concatenate([np.zeros((costs.shape[0], 1)), np.cumsum(costs, axis=1)], axis=1)
    periods = costs.shape[1]
    start = np.arange(1, periods + 1)
    stop = np.minimum(start + periods_ahead, periods)
    ahead: FloatArray = cumulative[:, stop] - cumulative[:, np.minimum(start, periods)]
    return ahead


def evaluate(inputs: ContractInputs) -> ContractArrays:
    """Run the contract for every draw at once (see the module docstring)."""
    draws, periods = inputs.referrals.shape
    achieved, probability = achievements(inputs)
    gross = achieved * inputs.price[None, :, None]

    factor = cap_factor(probability, inputs.price, inputs.limit, inputs.parent, inputs.cap_per_participant)
    after_participant = gross * factor[:, None, None]
    total = after_participant.sum(axis=1)
    per_period = np.minimum(total, inputs.cap_per_period[:, None])
    whole = _cap_cumulative(per_period, inputs.cap_contract)
    outcome_payments = _pro_rata(after_participant, total, whole)

    # Payers: share of each payment up to each payer's cap; the excess falls to uncapped payers by share.
    asked = inputs.payer_share[:, :, None] * whole[:, None, :]  # (D, Y, P)
    paid = _cap_cumulative(asked, np.broadcast_to(inputs.payer_cap, asked.shape[:2]))
    excess = (asked - paid).sum(axis=1)  # (D, P)
    uncapped = np.isinf(inputs.payer_cap)
    uncapped_share = inputs.payer_share * uncapped[None, :]
    uncapped_total = uncapped_share.sum(axis=1)
    weights = np.zeros_like(uncapped_share)
    np.divide(uncapped_share, uncapped_total[:, None], out=weights, where=uncapped_total[:, None] > 0)
    payer_payments = paid + weights[:, :, None] * excess[:, None, :]
    received = payer_payments.sum(axis=1)
    outcome_payments = _pro_rata(outcome_payments, whole, received)

    costs = (inputs.fixed_costs + inputs.cost_per_referral[:, None] * inputs.referrals
             + np.einsum("dop,do->dp", achieved, inputs.cost_per_outcome))
    net = received + inputs.fees.sum(axis=1) - costs

    # Investor waterfall: a recursion over periods, vectorised over draws.
    rate = (1.0 + inputs.return_rate) ** (1.0 / inputs.periods_per_year) - 1.0
    reserve = _reserve(costs, inputs.reserve_periods)
    outstanding = np.zeros(draws)
    accrued = np.zeros(draws)
    held = np.zeros(draws)
    flows = {name: np.zeros((draws, periods)) for name in
             ("drawdowns", "principal", "return", "investor_surplus", "provider_surplus", "loss", "outstanding")}
    for p in range(periods):
        accrued += outstanding * rate
        cash = held + net[:, p]
        deficit = np.maximum(-cash, 0.0)
        draw = np.minimum(deficit, np.maximum(inputs.commitment - outstanding, 0.0))
        flows["drawdowns"][:, p] = draw
        flows["loss"][:, p] = deficit - draw
        outstanding = outstanding + draw
        cash = np.maximum(cash, 0.0)
        held = np.minimum(cash, reserve[:, p])
        surplus = cash - held
        principal = np.minimum(surplus, outstanding)
        outstanding = outstanding - principal
        surplus = surplus - principal
        interest = np.minimum(surplus, accrued)
        accrued = accrued - interest
        surplus = surplus - interest
        flows["principal"][:, p] = principal
        flows["return"][:, p] = interest
        flows["investor_surplus"][:, p] = surplus * inputs.surplus_share
        flows["provider_surplus"][:, p] = surplus * (1.0 - inputs.surplus_share)
        flows["outstanding"][:, p] = outstanding

    return ContractArrays(
        achievements=achieved,
        outcome_payments=outcome_payments,
        payer_payments=payer_payments,
        fees=inputs.fees,
        provider_costs=costs,
        participant_cap_factor=factor,
        drawdowns=flows["drawdowns"],
        principal_repaid=flows["principal"],
        return_paid=flows["return"],
        investor_surplus=flows["investor_surplus"],
        provider_surplus=flows["provider_surplus"],
        provider_loss=flows["loss"],
        outstanding=flows["outstanding"],
    )
