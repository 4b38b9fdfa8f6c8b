"""Rendering shared by the commands: JSON on stdout, problems on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from wellspent.errors import InputError


def print_json(document: Any) -> None:
    """Print ``document`` as JSON (UTF-8, 2-space indent) and nothing else."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def report_problems(exc: InputError) -> None:
    """Write every problem to stderr, one a line, after a one-line summary."""
    count = len(exc.problems)
    sys.stderr.write(f"wellspent: {count} problem{'s' if count != 1 else ''} in the input:\n")
    for problem in exc.problems:
        sys.stderr.write(f"  {problem}\n")


def money(value: float | None) -> str:
    """£ with thousands separators, no pence: ``money(1234567.8)`` → ``'£1,234,568'``.

    >>> money(-1234.5)
    '-£1,234'
    >>> money(None)
    '—'
    """
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.0f}"


def ratio(value: float | None) -> str:
    """A ratio to two decimals, or a dash when undefined."""
    return "—" if value is None else f"{value:.2f}"
