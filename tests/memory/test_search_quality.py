"""Ranking quality of ``memory search`` (full text) on the labelled queries of ``tests/memory/queries.yaml``
against the starter corpus, on both backends: mean reciprocal rank and precision@5, with floors just below what was
measured (docs/memory.md, "Search quality").

The corpus is searched through the starter-corpus path on an empty store: its records link to registry projects,
so they cannot be imported into a store without the INDIGO registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine

from wellspent.memory.service import search_records, starter_corpus
from wellspent.store.migrate import upgrade

QUERIES = Path(__file__).with_name("queries.yaml")
# measured 2026-11-26: SQLite MRR 0.969, P@5 0.930; PostgreSQL MRR 0.971, P@5 0.959
FLOORS = {"sqlite": (0.95, 0.91), "postgresql": (0.95, 0.94)}


def _queries() -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = yaml.safe_load(QUERIES.read_text("utf-8"))["queries"]
    return queries


def quality(engine: Engine) -> tuple[float, float, list[str]]:
    """MRR and precision@5 (relevant ids in the top 5 / min(5, relevant)) over the labelled queries; the queries
    with no relevant record in the top 5."""
    reciprocal = precision = 0.0
    misses = []
    queries = _queries()
    for query in queries:
        ranked = [hit.id for hit in search_records(engine, query["query"], limit=None)]
        relevant = set(query["relevant"])
        reciprocal += next((1 / rank for rank, record_id in enumerate(ranked, 1) if record_id in relevant), 0.0)
        found = len(relevant & set(ranked[:5]))
        precision += found / min(5, len(relevant))
        if not found:
            misses.append(query["query"])
    return reciprocal / len(queries), precision / len(queries), misses


def test_the_labelled_queries_name_starter_records() -> None:
    ids = {record.id for record in starter_corpus()}
    queries = _queries()
    assert len(queries) >= 30
    assert all(set(query["relevant"]) <= ids for query in queries)


def test_full_text_ranking_quality(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    upgrade(engine)
    mrr, precision, misses = quality(engine)
    with capsys.disabled():
        print(f"\nmemory search quality ({engine.dialect.name}, full text, {len(_queries())} queries): "
              f"MRR {mrr:.3f}, precision@5 {precision:.3f}; no relevant record in the top 5: {misses or 'none'}")
    mrr_floor, precision_floor = FLOORS[engine.dialect.name]
    assert mrr >= mrr_floor and precision >= precision_floor, (mrr, precision, misses)
