"""The shipped Alembic migrations create exactly the models' tables, plus the memory search index (not a model:
an FTS5 virtual table and its shadow tables on SQLite, a tsvector table on PostgreSQL), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, select, text

from wellspent.store.memory_models import search_index_tables
from wellspent.store.migrate import current_revision, head_revision, upgrade
from wellspent.store.models import Base, Fund, Import

TABLES = {"imports", "organisations", "funds", "projects", "project_countries", "project_funds", "project_sources",
          "outcome_metrics", "outcome_pricings", "outcome_payments", "outcome_payment_commitments", "investments",
          "results", "memory_records", "memory_versions", "memory_links"}
SEARCH_TABLES = {"sqlite": {"memory_search", "memory_search_data", "memory_search_idx", "memory_search_content",
                            "memory_search_docsize", "memory_search_config",
                            "memory_search_head", "memory_search_head_data", "memory_search_head_idx",
                            "memory_search_head_content", "memory_search_head_docsize", "memory_search_head_config"},
                 "postgresql": {"memory_search"}}


def test_upgrade_creates_every_table_on_an_empty_database(engine: Engine) -> None:
    assert current_revision(engine) is None
    result = upgrade(engine)
    assert result.before is None
    assert result.after == head_revision() == current_revision(engine)
    assert result.changed
    search_tables = SEARCH_TABLES[engine.dialect.name]
    assert search_index_tables(engine.dialect.name) == search_tables
    assert set(inspect(engine).get_table_names()) == TABLES | search_tables | {"alembic_version"}
    assert set(Base.metadata.tables) == TABLES


def test_migrations_match_the_models(engine: Engine) -> None:
    upgrade(engine)
    search_tables = SEARCH_TABLES[engine.dialect.name]

    def not_the_search_index(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
        table = name if type_ == "table" else parent_names.get("table_name")
        return table not in search_tables

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_name": not_the_search_index})
        assert compare_metadata(context, Base.metadata) == []
        # without the filter, the search index is all that differs
        unfiltered = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                      Base.metadata)
    removed = {diff[1].name for diff in unfiltered if diff[0] == "remove_table"}
    assert removed == search_tables
    assert all(diff[0] in ("remove_table", "remove_index") for diff in unfiltered)


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    again = upgrade(engine)
    assert not again.changed
    assert again.before == again.after == head_revision()


def _one_import(engine: Engine) -> int:
    with engine.begin() as connection:
        return int(connection.execute(insert(Import).values(
            source="test", imported_at=datetime(2026, 1, 1, tzinfo=UTC), source_dir="/x", content_hash="0" * 64,
            file_hashes={}, counts={}, wellspent_version="0").returning(Import.id)).scalar_one())


def test_money_reads_back_exactly_and_missing_is_null(engine: Engine) -> None:
    upgrade(engine)
    import_id = _one_import(engine)
    values = {
        "value_aspiration": Decimal("17560000000.0000"),    # the largest amount in the INDIGO export
        "value_aspiration_usd": Decimal("4428025.5511"),
        "value_actual": Decimal("99999999999.9999"),        # 15 significant digits: exact on SQLite too
        "value_actual_usd": Decimal("0.0001"),
        "repayable_investment_aspiration": Decimal("12345678901234.6"),  # 15 digits, large
    }
    with engine.begin() as connection:
        connection.execute(insert(Fund).values(id="F1", raw={"ID": "F1"}, notes=None, first_seen_import_id=import_id,
                                               last_seen_import_id=import_id, **values))
    with engine.connect() as connection:
        row = connection.execute(select(Fund).where(Fund.id == "F1")).mappings().one()
        for column, value in values.items():
            assert isinstance(row[column], Decimal)
            assert row[column] == value, column
        assert row["value_currency"] is None and row["targeted_service_users"] is None
        # missing JSON is SQL NULL, not the JSON text 'null'
        assert connection.execute(text("SELECT count(*) FROM funds WHERE notes IS NULL")).scalar() == 1
