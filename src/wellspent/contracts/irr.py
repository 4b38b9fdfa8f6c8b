"""Investor IRR on dated cash flows: XIRR through pyxirr (Excel's XIRR convention: actual/365 day count).

pyxirr solves one cash flow at a time; a plain loop over draws is still the fastest route (stack notes: 10,000
ten-period flows in ~27 ms).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pyxirr

FloatArray = npt.NDArray[np.float64]


def xirr(dates: Sequence[date], flows: Sequence[float] | FloatArray) -> float:
    """The annual rate r with Σ flow_i / (1 + r)^((date_i − date_0) / 365) = 0.

    Excel's documented XIRR example (Microsoft support, "XIRR function": 0.373362535, shown as 37.34%):

    >>> round(xirr([date(2008, 1, 1), date(2008, 3, 1), date(2008, 10, 30), date(2009, 2, 15),
    ...             date(2009, 4, 1)], [-10000, 2750, 4250, 3250, 2750]), 6)
    0.373363

    Conventions: NaN when nothing is invested; −1 (−100%) when money went in and nothing came back.
    """
    values = np.asarray(flows, dtype=np.float64)
    if not (values < 0).any():
        return math.nan
    if not (values > 0).any():
        return -1.0
    try:
        rate = pyxirr.xirr(list(dates), values)
    except pyxirr.InvalidPaymentsError:
        return math.nan
    return math.nan if rate is None else float(rate)


def xirr_many(dates: Sequence[date], flows: FloatArray) -> FloatArray:
    """XIRR of each row of ``flows`` (D, P) on the same ``dates``."""
    dated = list(dates)
    return np.asarray([xirr(dated, row) for row in flows], dtype=np.float64)
