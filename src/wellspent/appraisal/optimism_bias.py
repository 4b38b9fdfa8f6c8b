"""Optimism-bias corrections on benefits by confidence grade (GMCA / HM Treasury 2014 CBA guidance for local
partnerships; Green Book 2018 §5.43–5.46 and footnote 11).

The default grade → correction table below (grades 1–6 → 0%, 5%, 10%, 15%, 25%, 40%) is the one commonly cited
for the HM Treasury (2014) *Supporting public service transformation: cost benefit analysis guidance for local
partnerships*. It has **not** been verified against the primary text (research/methods-facts.md §2.3): it ships
flagged, results that use it say so, and a spec can override any grade with
``optimism_bias: {benefits_by_confidence: {1: 0.0, …}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_BENEFIT_CORRECTIONS: dict[int, float] = {1: 0.0, 2: 0.05, 3: 0.10, 4: 0.15, 5: 0.25, 6: 0.40}
DEFAULT_TABLE_VERIFIED = False
DEFAULT_TABLE_NOTE = (
    "optimism-bias corrections on benefits by confidence grade use wellspent's default table "
    "(grades 1–6 → 0%, 5%, 10%, 15%, 25%, 40%), commonly cited for HM Treasury's 2014 CBA guidance for local "
    "partnerships but not verified against the primary text; override it with "
    "optimism_bias.benefits_by_confidence"
)


def benefit_correction(grade: int, overrides: Mapping[int, float] | None) -> tuple[float, bool]:
    """The correction (a fraction of the value removed) for a confidence ``grade``, and whether it came from
    the unverified default table.

    >>> benefit_correction(4, None)
    (0.15, True)
    >>> benefit_correction(4, {4: 0.2})
    (0.2, False)
    """
    if overrides is not None and grade in overrides:
        return float(overrides[grade]), False
    return DEFAULT_BENEFIT_CORRECTIONS[grade], True
