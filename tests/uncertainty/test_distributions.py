"""Distributions for uncertain spec inputs: sampling against closed forms, quantiles, the ci95 fit and the errors.

Sampling checks draw n = 200,000 values with a fixed seed and allow 5 standard errors. The standard error of a
sample mean is taken as the sample sd / √n. For a quantile at level p, the test checks the share of draws at or below
the exact quantile, whose standard error is √(p(1 − p)/n) whatever the distribution. Each expected value is worked
out in the comments from textbook formulas. The test uses ``math`` and ``statistics.NormalDist`` for them, not the
scipy code under test.
"""

from __future__ import annotations

import math
import time
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from wellspent.uncertainty import (
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

N = 200_000
SEED = 20_250_601
Z975 = NormalDist().inv_cdf(0.975)  # 1.959963984540054
STD = NormalDist()


def phi(z: float) -> float:
    """Standard normal density φ(z)."""
    return 0.0 if math.isinf(z) else math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def big_phi(z: float) -> float:
    """Standard normal CDF Φ(z) = (1 + erf(z/√2))/2."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def draws(dist: Distribution, seed: int = SEED, n: int = N) -> np.ndarray[Any, np.dtype[np.float64]]:
    return dist.sample(np.random.default_rng(seed), n)


def assert_sample_mean(dist: Distribution, expected: float) -> None:
    x = draws(dist)
    se = x.std(ddof=1) / math.sqrt(len(x))
    assert abs(x.mean() - expected) <= 5 * se, (dist.describe(), x.mean(), expected, se)


def assert_quantile(dist: Distribution, p: float, x_p: float) -> None:
    """``x_p`` is the exact p-quantile: ppf agrees, and about a share p of the draws lie at or below it."""
    assert float(dist.ppf(p)) == pytest.approx(x_p, rel=1e-9, abs=1e-12)
    share = float(np.mean(draws(dist) <= x_p))
    assert abs(share - p) <= 5 * math.sqrt(p * (1 - p) / N), (dist.describe(), p, share)


# --- the families against closed forms -------------------------------------------------------------------------------


def test_triangular() -> None:
    d = parse_distribution({"dist": "triangular", "low": 0.02, "mode": 0.05, "high": 0.12})
    assert isinstance(d, Triangular)
    # mean (low + mode + high)/3 = 0.19/3
    assert d.mean == pytest.approx(0.19 / 3)
    assert d.central == 0.05
    assert d.support == (0.02, 0.12)
    assert_sample_mean(d, 0.19 / 3)
    # F(mode) = (mode − low)/(high − low) = 0.3 < 0.5, so the median is on the right branch:
    # high − √(0.5·(high − low)(high − mode)) = 0.12 − √(0.5·0.1·0.07)
    assert_quantile(d, 0.5, 0.12 - math.sqrt(0.5 * 0.1 * 0.07))
    # the 10% point is on the left branch: low + √(0.1·(high − low)(mode − low)) = 0.02 + √(0.1·0.1·0.03)
    assert_quantile(d, 0.1, 0.02 + math.sqrt(0.1 * 0.1 * 0.03))
    assert d.describe() == "triangular(0.02, 0.05, 0.12)"


def test_pert() -> None:
    d = parse_distribution({"dist": "pert", "low": 0.02, "mode": 0.05, "high": 0.12})
    assert isinstance(d, Pert)
    # λ = 4: mean (low + 4·mode + high)/6 = (0.02 + 0.2 + 0.12)/6 = 0.34/6
    assert d.mean == pytest.approx(0.34 / 6)
    assert d.central == 0.05
    # α = 1 + 4·0.03/0.1 = 2.2, β = 1 + 4·0.07/0.1 = 3.8
    assert (d.alpha, d.beta) == pytest.approx((2.2, 3.8))
    assert_sample_mean(d, 0.34 / 6)
    assert d.describe() == "pert(0.02, 0.05, 0.12)"


def test_pert_other_lambda_and_symmetric_median() -> None:
    d = parse_distribution({"dist": "pert", "low": 10, "mode": 20, "high": 30, "lambda": 2})
    assert isinstance(d, Pert)
    # λ = 2: mean (10 + 2·20 + 30)/4 = 20; symmetric (α = β = 2), so the median is the mode, 20
    assert d.mean == pytest.approx(20.0)
    assert_quantile(d, 0.5, 20.0)
    # α = β = 2 is Beta(2, 2) on [10, 30]: F(u) = 3u² − 2u³ at u = (x − 10)/20; F(0.25) = 0.15625 at x = 15
    assert float(d.cdf(15.0)) == pytest.approx(0.15625)
    assert_sample_mean(d, 20.0)
    assert d.describe() == "pert(10, 20, 30, lambda=2)"


def test_uniform() -> None:
    d = parse_distribution({"dist": "uniform", "low": 100, "high": 300})
    assert isinstance(d, Uniform)
    # mean (low + high)/2 = 200; quantile low + q(high − low)
    assert d.mean == d.central == 200.0
    assert_sample_mean(d, 200.0)
    assert_quantile(d, 0.25, 150.0)
    assert_quantile(d, 0.9, 280.0)


def test_beta_unit_and_scaled() -> None:
    d = parse_distribution({"dist": "beta", "alpha": 2, "beta": 6})
    # mean α/(α + β) = 0.25
    assert d.mean == d.central == pytest.approx(0.25)
    assert d.support == (0.0, 1.0)
    assert_sample_mean(d, 0.25)
    scaled = parse_distribution({"dist": "beta", "alpha": 2, "beta": 6, "low": 100, "high": 200})
    # scaled: low + (high − low)·α/(α + β) = 100 + 100·0.25
    assert scaled.mean == pytest.approx(125.0)
    assert_sample_mean(scaled, 125.0)
    assert scaled.describe() == "beta(2, 6) on [100, 200]"
    # Beta(2, 1) has F(x) = x², so its q-quantile is √q; Beta(1, 3) has F(x) = 1 − (1 − x)³
    assert_quantile(Beta(alpha=2, beta=1), 0.3, math.sqrt(0.3))
    assert_quantile(Beta(alpha=1, beta=3), 0.7, 1 - 0.3 ** (1 / 3))
    # U-shaped (α, β < 1) still samples: Beta(0.5, 0.5) has mean 0.5 and F(x) = (2/π)·asin(√x)
    arcsine = Beta(alpha=0.5, beta=0.5)
    assert_sample_mean(arcsine, 0.5)
    assert_quantile(arcsine, 0.2, math.sin(0.2 * math.pi / 2) ** 2)


def test_lognormal_by_median_and_by_log_scale() -> None:
    d = parse_distribution({"dist": "lognormal", "median": 100, "gsd": 2})
    assert isinstance(d, Lognormal)
    mu, sigma = math.log(100), math.log(2)
    # median exp(μ) = 100, mean exp(μ + σ²/2)
    assert d.central == 100.0
    assert d.mean == pytest.approx(math.exp(mu + sigma**2 / 2))
    assert_sample_mean(d, math.exp(mu + sigma**2 / 2))
    assert_quantile(d, 0.5, 100.0)
    # the 97.5% point is median·gsd^1.96
    assert_quantile(d, 0.975, 100.0 * 2.0**Z975)
    same = parse_distribution({"dist": "lognormal", "mu": mu, "sigma": sigma})
    assert same.central == pytest.approx(100.0)
    assert same.mean == pytest.approx(d.mean)
    assert np.allclose(draws(same), draws(d))
    assert same.describe() == f"lognormal(mu {mu:.6g}, sigma {sigma:.6g})"
    assert d.describe() == "lognormal(median 100, gsd 2)"


def test_normal() -> None:
    d = parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.02})
    assert isinstance(d, Normal)
    assert d.mean == d.central == 0.1
    assert d.support == (-math.inf, math.inf)
    assert_sample_mean(d, 0.1)
    # μ + σ·z_q
    assert_quantile(d, 0.5, 0.1)
    assert_quantile(d, 0.975, 0.1 + 0.02 * Z975)
    assert_quantile(d, 0.1, 0.1 + 0.02 * STD.inv_cdf(0.1))


def truncated_mean(mu: float, sd: float, low: float, high: float) -> float:
    """Textbook truncated normal mean: μ + σ(φ(a) − φ(b))/(Φ(b) − Φ(a)), with a = (low − μ)/σ, b = (high − μ)/σ."""
    a, b = (low - mu) / sd, (high - mu) / sd
    return mu + sd * (phi(a) - phi(b)) / (big_phi(b) - big_phi(a))


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (0.0, math.inf),  # one-sided, the usual "a rate can't be negative"
        (-math.inf, 0.15),  # truncated above
        (0.0, 0.15),  # both sides
        (0.15, 0.2),  # both bounds above the mean (sampled mirrored)
        (0.19, math.inf),  # far upper tail: a = 4.5 standard deviations, keeping Φ(−4.5) = 3.4e-6 of the normal
        (-math.inf, 0.01),  # far lower tail: b = −4.5 standard deviations
    ],
)
def test_truncated_normal(low: float, high: float) -> None:
    spec: dict[str, Any] = {"dist": "normal", "mean": 0.1, "sd": 0.02}
    if math.isfinite(low):
        spec["low"] = low
    if math.isfinite(high):
        spec["high"] = high
    d = parse_distribution(spec)
    expected = truncated_mean(0.1, 0.02, low, high)
    assert d.mean == pytest.approx(expected, rel=1e-9)
    # central: the given mean clipped into [low, high]
    assert d.central == min(max(0.1, low), high)
    assert d.support == (low, high)
    x = draws(d)
    assert x.min() >= low and x.max() <= high
    assert_sample_mean(d, expected)
    # the median: Φ⁻¹ of the midpoint of [Φ(a), Φ(b)]; the lower-tail case is computed on the mirror image
    a, b = (low - 0.1) / 0.02, (high - 0.1) / 0.02
    if a > 0:
        median = 0.1 - 0.02 * STD.inv_cdf((STD.cdf(-b) + STD.cdf(-a)) / 2)
    else:
        median = 0.1 + 0.02 * STD.inv_cdf((STD.cdf(a) + STD.cdf(b)) / 2)
    assert float(d.ppf(0.5)) == pytest.approx(median, rel=1e-7)
    share = float(np.mean(x <= median))
    assert abs(share - 0.5) <= 5 * math.sqrt(0.25 / N)


def test_truncated_normal_with_mean_outside_bounds() -> None:
    d = parse_distribution({"dist": "normal", "mean": 0, "sd": 1, "low": 1, "high": 2})
    assert d.central == 1.0  # the mean clipped into [1, 2]
    assert d.mean == pytest.approx(truncated_mean(0, 1, 1, 2))
    assert d.describe() == "normal(mean 0, sd 1) truncated to [1, 2]"


# --- the central estimate with a 95% interval -----------------------------------------------------------------------


CI95_CASES = [
    # (central, lo, hi, fitted family)
    (100.0, 80.0, 120.0, Normal),  # symmetric
    (100.1, 80.0, 120.0, Normal),  # (119.9 − 100.1) − (100.1 − 80) = −0.2: 0.5% of the width, symmetric enough
    # (119.7 − 100.3) − (100.3 − 80) = −0.6: 1.5% of the width, not symmetric; and 100.3 is 0.23σ above the
    # geometric mean √(80·120) = 97.98 on the log scale (σ = ln 1.5/3.92), outside the 45–55th percentiles
    (100.3, 80.0, 120.0, Triangular),
    (0.0, -1.0, 1.0, Normal),  # symmetric about 0
    (0.05, 0.02, 0.12, Lognormal),  # geometric mean 0.04899: 0.05 is at the 52nd percentile
    (1.5, 1.1, 2.0, Lognormal),  # a rounded relative risk: geometric mean 1.483
    (500.0, 400.0, 800.0, Triangular),  # right-skewed but not log-symmetric (geometric mean 566)
    (500.0, 300.0, 650.0, Triangular),  # left-skewed
    (0.05, -0.01, 0.12, Triangular),  # interval reaching below 0
    (0.0, -0.05, 0.2, Triangular),  # central at 0
    (2.0, 2.0, 5.0, Triangular),  # central at the lower end: mode = lower end
    (5.0, 2.0, 5.0, Triangular),  # central at the upper end
]


@pytest.mark.parametrize(("x", "lo", "hi", "family"), CI95_CASES)
def test_ci95_fit_reproduces_the_interval(x: float, lo: float, hi: float, family: type) -> None:
    d = parse_distribution({"central": x, "ci95": [lo, hi]})
    assert isinstance(d, Ci95)
    assert isinstance(d.fitted, family), d.fit_note
    assert d.central == x
    scale = max(abs(lo), abs(hi), hi - lo)
    q_lo, q_hi = np.asarray(d.ppf([0.025, 0.975]))
    assert abs(q_lo - lo) <= 1e-6 * scale and abs(q_hi - hi) <= 1e-6 * scale, (d.describe(), q_lo, q_hi)
    if family is Normal:
        # the midpoint is the median, within 0.5% of the width of x
        assert abs(float(d.ppf(0.5)) - x) <= 0.005 * (hi - lo)
    elif family is Lognormal:
        # median √(lo·hi); x within its 45th–55th percentiles
        assert float(d.ppf(0.5)) == pytest.approx(math.sqrt(lo * hi))
        assert 0.45 <= float(d.cdf(x)) <= 0.55
    else:
        assert isinstance(d.fitted, Triangular) and d.fitted.mode == x
    x_draws = draws(d)
    for level, end in ((0.025, lo), (0.975, hi)):
        share = float(np.mean(x_draws <= end))
        assert abs(share - level) <= 5 * math.sqrt(level * (1 - level) / N)
    assert d.mean == pytest.approx(d.fitted.mean)
    assert d.support == d.fitted.support
    assert d.fit_note


def test_ci95_triangular_fit_over_many_intervals() -> None:
    """The widened-triangular solve hits both ends for mode anywhere in the interval, at any scale and sign."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        scale = 10.0 ** rng.uniform(-6, 7)
        lo = rng.uniform(-1, 1) * scale
        hi = lo + rng.uniform(0.01, 2) * scale
        x = lo + rng.beta(0.5, 0.5) * (hi - lo)
        d = parse_distribution({"central": float(x), "ci95": [float(lo), float(hi)]})
        assert isinstance(d, Ci95)
        q_lo, q_hi = np.asarray(d.ppf([0.025, 0.975]))
        width = max(abs(lo), abs(hi), hi - lo)
        assert abs(q_lo - lo) <= 1e-6 * width and abs(q_hi - hi) <= 1e-6 * width, d.describe()


def test_ci95_describe() -> None:
    d = parse_distribution({"central": 100, "ci95": [80, 120]})
    assert d.describe() == "100 (95% interval 80 to 120), fitted as normal(mean 100, sd 10.2043)"
    assert "lognormal" in parse_distribution({"central": 0.05, "ci95": [0.02, 0.12]}).describe()
    note = parse_distribution({"central": 0.05, "ci95": [0.02, 0.12]})
    assert isinstance(note, Ci95) and "52nd percentile" in note.fit_note


# --- degenerate-ish cases, API details ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "triangular", "low": 1, "mode": 1, "high": 2},  # mode at low
        {"dist": "triangular", "low": 1, "mode": 2, "high": 2},  # mode at high
        {"dist": "pert", "low": 0, "mode": 0, "high": 1},  # α = 1
        {"dist": "pert", "low": 0, "mode": 1, "high": 1},  # β = 1
        {"dist": "uniform", "low": 1, "high": 1 + 1e-9},  # very narrow
        {"dist": "normal", "mean": 0, "sd": 1e-12},  # tiny sd
        {"dist": "lognormal", "median": 1e-9, "gsd": 1.0001},
        {"dist": "beta", "alpha": 0.05, "beta": 0.05},  # almost all mass at the ends
    ],
)
def test_edge_parameters_sample_inside_support(spec: dict[str, Any]) -> None:
    d = parse_distribution(spec)
    x = draws(d, n=10_000)
    low, high = d.support
    assert x.dtype == np.float64 and x.shape == (10_000,)
    assert np.all(np.isfinite(x)) and x.min() >= low and x.max() <= high
    assert low <= d.central <= high and low <= d.mean <= high


def test_sample_sizes_and_quantile_levels() -> None:
    d = Triangular(low=0, mode=1, high=2)
    rng = np.random.default_rng(0)
    assert d.sample(rng, 0).shape == (0,)
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="whole number"):
            d.sample(rng, bad)  # type: ignore[arg-type]
    assert isinstance(d.ppf(0.5), float)
    assert d.ppf([[0.0, 1.0]]).shape == (1, 2)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="between 0 and 1"):
        d.ppf(1.5)


def test_every_form_satisfies_the_protocol_and_is_frozen() -> None:
    forms = [
        {"dist": "triangular", "low": 0, "mode": 1, "high": 2},
        {"dist": "pert", "low": 0, "mode": 1, "high": 2},
        {"dist": "normal", "mean": 0, "sd": 1},
        {"dist": "lognormal", "median": 1, "gsd": 2},
        {"dist": "beta", "alpha": 1, "beta": 2},
        {"dist": "uniform", "low": 0, "high": 1},
        {"central": 1, "ci95": [0, 3]},
    ]
    for spec in forms:
        d = parse_distribution(spec)
        assert isinstance(d, Distribution)
        assert str(d) == d.describe()
        with pytest.raises(ValidationError):
            d.low = 5  # type: ignore[union-attr, misc]


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "triangular", "low": 0.02, "mode": 0.05, "high": 0.12},
        {"dist": "pert", "low": 0.02, "mode": 0.05, "high": 0.12},
        {"dist": "normal", "mean": 0.1, "sd": 0.1},
        {"dist": "normal", "mean": 0.1, "sd": 0.1, "low": 0},
        {"dist": "lognormal", "median": 100, "gsd": 2},
        {"dist": "beta", "alpha": 2, "beta": 5},
        {"dist": "uniform", "low": 0, "high": 1},
        {"central": 500, "ci95": [400, 800]},
    ],
)
def test_reproducible_and_fast(spec: dict[str, Any]) -> None:
    d = parse_distribution(spec)
    assert np.array_equal(draws(d, seed=42), draws(d, seed=42))
    assert not np.array_equal(draws(d, seed=42), draws(d, seed=43))
    # vectorised: a million draws well inside a second even on a slow, busy machine (typically 5–60 ms)
    rng = np.random.default_rng(1)
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        d.sample(rng, 1_000_000)
        best = min(best, time.perf_counter() - start)
    assert best < 0.5


# --- bad parameters -------------------------------------------------------------------------------------------------


BAD = [
    ({"dist": "triangular", "low": 0.3, "mode": 0.2, "high": 0.1}, "high", "low (0.3) must be less than high (0.1)"),
    ({"dist": "pert", "low": 0.1, "mode": 0.1, "high": 0.1}, "high", "low (0.1) must be less than high (0.1)"),
    ({"dist": "triangular", "low": 0.1, "mode": 0.5, "high": 0.3}, "mode", "mode (0.5) must lie between low (0.1)"),
    ({"dist": "pert", "low": 0.1, "mode": 0, "high": 0.3}, "mode", "must lie between"),
    ({"dist": "pert", "low": 0, "mode": 1, "high": 2, "lambda": -1}, "lambda", "must be greater than 0 (got -1)"),
    ({"dist": "pert", "low": 0, "mode": 1, "high": 2, "lam": 3}, "lam", "unknown field for a pert distribution"),
    ({"dist": "normal", "mean": 0.1, "sd": -1}, "sd", "sd must be greater than 0 (got -1)"),
    ({"dist": "normal", "mean": 0.1, "sd": 0}, "sd", "sd must be greater than 0 (got 0)"),
    ({"dist": "normal", "mean": 0, "sd": 1, "low": 2, "high": 1}, "high", "low (2) must be less than high (1)"),
    ({"dist": "normal", "mean": 0, "sd": 1, "low": 6}, "low", "less than one in a million"),
    ({"dist": "normal", "mean": 0, "sd": 1, "high": -6}, "high", "less than one in a million"),
    ({"dist": "lognormal", "median": 1, "gsd": 1}, "gsd", "must be greater than 1 (got 1)"),
    ({"dist": "lognormal", "median": 1, "gsd": 0.5}, "gsd", "must be greater than 1 (got 0.5)"),
    ({"dist": "lognormal", "median": -1, "gsd": 2}, "median", "median must be greater than 0 (got -1)"),
    ({"dist": "lognormal", "mu": 0, "sigma": 0}, "sigma", "sigma must be greater than 0 (got 0)"),
    ({"dist": "lognormal", "median": 1, "sigma": 0.5}, "", "either median and gsd, or mu and sigma"),
    ({"dist": "lognormal", "median": 1}, "gsd", "missing required field"),
    ({"dist": "lognormal", "sigma": 1}, "mu", "missing required field"),
    ({"dist": "lognormal"}, "", "give either median and gsd, or mu and sigma"),
    ({"dist": "beta", "alpha": 0, "beta": 2}, "alpha", "alpha must be greater than 0 (got 0)"),
    ({"dist": "beta", "alpha": 2, "beta": -1}, "beta", "beta must be greater than 0 (got -1)"),
    ({"dist": "beta", "alpha": 2, "beta": 2, "low": 1, "high": 0}, "high", "low (1) must be less than high (0)"),
    ({"dist": "uniform", "low": 5, "high": 4}, "high", "low (5) must be less than high (4)"),
    ({"central": 0.3, "ci95": [0.1, 0.2]}, "central", "central (0.3) must lie inside the 95% interval [0.1, 0.2]"),
    ({"central": 0.3, "ci95": [0.4, 0.2]}, "ci95", "lower end (0.4) must be less than its upper end (0.2)"),
    ({"central": 0.3, "ci95": [0.4]}, "ci95[1]", "missing required field"),
    ({"central": 0.3, "ci95": [0.1, 0.4, 0.5]}, "ci95", "must be a list of two numbers"),
    ({"central": 0.3, "ci95": 0.4}, "ci95", "must be a list of two numbers"),
    ({"central": 0.3}, "ci95", "missing required field"),
    ({"ci95": [0.1, 0.2]}, "central", "missing required field"),
    ({"dist": "gama", "alpha": 2, "beta": 3}, "dist", "unknown distribution 'gama'; use one of: beta, lognormal"),
    ({"dist": "Normal", "mean": 0, "sd": 1}, "dist", "did you mean 'normal'?"),
    ({"dist": None}, "dist", "unknown distribution None"),
    ({"dist": "uniform", "low": 0}, "high", "missing required field"),
    ({"dist": "triangular", "low": 0, "high": 1}, "mode", "missing required field"),
    ({"dist": "uniform", "low": 0, "high": 1, "mode": 0.5}, "mode", "unknown field for a uniform distribution"),
    ({"dist": "normal", "mean": 0, "sd": 1, "central": 0}, "central", "its fields are: dist, mean, sd, low, high"),
    ({"central": 1, "ci95": [0, 2], "dist_": "x"}, "dist_", "unknown field for a central estimate"),
    ({"dist": "uniform", "low": "0", "high": 1}, "low", "must be a number, not '0'"),
    ({"dist": "uniform", "low": True, "high": 1}, "low", "must be a number, not True"),
    ({"dist": "uniform", "low": 0, "high": None}, "high", "must be a number, not None"),
    ({"dist": "uniform", "low": 0, "high": math.inf}, "high", "must be a finite number"),
    ({"dist": "normal", "mean": math.nan, "sd": 1}, "mean", "must be a finite number"),
    ({"central": "0.3", "ci95": [0.1, 0.5]}, "central", "must be a number, not '0.3'"),
    ({"central": 0.3, "ci95": [0.1, "high"]}, "ci95[1]", "must be a number, not 'high'"),
]


@pytest.mark.parametrize(("spec", "path", "words"), BAD)
def test_bad_parameters_name_the_field(spec: dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(DistributionError) as info:
        parse_distribution(spec)
    assert isinstance(info.value, ValueError)
    assert any(p == path and words in m for p, m in info.value.problems), info.value.problems


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(DistributionError) as info:
        parse_distribution({"dist": "beta", "alpha": -1, "beta": 0})
    assert [p for p, _ in info.value.problems] == ["alpha", "beta"]
    with pytest.raises(DistributionError) as info:
        parse_distribution({"dist": "uniform", "low": "a", "hgh": 1})
    assert {p for p, _ in info.value.problems} == {"low", "high", "hgh"}


def test_not_a_mapping() -> None:
    with pytest.raises(DistributionError, match="must be a mapping"):
        parse_distribution([0.1, 0.2])


def test_direct_construction_validates_too() -> None:
    with pytest.raises(ValidationError, match="must be less than high"):
        Uniform(low=2, high=1)
    assert Triangular(low=0, mode=0.5, high=1).mean == pytest.approx(0.5)


def test_is_distribution() -> None:
    assert is_distribution({"dist": "normal", "mean": 0, "sd": 1})
    assert is_distribution({"central": 1, "ci95": [0, 2]})
    assert is_distribution({"ci95": [0, 2]})
    assert not is_distribution(0.5)
    assert not is_distribution({"name": "x"})
    assert not is_distribution(["dist"])


# --- bounds of the field a distribution replaces ---------------------------------------------------------------------


def test_check_within_flags_unbounded_forms_for_a_rate() -> None:
    message = check_within(parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.1}), 0, 1)
    assert message is not None
    # P(X < 0) = Φ(−1) = 15.9%
    assert "can go below 0 (a 15.9% chance)" in message
    assert "normal(mean 0.1, sd 0.1)" in message and "truncated normal (add low: 0" in message
    lognormal = check_within(parse_distribution({"dist": "lognormal", "median": 0.5, "gsd": 2}), 0, 1)
    assert lognormal is not None and "above 1" in lognormal and "bounded distribution" in lognormal
    triangular = check_within(parse_distribution({"dist": "triangular", "low": -0.1, "mode": 0.1, "high": 0.2}), 0, 1)
    assert triangular is not None and "low (-0.1) must be at least 0" in triangular
    ci = check_within(parse_distribution({"central": 0.05, "ci95": [-0.01, 0.12]}), 0, 1)
    assert ci is not None and "below 0" in ci


def test_check_within_passes_bounded_forms() -> None:
    assert check_within(parse_distribution({"dist": "beta", "alpha": 2, "beta": 5}), 0, 1) is None
    assert check_within(parse_distribution({"dist": "pert", "low": 0, "mode": 0.1, "high": 1}), 0, 1) is None
    truncated = parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.1, "low": 0, "high": 1})
    assert check_within(truncated, 0, 1) is None
    # money: any value ≥ 0
    assert check_within(parse_distribution({"dist": "lognormal", "median": 500, "gsd": 1.5}), 0, math.inf) is None
    assert check_within(parse_distribution({"central": 500, "ci95": [400, 800]}), 0) is None


def test_check_within_negligible() -> None:
    tight = parse_distribution({"dist": "normal", "mean": 0.5, "sd": 0.05})  # P(outside [0, 1]) = 2Φ(−10) ≈ 1.5e-23
    assert check_within(tight, 0, 1) is not None
    assert check_within(tight, 0, 1, negligible=1e-9) is None
    ci = parse_distribution({"central": 0.05, "ci95": [0.02, 0.12]})  # lognormal: P(X > 1) ≈ 1e-11
    assert check_within(ci, 0, 1) is not None
    assert check_within(ci, 0, 1, negligible=1e-9) is None
    wide = parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.1})
    assert check_within(wide, 0, 1, negligible=1e-9) is not None


def test_point_masses_are_allowed_for_uniform_and_triangular() -> None:
    # A certain value written as a distribution (low = high) must reproduce the deterministic run exactly.
    rng = np.random.default_rng(1)
    for spec in ({"dist": "uniform", "low": 0.1, "high": 0.1},
                 {"dist": "triangular", "low": 0.1, "mode": 0.1, "high": 0.1}):
        d = parse_distribution(spec)
        assert d.central == d.mean == 0.1
        assert np.all(d.sample(rng, 1000) == 0.1)
        assert d.ppf(0.1) == d.ppf(0.9) == 0.1
        assert d.cdf(0.0999) == 0.0 and d.cdf(0.1) == 1.0
