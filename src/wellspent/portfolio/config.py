"""The curated tables behind a portfolio valuation: metric types → unit costs, and deadweight by policy sector.

Both ship in ``wellspent/data/portfolio/``; the deadweight table can be replaced with ``--deadweight FILE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from wellspent.errors import InputError
from wellspent.money.deflators import PriceYear
from wellspent.portfolio.valuation import MetricRule, RuleValue, UnitValue

METRIC_MAP = "metric-unit-costs.yaml"
DEADWEIGHT = "deadweight-by-sector.yaml"


@dataclass(frozen=True)
class DeadweightTable:
    """Deadweight share per policy sector, the default for other sectors, and each figure's source."""

    sectors: dict[str, float]
    default: float
    sources: dict[str, str]
    origin: str


def _packaged(name: str) -> tuple[str, str]:
    path = resources.files("wellspent") / "data" / "portfolio" / name
    return path.read_text(encoding="utf-8"), f"wellspent/data/portfolio/{name}"


def _load(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError.single(origin, "", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError.single(origin, "", "expected a mapping at the top level")
    return data


def load_rules(text: str | None = None, origin: str | None = None) -> list[MetricRule]:
    """The metric-type rules, in order (default: the packaged mapping)."""
    if text is None:
        text, origin = _packaged(METRIC_MAP)
    origin = origin or "metric map"
    data = _load(text, origin)
    rules: list[MetricRule] = []
    for index, raw in enumerate(data.get("rules") or []):
        where = f"rules[{index}]"
        if not isinstance(raw, dict) or not {"id", "match", "why"} <= set(raw):
            raise InputError.single(origin, where, "a rule needs id, match and why")
        try:
            re.compile(str(raw["match"]))
        except re.error as exc:
            raise InputError.single(origin, f"{where}.match", f"not a regular expression: {exc}") from None
        values = tuple(RuleValue(str(v["unit_cost"]), float(v["quantity"])) for v in raw.get("values") or [])
        rules.append(MetricRule(str(raw["id"]), str(raw["match"]), values, " ".join(str(raw["why"]).split())))
    return rules


def load_deadweight(path: Path | None = None) -> DeadweightTable:
    """The deadweight table (default: the packaged one)."""
    if path is None:
        text, origin = _packaged(DEADWEIGHT)
    else:
        try:
            text, origin = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise InputError.single(str(path), "", f"cannot read: {exc.strerror}") from None
    data = _load(text, origin)

    def share(raw: Any, where: str) -> float:
        value = raw.get("deadweight") if isinstance(raw, dict) else raw
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise InputError.single(origin, where, "deadweight must be a share between 0 and 1")
        return float(value)

    default = share(data.get("default", 0.0), "default")
    sectors: dict[str, float] = {}
    sources: dict[str, str] = {}
    for sector, raw in (data.get("sectors") or {}).items():
        sectors[str(sector)] = share(raw, f"sectors.{sector}")
        sources[str(sector)] = str(raw.get("source", "")) if isinstance(raw, dict) else ""
    return DeadweightTable(sectors, default, sources, origin)


def unit_values(rules: list[MetricRule], price_year: PriceYear) -> dict[str, UnitValue]:
    """Every unit cost the rules name, converted to ``price_year`` prices with the library's GDP deflator."""
    from wellspent.costs.library import load_library

    library = load_library()
    values: dict[str, UnitValue] = {}
    for rule in rules:
        for term in rule.values:
            if term.unit_cost in values:
                continue
            try:
                entry = library.get(term.unit_cost)
            except KeyError as exc:
                raise InputError.single(METRIC_MAP, f"rules.{rule.id}", str(exc.args[0])) from None
            amount = library.amount_in(term.unit_cost, price_year)
            values[term.unit_cost] = UnitValue(entry.id, entry.kind, amount, entry.transfer_share)
    return values
