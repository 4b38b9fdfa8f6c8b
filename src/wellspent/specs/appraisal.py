"""pydantic v2 models of the ``wellspent: appraisal/1`` spec (DESIGN §3).

Field meanings and units: money is real £ in the spec's ``price_year`` prices; years are appraisal years
``t = 0 … horizon-1`` counted from ``start_year``; rates are fractions (0.05 = 5%).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from wellspent.costs.model import KEBAB, ConfidenceGrade, Kind, Per
from wellspent.money.deflators import PriceYear, parse_price_year
from wellspent.money.discounting import ALIASES
from wellspent.specs.common import StrictModel, UncertaintySettings, known_agency, known_policy_area

MAX_HORIZON = 200
"""Longest appraisal period accepted, in years. Green Book appraisals of services rarely exceed 60 years; the
discount schedules run further, but a longer horizon is almost certainly a typo."""

Rate = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A share between 0 and 1."""
Money = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
"""£, real, in the spec's price year; never negative (savings are outcomes, not negative costs)."""
Year = Annotated[int, Field(ge=0)]
"""An appraisal year index t (0 = start_year)."""


class ValueBlock(StrictModel):
    """An inline unit value (instead of a library id): £ per ``per`` in ``price_year`` prices."""

    amount: Money
    price_year: PriceYear
    per: Per
    kind: Kind
    agency: str
    cashable: bool = False
    transfer_share: Rate = 0.0
    """Share of a fiscal value that is a transfer payment: in the fiscal case, not in public value (ADR 0007)."""
    confidence: ConfidenceGrade
    source: Annotated[str, Field(min_length=3)]

    _agency = field_validator("agency")(known_agency)

    @model_validator(mode="after")
    def _transfers_are_fiscal(self) -> ValueBlock:
        if self.transfer_share and self.kind != "fiscal":
            raise ValueError("only a fiscal value can be a transfer payment (transfer_share > 0)")
        return self

    @field_validator("price_year")
    @classmethod
    def _price_year(cls, value: PriceYear) -> PriceYear:
        parse_price_year(value)
        return value


class Cost(StrictModel):
    """A programme cost borne by ``agency``: exactly one of ``per_year``, ``per_participant`` or ``once``.

    - ``per_year``: £ in each of ``years`` (every year of the horizon when ``years`` is omitted);
    - ``per_participant``: £ per engaged person, in their cohort's year;
    - ``once``: £ once, in ``year``.
    """

    name: Annotated[str, Field(min_length=1)]
    agency: str
    per_year: Money | None = None
    years: list[Year] | None = None
    per_participant: Money | None = None
    once: Money | None = None
    year: Year | None = None

    _agency = field_validator("agency")(known_agency)

    @model_validator(mode="after")
    def _one_basis(self) -> Cost:
        given = [k for k in ("per_year", "per_participant", "once") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of per_year, per_participant or once"
                + (f" (got {', '.join(given)})" if given else "")
            )
        if self.years is not None and self.per_year is None:
            raise ValueError("'years' goes with per_year")
        if self.once is not None and self.year is None:
            raise ValueError("a 'once' cost needs the 'year' it falls in")
        if self.year is not None and self.once is None:
            raise ValueError("'year' goes with once")
        return self


class Outcome(StrictModel):
    """An outcome the programme achieves, valued by a library unit cost or an inline ``value`` block."""

    name: Annotated[str, Field(min_length=1)]
    unit_cost: Annotated[str, Field(pattern=KEBAB)] | None = None
    value: ValueBlock | None = None
    quantity: Money = 1.0
    """Units of the value's ``per`` avoided per success per year (e.g. 52 weeks, 2.5 A&E attendances)."""
    success_rate: Rate
    lag: Annotated[int, Field(ge=0, le=MAX_HORIZON)] = 0
    duration: Annotated[int, Field(ge=1, le=MAX_HORIZON)] = 1
    drop_off: Rate = 0.0
    deadweight: Rate = 0.0
    attribution: Rate = 1.0
    displacement: Rate = 0.0

    @model_validator(mode="after")
    def _one_value(self) -> Outcome:
        if (self.unit_cost is None) == (self.value is None):
            raise ValueError("give exactly one of unit_cost (a library id) or value (an inline value block)")
        return self


class Cohort(StrictModel):
    """People referred in appraisal year ``year``."""

    year: Year
    referrals: Money


class OptimismBias(StrictModel):
    """Optimism bias: an uplift on every cost, and corrections on benefits by confidence grade (DESIGN §3)."""

    costs: Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)] = 0.0
    benefits_by_confidence: dict[ConfidenceGrade, Rate] | None = None


Text = Annotated[str, Field(min_length=1)]
"""A non-empty piece of narrative text (plain text; a blank line separates paragraphs)."""


class StrategicCase(StrictModel):
    """The strategic case of a business case (HM Treasury Five Case Model): why intervene, and how the
    programme is expected to work. Narrative only: the engine never reads it."""

    problem: Text | None = None
    """The problem the programme addresses (plain-text paragraphs)."""
    objectives: list[Text] = Field(default_factory=list)
    """SMART objectives, one per item."""
    theory_of_change: list[Text] = Field(default_factory=list)
    """Ordered steps: inputs → activities → outputs → outcomes."""
    evidence: list[Text] = Field(default_factory=list)
    """Citations of the evidence base."""


class CommercialCase(StrictModel):
    """The commercial case: how the service is bought and paid for."""

    contract: Text | None = None
    """A ``wellspent: contract/1`` spec, as a path relative to the appraisal spec file; the loader checks it
    exists and :func:`wellspent.specs.loader.linked_contract_path` resolves it."""
    notes: Text | None = None
    """Payment mechanism, procurement route."""


class Risk(StrictModel):
    """One delivery risk, how it is mitigated and who owns it (a role, not a person)."""

    risk: Text
    mitigation: Text | None = None
    owner: Text | None = None


class ManagementCase(StrictModel):
    """The management case: governance, monitoring, evaluation and risks."""

    governance: Text | None = None
    """Who decides: board, senior responsible owner (by role)."""
    monitoring: list[Text] = Field(default_factory=list)
    """Metrics, each with how and how often it is measured."""
    evaluation: Text | None = None
    """Evaluation design in Magenta Book terms (process, impact, value-for-money; e.g. matched comparison)."""
    risks: list[Risk] = Field(default_factory=list)


class BusinessCase(StrictModel):
    """Narrative for a business case report in Five Case Model order (issue 7). Every part is optional; the
    economic and financial cases come from the appraisal itself, so the engine ignores this block."""

    strategic: StrategicCase | None = None
    commercial: CommercialCase | None = None
    management: ManagementCase | None = None


def _discounting(value: Any) -> str | float:
    if isinstance(value, bool):
        raise ValueError("must be a schedule name or a rate")
    if isinstance(value, int | float):
        if not 0.0 <= float(value) < 1.0:
            raise ValueError(f"a constant discount rate must be a fraction between 0 and 1 (got {value})")
        return float(value)
    if isinstance(value, str) and value in ALIASES:
        return value
    raise ValueError(
        f"unknown discounting {value!r}; use a rate such as 0.035 or one of: {', '.join(sorted(ALIASES))}"
    )


class AppraisalSpec(StrictModel):
    """A ``wellspent: appraisal/1`` spec (DESIGN §3)."""

    wellspent: Literal["appraisal/1"]
    name: Annotated[str, Field(min_length=1)]
    description: str | None = None
    policy_area: str
    price_year: int
    start_year: Annotated[int, Field(ge=1900, le=2200)]
    horizon: Annotated[int, Field(ge=1, le=MAX_HORIZON)]
    discounting: Any = "green-book"
    optimism_bias: OptimismBias = OptimismBias()
    engagement_rate: Rate = 1.0
    cohorts: Annotated[list[Cohort], Field(min_length=1)]
    costs: list[Cost] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    uncertainty: UncertaintySettings | None = None
    """Correlation groups for ``wellspent simulate`` (docs/uncertainty.md)."""
    business_case: BusinessCase | None = None
    """Narrative for the business case report (strategic, commercial, management cases); not used in the
    numbers (docs/appraisal-spec.md)."""

    @field_validator("discounting", mode="before")
    @classmethod
    def _check_discounting(cls, value: Any) -> str | float:
        return _discounting(value)

    _policy_area = field_validator("policy_area")(known_policy_area)
