"""The Green Book appraisal engine: pure, numpy-vectorised over a leading draw axis (DESIGN §1, §3).

No I/O, no clock, no Python loop over draws or years. Formulas (DESIGN §3; HM Treasury Green Book 2018
§5.54–5.56 for NPSV and BCR; HM Treasury (2014) CBA guidance for local partnerships for the engagement →
success → deadweight chain and fiscal/economic/social values by agency):

- engaged people ``E_c = referrals_c × engagement_rate``;
- costs in year t: ``per_year`` in each listed year, ``per_participant × E_c`` in year c, ``once`` in its
  year, all × ``(1 + optimism_bias.costs)``;
- successes ``S_{c,o} = E_c × success_rate_o``; benefit of outcome o in year t from cohort c:
  ``S_{c,o} × quantity_o × V_o × P_o(t − c − lag_o) × (1 − deadweight) × attribution × (1 − displacement)``
  with ``P(k) = (1 − drop_off)^k`` for ``0 ≤ k < duration`` and 0 otherwise, and ``V_o`` the unit value in
  price-year prices less the optimism-bias correction for its confidence grade;
- transfer payments (the ``transfer_share`` of a fiscal value: benefits no longer paid, tax gained) count in
  fiscal benefits and by agency but are left out of public value, ``PVB = fiscal + economic + social −
  transfers`` (Green Book: transfers are not a gain to society; GMCA UCD v1.4 notes; ADR 0007);
- present values with the Green Book discount factors (``DF_0 = 1``); ``NPSV = PVB − PVC``,
  ``BCR = PVB / PVC``, fiscal BCR = PV fiscal benefits / PVC;
- payback year: the first t at which cumulative discounted fiscal benefits ≥ cumulative discounted costs
  (GMCA CBA model "pay-back period"), counted only once some cost has been incurred.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wellspent.appraisal.inputs import KINDS, AppraisalInputs

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PAYBACK_TOLERANCE = 1e-9
"""Relative tolerance on the payback comparison, so that exact break-even is not lost to rounding."""


class _Headlines:
    """NPSV, BCR and fiscal BCR from present values (Green Book 2018 §5.54–5.56), for both result shapes."""

    pv_costs: FloatArray  # (D,)
    pv_benefits_by_kind: FloatArray  # (D, 3)
    pv_transfers: FloatArray  # (D,)

    @property
    def pv_benefits(self) -> FloatArray:
        """PV of public value: every kind of benefit less transfer payments (D,)."""
        total: FloatArray = self.pv_benefits_by_kind.sum(axis=1) - self.pv_transfers
        return total

    @property
    def npsv(self) -> FloatArray:
        """Net present social value, PVB − PVC (Green Book 2018 §5.54) (D,)."""
        return self.pv_benefits - self.pv_costs

    @property
    def bcr(self) -> FloatArray:
        """Benefit-cost ratio, PVB / PVC (Green Book 2018 §5.55); NaN where PVC is 0 (D,)."""
        return _ratio(self.pv_benefits, self.pv_costs)

    @property
    def fiscal_bcr(self) -> FloatArray:
        """PV of fiscal benefits / PVC: the GMCA "financial ROI" view (D,)."""
        return _ratio(self.pv_benefits_by_kind[:, 0], self.pv_costs)


@dataclass(frozen=True)
class AppraisalArrays(_Headlines):
    """Numbers out, per draw. Money per year is undiscounted real £ (price-year prices); ``pv_*`` discounted.

    Shapes: ``D`` draws, ``T`` years, ``A`` agencies, ``O`` outcomes, 3 kinds (fiscal, economic, social).
    """

    costs: FloatArray  # (D, T)
    benefits_by_kind: FloatArray  # (D, 3, T) fiscal includes transfers
    transfers: FloatArray  # (D, T) the transfer-payment part of fiscal benefits
    costs_by_agency: FloatArray  # (D, A, T)
    fiscal_by_agency: FloatArray  # (D, A, T)
    cashable_by_agency: FloatArray  # (D, A, T)
    successes: FloatArray  # (D, O) gross successes, before deadweight
    outcome_benefits: FloatArray  # (D, O, T) net benefit
    outcome_gross_benefits: FloatArray  # (D, O, T) before deadweight, attribution and displacement
    pv_costs: FloatArray  # (D,)
    pv_benefits_by_kind: FloatArray  # (D, 3)
    pv_transfers: FloatArray  # (D,)
    pv_costs_by_agency: FloatArray  # (D, A)
    pv_fiscal_by_agency: FloatArray  # (D, A)
    pv_cashable_by_agency: FloatArray  # (D, A)
    pv_outcome_benefits: FloatArray  # (D, O)
    pv_outcome_gross_benefits: FloatArray  # (D, O)
    payback_year: IntArray  # (D,) first year t of payback, or -1 if none within the horizon


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _one_hot(index: IntArray, size: int) -> FloatArray:
    out = np.zeros((index.shape[0], size))
    out[np.arange(index.shape[0]), index] = 1.0
    return out


def _persistence(inputs: AppraisalInputs, years: IntArray) -> tuple[BoolArray, IntArray]:
    """Where each outcome's benefit from each cohort is in effect, and how many years in: (O, C, T) each."""
    k = years[None, None, :] - inputs.cohort_years[None, :, None] - inputs.lag[:, None, None]
    active = (k >= 0) & (k < inputs.duration[:, None, None])
    return active, np.where(active, k, 0)


def _shared_persistence(inputs: AppraisalInputs, years: IntArray) -> FloatArray | None:
    """``P_o(t − c − lag_o)`` as an (O, C, T) table when drop-off is the same in every draw (the usual case, and
    every deterministic run); None when drop-off varies by draw."""
    drop_off = inputs.drop_off
    if drop_off.shape[0] > 1 and np.any(drop_off != drop_off[:1]):
        return None
    active, k = _persistence(inputs, years)
    table: FloatArray = np.where(active, (1.0 - drop_off[0])[:, None, None] ** k, 0.0)
    return table


def _engaged_years(inputs: AppraisalInputs, engaged: FloatArray, years: IntArray) -> FloatArray:
    """Σ_c E_c × P_o(t − c − lag_o): engaged people weighted by benefit persistence, (D, O, T).

    ``P_o(k) = (1 − drop_off_o)^k`` for ``0 ≤ k < duration_o``, else 0. With a shared persistence table the sum
    over cohorts is one matrix product; otherwise a table of powers per draw is gathered cohort by cohort (a loop
    over the spec's cohorts, vectorised over draws, outcomes and years).
    """
    draws = engaged.shape[0]
    outcomes = inputs.lag.shape[0]
    horizon = years.shape[0]
    table = _shared_persistence(inputs, years)
    if table is not None:
        cohorts = table.shape[1]
        flat = table.transpose(1, 0, 2).reshape(cohorts, outcomes * horizon)
        result: FloatArray = (engaged @ flat).reshape(draws, outcomes, horizon)
        return result
    active, k_active = _persistence(inputs, years)
    powers = (1.0 - inputs.drop_off)[:, :, None] ** np.arange(horizon)[None, None, :]  # (D, O, T)
    rows = np.arange(outcomes)[:, None]
    result = np.zeros((draws, outcomes, horizon))
    for c in range(k_active.shape[1]):
        result += engaged[:, c, None, None] * (powers[:, rows, k_active[:, c, :]] * active[None, :, c, :])
    return result


def _pv_engaged_years_by_draw(inputs: AppraisalInputs, engaged: FloatArray, years: IntArray) -> FloatArray:
    """PV of engaged-person-years (D, O) when drop-off varies by draw, without a (D, O, C, T) array.

    Outcomes whose drop-off is the same in every draw use their shared persistence table (one matrix product).
    For the others, ``Σ_c E_c Σ_k DF_{c + lag + k} r^k`` over the years k the benefit lasts, with
    ``r = 1 − drop_off``: the powers ``r^k`` (D, O', T) are a cumulative product and the sums one batched matrix
    product per outcome.
    """
    draws, outcomes = inputs.drop_off.shape
    horizon = years.shape[0]
    df = inputs.discount_factors
    active, k = _persistence(inputs, years)  # (O, C, T)
    varying = np.any(inputs.drop_off != inputs.drop_off[:1], axis=0)  # (O,)
    pv = np.empty((draws, outcomes))
    steady = np.flatnonzero(~varying)
    if steady.size:
        table = np.where(active[steady], (1.0 - inputs.drop_off[0, steady])[:, None, None] ** k[steady], 0.0)
        pv[:, steady] = engaged @ (table @ df).T
    moving = np.flatnonzero(varying)
    if moving.size:
        ratio = 1.0 - inputs.drop_off[:, moving].T  # (O', D)
        powers = np.empty((moving.size, draws, horizon))  # laid out for the batched product below
        powers[:, :, 0] = 1.0
        powers[:, :, 1:] = ratio[:, :, None]
        np.cumprod(powers, axis=2, out=powers)
        # coefficients[o, k, c] = DF_t for the year t in which the benefit from cohort c is k years in
        coefficients = np.zeros((moving.size, horizon, active.shape[1]))
        o_index, c_index, t_index = np.nonzero(active[moving])
        coefficients[o_index, k[moving][o_index, c_index, t_index], c_index] = df[t_index]
        per_cohort = np.matmul(powers, coefficients)  # (O', D, C)
        pv[:, moving] = (per_cohort * engaged[None, :, :]).sum(axis=2).T
    return pv


@dataclass(frozen=True)
class _Core:
    """What both the detailed and the summary evaluation need."""

    engaged: FloatArray  # (D, C)
    engaged_by_year: FloatArray  # (D, T)
    gross_factor: FloatArray  # (D, O) £ per engaged-person-year before deadweight, attribution, displacement
    net_factor: FloatArray  # (D, O) £ per engaged-person-year after them
    kind_of_outcome: FloatArray  # (O, 3)
    fiscal_agency_of_outcome: FloatArray  # (O, A) fiscal outcomes only
    agency_of_cost: FloatArray  # (K, A)


def _core(inputs: AppraisalInputs, n_agencies: int) -> _Core:
    years = np.arange(inputs.horizon)
    # People: engaged in each cohort (D, C), and engaged in each appraisal year (D, T).
    engaged = inputs.referrals * inputs.engagement_rate[:, None]
    cohort_in_year = (inputs.cohort_years[:, None] == years[None, :]).astype(np.float64)  # (C, T)
    engaged_by_year = engaged @ cohort_in_year
    # Benefits: engaged-person-years in effect × £ per engaged-person-year of each outcome.
    value_per_success = inputs.quantity * inputs.unit_value * (1.0 - inputs.benefit_correction)  # (D, O)
    gross_factor = inputs.success_rate * value_per_success
    adjustment = (1.0 - inputs.deadweight) * inputs.attribution * (1.0 - inputs.displacement)
    kind_of_outcome = _one_hot(inputs.outcome_kind, len(KINDS))  # (O, 3)
    return _Core(
        engaged=engaged,
        engaged_by_year=engaged_by_year,
        gross_factor=gross_factor,
        net_factor=gross_factor * adjustment,
        kind_of_outcome=kind_of_outcome,
        fiscal_agency_of_outcome=_one_hot(inputs.outcome_agency, n_agencies) * kind_of_outcome[:, :1],
        agency_of_cost=_one_hot(inputs.cost_agency, n_agencies),
    )


def _cost_lines(inputs: AppraisalInputs, engaged_by_year: FloatArray) -> FloatArray:
    """Costs (D, K, T): each line's fixed schedule, or per engaged person in the cohort's year; × (1 + OB)."""
    per_person = inputs.cost_per_participant.astype(np.float64)
    lines: FloatArray = inputs.cost_amounts[:, :, None] * (
        inputs.cost_schedule[None, :, :] + per_person[None, :, None] * engaged_by_year[:, None, :]
    )
    lines *= (1.0 + inputs.optimism_bias_costs)[:, None, None]
    return lines


def _pv_cost_lines(inputs: AppraisalInputs, engaged_by_year: FloatArray) -> FloatArray:
    """PV of each cost line (D, K) without the (D, K, T) array: amount × (PV of its schedule + PV of engaged
    people if per participant) × (1 + OB)."""
    df = inputs.discount_factors
    per_person = inputs.cost_per_participant.astype(np.float64)
    pv: FloatArray = inputs.cost_amounts * (
        (inputs.cost_schedule @ df)[None, :] + per_person[None, :] * (engaged_by_year @ df)[:, None]
    )
    pv *= (1.0 + inputs.optimism_bias_costs)[:, None]
    return pv


def _payback(costs: FloatArray, fiscal: FloatArray, df: FloatArray) -> IntArray:
    """First year t with cumulative discounted fiscal benefits ≥ cumulative discounted costs (> 0), or −1."""
    cumulative_costs = np.cumsum(costs * df, axis=1)
    cumulative_fiscal = np.cumsum(fiscal * df, axis=1)
    paid_back = (cumulative_costs > 0) & (cumulative_fiscal >= cumulative_costs * (1.0 - PAYBACK_TOLERANCE))
    payback: IntArray = np.where(paid_back.any(axis=1), paid_back.argmax(axis=1), -1).astype(np.int64)
    return payback


@dataclass(frozen=True)
class AppraisalSummary(_Headlines):
    """Present values only, per draw: what a Monte Carlo run keeps (no per-year breakdowns)."""

    pv_costs: FloatArray  # (D,)
    pv_benefits_by_kind: FloatArray  # (D, 3)
    pv_transfers: FloatArray  # (D,)
    pv_costs_by_agency: FloatArray  # (D, A)
    pv_fiscal_by_agency: FloatArray  # (D, A)
    payback_year: IntArray | None  # (D,), or None when not asked for


def evaluate_summary(inputs: AppraisalInputs, n_agencies: int, payback: bool = True) -> AppraisalSummary:
    """The same appraisal as :func:`evaluate` reduced to present values — the Monte Carlo path: per-outcome PVs
    come from the PV of engaged-person-years, so no (draws × outcomes × years) money arrays are built.
    ``payback=False`` skips the payback year (which needs fiscal benefits year by year)."""
    core = _core(inputs, n_agencies)
    df = inputs.discount_factors
    years = np.arange(inputs.horizon)
    fiscal_weights = core.net_factor * core.kind_of_outcome[None, :, 0]  # (D, O)
    table = _shared_persistence(inputs, years)
    fiscal_by_year: FloatArray | None = None
    if table is not None:  # two small matrix products, no (D, O, T) array
        cohorts, outcomes = table.shape[1], table.shape[0]
        pv_engaged_years = core.engaged @ (table @ df).T  # (D, C) @ (C, O)
        if payback:
            by_cohort_outcome = (core.engaged[:, :, None] * fiscal_weights[:, None, :]).reshape(-1, cohorts * outcomes)
            fiscal_by_year = by_cohort_outcome @ table.transpose(1, 0, 2).reshape(cohorts * outcomes, -1)
    elif not payback:
        pv_engaged_years = _pv_engaged_years_by_draw(inputs, core.engaged, years)
    else:
        engaged_years = _engaged_years(inputs, core.engaged, years)
        pv_engaged_years = engaged_years @ df
        fiscal_by_year = (engaged_years * fiscal_weights[:, :, None]).sum(axis=1)
    pv_net = pv_engaged_years * core.net_factor  # (D, O)
    transfer_weights = core.kind_of_outcome[:, 0] * inputs.outcome_transfer_share  # (O,)
    pv_lines = _pv_cost_lines(inputs, core.engaged_by_year)
    payback_year = None
    if fiscal_by_year is not None:
        payback_year = _payback(_cost_lines(inputs, core.engaged_by_year).sum(axis=1), fiscal_by_year, df)
    return AppraisalSummary(
        pv_costs=pv_lines.sum(axis=1),
        pv_benefits_by_kind=pv_net @ core.kind_of_outcome,
        pv_transfers=pv_net @ transfer_weights,
        pv_costs_by_agency=pv_lines @ core.agency_of_cost,
        pv_fiscal_by_agency=pv_net @ core.fiscal_agency_of_outcome,
        payback_year=payback_year,
    )


def evaluate(inputs: AppraisalInputs, n_agencies: int) -> AppraisalArrays:
    """Run the appraisal for every draw at once, with every breakdown by year (see the module docstring)."""
    core = _core(inputs, n_agencies)
    df = inputs.discount_factors
    engaged_years = _engaged_years(inputs, core.engaged, np.arange(inputs.horizon))  # (D, O, T)
    gross = engaged_years * core.gross_factor[:, :, None]
    net = engaged_years * core.net_factor[:, :, None]

    def by(weights: FloatArray) -> FloatArray:
        """(D, O, T) outcomes combined with (O, K) weights → (D, K, T)."""
        combined: FloatArray = np.matmul(weights.T, net)
        return combined

    cost_lines = _cost_lines(inputs, core.engaged_by_year)
    costs = cost_lines.sum(axis=1)
    costs_by_agency = np.matmul(core.agency_of_cost.T, cost_lines)  # (D, A, T)
    benefits_by_kind = by(core.kind_of_outcome)
    fiscal_by_agency = by(core.fiscal_agency_of_outcome)
    cashable_by_agency = by(core.fiscal_agency_of_outcome * inputs.outcome_cashable[:, None])
    transfers = by((core.kind_of_outcome[:, 0] * inputs.outcome_transfer_share)[:, None])[:, 0, :]

    return AppraisalArrays(
        costs=costs,
        benefits_by_kind=benefits_by_kind,
        transfers=transfers,
        costs_by_agency=costs_by_agency,
        fiscal_by_agency=fiscal_by_agency,
        cashable_by_agency=cashable_by_agency,
        successes=core.engaged.sum(axis=1)[:, None] * inputs.success_rate,
        outcome_benefits=net,
        outcome_gross_benefits=gross,
        pv_costs=costs @ df,
        pv_benefits_by_kind=benefits_by_kind @ df,
        pv_transfers=transfers @ df,
        pv_costs_by_agency=costs_by_agency @ df,
        pv_fiscal_by_agency=fiscal_by_agency @ df,
        pv_cashable_by_agency=cashable_by_agency @ df,
        pv_outcome_benefits=net @ df,
        pv_outcome_gross_benefits=gross @ df,
        payback_year=_payback(costs, benefits_by_kind[:, 0, :], df),
    )
