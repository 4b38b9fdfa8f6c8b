"""Finding the uncertain inputs of a spec: any number the engine multiplies may be written as a distribution.

The spec file is split in two: a deterministic copy with every distribution replaced by its central value (which
the ordinary models validate, so ``appraise`` and ``contract`` still work) and a list of uncertain inputs, each
with its field path. :mod:`wellspent.uncertainty.apply` then puts sampled values into the engine's arrays.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wellspent.errors import Problem
from wellspent.specs.strict_yaml import StrictDocument, join_path

if TYPE_CHECKING:  # pragma: no cover
    from wellspent.uncertainty.distributions import Distribution

RATE = (0.0, 1.0)
MONEY = (0.0, float("inf"))

# path pattern (field paths with indices replaced by [i]) → valid range of the field
APPRAISAL_FIELDS: dict[str, tuple[float, float]] = {
    "engagement_rate": RATE,
    "optimism_bias.costs": (0.0, 10.0),
    "cohorts[i].referrals": MONEY,
    "costs[i].per_year": MONEY,
    "costs[i].per_participant": MONEY,
    "costs[i].once": MONEY,
    "outcomes[i].quantity": MONEY,
    "outcomes[i].success_rate": RATE,
    "outcomes[i].drop_off": RATE,
    "outcomes[i].deadweight": RATE,
    "outcomes[i].attribution": RATE,
    "outcomes[i].displacement": RATE,
    "outcomes[i].value.amount": MONEY,
}
CONTRACT_FIELDS: dict[str, tuple[float, float]] = {
    "referrals.profile[i]": MONEY,
    "referrals.blocks[i].per_period": MONEY,
    "rate_card[i].achievement": (0.0, 100.0),
    "rate_card[i].provider_cost": MONEY,
    "caps.per_participant": MONEY,
    "caps.per_period": MONEY,
    "caps.contract": MONEY,
    "provider_costs.fixed_per_period": MONEY,
    "provider_costs.per_referral": MONEY,
    "investor.commitment": MONEY,
    "investor.return_rate": RATE,
    "investor.surplus_share": RATE,
}
_INDEX = re.compile(r"\[\d+\]")

NEGLIGIBLE = 1e-6
"""A distribution may reach outside its field's valid range with at most this probability on each side (e.g. a
lognormal fitted to a rate's 95% interval); such draws are clipped to the range."""


def pattern(path: str) -> str:
    """``outcomes[3].success_rate`` → ``outcomes[i].success_rate``."""
    return _INDEX.sub("[i]", path)


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain spec input: where it is, its distribution and the value deterministic runs use."""

    path: str
    distribution: Distribution
    bounds: tuple[float, float] = (float("-inf"), float("inf"))
    """The field's valid range; samples are clipped to it (the distribution may only pass it with negligible
    probability, at most ``NEGLIGIBLE`` on each side)."""

    @property
    def central(self) -> float:
        return float(self.distribution.central)


@dataclass(frozen=True)
class SplitDocument:
    """A spec document with its distributions replaced by central values, and the inputs they came from."""

    document: StrictDocument
    inputs: tuple[UncertainInput, ...]
    problems: tuple[Problem, ...]


def looks_uncertain(value: object) -> bool:
    """A mapping with a ``dist`` or ``central`` key is a distribution (checked without importing scipy)."""
    return isinstance(value, dict) and ("dist" in value or "central" in value)


def split_uncertain(doc: StrictDocument, fields: dict[str, tuple[float, float]]) -> SplitDocument:
    """Replace every distribution in ``doc`` by its central value; collect the inputs and every problem
    (malformed distributions, distributions in fields that cannot be uncertain, supports outside a field's range).
    """
    inputs: list[UncertainInput] = []
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(doc.file, path, message, doc.line_of(path)))

    def walk(value: Any, path: str) -> Any:
        if looks_uncertain(value):
            from wellspent.uncertainty.distributions import DistributionError, check_within, parse_distribution

            allowed = fields.get(pattern(path))
            if allowed is None:
                problem(path, "cannot be uncertain: only numbers the engine multiplies can be distributions "
                              f"(uncertain fields: {', '.join(sorted(fields))})")
                return value
            try:
                distribution = parse_distribution(value)
            except DistributionError as exc:
                for relative, message in exc.problems:
                    problem(join_path(path, relative) if relative else path, message)
                return value
            outside = check_within(distribution, *allowed, negligible=NEGLIGIBLE)
            if outside is not None:
                problem(path, outside)
            inputs.append(UncertainInput(path, distribution, allowed))
            return float(distribution.central)
        if isinstance(value, dict):
            return {key: walk(item, join_path(path, str(key))) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, join_path(path, i)) for i, item in enumerate(value)]
        return value

    data = walk(copy.deepcopy(doc.data), "")
    return SplitDocument(StrictDocument(data, doc.file, doc.lines), tuple(inputs), tuple(problems))
