"""Loading appraisal specs: strict YAML, pydantic models, then checks against the library and the data series.

Every problem is collected and reported together (file, field path, line, reason) as an
:class:`~wellspent.errors.InputError`; nothing is computed from a spec with problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wellspent.costs.library import UnitCostLibrary, load_library
from wellspent.errors import Problem
from wellspent.money.deflators import DEFAULT_SERIES, load_series, parse_price_year
from wellspent.specs.appraisal import AppraisalSpec
from wellspent.specs.strict_yaml import StrictDocument, read_strict_yaml
from wellspent.specs.validation import validate_document
from wellspent.uncertainty.spec_inputs import APPRAISAL_FIELDS, UncertainInput, split_uncertain


def load_appraisal(path: Path | str, library: UnitCostLibrary | None = None) -> AppraisalSpec:
    """Read and validate an appraisal spec file; raise :class:`InputError` with every problem found.
    Uncertain inputs (distributions) take their central values."""
    return load_appraisal_uncertain(path, library)[0]


def load_appraisal_uncertain(path: Path | str, library: UnitCostLibrary | None = None
                             ) -> tuple[AppraisalSpec, tuple[UncertainInput, ...]]:
    """Read an appraisal spec and its uncertain inputs (distributions written in place of numbers)."""
    return validate_appraisal_uncertain(read_strict_yaml(path), library)


def validate_appraisal(doc: StrictDocument, library: UnitCostLibrary | None = None) -> AppraisalSpec:
    """Validate a parsed document as ``appraisal/1`` (distributions take their central values)."""
    return validate_appraisal_uncertain(doc, library)[0]


def validate_appraisal_uncertain(doc: StrictDocument, library: UnitCostLibrary | None = None
                                 ) -> tuple[AppraisalSpec, tuple[UncertainInput, ...]]:
    """Validate a parsed document as ``appraisal/1`` and list its uncertain inputs."""
    library = library if library is not None else load_library()
    split = split_uncertain(doc, APPRAISAL_FIELDS)
    central = split.document
    spec = validate_document(central, AppraisalSpec, "appraisal/1",
                             lambda data: _semantic_problems(data, central, library), split.problems)
    return spec, split.inputs


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
    problems.extend(_linked_contract_problems(data, doc))
    return problems


def _linked_contract_problems(data: dict[str, Any], doc: StrictDocument) -> list[Problem]:
    """``business_case.commercial.contract`` must name an existing file (relative to the spec file). Only its
    existence is checked here; ``wellspent contract`` validates the contract itself."""
    business_case = data.get("business_case")
    commercial = business_case.get("commercial") if isinstance(business_case, dict) else None
    contract = commercial.get("contract") if isinstance(commercial, dict) else None
    if not isinstance(contract, str) or not contract:
        return []  # absent, or the wrong type (reported by the model)
    path = "business_case.commercial.contract"
    resolved = _resolve_beside(doc.file, contract)
    if resolved.is_file():
        return []
    what = "is a directory, not a contract spec file" if resolved.is_dir() else "no such file"
    return [Problem(doc.file, path, f"linked contract {contract!r}: {what} (looked for {resolved}; the path is "
                                    "relative to this spec file's folder)", doc.line_of(path))]


def _resolve_beside(spec_file: Path | str, relative: str) -> Path:
    """``relative`` resolved against the folder of ``spec_file`` (an absolute path is kept as it is)."""
    return Path(spec_file).parent / Path(relative).expanduser()


def linked_contract_path(spec_path: Path | str, spec: AppraisalSpec) -> Path | None:
    """The contract spec linked from ``spec.business_case.commercial.contract``, resolved relative to the folder
    of ``spec_path`` (the appraisal spec file); ``None`` when no contract is linked. The loader has already
    checked that the file exists.

    >>> from wellspent.specs.appraisal import BusinessCase, CommercialCase
    >>> linked_contract_path("examples/a.yaml", AppraisalSpec.model_construct(business_case=BusinessCase(
    ...     commercial=CommercialCase(contract="contracts/c.yaml")))).as_posix()
    'examples/contracts/c.yaml'
    >>> linked_contract_path("examples/a.yaml", AppraisalSpec.model_construct(business_case=None)) is None
    True
    """
    business_case = spec.business_case
    if business_case is None or business_case.commercial is None or business_case.commercial.contract is None:
        return None
    return _resolve_beside(spec_path, business_case.commercial.contract)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
