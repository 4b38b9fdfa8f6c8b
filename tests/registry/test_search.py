"""Registry search, similarity and the search/similar/show commands, on SQLite and PostgreSQL.

The real INDIGO export is imported once per backend. Search quality is measured on the labelled queries in
``search_queries.yaml`` (precision@5, the denominator capped at the number of relevant projects); the measured
values are in docs/registry.md ("Search").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, select

from tests.registry.conftest import INDIGO
from tests.store.backends import BACKENDS, postgres_database
from wellspent.cli.main import main
from wellspent.registry.indigo_import import import_indigo
from wellspent.registry.search import SearchFilters, search_projects
from wellspent.registry.similar import jaccard, similar_projects, size_closeness, words
from wellspent.store.engine import get_engine
from wellspent.store.models import Project, ProjectCountry

QUERIES = Path(__file__).with_name("search_queries.yaml")
PRECISION_FLOOR = 0.7
"""Mean precision@5 over the labelled queries, each backend (measured: see docs/registry.md)."""
FAIR_CHANCE = [f"INDIGO-POJ-{n:04d}" for n in range(131, 138)]


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """(URL, engine) of a database holding the imported INDIGO export, per backend."""
    if not (INDIGO / "key-datasets" / "original_projects.csv").is_file():
        pytest.skip(f"INDIGO export not found at {INDIGO}")
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('search') / 'store.db'}"])
    else:
        urls = postgres_database()
    url = next(urls)
    engine = get_engine(url)
    try:
        import_indigo(INDIGO, engine)
        yield url, engine
    finally:
        engine.dispose()
        next(urls, None)  # drops the PostgreSQL database


def _ids(hits: list[Any]) -> list[str]:
    return [hit.id for hit in hits]


def precision_at_5(engine: Engine) -> dict[str, float]:
    """Query text → precision@5 (relevant among the first 5 / min(5, relevant))."""
    result = {}
    for query in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]:
        relevant = set(query["relevant"])
        top = _ids(search_projects(engine, query["text"], limit=5))
        result[query["text"]] = len(relevant.intersection(top)) / min(5, len(relevant))
    return result


def test_labelled_queries_precision_at_5(loaded: tuple[str, Engine]) -> None:
    scores = precision_at_5(loaded[1])
    assert len(scores) >= 10
    mean = sum(scores.values()) / len(scores)
    print(f"\n{loaded[1].dialect.name}: mean precision@5 {mean:.3f}; " + json.dumps(scores))
    assert mean >= PRECISION_FLOOR, scores


def test_country_and_sector_filters(loaded: tuple[str, Engine]) -> None:
    engine = loaded[1]
    hits = search_projects(engine, "", SearchFilters(country="gb", sector="Homelessness"), limit=None)
    assert len(hits) == 23  # SOURCE.md: 23 GB homelessness projects
    with engine.connect() as connection:
        gb = set(connection.execute(select(ProjectCountry.project_id).where(ProjectCountry.country == "GB"))
                 .scalars())
    assert all(hit.policy_sector == "Homelessness" and hit.id in gb for hit in hits)
    # text and filters together: rough sleeping outside GB finds none of the GB SIBs
    assert not set(_ids(search_projects(engine, "rough sleeping", SearchFilters(country="US"), limit=None))) & gb


def test_fund_stage_year_payer_investor_filters(loaded: tuple[str, Engine]) -> None:
    engine = loaded[1]
    assert _ids(search_projects(engine, "", SearchFilters(fund="fair chance"), limit=None)) == FAIR_CHANCE
    assert _ids(search_projects(engine, "", SearchFilters(fund="INDIGO-FUND-0005"), limit=None)) == FAIR_CHANCE
    complete = search_projects(engine, "", SearchFilters(country="GB", stage="complete"), limit=None)
    assert len(complete) == 73  # SOURCE.md: 73 of the 100 GB projects are Complete
    years = search_projects(engine, "", SearchFilters(from_year=2015, to_year=2016), limit=None)
    assert years and all(hit.year in (2015, 2016) for hit in years)
    with engine.connect() as connection:
        signed = {pid: (c or s or "")[:4] for pid, c, s in connection.execute(
            select(Project.id, Project.contract_signed, Project.service_start))}
    assert {hit.id for hit in years} == {pid for pid, y in signed.items() if y in ("2015", "2016")}
    payer = search_projects(engine, "", SearchFilters(payer="Department for Work and Pensions"), limit=None)
    assert {f"INDIGO-POJ-{n:04d}" for n in range(138, 148)} <= set(_ids(payer))
    investor = search_projects(engine, "", SearchFilters(investor="Big Issue"), limit=None)
    assert investor and len(investor) < 100
    assert search_projects(engine, "no such words anywhere zzqx") == []


def test_similar_puts_fund_siblings_first(loaded: tuple[str, Engine]) -> None:
    ranked = similar_projects(loaded[1], "INDIGO-POJ-0131", limit=10)
    assert {item.id for item in ranked[:6]} == set(FAIR_CHANCE) - {"INDIGO-POJ-0131"}
    top = ranked[0]
    assert set(top.components) == {"sector", "metrics", "population", "size", "country"}
    assert top.components["sector"] == top.components["country"] == 1.0
    with pytest.raises(KeyError):
        similar_projects(loaded[1], "INDIGO-POJ-9999")


def test_similarity_parts() -> None:
    assert words("Young people, NEET; homeless persons") == {"young", "people", "neet", "homeles", "person"}
    assert jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 0.0
    assert size_closeness(100.0, 100.0) == 1.0
    assert size_closeness(1.0, 100.0) == pytest.approx(0.0)
    assert size_closeness(None, 5.0) is None


def test_cli_search_similar_show(loaded: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", loaded[0])
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["registry", "search", "rough sleeping", "--country", "GB", "--limit", "3", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["hits"]) == 3 and document["filters"] == {"country": "GB"}
    assert main(["registry", "search", "", "--fund", "Fair Chance Fund", "--sector", "Homelessness"]) == 0
    assert "INDIGO-POJ-0137" in capsys.readouterr().out
    assert main(["registry", "similar", "INDIGO-POJ-0131", "--limit", "3", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["weights"]["sector"] == 0.3 and len(document["similar"]) == 3
    assert main(["registry", "similar", "INDIGO-POJ-0131"]) == 0
    assert "INDIGO-POJ-0132" in capsys.readouterr().out
    assert main(["registry", "show", "INDIGO-POJ-0131", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["name"] == "Ambition" and document["funds"][0]["id"] == "INDIGO-FUND-0005"
    assert main(["registry", "show", "INDIGO-POJ-0131"]) == 0
    capsys.readouterr()
    assert main(["registry", "show", "POJ-131"]) == 2
    assert "INDIGO-POJ-0131" in capsys.readouterr().err
    assert main(["registry", "similar", "nothing"]) == 2
