"""XLSX workbooks: written with live formulas, recalculated by an independent formula engine (``formulas``), and
checked against the wellspent engines to the penny; an input changed in the workbook moves the result the way the
engine moves when the spec changes the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import formulas
import openpyxl
import pytest

from tests.portfolio.test_valuation import DEADWEIGHT, DEFAULT_DEADWEIGHT, RULES, UNITS, A, B, C
from wellspent.appraisal import appraise, appraise_file
from wellspent.appraisal.result import AppraisalResult
from wellspent.contracts import run_contract_file
from wellspent.errors import InputError
from wellspent.portfolio.valuation import value_portfolio
from wellspent.reports.xlsx import appraisal_workbook, contract_workbook, portfolio_workbook, simulation_workbook
from wellspent.reports.xlsx.appraisal import engine_figures, summary_cells
from wellspent.reports.xlsx.contract import contract_cells
from wellspent.reports.xlsx.portfolio import portfolio_cells

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PENNY = 0.005
RATIO_TOLERANCE = 1e-9


def recalculate(path: Path) -> dict[tuple[str, str], Any]:
    """Every cell's value after the ``formulas`` package recalculates the workbook: (SHEET, "B5") → value."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    values: dict[tuple[str, str], Any] = {}
    for key, ranges in model.calculate().items():
        sheet_part, _, cell = str(key).rpartition("!")
        if ":" in cell:
            continue
        sheet = sheet_part.split("]", 1)[1].rstrip("'").upper()
        value = ranges.value[0][0]
        values[(sheet, cell.upper())] = value.item() if hasattr(value, "item") else value
    return values


def cell_value(values: dict[tuple[str, str], Any], sheet: str, cell: str) -> Any:
    return values[(sheet.upper(), cell.replace("$", "").upper())]


def assert_figures_match(values: dict[tuple[str, str], Any], result: AppraisalResult) -> int:
    """Every Summary figure equals the engine's: money to the penny, ratios to 1e-9, text ("none") exactly."""
    cells = summary_cells(result)
    expected = engine_figures(result)
    assert set(cells) == set(expected)
    for key, cell in cells.items():
        got, want = cell_value(values, "Summary", cell), expected[key]
        if isinstance(want, str) or key.startswith("payback"):
            assert got == want, key
        elif key.endswith("bcr"):
            assert got == pytest.approx(want, abs=RATIO_TOLERANCE, rel=0), key
        elif key.endswith("successes"):
            assert got == pytest.approx(want, abs=1e-9, rel=0), key
        else:
            assert got == pytest.approx(want, abs=PENNY, rel=0), key
    return len(cells)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_appraisal_workbook_recalculates_to_the_engine(example: Path, tmp_path: Path) -> None:
    result = appraise_file(example)
    path = appraisal_workbook(result, tmp_path / "appraisal.xlsx")
    values = recalculate(path)
    checked = assert_figures_match(values, result)
    # every headline, each agency (4 figures) and each outcome (2 figures)
    assert checked == 11 + 4 * len(result.by_agency()) + 2 * len(result.model.outcome_names)
    # the Engine check sheet agrees: every difference is 0 (or text equal)
    assert cell_value(values, "Engine check", "D5") == pytest.approx(0.0, abs=PENNY)


def _set_named(path: Path, name: str, value: float, index: int = 0) -> float:
    """Set the ``index``-th cell of a defined name with openpyxl (as an analyst would type it); return the old."""
    wb = openpyxl.load_workbook(path)
    sheet, cells = next(iter(wb.defined_names[name].destinations))
    first = cells.replace("$", "").split(":")[0]
    target = wb[sheet][first].offset(row=index)
    old = float(target.value)
    target.value = value
    wb.save(path)
    return old


@pytest.mark.slow
def test_changing_inputs_in_the_workbook_moves_results_like_the_engine(tmp_path: Path) -> None:
    example = ROOT / "examples" / "neet-into-work.yaml"
    result = appraise_file(example)
    path = appraisal_workbook(result, tmp_path / "neet.xlsx")
    old_rate = _set_named(path, "engagement_rate", 0.5)
    old_success = _set_named(path, "success_rate", 0.0, index=1)  # the second outcome: no successes
    assert (old_rate, old_success) == (result.model.spec.engagement_rate, result.model.spec.outcomes[1].success_rate)
    assert old_rate != 0.5 and old_success > 0
    spec = result.model.spec
    outcomes = list(spec.outcomes)
    outcomes[1] = outcomes[1].model_copy(update={"success_rate": 0.0})
    changed = appraise(spec.model_copy(update={"engagement_rate": 0.5, "outcomes": outcomes}))
    values = recalculate(path)
    assert_figures_match(values, changed)
    npsv = cell_value(values, "Summary", summary_cells(changed)["npsv"])
    assert abs(npsv - result.npsv) > 1_000.0  # it moved, and (above) to exactly where the engine moved
    # the Engine check sheet still holds the original engine values, so it shows the difference
    assert cell_value(values, "Engine check", "C11") == pytest.approx(result.npsv, abs=PENNY)


@pytest.mark.slow
def test_docs_worked_example_engagement_rate_in_excel(tmp_path: Path) -> None:
    """docs/reports-xlsx.md: trusted-relationships with engagement_rate 0.75 → 0.85 typed into the workbook."""
    result = appraise_file(ROOT / "examples" / "trusted-relationships.yaml")
    path = appraisal_workbook(result, tmp_path / "tr.xlsx")
    assert _set_named(path, "engagement_rate", 0.85) == 0.75
    values = recalculate(path)
    cells = summary_cells(result)
    # Every benefit is proportional to engaged people: PV benefits × 0.85 / 0.75.
    benefits = result.pv_benefits["total"] * 0.85 / 0.75
    # Only "Activities and flexible budget" (£400 per participant, × 1.15 optimism bias) depends on engaged
    # people: + 400 × 1.15 × 0.10 × (60 × DF_0 + 80 × (DF_1 + DF_2 + DF_3)), DF_t = 1.035^−t.
    extra_cost = 400 * 1.15 * 0.10 * (60 + 80 * (1 / 1.035 + 1 / 1.035**2 + 1 / 1.035**3))
    assert extra_cost == pytest.approx(13_070.02, abs=0.01)
    costs = result.pv_costs + extra_cost
    assert cell_value(values, "Summary", cells["pv_total"]) == pytest.approx(benefits, abs=PENNY, rel=0)
    assert cell_value(values, "Summary", cells["pv_costs"]) == pytest.approx(costs, abs=PENNY, rel=0)
    assert cell_value(values, "Summary", cells["npsv"]) == pytest.approx(benefits - costs, abs=PENNY, rel=0)
    assert cell_value(values, "Summary", cells["npsv"]) == pytest.approx(909_552.35, abs=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dwp-innovation-fund", "trusted-relationships-outcomes"])
def test_contract_workbook_recalculates_to_the_engine(name: str, tmp_path: Path) -> None:
    result = run_contract_file(ROOT / "examples" / "contracts" / f"{name}.yaml")
    path = contract_workbook(result, tmp_path / "contract.xlsx")
    values = recalculate(path)
    cells = contract_cells(result)
    document = result.to_dict(scenarios=False)

    def got(key: str) -> Any:
        return cell_value(values, "Summary", cells[key])

    # Before any cap: Σ price × expected achievements, from the engine's own achievements array.
    gross = float((result.arrays.achievements[0] * result.model.inputs.price[:, None]).sum())
    assert got("gross") == pytest.approx(gross, abs=PENNY, rel=0)
    assert got("outcome_payments_total") == pytest.approx(document["outcome_payments_total"], abs=PENNY, rel=0)
    assert got("provider_costs_total") == pytest.approx(document["provider_costs_total"], abs=PENNY, rel=0)
    assert got("fees_total") == pytest.approx(document["fees_total"], abs=PENNY, rel=0)
    for row in document["payments_by_payer"]:
        assert got(f"payer:{row['payer']}") == pytest.approx(row["outcome_payments"], abs=PENNY, rel=0)
    if document["leverage"] is not None:
        assert got("leverage") == pytest.approx(document["leverage"], abs=RATIO_TOLERANCE, rel=0)


def test_portfolio_workbook_recalculates_to_the_hand_worked_totals(tmp_path: Path) -> None:
    document = value_portfolio([A, B, C], RULES, UNITS, DEADWEIGHT, DEFAULT_DEADWEIGHT).to_dict()
    path = portfolio_workbook(document, tmp_path / "portfolio.xlsx")
    values = recalculate(path)
    cells = portfolio_cells(document)

    def got(key: str) -> Any:
        sheet, cell = cells[key].split("!")
        return cell_value(values, sheet, cell)

    # Hand-worked in tests/portfolio/test_valuation.py: £78,000 paid; public £119,900 before deadweight,
    # £86,940 after; contract A £100,000 → £75,000 (deadweight 25%) on £60,000 paid; contract B public
    # £14,400 → £8,640 on £10,000; Employment (B + C) £11,940 / £18,000 after deadweight.
    assert got("total:payments") == pytest.approx(78_000.0, abs=PENNY)
    assert got("total:public_before") == pytest.approx(119_900.0, abs=PENNY)
    assert got("total:public_after") == pytest.approx(86_940.0, abs=PENNY)
    assert got("total:bcr_after") == pytest.approx(86_940 / 78_000, abs=RATIO_TOLERANCE)
    assert got("A:public_after") == pytest.approx(75_000.0, abs=PENNY)
    assert got("A:bcr_before") == pytest.approx(100_000 / 60_000, abs=RATIO_TOLERANCE)
    assert got("B:public_before") == pytest.approx(14_400.0, abs=PENNY)
    assert got("B:public_after") == pytest.approx(8_640.0, abs=PENNY)
    assert got("group:Employment:bcr_after") == pytest.approx(11_940 / 18_000, abs=RATIO_TOLERANCE)


CALCULATION_SHEETS = {
    "appraisal": ["People", "Costs", "Benefits", "Totals", "Summary"],
    "contract": ["Payments", "Summary"],
    "portfolio": ["Summary"],
}


def _hard_coded_numbers(path: Path, sheets: list[str]) -> list[str]:
    wb = openpyxl.load_workbook(path)
    found = []
    for name in sheets:
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.data_type == "n" and cell.value is not None:
                    found.append(f"{name}!{cell.coordinate}={cell.value}")
    return found


def test_calculation_sheets_hold_formulas_not_numbers(tmp_path: Path) -> None:
    appraisal = appraisal_workbook(appraise_file(ROOT / "examples" / "trusted-relationships.yaml"),
                                   tmp_path / "a.xlsx")
    contract = contract_workbook(
        run_contract_file(ROOT / "examples" / "contracts" / "fair-chance-fund.yaml"), tmp_path / "c.xlsx")
    portfolio = portfolio_workbook(
        value_portfolio([A, B, C], RULES, UNITS, DEADWEIGHT, DEFAULT_DEADWEIGHT).to_dict(), tmp_path / "p.xlsx")
    assert _hard_coded_numbers(appraisal, CALCULATION_SHEETS["appraisal"]) == []
    assert _hard_coded_numbers(contract, CALCULATION_SHEETS["contract"]) == []
    assert _hard_coded_numbers(portfolio, CALCULATION_SHEETS["portfolio"]) == []
    # ... and the check can fail: a number typed over a formula is found
    wb = openpyxl.load_workbook(appraisal)
    wb["Costs"]["H7"] = 123
    wb.save(appraisal)
    assert _hard_coded_numbers(appraisal, ["Costs"]) == ["Costs!H7=123"]


def test_inputs_are_named_styled_and_flagged(tmp_path: Path) -> None:
    result = appraise_file(ROOT / "examples" / "trusted-relationships.yaml")
    wb = openpyxl.load_workbook(appraisal_workbook(result, tmp_path / "a.xlsx"))
    for name in ("engagement_rate", "optimism_bias_costs", "discount_factor", "referrals", "cost_amount",
                 "success_rate", "deadweight", "attribution", "displacement", "drop_off", "outcome_lag",
                 "outcome_duration", "source_amount", "deflator_factor", "ob_correction", "transfer_share"):
        assert name in wb.defined_names, name
    sheet, cell = next(iter(wb.defined_names["engagement_rate"].destinations))
    target = wb[sheet][cell.replace("$", "")]
    assert target.value == 0.75 and target.fill.fgColor.rgb.endswith("DDEBF7")
    # discount factors are formulas from the rates: DF_1 = DF_0 / (1 + r_1)
    sheet, cells = next(iter(wb.defined_names["discount_factor"].destinations))
    second = wb[sheet][cells.replace("$", "").split(":")[0]].offset(column=1)
    assert str(second.value).startswith("=H") and "/(1+I" in str(second.value)
    # unverified unit values are orange, with a "NOT VERIFIED" flag beside them
    unverified = [s for s in result.model.outcome_sources if not s.verified]
    sheet, cells = next(iter(wb.defined_names["source_amount"].destinations))
    first = wb[sheet][cells.replace("$", "").split(":")[0]]
    flagged = [first.offset(row=o) for o, s in enumerate(result.model.outcome_sources) if not s.verified]
    assert len(flagged) == len(unverified)
    assert all(c.fill.fgColor.rgb.endswith("F8CBAD") for c in flagged)
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "2024 prices" in readme and "wellspent 0.1.0" in readme and "Blue cells" in readme
    assert "http" not in readme
    assert wb["Costs"].freeze_panes == "H7"
    assert wb["Summary"]["B5"].number_format == "£#,##0"


def test_simulation_workbook_holds_values_and_the_live_appraisal(tmp_path: Path) -> None:
    from wellspent.specs.loader import validate_appraisal_uncertain
    from wellspent.specs.strict_yaml import read_strict_yaml
    from wellspent.uncertainty.report import simulation_report

    example = ROOT / "examples" / "neet-into-work.yaml"
    result = appraise_file(example)
    _spec, inputs = validate_appraisal_uncertain(read_strict_yaml(example))
    report = simulation_report(result.model, inputs, 200, 1)
    wb = openpyxl.load_workbook(simulation_workbook(report, tmp_path / "s.xlsx", appraisal=result))
    assert {"Simulation (values)", "Sensitivity (values)", "Inputs", "Summary", "Benefits"} <= set(wb.sheetnames)
    cells: dict[str, Any] = {}
    for row in wb["Simulation (values)"].iter_rows(min_row=4):
        if row[0].value is not None:
            cells.setdefault(str(row[0].value), row[1].value)  # the deterministic block comes first
    assert cells["npsv"] == pytest.approx(result.npsv, abs=PENNY)
    assert cells["npsv positive"] == report["probability_npsv_positive"]
    assert str(wb["Summary"]["B11"].value).startswith("=")  # the appraisal sheets are live


def test_a_path_that_is_not_xlsx_is_bad_input(tmp_path: Path) -> None:
    result = appraise_file(ROOT / "examples" / "neet-into-work.yaml")
    with pytest.raises(InputError, match=r"book\.csv: an Excel workbook path must end in \.xlsx"):
        appraisal_workbook(result, tmp_path / "book.csv")
    with pytest.raises(InputError, match="cannot write the workbook"):
        appraisal_workbook(result, tmp_path / "missing-dir" / "book.xlsx")


def test_portfolio_workbook_needs_the_per_contract_document(tmp_path: Path) -> None:
    document = value_portfolio([A, B, C], RULES, UNITS, DEADWEIGHT, DEFAULT_DEADWEIGHT).to_dict()
    document.pop("contracts")
    with pytest.raises(InputError, match="--contracts"):
        portfolio_workbook(document, tmp_path / "p.xlsx")


def test_contract_simulation_workbook_flattens_payer_results(tmp_path: Path) -> None:
    stats = {"mean": 2.0, "sd": 0.5, "p5": 1.2, "p50": 2.0, "p95": 2.9}
    report = {"schema": "wellspent.simulation/1", "kind": "contract", "name": "A contract", "draws": 100,
              "seed": 7, "inputs": [{"path": "rate_card[0].achievement", "distribution": "pert(0.1, 0.2, 0.3)",
                                     "central": 0.2}],
              "deterministic": {"outcome_payments_total": 1_000_000.0, "investor_irr": None},
              "results": {"outcome_payments": stats, "payer_payments": {"Commissioner": stats, "Fund": stats}},
              "probability_investors_repaid": 0.8}
    wb = openpyxl.load_workbook(simulation_workbook(report, tmp_path / "cs.xlsx"))
    assert wb.sheetnames == ["README", "Simulation (values)"]  # no sensitivity, no appraisal sheets
    labels = {str(r[0].value): [c.value for c in r[1:4]] for r in wb["Simulation (values)"].iter_rows(min_row=4)
              if r[0].value}
    assert labels["payer_payments: Fund"] == [2.0, 0.5, 1.2]
    assert labels["investor_irr"][0] == "n/a"
    assert labels["investors repaid"][0] == 0.8


SOFFICE = next((Path(p) for p in ("/usr/bin/soffice", "/usr/bin/libreoffice") if Path(p).exists()), None)
SPREADSHEET_ERRORS = ("Err:", "#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!")


def libreoffice_sheets(path: Path, folder: Path) -> list[Path]:
    """Open ``path`` in LibreOffice (headless), let it calculate every formula, and export every sheet as CSV to
    ``folder`` (``<stem>-<sheet>.csv``); fail if any cell holds a spreadsheet error value."""
    import subprocess

    assert SOFFICE is not None
    # CSV filter options: comma, double quote, UTF-8, from row 1, …, sheet -1 = every sheet to <name>-<sheet>.csv
    subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=240)
    sheets = sorted(folder.glob(f"{path.stem}-*.csv"))
    assert sheets, "LibreOffice exported no sheet"
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        assert not [error for error in SPREADSHEET_ERRORS if error in text], sheet.name
    return sheets


def csv_rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (Debian's libreoffice-calc) as a second, real "
                                           "spreadsheet application")
def test_libreoffice_recalculates_the_appraisal_workbook_to_the_engine(tmp_path: Path) -> None:
    """A real spreadsheet application opens the workbook (which carries no cached results), calculates every
    formula and agrees with the engine to the penny: the Summary sheet exported as CSV after LibreOffice's own
    recalculation."""
    result = appraise_file(ROOT / "examples" / "trusted-relationships.yaml")
    path = appraisal_workbook(result, tmp_path / "book.xlsx")
    libreoffice_sheets(path, tmp_path)
    rows = csv_rows(tmp_path / "book-Summary.csv")
    expected = engine_figures(result)
    checked = 0
    for key, cell in summary_cells(result).items():
        column, row = ord(cell[0]) - ord("A"), int(cell[1:]) - 1
        got, want = rows[row][column], expected[key]
        if isinstance(want, str):
            assert got == want, key
        elif key.endswith("bcr"):
            assert float(got) == pytest.approx(want, abs=RATIO_TOLERANCE, rel=0), key
        else:
            assert float(got) == pytest.approx(want, abs=PENNY, rel=0), key
        checked += 1
    assert checked == 11 + 4 * len(result.by_agency()) + 2 * len(result.model.outcome_names)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (Debian's libreoffice-calc)")
@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "examples" / "contracts").glob("*.yaml")))
def test_libreoffice_recalculates_the_contract_workbooks(name: str, tmp_path: Path) -> None:
    """Every example contract's workbook opens in LibreOffice without an error cell, and its formulas give the
    engine's outcome payments, provider costs and payments by payer to the penny."""
    result = run_contract_file(ROOT / "examples" / "contracts" / f"{name}.yaml")
    path = contract_workbook(result, tmp_path / "contract.xlsx")
    libreoffice_sheets(path, tmp_path)
    rows = csv_rows(tmp_path / "contract-Summary.csv")
    document = result.to_dict(scenarios=False)

    def got(key: str) -> float:
        cell = contract_cells(result)[key]
        return float(rows[int(cell[1:]) - 1][ord(cell[0]) - ord("A")])

    assert got("outcome_payments_total") == pytest.approx(document["outcome_payments_total"], abs=PENNY, rel=0)
    assert got("provider_costs_total") == pytest.approx(document["provider_costs_total"], abs=PENNY, rel=0)
    for row in document["payments_by_payer"]:
        assert got(f"payer:{row['payer']}") == pytest.approx(row["outcome_payments"], abs=PENNY, rel=0)
