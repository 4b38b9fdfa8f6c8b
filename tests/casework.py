"""YAML case tests: a spec, expected figures written as arithmetic worked by hand, and a tolerance.

Expected values are arithmetic expressions (numbers, + - * / **, parentheses and names bound in the case's
``let:`` block), so the working is visible in the case file and exact to floating point. Result paths use the
``wellspent.appraisal/1`` document: ``pv_benefits.fiscal``, ``years[2].costs``,
``by_agency[agency=nhs].net``.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def evaluate(expression: Any, names: Mapping[str, float]) -> Any:
    """Evaluate a hand-written arithmetic expression; non-strings (numbers, null) pass through."""
    if not isinstance(expression, str):
        return expression

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        raise ValueError(f"not plain arithmetic: {ast.dump(node)}")

    return walk(ast.parse(expression, mode="eval"))


def bind(let: Mapping[str, Any]) -> dict[str, float]:
    """Evaluate a ``let:`` block in order; later names may use earlier ones."""
    names: dict[str, float] = {}
    for name, expression in let.items():
        names[name] = evaluate(expression, names)
    return names


_STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+|[a-z_]+=[^\]]+)\])?")


def lookup(document: Any, path: str) -> Any:
    """Follow ``a.b[2].c`` or ``by_agency[agency=nhs].net`` through a result document."""
    value = document
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if not match:
            raise KeyError(path)
        value = value[match.group(1)]
        selector = match.group(2)
        if selector is None:
            continue
        if selector.isdigit():
            value = value[int(selector)]
        else:
            key, wanted = selector.split("=", 1)
            matches = [row for row in value if str(row[key]) == wanted]
            if len(matches) != 1:
                raise KeyError(f"{path}: {len(matches)} rows with {key}={wanted}")
            value = matches[0]
    return value
