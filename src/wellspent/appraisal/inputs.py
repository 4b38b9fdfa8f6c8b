"""Compiling a validated spec into the engine's arrays (the only step that touches the unit cost library).

Every per-draw array has a leading draw axis ``D`` (DESIGN §1): a deterministic appraisal is one draw, and a
Monte Carlo run supplies the same arrays with ``D`` draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from wellspent.appraisal.optimism_bias import DEFAULT_TABLE_NOTE, benefit_correction
from wellspent.costs.library import UnitCostLibrary, load_library
from wellspent.money.deflators import DEFAULT_SERIES, load_series
from wellspent.money.discounting import discount_factors, resolve_discounting
from wellspent.specs.appraisal import AppraisalSpec

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KINDS: tuple[str, str, str] = ("fiscal", "economic", "social")

PER_DRAW_FIELDS: tuple[str, ...] = (
    "referrals", "engagement_rate", "cost_amounts", "optimism_bias_costs", "success_rate", "quantity",
    "unit_value", "benefit_correction", "drop_off", "deadweight", "attribution", "displacement",
)
"""The inputs with a leading draw axis; the rest is structure shared by every draw."""


@dataclass(frozen=True)
class AppraisalInputs:
    """Numbers in for :func:`wellspent.appraisal.engine.evaluate`. £ are real, in the spec's price year.

    Shapes: ``D`` draws, ``T`` years, ``C`` cohorts, ``K`` cost lines, ``O`` outcomes.
    """

    discount_factors: FloatArray  # (T,)
    cohort_years: IntArray  # (C,) appraisal year of each cohort
    referrals: FloatArray  # (D, C) people referred
    engagement_rate: FloatArray  # (D,) share of referrals who engage
    cost_amounts: FloatArray  # (D, K) £ per year / per engaged person / once
    cost_schedule: FloatArray  # (K, T) 1 where a per_year or once cost falls; all 0 for per_participant lines
    cost_per_participant: BoolArray  # (K,)
    cost_agency: IntArray  # (K,) index into AppraisalModel.agencies
    optimism_bias_costs: FloatArray  # (D,) uplift on every cost
    success_rate: FloatArray  # (D, O)
    quantity: FloatArray  # (D, O) units of the value's `per` per success per year
    unit_value: FloatArray  # (D, O) £ per unit in price-year prices, before the optimism-bias correction
    benefit_correction: FloatArray  # (D, O) optimism-bias correction by confidence grade
    drop_off: FloatArray  # (D, O)
    deadweight: FloatArray  # (D, O)
    attribution: FloatArray  # (D, O)
    displacement: FloatArray  # (D, O)
    lag: IntArray  # (O,) years
    duration: IntArray  # (O,) years
    outcome_kind: IntArray  # (O,) index into KINDS
    outcome_agency: IntArray  # (O,) index into AppraisalModel.agencies
    outcome_cashable: BoolArray  # (O,)
    outcome_transfer_share: FloatArray  # (O,) share of a fiscal value that is a transfer payment

    @property
    def horizon(self) -> int:
        return int(self.discount_factors.shape[0])

    @property
    def draws(self) -> int:
        return int(self.referrals.shape[0])

    def repeat_draws(self, n: int) -> AppraisalInputs:
        """The same one-draw inputs repeated ``n`` times along the draw axis (a base for Monte Carlo draws)."""
        if self.draws != 1:
            raise ValueError("repeat_draws needs one-draw inputs")
        changes = {name: np.repeat(getattr(self, name), n, axis=0) for name in PER_DRAW_FIELDS}
        return replace(self, **changes)


@dataclass(frozen=True)
class OutcomeSource:
    """Where an outcome's unit value came from, for showing the working."""

    unit_cost: str | None  # library id, or None for an inline value
    source: str
    amount: float  # £ per `per` in `price_year` prices, as stated by the source
    price_year: str
    per: str
    kind: str
    agency: str
    cashable: bool
    transfer_share: float
    confidence: int
    verified: bool
    price_factor: float = 1.0
    """GDP deflator ratio from the source's price year to the spec's: ``unit_value = amount × price_factor``."""


@dataclass(frozen=True)
class AppraisalModel:
    """A compiled appraisal: the spec, the engine's inputs and the labels that go with their axes."""

    spec: AppraisalSpec
    inputs: AppraisalInputs
    agencies: tuple[str, ...]
    cost_names: tuple[str, ...]
    outcome_names: tuple[str, ...]
    outcome_sources: tuple[OutcomeSource, ...]
    discounting: str
    deflator_series: str
    warnings: tuple[str, ...] = field(default=())


def _row(values: list[float]) -> FloatArray:
    return np.asarray(values, dtype=np.float64).reshape(1, -1)


def compile_appraisal(spec: AppraisalSpec, library: UnitCostLibrary | None = None,
                      series: str = DEFAULT_SERIES) -> AppraisalModel:
    """Resolve unit costs (converted to the spec's price year with the GDP deflator, DESIGN §2), optimism-bias
    corrections and discount factors, and lay the spec out as one-draw arrays."""
    library = library if library is not None else load_library()
    deflator = load_series(series)
    horizon = spec.horizon
    target_index = deflator.index(spec.price_year)

    agencies: list[str] = []

    def agency_index(agency: str) -> int:
        if agency not in agencies:
            agencies.append(agency)
        return agencies.index(agency)

    cost_schedule = np.zeros((len(spec.costs), horizon))
    cost_amounts: list[float] = []
    cost_pp: list[bool] = []
    cost_agency: list[int] = []
    for k, cost in enumerate(spec.costs):
        cost_agency.append(agency_index(cost.agency))
        if cost.per_year is not None:
            cost_amounts.append(cost.per_year)
            cost_pp.append(False)
            cost_schedule[k, cost.years if cost.years is not None else slice(None)] = 1.0
        elif cost.per_participant is not None:
            cost_amounts.append(cost.per_participant)
            cost_pp.append(True)
        else:
            assert cost.once is not None and cost.year is not None
            cost_amounts.append(cost.once)
            cost_pp.append(False)
            cost_schedule[k, cost.year] = 1.0

    overrides = spec.optimism_bias.benefits_by_confidence
    sources: list[OutcomeSource] = []
    unit_values: list[float] = []
    corrections: list[float] = []
    used_default_table = False
    warnings: list[str] = []
    unverified: list[str] = []
    for outcome in spec.outcomes:
        if outcome.unit_cost is not None:
            entry = library.get(outcome.unit_cost)
            src = OutcomeSource(outcome.unit_cost, entry.source, entry.amount, str(entry.price_year), entry.per,
                                entry.kind, entry.agency, entry.cashable, entry.transfer_share, entry.confidence,
                                entry.verified)
            if not entry.verified and entry.id not in unverified:
                unverified.append(entry.id)
        else:
            block = outcome.value
            assert block is not None
            src = OutcomeSource(None, block.source, block.amount, str(block.price_year), block.per, block.kind,
                                block.agency, block.cashable, block.transfer_share, block.confidence, False)
        src = replace(src, price_factor=target_index / deflator.index(src.price_year))
        sources.append(src)
        unit_values.append(src.amount * src.price_factor)
        correction, from_default = benefit_correction(src.confidence, overrides)
        used_default_table |= from_default
        corrections.append(correction)
    if used_default_table:
        warnings.append(DEFAULT_TABLE_NOTE)
    if unverified:
        warnings.append(f"unit costs not verified against their primary source: {', '.join(unverified)}")

    kinds = [KINDS.index(s.kind) for s in sources]
    outcome_agency = [agency_index(s.agency) for s in sources]
    outcomes = spec.outcomes

    inputs = AppraisalInputs(
        discount_factors=discount_factors(resolve_discounting(spec.discounting), horizon),
        cohort_years=np.asarray([c.year for c in spec.cohorts], dtype=np.int64),
        referrals=_row([c.referrals for c in spec.cohorts]),
        engagement_rate=np.asarray([spec.engagement_rate], dtype=np.float64),
        cost_amounts=_row(cost_amounts),
        cost_schedule=cost_schedule,
        cost_per_participant=np.asarray(cost_pp, dtype=np.bool_),
        cost_agency=np.asarray(cost_agency, dtype=np.int64),
        optimism_bias_costs=np.asarray([spec.optimism_bias.costs], dtype=np.float64),
        success_rate=_row([o.success_rate for o in outcomes]),
        quantity=_row([o.quantity for o in outcomes]),
        unit_value=_row(unit_values),
        benefit_correction=_row(corrections),
        drop_off=_row([o.drop_off for o in outcomes]),
        deadweight=_row([o.deadweight for o in outcomes]),
        attribution=_row([o.attribution for o in outcomes]),
        displacement=_row([o.displacement for o in outcomes]),
        lag=np.asarray([o.lag for o in outcomes], dtype=np.int64),
        duration=np.asarray([o.duration for o in outcomes], dtype=np.int64),
        outcome_kind=np.asarray(kinds, dtype=np.int64),
        outcome_agency=np.asarray(outcome_agency, dtype=np.int64),
        outcome_cashable=np.asarray([s.cashable for s in sources], dtype=np.bool_),
        outcome_transfer_share=np.asarray([s.transfer_share for s in sources], dtype=np.float64),
    )
    discounting = spec.discounting if isinstance(spec.discounting, str) else f"constant {spec.discounting:g}"
    return AppraisalModel(
        spec=spec,
        inputs=inputs,
        agencies=tuple(agencies),
        cost_names=tuple(c.name for c in spec.costs),
        outcome_names=tuple(o.name for o in outcomes),
        outcome_sources=tuple(sources),
        discounting=f"{discounting} ({resolve_discounting(spec.discounting).name})"
        if isinstance(spec.discounting, str) else discounting,
        deflator_series=deflator.name,
        warnings=tuple(warnings),
    )
