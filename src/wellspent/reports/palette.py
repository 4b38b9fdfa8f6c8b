"""The colour-blind-safe palette and the shared chart style (fonts and sizes for A4 pages and WeasyPrint).

Colours: Okabe, M. & Ito, K. (2008) *Color Universal Design (CUD): how to make figures and presentations that are
friendly to colorblind people*, https://jfly.uni-koeln.de/color/ — eight colours distinguishable under the
common forms of colour-vision deficiency. Charts never rely on colour alone: lines also differ in dash pattern and
every series is named in a legend or label.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

import altair as alt

OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe & Ito (2008) palette, hex sRGB."""

NEUTRALS: Final[dict[str, str]] = {
    "background": "#FFFFFF",
    "grid": "#DDDDDD",
    "axis": "#595959",
    "text": "#000000",
}
"""Greys for the page, grid lines, axes and text (not data colours)."""

ALLOWED_COLOURS: Final[frozenset[str]] = frozenset(c.upper() for c in (*OKABE_ITO.values(), *NEUTRALS.values()))
"""Every colour a rendered chart may contain (upper-case hex)."""

# What each colour means, the same in every chart.
COSTS: Final = OKABE_ITO["vermillion"]
FISCAL: Final = OKABE_ITO["blue"]
PUBLIC_VALUE: Final = OKABE_ITO["bluish_green"]
CASHABLE: Final = OKABE_ITO["sky_blue"]
PROVIDER: Final = OKABE_ITO["orange"]
INVESTOR: Final = OKABE_ITO["reddish_purple"]
MARKER: Final = OKABE_ITO["black"]

SERIES: Final[tuple[str, ...]] = (
    OKABE_ITO["blue"], OKABE_ITO["sky_blue"], OKABE_ITO["bluish_green"], OKABE_ITO["yellow"],
    OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["vermillion"], OKABE_ITO["black"],
)
"""Colours in order for categories with no fixed meaning (payers, sectors)."""

FONT: Final = "DejaVu Sans"
"""A font WeasyPrint and vl-convert both have (DejaVu ships with most Linux distributions)."""

WIDTH: Final = 520
"""Plot width in CSS px: with axis labels a chart fits the 170 mm text width of an A4 page at 96 px/in."""
HEIGHT: Final = 240
"""Plot height in CSS px."""

ChartT = TypeVar("ChartT", alt.Chart, alt.LayerChart)


def config() -> dict[str, Any]:
    """The Vega-Lite ``config`` block every chart carries: font, sizes, neutral greys and the palette as the
    default category range."""
    return {
        "font": FONT,
        "background": NEUTRALS["background"],
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "title": {"fontSize": 14, "subtitleFontSize": 11, "anchor": "start", "color": NEUTRALS["text"],
                  "subtitleColor": NEUTRALS["text"], "offset": 8},
        "axis": {"labelFontSize": 10, "titleFontSize": 11, "labelColor": NEUTRALS["text"],
                 "titleColor": NEUTRALS["text"], "gridColor": NEUTRALS["grid"], "domainColor": NEUTRALS["axis"],
                 "tickColor": NEUTRALS["axis"], "titleFontWeight": "normal"},
        "legend": {"labelFontSize": 10, "titleFontSize": 11, "labelColor": NEUTRALS["text"],
                   "titleColor": NEUTRALS["text"], "orient": "bottom", "direction": "horizontal",
                   "titleFontWeight": "normal", "symbolStrokeWidth": 2, "labelLimit": 320},
        "text": {"fontSize": 10, "color": NEUTRALS["text"]},
        "range": {"category": list(SERIES)},
        "mark": {"color": OKABE_ITO["blue"]},
        "locale": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]}},
    }


def styled(chart: ChartT) -> ChartT:
    """``chart`` with the shared configuration applied (top-level charts only)."""
    styled_chart: ChartT = chart.properties(config=config())
    return styled_chart
