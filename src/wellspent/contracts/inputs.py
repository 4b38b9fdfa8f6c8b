"""Compiling a validated ``contract/1`` spec into the contract engine's arrays.

Every per-draw array has a leading draw axis ``D`` (DESIGN §1): a deterministic run is one draw; Monte Carlo and
scenario tables supply the same arrays with more draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from wellspent.costs.library import UnitCostLibrary
from wellspent.specs.contract import ContractSpec, RateCardOutcome

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

PER_DRAW_FIELDS: tuple[str, ...] = (
    "referrals", "achievement", "performance", "cap_per_participant", "cap_per_period", "cap_contract",
    "payer_share", "fees", "fixed_costs", "cost_per_referral", "cost_per_outcome", "commitment", "return_rate",
    "surplus_share",
)
"""Inputs with a leading draw axis; the rest (prices, lags, chains, payer caps, dates) is shared by every draw."""


@dataclass(frozen=True)
class ContractInputs:
    """Numbers in for :func:`wellspent.contracts.engine.evaluate`; £ are cash as the contract states them.

    Shapes: ``D`` draws, ``P`` periods, ``O`` rate-card outcomes (in an order where a chained outcome follows
    the one it is conditional on), ``Y`` payers.
    """

    referrals: FloatArray  # (D, P) new participants per period
    achievement: FloatArray  # (D, O) expected achievements per referral (chained: per achiever of the parent)
    performance: FloatArray  # (D,) multiple of expected achievement applied to unconditional outcomes
    price: FloatArray  # (O,) £ per achievement
    lag: IntArray  # (O,) periods after referral (chained: after the parent's achievement)
    limit: IntArray  # (O,) most payable achievements per participant
    parent: IntArray  # (O,) index of the outcome it follows, or -1
    cap_per_participant: FloatArray  # (D,) £, inf for none
    cap_per_period: FloatArray  # (D,) £, inf for none
    cap_contract: FloatArray  # (D,) £, inf for none
    payer_share: FloatArray  # (D, Y)
    payer_cap: FloatArray  # (Y,) £ over the contract, inf for none
    fees: FloatArray  # (D, Y, P) fees for service by payer and period
    fixed_costs: FloatArray  # (D, P) provider's fixed costs
    cost_per_referral: FloatArray  # (D,)
    cost_per_outcome: FloatArray  # (D, O)
    commitment: FloatArray  # (D,) investor's revolving commitment (0: no investor)
    return_rate: FloatArray  # (D,) a year, on outstanding principal
    surplus_share: FloatArray  # (D,) investors' share of surplus after principal and return
    periods_per_year: int
    reserve_periods: int = 0

    @property
    def draws(self) -> int:
        return int(self.referrals.shape[0])

    @property
    def periods(self) -> int:
        return int(self.referrals.shape[1])

    def repeat_draws(self, n: int) -> ContractInputs:
        """The same one-draw inputs repeated ``n`` times along the draw axis."""
        if self.draws != 1:
            raise ValueError("repeat_draws needs one-draw inputs")
        changes: dict[str, Any] = {name: np.repeat(getattr(self, name), n, axis=0) for name in PER_DRAW_FIELDS}
        return replace(self, **changes)

    def with_performance(self, performance: FloatArray) -> ContractInputs:
        """One draw per performance multiple (from one-draw inputs), e.g. a scenario table or a root search."""
        many = self.repeat_draws(int(performance.shape[0])) if self.draws == 1 else self
        return replace(many, performance=np.asarray(performance, dtype=np.float64))


@dataclass(frozen=True)
class OutcomeValue:
    """The public value one achievement buys (a rate-card outcome's ``value:`` link), £ in ``price_year`` prices."""

    unit_cost: str
    kind: str
    agency: str
    per_achievement: float  # unit cost (converted) × quantity × (1 − deadweight)
    transfer_share: float
    price_year: int
    verified: bool


@dataclass(frozen=True)
class ContractModel:
    """A compiled contract: the spec, the engine's inputs and the labels of their axes."""

    spec: ContractSpec
    inputs: ContractInputs
    outcome_ids: tuple[str, ...]
    payer_names: tuple[str, ...]
    period_ends: tuple[date, ...]
    values: tuple[OutcomeValue | None, ...] = ()
    """Per outcome (engine order): what an achievement is worth, where the rate card links a unit cost."""


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (clamped to the month's last day).

    >>> add_months(date(2015, 1, 31), 1)
    datetime.date(2015, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31,
            30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def period_end_dates(start: date, months_per_period: int, periods: int) -> tuple[date, ...]:
    """The last day of each period: flows within a period are dated at its end.

    >>> period_end_dates(date(2015, 1, 1), 3, 2)
    (datetime.date(2015, 3, 31), datetime.date(2015, 6, 30))
    """
    return tuple(date.fromordinal(add_months(start, months_per_period * (p + 1)).toordinal() - 1)
                 for p in range(periods))


def topological_order(ids: list[str], after: list[str | None]) -> list[int]:
    """Indices of outcomes so that each chained outcome comes after the one it follows (stable otherwise)."""
    placed: list[int] = []
    done: set[str] = set()
    remaining = list(range(len(ids)))
    while remaining:
        progress = [i for i in remaining if after[i] is None or after[i] in done]
        if not progress:
            raise ValueError("the rate card's chains form a cycle")
        for i in progress:
            placed.append(i)
            done.add(ids[i])
        remaining = [i for i in remaining if i not in progress]
    return placed


def _row(values: list[float]) -> FloatArray:
    return np.asarray(values, dtype=np.float64).reshape(1, -1)


def _scalar(value: float | None) -> FloatArray:
    return np.asarray([np.inf if value is None else value], dtype=np.float64)


def value_price_year(spec: ContractSpec) -> int:
    """The price year for valuing outcomes: the spec's ``price_year``, else the contract's start year, kept
    inside the GDP deflator series (so a 2026 start is valued in the series' latest year, 2024)."""
    from wellspent.money.deflators import load_series

    series = load_series()
    year = spec.price_year if spec.price_year is not None else spec.start_date.year
    return min(max(year, series.first_year), series.last_year)


def outcome_values(spec: ContractSpec, card: list[RateCardOutcome],
                   library: UnitCostLibrary | None = None) -> tuple[OutcomeValue | None, ...]:
    """Resolve each outcome's ``value:`` link against the unit cost library."""
    if not any(o.value is not None for o in card):
        return tuple(None for _ in card)
    from wellspent.costs.library import load_library

    library = library if library is not None else load_library()
    year = value_price_year(spec)
    values: list[OutcomeValue | None] = []
    for outcome in card:
        if outcome.value is None:
            values.append(None)
            continue
        entry = library.get(outcome.value.unit_cost)
        amount = library.amount_in(entry.id, year)
        values.append(OutcomeValue(
            unit_cost=entry.id, kind=entry.kind, agency=entry.agency,
            per_achievement=amount * outcome.value.quantity * (1.0 - outcome.value.deadweight),
            transfer_share=entry.transfer_share, price_year=year, verified=entry.verified,
        ))
    return tuple(values)


def compile_contract(spec: ContractSpec, library: UnitCostLibrary | None = None) -> ContractModel:
    """Lay a validated contract spec out as one-draw arrays (the library is read only for ``value:`` links)."""
    periods = spec.periods
    referrals = np.zeros((1, periods))
    if spec.referrals.profile is not None:
        referrals[0, : len(spec.referrals.profile)] = spec.referrals.profile
    for block in spec.referrals.blocks or []:
        referrals[0, block.first : block.last + 1] += block.per_period

    order = topological_order([o.id for o in spec.rate_card], [o.after for o in spec.rate_card])
    card = [spec.rate_card[i] for i in order]
    position = {o.id: k for k, o in enumerate(card)}

    payers = spec.payers
    payer_index = {p.name: y for y, p in enumerate(payers)}
    fees = np.zeros((1, len(payers), periods))
    for fee in spec.fees_for_service:
        y = payer_index[fee.payer] if fee.payer is not None else 0
        fees[0, y, fee.periods if fee.periods is not None else slice(None)] += fee.per_period

    fixed = np.zeros((1, periods))
    fixed_periods = spec.provider_costs.fixed_periods
    fixed[0, fixed_periods if fixed_periods is not None else slice(None)] = spec.provider_costs.fixed_per_period

    investor = spec.investor
    inputs = ContractInputs(
        referrals=referrals,
        achievement=_row([o.achievement for o in card]),
        performance=np.ones(1),
        price=np.asarray([o.price for o in card], dtype=np.float64),
        lag=np.asarray([o.lag for o in card], dtype=np.int64),
        limit=np.asarray([o.limit for o in card], dtype=np.int64),
        parent=np.asarray([position[o.after] if o.after is not None else -1 for o in card], dtype=np.int64),
        cap_per_participant=_scalar(spec.caps.per_participant),
        cap_per_period=_scalar(spec.caps.per_period),
        cap_contract=_scalar(spec.caps.contract),
        payer_share=_row([p.share for p in payers]),
        payer_cap=np.asarray([np.inf if p.cap is None else p.cap for p in payers], dtype=np.float64),
        fees=fees,
        fixed_costs=fixed,
        cost_per_referral=np.asarray([spec.provider_costs.per_referral], dtype=np.float64),
        cost_per_outcome=_row([o.provider_cost for o in card]),
        commitment=np.asarray([investor.commitment if investor else 0.0], dtype=np.float64),
        return_rate=np.asarray([investor.return_rate if investor else 0.0], dtype=np.float64),
        surplus_share=np.asarray([investor.surplus_share if investor else 0.0], dtype=np.float64),
        periods_per_year=12 // spec.months_per_period,
        reserve_periods=investor.reserve_periods if investor else 0,
    )
    return ContractModel(
        spec=spec,
        inputs=inputs,
        outcome_ids=tuple(o.id for o in card),
        payer_names=tuple(p.name for p in payers),
        period_ends=period_end_dates(spec.start_date, spec.months_per_period, periods),
        values=outcome_values(spec, card, library),
    )
