"""Pieces every spec model shares: strict models, and checks against the controlled vocabularies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from wellspent.vocabulary import agencies, policy_areas


class StrictModel(BaseModel):
    """Unknown fields are errors, types are not coerced ("5" is not 5), and a parsed spec is immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def known_agency(value: str) -> str:
    """An agency id from ``data/agencies.yaml``."""
    if value not in agencies():
        raise ValueError(f"unknown agency {value!r}; known agencies are listed by `wellspent costs agencies`")
    return value


def known_policy_area(value: str) -> str:
    """A policy area id from ``data/policy_areas.yaml``."""
    if value not in policy_areas():
        raise ValueError(f"unknown policy area {value!r}; use one of: {', '.join(policy_areas())}")
    return value


class CorrelationGroup(StrictModel):
    """Uncertain inputs that move together: each pair of members has rank correlation driven by a shared normal
    draw with correlation ``correlation`` (a Gaussian copula). ``inputs`` are field paths, ``[*]`` for any index:
    ``outcomes[*].success_rate``."""

    name: Annotated[str, Field(min_length=1)]
    inputs: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    correlation: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class UncertaintySettings(StrictModel):
    """Optional settings for Monte Carlo runs."""

    groups: list[CorrelationGroup] = Field(default_factory=list)
