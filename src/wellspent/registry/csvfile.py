"""Strict reading of CSV exports: UTF-8 (with or without a BOM), known headers, typed cells, and problems that
name the file, the row and the column.

Every problem is collected in a :class:`ProblemLog` rather than raised at once, so one run reports everything
wrong with an export (up to a limit); the caller raises :class:`~wellspent.errors.InputError` at the end.
Row numbers count data rows from 1 (the header is row 0); ``line`` is the physical line the row starts on, which
differs when cells hold line breaks.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from wellspent.errors import InputError, Problem

MAX_PROBLEMS = 50
"""Stop collecting after this many problems (the message says more were left out)."""

DECIMAL_PLACES = Decimal("0.0001")
SIGNIFICANT_DIGITS = 15
"""Numbers are kept to 4 decimal places and at most 15 significant digits: what both PostgreSQL ``NUMERIC`` and
SQLite (which stores ``NUMERIC`` as an 8-byte float) hold exactly, so a value reads back equal to what was written."""
MAX_MAGNITUDE = Decimal(10) ** 16
MAX_WHOLE = 2**31 - 1
T = TypeVar("T")
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class ProblemLog:
    """Problems found so far; :meth:`raise_if_any` turns them into one :class:`InputError`."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.problems: list[Problem] = []
        self.left_out = 0
        self.limit = limit

    def add(self, problem: Problem) -> None:
        """Record a problem (beyond the limit, only count it)."""
        if len(self.problems) < self.limit:
            self.problems.append(problem)
        else:
            self.left_out += 1

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        """Raise :class:`InputError` with every problem recorded, if there is one."""
        if not self.problems:
            return
        problems = list(self.problems)
        if self.left_out:
            problems.append(Problem(None, "", f"… and {self.left_out} more problems not shown"))
        raise InputError(problems)


@dataclass(frozen=True)
class CsvRow:
    """One data row: its number (1 = first row after the header), first physical line and cells by column."""

    number: int
    line: int
    cells: dict[str, str]


@dataclass
class CsvTable:
    """A CSV file read whole."""

    name: str
    """The file as named in messages (the path given by the user, joined with the file's place in the export)."""
    header: list[str]
    rows: list[CsvRow]
    sha256: str
    columns: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = set(self.header)


def read_csv(path: Path, name: str, required: Iterable[str], problems: ProblemLog) -> CsvTable | None:
    """Read ``path`` (UTF-8, BOM optional), check that every ``required`` column is in the header and every row
    has as many cells as the header. Problems go to ``problems``; returns None if the file cannot be used."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(Problem(name, "", "file not found (is this the INDIGO export folder?)"))
        return None
    except OSError as exc:
        problems.add(Problem(name, "", f"cannot read the file: {exc.strerror or exc}"))
        return None
    digest = hashlib.sha256(data).hexdigest()
    content = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(_encoding_problem(name, content, exc))
        return None
    try:
        records = _records(text)
    except csv.Error as exc:
        problems.add(Problem(name, "", f"not a readable CSV file: {exc}"))
        return None
    if not records:
        problems.add(Problem(name, "", "the file is empty (no header row)", line=1))
        return None
    header, body = records[0][1], records[1:]
    missing = [column for column in required if column not in header]
    for column in missing:
        problems.add(Problem(name, f"column {column!r}", "missing from the header row", line=1))
    if missing:
        return None
    rows: list[CsvRow] = []
    for number, (line, cells) in enumerate(body, start=1):
        if len(cells) != len(header):
            problems.add(Problem(name, f"row {number}",
                                 f"has {len(cells)} cells but the header has {len(header)} columns", line=line))
            continue
        rows.append(CsvRow(number, line, dict(zip(header, cells, strict=True))))
    return CsvTable(name=name, header=header, rows=rows, sha256=digest)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the physical line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    next_line = 1
    for cells in reader:
        start, next_line = next_line, reader.line_num + 1
        if cells:
            records.append((start, cells))
    return records


def _encoding_problem(name: str, data: bytes, exc: UnicodeDecodeError) -> Problem:
    """Where the first byte that is not UTF-8 sits (``data`` without its BOM): line, row and column when they can
    be told."""
    prefix = data[:exc.start].decode("utf-8", errors="replace")
    line = prefix.count("\n") + 1
    byte = data[exc.start]
    message = (f"not UTF-8 text: byte 0x{byte:02x} cannot be decoded; the INDIGO export is UTF-8 "
               f"(re-save the file as UTF-8)")
    try:
        rows = list(csv.reader(io.StringIO(prefix, newline="")))
    except csv.Error:
        return Problem(name, "", message, line=line)
    if not rows:
        return Problem(name, "header", message, line=line)
    header = rows[0]
    row_number = len(rows) - 1
    column_index = max(len(rows[-1]) - 1, 0)
    if row_number == 0:
        return Problem(name, f"header, column {column_index + 1}", message, line=line)
    where = f"row {row_number}"
    if column_index < len(header):
        where += f", column {header[column_index]!r}"
    return Problem(name, where, message, line=line)


# --- cell values ------------------------------------------------------------------------------------------------

def _decimal(text: str) -> Decimal:
    """``text`` (surrounding spaces ignored) as a Decimal; ``ValueError`` naming the text otherwise."""
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def parse_decimal(text: str) -> Decimal:
    """A number as an exact :class:`Decimal` rounded to 4 places and 15 significant digits; ``ValueError`` with
    a plain-words reason otherwise.

    >>> parse_decimal(" 1250000 ")
    Decimal('1250000.0000')
    >>> parse_decimal("325.1415337107566")
    Decimal('325.1415')
    >>> parse_decimal("4428025.551147752")
    Decimal('4428025.5511')
    >>> parse_decimal("1,000")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '1,000'
    >>> parse_decimal("NaN")
    Traceback (most recent call last):
    ...
    ValueError: not a finite number: 'NaN'
    """
    value = _decimal(text)
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    if abs(value) >= MAX_MAGNITUDE:
        raise ValueError(f"too large to store: {text!r} (the limit is 10^16)")
    value = value.quantize(DECIMAL_PLACES, rounding=ROUND_HALF_EVEN)
    digits = len(value.as_tuple().digits)
    if digits > SIGNIFICANT_DIGITS:
        value = Context(prec=SIGNIFICANT_DIGITS, rounding=ROUND_HALF_EVEN).plus(value)
    return value


def parse_whole(text: str) -> int:
    """A whole number (``12``, ``12.0``); ``ValueError`` otherwise.

    >>> parse_whole("1000")
    1000
    >>> parse_whole("38.5")
    Traceback (most recent call last):
    ...
    ValueError: not a whole number: '38.5'
    """
    value = _decimal(text)
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    if abs(value) > MAX_WHOLE:
        raise ValueError(f"too large to store: {text!r} (the limit is {MAX_WHOLE:,})")
    return int(value)


def parse_date(text: str) -> str:
    """A date as INDIGO writes it — ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` — kept as that text.

    >>> parse_date("2017-03")
    '2017-03'
    >>> parse_date("2023/07")
    Traceback (most recent call last):
    ...
    ValueError: not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '2023/07'
    """
    stripped = text.strip()
    if not DATE_PATTERN.match(stripped):
        raise ValueError(f"not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    return stripped


def parse_source_ids(text: str) -> list[str] | None:
    """INDIGO ``(Source ID's)``: comma-separated ids; None when blank.

    >>> parse_source_ids("source3, source15")
    ['source3', 'source15']
    >>> parse_source_ids("  ") is None
    True
    """
    ids = [part.strip() for part in text.split(",") if part.strip()]
    return ids or None


class Cells:
    """Typed access to one row's cells; a bad cell is recorded as a problem naming file, row and column, and
    reads as None so parsing can go on and report every problem."""

    def __init__(self, table: CsvTable, row: CsvRow, problems: ProblemLog) -> None:
        self.table = table
        self.row = row
        self.problems = problems

    def problem(self, column: str | None, message: str) -> None:
        """Record a problem with this row (and column, if given)."""
        where = f"row {self.row.number}" + (f", column {column!r}" if column else "")
        self.problems.add(Problem(self.table.name, where, message, line=self.row.line))

    def raw(self, column: str) -> str:
        """The cell exactly as in the file."""
        return self.row.cells[column]

    def text(self, column: str) -> str | None:
        """The cell with surrounding white space trimmed; None when blank."""
        value = self.row.cells[column].strip()
        return value or None

    def required_text(self, column: str) -> str | None:
        """Like :meth:`text`, but a blank cell is a problem."""
        value = self.text(column)
        if value is None:
            self.problem(column, "is blank; every row needs one")
        return value

    def decimal(self, column: str) -> Decimal | None:
        """A number (money, durations): :func:`parse_decimal`; a cell that is not a number is a problem."""
        return self._parse(column, parse_decimal)

    def whole(self, column: str) -> int | None:
        """A whole number (counts of people, contracts): :func:`parse_whole`."""
        return self._parse(column, parse_whole)

    def date(self, column: str) -> str | None:
        """A date as text: :func:`parse_date`."""
        return self._parse(column, parse_date)

    def choice(self, column: str, allowed: Sequence[str]) -> str | None:
        """One of ``allowed`` (exact, after trimming) or blank."""
        value = self.text(column)
        if value is not None and value not in allowed:
            self.problem(column, f"must be one of {', '.join(allowed)} or blank, not {value!r}")
            return None
        return value

    def source_ids(self, column: str) -> list[str] | None:
        """Comma-separated INDIGO source ids."""
        return parse_source_ids(self.row.cells[column])

    def lenient_decimal(self, column: str) -> tuple[str | None, Decimal | None]:
        """(the cell as text, its number or None): for columns the export fills with text as well as numbers."""
        value = self.text(column)
        if value is None:
            return None, None
        try:
            return value, parse_decimal(value)
        except ValueError:
            return value, None

    def lenient_whole(self, column: str) -> tuple[str | None, int | None]:
        """(the cell as text, its whole number or None)."""
        value = self.text(column)
        if value is None:
            return None, None
        try:
            return value, parse_whole(value)
        except ValueError:
            return value, None

    def _parse(self, column: str, parse: Callable[[str], T]) -> T | None:
        value = self.row.cells[column]
        if not value.strip():
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.problem(column, str(exc))
            return None
