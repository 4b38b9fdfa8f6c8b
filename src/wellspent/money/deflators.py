"""Price bases: converting £ between price years with the HM Treasury GDP deflator.

Convention (DESIGN §2; GMCA Unit Cost Database v1.4 uprating formula; Green Book 2022 §5.55 "real base-year
prices"): ``amount × index[to_year] / index[from_year]``. Years outside the series are an error, never an
extrapolation.

A price year is either a calendar year (``2019``) or a UK financial year (``"2010/11"``, April to March). On a
calendar-year series a financial year's index is the time-weighted mean of the two calendar years it spans,
``0.75 × index[Y] + 0.25 × index[Y+1]`` (nine months fall in Y, three in Y+1); see
``docs/decisions/0003-financial-year-price-bases.md``. On a financial-year series (such as the GMCA workbook's
own table) a financial year is looked up directly and a calendar year is an error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

PriceYear = int | str
"""A calendar year such as ``2024`` or a financial year such as ``"2010/11"``."""

DEFAULT_SERIES = "hmt-gdp-2025-12"

_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True)
class PriceBase:
    """A parsed price year: calendar year ``year``, or the financial year starting in April of ``year``."""

    year: int
    financial: bool

    def __str__(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}" if self.financial else str(self.year)


def parse_price_year(value: PriceYear) -> PriceBase:
    """Parse ``2019`` or ``"2019"`` (calendar) or ``"2010/11"`` (financial year, April 2010 to March 2011).

    >>> parse_price_year(2019)
    PriceBase(year=2019, financial=False)
    >>> parse_price_year("2010/11")
    PriceBase(year=2010, financial=True)
    >>> str(parse_price_year("1999/00"))
    '1999/00'
    >>> parse_price_year("2010/12")
    Traceback (most recent call last):
    ...
    ValueError: '2010/12' is not a financial year: the second part must be the next year (2010/11)
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a price year")
    if isinstance(value, int):
        return PriceBase(value, financial=False)
    text = str(value).strip()
    if text.isdigit() and len(text) == 4:
        return PriceBase(int(text), financial=False)
    match = _FINANCIAL_YEAR.match(text)
    if not match:
        raise ValueError(f"{value!r} is not a price year: use a calendar year (2019) or a financial year (2010/11)")
    first, second = int(match.group(1)), int(match.group(2))
    if (first + 1) % 100 != second:
        raise ValueError(
            f"{value!r} is not a financial year: the second part must be the next year "
            f"({first}/{(first + 1) % 100:02d})"
        )
    return PriceBase(first, financial=True)


@dataclass(frozen=True)
class DeflatorSeries:
    """A named price index series with its provenance. ``values`` maps a year label to its index level."""

    name: str
    title: str
    basis: Literal["calendar", "financial"]
    base: str
    source: str
    url: str
    verified: bool
    values: dict[int, float]
    """Index by calendar year, or by the first calendar year of a financial year when ``basis`` is financial."""

    @property
    def first_year(self) -> int:
        return min(self.values)

    @property
    def last_year(self) -> int:
        return max(self.values)

    def covers(self, price_year: PriceYear) -> bool:
        """Whether ``price_year`` can be converted with this series."""
        try:
            self.index(price_year)
        except ValueError:
            return False
        return True

    def coverage(self) -> str:
        """The years this series can convert, in words."""
        if self.basis == "calendar":
            return (
                f"calendar years {self.first_year}–{self.last_year} and financial years "
                f"{PriceBase(self.first_year, True)}–{PriceBase(self.last_year - 1, True)}"
            )
        return f"financial years {PriceBase(self.first_year, True)}–{PriceBase(self.last_year, True)}"

    def index(self, price_year: PriceYear) -> float:
        """The index level for a price year (financial years on a calendar series: the 9:3 month-weighted mean).

        >>> s = load_series()
        >>> s.index(2024)
        100.0
        >>> round(s.index("2010/11"), 6)   # 0.75 × 69.1217 + 0.25 × 70.834
        69.549775
        """
        base = parse_price_year(price_year)
        if self.basis == "financial":
            if not base.financial:
                raise ValueError(
                    f"price year {base} is a calendar year, but series {self.name} is by financial year "
                    f"({self.coverage()}); give a financial year such as {PriceBase(base.year, True)}"
                )
            return self._lookup(base.year, base)
        if base.financial:
            return 0.75 * self._lookup(base.year, base) + 0.25 * self._lookup(base.year + 1, base)
        return self._lookup(base.year, base)

    def _lookup(self, year: int, asked: PriceBase) -> float:
        try:
            return self.values[year]
        except KeyError:
            raise ValueError(
                f"price year {asked} is outside the {self.name} deflator series ({self.coverage()})"
            ) from None


@cache
def load_series(name: str = DEFAULT_SERIES) -> DeflatorSeries:
    """Load a deflator series shipped in ``wellspent/data/deflators`` (``NAME.csv`` + ``NAME.yaml``).

    >>> load_series().name
    'hmt-gdp-2025-12'
    >>> load_series("no-such-series")
    Traceback (most recent call last):
    ...
    ValueError: unknown deflator series 'no-such-series'; known: gmca-ucd-1.4, hmt-gdp-2025-12
    """
    folder = resources.files("wellspent") / "data" / "deflators"
    known = sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    if name not in known:
        raise ValueError(f"unknown deflator series {name!r}; known: {', '.join(known)}")
    meta = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
    values: dict[int, float] = {}
    with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["year"].strip()
            values[parse_price_year(label).year] = float(row["value"])
    return DeflatorSeries(
        name=name,
        title=meta["title"],
        basis=meta["basis"],
        base=meta["base"],
        source=" ".join(str(meta["source"]).split()),
        url=meta["url"],
        verified=bool(meta["verified"]),
        values=values,
    )


def deflate(amount: float, from_year: PriceYear, to_year: PriceYear, series: str = DEFAULT_SERIES) -> float:
    """Convert ``amount`` (£ in ``from_year`` prices) to £ in ``to_year`` prices.

    ``amount × index[to_year] / index[from_year]`` (DESIGN §2; GMCA UCD v1.4 uprating; Green Book 2022 §5.55).

    >>> round(deflate(100, 2014, 2024), 2)      # 100 × 100 / 74.6524
    133.95
    >>> round(deflate(1000, "2010/11", 2024), 2)  # 1000 × 100 / 69.549775
    1437.82
    >>> deflate(100, 2024, 2024)
    100.0
    >>> deflate(100, 1989, 2024)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: price year 1989 is outside the hmt-gdp-2025-12 deflator series (calendar years 1990–2024 and ...)
    """
    data = load_series(series)
    return amount * data.index(to_year) / data.index(from_year)
