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

PAYBACK_TOLERANCE = 1e-9
"""Relative tolerance on the payback comparison, so that exact break-even is not lost to rounding."""


@dataclass(frozen=True)
class AppraisalArrays:
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


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _one_hot(index: IntArray, size: int) -> FloatArray:
    out = np.zeros((index.shape[0], size))
    out[np.arange(index.shape[0]), index] = 1.0
    return out


def _engaged_years(inputs: AppraisalInputs, engaged: FloatArray, years: IntArray) -> FloatArray:
    """Σ_c E_c × P_o(t − c − lag_o): engaged people weighted by benefit persistence, (D, O, T).

    ``P_o(k) = (1 − drop_off_o)^k`` for ``0 ≤ k < duration_o``, else 0. When drop-off is the same in every draw
    (the usual case, and every deterministic run) the persistence table has no draw axis and the sum over cohorts
    is one matrix product; otherwise a table of powers per draw is gathered cohort by cohort (a loop over the
    spec's cohorts, vectorised over draws, outcomes and years).
    """
    draws = engaged.shape[0]
    outcomes = inputs.lag.shape[0]
    horizon = years.shape[0]
    k = years[None, None, :] - inputs.cohort_years[None, :, None] - inputs.lag[:, None, None]  # (O, C, T)
    active = (k >= 0) & (k < inputs.duration[:, None, None])
    k_active = np.where(active, k, 0)
    drop_off = inputs.drop_off
    if draws == 1 or not np.any(drop_off != drop_off[:1]):
        persistence = np.where(active, (1.0 - drop_off[0])[:, None, None] ** k_active, 0.0)  # (O, C, T)
        cohorts = persistence.shape[1]
        table = persistence.transpose(1, 0, 2).reshape(cohorts, outcomes * horizon)
        result: FloatArray = (engaged @ table).reshape(draws, outcomes, horizon)
        return result
    powers = (1.0 - drop_off)[:, :, None] ** np.arange(horizon)[None, None, :]  # (D, O, T)
    rows = np.arange(outcomes)[:, None]
    result = np.zeros((draws, outcomes, horizon))
    for c in range(k.shape[1]):
        result += engaged[:, c, None, None] * (powers[:, rows, k_active[:, c, :]] * active[None, :, c, :])
    return result


def evaluate(inputs: AppraisalInputs, n_agencies: int) -> AppraisalArrays:
    """Run the appraisal for every draw at once (see the module docstring for the formulas)."""
    horizon = inputs.horizon
    years = np.arange(horizon)
    df = inputs.discount_factors

    # People: engaged in each cohort (D, C), and engaged in each appraisal year (D, T).
    engaged = inputs.referrals * inputs.engagement_rate[:, None]
    cohort_in_year = (inputs.cohort_years[:, None] == years[None, :]).astype(np.float64)  # (C, T)
    engaged_by_year = engaged @ cohort_in_year

    # Costs (D, K, T): fixed schedule, or per engaged person in the cohort's year; then optimism bias.
    per_person = inputs.cost_per_participant.astype(np.float64)
    cost_lines = inputs.cost_amounts[:, :, None] * (
        inputs.cost_schedule[None, :, :] + per_person[None, :, None] * engaged_by_year[:, None, :]
    )
    cost_lines *= (1.0 + inputs.optimism_bias_costs)[:, None, None]
    agency_of_cost = _one_hot(inputs.cost_agency, n_agencies)  # (K, A)
    costs_by_agency = np.einsum("dkt,ka->dat", cost_lines, agency_of_cost)
    costs = costs_by_agency.sum(axis=1) if n_agencies else cost_lines.sum(axis=1)

    engaged_years = _engaged_years(inputs, engaged, years)  # (D, O, T) engaged-person-years in effect

    value_per_success = (inputs.quantity * inputs.unit_value * (1.0 - inputs.benefit_correction))  # (D, O)
    gross = engaged_years * (inputs.success_rate * value_per_success)[:, :, None]  # (D, O, T)
    adjustment = (1.0 - inputs.deadweight) * inputs.attribution * (1.0 - inputs.displacement)
    net = gross * adjustment[:, :, None]

    kind_of_outcome = _one_hot(inputs.outcome_kind, len(KINDS))  # (O, 3)
    benefits_by_kind = np.einsum("dot,ok->dkt", net, kind_of_outcome)
    fiscal_outcome = kind_of_outcome[:, 0]
    agency_of_outcome = _one_hot(inputs.outcome_agency, n_agencies) * fiscal_outcome[:, None]  # (O, A)
    fiscal_by_agency = np.einsum("dot,oa->dat", net, agency_of_outcome)
    cashable = agency_of_outcome * inputs.outcome_cashable[:, None]
    cashable_by_agency = np.einsum("dot,oa->dat", net, cashable)
    transfers = np.einsum("dot,o->dt", net, fiscal_outcome * inputs.outcome_transfer_share)

    # Present values and payback.
    pv_costs = costs @ df
    cumulative_costs = np.cumsum(costs * df, axis=1)
    cumulative_fiscal = np.cumsum(benefits_by_kind[:, 0, :] * df, axis=1)
    paid_back = (cumulative_costs > 0) & (
        cumulative_fiscal >= cumulative_costs * (1.0 - PAYBACK_TOLERANCE)
    )
    payback_year = np.where(paid_back.any(axis=1), paid_back.argmax(axis=1), -1).astype(np.int64)

    return AppraisalArrays(
        costs=costs,
        benefits_by_kind=benefits_by_kind,
        transfers=transfers,
        costs_by_agency=costs_by_agency,
        fiscal_by_agency=fiscal_by_agency,
        cashable_by_agency=cashable_by_agency,
        successes=engaged.sum(axis=1)[:, None] * inputs.success_rate,
        outcome_benefits=net,
        outcome_gross_benefits=gross,
        pv_costs=pv_costs,
        pv_benefits_by_kind=benefits_by_kind @ df,
        pv_transfers=transfers @ df,
        pv_costs_by_agency=costs_by_agency @ df,
        pv_fiscal_by_agency=fiscal_by_agency @ df,
        pv_cashable_by_agency=cashable_by_agency @ df,
        pv_outcome_benefits=net @ df,
        pv_outcome_gross_benefits=gross @ df,
        payback_year=payback_year,
    )
