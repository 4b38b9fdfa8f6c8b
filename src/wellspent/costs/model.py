"""One unit cost: an amount of £ per unit, its price year, its kind, who bears it, and where it comes from.

Fields follow DESIGN §4. ``kind`` follows the GMCA / HM Treasury (2014) CBA guidance for local partnerships:
*fiscal* (costs or savings to the public sector, borne by ``agency``), *economic* (net increase in earnings or
growth) and *social* (wider gains to society such as health or safety).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wellspent.money.deflators import PriceYear, parse_price_year
from wellspent.vocabulary import agencies

Per = Literal["event", "hour", "day", "week", "month", "year"]
"""What one ``amount`` buys: one event (incident, episode, case, place…), or one hour/day/week/month/year."""

Kind = Literal["fiscal", "economic", "social"]

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

ConfidenceGrade = Annotated[int, Field(ge=1, le=6)]
"""Confidence in the figure, 1 (strongest: recent, local, audited) … 6 (weakest: expert judgement); drives the
optimism-bias correction on benefits (DESIGN §3)."""


class UnitCost(BaseModel):
    """A sourced unit cost. ``amount`` is £ per ``per`` in ``price_year`` prices."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=KEBAB)]
    name: Annotated[str, Field(min_length=1)]
    amount: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    price_year: PriceYear
    per: Per
    unit: str | None = None
    """The source's own wording of the unit, e.g. "Per child over a ten year period"."""
    kind: Kind
    agency: str
    cashable: bool
    transfer_share: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 0.0
    """For a fiscal value: the share that is a transfer payment (a benefit no longer paid, tax gained). It is a
    real saving to ``agency`` and counts in the fiscal case, but moves money rather than creating it, so it is
    left out of public value (GMCA UCD v1.4 notes on E&E1.0–3.0 and E&S5.0–13.0; ADR 0007)."""
    confidence: ConfidenceGrade
    confidence_basis: str | None = None
    """How the grade was set, e.g. "GMCA RAG rating G (mapping in ADR 0004)"."""
    source: Annotated[str, Field(min_length=3)]
    url: Annotated[str, Field(min_length=8)]
    notes: str | None = None
    verified: bool
    """Whether the figure was checked against the text of its primary source."""
    origin: Annotated[str, Field(min_length=3)]
    """Where the entry comes from, e.g. "GMCA Unit Cost Database v1.4, Crime sheet, CR1.0" or "curated"."""
    domain: str = ""

    @field_validator("price_year")
    @classmethod
    def _price_year_parses(cls, value: PriceYear) -> PriceYear:
        parse_price_year(value)
        return value

    @model_validator(mode="after")
    def _transfers_are_fiscal(self) -> UnitCost:
        if self.transfer_share and self.kind != "fiscal":
            raise ValueError("only a fiscal value can be a transfer payment (transfer_share > 0)")
        return self

    @field_validator("agency")
    @classmethod
    def _known_agency(cls, value: str) -> str:
        if value not in agencies():
            raise ValueError(f"unknown agency {value!r}; see wellspent/data/agencies.yaml")
        return value
