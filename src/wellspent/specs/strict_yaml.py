"""A strict YAML reader for spec files: duplicate keys are errors, dates stay strings, every value keeps its line.

Modelled on OpenFisca-Core's strict parameter loader (STYLE.md): an error names the file, the field path and the
line, and the document is never half-read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wellspent.errors import InputError, Problem, read_input_file

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


@dataclass
class StrictDocument:
    """A parsed YAML document and the line (1-based) where each field path's value starts."""

    data: Any
    file: str
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""


def join_path(parent: str, key: str | int) -> str:
    """``join_path("costs", 0)`` → ``costs[0]``; ``join_path("costs[0]", "name")`` → ``costs[0].name``.

    >>> join_path(join_path("costs", 0), "name")
    'costs[0].name'
    >>> join_path("", "horizon")
    'horizon'
    """
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")  # only used for its scalar constructors

    def build(self, node: yaml.Node, path: str) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.file, path, "YAML merge keys (<<) are not supported",
                                                 key_node.start_mark.line + 1))
                    continue
                key = self.build(key_node, path + ".<key>") if not isinstance(key_node, yaml.ScalarNode) \
                    else self._scalar(key_node)
                if not isinstance(key, str | int | float | bool) or key is None:
                    self.problems.append(Problem(self.file, path, f"unsupported key {key!r}",
                                                 key_node.start_mark.line + 1))
                    continue
                child = join_path(path, str(key))
                if key in result:
                    self.problems.append(Problem(
                        self.file, child,
                        f"duplicate key {key!r} (first given on line {self.lines.get(child, '?')})",
                        key_node.start_mark.line + 1,
                    ))
                    continue
                self.lines[child] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, join_path(path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self._scalars.construct_object(node, deep=True)
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:
            return str(node.value)  # dates stay strings
        if tag == _INT:
            return self._scalars.construct_yaml_int(node)
        if tag == _FLOAT:
            return self._scalars.construct_yaml_float(node)
        if tag == _BOOL:
            return self._scalars.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        return self._scalars.construct_object(node, deep=True)


def read_strict_yaml(path: Path | str) -> StrictDocument:
    """Read ``path`` strictly; raise :class:`InputError` listing every problem found.

    Problems: unreadable file, non-UTF-8 bytes, empty file, YAML syntax error, duplicate keys, merge keys.
    """
    return parse_strict_yaml(read_input_file(path, "spec file"), str(path))


def parse_strict_yaml(raw: bytes, file: str) -> StrictDocument:
    """Parse YAML bytes strictly (see :func:`read_strict_yaml`).

    >>> parse_strict_yaml(b"a: 1\\nb: [x, 2]\\n", "s.yaml").data
    {'a': 1, 'b': ['x', 2]}
    >>> parse_strict_yaml(b"a: 1\\na: 2\\n", "s.yaml").data
    Traceback (most recent call last):
    ...
    wellspent.errors.InputError: s.yaml:2: a: duplicate key 'a' (first given on line 1)
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(
            file, "", f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} at line {bad_line} "
            "(save it as UTF-8)", bad_line
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError.single(file, "", "the file is empty")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line: int | None = None
        where = ""
        if mark is not None:
            line = mark.line + 1
            where = f" (line {line}, column {mark.column + 1})"
        raise InputError.single(file, "", f"YAML syntax error: {exc.problem}{where}", line) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, "", f"YAML syntax error: {exc}") from None
    if node is None:
        raise InputError.single(file, "", "the file is empty")
    builder = _Builder(file)
    data = builder.build(node, "")
    if builder.problems:
        raise InputError(builder.problems)
    return StrictDocument(data=data, file=file, lines=builder.lines)
