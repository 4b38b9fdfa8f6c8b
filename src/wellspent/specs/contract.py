"""pydantic v2 models of the ``wellspent: contract/1`` spec: a social outcomes contract (social impact bond).

Periods are months or quarters counted ``p = 0 … periods-1`` from ``start`` (the first day of period 0). Money is
cash £ as the contract states it (rate cards are not indexed). See ``docs/contract-spec.md``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from wellspent.costs.model import KEBAB
from wellspent.specs.appraisal import Money, Rate
from wellspent.specs.common import StrictModel, UncertaintySettings, known_agency, known_policy_area

MAX_PERIODS = 240
"""Longest contract accepted, in periods (20 years of months)."""

Period = Annotated[int, Field(ge=0, le=MAX_PERIODS)]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReferralBlock(StrictModel):
    """``per_period`` new participants in each period from ``first`` to ``last`` (inclusive)."""

    per_period: Money
    first: Period = 0
    last: Period


class Referrals(StrictModel):
    """New participants per period: an explicit ``profile`` (one number per period from period 0), or blocks."""

    profile: list[Money] | None = None
    blocks: list[ReferralBlock] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Referrals:
        if (self.profile is None) == (self.blocks is None):
            raise ValueError("give exactly one of profile (a number per period) or blocks")
        for block in self.blocks or []:
            if block.last < block.first:
                raise ValueError(f"a block's last period ({block.last}) is before its first ({block.first})")
        return self


class ValueLink(StrictModel):
    """The public value one achievement of an outcome buys: a library unit cost (DESIGN §4) × ``quantity``, less
    deadweight, in the unit cost's own ``per`` (e.g. 26 weeks of a weekly cost)."""

    unit_cost: Annotated[str, Field(pattern=KEBAB)]
    quantity: Money = 1.0
    deadweight: Rate = 0.0


class RateCardOutcome(StrictModel):
    """One priced outcome.

    ``achievement`` is the expected share of referrals achieving it (for a chained outcome, of those who achieved
    ``after``) — or, when ``limit`` > 1, the expected number of payable achievements per person (≤ limit).
    ``lag`` is in periods after referral (chained: after the outcome it follows).
    """

    id: Annotated[str, Field(pattern=KEBAB)]
    name: Annotated[str, Field(min_length=1)]
    price: Money
    achievement: Annotated[float, Field(ge=0.0, le=100.0, allow_inf_nan=False)]
    lag: Period = 0
    limit: Annotated[int, Field(ge=1, le=100)] = 1
    after: Annotated[str, Field(pattern=KEBAB)] | None = None
    provider_cost: Money = 0.0
    """£ the provider spends per achievement (e.g. a bonus or sustainment support)."""
    value: ValueLink | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _achievement_within_limit(self) -> RateCardOutcome:
        if self.achievement > self.limit:
            raise ValueError(f"achievement {self.achievement} is more than the limit of {self.limit} per participant")
        if self.after is not None and self.limit != 1:
            raise ValueError("a chained outcome (after: …) must have limit 1")
        return self


class Caps(StrictModel):
    """Caps on outcome payments, £: per participant, per period and for the whole contract."""

    per_participant: Money | None = None
    per_period: Money | None = None
    contract: Money | None = None


class Payer(StrictModel):
    """Who pays outcome payments: a share of each payment, up to an optional cap (£, whole contract).

    Payments a capped payer can no longer make fall to the uncapped payers in proportion to their shares
    (an outcomes-fund top-up runs out; the commissioner carries on paying) — or go unpaid if every payer is capped.
    """

    name: Annotated[str, Field(min_length=1)]
    agency: str
    share: Rate
    cap: Money | None = None
    outcomes_fund: bool = False

    _agency = field_validator("agency")(known_agency)


class FeeForService(StrictModel):
    """Fixed payments alongside payments for results: ``per_period`` £ in each listed period, from ``payer``."""

    name: Annotated[str, Field(min_length=1)]
    per_period: Money
    periods: list[Period] | None = None
    payer: str | None = None


class ProviderCosts(StrictModel):
    """The provider's delivery costs, £: fixed per period (in ``fixed_periods``, default every period), per referral
    (in the referral's period)."""

    fixed_per_period: Money = 0.0
    fixed_periods: list[Period] | None = None
    per_referral: Money = 0.0


class Investor(StrictModel):
    """Social investment: a revolving ``commitment`` (most capital outstanding at once) drawn to cover deficits,
    repaid through a waterfall — principal, then a return of ``return_rate`` a year on outstanding principal, then
    ``surplus_share`` of anything left (the rest goes to the provider)."""

    name: str = "Social investors"
    commitment: Money
    return_rate: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 0.0
    surplus_share: Rate = 0.0
    reserve_periods: Annotated[int, Field(ge=0, le=MAX_PERIODS)] = 0
    """Before distributing, the SPV keeps enough cash to pay the provider's costs of the next ``reserve_periods``
    periods (0: distribute every period's surplus and draw again when costs return)."""


class ContractSpec(StrictModel):
    """A ``wellspent: contract/1`` spec."""

    wellspent: Literal["contract/1"]
    name: Annotated[str, Field(min_length=1)]
    description: str | None = None
    policy_area: str
    start: str
    period: Literal["month", "quarter"]
    periods: Annotated[int, Field(ge=1, le=MAX_PERIODS)]
    price_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    referrals: Referrals
    rate_card: Annotated[list[RateCardOutcome], Field(min_length=1)]
    caps: Caps = Caps()
    payers: Annotated[list[Payer], Field(min_length=1)]
    fees_for_service: list[FeeForService] = Field(default_factory=list)
    provider_costs: ProviderCosts = ProviderCosts()
    investor: Investor | None = None
    sources: list[str] = Field(default_factory=list)
    uncertainty: UncertaintySettings | None = None
    """Correlation groups for ``wellspent simulate`` (docs/uncertainty.md)."""

    @field_validator("start")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if not _ISO_DATE.match(value):
            raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
        return value

    _policy_area = field_validator("policy_area")(known_policy_area)

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.start)

    @property
    def months_per_period(self) -> int:
        return 1 if self.period == "month" else 3
