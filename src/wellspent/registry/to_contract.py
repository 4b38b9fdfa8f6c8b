"""``registry to-contract ID``: a ``contract/1`` spec skeleton from a past project's rate card, so a commissioner
replicating a contract starts from its real prices, caps, payers and investment.

Every field the record cannot fill is written as ``TODO`` with a comment saying what to put there; the contract
loader rejects ``TODO`` with a field-level message, so an unfinished skeleton can never be run by mistake.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy import Engine

TODO = "TODO"
SOURCE_FILES = (
    "original_projects.csv, original_projects_outcome_pricings.csv, original_projects_outcome_metrics.csv"
)

POLICY_AREAS = {
    "Homelessness": "homelessness",
    "Employment and training": "employment-and-training",
    "Child and family welfare": "child-and-family-welfare",
    "Health": "health",
    "Education": "education",
    "Criminal justice": "criminal-justice",
}
"""INDIGO policy sector → wellspent policy area (anything else: cross-cutting)."""


@dataclass(frozen=True)
class PricedOutcome:
    """One priced outcome metric of a project."""

    metric_id: str
    definition: str
    price: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class ProjectRecord:
    """What the skeleton needs from a stored project (plain data: the renderer needs no database)."""

    id: str
    name: str
    policy_sector: str | None
    service_start: str | None
    duration_months: Decimal | None
    targeted_service_users: int | None
    max_outcome_payment: Decimal | None
    max_outcome_payment_currency: str | None
    investment: Decimal | None
    investment_currency: str | None
    payers: tuple[str, ...]
    outcomes: tuple[PricedOutcome, ...] = field(default_factory=tuple)


def _slug(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6] or ["outcome"]
    base = "-".join(words)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _start(value: str | None) -> str | None:
    """An INDIGO date (YYYY, YYYY-MM or YYYY-MM-DD) as the first day of its month."""
    if not value:
        return None
    match = re.match(r"^(\d{4})(?:-(\d{2}))?", value)
    if not match:
        return None
    return f"{match.group(1)}-{match.group(2) or '01'}-01"


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _money(value: Decimal | None, currency: str | None) -> str | None:
    if value is None or (currency or "GBP").upper() != "GBP":
        return None
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def render_skeleton(project: ProjectRecord) -> str:
    """The ``contract/1`` skeleton of ``project`` as commented YAML."""
    lines = [
        f"# Contract skeleton written by `wellspent registry to-contract {project.id}` from the INDIGO record.",
        "# Every TODO must be replaced before `wellspent contract` will run it; prices, caps and payers come from",
        "# the record (INDIGO, Government Outcomes Lab, University of Oxford).",
        "wellspent: contract/1",
        f"name: {_yaml_text(project.name + ' (replication)')}",
        f"policy_area: {POLICY_AREAS.get(project.policy_sector or '', 'cross-cutting')}"
        f"   # INDIGO policy sector: {project.policy_sector or 'not given'}",
    ]
    start = _start(project.service_start)
    lines.append(f'start: "{start}"   # INDIGO service start: {project.service_start}' if start
                 else f"start: {TODO}   # first day of period 0, YYYY-MM-DD (INDIGO gives no service start)")
    lines.append("period: quarter   # check: month or quarter")
    periods = math.ceil(float(project.duration_months) / 3) if project.duration_months else None
    lines.append(f"periods: {periods}   # INDIGO duration {project.duration_months} months" if periods
                 else f"periods: {TODO}   # contract length in quarters (INDIGO gives no duration)")
    users = project.targeted_service_users
    if users and periods:
        per_period = round(users / periods, 2)
        lines += ["referrals:   # assumption: INDIGO's targeted service users spread evenly; replace with a profile",
                  f"  blocks: [{{per_period: {per_period}, first: 0, last: {periods - 1}}}]   # {users} in total"]
    else:
        lines += ["referrals:", f"  profile: {TODO}   # new participants per period"]
    lines.append("rate_card:")
    taken: set[str] = set()
    if not project.outcomes:
        lines.append(f"  - {{id: outcome, name: {TODO}, price: {TODO}, achievement: {TODO}}}   # no pricings in INDIGO")
    for outcome in project.outcomes:
        price = _money(outcome.price, outcome.currency)
        price_note = "" if price else f"   # price: {outcome.price} {outcome.currency or ''} (not GBP or missing)"
        lines += [
            f"  - id: {_slug(outcome.definition, taken)}",
            f"    name: {_yaml_text(outcome.definition[:120])}",
            f"    price: {price or TODO}{price_note}",
            f"    achievement: {TODO}   # expected share of referrals (or of the previous step, with after:)",
            f"    lag: {TODO}   # periods after referral (or after the previous step)",
            f"    source: {_yaml_text(f'INDIGO {project.id} {outcome.metric_id}')}",
        ]
    cap = _money(project.max_outcome_payment, project.max_outcome_payment_currency)
    lines += ["caps:",
              f"  contract: {cap}   # INDIGO maximum potential outcome payment" if cap
              else f"  contract: {TODO}   # whole-contract cap (INDIGO gives none in GBP)",
              "payers:"]
    if len(project.payers) == 1:
        lines.append(f"  - {{name: {_yaml_text(project.payers[0])}, agency: {TODO}, share: 1.0}}   # agency id: "
                     "`wellspent costs agencies`")
    elif project.payers:
        for payer in project.payers:
            lines.append(f"  - {{name: {_yaml_text(payer)}, agency: {TODO}, share: {TODO}}}")
    else:
        lines.append(f"  - {{name: {TODO}, agency: {TODO}, share: 1.0}}   # INDIGO lists no outcome payer")
    lines += ["provider_costs:", f"  fixed_per_period: {TODO}   # the provider's delivery costs per period",
              f"  per_referral: {TODO}"]
    investment = _money(project.investment, project.investment_currency)
    lines += ["investor:",
              f"  commitment: {investment or TODO}   # INDIGO total investment commitment" if investment
              else f"  commitment: {TODO}   # INDIGO gives no investment in GBP",
              f"  return_rate: {TODO}   # a year, on outstanding principal",
              "  surplus_share: 0.0   # check",
              "sources:",
              f"  - {_yaml_text(f'INDIGO {project.id}: {SOURCE_FILES}')}"]
    return "\n".join(lines) + "\n"


def load_project_record(engine: Engine, project_id: str) -> ProjectRecord | None:
    """Read what the skeleton needs for ``project_id`` from the store (None if there is no such project)."""
    from sqlalchemy.orm import Session

    from wellspent.store.models import Organisation, Project

    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            return None
        definitions = {m.metric_id: (m.definition or m.metric_id or "outcome") for m in project.outcome_metrics}
        outcomes = tuple(
            PricedOutcome(metric_id=p.metric_id or "", price=p.price_per_unit, currency=p.currency,
                          definition=definitions.get(p.metric_id, p.metric_id or "outcome"))
            for p in project.outcome_pricings
        )
        payer_ids = list(dict.fromkeys(c.organisation_id for c in project.outcome_payment_commitments
                                       if c.organisation_id))
        payers = []
        for payer_id in payer_ids:
            organisation = session.get(Organisation, payer_id)
            payers.append(organisation.name if organisation is not None and organisation.name else payer_id)
        investment = project.investment_exact or project.investment_max or project.investment_min
        return ProjectRecord(
            id=project.id, name=project.name or project.id, policy_sector=project.policy_sector,
            service_start=project.service_start,
            duration_months=project.anticipated_duration_months or project.actual_duration_months,
            targeted_service_users=project.targeted_service_users,
            max_outcome_payment=project.max_outcome_payment,
            max_outcome_payment_currency=project.max_outcome_payment_currency,
            investment=investment, investment_currency=project.investment_currency,
            payers=tuple(payers), outcomes=outcomes,
        )
