"""Valuing a portfolio of past social outcomes contracts: pure arithmetic over plain dataclasses (no database).

Per contract (an INDIGO project with actual outcome payments) and per outcome metric:

- **achieved**: the count reported in INDIGO ``results``; where none is reported, it is *inferred* as the actual
  payments tagged to the metric ÷ the metric's price (flag ``inferred``).
- **value before deadweight**: achieved × Σ (unit value in the chosen price year × quantity per achievement), one
  term per library unit cost that the metric's mapping rule names, summed by kind (fiscal, economic, social).
- **public value** = fiscal × (1 − transfer share) + economic + social: transfers (benefits no longer paid, tax
  gained) are real fiscal savings but move money rather than create it (ADR 0007), so public value leaves them out.
- **value after deadweight** = value before × (1 − deadweight of the contract's policy sector).
- **payments**: actual outcome payments. Payments tagged to a metric are attributed to it; untagged payments are
  spread over the metrics with a reported achievement, in proportion to achieved × price where every such metric
  has a price, else in proportion to the achieved count (``allocation`` says which). Payments that cannot be
  attributed to any metric are *unattributed*.
- **coverage** = payments attributed to metrics that could be valued ÷ all payments.
- **BCR** = public value ÷ payments (before and after deadweight); ``None`` when there are no payments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

KINDS = ("fiscal", "economic", "social")
Allocation = Literal["tagged", "price-weighted", "count-weighted", "none"]


@dataclass(frozen=True)
class UnitValue:
    """A library unit cost in the chosen price year: £ per its unit, its kind and transfer share."""

    id: str
    kind: str
    amount: float
    transfer_share: float = 0.0


@dataclass(frozen=True)
class RuleValue:
    """One term of a mapping rule: a unit cost id and the quantity of its unit per achievement."""

    unit_cost: str
    quantity: float


@dataclass(frozen=True)
class MetricRule:
    """A metric type: a regular expression on the metric definition, the unit costs it is valued with (none: a
    deliberate "not valued"), and why."""

    id: str
    match: str
    values: tuple[RuleValue, ...]
    why: str

    def matches(self, definition: str) -> bool:
        return re.search(self.match, definition, flags=re.IGNORECASE) is not None


@dataclass(frozen=True)
class MetricInput:
    """One outcome metric of a contract."""

    metric_id: str
    definition: str
    achieved: float | None = None
    """Count reported in INDIGO results; ``None`` when not reported."""
    paid: float = 0.0
    """Actual outcome payments tagged to this metric."""
    price: float | None = None
    """Price per achievement (the contract's currency), ``None`` when not known."""


@dataclass(frozen=True)
class ContractInput:
    """One contract: its policy sector, metrics, and actual payments not tagged to any metric."""

    project_id: str
    name: str
    sector: str
    metrics: tuple[MetricInput, ...]
    untagged_paid: float = 0.0

    @property
    def paid(self) -> float:
        return self.untagged_paid + sum(m.paid for m in self.metrics)


@dataclass
class Value:
    """Value by kind, with the transfer part of fiscal value kept apart."""

    fiscal: float = 0.0
    fiscal_transfers: float = 0.0
    economic: float = 0.0
    social: float = 0.0

    @property
    def public(self) -> float:
        return self.fiscal - self.fiscal_transfers + self.economic + self.social

    def add(self, other: Value) -> None:
        self.fiscal += other.fiscal
        self.fiscal_transfers += other.fiscal_transfers
        self.economic += other.economic
        self.social += other.social

    def scaled(self, factor: float) -> Value:
        return Value(self.fiscal * factor, self.fiscal_transfers * factor, self.economic * factor,
                     self.social * factor)

    def to_dict(self) -> dict[str, float]:
        return {"fiscal": self.fiscal, "fiscal_transfers": self.fiscal_transfers, "economic": self.economic,
                "social": self.social, "public": self.public}


@dataclass
class MetricValuation:
    metric_id: str
    definition: str
    rule: str | None
    achieved: float | None
    inferred: bool
    paid: float
    """Payments attributed to this metric (tagged, or its share of the untagged payments)."""
    valued: bool
    before: Value
    after: Value

    def to_dict(self) -> dict[str, Any]:
        return {"metric_id": self.metric_id, "definition": self.definition, "rule": self.rule,
                "achieved": self.achieved, "inferred": self.inferred, "paid_attributed": self.paid,
                "valued": self.valued, "value_before_deadweight": self.before.to_dict(),
                "value_after_deadweight": self.after.to_dict()}


@dataclass
class ContractValuation:
    project_id: str
    name: str
    sector: str
    deadweight: float
    paid: float
    covered: float
    unattributed: float
    allocation: Allocation
    metrics: list[MetricValuation]
    before: Value
    after: Value

    def to_dict(self) -> dict[str, Any]:
        return {"project_id": self.project_id, "name": self.name, "sector": self.sector,
                "deadweight": self.deadweight, "payments": self.paid, "payments_covered": self.covered,
                "payments_unattributed": self.unattributed, "allocation": self.allocation,
                "value_before_deadweight": self.before.to_dict(), "value_after_deadweight": self.after.to_dict(),
                "metrics": [m.to_dict() for m in self.metrics]}


@dataclass
class Summary:
    """Totals for a group of contracts (a policy sector, or all)."""

    label: str
    contracts: int = 0
    payments: float = 0.0
    covered: float = 0.0
    before: Value = field(default_factory=Value)
    after: Value = field(default_factory=Value)
    metrics_reported: int = 0
    metrics_inferred: int = 0
    metrics_unvalued: int = 0

    @property
    def coverage(self) -> float | None:
        return self.covered / self.payments if self.payments else None

    @property
    def bcr_before(self) -> float | None:
        return self.before.public / self.payments if self.payments else None

    @property
    def bcr_after(self) -> float | None:
        return self.after.public / self.payments if self.payments else None

    def add(self, contract: ContractValuation) -> None:
        self.contracts += 1
        self.payments += contract.paid
        self.covered += contract.covered
        self.before.add(contract.before)
        self.after.add(contract.after)
        for metric in contract.metrics:
            if not metric.valued:
                self.metrics_unvalued += 1
            elif metric.inferred:
                self.metrics_inferred += 1
            else:
                self.metrics_reported += 1

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "contracts": self.contracts, "payments": self.payments,
                "payments_covered": self.covered, "coverage": self.coverage,
                "value_before_deadweight": self.before.to_dict(), "value_after_deadweight": self.after.to_dict(),
                "bcr_before_deadweight": self.bcr_before, "bcr_after_deadweight": self.bcr_after,
                "metrics_valued_reported": self.metrics_reported, "metrics_valued_inferred": self.metrics_inferred,
                "metrics_unvalued": self.metrics_unvalued}


@dataclass
class PortfolioValuation:
    contracts: list[ContractValuation]
    by_group: dict[str, Summary]
    total: Summary

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total.to_dict(), "by_group": {k: v.to_dict() for k, v in self.by_group.items()},
                "contracts": [c.to_dict() for c in self.contracts]}


def match_rule(definition: str, rules: Sequence[MetricRule]) -> MetricRule | None:
    """The first rule whose pattern occurs in ``definition`` (rules are ordered most specific first)."""
    return next((rule for rule in rules if rule.matches(definition)), None)


def unit_value_of(rule: MetricRule, unit_values: Mapping[str, UnitValue]) -> Value:
    """The value of one achievement under ``rule``, by kind."""
    value = Value()
    for term in rule.values:
        unit = unit_values[term.unit_cost]
        amount = unit.amount * term.quantity
        if unit.kind == "fiscal":
            value.fiscal += amount
            value.fiscal_transfers += amount * unit.transfer_share
        elif unit.kind == "economic":
            value.economic += amount
        elif unit.kind == "social":
            value.social += amount
        else:
            raise ValueError(f"unit cost {unit.id!r} has unknown kind {unit.kind!r}")
    return value


def _achieved(metric: MetricInput) -> tuple[float | None, bool]:
    if metric.achieved is not None:
        return metric.achieved, False
    if metric.paid > 0 and metric.price is not None and metric.price > 0:
        return metric.paid / metric.price, True
    return None, False


def _allocate(contract: ContractInput) -> tuple[list[float], Allocation, float]:
    """Payments attributed to each metric, how the untagged payments were spread, and what is left unattributed."""
    attributed = [m.paid for m in contract.metrics]
    untagged = contract.untagged_paid
    if untagged <= 0:
        return attributed, "tagged", 0.0
    reported = [i for i, m in enumerate(contract.metrics) if m.achieved is not None and m.achieved > 0]
    if not reported:
        return attributed, "none", untagged
    allocation: Allocation
    if all(contract.metrics[i].price is not None and (contract.metrics[i].price or 0) > 0 for i in reported):
        weights = {i: (contract.metrics[i].achieved or 0.0) * (contract.metrics[i].price or 0.0) for i in reported}
        allocation = "price-weighted"
    else:
        weights = {i: contract.metrics[i].achieved or 0.0 for i in reported}
        allocation = "count-weighted"
    total = sum(weights.values())
    for i, weight in weights.items():
        attributed[i] += untagged * weight / total
    return attributed, allocation, 0.0


def value_contract(contract: ContractInput, rules: Sequence[MetricRule], unit_values: Mapping[str, UnitValue],
                   deadweight: float) -> ContractValuation:
    """Value one contract's achieved outcomes and attribute its payments (see the module docstring)."""
    if not 0.0 <= deadweight <= 1.0 or math.isnan(deadweight):
        raise ValueError(f"deadweight {deadweight!r} is not a share between 0 and 1")
    attributed, allocation, unattributed = _allocate(contract)
    metrics: list[MetricValuation] = []
    before, after = Value(), Value()
    covered = 0.0
    for metric, paid in zip(contract.metrics, attributed, strict=True):
        achieved, inferred = _achieved(metric)
        rule = match_rule(metric.definition, rules)
        valued = rule is not None and bool(rule.values) and achieved is not None
        metric_before = (unit_value_of(rule, unit_values).scaled(achieved)
                         if valued and rule is not None and achieved is not None else Value())
        metric_after = metric_before.scaled(1.0 - deadweight)
        if valued:
            covered += paid
        before.add(metric_before)
        after.add(metric_after)
        metrics.append(MetricValuation(metric.metric_id, metric.definition, rule.id if rule else None, achieved,
                                       inferred, paid, valued, metric_before, metric_after))
    return ContractValuation(contract.project_id, contract.name, contract.sector, deadweight, contract.paid,
                             covered, unattributed, allocation, metrics, before, after)


def value_portfolio(contracts: Iterable[ContractInput], rules: Sequence[MetricRule],
                    unit_values: Mapping[str, UnitValue], deadweight: Mapping[str, float],
                    default_deadweight: float,
                    group: Callable[[ContractInput], str] | None = None) -> PortfolioValuation:
    """Value every contract and sum by group (default: policy sector) and in total."""
    group = group or (lambda contract: contract.sector)
    valued: list[ContractValuation] = []
    by_group: dict[str, Summary] = {}
    total = Summary("Total")
    for contract in contracts:
        result = value_contract(contract, rules, unit_values, deadweight.get(contract.sector, default_deadweight))
        valued.append(result)
        label = group(contract)
        by_group.setdefault(label, Summary(label)).add(result)
        total.add(result)
    return PortfolioValuation(valued, dict(sorted(by_group.items())), total)
