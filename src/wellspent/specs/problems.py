"""Turning pydantic validation errors into :class:`~wellspent.errors.Problem` lists with field paths and lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from wellspent.errors import Problem
from wellspent.specs.strict_yaml import StrictDocument, join_path

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
}


def loc_to_path(loc: Sequence[int | str], model_fields: set[str] | None = None) -> str:
    """A pydantic ``loc`` tuple as a field path, dropping pydantic's internal union/validator tags.

    >>> loc_to_path(("costs", 0, "per_year"))
    'costs[0].per_year'
    >>> loc_to_path(("price_year", "int"))
    'price_year'
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path = join_path(path, part)
        elif part in {"int", "str", "float", "bool"} or "[" in part or part.startswith(("function-", "constrained")):
            continue
        else:
            path = join_path(path, part)
    return path


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; the spec formats are documented in docs/)"
    if kind in _TYPE_NAMES:
        return f"must be {_TYPE_NAMES[kind]}, not {error.get('input')!r}"
    if kind == "literal_error":
        return f"{error['msg'].replace('Input should be', 'must be')} (got {error.get('input')!r})"
    message: str = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    message = message.replace("Input should be", "must be")
    if kind.startswith(("greater_than", "less_than")):
        message += f" (got {error.get('input')!r})"
    return message


def validation_problems(exc: ValidationError, doc: StrictDocument) -> list[Problem]:
    """Every error in ``exc`` as a problem naming the document's file, the field path and its line."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for error in exc.errors(include_url=False):
        path = loc_to_path(error["loc"])
        message = _message(error)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(Problem(doc.file, path, message, doc.line_of(path)))
    return problems
