"""Uncertain spec inputs: probability distributions written in place of numbers (see docs/uncertainty.md)."""

from wellspent.uncertainty.distributions import (
    FAMILIES,
    AnyDistribution,
    Beta,
    Ci95,
    Distribution,
    DistributionError,
    Lognormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    check_within,
    is_distribution,
    parse_distribution,
)

__all__ = [
    "FAMILIES",
    "AnyDistribution",
    "Beta",
    "Ci95",
    "Distribution",
    "DistributionError",
    "Lognormal",
    "Normal",
    "Pert",
    "Triangular",
    "Uniform",
    "check_within",
    "is_distribution",
    "parse_distribution",
]
