"""Numbers for JSON result documents: NaN and infinities (undefined ratios, IRRs) become null."""

from __future__ import annotations

import math


def finite_or_none(value: float) -> float | None:
    """``value`` as a float, or None when it is NaN or infinite.

    >>> finite_or_none(1.5), finite_or_none(float("nan")), finite_or_none(float("inf"))
    (1.5, None, None)
    """
    number = float(value)
    return number if math.isfinite(number) else None
