"""Finding the uncertain inputs of a spec: any number the engine multiplies may be written as a distribution.

The spec file is split in two: a deterministic copy with every distribution replaced by its central value (which
the ordinary models validate, so ``appraise`` and ``contract`` still work) and a list of uncertain inputs, each
with its field path. :mod:`wellspent.uncertainty.apply` then puts sampled values into the engine's arrays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    group: str | None = None
    """The correlation group the input belongs to (``uncertainty.groups``), if any."""
    correlation: float = 0.0
    """The group's correlation: members share a normal draw with this weight (Gaussian copula)."""
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

    data = walk(doc.data, "")  # builds new containers: the original document is left as it was
    grouped = _assign_groups(inputs, data.get("uncertainty") if isinstance(data, dict) else None, problem)
    return SplitDocument(StrictDocument(data, doc.file, doc.lines), tuple(grouped), tuple(problems))


def _pattern_regex(text: str) -> re.Pattern[str]:
    """``outcomes[*].success_rate`` → a regex matching any index in place of ``[*]``."""
    return re.compile("^" + re.escape(text).replace(r"\[\*\]", r"\[\d+\]") + "$")


def _assign_groups(inputs: list[UncertainInput], settings: Any,
                   problem: Callable[[str, str], None]) -> list[UncertainInput]:
    """Attach each uncertain input to its correlation group; report patterns that match nothing and inputs
    claimed by two groups (malformed settings are left to the model's validation)."""
    groups = settings.get("groups") if isinstance(settings, dict) else None
    if not isinstance(groups, list):
        return inputs
    owner: dict[str, tuple[str, float]] = {}
    for g, group in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("name"), str):
            continue
        rho = group.get("correlation")
        if not isinstance(rho, int | float) or isinstance(rho, bool) or not 0.0 <= rho <= 1.0:
            continue
        patterns: list[Any] = group["inputs"] if isinstance(group.get("inputs"), list) else []
        for j, text in enumerate(patterns):
            if not isinstance(text, str):
                continue
            regex = _pattern_regex(text)
            matched = [u.path for u in inputs if regex.match(u.path)]
            where = f"uncertainty.groups[{g}].inputs[{j}]"
            if not matched:
                problem(where, f"{text!r} matches no uncertain input (write [*] for any index)")
            for path in matched:
                if path in owner and owner[path][0] != group["name"]:
                    problem(where, f"{path} is already in group {owner[path][0]!r}; an input can be in one group")
                owner.setdefault(path, (group["name"], float(rho)))
    return [replace(u, group=owner[u.path][0], correlation=owner[u.path][1]) if u.path in owner else u
            for u in inputs]
