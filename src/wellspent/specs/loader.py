"""Loading appraisal specs: strict YAML, pydantic models, then checks against the library and the data series.

Every problem is collected and reported together (file, field path, line, reason) as an
:class:`~wellspent.errors.InputError`; nothing is computed from a spec with problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wellspent.costs.library import UnitCostLibrary, load_library
from wellspent.errors import InputError, Problem
from wellspent.money.deflators import DEFAULT_SERIES, load_series, parse_price_year
from wellspent.specs.appraisal import AppraisalSpec
from wellspent.specs.problems import validation_problems
from wellspent.specs.strict_yaml import StrictDocument, read_strict_yaml


def load_appraisal(path: Path | str, library: UnitCostLibrary | None = None) -> AppraisalSpec:
    """Read and validate an appraisal spec file; raise :class:`InputError` with every problem found."""
    doc = read_strict_yaml(path)
    return validate_appraisal(doc, library)


def validate_appraisal(doc: StrictDocument, library: UnitCostLibrary | None = None) -> AppraisalSpec:
    """Validate a parsed document as ``appraisal/1``."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError.single(doc.file, "", f"a spec must be a mapping of fields, not {type(data).__name__}")
    version = data.get("wellspent")
    if version is None:
        raise InputError.single(doc.file, "wellspent", "missing: the first line should be `wellspent: appraisal/1`",
                                doc.line_of(""))
    if version != "appraisal/1":
        raise InputError.single(doc.file, "wellspent", f"this is not an appraisal/1 spec (got {version!r})",
                                doc.line_of("wellspent"))
    library = library if library is not None else load_library()
    problems: list[Problem] = []
    spec: AppraisalSpec | None = None
    try:
        spec = AppraisalSpec.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc))
    problems.extend(_semantic_problems(data, doc, library))
    if problems:
        raise InputError(dedupe_problems(problems))
    assert spec is not None
    return spec


def dedupe_problems(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats, in file order."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            unique.append(p)
    return sorted(unique, key=lambda p: (p.line or 0, p.path))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _semantic_problems(data: dict[str, Any], doc: StrictDocument, library: UnitCostLibrary) -> list[Problem]:
    """Checks that need more than one field or outside data. Robust to malformed input: a field of the wrong
    shape is skipped here (the model validation reports it)."""
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(doc.file, path, message, doc.line_of(path)))

    series = load_series(DEFAULT_SERIES)
    price_year = data.get("price_year")
    if isinstance(price_year, int) and not isinstance(price_year, bool) and not series.covers(price_year):
        problem("price_year", f"{price_year} is outside the GDP deflator series {series.name} "
                              f"({series.coverage()}); choose a price year inside it")

    raw_horizon = data.get("horizon")
    horizon: int | None = None
    if isinstance(raw_horizon, int) and not isinstance(raw_horizon, bool) and raw_horizon >= 1:
        horizon = raw_horizon

    def check_year(path: str, year: Any, what: str) -> None:
        if horizon is not None and _is_int(year) and year >= horizon:
            problem(path, f"{what} {year} is outside the horizon (years 0–{horizon - 1})")

    for i, cohort in enumerate(_list(data.get("cohorts"))):
        if isinstance(cohort, dict):
            check_year(f"cohorts[{i}].year", cohort.get("year"), "cohort year")
    for i, cost in enumerate(_list(data.get("costs"))):
        if not isinstance(cost, dict):
            continue
        check_year(f"costs[{i}].year", cost.get("year"), "year")
        for j, year in enumerate(_list(cost.get("years"))):
            check_year(f"costs[{i}].years[{j}]", year, "year")
    for i, outcome in enumerate(_list(data.get("outcomes"))):
        if not isinstance(outcome, dict):
            continue
        unit_cost = outcome.get("unit_cost")
        if isinstance(unit_cost, str) and unit_cost not in library:
            hint = library.suggest(unit_cost)
            problem(f"outcomes[{i}].unit_cost",
                    f"unknown unit cost id {unit_cost!r}"
                    + (f"; did you mean {', '.join(hint)}?" if hint else "; search with `wellspent costs search`"))
        value = outcome.get("value")
        if isinstance(value, dict):
            value_year = value.get("price_year")
            if isinstance(value_year, int | str) and not isinstance(value_year, bool):
                try:
                    parse_price_year(value_year)
                except ValueError:
                    continue  # malformed year: reported by the model
                if not series.covers(value_year):
                    problem(f"outcomes[{i}].value.price_year",
                            f"{value_year} is outside the GDP deflator series {series.name} "
                            f"({series.coverage()})")
    return problems


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
