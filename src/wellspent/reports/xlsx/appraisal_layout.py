"""Where the appraisal workbook puts things: sheet names, and the rows later sheets refer to."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.worksheet.worksheet import Worksheet

from wellspent.reports.xlsx.sheet import YEAR_COLUMN, col, put, ref

INPUTS, PEOPLE, COSTS, BENEFITS, TOTALS, SUMMARY, CHECK = (
    "Inputs", "People", "Costs", "Benefits", "Totals", "Summary", "Engine check")


@dataclass
class Layout:
    """Where things are, so later sheets can refer to earlier ones."""

    horizon: int
    year_row: int = 0  # Inputs: appraisal year index t
    calendar_row: int = 0
    df_row: int = 0
    schedule_rows: list[int] = field(default_factory=list)  # Inputs: cost schedule row per line
    engaged_by_year_row: int = 0  # People
    cost_rows: list[int] = field(default_factory=list)  # Costs: one per line
    cost_total_row: int = 0
    cost_agency_rows: dict[str, int] = field(default_factory=dict)
    outcome_gross_rows: list[int] = field(default_factory=list)  # Benefits
    outcome_net_rows: list[int] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # Totals: named rows
    agency_rows: dict[str, dict[str, int]] = field(default_factory=dict)  # Totals: agency → measure → row
    payback_cell: str = ""
    summary: dict[str, str] = field(default_factory=dict)  # figure → Summary cell

    def years(self) -> range:
        return range(YEAR_COLUMN, YEAR_COLUMN + self.horizon)

    @property
    def last_year_col(self) -> str:
        return col(YEAR_COLUMN + self.horizon - 1)

    def span(self, row: int) -> str:
        """The year cells of one row, e.g. ``$H$12:$Q$12``."""
        return f"${col(YEAR_COLUMN)}${row}:${self.last_year_col}${row}"


def year_headers(ws: Worksheet, layout: Layout, row: int) -> None:
    """Two header rows on a calculation sheet: year index t and calendar year, both formulas from Inputs."""
    put(ws, row, 1, "Appraisal year t", bold=True)
    put(ws, row + 1, 1, "Calendar year", bold=True)
    for c in layout.years():
        letter = col(c)
        put(ws, row, c, f"={ref(INPUTS, f'{letter}${layout.year_row}')}", bold=True)
        put(ws, row + 1, c, f"={ref(INPUTS, f'{letter}${layout.calendar_row}')}", bold=True)
