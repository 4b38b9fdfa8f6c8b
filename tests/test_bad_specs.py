"""One deliberately broken spec per failure mode (tests/fixtures/bad_specs/), each checked for its message:
exit code 2, the file named, the field path named, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from wellspent.cli.main import main
from wellspent.errors import InputError
from wellspent.specs import load_appraisal

BAD = FIXTURES / "bad_specs"

# fixture → (field path the first problem names ("" for the whole file), words the message must contain)
EXPECTED: dict[str, tuple[str, str]] = {
    "syntax_error": ("", "YAML syntax error"),
    "empty_file": ("", "the file is empty"),
    "wrong_type": ("horizon", "must be a whole number"),
    "missing_field": ("price_year", "missing required field"),
    "unknown_field": ("engagment", "unknown field"),
    "rate_outside_0_1": ("outcomes[0].success_rate", "less than or equal to 1"),
    "negative_amount": ("costs[0].per_year", "greater than or equal to 0"),
    "unknown_unit_cost_id": ("outcomes[0].unit_cost", "unknown unit cost id"),
    "unknown_discounting": ("discounting", "unknown discounting 'green-book-1999'"),
    "price_year_outside_series": ("price_year", "outside the GDP deflator series"),
    "cohort_year_outside_horizon": ("cohorts[1].year", "outside the horizon"),
    "duplicate_key": ("horizon", "duplicate key 'horizon'"),
    "non_utf8_bytes": ("", "not UTF-8"),
    "absurd_horizon": ("horizon", "less than or equal to 200"),
    "two_cost_bases": ("costs[0]", "exactly one of per_year, per_participant or once"),
    "not_a_mapping": ("", "must be a mapping"),
    "wrong_version": ("wellspent", "expected `wellspent: appraisal/1`"),
    "transfer_on_social_value": ("outcomes[0].value", "only a fiscal value can be a transfer payment"),
    "business_case_unknown_key": ("business_case.management.risk_register", "unknown field"),
    "business_case_risk_without_risk": ("business_case.management.risks[1].risk", "missing required field"),
    "business_case_missing_contract": ("business_case.commercial.contract", "no such file"),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted([*EXPECTED, "many_problems"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_is_reported_with_file_and_field(name: str) -> None:
    path, words = EXPECTED[name]
    with pytest.raises(InputError) as caught:
        load_appraisal(BAD / f"{name}.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == str(BAD / f"{name}.yaml")
    assert problem.path == path
    assert words in problem.message


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        load_appraisal(BAD / "many_problems.yaml")
    paths = [p.path for p in caught.value.problems]
    assert paths == ["policy_area", "horizon", "outcomes[0].success_rate"]
    assert [p.line for p in caught.value.problems] == [3, 6, 17]


@pytest.mark.parametrize("name", sorted([*EXPECTED, "many_problems"]))
def test_cli_exits_2_without_traceback(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    spec = BAD / f"{name}.yaml"
    assert main(["appraise", str(spec), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(spec) in captured.err
    assert "Traceback" not in captured.err


def test_good_fixture_loads(good_spec_path: Path) -> None:
    assert load_appraisal(good_spec_path).horizon == 10


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", str(tmp_path)]) == 2
    assert "directory" in capsys.readouterr().err
