"""Auditable Excel workbooks (openpyxl): named inputs and live formulas that reproduce the engines, with values
only where a formula cannot express the engine exactly (docs/reports-xlsx.md)."""

from __future__ import annotations

from wellspent.reports.xlsx.appraisal import appraisal_workbook
from wellspent.reports.xlsx.contract import contract_workbook
from wellspent.reports.xlsx.portfolio import portfolio_workbook
from wellspent.reports.xlsx.simulation import simulation_workbook

__all__ = ["appraisal_workbook", "contract_workbook", "portfolio_workbook", "simulation_workbook"]
