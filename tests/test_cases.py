"""Hand-worked YAML cases: every figure of the result document against arithmetic written in the case file."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from tests.casework import bind, evaluate, lookup
from wellspent.appraisal import appraise
from wellspent.specs.loader import validate_appraisal
from wellspent.specs.strict_yaml import StrictDocument

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case(case_path: Path) -> None:
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    spec = validate_appraisal(StrictDocument(case["spec"], str(case_path)))
    document = appraise(spec).to_dict()
    names = bind(case.get("let", {}))
    tolerance = float(case["tolerance"])
    assert case["expected"], "a case must expect something"
    for path, expression in case["expected"].items():
        expected = evaluate(expression, names)
        actual = lookup(document, path)
        if expected is None:
            assert actual is None, f"{path}: expected null, got {actual}"
        elif isinstance(actual, int) and not isinstance(expected, float):
            assert actual == expected, path
        else:
            assert actual is not None, f"{path}: got null"
            assert math.isclose(actual, expected, rel_tol=tolerance, abs_tol=1e-9), (
                f"{path}: expected {expected!r}, got {actual!r}"
            )
    if "agencies_listed" in case:
        assert [row["agency"] for row in document["by_agency"]] == case["agencies_listed"]


def test_expression_evaluator_rejects_code() -> None:
    with pytest.raises(ValueError):
        evaluate("__import__('os')", {})
