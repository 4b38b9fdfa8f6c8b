"""Number formatting for reports, in British English: £ with thousands separators, ratios, percentages.

Every function takes ``None`` (an undefined figure, e.g. a BCR with no costs, or an IRR with nothing invested) and
returns :data:`UNDEFINED` for it. Negative amounts use the minus sign U+2212 (``−£1,234``) so screen readers
and print read them as negative, not as a hyphen.
"""

from __future__ import annotations

import math

UNDEFINED = "not defined"
"""What a report shows for a figure that has no value (a ratio with a zero denominator, an IRR never reached)."""

MINUS = "\u2212"


def _defined(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def money(value: float | None) -> str:
    """Whole pounds with thousands separators (no pence): the price year goes beside it, not inside it.

    >>> money(644447.92)
    '£644,448'
    >>> money(-1234.5)
    '−£1,234'
    >>> money(0.4)
    '£0'
    >>> money(None)
    'not defined'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    rounded = round(value)
    if rounded == 0:
        return "£0"
    sign = MINUS if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.0f}"


def money_exact(value: float | None) -> str:
    """Pounds and pence, for unit values and prices below £1,000 where pence matter.

    >>> money_exact(1863.3667)
    '£1,863.37'
    >>> money_exact(-0.5)
    '−£0.50'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    sign = MINUS if value < 0 and round(abs(value), 2) > 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def ratio(value: float | None, digits: int = 2) -> str:
    """A ratio such as a BCR or a money multiple, to ``digits`` decimals.

    >>> ratio(1.446955)
    '1.45'
    >>> ratio(-0.5)
    '−0.50'
    >>> ratio(None)
    'not defined'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    text = f"{abs(value):.{digits}f}"
    negative = value < 0 and float(text) != 0.0
    return f"{MINUS if negative else ''}{text}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage, at most ``digits`` decimals, trailing zeros dropped.

    >>> percent(0.15)
    '15%'
    >>> percent(0.035)
    '3.5%'
    >>> percent(0.0717274)
    '7.2%'
    >>> percent(-0.456)
    '−45.6%'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    return _trimmed(value * 100.0, digits) + "%"


def number(value: float | None, digits: int = 2) -> str:
    """A count or quantity with thousands separators, at most ``digits`` decimals, trailing zeros dropped.

    >>> number(67.5)
    '67.5'
    >>> number(1234.0)
    '1,234'
    >>> number(0.125, 3)
    '0.125'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    return _trimmed(value, digits)


def factor(value: float | None, digits: int = 4) -> str:
    """A multiplier such as a discount factor or a deflator ratio, to a fixed ``digits`` decimals.

    >>> factor(0.966183574)
    '0.9662'
    """
    if value is None or not _defined(value):
        return UNDEFINED
    return f"{value:.{digits}f}"


def _trimmed(value: float, digits: int) -> str:
    text = f"{abs(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = value < 0 and text.strip("0.,") != ""
    return f"{MINUS if negative else ''}{text}"
