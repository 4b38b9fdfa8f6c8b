"""Shared building blocks for the XLSX workbooks: styles, number formats, defined names and the README sheet.

Conventions every workbook follows (docs/reports-xlsx.md): input cells are filled light blue with blue text,
values the analyst should not trust without checking (not verified against their primary source) are filled
orange, formulas are black on white, money is real £ (``£#,##0``) in the price year the README states.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

import wellspent
from wellspent.errors import InputError

MONEY = "£#,##0"
"""Whole pounds (real £ in the workbook's price year)."""
MONEY_PENCE = "£#,##0.00"
SHARE = "0.0%"
FACTOR = "0.0000"
RATIO = "0.00"
COUNT = "#,##0.0"

INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FONT = Font(color="1F4E9E")
UNVERIFIED_FILL = PatternFill("solid", fgColor="F8CBAD")
VALUES_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="595959")

YEAR_COLUMN = 8
"""Column H: the first year column on every sheet laid out by year, so a column is the same year everywhere."""


def col(index: int) -> str:
    """Column letter of a 1-based column index (1 → A)."""
    letter: str = get_column_letter(index)
    return letter


def ref(sheet: str, cell: str) -> str:
    """A cross-sheet reference such as ``'Inputs'!$B$4``."""
    return f"{quote_sheetname(sheet)}!{cell}"


def define_name(workbook: Workbook, name: str, sheet: str, cells: str) -> None:
    """A workbook-level defined name (e.g. ``engagement_rate`` → ``Inputs!$B$8``) so formulas read like the
    method. ``cells`` uses absolute references (``$B$8`` or ``$B$20:$B$23``)."""
    workbook.defined_names[name] = DefinedName(name, attr_text=ref(sheet, cells))


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None,
        bold: bool = False) -> Cell:
    """Write one cell (a value or a formula string starting ``=``) with an optional number format."""
    cell: Cell = ws.cell(row=row, column=column, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if bold:
        cell.font = HEADER_FONT
    return cell


def mark_input(cell: Cell, unverified: bool = False) -> Cell:
    """Style a cell as an input the analyst may change (blue), or as an unverified input (orange)."""
    cell.fill = UNVERIFIED_FILL if unverified else INPUT_FILL
    cell.font = INPUT_FONT
    return cell


def mark_values(cell: Cell) -> Cell:
    """Style a cell as a value copied from the engine (grey): not a formula, not an input."""
    cell.fill = VALUES_FILL
    return cell


def title(ws: Worksheet, text: str, note: str | None = None) -> None:
    """Sheet title in A1 and an optional one-line note in A2."""
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    if note:
        ws.cell(row=2, column=1, value=note).font = NOTE_FONT


def header_row(ws: Worksheet, row: int, labels: Sequence[str], first_column: int = 1) -> None:
    """Bold column headings."""
    for offset, label in enumerate(labels):
        cell = ws.cell(row=row, column=first_column + offset, value=label)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def legend(ws: Worksheet, row: int) -> None:
    """The colour legend: blue inputs, orange unverified inputs, grey engine values, white formulas."""
    mark_input(ws.cell(row=row, column=1, value="Input: change me"))
    mark_input(ws.cell(row=row, column=2, value="Input, not verified"), unverified=True)
    mark_values(ws.cell(row=row, column=3, value="Engine value (not a formula)"))
    ws.cell(row=row, column=4, value="Formula (do not type over)")


def widths(ws: Worksheet, sizes: dict[int, float], years: int = 0, year_width: float = 13.0) -> None:
    """Column widths by 1-based index, plus ``years`` year columns from :data:`YEAR_COLUMN`."""
    for index, size in sizes.items():
        ws.column_dimensions[col(index)].width = size
    for t in range(years):
        ws.column_dimensions[col(YEAR_COLUMN + t)].width = year_width


def readme(workbook: Workbook, heading: str, price_year: str, sheets: Iterable[tuple[str, str]],
           notes: Iterable[str] = ()) -> Worksheet:
    """The first sheet: what the workbook is, its price year, the wellspent version, the colour legend and what
    each sheet holds."""
    ws = workbook.active if workbook.active is not None and workbook.active.title == "Sheet" else None
    ws = ws or workbook.create_sheet("README", 0)
    ws.title = "README"
    title(ws, heading)
    rows: list[tuple[str, str]] = [
        ("Produced by", f"wellspent {wellspent.__version__}"),
        ("Money", f"real £ in {price_year} prices unless a sheet says otherwise (cash for contracts)"),
        ("Blue cells", "are inputs: change one and every formula that uses it recalculates"),
        ("Orange cells", "are inputs not verified against their primary source (treat with care)"),
        ("Grey cells", "are values copied from the wellspent engine, not formulas (see the sheet's note)"),
        ("White cells", "are formulas; audit them with Formulas ▸ Trace Precedents"),
    ]
    row = 3
    for label, text in rows:
        put(ws, row, 1, label, bold=True)
        put(ws, row, 2, text)
        row += 1
    legend(ws, row)
    row += 2
    put(ws, row, 1, "Sheet", bold=True)
    put(ws, row, 2, "What it holds", bold=True)
    for name, text in sheets:
        row += 1
        put(ws, row, 1, name)
        put(ws, row, 2, text)
    for note in notes:
        row += 2
        put(ws, row, 1, "Note", bold=True)
        put(ws, row, 2, note)
    widths(ws, {1: 30, 2: 120, 3: 28, 4: 28})
    return ws


def save(workbook: Workbook, path: str | Path) -> Path:
    """Save the workbook; a path that cannot be written is an :class:`InputError` naming it."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError.single(str(target), "", "an Excel workbook path must end in .xlsx")
    workbook.calculation.fullCalcOnLoad = True  # no cached results are stored: Excel/LibreOffice compute on open
    try:
        workbook.save(target)
    except OSError as exc:
        raise InputError.single(str(target), "", f"cannot write the workbook: {exc.strerror or exc}") from None
    return target
