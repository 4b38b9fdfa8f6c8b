"""Import the GMCA (New Economy) Unit Cost Database workbook into the unit cost library (ADR 0004).

The workbook (v1.4, March 2015, CC BY 4.0) has one sheet per theme. Each row with a cost code in column C
(``CR1.0``, ``E&S2.1``, ``HE2.0.3``) carries up to three values: fiscal (columns H–J), economic (K–M) and
social (N–P), each as an original estimate, its price year and an uprated (2015/16) figure. This module turns
every numeric original estimate into one library entry, keeping its own price year, and writes:

- ``unit_costs/gmca-ucd-<edition>/<domain>.yaml``: one library file per theme sheet;
- ``deflators/gmca-ucd-<edition>.csv``: the ``Lookups`` sheet's "GDP cumulative" index, which the workbook
  uses for its own uprating.

Fiscal agencies come from the hand-written table ``data/importers/gmca-ucd-agencies.yaml``; a pair that is
not in it stops the import. Nothing is written unless the whole workbook imports cleanly, and the output is
byte-identical on re-run.

Run it with ``python -m wellspent.costs.gmca_import WORKBOOK.xlsx [--out DIR]``; see
``docs/unit-costs-import.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import openpyxl
import yaml
from pydantic import ValidationError

from wellspent.costs.model import KEBAB, Kind, Per, UnitCost
from wellspent.errors import InputError, Problem
from wellspent.money.deflators import parse_price_year
from wellspent.vocabulary import agencies

THEME_SHEETS: dict[str, str] = {
    "Crime": "crime",
    "Education & Skills": "education",
    "Employment & Economy": "employment",
    "Fire": "fire",
    "Health": "health",
    "Housing": "housing",
    "Social Services": "social-care",
}
"""Theme sheet name → library domain (``policy_areas.yaml``), in output order."""

URL = "https://www.greatermanchester-ca.gov.uk/what-we-do/research/research-cost-benefit-analysis/"
LICENCE = "CC BY 4.0"
KINDS: tuple[Kind, ...] = ("fiscal", "economic", "social")
RAG_GRADES: dict[str, int] = {"G": 2, "A": 3, "R": 5}
"""GMCA RAG rating → wellspent confidence grade: a wellspent judgement (ADR 0004), not a verified source."""
NO_RAG_GRADE = 4
NON_FISCAL_AGENCY: dict[Kind, str] = {"economic": "individuals", "social": "society"}
ID_PREFIX = "gmca"

COST_CODE = re.compile(r"^[A-Z]+(?:&[A-Z]+)?\d+(?:\.\d+)*$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_EDITION = re.compile(r"\bv\.?\s*(\d+(?:\.\d+)+)", re.IGNORECASE)
_EDITION_NUMBER = re.compile(r"^\d+(?:\.\d+)+$")
_PER_SUFFIX = re.compile(r"\bper (?:bed )?(year|annum|week|day|hour|month)$")
_RELATIVE_TOLERANCE = 1e-6

# 1-based column numbers on a theme sheet (SOURCE.md): data from row 3, headers in rows 1-2.
FIRST_DATA_ROW = 3
COL_CODE, COL_NAME, COL_UNIT, COL_LEVEL_1, COL_LEVEL_2 = 3, 4, 5, 6, 7
COL_SOURCE, COL_RAG, COL_COMMENT = 17, 18, 19
VALUE_COLUMNS: dict[Kind, tuple[int, int, int]] = {
    "fiscal": (8, 9, 10),
    "economic": (11, 12, 13),
    "social": (14, 15, 16),
}
"""Kind → (estimated cost/saving, its price year, updated cost/saving) columns."""

EXPECTED_HEADERS: tuple[tuple[int, int, str], ...] = (
    (1, COL_CODE, "Cost code"),
    (1, COL_NAME, "Cost / saving detail"),
    (1, COL_UNIT, "Unit"),
    (2, COL_LEVEL_1, "Level 1"),
    (2, COL_LEVEL_2, "Level 2"),
    *(
        (2, col, text)
        for cols in VALUE_COLUMNS.values()
        for col, text in zip(cols, ("Estimated cost/saving", "Year", "Updated cost/saving"), strict=True)
    ),
    (1, COL_SOURCE, "Original source"),
    (1, COL_RAG, "RAG assessment"),
    (1, COL_COMMENT, "Comment"),
)
"""(row, column, header text) the importer relies on; a workbook laid out differently is refused."""

AgencyPair = tuple[str | None, str | None]
AGENCY_MAP_FILE = "gmca-ucd-agencies.yaml"
TRANSFERS_FILE = "gmca-ucd-transfers.yaml"


def default_out_dir() -> Path:
    """The package's own data folder (``src/wellspent/data`` in a source checkout), where shipped files live."""
    return Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class ImportReport:
    """What an import read and wrote: counts, files, and everything a reviewer should look at."""

    workbook: str
    sha256: str
    edition: str
    collection: str
    target_year: str
    """The workbook's "Current Year" (``Lookups``), the price year of its uprated columns."""
    rows_per_sheet: dict[str, int]
    """Rows with a cost code, by theme sheet."""
    entries_per_domain: dict[str, dict[str, int]]
    """Entries written, by domain and kind."""
    files: tuple[Path, ...]
    missing_price_year: tuple[str, ...] = ()
    """Entries whose original amount has no usable price year (they use the uprated value instead)."""
    anomalies: tuple[str, ...] = ()
    """Oddities in the data (zero values, repeated items or values), each also flagged in the notes."""
    cautions: tuple[str, ...] = ()
    """Totals whose constituent lines are borne by different agencies (flagged in the entry's notes)."""
    skipped_rows: tuple[str, ...] = ()
    """Rows with a value but no cost code, which are not imported."""
    duplicate_codes: tuple[str, ...] = ()
    uprating_mismatches: tuple[str, ...] = ()
    """Values whose uprated column differs from amount × index ratio by more than 1e-6 relative."""
    computed_amounts: tuple[str, ...] = ()
    """Values the workbook computes with a formula (the formula is kept in the entry's notes)."""
    transfers: tuple[str, ...] = ()
    """Fiscal entries marked as (partly) transfer payments, from ``data/importers/gmca-ucd-transfers.yaml``."""
    unmatched_transfer_codes: tuple[str, ...] = ()
    """Codes in the transfers table with no fiscal value in this workbook (renumbered in a newer edition?)."""

    @property
    def rows_total(self) -> int:
        return sum(self.rows_per_sheet.values())

    @property
    def entries_per_kind(self) -> dict[str, int]:
        totals: dict[str, int] = {kind: 0 for kind in KINDS}
        for per_kind in self.entries_per_domain.values():
            for kind, count in per_kind.items():
                totals[kind] += count
        return totals

    @property
    def entries_total(self) -> int:
        return sum(self.entries_per_kind.values())

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """A plain-text account of the import, for the command line."""
        lines = [
            f"Imported {self.workbook} (sha256 {self.sha256}) as {self.collection}",
            f"rows with a cost code: {self.rows_total} "
            + "("
            + ", ".join(f"{sheet} {n}" for sheet, n in self.rows_per_sheet.items())
            + ")",
            f"entries: {self.entries_total} "
            + "("
            + ", ".join(f"{kind} {n}" for kind, n in self.entries_per_kind.items())
            + ")",
        ]
        for domain, per_kind in self.entries_per_domain.items():
            lines.append(f"  {domain}: " + ", ".join(f"{kind} {n}" for kind, n in per_kind.items()))
        sections = (
            ("price year missing (uprated value used)", self.missing_price_year),
            ("uprated value not reproduced", self.uprating_mismatches),
            ("duplicate cost codes", self.duplicate_codes),
            ("rows skipped (value but no cost code)", self.skipped_rows),
            ("anomalies flagged in notes", self.anomalies),
            ("cautions flagged in notes (totals borne by several agencies)", self.cautions),
            ("amounts computed by a workbook formula", self.computed_amounts),
            ("fiscal values marked as transfer payments", self.transfers),
            ("transfer codes not found in this workbook", self.unmatched_transfer_codes),
        )
        for title, items in sections:
            lines.append(f"{title}: {len(items)}")
            lines.extend(f"  - {item}" for item in items)
        lines.append("wrote:")
        lines.extend(f"  {path}" for path in self.files)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------- parsing


def collapse(value: object) -> str | None:
    """Text with all whitespace runs (newlines included) collapsed to one space; ``None`` if blank.

    >>> collapse("Anti-social behaviour\\nfurther action  necessary ")
    'Anti-social behaviour further action necessary'
    >>> collapse("   ") is None
    True
    """
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def code_slug(code: str) -> str:
    """The id part for a cost code: lower case, ``&`` removed, ``.`` → ``-``.

    >>> code_slug("E&E10.0"), code_slug("CR1.4.1"), code_slug("SS3.0")
    ('ee10-0', 'cr1-4-1', 'ss3-0')
    """
    return code.lower().replace("&", "").replace(".", "-")


def per_from_unit(unit: str | None) -> Per:
    """The ``per`` for the workbook's Unit text: a trailing "per year/week/day/hour/month", else ``event``.

    "Per FTE" (full-time staff post) is a year: every such row is an annual staffing cost.

    >>> [per_from_unit(u) for u in ("Per person per year", "Per client per week", "Per bed day", "Per hour")]
    ['year', 'week', 'day', 'hour']
    >>> [per_from_unit(u) for u in ("Per incident", "Each", "Lifetime", "Per child over a ten year period")]
    ['event', 'event', 'event', 'event']
    >>> per_from_unit("Per FTE")
    'year'
    """
    text = (collapse(unit) or "").lower()
    if text == "per fte":
        return "year"
    match = _PER_SUFFIX.search(text)
    if not match:
        return "event"
    found = match.group(1)
    return "year" if found == "annum" else found  # type: ignore[return-value]


def financial_year(value: object) -> str | None:
    """A workbook price year as ``"YYYY/YY"``, or ``None`` if it is blank or not a financial year.

    >>> financial_year("2010/11"), financial_year("2010-2011"), financial_year(" 1999/00 ")
    ('2010/11', '2010/11', '1999/00')
    >>> financial_year(None), financial_year("2010/12"), financial_year(2010)
    (None, None, None)
    """
    if not isinstance(value, str):
        return None
    match = _FINANCIAL_YEAR.match(value.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2)) % 100
    if (first + 1) % 100 != second:
        return None
    label = f"{first}/{second:02d}"
    parse_price_year(label)
    return label


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _money(value: float) -> str:
    return f"£{value:,.2f}".removesuffix(".00")


def _pair_text(pair: AgencyPair) -> str:
    parts = [p for p in pair if p is not None]
    return " / ".join(parts) if parts else "not stated"


def load_agency_map(path: Path | None = None) -> dict[AgencyPair, str]:
    """The (Level 1, Level 2) → agency id table (default: the one shipped in ``data/importers``)."""
    if path is None:
        origin = "wellspent/data/importers/gmca-ucd-agencies.yaml"
        text = (resources.files("wellspent") / "data" / "importers" / AGENCY_MAP_FILE).read_text("utf-8")
    else:
        text, origin = path.read_text(encoding="utf-8"), str(path)
    data = yaml.safe_load(text)
    items = data.get("pairs") if isinstance(data, dict) else None
    problems: list[Problem] = []
    mapping: dict[AgencyPair, str] = {}
    known = agencies()
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not {"level_1", "level_2", "agency"} <= item.keys():
            problems.append(Problem(origin, f"pairs[{i}]", "needs level_1, level_2 and agency"))
            continue
        pair: AgencyPair = (collapse(item["level_1"]), collapse(item["level_2"]))
        agency = str(item["agency"])
        if agency not in known:
            problems.append(Problem(origin, f"pairs[{i}].agency", f"unknown agency {agency!r}"))
        if pair in mapping:
            problems.append(Problem(origin, f"pairs[{i}]", f"pair {pair!r} is listed twice"))
        mapping[pair] = agency
    if not mapping:
        problems.append(Problem(origin, "pairs", "no agency pairs"))
    if problems:
        raise InputError(problems)
    return mapping


@dataclass(frozen=True)
class Refinement:
    """Entries of ``codes`` (and their constituent lines) mapped to ``source`` are borne by ``target``."""

    source: str
    target: str
    codes: tuple[str, ...]

    def applies(self, code: str, agency: str) -> bool:
        return agency == self.source and any(code == c or code.startswith(c + ".") for c in self.codes)


def load_agency_refinements(path: Path | None = None) -> list[Refinement]:
    """The ``refinements`` of the agency table: code families whose agency is made more specific."""
    if path is None:
        text = (resources.files("wellspent") / "data" / "importers" / AGENCY_MAP_FILE).read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    items = data.get("refinements") if isinstance(data, dict) else None
    known = agencies()
    refinements = []
    problems = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if (not isinstance(item, dict) or item.get("from") not in known or item.get("to") not in known
                or not isinstance(item.get("codes"), list)):
            problems.append(Problem(str(path or AGENCY_MAP_FILE), f"refinements[{i}]",
                                    "needs from and to (known agency ids) and a list of codes"))
            continue
        refinements.append(Refinement(str(item["from"]), str(item["to"]), tuple(str(c) for c in item["codes"])))
    if problems:
        raise InputError(problems)
    return refinements


def refine_agency(code: str, agency: str, refinements: Sequence[Refinement]) -> str:
    """The agency after refinements (the first that applies).

    >>> children = [Refinement("la-social-services", "la-childrens-services", ("SS1",))]
    >>> refine_agency("SS1.1.2", "la-social-services", children)
    'la-childrens-services'
    >>> refine_agency("SS10.0", "la-social-services", children)
    'la-social-services'
    """
    for refinement in refinements:
        if refinement.applies(code, agency):
            return refinement.target
    return agency


def load_transfers() -> dict[str, tuple[float, str]]:
    """Cost code → (share of the fiscal value that is a transfer payment, why), from
    ``data/importers/gmca-ucd-transfers.yaml`` (ADR 0007)."""
    origin = f"wellspent/data/importers/{TRANSFERS_FILE}"
    data = yaml.safe_load((resources.files("wellspent") / "data" / "importers" / TRANSFERS_FILE).read_text("utf-8"))
    items = data.get("transfers") if isinstance(data, dict) else None
    problems: list[Problem] = []
    table: dict[str, tuple[float, str]] = {}
    for code, item in (items if isinstance(items, dict) else {}).items():
        share = item.get("share") if isinstance(item, dict) else None
        why = item.get("why") if isinstance(item, dict) else None
        if not isinstance(share, int | float) or isinstance(share, bool) or not 0 < share <= 1 or not why:
            problems.append(Problem(origin, f"transfers.{code}", "needs a share in (0, 1] and a why"))
            continue
        table[str(code)] = (float(share), str(why))
    if problems:
        raise InputError(problems)
    return table


# ---------------------------------------------------------------------------------------------- workbook


@dataclass(frozen=True)
class _Flag:
    """A remark added to an entry's notes: an ``anomaly`` in the data or a ``caution`` on its use."""

    category: Literal["anomaly", "caution"]
    text: str

    def __str__(self) -> str:
        return f"{self.category.capitalize()}: {self.text}"


@dataclass(frozen=True)
class _Value:
    kind: Kind
    amount: float
    price_year: str | None
    year_text: object
    updated: float | None
    formula: str | None
    cell_note: str | None
    column: str


@dataclass
class _Row:
    sheet: str
    domain: str
    row: int
    code: str
    name: str
    unit: str | None
    pair: AgencyPair
    source: str | None
    rag: str | None
    comment: str | None
    values: list[_Value]
    entry_ids: dict[Kind, str] = field(default_factory=dict)


@dataclass
class _Reading:
    """Everything read from the workbook, and the problems that stop the import."""

    problems: list[Problem] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    rows_per_sheet: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    deflator: dict[str, float] = field(default_factory=dict)
    target_year: str = ""
    edition: str = ""


def _load(path: Path) -> tuple[Any, Any]:
    """The workbook twice: cached values (``data_only``) and formulas (to show how computed amounts arise)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # openpyxl: unsupported extensions (data validation)
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    return values, formulas


def _read_edition(book: Any, given: str | None, reading: _Reading, file: str) -> None:
    if given:
        reading.edition = given
        return
    if "Introduction" in book.sheetnames:
        for row in book["Introduction"].iter_rows(max_row=10):
            for cell in row:
                match = _EDITION.search(str(cell.value or ""))
                if match:
                    reading.edition = match.group(1)
                    return
    reading.problems.append(Problem(file, "Introduction", "cannot find the edition (e.g. 'v.1.4'); pass --edition"))


def _find_cell(sheet: Any, predicate: Callable[[str], bool]) -> Any | None:
    """The first cell whose (whitespace-collapsed) text satisfies ``predicate``."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and predicate(collapse(cell.value) or ""):
                return cell
    return None


def _read_lookups(book: Any, reading: _Reading, file: str) -> None:
    """The "GDP cumulative" index by financial year, and the "Current Year" the workbook uprates to."""
    if "Lookups" not in book.sheetnames:
        reading.problems.append(Problem(file, "Lookups", "sheet missing (it holds the GDP deflator table)"))
        return
    sheet = book["Lookups"]
    header = _find_cell(sheet, lambda text: text.lower().startswith("gdp cumulative"))
    if header is None:
        reading.problems.append(Problem(file, "Lookups", "no 'GDP cumulative' column"))
        return
    year_col = next((c.column for c in sheet[header.row] if (collapse(c.value) or "").lower() == "year"), None)
    if year_col is None:
        reading.problems.append(Problem(file, f"Lookups!{header.coordinate}", "no 'Year' column beside it"))
        return
    for r in range(header.row + 1, sheet.max_row + 1):
        label, value = sheet.cell(r, year_col).value, sheet.cell(r, header.column).value
        if label is None:
            break
        year = financial_year(label)
        if year is None or not _is_number(value):
            reading.problems.append(
                Problem(file, f"Lookups!row {r}", f"deflator row {label!r}, {value!r}: not a year and an index")
            )
            continue
        reading.deflator[year] = value
    current = _find_cell(sheet, lambda text: text.lower() == "current year")
    target = None
    if current is not None:
        for r in range(current.row + 1, min(current.row + 5, sheet.max_row) + 1):
            target = financial_year(sheet.cell(r, current.column).value)
            if target:
                break
    if target is None:
        reading.problems.append(Problem(file, "Lookups", "no 'Current Year' (price year of uprated values)"))
    elif target not in reading.deflator:
        reading.problems.append(Problem(file, "Lookups", f"current year {target} is not in the deflator"))
    else:
        reading.target_year = target


def _check_headers(sheet: Any, name: str, reading: _Reading, file: str) -> bool:
    ok = True
    for row, col, text in EXPECTED_HEADERS:
        found = collapse(sheet.cell(row, col).value) or ""
        if found.replace(" ", "").lower() != text.replace(" ", "").lower():
            cell = sheet.cell(row, col).coordinate
            reading.problems.append(
                Problem(file, f"{name}!{cell}", f"expected header {text!r}, found {found!r}: layout changed?")
            )
            ok = False
    return ok


def _read_value(sheet: Any, formulas: Any, r: int, kind: Kind) -> _Value | None:
    amount_col, year_col, updated_col = VALUE_COLUMNS[kind]
    amount = sheet.cell(r, amount_col).value
    if not _is_number(amount):
        return None
    formula = formulas.cell(r, amount_col).value
    note = sheet.cell(r, amount_col).comment
    updated = sheet.cell(r, updated_col).value
    year_text = sheet.cell(r, year_col).value
    return _Value(
        kind=kind,
        amount=amount,
        price_year=financial_year(year_text),
        year_text=year_text,
        updated=updated if _is_number(updated) else None,
        formula=formula if isinstance(formula, str) and formula.startswith("=") else None,
        cell_note=collapse(note.text) if note is not None else None,
        column=sheet.cell(r, amount_col).column_letter,
    )


def _read_sheet(name: str, domain: str, sheet: Any, formulas: Any, reading: _Reading, file: str) -> None:
    count = 0
    for r in range(FIRST_DATA_ROW, sheet.max_row + 1):
        code = collapse(sheet.cell(r, COL_CODE).value)
        values = [v for kind in KINDS if (v := _read_value(sheet, formulas, r, kind)) is not None]
        if code is None or not COST_CODE.match(code):
            if values:
                reading.skipped.append(
                    f"{name} row {r}: {collapse(sheet.cell(r, COL_NAME).value)!r} has a value but cost code "
                    f"{sheet.cell(r, COL_CODE).value!r}"
                )
            continue
        count += 1
        rag = collapse(sheet.cell(r, COL_RAG).value)
        if rag is not None and rag.upper() not in RAG_GRADES:
            reading.problems.append(Problem(file, f"{name}!R{r}", f"{code}: unknown RAG rating {rag!r}"))
            rag = None
        reading.rows.append(
            _Row(
                sheet=name,
                domain=domain,
                row=r,
                code=code,
                name=collapse(sheet.cell(r, COL_NAME).value) or code,
                unit=collapse(sheet.cell(r, COL_UNIT).value),
                pair=(collapse(sheet.cell(r, COL_LEVEL_1).value), collapse(sheet.cell(r, COL_LEVEL_2).value)),
                source=collapse(sheet.cell(r, COL_SOURCE).value),
                rag=rag.upper() if rag else None,
                comment=collapse(sheet.cell(r, COL_COMMENT).value),
                values=values,
            )
        )
    reading.rows_per_sheet[name] = count


def _read_workbook(path: Path, edition: str | None) -> _Reading:
    file = path.name
    reading = _Reading()
    book, formulas = _load(path)
    missing = [name for name in THEME_SHEETS if name not in book.sheetnames]
    for name in missing:
        reading.problems.append(
            Problem(file, name, f"theme sheet {name!r} is missing (sheets: {', '.join(book.sheetnames)})")
        )
    _read_edition(book, edition, reading, file)
    _read_lookups(book, reading, file)
    for name, domain in THEME_SHEETS.items():
        if name in missing or not _check_headers(book[name], name, reading, file):
            continue
        _read_sheet(name, domain, book[name], formulas[name], reading, file)
    return reading


# ------------------------------------------------------------------------------------------------- entries


def _assign_ids(rows: list[_Row], prefix: str) -> list[str]:
    """Ids ``<prefix>-<code slug>-<kind>``; a repeated code gets ``-row<N>`` after its slug. Returns repeats."""
    seen: dict[str, _Row] = {}
    duplicates: list[str] = []
    for row in rows:
        slug = code_slug(row.code)
        if slug in seen:
            first = seen[slug]
            duplicates.append(
                f"{row.code} on {row.sheet} row {row.row} repeats {first.code} on {first.sheet} row "
                f"{first.row}; its ids use '{slug}-row{row.row}'"
            )
            slug = f"{slug}-row{row.row}"
        else:
            seen[slug] = row
        for value in row.values:
            row.entry_ids[value.kind] = f"{prefix}-{slug}-{value.kind}"
    return duplicates


def _parent(code: str) -> str | None:
    head, _, _ = code.rpartition(".")
    return head if head.count(".") >= 1 else None


def _cross_row_flags(rows: list[_Row], mapping: Mapping[AgencyPair, str]) -> dict[tuple[int, Kind], list[_Flag]]:
    """Flags that need more than one row: repeated items, repeated constituent values, mixed-agency totals."""
    flags: dict[tuple[int, Kind], list[_Flag]] = defaultdict(list)
    by_item: dict[tuple[str, Kind, float, str | None], list[_Row]] = defaultdict(list)
    by_parent: dict[tuple[str, Kind, float, str | None], list[_Row]] = defaultdict(list)
    children: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        for value in row.values:
            by_item[(row.name.lower(), value.kind, value.amount, value.price_year)].append(row)
            parent = _parent(row.code)
            if parent is not None and value.kind != "fiscal":
                by_parent[(parent, value.kind, value.amount, value.price_year)].append(row)
        parent = _parent(row.code)
        if parent is not None and any(v.kind == "fiscal" for v in row.values):
            children[parent].append(row)
    repeated_items: set[tuple[int, Kind]] = set()
    for (_, kind, _, _), group in by_item.items():
        if len(group) < 2:
            continue
        for row in group:
            others = ", ".join(f"{o.code} ({o.sheet} row {o.row})" for o in group if o is not row)
            flags[(id(row), kind)].append(
                _Flag(
                    "anomaly",
                    f"the workbook lists the same item with the same {kind} value under {others}; count it once.",
                )
            )
            repeated_items.add((id(row), kind))
    for (_, kind, amount, year), group in by_parent.items():
        group = [row for row in group if (id(row), kind) not in repeated_items]
        if len(group) < 2:
            continue
        for row in group:
            others = ", ".join(o.code for o in group if o is not row)
            flags[(id(row), kind)].append(
                _Flag(
                    "anomaly",
                    f"sibling line {others} carries the same {kind} value ({_money(amount)}, {year}); it looks "
                    "like one source figure repeated on both lines, so do not add them together.",
                )
            )
    for row in rows:
        parts = children.get(row.code, [])
        if not parts or mapping.get(row.pair) in {"multiple-agencies", "unspecified", None}:
            continue
        bearers = sorted({mapping.get(p.pair, "?") for p in parts})
        if len(bearers) > 1:
            flags[(id(row), "fiscal")].append(
                _Flag(
                    "caution",
                    f"its constituent lines ({', '.join(p.code for p in parts)}) are borne by different "
                    f"agencies ({', '.join(bearers)}); split this total by them rather than charging it all to "
                    "one agency.",
                )
            )
    return flags


def _notes(
    row: _Row, value: _Value, target_year: str, flags: list[_Flag], transfer: tuple[float, str] | None = None
) -> str | None:
    parts: list[str] = [row.comment] if row.comment else []
    if value.kind == "fiscal":
        parts.append(f"Agency in source: {_pair_text(row.pair)}.")
    if value.cell_note:
        parts.append(f"Workbook note on this {value.kind} value: {value.cell_note}")
    if value.formula:
        parts.append(f"The workbook computes this amount with the formula {value.formula}.")
    if value.price_year is None:
        shown = "none" if value.year_text is None else repr(value.year_text)
        parts.append(
            f"The workbook gives no usable price year for the original amount {_money(value.amount)} "
            f"({shown}); this entry uses the workbook's uprated value in {target_year} prices instead."
        )
    parts.extend(str(flag) for flag in flags)
    if transfer is not None:
        parts.append(
            f"Transfer payment: {transfer[0]:.1%} of this value is a transfer ({transfer[1]}); it counts in the "
            "fiscal case and is left out of public value (ADR 0007)."
        )
    return " ".join(parts) or None


def _entry(
    row: _Row,
    value: _Value,
    edition: str,
    target_year: str,
    agency: str,
    flags: list[_Flag],
    transfer: tuple[float, str] | None = None,
) -> dict[str, Any]:
    amount: float | None = value.amount
    price_year = value.price_year
    if price_year is None:
        amount, price_year = value.updated, target_year
    basis = (
        f"GMCA RAG rating {row.rag}; RAG→grade mapping is a wellspent judgement (ADR 0004), not verified"
        if row.rag
        else "No GMCA RAG rating; default grade 4 (ADR 0004), not verified"
    )
    entry: dict[str, Any] = {
        "id": row.entry_ids[value.kind],
        "name": row.name,
        "amount": amount,
        "price_year": price_year,
        "per": per_from_unit(row.unit),
        "unit": row.unit,
        "kind": value.kind,
        "agency": agency,
        "cashable": False,
        "transfer_share": transfer[0] if transfer else None,
        "confidence": RAG_GRADES[row.rag] if row.rag else NO_RAG_GRADE,
        "confidence_basis": basis,
        "source": row.source or f"Unit Cost Database v{edition} (no original source given)",
        "url": URL,
        "verified": False,
        "origin": (
            f"GMCA Unit Cost Database v{edition}, sheet '{row.sheet}', row {row.row}, code {row.code}, "
            f"{value.kind} value (column {value.column})"
        ),
        "notes": _notes(row, value, target_year, flags, transfer),
    }
    return {key: item for key, item in entry.items() if item is not None}


@dataclass
class _Build:
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing_price_year: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    unmatched_transfers: list[str] = field(default_factory=list)


def _value_flags(row: _Row, value: _Value, reading: _Reading) -> tuple[list[_Flag], str | None]:
    """Single-value flags for the notes, and an uprating mismatch message if the updated column disagrees."""
    flags: list[_Flag] = []
    mismatch = None
    if value.amount == 0:
        flags.append(_Flag("anomaly", f"the workbook gives {_money(0)} for this {value.kind} value."))
    if value.price_year is not None and value.price_year not in reading.deflator:
        flags.append(_Flag("anomaly", f"price year {value.price_year} is not in the workbook's deflator."))
    elif value.price_year is not None and value.updated is None and value.amount != 0:
        flags.append(_Flag("anomaly", f"the workbook gives no uprated ({reading.target_year}) value."))
    elif value.price_year is not None and value.updated is not None:
        expected = value.amount * reading.deflator[reading.target_year] / reading.deflator[value.price_year]
        if abs(expected - value.updated) > _RELATIVE_TOLERANCE * abs(value.updated):
            flags.append(
                _Flag(
                    "anomaly",
                    f"the workbook's uprated value ({_money(value.updated)}, {reading.target_year}) is not "
                    f"this amount uprated with its own deflator ({_money(expected)}).",
                )
            )
            mismatch = f"{row.code} {value.kind}: uprated {value.updated!r}, expected {expected!r}"
    return flags, mismatch


def _build(
    reading: _Reading, mapping: Mapping[AgencyPair, str], file: str, agency_map: Path | None = None
) -> _Build:
    build = _Build(files={domain: [] for domain in THEME_SHEETS.values()})
    cross = _cross_row_flags(reading.rows, mapping)
    transfers = load_transfers()
    refinements = load_agency_refinements(agency_map)
    fiscal_codes = {row.code for row in reading.rows if any(v.kind == "fiscal" for v in row.values)}
    build.unmatched_transfers.extend(sorted(set(transfers) - fiscal_codes))
    for row in reading.rows:
        for value in row.values:
            where = f"{row.code} ({row.sheet} row {row.row}) {value.kind}"
            flags, mismatch = _value_flags(row, value, reading)
            flags.extend(cross.get((id(row), value.kind), []))
            if mismatch:
                build.mismatches.append(mismatch)
            if value.price_year is None:
                if value.updated is None:
                    message = f"{where}: no price year and no uprated value"
                    reading.problems.append(Problem(file, f"{row.sheet}!row {row.row}", message))
                    continue
                build.missing_price_year.append(row.entry_ids[value.kind])
            if value.formula:
                build.computed.append(f"{where}: {_money(value.amount)} from {value.formula}")
            for flag in flags:
                found = build.anomalies if flag.category == "anomaly" else build.cautions
                found.append(f"{where}: {flag.text}")
            if value.kind == "fiscal":
                agency = mapping.get(row.pair)
                if agency is None:
                    continue  # reported once per pair by _unmapped_pairs
                agency = refine_agency(row.code, agency, refinements)
            else:
                agency = NON_FISCAL_AGENCY[value.kind]
            transfer = transfers.get(row.code) if value.kind == "fiscal" else None
            if transfer is not None:
                build.transfers.append(f"{where}: {transfer[0]:.1%} ({transfer[1]})")
            entry = _entry(row, value, reading.edition, reading.target_year, agency, flags, transfer)
            try:
                UnitCost.model_validate({**entry, "domain": row.domain})
            except ValidationError as error:
                reading.problems.append(Problem(file, f"{row.sheet}!row {row.row}", f"{where}: {error}"))
                continue
            build.files[row.domain].append(entry)
    return build


def _unmapped_pairs(rows: Sequence[_Row], mapping: Mapping[AgencyPair, str], file: str) -> list[Problem]:
    where: dict[AgencyPair, list[str]] = defaultdict(list)
    for row in rows:
        if row.pair not in mapping and any(v.kind == "fiscal" for v in row.values):
            where[row.pair].append(f"{row.sheet} row {row.row} ({row.code})")
    return [
        Problem(
            file,
            "agency (columns F, G)",
            f"unmapped agency pair (Level 1 {pair[0]!r}, Level 2 {pair[1]!r}) in {', '.join(places)}; add "
            "it to wellspent/data/importers/gmca-ucd-agencies.yaml with the agencies.yaml id that bears the cost",
        )
        for pair, places in where.items()
    ]


# -------------------------------------------------------------------------------------------------- output


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def render_deflator_csv(deflator: Mapping[str, float]) -> str:
    """The deflator table as ``year,value`` CSV (values as the workbook holds them).

    >>> print(render_deflator_csv({"1989/90": 100, "1990/91": 108.27}), end="")
    year,value
    1989/90,100
    1990/91,108.27
    """
    return "year,value\n" + "".join(f"{year},{_number(value)}\n" for year, value in deflator.items())


def _render_library(sheet: str, domain: str, entries: list[dict[str, Any]], reading: _Reading, sha: str) -> str:
    collection = f"gmca-ucd-{reading.edition}"
    header = (
        "# GENERATED FILE: do not edit by hand.\n"
        "# Written by wellspent.costs.gmca_import from the GMCA (New Economy) Unit Cost Database "
        f"v{reading.edition}\n"
        f"# workbook (sha256 {sha}), sheet '{sheet}'.\n"
        "# To change it, change the importer or wellspent/data/importers/gmca-ucd-agencies.yaml and re-run\n"
        "#   python -m wellspent.costs.gmca_import WORKBOOK.xlsx\n"
        "# (docs/unit-costs-import.md, ADR 0004). Amounts are the workbook's original estimates in their own\n"
        "# price years, not its uprated columns.\n"
    )
    document = {
        "collection": collection,
        "domain": domain,
        "title": f"GMCA Unit Cost Database v{reading.edition}: {sheet}",
        "licence": LICENCE,
        "attribution": (
            f"Unit Cost Database v{reading.edition}, New Economy / Greater Manchester Combined Authority "
            f"(GMCA), {LICENCE}"
        ),
        "entries": entries,
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False)
    # a blank line between entries; safe: every string is whitespace-collapsed, so no scalar spans lines
    return header + body.replace("\n- id: ", "\n\n- id: ")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def import_workbook(
    xlsx_path: str | Path,
    out_dir: str | Path,
    *,
    edition: str | None = None,
    agency_map: Path | None = None,
    id_prefix: str = ID_PREFIX,
) -> ImportReport:
    """Import a GMCA Unit Cost Database workbook: write its library files and deflator table under ``out_dir``.

    ``edition`` overrides the one read from the Introduction sheet; ``agency_map`` replaces the shipped agency
    table; ``id_prefix`` replaces ``gmca`` in the ids (to import a newer edition beside this one, ADR 0004).
    Raises :class:`~wellspent.errors.InputError` listing every problem (missing theme sheet, changed layout,
    unmapped agency pair, unknown RAG rating, invalid entry) before anything is written.
    """
    xlsx = Path(xlsx_path)
    out = Path(out_dir)
    if not xlsx.is_file():
        raise InputError.single(str(xlsx), "", "workbook not found")
    if not re.match(KEBAB, id_prefix):
        raise InputError.single(None, "id_prefix", f"{id_prefix!r} is not kebab-case (e.g. gmca-v3)")
    if edition is not None and not _EDITION_NUMBER.match(edition):
        raise InputError.single(None, "edition", f"{edition!r} is not an edition number such as 1.4")
    mapping = load_agency_map(agency_map)
    reading = _read_workbook(xlsx, edition)
    reading.problems.extend(_unmapped_pairs(reading.rows, mapping, xlsx.name))
    duplicates = _assign_ids(reading.rows, id_prefix)
    build = _build(reading, mapping, xlsx.name, agency_map)
    if reading.problems:
        raise InputError(reading.problems)

    sha = _sha256(xlsx)
    collection = f"gmca-ucd-{reading.edition}"
    outputs: dict[Path, str] = {}
    for sheet, domain in THEME_SHEETS.items():
        outputs[out / "unit_costs" / collection / f"{domain}.yaml"] = _render_library(
            sheet, domain, build.files[domain], reading, sha
        )
    outputs[out / "deflators" / f"{collection}.csv"] = render_deflator_csv(reading.deflator)
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")

    counts = {
        domain: dict(sorted(Counter(e["kind"] for e in entries).items(), key=lambda kv: KINDS.index(kv[0])))
        for domain, entries in build.files.items()
    }
    return ImportReport(
        workbook=xlsx.name,
        sha256=sha,
        edition=reading.edition,
        collection=collection,
        target_year=reading.target_year,
        rows_per_sheet=dict(reading.rows_per_sheet),
        entries_per_domain=counts,
        files=tuple(outputs),
        missing_price_year=tuple(build.missing_price_year),
        anomalies=tuple(build.anomalies),
        cautions=tuple(build.cautions),
        skipped_rows=tuple(reading.skipped),
        duplicate_codes=tuple(duplicates),
        uprating_mismatches=tuple(build.mismatches),
        computed_amounts=tuple(build.computed),
        transfers=tuple(build.transfers),
        unmatched_transfer_codes=tuple(build.unmatched_transfers),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wellspent.costs.gmca_import WORKBOOK.xlsx [--out DIR] [--edition X.Y] [--id-prefix P]``.

    Prints the report; exit code 2 (and nothing written) on bad input.
    """
    parser = argparse.ArgumentParser(
        prog="python -m wellspent.costs.gmca_import",
        description="Import the GMCA (New Economy) Unit Cost Database workbook into the unit cost library.",
    )
    parser.add_argument("workbook", type=Path, help="the .xlsx workbook")
    parser.add_argument(
        "--out", type=Path, default=default_out_dir(), help="data folder to write into (default: the package's)"
    )
    parser.add_argument("--edition", help="edition, e.g. 1.4 (default: read from the Introduction sheet)")
    parser.add_argument(
        "--id-prefix", default=ID_PREFIX, help="id prefix (default: gmca); e.g. gmca-v3 beside an older edition"
    )
    args = parser.parse_args(argv)
    try:
        report = import_workbook(args.workbook, args.out, edition=args.edition, id_prefix=args.id_prefix)
    except InputError as error:
        print(f"import failed; nothing written:\n{error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
