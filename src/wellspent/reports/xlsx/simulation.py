"""A Monte Carlo simulation report (schema ``wellspent.simulation/1``) as a workbook.

The simulation is a summary of thousands of draws, so its percentiles, probabilities, tornado and switching
values are written as values (grey), not formulas; Excel cannot redraw them. When the deterministic appraisal is
passed too, its live sheets (named inputs and formulas, :mod:`wellspent.reports.xlsx.appraisal`) are added.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from wellspent.appraisal.result import AppraisalResult
from wellspent.reports.xlsx.appraisal import SHEET_NOTES as APPRAISAL_NOTES
from wellspent.reports.xlsx.appraisal import add_appraisal_sheets
from wellspent.reports.xlsx.sheet import RATIO, header_row, mark_values, put, readme, save, title, widths

SIMULATION = "Simulation (values)"
SENSITIVITY = "Sensitivity (values)"


def _number_format(key: str) -> str:
    return RATIO if "bcr" in key or "multiple" in key or "irr" in key else "£#,##0"


def _scalar(value: Any) -> Any:
    """A cell value: numbers and text as they are, None as "n/a", anything else as its text."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _summaries(ws: Worksheet, row: int, results: Mapping[str, Any]) -> int:
    """One row per summarised figure (nested groups such as agency net flattened as ``group: key``)."""
    flat: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in results.items():
        if isinstance(value, Mapping) and value and all(isinstance(v, Mapping) for v in value.values()):
            flat.extend((f"{key}: {inner}", stats) for inner, stats in value.items())
        elif isinstance(value, Mapping):
            flat.append((key, value))
    stats_keys: list[str] = []
    for _, stats in flat:
        stats_keys.extend(k for k in stats if k not in stats_keys)
    header_row(ws, row, ["Figure", *stats_keys])
    for label, stats in flat:
        row += 1
        put(ws, row, 1, label)
        for offset, key in enumerate(stats_keys, start=2):
            value = stats.get(key)
            if isinstance(value, Mapping):  # percentiles {"p5": …}
                value = ", ".join(f"{k}: {v:,.4g}" if isinstance(v, float) else f"{k}: {v}"
                                  for k, v in value.items())
            mark_values(put(ws, row, offset, _scalar(value), _number_format(label)))
    return row + 2


def _table(ws: Worksheet, row: int, heading: str, rows: list[Mapping[str, Any]]) -> int:
    """A list of records as a table, columns in first-seen order."""
    put(ws, row, 1, heading, bold=True)
    keys: list[str] = []
    for record in rows:
        keys.extend(k for k in record if k not in keys)
    header_row(ws, row + 1, keys)
    for i, record in enumerate(rows):
        for j, key in enumerate(keys):
            mark_values(put(ws, row + 2 + i, 1 + j, _scalar(record.get(key))))
    return row + len(rows) + 3


def simulation_workbook(report: dict[str, Any], path: str | Path,
                        appraisal: AppraisalResult | None = None) -> Path:
    """Write a simulation report (values) and, with ``appraisal``, the deterministic appraisal's live sheets."""
    wb = Workbook()
    notes = [(SIMULATION, "Percentiles and probabilities over the draws (values: a summary of draws)")]
    if report.get("kind") == "appraisal":
        notes.append((SENSITIVITY, "Tornado and switching values (values)"))
    if appraisal is not None:
        notes.extend(APPRAISAL_NOTES)
    price_year = str(appraisal.model.spec.price_year) if appraisal is not None else "the spec's"
    readme(wb, f"wellspent simulation workbook — {report.get('name', '')}", price_year, notes,
           notes=[f"{report.get('draws')} draws, seed {report.get('seed')}: the simulation sheets are values; "
                  "change inputs on the Inputs sheet to move the deterministic appraisal, not the simulation."])
    ws = wb.create_sheet(SIMULATION)
    title(ws, f"Simulation — {report.get('name', '')}",
          f"{report.get('draws')} draws, seed {report.get('seed')} (values, not formulas)")
    row = 4
    put(ws, row, 1, "Deterministic result (central values)", bold=True)
    for key, value in (report.get("deterministic") or {}).items():
        row += 1
        put(ws, row, 1, key)
        mark_values(put(ws, row, 2, _scalar(value), _number_format(key)))
    row += 2
    put(ws, row, 1, "Probabilities", bold=True)
    for key, value in report.items():
        if key.startswith("probability_"):
            row += 1
            put(ws, row, 1, key.removeprefix("probability_").replace("_", " "))
            mark_values(put(ws, row, 2, _scalar(value), "0.0%"))
    row += 2
    put(ws, row, 1, "Distribution of results", bold=True)
    row = _summaries(ws, row + 1, report.get("results") or {})
    row = _table(ws, row, "Uncertain inputs", list(report.get("inputs") or []))
    widths(ws, {1: 44, **{c: 16 for c in range(2, 14)}})
    if report.get("kind") == "appraisal":
        ss = wb.create_sheet(SENSITIVITY)
        title(ss, "Sensitivity (values)", "Tornado: NPSV at each input's low and high value, others central. "
                                          "Switching values: the input value at which NPSV crosses 0.")
        row = _table(ss, 4, "Tornado", list(report.get("tornado") or []))
        _table(ss, row, "Switching values", list(report.get("switching_values") or []))
        widths(ss, {c: 20 for c in range(1, 12)})
    if appraisal is not None:
        add_appraisal_sheets(wb, appraisal)
    return save(wb, path)
