"""Reading a portfolio from the store: the projects delivered in a country, their outcome metrics, prices, reported
results and actual outcome payments, and who paid (for leverage per outcomes fund).

Choices (docs/portfolio.md):

- A *contract* is an active project delivered in the country with at least one ``Actual`` outcome payment in the
  valuation currency (GBP: the unit costs are in £). ``Planned`` payments are never used.
- *Achieved* per metric: the ``outcomes_achieved`` of its ``Final`` results, else of its ``Interim`` results; where
  a metric has several such rows the largest is taken (interim rows may be cumulative, so adding them could double
  count; the largest is the smaller of the two readings).
- *Price* per metric: its ``outcome_pricings`` price per unit in the currency; the largest where there are several
  (the largest price gives the smallest inferred count).
- A payment whose ``metric_id`` names none of the project's metrics is *untagged*.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wellspent.portfolio.valuation import ContractInput, MetricInput

if TYPE_CHECKING:
    from sqlalchemy import Engine

_NUMBER = re.compile(r"^\s*-?\d[\d,]*(\.\d+)?\s*$")


@dataclass
class FundLeverage:
    """Actual outcome payments in a fund's contracts, by who paid: the fund's host organisation alone, others
    alone (local commissioners, other departments), or jointly in one row that the data do not split."""

    fund_id: str
    name: str
    host_organisation_id: str | None
    contracts: int = 0
    fund_only: float = 0.0
    others_only: float = 0.0
    joint: float = 0.0
    payer_unknown: float = 0.0

    @property
    def total(self) -> float:
        return self.fund_only + self.others_only + self.joint + self.payer_unknown

    @property
    def leverage(self) -> float | None:
        """Others' payments per £1 of fund payments, counting only rows with a single kind of payer."""
        return self.others_only / self.fund_only if self.fund_only else None

    def to_dict(self) -> dict[str, Any]:
        return {"fund_id": self.fund_id, "name": self.name, "host_organisation_id": self.host_organisation_id,
                "contracts": self.contracts, "payments": self.total, "fund_only": self.fund_only,
                "others_only": self.others_only, "joint_unsplit": self.joint, "payer_unknown": self.payer_unknown,
                "others_per_fund_pound": self.leverage}


@dataclass
class PortfolioData:
    """What the store holds for one country."""

    country: str
    currency: str
    projects_in_country: int
    contracts: list[ContractInput]
    leverage: list[FundLeverage]
    projects_without_payments: int = 0
    skipped_other_currency: int = 0
    notes: list[str] = field(default_factory=list)


def _number(text: str | None) -> float | None:
    if text is None or not _NUMBER.match(text):
        return None
    return float(text.replace(",", ""))


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def _ids(text: str | None) -> set[str]:
    return {part.strip() for part in (text or "").split(",") if part.strip()}


def store_is_empty(engine: Engine) -> bool:
    """Whether the store has no projects (or no tables yet)."""
    from sqlalchemy import func, inspect, select

    from wellspent.store.models import Project

    if not inspect(engine).has_table("projects"):
        return True
    with engine.connect() as connection:
        return not connection.execute(select(func.count()).select_from(Project)).scalar_one()


def read_portfolio(engine: Engine, country: str = "GB", currency: str = "GBP") -> PortfolioData:
    """The contracts delivered in ``country`` with actual payments in ``currency``, and leverage per fund."""
    from sqlalchemy import select

    from wellspent.store.models import (
        Fund,
        OutcomeMetric,
        OutcomePayment,
        OutcomePricing,
        Project,
        ProjectCountry,
        ProjectFund,
        Result,
    )

    with engine.connect() as connection:
        in_country = select(ProjectCountry.project_id).where(ProjectCountry.country == country)
        projects = {row.id: row for row in connection.execute(
            select(Project.id, Project.name, Project.policy_sector)
            .where(Project.id.in_(in_country), Project.status == "active"))}
        ids = list(projects)

        payments = list(connection.execute(
            select(OutcomePayment.project_id, OutcomePayment.metric_id, OutcomePayment.currency,
                   OutcomePayment.amount, OutcomePayment.payer_organisation_ids)
            .where(OutcomePayment.project_id.in_(ids), OutcomePayment.payment_type == "Actual")
            .order_by(OutcomePayment.project_id, OutcomePayment.seq)))
        skipped = sum(1 for p in payments if p.amount is not None and p.currency != currency)
        payments = [p for p in payments if p.amount is not None and p.currency == currency]
        paid_projects = sorted({p.project_id for p in payments if p.amount})

        metrics: dict[str, dict[str, str]] = defaultdict(dict)
        for row in connection.execute(
                select(OutcomeMetric.project_id, OutcomeMetric.metric_id, OutcomeMetric.definition)
                .where(OutcomeMetric.project_id.in_(paid_projects))
                .order_by(OutcomeMetric.project_id, OutcomeMetric.seq)):
            if row.metric_id is not None:
                metrics[row.project_id].setdefault(row.metric_id, row.definition or "")

        prices: dict[tuple[str, str], float] = {}
        for price in connection.execute(
                select(OutcomePricing.project_id, OutcomePricing.metric_id, OutcomePricing.price_per_unit)
                .where(OutcomePricing.project_id.in_(paid_projects), OutcomePricing.currency == currency)):
            if price.metric_id is not None and price.price_per_unit is not None and price.price_per_unit > 0:
                key = (price.project_id, price.metric_id)
                prices[key] = max(prices.get(key, 0.0), float(price.price_per_unit))

        achieved: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        for result in connection.execute(
                select(Result.project_id, Result.metric_id, Result.result_type, Result.outcomes_achieved)
                .where(Result.project_id.in_(paid_projects))):
            count = _number(result.outcomes_achieved)
            if result.metric_id is None or count is None:
                continue
            kind = "Final" if (result.result_type or "").strip().lower() == "final" else "Interim"
            slot = achieved[(result.project_id, result.metric_id)]
            slot[kind] = max(slot.get(kind, count), count)

        links = list(connection.execute(
            select(ProjectFund.project_id, ProjectFund.fund_id).where(ProjectFund.project_id.in_(paid_projects))))
        funds = {row.id: row for row in connection.execute(select(Fund.id, Fund.name, Fund.host_organisation_id))}

    tagged: dict[tuple[str, str], float] = defaultdict(float)
    untagged: dict[str, float] = defaultdict(float)
    for payment in payments:
        if payment.metric_id is not None and payment.metric_id in metrics[payment.project_id]:
            tagged[(payment.project_id, payment.metric_id)] += _float(payment.amount)
        else:
            untagged[payment.project_id] += _float(payment.amount)

    contracts: list[ContractInput] = []
    for project_id in paid_projects:
        project = projects[project_id]
        metric_inputs = []
        for metric_id, definition in metrics[project_id].items():
            key = (project_id, metric_id)
            reported = achieved.get(key, {})
            metric_inputs.append(MetricInput(metric_id, definition,
                                             reported.get("Final", reported.get("Interim")),
                                             tagged.get(key, 0.0), prices.get(key)))
        contracts.append(ContractInput(project_id, project.name or project_id,
                                       project.policy_sector or "(no sector)", tuple(metric_inputs),
                                       untagged.get(project_id, 0.0)))

    leverage = _leverage(payments, links, funds)
    notes = [
        "Payments are INDIGO outcome payments of type Actual in " + currency + "; Planned payments are not used.",
        "Leverage: a payment row names its payers but not each payer's share, so rows paid jointly by a fund's "
        "host and others are shown unsplit; a contract in two funds counts under both.",
    ]
    return PortfolioData(country, currency, len(projects), contracts, leverage,
                         projects_without_payments=len(projects) - len(paid_projects),
                         skipped_other_currency=skipped, notes=notes)


def _leverage(payments: list[Any], links: list[Any], funds: dict[str, Any]) -> list[FundLeverage]:
    by_project: dict[str, list[str]] = defaultdict(list)
    for link in links:
        by_project[link.project_id].append(link.fund_id)
    result: dict[str, FundLeverage] = {}
    counted: set[tuple[str, str]] = set()
    for payment in payments:
        for fund_id in by_project.get(payment.project_id, []):
            fund = funds.get(fund_id)
            entry = result.setdefault(fund_id, FundLeverage(
                fund_id, (fund.name if fund else None) or fund_id, fund.host_organisation_id if fund else None))
            if (fund_id, payment.project_id) not in counted:
                counted.add((fund_id, payment.project_id))
                entry.contracts += 1
            payers = _ids(payment.payer_organisation_ids)
            amount = _float(payment.amount)
            if not payers or entry.host_organisation_id is None:
                entry.payer_unknown += amount
            elif payers == {entry.host_organisation_id}:
                entry.fund_only += amount
            elif entry.host_organisation_id in payers:
                entry.joint += amount
            else:
                entry.others_only += amount
    return sorted(result.values(), key=lambda f: -f.total)
