"""Read and write memory records: Markdown files with YAML front matter between ``---`` lines.

:func:`read_record` reports every problem it can find at once, each with the file, the field path and the line in
the Markdown file; :func:`write_record` writes a record deterministically (fields in a fixed order, the body with
one blank line after the front matter and one newline at the end), so export → import → export gives the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wellspent.errors import InputError, Problem, read_input_file
from wellspent.memory.model import (
    FORMAT,
    LINK_KINDS,
    MODELS,
    RECORD_TYPES,
    Appraisal,
    Common,
    Contract,
    Decision,
    Evaluation,
    FrontMatter,
    Lesson,
    Review,
    front_matter_dict,
)
from wellspent.specs.strict_yaml import StrictDocument, join_path, parse_strict_yaml

FENCE = "---"


@dataclass(frozen=True)
class RecordFile:
    """A record as read from a file: its front matter, its Markdown body and where each field's line is."""

    front: FrontMatter
    body: str
    file: str | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        """The record id (given or derived from the title)."""
        return self.front.record_id

    def line_of(self, path: str) -> int | None:
        """The line of a field path in the file (or of its nearest parent)."""
        return StrictDocument(data=None, file=self.file or "", lines=self.lines).line_of(path)

    def front_matter(self) -> dict[str, Any]:
        """The front matter as plain data (what the store keeps)."""
        return front_matter_dict(self.front)


def normalise_body(body: str) -> str:
    """Leading blank lines and trailing white space dropped; one final newline (none for an empty body)."""
    lines = body.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(line.rstrip() for line in lines).rstrip()
    return text + "\n" if text else ""


def read_record(path: Path | str) -> RecordFile:
    """Read a memory record file; raise :class:`InputError` listing every problem found."""
    return parse_record(read_input_file(path, "memory record"), str(path))


def _split(text: str, file: str, problems: list[Problem]) -> tuple[str, str, int] | None:
    """(front matter YAML, body, line of the first YAML line) or None when nothing can be read."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == FENCE:
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
        if closing is None:
            problems.append(Problem(file, "", "the front matter has no closing `---` line", len(lines)))
            return None
        return "\n".join(lines[1:closing]) + "\n", "\n".join(lines[closing + 1:]), 2
    problems.append(Problem(file, "", "a memory record starts with a `---` line, then the YAML front matter, "
                                      "then another `---` line", 1))
    closing = next((i for i in range(len(lines)) if lines[i].rstrip() == FENCE), None)
    if closing is None:
        return None
    return "\n".join(lines[:closing]) + "\n", "\n".join(lines[closing + 1:]), 1


def parse_record(raw: bytes, file: str) -> RecordFile:
    """Parse the bytes of a memory record file (see :func:`read_record`)."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(file, "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                          "save it as UTF-8", bad_line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    split = _split(text, file, problems)
    if split is None:
        raise InputError(problems)
    front_text, body, first_line = split
    offset = first_line - 1
    try:
        document = parse_strict_yaml(front_text.encode("utf-8"), file)
    except InputError as exc:
        problems += [Problem(p.file, p.path, p.message if p.path or p.message != "the file is empty"
                             else "the front matter is empty", None if p.line is None else p.line + offset)
                     for p in exc.problems]
        raise InputError(problems) from None
    lines = {path: line + offset for path, line in document.lines.items()}
    front = _validate(document.data, file, lines, problems)
    if problems or front is None:
        raise InputError(problems)
    return RecordFile(front=front, body=normalise_body(body), file=file, lines=lines)


def _line(lines: dict[str, int], path: str) -> int | None:
    return StrictDocument(data=None, file="", lines=lines).line_of(path)


def _validate(data: Any, file: str, lines: dict[str, int], problems: list[Problem]) -> FrontMatter | None:
    if not isinstance(data, dict):
        problems.append(Problem(file, "", "the front matter must be a mapping of field: value", _line(lines, "")))
        return None
    kind = data.get("type")
    model: type[Any]
    if kind in MODELS:
        model = MODELS[str(kind)]
    else:
        message = ("missing: one of " if kind is None else f"unknown record type {kind!r}; use one of ")
        problems.append(Problem(file, "type", message + ", ".join(RECORD_TYPES), _line(lines, "type")))
        model = Common
        common_fields = set(Common.model_fields)
        data = {key: value for key, value in data.items() if key in common_fields and key != "type"}
        data["type"] = str(kind)
    if data.get("wellspent") != FORMAT and "wellspent" in data:
        problems.append(Problem(file, "wellspent", f"this reader reads {FORMAT!r} files, not {data['wellspent']!r}",
                                _line(lines, "wellspent")))
        data = {**data, "wellspent": FORMAT}
    try:
        front = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            path = ""
            for part in error["loc"]:
                path = join_path(path, part if isinstance(part, int) else str(part))
            message = error["msg"].removeprefix("Value error, ")
            last = str(error["loc"][-1]) if error["loc"] else ""
            if error["type"] == "extra_forbidden":
                message = "unknown field"
                if len(error["loc"]) == 3 and error["loc"][0] == "links":
                    message = f"unknown link kind {last!r}; use one of {', '.join(LINK_KINDS)}"
            elif error["type"] == "string_pattern_mismatch":
                message = _PATTERN_MESSAGES.get(last, message)
            elif error["type"] == "missing":
                message = "missing: this field is required" + (f" for a {kind}" if kind in MODELS else "")
            problems.append(Problem(file, path, message, _line(lines, path)))
        return None
    if kind not in MODELS:
        return None
    assert isinstance(front, Lesson | Decision | Evaluation | Review | Appraisal | Contract)
    return front


_PATTERN_MESSAGES = {
    "date": "not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
    "review_date": "not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
    "id": "not a kebab-case id (lower-case letters and digits joined by -)",
    "record": "not a kebab-case record id (lower-case letters and digits joined by -)",
    "registry": "not an INDIGO project id (INDIGO-POJ-0000)",
}


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def write_record(record: RecordFile) -> str:
    """The record as Markdown: ``---``, the front matter (fixed field order), ``---``, a blank line, the body."""
    front = yaml.dump(record.front_matter(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                      default_flow_style=False)
    body = normalise_body(record.body)
    return f"{FENCE}\n{front}{FENCE}\n" + (f"\n{body}" if body else "")


def record_from_stored(front_matter: dict[str, Any], body: str) -> RecordFile:
    """A record from what the store keeps (front matter JSON and body)."""
    model = MODELS[str(front_matter["type"])]
    return RecordFile(front=model.model_validate(front_matter), body=body)
