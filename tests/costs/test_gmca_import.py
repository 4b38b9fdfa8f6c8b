"""The GMCA Unit Cost Database v1.4 importer (ADR 0004).

Expected figures come from ``shared/data/unit-costs/SOURCE.md`` and from reading the workbook's cells directly
(openpyxl in these tests), never from the importer's own output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

import wellspent
from wellspent.costs import UnitCost, load_library
from wellspent.costs.gmca_import import (
    THEME_SHEETS,
    ImportReport,
    code_slug,
    import_workbook,
    load_agency_map,
    main,
    per_from_unit,
)
from wellspent.costs.library import read_library_file
from wellspent.errors import InputError
from wellspent.money import deflate

REPO = Path(__file__).resolve().parents[2]
WORKBOOK = REPO.parent / "shared" / "data" / "unit-costs" / "unit-cost-database-v1.4.xlsx"
PACKAGE_DATA = Path(wellspent.__file__).resolve().parent / "data"
SERIES = "gmca-ucd-1.4"
COLLECTION_DIR = PACKAGE_DATA / "unit_costs" / "gmca-ucd-1.4"

needs_workbook = pytest.mark.skipif(
    not WORKBOOK.is_file(), reason=f"GMCA workbook not found at {WORKBOOK} (../shared beside the clone)"
)

CODE = re.compile(r"^[A-Z]+(?:&[A-Z]+)?\d+(?:\.\d+)*$")
# kind -> (estimated, year, updated) column letters (SOURCE.md)
COLUMNS = {"fiscal": ("H", "I", "J"), "economic": ("K", "L", "M"), "social": ("N", "O", "P")}


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    if not WORKBOOK.is_file():
        pytest.skip(f"GMCA workbook not found at {WORKBOOK}")
    out = tmp_path_factory.mktemp("gmca-import")
    return import_workbook(WORKBOOK, out), out


@pytest.fixture(scope="module")
def book() -> Any:
    if not WORKBOOK.is_file():
        pytest.skip(f"GMCA workbook not found at {WORKBOOK}")
    return openpyxl.load_workbook(WORKBOOK, data_only=True)


def coded_rows(book: Any) -> Iterator[tuple[str, int, str]]:
    """(sheet, row, code) for every theme-sheet row whose column C is a cost code."""
    for sheet in THEME_SHEETS:
        ws = book[sheet]
        for r in range(3, ws.max_row + 1):
            code = ws[f"C{r}"].value
            if isinstance(code, str) and CODE.match(code.strip()):
                yield sheet, r, code.strip()


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ------------------------------------------------------------------------------------------------- counts


@needs_workbook
def test_rows_with_a_cost_code_per_sheet(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    assert report.rows_per_sheet == {
        "Crime": 184,
        "Education & Skills": 35,
        "Employment & Economy": 75,
        "Fire": 15,
        "Health": 201,
        "Housing": 36,
        "Social Services": 137,
    }
    assert report.rows_total == 683


@needs_workbook
def test_valued_entries_per_kind_and_domain(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    assert report.entries_per_kind == {"fiscal": 674, "economic": 80, "social": 25}
    # SOURCE.md "Workbook structure" table
    expected = {
        "crime": (184, 21, 20),
        "education": (26, 21, 0),
        "employment": (75, 7, 0),
        "fire": (15, 1, 0),
        "health": (201, 16, 5),
        "housing": (36, 0, 0),
        "social-care": (137, 14, 0),
    }
    found = {
        domain: tuple(per_kind.get(kind, 0) for kind in ("fiscal", "economic", "social"))
        for domain, per_kind in report.entries_per_domain.items()
    }
    assert found == expected


@needs_workbook
def test_report_lists_what_a_reviewer_must_see(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    assert report.sha256 == "abe8c2359e7673be2c49e2ea0e94f5b4eb3d3eef92287e7305a72102f8a54967"  # SOURCE.md
    assert report.collection == "gmca-ucd-1.4"
    assert report.target_year == "2015/16"
    assert report.missing_price_year == ()  # every numeric estimate in v1.4 has its Year cell
    assert report.duplicate_codes == ()
    assert report.uprating_mismatches == ()
    # Crime row 58 has a value (£227.92, police) but a blank cost code: not imported, but reported
    assert len(report.skipped_rows) == 1 and report.skipped_rows[0].startswith("Crime row 58")
    assert any(a.startswith("CR8.18.5 ") and "£0" in a for a in report.anomalies)
    assert any("SS7.1 (Social Services row 72) fiscal" in c and "=SUM(H73:H75)" in c for c in report.computed_amounts)
    assert any("HE2.0.3 (Health row 21) fiscal" in c and "=1686*52/51" in c for c in report.computed_amounts)
    assert "fiscal 674" in report.summary()


# ------------------------------------------------------------------------------------------ reproducibility


@needs_workbook
def test_rerun_reproduces_shipped_files_byte_for_byte(imported: tuple[ImportReport, Path]) -> None:
    _, out = imported
    names = [f"unit_costs/gmca-ucd-1.4/{domain}.yaml" for domain in THEME_SHEETS.values()]
    names.append("deflators/gmca-ucd-1.4.csv")
    for name in names:
        assert (out / name).read_bytes() == (PACKAGE_DATA / name).read_bytes(), f"{name} differs: re-run the importer"


def test_shipped_files_say_they_are_generated() -> None:
    for path in sorted(COLLECTION_DIR.glob("*.yaml")):
        head = path.read_text(encoding="utf-8")[:600]
        assert "GENERATED FILE: do not edit by hand" in head
        assert "wellspent.costs.gmca_import" in head
        assert "abe8c2359e7673be2c49e2ea0e94f5b4eb3d3eef92287e7305a72102f8a54967" in head
    assert len(list(COLLECTION_DIR.glob("*.yaml"))) == 7


# ------------------------------------------------------------------------------ entries checked by hand


def gmca(entry_id: str) -> UnitCost:
    return load_library().get(entry_id)


def test_cr1_0_anti_social_behaviour() -> None:
    # Crime row 3: CR1.0, Police / Local authority, £500 (2002/03), Per incident, RAG R
    e = gmca("gmca-cr1-0-fiscal")
    assert e.name == "Anti-social behaviour further action necessary (cost of dealing with incident)"
    assert (e.amount, e.price_year, e.per, e.unit, e.kind) == (500, "2002/03", "event", "Per incident", "fiscal")
    assert (e.agency, e.cashable, e.confidence, e.verified) == ("police", False, 5, False)
    assert e.domain == "crime"
    assert e.source.startswith("The Economic and Social Costs of Anti-Social Behaviour: a review")
    assert e.url.startswith("https://www.greatermanchester-ca.gov.uk/")
    assert e.origin == "GMCA Unit Cost Database v1.4, sheet 'Crime', row 3, code CR1.0, fiscal value (column H)"
    assert e.confidence_basis is not None and "RAG rating R" in e.confidence_basis
    assert "not verified" in e.confidence_basis
    assert e.notes is not None
    assert e.notes.startswith("Source gives a (non-updated) cost range from £100 - £1,000")
    assert "Agency in source: Police / Local authority." in e.notes
    assert "gmca-cr1-0-economic" not in load_library()


def test_ss3_0_childrens_residential_home() -> None:
    # Social Services row 41: SS3.0, Local Authority / Social Services, £2,995 (2013/14), Per week, RAG G;
    # a children's service, so the agency is refined to la-childrens-services (gmca-ucd-agencies.yaml refinements)
    e = gmca("gmca-ss3-0-fiscal")
    assert e.name == "Local authority residential care home for children - cost per week"
    assert (e.amount, e.price_year, e.per, e.unit) == (2995, "2013/14", "week", "Per week")
    assert (e.agency, e.confidence, e.domain) == ("la-childrens-services", 2, "social-care")
    assert e.notes is not None and "Agency in source: Local Authority / Social Services." in e.notes
    assert e.source == "Unit Costs of Health & Social Care 2014 (Curtis, 2014), p.86"
    assert "gmca-ss3-0-social" not in load_library()  # no social value on this row


def test_ee10_0_neet_fiscal_and_economic_are_distinct() -> None:
    # Employment & Economy row 65: E&E10.0, DWP / HM Revenue and Customs, fiscal £4,257 and economic £8,998,
    # both 2010/11, Per year, RAG A
    fiscal, economic = gmca("gmca-ee10-0-fiscal"), gmca("gmca-ee10-0-economic")
    assert fiscal.name == "Not in Employment Education or Training (NEET) Average cost per 18-24 year old NEET"
    assert (fiscal.amount, fiscal.price_year, fiscal.per, fiscal.kind) == (4257, "2010/11", "year", "fiscal")
    assert (fiscal.agency, fiscal.confidence) == ("dwp", 3)
    assert fiscal.notes is not None and "Agency in source: DWP / HM Revenue and Customs." in fiscal.notes
    assert (economic.amount, economic.price_year, economic.per, economic.kind) == (
        8998,
        "2010/11",
        "year",
        "economic",
    )
    assert (economic.agency, economic.confidence, economic.cashable) == ("individuals", 3, False)
    assert economic.origin.endswith("code E&E10.0, economic value (column K)")


def test_he2_0_drugs_three_kinds() -> None:
    # Health row 18: HE2.0, Criminal Justice System / NHS, fiscal 3614, economic 8954, social 3814 (2013/14),
    # Per year, RAG A
    lib = load_library()
    fiscal, economic, social = (lib.get(f"gmca-he2-0-{k}") for k in ("fiscal", "economic", "social"))
    assert [e.amount for e in (fiscal, economic, social)] == [3614, 8954, 3814]
    assert {e.price_year for e in (fiscal, economic, social)} == {"2013/14"}
    assert [e.agency for e in (fiscal, economic, social)] == ["multiple-agencies", "individuals", "society"]
    assert social.kind == "social" and social.per == "year" and social.confidence == 3


def test_cr8_0_social_value() -> None:
    # Crime row 57: CR8.0 social value £1,648 (2010/11), Per incident, RAG G
    e = gmca("gmca-cr8-0-social")
    assert (e.amount, e.price_year, e.per, e.kind, e.agency, e.confidence) == (
        1648,
        "2010/11",
        "event",
        "social",
        "society",
        2,
    )


def test_ee1_0_keeps_the_transfer_payment_cell_note() -> None:
    # Employment & Economy H3 carries an Excel note: the £9,234 to DWP is a transfer payment
    e = gmca("gmca-ee1-0-fiscal")
    assert (e.amount, e.price_year, e.per, e.unit, e.agency) == (
        9800,
        "2012/13",
        "year",
        "Per claimant per year",
        "multiple-agencies",
    )
    assert e.notes is not None and "transfer payment" in e.notes and "£14,610" in e.notes
    assert gmca("gmca-ee1-0-economic").amount == 14044


def test_formula_amounts_and_anomalies_are_flagged() -> None:
    # The methods fact sheet's "SS7.1 £7,375/wk" and "HE2.0.3 16,865,251" are a third-party extraction reading
    # the formulas =SUM(H73:H75) and =1686*52/51 as numbers; the workbook's values are these.
    ss71 = gmca("gmca-ss7-1-fiscal")
    assert ss71.amount == pytest.approx(86 + 18.4 + 995 / 3 * 2)
    assert ss71.notes is not None and "=SUM(H73:H75)" in ss71.notes
    he203 = gmca("gmca-he2-0-3-fiscal")
    assert he203.amount == pytest.approx(1686 * 52 / 51)
    assert (he203.price_year, he203.per) == ("2006/07", "year")
    assert he203.notes is not None and "=1686*52/51" in he203.notes
    zero = gmca("gmca-cr8-18-5-fiscal")
    assert zero.amount == 0 and zero.notes is not None and "Anomaly" in zero.notes
    sibling = gmca("gmca-he2-0-1-economic")
    assert sibling.amount == 2515 and sibling.notes is not None and "HE2.0.2" in sibling.notes


def test_per_fte_is_a_year() -> None:
    # E&E11.0: "estimated annual staffing cost" of a full-time adviser, Unit "Per FTE"
    e = gmca("gmca-ee11-0-fiscal")
    assert (e.amount, e.per, e.unit) == (31174, "year", "Per FTE")


@needs_workbook
def test_every_formula_amount_is_reported(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    formulas = openpyxl.load_workbook(WORKBOOK, data_only=False)
    expected = sorted(
        f"{code} ({sheet} row {r}) {kind}"
        for sheet, r, code in coded_rows(formulas)
        for kind, (column, _, _) in COLUMNS.items()
        if str(formulas[sheet][f"{column}{r}"].value).startswith("=")
    )
    assert len(expected) == 39
    assert sorted(item.split(":")[0] for item in report.computed_amounts) == expected


# ------------------------------------------------------------------------------------------- known truth


@needs_workbook
@pytest.mark.parametrize(("kind", "count"), [("fiscal", 673), ("economic", 80), ("social", 25)])
def test_gmca_series_reproduces_the_workbooks_uprating(book: Any, kind: str, count: int) -> None:
    """amount × index(2015/16) / index(price year), with the shipped series, equals the workbook's uprated column."""
    estimated, year, updated = COLUMNS[kind]
    assert book["Lookups"]["K11"].value == "2015/16"
    checked, wrong = 0, []
    for sheet, r, code in coded_rows(book):
        ws = book[sheet]
        amount, price_year, target = ws[f"{estimated}{r}"].value, ws[f"{year}{r}"].value, ws[f"{updated}{r}"].value
        if not (is_number(amount) and is_number(target)):
            continue
        got = deflate(amount, price_year, "2015/16", series=SERIES)
        checked += 1
        if got != pytest.approx(target, rel=1e-6):
            wrong.append(f"{sheet} row {r} {code}: {amount} ({price_year}) -> {got}, workbook {target}")
    assert wrong == []
    assert checked == count  # fiscal: 674 values, CR8.18.5 (£0) has no uprated value


@needs_workbook
def test_every_shipped_entry_matches_its_workbook_row(book: Any) -> None:
    """Each entry's amount and price year, uprated with the workbook's series, give the cell its origin names."""
    lib = load_library()
    origin = re.compile(r"sheet '(?P<sheet>[^']+)', row (?P<row>\d+), code (?P<code>\S+), (?P<kind>\w+) value")
    checked = 0
    for entry in lib:
        if not entry.id.startswith("gmca-"):
            continue
        match = origin.search(entry.origin)
        assert match, entry.origin
        ws, r, kind = book[match["sheet"]], int(match["row"]), match["kind"]
        assert ws[f"C{r}"].value.strip() == match["code"]
        assert entry.id == f"gmca-{code_slug(match['code'])}-{kind}"
        assert entry.kind == kind
        estimated, _, updated = COLUMNS[kind]
        assert entry.amount == ws[f"{estimated}{r}"].value
        if is_number(ws[f"{updated}{r}"].value):
            uprated = lib.amount_in(entry.id, "2015/16", series=SERIES)
            assert uprated == pytest.approx(ws[f"{updated}{r}"].value, rel=1e-6), entry.id
        checked += 1
    assert checked == 674 + 80 + 25


@needs_workbook
def test_agency_table_lists_exactly_the_workbooks_pairs(book: Any) -> None:
    def text(value: object) -> str | None:
        return " ".join(str(value).split()) or None if value is not None else None

    in_workbook = {
        (text(book[sheet][f"F{r}"].value), text(book[sheet][f"G{r}"].value)) for sheet, r, _ in coded_rows(book)
    }
    table = load_agency_map()
    assert set(table) == in_workbook
    assert table[("Local Authority", "Social Services")] == "la-social-services"
    assert table[("NHS", "Clinical Commissioning Group")] == "nhs-commissioners"
    assert table[("DWP", "JCP")] == "dwp"
    assert table[("Criminal Justice System", "Court")] == "courts"
    assert table[(None, None)] == "unspecified"
    assert {agency for (level_1, _), agency in table.items() if level_1 == "Police"} == {"police"}
    assert {agency for (level_1, _), agency in table.items() if level_1 == "Multiple"} == {"multiple-agencies"}


# ---------------------------------------------------------------------------------------- unit mapping


@pytest.mark.parametrize(
    ("unit", "per"),
    [
        ("Per year", "year"),
        ("Per person per year", "year"),
        ("Per claimant per year", "year"),
        ("Per child per year", "year"),
        ("Per week", "week"),
        ("Per client per week", "week"),
        ("Per day", "day"),
        ("Per bed day", "day"),
        ("Per hour", "hour"),
        ("Per month", "month"),
        ("Per incident", "event"),
        ("Each", "event"),
        ("Lifetime", "event"),
        ("Per child over a ten year period", "event"),
        ("Per child over a 25 year period", "event"),
        ("Per 6 months", "event"),
        ("Per person ", "event"),
        (None, "event"),
    ],
)
def test_per_from_unit(unit: str | None, per: str) -> None:
    assert per_from_unit(unit) == per


@pytest.mark.parametrize(
    ("code", "slug"),
    [("E&E10.0", "ee10-0"), ("CR1.4.1", "cr1-4-1"), ("SS3.0", "ss3-0"), ("HE2.0.3", "he2-0-3"), ("E&S2.1", "es2-1")],
)
def test_code_slug(code: str, slug: str) -> None:
    assert code_slug(code) == slug


# -------------------------------------------------------------------------------------- tiny workbooks

HEADER_1 = {
    "A": "Outcome category",
    "B": "Outcome detail",
    "C": "Cost code",
    "D": "Cost / saving detail",
    "E": "Unit",
    "F": "Agency bearing the cost / making the fiscal saving",
    "H": "Fiscal Cost",
    "K": "Economic Cost",
    "N": "Social Cost",
    "Q": "Original source",
    "R": "RAG assessment",
    "S": "Comment",
}
HEADER_2 = {"F": "Level 1", "G": "Level 2"} | {
    column: text
    for columns in COLUMNS.values()
    for column, text in zip(columns, ("Estimated cost/saving", "Year", "Updated cost/saving"), strict=True)
}
PREFIX = {
    "Crime": "CR",
    "Education & Skills": "E&S",
    "Employment & Economy": "E&E",
    "Fire": "FI",
    "Health": "HE",
    "Housing": "HO",
    "Social Services": "SS",
}


def tiny_workbook(
    path: Path,
    *,
    leave_out: str | None = None,
    extra_rows: dict[str, list[dict[str, object]]] | None = None,
) -> Path:
    """A workbook laid out like v1.4 ("v.9.9"), one fiscal row per theme sheet, plus ``extra_rows``."""
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "Introduction"
    intro["C2"] = "Unit Cost Database (v.9.9) - Introduction"
    for sheet, prefix in PREFIX.items():
        if sheet == leave_out:
            continue
        ws = wb.create_sheet(sheet)
        for column, text in HEADER_1.items():
            ws[f"{column}1"] = text
        for column, text in HEADER_2.items():
            ws[f"{column}2"] = text
        rows: list[dict[str, object]] = [
            {
                "C": f"{prefix}1.0",
                "D": f"{sheet}\n  first  line",
                "E": "Per week",
                "F": "Police",
                "H": 100,
                "I": "2014/15",
                "J": 102,
                "Q": "A report",
                "R": "G",
            },
        ]
        rows += (extra_rows or {}).get(sheet, [])
        for i, row in enumerate(rows, start=3):
            for column, value in row.items():
                ws[f"{column}{i}"] = value
    lookups = wb.create_sheet("Lookups")
    lookups["K9"], lookups["K11"] = "Current Year", "2015/16"
    lookups["M9"], lookups["P9"] = "Year", "GDP cumulative\n(using 1989 as base year)"
    lookups["M10"], lookups["P10"] = "2014/15", 100
    lookups["M11"], lookups["P11"] = "2015/16", 102
    wb.save(path)
    return path


def test_tiny_workbook_imports(tmp_path: Path) -> None:
    extra = {
        "Crime": [
            # the same code twice, and a value with no price year (uses the uprated value, says so)
            {"C": "CR1.0", "D": "Repeat", "E": "Each", "H": 50, "I": "2014/15", "J": 51, "Q": "Report B", "R": "A"},
            {"C": "CR2.0", "D": "No year", "E": "Per hour", "H": 10, "J": 10.2, "N": 7, "O": "2015/16", "P": 7},
        ]
    }
    xlsx = tiny_workbook(tmp_path / "tiny.xlsx", extra_rows=extra)
    report = import_workbook(xlsx, tmp_path / "out")
    assert report.collection == "gmca-ucd-9.9"
    assert report.entries_per_kind == {"fiscal": 9, "economic": 0, "social": 1}
    assert report.missing_price_year == ("gmca-cr2-0-fiscal",)
    assert len(report.duplicate_codes) == 1 and "row 4" in report.duplicate_codes[0]
    assert (tmp_path / "out" / "deflators" / "gmca-ucd-9.9.csv").read_text() == "year,value\n2014/15,100\n2015/16,102\n"

    text = (tmp_path / "out" / "unit_costs" / "gmca-ucd-9.9" / "crime.yaml").read_text(encoding="utf-8")
    collection, entries = read_library_file(text, "crime.yaml")
    assert collection.name == "gmca-ucd-9.9" and collection.licence == "CC BY 4.0"
    by_id = {e.id: e for e in entries}
    assert set(by_id) == {"gmca-cr1-0-fiscal", "gmca-cr1-0-row4-fiscal", "gmca-cr2-0-fiscal", "gmca-cr2-0-social"}
    first = by_id["gmca-cr1-0-fiscal"]
    assert (first.name, first.amount, first.price_year, first.per, first.agency) == (
        "Crime first line",
        100,
        "2014/15",
        "week",
        "police",
    )
    no_year = by_id["gmca-cr2-0-fiscal"]
    assert (no_year.amount, no_year.price_year, no_year.agency) == (10.2, "2015/16", "unspecified")
    assert no_year.notes is not None and "no usable price year" in no_year.notes
    assert no_year.confidence == 4  # no RAG rating
    assert yaml.safe_load(text)["domain"] == "crime"


def test_unmapped_agency_pair_fails_loudly_and_writes_nothing(tmp_path: Path) -> None:
    extra = {
        "Fire": [
            {
                "C": "FI2.0",
                "D": "New",
                "E": "Each",
                "F": "Space Agency",
                "G": "Orbit",
                "H": 1,
                "I": "2014/15",
                "J": 1.02,
                "Q": "S",
                "R": "G",
            }
        ]
    }
    xlsx = tiny_workbook(tmp_path / "tiny.xlsx", extra_rows=extra)
    with pytest.raises(InputError, match=r"unmapped agency pair \(Level 1 'Space Agency', Level 2 'Orbit'\)") as err:
        import_workbook(xlsx, tmp_path / "out")
    assert "Fire row 4 (FI2.0)" in str(err.value)
    assert "gmca-ucd-agencies.yaml" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_missing_theme_sheet_fails_loudly(tmp_path: Path) -> None:
    xlsx = tiny_workbook(tmp_path / "tiny.xlsx", leave_out="Fire")
    with pytest.raises(InputError, match="theme sheet 'Fire' is missing"):
        import_workbook(xlsx, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_changed_layout_and_unknown_rag_fail(tmp_path: Path) -> None:
    extra = {
        "Housing": [
            {
                "C": "HO2.0",
                "D": "X",
                "E": "Each",
                "F": "Police",
                "H": 1,
                "I": "2014/15",
                "J": 1.02,
                "Q": "S",
                "R": "Purple",
            }
        ]
    }
    xlsx = tiny_workbook(tmp_path / "tiny.xlsx", extra_rows=extra)
    wb = openpyxl.load_workbook(xlsx)
    wb["Health"]["J2"] = "Uprated"
    wb.save(xlsx)
    with pytest.raises(InputError) as err:
        import_workbook(xlsx, tmp_path / "out")
    message = str(err.value)
    assert "Health!J2: expected header 'Updated cost/saving', found 'Uprated'" in message
    assert "HO2.0: unknown RAG rating 'Purple'" in message


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tiny_workbook(tmp_path / "good.xlsx")
    assert main([str(good), "--out", str(tmp_path / "out")]) == 0
    assert "entries: 7 (fiscal 7, economic 0, social 0)" in capsys.readouterr().out
    bad = tiny_workbook(tmp_path / "bad.xlsx", leave_out="Crime")
    assert main([str(bad), "--out", str(tmp_path / "out2")]) == 2
    assert "theme sheet 'Crime' is missing" in capsys.readouterr().err
    assert main([str(tmp_path / "absent.xlsx")]) == 2


def test_id_prefix_and_edition_for_a_newer_edition(tmp_path: Path) -> None:
    xlsx = tiny_workbook(tmp_path / "tiny.xlsx")
    report = import_workbook(xlsx, tmp_path / "out", edition="3.0", id_prefix="gmca-v3-0")
    assert report.collection == "gmca-ucd-3.0"
    text = (tmp_path / "out" / "unit_costs" / "gmca-ucd-3.0" / "fire.yaml").read_text(encoding="utf-8")
    assert "- id: gmca-v3-0-fi1-0-fiscal\n" in text
    assert "origin: GMCA Unit Cost Database v3.0, sheet 'Fire', row 3, code FI1.0" in text
    with pytest.raises(InputError, match="not kebab-case"):
        import_workbook(xlsx, tmp_path / "out", id_prefix="GMCA 3")
    with pytest.raises(InputError, match="not an edition number"):
        import_workbook(xlsx, tmp_path / "out", edition="../x")


def test_social_services_refined_to_children_or_adults() -> None:
    # SS7.0 "Residential care for older people" (Local Authority / Social Services) → adults;
    # SS5.0 "Children in Need" → children. No fiscal entry on the Social Services sheet is left as the
    # unsplit la-social-services.
    assert gmca("gmca-ss7-0-fiscal").agency == "la-adult-social-care"
    assert gmca("gmca-ss5-0-fiscal").agency == "la-childrens-services"
    left = [e.id for e in load_library() if e.id.startswith("gmca-ss") and e.agency == "la-social-services"]
    assert left == []
