"""The shipped INDIGO priority table is what the data standard says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED
from wellspent.registry.priorities import derive_priorities, load_priorities, main

SCHEMA = SHARED / "data" / "indigo" / "data-standard" / "schema" / "project.json"
needs_schema = pytest.mark.skipif(not SCHEMA.is_file(), reason=f"INDIGO schema not found at {SCHEMA}")


@needs_schema
def test_shipped_table_matches_the_schema() -> None:
    derived = derive_priorities(SCHEMA)
    table = load_priorities()
    assert [entry["column"] for entry in derived["fields"]] == [f.column for f in table.fields]
    assert [(e["section"], e["priority"], e["file"]) for e in derived["lists"]] == [
        (e.section, e.priority, e.file) for e in table.lists]
    assert [e["priority"] for e in derived["fields"]] == [f.priority for f in table.fields]


def test_priorities_follow_indigo() -> None:
    """Section priorities as in INDIGO's own ``project.json.priorities.json`` (database-app)."""
    table = load_priorities()
    by_section = {f.section: f.priority for f in table.fields} | {e.section: e.priority for e in table.lists}
    assert by_section["dates"] == by_section["overall_project_finance"] == by_section["service_and_beneficiaries"] == 1
    assert by_section["investment_details"] == by_section["results"] == by_section["transactions"] == 3
    assert by_section["outcome_metrics"] == by_section["investments"] == by_section["outcome_funds"] == 2
    assert by_section["name"] == 3  # no priority in the schema: INDIGO's default
    assert next(f for f in table.fields if f.section == "name").defaulted
    columns = [f.column for f in table.fields]
    assert "Dates - Date outcomes contract signed - (Value)" in columns
    assert "Overall project finance - (Source ID's)" in columns
    assert not any(c.endswith(("(Status)", "(Notes)")) for c in columns)
    assert table.source["commit"] == "f034d757ca756bd0a03ba4df69be81f9eee7d416"


@needs_schema
def test_generator_prints_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    import wellspent

    shipped = Path(wellspent.__file__).parent / "data" / "registry" / "indigo-field-priorities.yaml"
    assert main([str(SCHEMA)]) == 0
    assert capsys.readouterr().out == shipped.read_text(encoding="utf-8")
    assert main([]) == 2
