"""Price bases and discounting against published and hand-worked values."""

from __future__ import annotations

import math

import pytest

from wellspent.money import deflate, discount_factors, load_series, parse_price_year


def test_financial_year_maps_to_nine_and_three_months() -> None:
    # ADR 0003: FY 2010/11 = 0.75 × calendar 2010 + 0.25 × calendar 2011 on a calendar-year series.
    series = load_series()
    assert math.isclose(series.index("2010/11"), 0.75 * 69.1217 + 0.25 * 70.834, rel_tol=1e-12)
    assert math.isclose(deflate(1000, "2010/11", 2024), 1000 * 100 / (0.75 * 69.1217 + 0.25 * 70.834))


def test_financial_year_needs_both_calendar_years() -> None:
    with pytest.raises(ValueError, match="outside"):
        deflate(1, "2024/25", 2024)


def test_financial_series_refuses_calendar_years() -> None:
    with pytest.raises(ValueError, match="financial year"):
        load_series("gmca-ucd-1.4").index(2010)


def test_round_trip() -> None:
    amount = deflate(deflate(123.45, 1995, "2012/13"), "2012/13", 1995)
    assert math.isclose(amount, 123.45, rel_tol=1e-12)


@pytest.mark.parametrize("bad", ["2010-11", "10/11", "2010/2011", "twenty", True])
def test_bad_price_years(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_price_year(bad)  # type: ignore[arg-type]


# NI Guide to Expenditure Appraisal and Evaluation, Annex 4 Table 1 "Discount factors @ 3.5%" (declining
# schedule), research/methods-facts.md §1.2.
NI_GUIDE = {0: 1.0, 1: 0.9662, 2: 0.9335, 3: 0.9019, 5: 0.8420, 10: 0.7089, 20: 0.5026, 30: 0.3563,
            40: 0.2651, 50: 0.1973, 60: 0.1468, 75: 0.0942, 100: 0.0508, 125: 0.0274, 150: 0.0167,
            200: 0.0062, 250: 0.0029, 300: 0.0014, 350: 0.0009, 400: 0.0005, 500: 0.0002}


@pytest.mark.parametrize("year", sorted(NI_GUIDE))
def test_green_book_factors_match_published_table(year: int) -> None:
    assert round(float(discount_factors("green-book", 501)[year]), 4) == NI_GUIDE[year]


def test_health_schedule() -> None:
    # methods-facts §1.2: DF(1) = 0.9852, DF(10) = 0.8617, DF(30) = 0.6398, DF(50) = 0.4951, DF(100) = 0.2754
    df = discount_factors("health", 101)
    assert [round(float(df[t]), 4) for t in (1, 10, 30, 50, 100)] == [0.9852, 0.8617, 0.6398, 0.4951, 0.2754]
