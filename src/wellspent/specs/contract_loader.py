"""Loading ``contract/1`` specs: strict YAML, the pydantic models, then checks that need several fields.

Every problem is collected and reported together (file, field path, line, reason) as an
:class:`~wellspent.errors.InputError`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from wellspent.costs.library import UnitCostLibrary, load_library
from wellspent.errors import Problem
from wellspent.specs.contract import ContractSpec
from wellspent.specs.strict_yaml import StrictDocument, read_strict_yaml
from wellspent.specs.validation import validate_document
from wellspent.uncertainty.spec_inputs import CONTRACT_FIELDS, UncertainInput, split_uncertain


def load_contract(path: Path | str, library: UnitCostLibrary | None = None) -> ContractSpec:
    """Read and validate a contract spec file; raise :class:`InputError` with every problem found.
    Uncertain inputs (distributions) take their central values."""
    return load_contract_uncertain(path, library)[0]


def load_contract_uncertain(path: Path | str, library: UnitCostLibrary | None = None
                            ) -> tuple[ContractSpec, tuple[UncertainInput, ...]]:
    """Read a contract spec and its uncertain inputs."""
    return validate_contract_uncertain(read_strict_yaml(path), library)


def validate_contract(doc: StrictDocument, library: UnitCostLibrary | None = None) -> ContractSpec:
    """Validate a parsed document as ``contract/1`` (distributions take their central values)."""
    return validate_contract_uncertain(doc, library)[0]


def validate_contract_uncertain(doc: StrictDocument, library: UnitCostLibrary | None = None
                                ) -> tuple[ContractSpec, tuple[UncertainInput, ...]]:
    """Validate a parsed document as ``contract/1`` and list its uncertain inputs."""
    library = library if library is not None else load_library()
    split = split_uncertain(doc, CONTRACT_FIELDS)
    central = split.document
    spec = validate_document(central, ContractSpec, "contract/1",
                             lambda data: _semantic_problems(data, central, library), split.problems)
    return spec, split.inputs


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _semantic_problems(data: dict[str, Any], doc: StrictDocument, library: UnitCostLibrary) -> list[Problem]:
    """Checks across fields; robust to malformed input (a field of the wrong shape is left to the model)."""
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(doc.file, path, message, doc.line_of(path)))

    periods = data.get("periods") if isinstance(data.get("periods"), int) else None

    def check_period(path: str, value: Any) -> None:
        if periods is not None and isinstance(value, int) and not isinstance(value, bool) and value >= periods:
            problem(path, f"period {value} is after the contract's last period ({periods - 1})")

    referrals = data.get("referrals")
    if isinstance(referrals, dict):
        profile = referrals.get("profile")
        if isinstance(profile, list) and periods is not None and len(profile) > periods:
            problem("referrals.profile", f"{len(profile)} numbers for a contract of {periods} periods")
        for i, block in enumerate(_list(referrals.get("blocks"))):
            if isinstance(block, dict):
                check_period(f"referrals.blocks[{i}].last", block.get("last"))
                check_period(f"referrals.blocks[{i}].first", block.get("first"))

    card = _list(data.get("rate_card"))
    ids = [o.get("id") for o in card if isinstance(o, dict)]
    seen: set[Any] = set()
    for i, outcome in enumerate(card):
        if not isinstance(outcome, dict):
            continue
        outcome_id = outcome.get("id")
        if outcome_id in seen:
            problem(f"rate_card[{i}].id", f"duplicate outcome id {outcome_id!r}")
        seen.add(outcome_id)
        after = outcome.get("after")
        if isinstance(after, str):
            if after not in ids:
                problem(f"rate_card[{i}].after", f"no outcome with id {after!r} in the rate card")
            elif after == outcome_id and ids.count(outcome_id) == 1:
                problem(f"rate_card[{i}].after", "an outcome cannot follow itself")
            else:
                parent = next(o for o in card if isinstance(o, dict) and o.get("id") == after)
                if isinstance(parent.get("limit"), int) and parent.get("limit", 1) > 1:
                    problem(f"rate_card[{i}].after", f"{after!r} has limit > 1, so it cannot start a chain")
        value = outcome.get("value")
        if isinstance(value, dict) and isinstance(value.get("unit_cost"), str) and value["unit_cost"] not in library:
            hint = library.suggest(value["unit_cost"])
            problem(f"rate_card[{i}].value.unit_cost", f"unknown unit cost id {value['unit_cost']!r}"
                    + (f"; did you mean {', '.join(hint)}?" if hint else ""))
    if len(set(ids)) == len(ids) and _has_cycle(card):
        problem("rate_card", "the chains (after: …) form a cycle")

    payers = _list(data.get("payers"))
    shares: list[Any] = [p.get("share") for p in payers if isinstance(p, dict)]
    if shares and all(_number(s) for s in shares):
        total = math.fsum(shares)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            problem("payers", f"payer shares must add up to 1 (they add up to {total:g})")
    names = [p.get("name") for p in payers if isinstance(p, dict)]
    if len(set(names)) != len(names):
        problem("payers", "payer names must be unique")
    for i, fee in enumerate(_list(data.get("fees_for_service"))):
        if not isinstance(fee, dict):
            continue
        if isinstance(fee.get("payer"), str) and fee["payer"] not in names:
            problem(f"fees_for_service[{i}].payer", f"no payer named {fee['payer']!r}")
        for j, period in enumerate(_list(fee.get("periods"))):
            check_period(f"fees_for_service[{i}].periods[{j}]", period)
    costs = data.get("provider_costs")
    if isinstance(costs, dict):
        for j, period in enumerate(_list(costs.get("fixed_periods"))):
            check_period(f"provider_costs.fixed_periods[{j}]", period)
    return problems


def _has_cycle(card: list[Any]) -> bool:
    parent = {o.get("id"): o.get("after") for o in card if isinstance(o, dict)}
    for start in parent:
        seen = set()
        node = start
        while node in parent and parent[node] is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parent[node]
    return False
