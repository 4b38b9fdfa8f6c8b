"""Reading and writing memory record files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.memory.records import DECISION, EVALUATION, LESSON, REVIEW, write
from wellspent.errors import InputError
from wellspent.memory.files import read_record, write_record
from wellspent.memory.model import Decision, Lesson, slugify

BAD = FIXTURES / "bad_memory"

# file → every (field path, line, words of the message) it must report
EXPECTED: dict[str, list[tuple[str, int | None, str]]] = {
    "no_fence.md": [("", 1, "starts with a `---` line")],
    "unclosed_fence.md": [("", 7, "no closing `---`")],
    "bad_yaml.md": [("", 5, "YAML syntax error")],
    "duplicate_key.md": [("title", 5, "duplicate key 'title'")],
    "unknown_type.md": [("type", 3, "unknown record type 'anecdote'")],
    "unknown_link.md": [("links[1].website", 11, "unknown link kind 'website'")],
    "lesson_missing_result.md": [("tried", 2, "required for a lesson"), ("result", 2, "required for a lesson")],
    "unknown_field.md": [("author", 8, "unknown field")],
    "bad_values.md": [("id", 4, "kebab-case"), ("date", 6, "not a date"), ("policy_area", 7, "unknown policy area"),
                      ("evidence_strength", 10, "less than or equal to 5")],
    "several_problems.md": [("", 1, "starts with a `---` line"), ("type", 2, "unknown record type"),
                            ("date", 4, "not a date"), ("links[0].homepage", 6, "unknown link kind")],
}


def test_every_bad_fixture_has_expectations() -> None:
    assert {p.name for p in BAD.glob("*.md")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_files_report_every_problem_with_field_and_line(name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_record(BAD / name)
    problems = caught.value.problems
    assert len(problems) == len(EXPECTED[name]), caught.value
    for problem, (path, line, words) in zip(problems, EXPECTED[name], strict=True):
        assert problem.file == str(BAD / name)
        assert problem.path == path
        assert problem.line == line
        assert words in problem.message


@pytest.mark.parametrize("text", [LESSON, DECISION, EVALUATION, REVIEW])
def test_good_files_round_trip(text: str, tmp_path: Path) -> None:
    first = read_record(write(tmp_path, "a.md", text))
    written = write_record(first)
    second = read_record(write(tmp_path, "b.md", written))
    assert second.front == first.front.model_copy(update={"id": first.id})
    assert second.body == first.body
    assert write_record(second) == written


def test_lesson_fields_and_derived_id(tmp_path: Path) -> None:
    record = read_record(write(tmp_path, "l.md", LESSON))
    assert isinstance(record.front, Lesson)
    assert record.id == "fcf-accommodation-sustainment"
    assert record.front.result == "worked" and record.front.date == "2018-03"
    assert record.body.startswith("Keyworkers")
    decision = read_record(write(tmp_path, "d.md", DECISION))
    assert isinstance(decision.front, Decision)
    assert decision.id == slugify(decision.front.title) == "pay-for-sustained-tenancies-not-entry-into-accommodation"
    assert decision.front.review_date == "2021"  # a bare year is kept as text
    assert [(link.kind, link.target) for link in decision.front.links] == [("record", "fcf-accommodation-sustainment")]


def test_written_front_matter_is_in_a_fixed_order(tmp_path: Path) -> None:
    text = write_record(read_record(write(tmp_path, "l.md", LESSON)))
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines() if not line.startswith(" ")]
    assert keys[:5] == ["wellspent", "type", "id", "title", "date"]
    assert keys[-2:] == ["sources", "tags"]
    assert text.endswith("tenancies.\n")
