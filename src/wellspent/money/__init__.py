"""Money and time: price bases (GDP deflators) and Green Book discounting."""

from wellspent.money.deflators import (
    DEFAULT_SERIES,
    DeflatorSeries,
    PriceYear,
    deflate,
    load_series,
    parse_price_year,
)
from wellspent.money.discounting import (
    DiscountSchedule,
    discount_factors,
    load_schedule,
    resolve_discounting,
)

__all__ = [
    "DEFAULT_SERIES",
    "DeflatorSeries",
    "DiscountSchedule",
    "PriceYear",
    "deflate",
    "discount_factors",
    "load_schedule",
    "load_series",
    "parse_price_year",
    "resolve_discounting",
]
