"""The per-participant cap on outcome payments, in expectation.

A participant's total payable outcome payments ``S`` is a random variable: each unconditional outcome is achieved
with its probability (or, with ``limit`` n > 1, a Binomial(n, a/n) number of times), and a chained outcome only
by those who achieved the outcome it follows, with its conditional probability; separate chains are independent.
The cap pays ``min(cap, S)``. wellspent computes the exact distribution of ``S`` on a grid of prices (the
greatest common divisor of the prices, or a coarser step for very fine price grids) by convolving the chains'
distributions, and scales every outcome payment by ``E[min(cap, S)] / E[S]`` — exact in total, pro rata in
timing (a real cap cuts a participant's *last* payments). See ADR 0008.
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_GRID = 20_000
"""Most grid points for the payment distribution; finer price grids are coarsened (and so approximate)."""


def price_grid(prices: FloatArray, limits: IntArray) -> tuple[float, IntArray, int]:
    """The grid step (£), each price in grid steps, and the grid size covering every possible total.

    >>> step, units, size = price_grid(np.array([500.0, 1500.0, 250.0]), np.array([1, 1, 2]))
    >>> step, units.tolist(), size
    (250.0, [2, 6, 1], 11)
    """
    pence = np.round(prices * 100).astype(np.int64)
    positive = [int(v) for v in pence if v > 0]
    step_pence = reduce(math.gcd, positive) if positive else 1
    total_pence = int((pence * limits).sum())
    if total_pence // step_pence + 1 > MAX_GRID:
        step_pence = math.ceil(total_pence / (MAX_GRID - 1))
    units = np.round(pence / step_pence).astype(np.int64)
    size = int((units * limits).sum()) + 1
    return step_pence / 100.0, units, size


SPARSE_COLUMNS = 64
"""Convolve by shifting when one distribution has at most this many possible totals (exact and, for the short
chains of real rate cards, much faster than an FFT over every draw); otherwise use an FFT."""


def _convolve(a: FloatArray, b: FloatArray, n_fft: int, size: int) -> FloatArray:
    """Distribution of the sum of two independent totals, row by row (each row is one draw), truncated to size."""
    columns_a = np.flatnonzero(a.any(axis=0))
    columns_b = np.flatnonzero(b.any(axis=0))
    if columns_b.size > columns_a.size:
        a, b, columns_b = b, a, columns_a
    if columns_b.size <= SPARSE_COLUMNS:
        out = np.zeros_like(a)
        for j in columns_b:
            if j < size:
                out[:, j:] += a[:, : size - j] * b[:, j : j + 1]
        return out
    fft = np.fft.irfft(np.fft.rfft(a, n_fft, axis=1) * np.fft.rfft(b, n_fft, axis=1), n_fft, axis=1)[:, :size]
    result: FloatArray = np.clip(fft, 0.0, None)
    return result


def payment_distribution(probability: FloatArray, price_units: IntArray, limit: IntArray, parent: IntArray,
                         size: int) -> FloatArray:
    """P(S = g grid steps) for each draw, shape (D, size).

    ``probability`` (D, O): unconditional outcomes — expected achievements per participant (≤ limit); chained —
    probability given the parent. Outcomes are ordered so that parents come before their children.
    """
    draws, outcomes = probability.shape
    n_fft = 1 << max(1, (2 * size - 1).bit_length())
    delta = np.zeros((draws, size))
    delta[:, 0] = 1.0
    children: dict[int, list[int]] = {o: [] for o in range(outcomes)}
    for o in range(outcomes):
        if parent[o] >= 0:
            children[int(parent[o])].append(o)

    def subtree(o: int) -> FloatArray:
        below = delta
        for child in children[o]:
            below = _convolve(below, subtree(child), n_fft, size)
        k, n = int(price_units[o]), int(limit[o])
        if n == 1:
            p = probability[:, o][:, None]
            shifted = np.zeros_like(below)
            if k < size:
                shifted[:, k:] = below[:, : size - k]
            return (1.0 - p) * delta + p * shifted
        q = probability[:, o] / n  # Binomial(n, q) achievements of a leaf outcome
        dist = np.zeros((draws, size))
        for j in range(n + 1):
            if j * k < size:
                dist[:, j * k] += math.comb(n, j) * q**j * (1.0 - q) ** (n - j)
        return dist

    total = delta
    for o in range(outcomes):
        if parent[o] < 0:
            total = _convolve(total, subtree(o), n_fft, size)
    return total


def cap_factor(probability: FloatArray, prices: FloatArray, limit: IntArray, parent: IntArray,
               cap: FloatArray) -> FloatArray:
    """``E[min(cap, S)] / E[S]`` per draw (1 where there is no cap or nothing is expected to be paid)."""
    factor = np.ones(probability.shape[0])
    capped = np.isfinite(cap)
    if not capped.any():
        return factor
    step, units, size = price_grid(prices, limit)
    dist = payment_distribution(probability[capped], units, limit, parent, size)
    totals = np.arange(size) * step
    expected = dist @ totals
    expected_capped = (dist * np.minimum(totals[None, :], cap[capped][:, None])).sum(axis=1)
    ratio = np.ones_like(expected)
    np.divide(expected_capped, expected, out=ratio, where=expected > 0)
    factor[capped] = np.minimum(ratio, 1.0)
    return factor
