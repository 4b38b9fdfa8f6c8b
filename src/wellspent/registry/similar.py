"""Contracts most like a given one: a transparent similarity score.

score = 0.30 × same policy sector (1 or 0)
      + 0.25 × Jaccard of the outcome-metric word sets (definitions)
      + 0.20 × Jaccard of the target-population word sets (project and metric populations)
      + 0.15 × size closeness: 1 − |ln(a / b)| / ln(100), floored at 0, on the maximum outcome payment in USD when
               both projects have one, else on the targeted service users; 0 when neither is known for both
      + 0.10 × same delivery country (any shared ISO2)

Words are lower-cased, at least three letters, without common English stop words and with a trailing ``s``
dropped. Withdrawn projects are left out.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, select

from wellspent.store.models import OutcomeMetric, Project, ProjectCountry

WEIGHTS = {"sector": 0.30, "metrics": 0.25, "population": 0.20, "size": 0.15, "country": 0.10}
_STOP_TEXT = (
    "the and for with who are was were will have has had not but from that this those these their they them into "
    "out per all any each its our your than then there been being also which what when where whose such other "
    "more most very can may might must shall should would could over under between within without"
)
STOP_WORDS = frozenset(_STOP_TEXT.split(" "))
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def words(text: str | None) -> frozenset[str]:
    """The normalised word set of a text."""
    found = (w.lower() for w in _WORD.findall(text or ""))
    return frozenset(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in found if w not in STOP_WORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def size_closeness(a: float | None, b: float | None) -> float | None:
    """1 − |ln(a/b)| / ln(100), floored at 0; None when either is missing or not positive."""
    if not a or not b or a <= 0 or b <= 0:
        return None
    return max(0.0, 1.0 - abs(math.log(a / b)) / math.log(100))


@dataclass(frozen=True)
class Similar:
    """A similar project: its score and the score's components (each 0–1, before weighting)."""

    id: str
    name: str | None
    policy_sector: str | None
    score: float
    components: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


@dataclass
class _Profile:
    id: str
    name: str | None
    sector: str | None
    sector_label: str | None
    countries: set[str]
    metrics: frozenset[str]
    population: frozenset[str]
    payment: float | None
    users: float | None


def _profiles(engine: Engine) -> dict[str, _Profile]:
    with engine.connect() as connection:
        countries: dict[str, set[str]] = defaultdict(set)
        for project_id, country in connection.execute(select(ProjectCountry.project_id, ProjectCountry.country)):
            countries[project_id].add(country)
        metric_text: dict[str, list[str]] = defaultdict(list)
        population_text: dict[str, list[str]] = defaultdict(list)
        for project_id, definition, population in connection.execute(select(
                OutcomeMetric.project_id, OutcomeMetric.definition, OutcomeMetric.target_population)):
            metric_text[project_id].append(definition or "")
            population_text[project_id].append(population or "")
        profiles = {}
        for row in connection.execute(select(
                Project.id, Project.name, Project.policy_sector, Project.target_population,
                Project.max_outcome_payment_usd, Project.targeted_service_users).where(Project.status == "active")):
            profiles[row.id] = _Profile(
                id=row.id, name=row.name, sector=(row.policy_sector or "").strip().lower() or None,
                sector_label=row.policy_sector,
                countries=countries[row.id], metrics=words(" ".join(metric_text[row.id])),
                population=words(" ".join([row.target_population or "", *population_text[row.id]])),
                payment=float(row.max_outcome_payment_usd) if row.max_outcome_payment_usd is not None else None,
                users=float(row.targeted_service_users) if row.targeted_service_users is not None else None)
    return profiles


def _components(a: _Profile, b: _Profile) -> dict[str, float]:
    size = size_closeness(a.payment, b.payment)
    if size is None:
        size = size_closeness(a.users, b.users)
    return {"sector": 1.0 if a.sector and a.sector == b.sector else 0.0,
            "metrics": jaccard(a.metrics, b.metrics), "population": jaccard(a.population, b.population),
            "size": size or 0.0, "country": 1.0 if a.countries & b.countries else 0.0}


def similar_projects(engine: Engine, project_id: str, limit: int = 10) -> list[Similar]:
    """The ``limit`` active projects most like ``project_id`` (best first). KeyError for an unknown project."""
    profiles = _profiles(engine)
    if project_id not in profiles:
        raise KeyError(project_id)
    target = profiles[project_id]
    ranked = []
    for other in profiles.values():
        if other.id == project_id:
            continue
        parts = _components(target, other)
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        ranked.append(Similar(id=other.id, name=other.name, policy_sector=other.sector_label, score=round(score, 4),
                              components={k: round(v, 4) for k, v in parts.items()}))
    ranked.sort(key=lambda s: (-s.score, s.id))
    return ranked[:limit]
