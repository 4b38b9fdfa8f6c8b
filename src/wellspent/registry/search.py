"""Full-text search over the registry of past contracts, with filters, behind one interface.

:func:`search_projects` picks its backend from the engine's dialect:

- **SQLite**: an FTS5 table (``porter unicode61`` tokenizer) with one column per field, ranked with ``bm25``
  (weights: name/alternative names/funds 10, policy sector and target population 5, outcome metrics 2,
  organisations 1). The store's table set is fixed by the models, so the FTS5 table lives in the connection's
  ``temp`` schema and is rebuilt for each search from the same fields (a few milliseconds for 319 projects).
- **PostgreSQL**: the materialised view ``project_search`` (migration ``0002``) holds a weighted ``tsvector``
  per project (A: name, alternative names, funds; B: sector and population; C: outcome metrics; D:
  organisations) with a GIN index; the query is ``websearch_to_tsquery('english', …)``, ranked with
  ``ts_rank_cd``. :func:`refresh_search_index` refreshes it; the INDIGO import calls it in its transaction.

The words of the query must all match (AND) on both backends. Filters narrow the result; empty text with
filters lists the matching projects by id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, exists, func, or_, select, text

from wellspent.store.models import (
    Fund,
    Investment,
    Organisation,
    OutcomeMetric,
    OutcomePaymentCommitment,
    Project,
    ProjectCountry,
    ProjectFund,
)

FTS_COLUMNS = ("name", "sector", "metrics", "organisations")
BM25_WEIGHTS = (10.0, 5.0, 2.0, 1.0)
"""bm25 weight per FTS5 column, in :data:`FTS_COLUMNS` order."""
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    """Filters for :func:`search_projects`; None means no filter. Text filters match case-insensitively."""

    country: str | None = None
    """ISO2 delivery country (``project_countries``)."""
    sector: str | None = None
    """Policy sector, exact (``Homelessness``)."""
    stage: str | None = None
    """Stage of development, exact (``Complete``)."""
    from_year: int | None = None
    to_year: int | None = None
    """Year range on the year the outcomes contract was signed (else the service start)."""
    payer: str | None = None
    investor: str | None = None
    fund: str | None = None
    """Organisation or fund: an id (``INDIGO-ORG-0001``) or a part of the name."""
    include_withdrawn: bool = False


@dataclass(frozen=True)
class Hit:
    """One project found: its key fields and the text rank (higher is better; 0 without text)."""

    id: str
    name: str | None
    stage: str | None
    policy_sector: str | None
    countries: str | None
    year: int | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


def _year_expr() -> Any:
    return func.substr(func.coalesce(Project.contract_signed, Project.service_start), 1, 4)


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _org_match(org_id_column: Any, value: str) -> Any:
    return or_(org_id_column == value.strip(), exists().where(
        Organisation.id == org_id_column,
        or_(func.lower(Organisation.name).like(_like(value.strip()), escape="\\"),
            func.lower(Organisation.trading_name).like(_like(value.strip()), escape="\\"))))


def _apply_filters(query: Select[Any], filters: SearchFilters) -> Select[Any]:
    if not filters.include_withdrawn:
        query = query.where(Project.status == "active")
    if filters.country:
        query = query.where(exists().where(ProjectCountry.project_id == Project.id,
                                           ProjectCountry.country == filters.country.strip().upper()))
    if filters.sector:
        query = query.where(func.lower(Project.policy_sector) == filters.sector.strip().lower())
    if filters.stage:
        query = query.where(func.lower(Project.stage) == filters.stage.strip().lower())
    if filters.from_year is not None:
        query = query.where(_year_expr() >= f"{filters.from_year:04d}")
    if filters.to_year is not None:
        query = query.where(_year_expr() <= f"{filters.to_year:04d}")
    if filters.payer:
        query = query.where(exists().where(
            OutcomePaymentCommitment.project_id == Project.id,
            _org_match(OutcomePaymentCommitment.organisation_id, filters.payer)))
    if filters.investor:
        query = query.where(exists().where(
            Investment.project_id == Project.id, _org_match(Investment.organisation_id, filters.investor)))
    if filters.fund:
        value = filters.fund.strip()
        query = query.where(exists().where(ProjectFund.project_id == Project.id, or_(
            ProjectFund.fund_id == value,
            exists().where(Fund.id == ProjectFund.fund_id,
                           func.lower(Fund.name).like(_like(value), escape="\\")))))
    return query


def query_words(text_query: str) -> list[str]:
    """The words of a query (letters and digits), lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text_query.lower()):
        seen.setdefault(word, None)
    return list(seen)


def search_projects(bind: Engine | Connection, text_query: str, filters: SearchFilters | None = None, *,
                    limit: int | None = 20) -> list[Hit]:
    """Projects matching every word of ``text_query`` (best first) and the filters; with empty text, the projects
    matching the filters by id."""
    filters = filters or SearchFilters()
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            return search_projects(connection, text_query, filters, limit=limit)
    words = query_words(text_query)
    query = _apply_filters(select(Project.id, Project.name, Project.stage, Project.policy_sector,
                                  Project.countries, _year_expr().label("year")), filters)
    scores: dict[str, float] = {}
    if words:
        scores = (_rank_postgresql(bind, text_query) if bind.dialect.name == "postgresql"
                  else _rank_sqlite(bind, words))
        if not scores:
            return []
        query = query.where(Project.id.in_(list(scores)))
    rows = bind.execute(query.order_by(Project.id)).all()
    hits = [Hit(id=row.id, name=row.name, stage=row.stage, policy_sector=row.policy_sector, countries=row.countries,
                year=int(row.year) if row.year and str(row.year).isdigit() else None,
                score=round(scores.get(row.id, 0.0), 6)) for row in rows]
    hits.sort(key=lambda hit: (-hit.score, hit.id))
    return hits if limit is None else hits[:limit]


def _rank_postgresql(connection: Connection, text_query: str) -> dict[str, float]:
    rows = connection.execute(text(
        "SELECT project_id, ts_rank_cd(document, q) AS rank "
        "FROM project_search, websearch_to_tsquery('english', :q) AS q WHERE document @@ q"), {"q": text_query})
    return {row.project_id: float(row.rank) for row in rows}


def _rank_sqlite(connection: Connection, words: list[str]) -> dict[str, float]:
    _build_sqlite_index(connection)
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
    rows = connection.execute(text(
        f"SELECT project_id, bm25(project_search_fts, 0.0, {weights}) AS rank "
        "FROM temp.project_search_fts WHERE project_search_fts MATCH :q"), {"q": match})
    return {row.project_id: -float(row.rank) for row in rows}  # bm25: lower is better


def search_documents(connection: Connection) -> dict[str, dict[str, str]]:
    """Project id → the text of each FTS column (see :data:`FTS_COLUMNS`): the fields the search looks at."""
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    org_names = {row.id: " ".join(n for n in (row.name, row.trading_name) if n)
                 for row in connection.execute(select(Organisation.id, Organisation.name, Organisation.trading_name))}
    fund_names = dict(connection.execute(select(Fund.id, Fund.name)).all())
    for row in connection.execute(select(Project.id, Project.name, Project.alternative_names, Project.policy_sector,
                                         Project.target_population, Project.organisation_ids)):
        doc = parts[row.id]
        doc["name"] += [row.name or "", row.alternative_names or ""]
        doc["sector"] += [row.policy_sector or "", row.target_population or ""]
        doc["org_ids"] += [item.strip() for item in (row.organisation_ids or "").split(",") if item.strip()]
    for project_id, fund_id in connection.execute(select(ProjectFund.project_id, ProjectFund.fund_id)):
        parts[project_id]["name"].append(fund_names.get(fund_id) or fund_id)
    for project_id, definition, population in connection.execute(select(
            OutcomeMetric.project_id, OutcomeMetric.definition, OutcomeMetric.target_population)):
        parts[project_id]["metrics"] += [definition or "", population or ""]
    for model in (OutcomePaymentCommitment, Investment):
        for project_id, org_id in connection.execute(select(model.project_id, model.organisation_id)):
            if org_id:
                parts[project_id]["org_ids"].append(org_id)
    documents: dict[str, dict[str, str]] = {}
    for project_id, doc in parts.items():
        organisations = " ".join(org_names.get(org_id, "") for org_id in dict.fromkeys(doc["org_ids"]))
        documents[project_id] = {"name": " ".join(doc["name"]), "sector": " ".join(doc["sector"]),
                                 "metrics": " ".join(doc["metrics"]), "organisations": organisations}
    return documents


def _build_sqlite_index(connection: Connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS temp.project_search_fts"))
    connection.execute(text(
        "CREATE VIRTUAL TABLE temp.project_search_fts USING fts5(project_id UNINDEXED, "
        + ", ".join(FTS_COLUMNS) + ", tokenize = 'porter unicode61')"))
    documents = search_documents(connection)
    if documents:
        connection.execute(
            text("INSERT INTO temp.project_search_fts (project_id, " + ", ".join(FTS_COLUMNS) + ") VALUES "
                 "(:project_id, " + ", ".join(f":{c}" for c in FTS_COLUMNS) + ")"),
            [{"project_id": project_id, **doc} for project_id, doc in documents.items()])


def refresh_search_index(connection: Connection) -> None:
    """Bring the search index up to date with the tables (inside the caller's transaction).

    PostgreSQL: ``REFRESH MATERIALIZED VIEW project_search``. SQLite: nothing to do, the index is built per
    search.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("REFRESH MATERIALIZED VIEW project_search"))


def project_exists(connection: Connection, project_id: str) -> bool:
    """True when the store has a project with this id."""
    return connection.execute(select(Project.id).where(Project.id == project_id)).first() is not None


def suggest_ids(connection: Connection, project_id: str, limit: int = 5) -> list[str]:
    """Project ids close to an unknown one (same number, or by name), for error messages."""
    digits = re.sub(r"\D", "", project_id)
    clauses = []
    if digits:
        clauses.append(Project.id.like(f"%{int(digits):04d}%"))
    if project_id.strip():
        clauses.append(func.lower(Project.name).like(_like(project_id.strip()), escape="\\"))
    if not clauses:
        return []
    return list(connection.execute(select(Project.id).where(or_(*clauses)).order_by(Project.id)
                                   .limit(limit)).scalars())


__all__ = ["Hit", "SearchFilters", "refresh_search_index", "search_projects"]
