"""Green Book discounting: named, versioned discount-rate schedules and discount factors.

Discount factors follow DESIGN §2 and the Green Book convention (Green Book 2018 §5.55 and Annex A6; NI Guide
to Expenditure Appraisal, Annex 4 Table 1): ``DF_0 = 1`` (the first year of the proposal is undiscounted) and
``DF_t = DF_{t-1} / (1 + r_t)`` where ``r_t`` is the rate of the band that year ``t`` falls in. A band's rate
applies only to the years inside it (a cumulative product), not to the whole horizon.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import yaml

DEFAULT_EDITION = "green-book-2022"

ALIASES: dict[str, tuple[str, str]] = {
    "green-book": (DEFAULT_EDITION, "standard"),
    "health": (DEFAULT_EDITION, "health"),
    "green-book-health": (DEFAULT_EDITION, "health"),
    "green-book-2022": ("green-book-2022", "standard"),
    "green-book-2022-health": ("green-book-2022", "health"),
}
"""Names a spec may give for ``discounting:``. ``green-book`` means the newest edition verified against its
primary text (DESIGN §2): ``green-book-2022`` until a newer one is verified."""


@dataclass(frozen=True)
class Band:
    """Rate ``rate`` (a fraction per year) for years ``first_year`` … ``last_year`` (None: for ever)."""

    first_year: int
    last_year: int | None
    rate: float


@dataclass(frozen=True)
class DiscountSchedule:
    """A declining discount-rate schedule: ``name`` such as ``green-book-2022/standard``."""

    name: str
    source: str
    bands: tuple[Band, ...]

    def rates(self, horizon: int) -> npt.NDArray[np.float64]:
        """``r_t`` for ``t = 0 … horizon-1``; ``r_0`` is 0 because year 0 is undiscounted.

        >>> load_schedule("green-book").rates(3).tolist()
        [0.0, 0.035, 0.035]
        """
        years = np.arange(horizon)
        rates = np.zeros(horizon)
        for band in self.bands:
            last = band.last_year if band.last_year is not None else horizon
            rates[(years >= band.first_year) & (years <= last)] = band.rate
        return rates


def constant_schedule(rate: float) -> DiscountSchedule:
    """A flat schedule, e.g. ``constant_schedule(0.035)``; ``rate`` is a fraction per year."""
    return DiscountSchedule(name=f"constant-{rate:g}", source="constant rate given in the spec",
                            bands=(Band(1, None, rate),))


@cache
def load_schedule(name: str) -> DiscountSchedule:
    """Load a named schedule: ``green-book``, ``health``, or ``EDITION`` / ``EDITION-health``.

    >>> load_schedule("green-book").name
    'green-book-2022/standard'
    >>> load_schedule("green-book-2019")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown discounting 'green-book-2019'; use a rate such as 0.035 or one of: green-book, ...
    """
    if name not in ALIASES:
        raise ValueError(
            f"unknown discounting {name!r}; use a rate such as 0.035 or one of: {', '.join(sorted(ALIASES))}"
        )
    edition, variant = ALIASES[name]
    path = resources.files("wellspent") / "data" / "discounting" / f"{edition}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bands = tuple(
        Band(int(b["first_year"]), None if b["last_year"] is None else int(b["last_year"]), float(b["rate"]))
        for b in data["schedules"][variant]
    )
    return DiscountSchedule(name=f"{edition}/{variant}", source=" ".join(str(data["source"]).split()),
                            bands=bands)


def resolve_discounting(discounting: str | float) -> DiscountSchedule:
    """A spec's ``discounting:`` value, a schedule name or a constant rate, as a schedule."""
    if isinstance(discounting, str):
        return load_schedule(discounting)
    return constant_schedule(float(discounting))


def discount_factors(discounting: str | float | DiscountSchedule, horizon: int) -> npt.NDArray[np.float64]:
    """Discount factors ``DF_t`` for ``t = 0 … horizon-1`` (DESIGN §2, Green Book Annex A6).

    Checked against the NI Guide to Expenditure Appraisal, Annex 4 Table 1 ("Discount factors @ 3.5%"):

    >>> df = discount_factors("green-book", 101)
    >>> [round(float(df[t]), 4) for t in (0, 1, 10, 30, 100)]
    [1.0, 0.9662, 0.7089, 0.3563, 0.0508]
    >>> round(float(discount_factors("health", 31)[30]), 4)
    0.6398
    >>> round(float(discount_factors(0.05, 3)[2]), 6)   # 1 / 1.05²
    0.907029
    """
    schedule = discounting if isinstance(discounting, DiscountSchedule) else resolve_discounting(discounting)
    growth = 1.0 + schedule.rates(horizon)
    factors: npt.NDArray[np.float64] = np.divide(1.0, np.cumprod(growth))
    return factors
