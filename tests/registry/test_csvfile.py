"""Strict CSV reading: every problem names the file, the row and the column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from wellspent.errors import InputError
from wellspent.registry.csvfile import Cells, ProblemLog, parse_decimal, parse_whole, read_csv


def _read(path: Path, required: list[str]) -> tuple[object, list[str]]:
    problems = ProblemLog()
    table = read_csv(path, path.name, required, problems)
    return table, [str(p) for p in problems.problems]


def test_reads_utf8_with_or_without_bom_and_multiline_cells(tmp_path: Path) -> None:
    for bom in (b"\xef\xbb\xbf", b""):
        path = tmp_path / "a.csv"
        path.write_bytes(bom + 'ID,Name\r\nX1,"two\nlines é"\r\nX2,plain\r\n'.encode())
        problems = ProblemLog()
        table = read_csv(path, "a.csv", ["ID", "Name"], problems)
        assert not problems and table is not None
        assert table.header == ["ID", "Name"]
        assert [(r.number, r.line, r.cells["Name"]) for r in table.rows] == [(1, 2, "two\nlines é"), (2, 4, "plain")]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("ID,Name\nX1,a\n", encoding="utf-8")
    table, problems = _read(path, ["ID", "Amount"])
    assert table is None
    assert problems == ["b.csv:1: column 'Amount': missing from the header row"]


def test_wrong_encoding_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"ID,Name,Notes\r\nX1,ok,fine\r\nX2,Caf" + b"\xe9" + b",x\r\n")  # Latin-1 é
    table, problems = _read(path, ["ID"])
    assert table is None
    assert len(problems) == 1
    assert problems[0].startswith("c.csv:3: row 2, column 'Name': not UTF-8 text: byte 0xe9")


def test_ragged_row_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("ID,Name\nX1,a,extra\nX2,b\n", encoding="utf-8")
    _, problems = _read(path, ["ID"])
    assert problems == ["d.csv:2: row 1: has 3 cells but the header has 2 columns"]
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    assert _read(empty, ["ID"])[1] == ["e.csv:1: the file is empty (no header row)"]
    assert _read(tmp_path / "nope.csv", ["ID"])[1] == [
        "nope.csv: file not found (is this the INDIGO export folder?)"]


def test_cells_report_bad_values_and_keep_going(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("ID,Amount,Count,Date,Type\nX1,12x,3.5,2023/07,Maybe\n", encoding="utf-8")
    problems = ProblemLog()
    table = read_csv(path, "f.csv", ["ID"], problems)
    assert table is not None
    cells = Cells(table, table.rows[0], problems)
    assert cells.decimal("Amount") is None
    assert cells.whole("Count") is None
    assert cells.date("Date") is None
    assert cells.choice("Type", ("Planned", "Actual")) is None
    assert cells.lenient_decimal("Amount") == ("12x", None)
    assert [str(p) for p in problems.problems] == [
        "f.csv:2: row 1, column 'Amount': not a number: '12x'",
        "f.csv:2: row 1, column 'Count': not a whole number: '3.5'",
        "f.csv:2: row 1, column 'Date': not a date in the form YYYY, YYYY-MM or YYYY-MM-DD: '2023/07'",
        "f.csv:2: row 1, column 'Type': must be one of Planned, Actual or blank, not 'Maybe'",
    ]
    with pytest.raises(InputError) as raised:
        problems.raise_if_any()
    assert len(raised.value.problems) == 4


def test_problem_log_caps_the_list() -> None:
    from wellspent.errors import Problem

    problems = ProblemLog(limit=2)
    for n in range(5):
        problems.add(Problem("x.csv", f"row {n}", "bad"))
    with pytest.raises(InputError) as raised:
        problems.raise_if_any()
    assert [str(p) for p in raised.value.problems][-1] == "<input>: … and 3 more problems not shown"


@pytest.mark.parametrize(("text", "value"), [
    ("0", Decimal("0")), ("-12.5", Decimal("-12.5")), ("1e3", Decimal("1000")),
    ("99999999999.99999", Decimal("100000000000.0000")),  # 4 places, half-even
    ("123456789012345678", None),  # beyond 10^16
    ("Infinity", None), ("", None), ("£5", None),
])
def test_parse_decimal(text: str, value: Decimal | None) -> None:
    if value is None:
        with pytest.raises(ValueError, match=r"number|too large"):
            parse_decimal(text)
    else:
        assert parse_decimal(text) == value


def test_parse_whole_limits() -> None:
    assert parse_whole("104870") == 104870
    assert parse_whole("12.0") == 12
    with pytest.raises(ValueError, match="too large"):
        parse_whole("99999999999")
