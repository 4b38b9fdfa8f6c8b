"""The shared steps of validating a spec document: its shape and version, the pydantic model, and the spec's own
cross-field checks — every problem collected into one :class:`~wellspent.errors.InputError`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from wellspent.errors import InputError, Problem
from wellspent.specs.problems import validation_problems
from wellspent.specs.strict_yaml import StrictDocument

Model = TypeVar("Model", bound=BaseModel)


def dedupe_problems(problems: list[Problem]) -> list[Problem]:
    """Problems without repeats, in file order."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            unique.append(p)
    return sorted(unique, key=lambda p: (p.line or 0, p.path))


def validate_document(doc: StrictDocument, model: type[Model], version: str,
                      semantic: Callable[[dict[str, Any]], list[Problem]],
                      earlier: Sequence[Problem] = ()) -> Model:
    """Check ``doc`` is a mapping whose ``wellspent:`` is ``version``, then validate it with ``model`` and the
    ``semantic`` checks (which must cope with malformed fields); raise every problem found at once, with any
    ``earlier`` ones (from reading the uncertain inputs)."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError.single(doc.file, "", f"a spec must be a mapping of fields, not {type(data).__name__}")
    found = data.get("wellspent")
    if found != version:
        message = (f"missing: the first line should be `wellspent: {version}`" if found is None
                   else f"expected `wellspent: {version}` here (got {found!r})")
        raise InputError.single(doc.file, "wellspent", message, doc.line_of("wellspent") or 1)
    problems: list[Problem] = list(earlier)
    spec: Model | None = None
    try:
        spec = model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, doc))
    problems.extend(semantic(data))
    if problems:
        raise InputError(dedupe_problems(problems))
    assert spec is not None
    return spec
