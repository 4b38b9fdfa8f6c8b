"""Probability distributions for uncertain spec inputs.

Any numeric input of an appraisal or contract spec may be written as a distribution instead of a number::

    success_rate: {dist: triangular, low: 0.02, mode: 0.05, high: 0.12}
    success_rate: {central: 0.05, ci95: [0.02, 0.12]}

Each form is a strict, frozen pydantic model. Unknown fields are errors, and numbers must be numbers: ``"0.1"`` is
text, not 0.1. Every model satisfies the :class:`Distribution` protocol:

- ``central``: the value a deterministic run uses;
- ``mean``: the exact mean;
- ``support``: the smallest interval holding every possible value (ends may be infinite);
- ``sample(rng, n)``: n independent draws, vectorised;
- ``ppf(q)`` and ``cdf(x)``: the quantile and cumulative distribution functions;
- ``describe()``: a short description such as ``triangular(0.02, 0.05, 0.12)``.

Values are in the unit of the field they replace: £ for money, a fraction for a rate, and so on.

=================================================  ================================================
Form                                               ``central`` (deterministic value)
=================================================  ================================================
``{dist: triangular, low, mode, high}``            the mode
``{dist: pert, low, mode, high, lambda: 4}``       the mode
``{dist: normal, mean, sd, low?, high?}``          ``mean``, clipped into [low, high] if truncated
``{dist: lognormal, median, gsd}``                 the median
``{dist: lognormal, mu, sigma}``                   the median, exp(mu)
``{dist: beta, alpha, beta, low: 0, high: 1}``     the mean, low + (high - low)·alpha/(alpha + beta)
``{dist: uniform, low, high}``                     the mean, (low + high)/2
``{central, ci95: [lo, hi]}``                      ``central``
=================================================  ================================================

A truncated normal's ``central`` is the given ``mean`` clipped into [low, high], so the deterministic run uses the
number the user wrote. Its ``mean`` is the truncated distribution's mean, which differs from ``mean`` unless the
truncation is symmetric.

How ``{central: x, ci95: [lo, hi]}`` is fitted (z = Φ⁻¹(0.975) = 1.959964…). The rules are tried in order:

1. **Symmetric.** If the interval is symmetric about x within 1% of its width, i.e.
   ``|(hi - x) - (x - lo)| <= 0.01·(hi - lo)``, the fit is a normal with mean (lo + hi)/2 and sd (hi - lo)/(2z).
   The mean is the interval's midpoint, which is within 0.5% of the interval's width of x.
2. **Symmetric on a log scale.** If lo > 0, take the lognormal fitted to the interval's ends:
   μ = (ln lo + ln hi)/2 and σ = (ln hi - ln lo)/(2z), whose median is the geometric mean √(lo·hi). This fit is
   used only if x lies between that lognormal's 45th and 55th percentiles, i.e. ``|ln x - μ| <= 0.1257·σ``.
   Ratio estimates such as relative risks are published this way, and rounding to two figures keeps them
   well inside the band.
3. **Skewed otherwise.** If x is far from both the midpoint and the geometric mean, neither family can honour the
   user's three numbers. Forcing a lognormal would give a median well away from x, and the Monte Carlo runs would
   then centre on a value the user never gave. The fit is instead a triangular distribution with mode x whose ends
   are widened so that its 2.5% and 97.5% points are exactly lo and hi. It is bounded, its mode is x, and it
   covers intervals that reach zero or below.

In every case the fitted distribution's 2.5% and 97.5% quantiles equal lo and hi, up to rounding error.
``Ci95.fit_note`` says which rule applied and why.

>>> d = parse_distribution({"dist": "triangular", "low": 0.02, "mode": 0.05, "high": 0.12})
>>> d.describe(), d.central, round(d.mean, 4)
('triangular(0.02, 0.05, 0.12)', 0.05, 0.0633)
>>> parse_distribution({"central": 100, "ci95": [80, 120]}).describe()
'100 (95% interval 80 to 120), fitted as normal(mean 100, sd 10.2043)'
"""

from __future__ import annotations

import difflib
import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from statistics import NormalDist
from typing import Annotated, Any, ClassVar, Literal, Protocol, Self, TypeAlias, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator


class _LazyModule:
    """A scipy submodule imported on first use: parsing a spec's distributions and taking their central values
    needs no scipy, so ``wellspent appraise`` does not pay its import time."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._name)
        return getattr(module, attribute)


optimize: Any = _LazyModule("scipy.optimize")
special: Any = _LazyModule("scipy.special")
stats: Any = _LazyModule("scipy.stats")

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

Z975: float = NormalDist().inv_cdf(0.975)
"""The standard normal's 97.5% point, 1.959963984540054: a 95% interval is ±Z975 standard deviations."""
_Z55: float = NormalDist().inv_cdf(0.55)
"""The standard normal's 55% point, 0.12566: x within ±_Z55·σ of μ lies between the 45th and 55th percentiles."""
_MIN_TRUNCATED_MASS = 1e-6
"""A truncated normal must keep at least this share of the untruncated normal's probability."""

Finite = Annotated[float, Field(allow_inf_nan=False)]
"""Any finite number (an int in the YAML is accepted and becomes a float)."""


class DistributionError(ValueError):
    """A distribution written wrongly: a list of (field path relative to the distribution, message) pairs.

    The caller prefixes its own path, e.g. ``outcomes[2].success_rate`` + ``high``.

    >>> str(DistributionError([("high", "low (0.3) must be less than high (0.1)")]))
    'high: low (0.3) must be less than high (0.1)'
    """

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        if not self.problems:
            raise ValueError("DistributionError needs at least one problem")
        super().__init__("; ".join(f"{path}: {message}" if path else message for path, message in self.problems))


@runtime_checkable
class Distribution(Protocol):
    """What the simulation needs from an uncertain input. Values are in the unit of the field it replaces."""

    @property
    def central(self) -> float:
        """The value a deterministic run uses."""
        ...

    @property
    def mean(self) -> float:
        """The exact mean."""
        ...

    @property
    def support(self) -> tuple[float, float]:
        """The smallest closed interval holding every possible value; ends may be ±inf."""
        ...

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` independent draws as a float64 array of shape (n,)."""
        ...

    def ppf(self, q: ArrayLike) -> NDArray[np.float64] | float:
        """The quantile function: a float for a scalar ``q``, else an array of ``q``'s shape."""
        ...

    def cdf(self, x: ArrayLike) -> NDArray[np.float64] | float:
        """The cumulative distribution function P(X ≤ x): a float for a scalar ``x``, else an array."""
        ...

    def describe(self) -> str:
        """A short human description, e.g. ``triangular(0.02, 0.05, 0.12)``."""
        ...


def _fmt(x: float) -> str:
    """A number for a message: whole numbers without a decimal point, others to 6 significant figures.

    >>> _fmt(250000.0), _fmt(0.05), _fmt(-1.0), _fmt(1 / 3), _fmt(math.inf)
    ('250000', '0.05', '-1', '0.333333', 'inf')
    """
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def _ordinal(k: int) -> str:
    """``_ordinal(52)`` → ``'52nd'``.

    >>> [_ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 52)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '52nd']
    """
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _evaluate(func: Callable[[NDArray[np.float64]], Any], values: ArrayLike) -> NDArray[np.float64] | float:
    out = np.asarray(func(np.asarray(values, dtype=np.float64)), dtype=np.float64)
    return float(out) if out.ndim == 0 else out


def _check_q(q: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(q, dtype=np.float64)
    if not np.all((arr >= 0.0) & (arr <= 1.0)):
        raise ValueError("quantile levels q must lie between 0 and 1")
    return arr


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ValueError(f"the number of samples must be a whole number ≥ 0 (got {n!r})")
    return int(n)


def _less(path: str, low: float, high: float, problems: list[tuple[str, str]]) -> bool:
    """Record a problem unless low < high; True when they are in order."""
    if low < high:
        return True
    problems.append((path, f"low ({_fmt(low)}) must be less than high ({_fmt(high)})"))
    return False


def _positive(name: str, value: float, problems: list[tuple[str, str]], what: str = "") -> None:
    if not value > 0:
        problems.append((name, f"{name}{what} must be greater than 0 (got {_fmt(value)})"))


def _scaled_beta_sample(rng: np.random.Generator, a: float, b: float, low: float, high: float,
                        n: int) -> NDArray[np.float64]:
    """``n`` Beta(a, b) draws scaled to [low, high] (PERT and beta share it)."""
    draws = rng.beta(a, b, n)
    if low != 0.0 or high != 1.0:
        draws *= high - low
        draws += low
    return draws


class _Family(BaseModel):
    """Shared machinery: strict frozen model, plain-words parameter checks, scipy-backed ppf and cdf.

    The config matches ``wellspent.specs.common.StrictModel``; it is repeated here so that the spec loader can
    import this module without an import cycle.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    label: ClassVar[str] = ""
    """The name users write after ``dist:`` (or a description, for the ci95 form)."""

    def _problems(self) -> list[tuple[str, str]]:
        """Everything wrong with the parameters, as (field, message) pairs; empty when they are valid."""
        return []

    def _prepare(self) -> None:
        """Derive private values from valid parameters."""

    @model_validator(mode="after")
    def _validate_parameters(self) -> Self:
        problems = self._problems()
        if problems:
            raise DistributionError(problems)
        self._prepare()
        return self

    def _frozen(self) -> Any:
        """The equivalent scipy.stats frozen distribution."""
        raise NotImplementedError

    def point(self) -> float | None:
        """The value of a degenerate (zero-width) distribution, or None. Only uniform and triangular forms may be
        degenerate (low = high): a certain value written as a distribution reproduces the deterministic run."""
        return None

    def ppf(self, q: ArrayLike) -> NDArray[np.float64] | float:
        """The quantile function (inverse CDF) at levels ``q`` in [0, 1]."""
        levels = _check_q(q)
        value = self.point()
        if value is not None:
            return _evaluate(lambda a: np.full(a.shape, value), levels)
        return _evaluate(self._frozen().ppf, levels)

    def cdf(self, x: ArrayLike) -> NDArray[np.float64] | float:
        """P(X ≤ x)."""
        value = self.point()
        if value is not None:
            return _evaluate(lambda a: (a >= value).astype(np.float64), x)
        return _evaluate(self._frozen().cdf, x)

    def describe(self) -> str:
        """A short human description."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe()


class _LowModeHigh(_Family):
    """Shared checks for the three-point forms (triangular and PERT)."""

    low: Finite
    mode: Finite
    high: Finite

    degenerate_allowed: ClassVar[bool] = False

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if self.degenerate_allowed and self.low == self.high == self.mode:
            return problems
        if _less("high", self.low, self.high, problems) and not self.low <= self.mode <= self.high:
            between = f"between low ({_fmt(self.low)}) and high ({_fmt(self.high)})"
            problems.append(("mode", f"mode ({_fmt(self.mode)}) must lie {between}"))
        return problems

    @property
    def central(self) -> float:
        """The mode: the most likely value."""
        return self.mode

    @property
    def support(self) -> tuple[float, float]:
        """[low, high]."""
        return (self.low, self.high)


class Triangular(_LowModeHigh):
    """Triangular distribution on [low, high] with its peak at ``mode``: ``{dist: triangular, low, mode, high}``.

    >>> Triangular(low=0, mode=1, high=5).mean
    2.0
    """

    label: ClassVar[str] = "triangular"
    degenerate_allowed: ClassVar[bool] = True
    dist: Literal["triangular"] = "triangular"

    def point(self) -> float | None:
        """``low`` when low = mode = high (a certain value)."""
        return self.low if self.low == self.high else None

    @property
    def mean(self) -> float:
        """(low + mode + high)/3."""
        if self.low == self.high:
            return self.low
        return (self.low + self.mode + self.high) / 3.0

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws (numpy's triangular sampler)."""
        if self.low == self.high:
            return np.full(_check_n(n), self.low)
        return rng.triangular(self.low, self.mode, self.high, _check_n(n))

    def _frozen(self) -> Any:
        width = self.high - self.low
        return stats.triang((self.mode - self.low) / width, loc=self.low, scale=width)

    def describe(self) -> str:
        """E.g. ``triangular(0.02, 0.05, 0.12)``."""
        return f"triangular({_fmt(self.low)}, {_fmt(self.mode)}, {_fmt(self.high)})"


class Pert(_LowModeHigh):
    """Beta-PERT distribution (Malcolm et al. 1959; Vose 2008): ``{dist: pert, low, mode, high, lambda: 4}``.

    A beta distribution scaled to [low, high] with shapes α = 1 + λ(mode − low)/(high − low) and
    β = 1 + λ(high − mode)/(high − low). Its mean is (low + λ·mode + high)/(λ + 2). The shape λ is 4 in the
    classic PERT; larger λ concentrates the probability around the mode.

    >>> Pert(low=0, mode=1, high=4).mean
    1.3333333333333333
    """

    label: ClassVar[str] = "pert"
    dist: Literal["pert"] = "pert"
    lam: Finite = Field(default=4.0, alias="lambda")

    def _problems(self) -> list[tuple[str, str]]:
        problems = super()._problems()
        _positive("lambda", self.lam, problems)
        return problems

    @property
    def alpha(self) -> float:
        """The beta shape α = 1 + λ(mode − low)/(high − low)."""
        return 1.0 + self.lam * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        """The beta shape β = 1 + λ(high − mode)/(high − low)."""
        return 1.0 + self.lam * (self.high - self.mode) / (self.high - self.low)

    @property
    def mean(self) -> float:
        """(low + λ·mode + high)/(λ + 2)."""
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2.0)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws: numpy beta draws scaled to [low, high]."""
        return _scaled_beta_sample(rng, self.alpha, self.beta, self.low, self.high, _check_n(n))

    def _frozen(self) -> Any:
        return stats.beta(self.alpha, self.beta, loc=self.low, scale=self.high - self.low)

    def describe(self) -> str:
        """E.g. ``pert(0.02, 0.05, 0.12)``, with ``lambda=…`` when it is not 4."""
        shape = "" if self.lam == 4.0 else f", lambda={_fmt(self.lam)}"
        return f"pert({_fmt(self.low)}, {_fmt(self.mode)}, {_fmt(self.high)}{shape})"


class Normal(_Family):
    """Normal distribution, optionally truncated to [low, high]: ``{dist: normal, mean, sd, low?, high?}``.

    ``mean`` and ``sd`` are the parameters of the untruncated normal. The attribute ``mu`` holds the ``mean``
    field; the property ``mean`` is the exact mean of the (possibly truncated) distribution.

    >>> d = Normal.model_validate({"dist": "normal", "mean": 0.1, "sd": 0.1, "low": 0})
    >>> d.central, round(d.mean, 4), d.support
    (0.1, 0.1288, (0.0, inf))
    """

    label: ClassVar[str] = "normal"
    dist: Literal["normal"] = "normal"
    mu: Finite = Field(alias="mean")
    sd: Finite
    low: Finite | None = None
    high: Finite | None = None

    _a: float = PrivateAttr(default=-math.inf)
    _b: float = PrivateAttr(default=math.inf)

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        _positive("sd", self.sd, problems)
        if self.low is not None and self.high is not None and not _less("high", self.low, self.high, problems):
            return problems
        if not problems and self.truncated:
            mass = self._mass(*self._z_bounds())
            if mass < _MIN_TRUNCATED_MASS:
                where = "low" if self.low is not None and self.low > self.mu else "high"
                given = [f"{key} ({_fmt(v)})" for key, v in (("low", self.low), ("high", self.high)) if v is not None]
                bounds = " and ".join(given) + (" keeps" if len(given) == 1 else " keep")
                problems.append(
                    (
                        where,
                        f"{bounds} less than one in a million of a normal with mean {_fmt(self.mu)} and sd "
                        f"{_fmt(self.sd)}; check mean, sd and the bounds",
                    )
                )
        return problems

    def _z_bounds(self) -> tuple[float, float]:
        a = -math.inf if self.low is None else (self.low - self.mu) / self.sd
        b = math.inf if self.high is None else (self.high - self.mu) / self.sd
        return a, b

    @staticmethod
    def _mass(a: float, b: float) -> float:
        """Φ(b) − Φ(a), computed in the lower tail for accuracy."""
        if a > 0:
            return float(special.ndtr(-a) - special.ndtr(-b))
        return float(special.ndtr(b) - special.ndtr(a))

    def _prepare(self) -> None:
        self._a, self._b = self._z_bounds()

    @property
    def truncated(self) -> bool:
        """Whether ``low`` or ``high`` is given."""
        return self.low is not None or self.high is not None

    @property
    def central(self) -> float:
        """``mean`` (the parameter) clipped into [low, high]."""
        low, high = self.support
        return min(max(self.mu, low), high)

    @property
    def mean(self) -> float:
        """The exact mean: μ + σ(φ(a) − φ(b))/(Φ(b) − Φ(a)) with a, b the bounds in standard units."""
        if not self.truncated:
            return self.mu
        a, b = self._a, self._b
        pdf_a = 0.0 if math.isinf(a) else math.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)
        pdf_b = 0.0 if math.isinf(b) else math.exp(-0.5 * b * b) / math.sqrt(2.0 * math.pi)
        return self.mu + self.sd * (pdf_a - pdf_b) / self._mass(a, b)

    @property
    def support(self) -> tuple[float, float]:
        """[low, high], each end ±inf when not given."""
        return (-math.inf if self.low is None else self.low, math.inf if self.high is None else self.high)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws. Truncated: by inverse CDF (uniforms between Φ(a) and Φ(b), then Φ⁻¹), mirrored into the
        lower tail when both bounds lie above the mean so that no precision is lost near Φ = 1."""
        n = _check_n(n)
        if not self.truncated:
            return rng.normal(self.mu, self.sd, n)
        a, b = self._a, self._b
        mirrored = a > 0
        if mirrored:
            a, b = -b, -a
        p_low, p_high = float(special.ndtr(a)), float(special.ndtr(b))
        p = rng.random(n)
        p *= p_high - p_low
        p += p_low
        np.clip(p, np.finfo(np.float64).tiny, 1.0 - 2.0**-53, out=p)  # Φ⁻¹ finite at the ends
        z = special.ndtri(p)
        if mirrored:
            np.negative(z, out=z)
        z *= self.sd
        z += self.mu
        low, high = self.support
        np.clip(z, low, high, out=z)  # rounding at the bounds
        return np.asarray(z, dtype=np.float64)

    def _frozen(self) -> Any:
        if not self.truncated:
            return stats.norm(loc=self.mu, scale=self.sd)
        return stats.truncnorm(self._a, self._b, loc=self.mu, scale=self.sd)

    def describe(self) -> str:
        """E.g. ``normal(mean 0.1, sd 0.1)`` or ``normal(mean 0.1, sd 0.1) truncated to [0, 1]``."""
        text = f"normal(mean {_fmt(self.mu)}, sd {_fmt(self.sd)})"
        if self.low is not None and self.high is not None:
            return f"{text} truncated to [{_fmt(self.low)}, {_fmt(self.high)}]"
        if self.low is not None:
            return f"{text} truncated below at {_fmt(self.low)}"
        if self.high is not None:
            return f"{text} truncated above at {_fmt(self.high)}"
        return text


class Lognormal(_Family):
    """Lognormal distribution: ``{dist: lognormal, median, gsd}`` or, on the log scale, ``{dist: lognormal, mu,
    sigma}``; exactly one of the two parametrisations.

    ``median`` = exp(mu) and ``gsd`` (the geometric standard deviation) = exp(sigma). About 68% of values lie
    between median/gsd and median·gsd, and 95% between median/gsd^1.96 and median·gsd^1.96.

    >>> d = Lognormal(median=100, gsd=2)
    >>> d.central, round(d.mean, 2), d.support
    (100.0, 127.15, (0.0, inf))
    """

    label: ClassVar[str] = "lognormal"
    dist: Literal["lognormal"] = "lognormal"
    median: Finite | None = None
    gsd: Finite | None = None
    mu: Finite | None = None
    sigma: Finite | None = None

    _log_mu: float = PrivateAttr(default=0.0)
    _log_sigma: float = PrivateAttr(default=1.0)

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        by_median = self.median is not None or self.gsd is not None
        by_log = self.mu is not None or self.sigma is not None
        if by_median and by_log:
            return [("", "give either median and gsd, or mu and sigma (on the log scale), not both")]
        if not by_median and not by_log:
            return [("", "missing fields: give either median and gsd, or mu and sigma (on the log scale)")]
        if by_median:
            if self.median is None:
                problems.append(("median", "missing required field (a lognormal given by gsd also needs median)"))
            elif not self.median > 0:
                problems.append(("median", f"median must be greater than 0 (got {_fmt(self.median)})"))
            if self.gsd is None:
                problems.append(("gsd", "missing required field (a lognormal given by median also needs gsd)"))
            elif not self.gsd > 1:
                problems.append(
                    ("gsd", f"gsd (the geometric standard deviation) must be greater than 1 (got {_fmt(self.gsd)})")
                )
        else:
            if self.mu is None:
                problems.append(("mu", "missing required field (a lognormal given by sigma also needs mu)"))
            if self.sigma is None:
                problems.append(("sigma", "missing required field (a lognormal given by mu also needs sigma)"))
            else:
                _positive("sigma", self.sigma, problems)
        return problems

    def _prepare(self) -> None:
        if self.median is not None and self.gsd is not None:
            self._log_mu, self._log_sigma = math.log(self.median), math.log(self.gsd)
        elif self.mu is not None and self.sigma is not None:
            self._log_mu, self._log_sigma = self.mu, self.sigma

    @property
    def log_mu(self) -> float:
        """μ, the mean of ln X."""
        return self._log_mu

    @property
    def log_sigma(self) -> float:
        """σ, the standard deviation of ln X."""
        return self._log_sigma

    @property
    def central(self) -> float:
        """The median, exp(μ)."""
        return self.median if self.median is not None else math.exp(self._log_mu)

    @property
    def mean(self) -> float:
        """exp(μ + σ²/2)."""
        return math.exp(self._log_mu + 0.5 * self._log_sigma**2)

    @property
    def support(self) -> tuple[float, float]:
        """(0, inf)."""
        return (0.0, math.inf)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws (numpy's lognormal sampler)."""
        return rng.lognormal(self._log_mu, self._log_sigma, _check_n(n))

    def _frozen(self) -> Any:
        return stats.lognorm(self._log_sigma, scale=math.exp(self._log_mu))

    def describe(self) -> str:
        """E.g. ``lognormal(median 100, gsd 2)`` or ``lognormal(mu 4.6, sigma 0.69)``."""
        if self.median is not None:
            return f"lognormal(median {_fmt(self.central)}, gsd {_fmt(math.exp(self._log_sigma))})"
        return f"lognormal(mu {_fmt(self._log_mu)}, sigma {_fmt(self._log_sigma)})"


class Beta(_Family):
    """Beta distribution, optionally scaled to [low, high]: ``{dist: beta, alpha, beta, low: 0, high: 1}``.

    >>> Beta(alpha=2, beta=6).mean
    0.25
    """

    label: ClassVar[str] = "beta"
    dist: Literal["beta"] = "beta"
    alpha: Finite
    beta: Finite
    low: Finite = 0.0
    high: Finite = 1.0

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        _positive("alpha", self.alpha, problems)
        _positive("beta", self.beta, problems)
        _less("high", self.low, self.high, problems)
        return problems

    @property
    def central(self) -> float:
        """The mean."""
        return self.mean

    @property
    def mean(self) -> float:
        """low + (high − low)·α/(α + β)."""
        return self.low + (self.high - self.low) * self.alpha / (self.alpha + self.beta)

    @property
    def support(self) -> tuple[float, float]:
        """[low, high]."""
        return (self.low, self.high)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws: numpy beta draws scaled to [low, high]."""
        return _scaled_beta_sample(rng, self.alpha, self.beta, self.low, self.high, _check_n(n))

    def _frozen(self) -> Any:
        return stats.beta(self.alpha, self.beta, loc=self.low, scale=self.high - self.low)

    def describe(self) -> str:
        """E.g. ``beta(2, 6)`` or ``beta(2, 6) on [100, 200]``."""
        text = f"beta({_fmt(self.alpha)}, {_fmt(self.beta)})"
        if self.low != 0.0 or self.high != 1.0:
            text += f" on [{_fmt(self.low)}, {_fmt(self.high)}]"
        return text


class Uniform(_Family):
    """Uniform distribution on [low, high]: ``{dist: uniform, low, high}``.

    >>> Uniform(low=1, high=3).mean
    2.0
    """

    label: ClassVar[str] = "uniform"
    dist: Literal["uniform"] = "uniform"
    low: Finite
    high: Finite

    def _problems(self) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        if self.low != self.high:
            _less("high", self.low, self.high, problems)
        return problems

    def point(self) -> float | None:
        """``low`` when low = high (a certain value)."""
        return self.low if self.low == self.high else None

    @property
    def central(self) -> float:
        """The mean."""
        return self.mean

    @property
    def mean(self) -> float:
        """(low + high)/2."""
        return (self.low + self.high) / 2.0

    @property
    def support(self) -> tuple[float, float]:
        """[low, high]."""
        return (self.low, self.high)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws (numpy's uniform sampler)."""
        if self.low == self.high:
            return np.full(_check_n(n), self.low)
        return rng.uniform(self.low, self.high, _check_n(n))

    def _frozen(self) -> Any:
        return stats.uniform(loc=self.low, scale=self.high - self.low)

    def describe(self) -> str:
        """E.g. ``uniform(0, 1)``."""
        return f"uniform({_fmt(self.low)}, {_fmt(self.high)})"


def _triangular_with_quantiles(mode: float, lo: float, hi: float, q: float = 0.025) -> Triangular:
    """The triangular distribution with this mode whose q and 1 − q quantiles are lo and hi (lo ≤ mode ≤ hi).

    With a = mode − low, b = high − mode and s = a + b, the conditions F(lo) = q and 1 − F(hi) = q read
    (a − d₁)² = q·s·a and (b − d₂)² = q·s·b, where d₁ = mode − lo and d₂ = hi − mode. Each is a quadratic in √a
    (√b) with root √a = (√(qs) + √(qs + 4d₁))/2, leaving one equation a(s) + b(s) = s. The root lies in
    [hi − lo, 3(hi − lo)]: at s = hi − lo the left side exceeds s, and a(s) + b(s) ≤ 4qs + 2(hi − lo) < s beyond.
    """
    d1, d2 = mode - lo, hi - mode

    def parts(s: float) -> tuple[float, float]:
        r = math.sqrt(q * s)
        return ((r + math.sqrt(q * s + 4.0 * d1)) / 2.0) ** 2, ((r + math.sqrt(q * s + 4.0 * d2)) / 2.0) ** 2

    def excess(s: float) -> float:
        a, b = parts(s)
        return a + b - s

    width = hi - lo
    s = float(optimize.brentq(excess, width, 3.0 * width, xtol=1e-15 * width, rtol=4.0 * np.finfo(float).eps))
    a, b = parts(s)
    return Triangular(low=mode - a, mode=mode, high=mode + b)


class Ci95(_Family):
    """A central estimate and a 95% interval: ``{central: x, ci95: [lo, hi]}``, fitted by the rule in the module
    docstring (normal if symmetric; lognormal if symmetric on a log scale; otherwise a widened triangular).

    >>> d = Ci95(central=0.05, ci95=(0.02, 0.12))
    >>> d.fitted.describe(), round(float(d.ppf(0.025)), 12), round(float(d.ppf(0.975)), 12)
    ('lognormal(median 0.0489898, gsd 1.57947)', 0.02, 0.12)
    """

    label: ClassVar[str] = "central-and-interval"
    central: Finite
    ci95: tuple[Finite, Finite]

    _fitted: Normal | Lognormal | Triangular = PrivateAttr()
    _note: str = PrivateAttr(default="")

    @field_validator("ci95", mode="before")
    @classmethod
    def _list_to_pair(cls, value: object) -> object:
        """YAML gives a list; the strict tuple type needs a tuple (the items are still checked strictly)."""
        return tuple(value) if isinstance(value, list) else value

    def _problems(self) -> list[tuple[str, str]]:
        lo, hi = self.ci95
        if not lo < hi:
            return [("ci95", f"the interval's lower end ({_fmt(lo)}) must be less than its upper end ({_fmt(hi)})")]
        if not lo <= self.central <= hi:
            return [
                ("central", f"central ({_fmt(self.central)}) must lie inside the 95% interval [{_fmt(lo)}, {_fmt(hi)}]")
            ]
        return []

    def _prepare(self) -> None:
        x, (lo, hi) = self.central, self.ci95
        width = hi - lo
        if abs((hi - x) - (x - lo)) <= 0.01 * width:
            self._fitted = Normal.model_validate({"mean": (lo + hi) / 2.0, "sd": width / (2.0 * Z975)})
            self._note = (
                "the interval is symmetric about the central value (within 1% of its width), so it is fitted as a "
                f"normal whose 2.5% and 97.5% points are {_fmt(lo)} and {_fmt(hi)}"
            )
            return
        if lo > 0:
            mu = (math.log(lo) + math.log(hi)) / 2.0
            sigma = (math.log(hi) - math.log(lo)) / (2.0 * Z975)
            z = (math.log(x) - mu) / sigma
            if abs(z) <= _Z55:
                self._fitted = Lognormal(median=math.exp(mu), gsd=math.exp(sigma))
                self._note = (
                    f"the interval is symmetric on a log scale, so it is fitted as a lognormal with median "
                    f"{_fmt(math.exp(mu))} (the geometric mean of its ends); the central value {_fmt(x)} lies at its "
                    f"{_ordinal(round(100 * float(special.ndtr(z))))} percentile"
                )
                return
        self._fitted = _triangular_with_quantiles(x, lo, hi)
        self._note = (
            "the interval is skewed about the central value, so it is fitted as a triangular distribution with mode "
            f"{_fmt(x)} whose ends are widened so that its 2.5% and 97.5% points are {_fmt(lo)} and {_fmt(hi)}"
        )

    @property
    def fitted(self) -> Normal | Lognormal | Triangular:
        """The distribution fitted to the interval."""
        return self._fitted

    @property
    def fit_note(self) -> str:
        """Which fitting rule applied and why, in plain words."""
        return self._note

    @property
    def mean(self) -> float:
        """The fitted distribution's mean."""
        return self._fitted.mean

    @property
    def support(self) -> tuple[float, float]:
        """The fitted distribution's support."""
        return self._fitted.support

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """``n`` draws from the fitted distribution."""
        return self._fitted.sample(rng, n)

    def ppf(self, q: ArrayLike) -> NDArray[np.float64] | float:
        """The fitted distribution's quantile function."""
        return self._fitted.ppf(q)

    def cdf(self, x: ArrayLike) -> NDArray[np.float64] | float:
        """The fitted distribution's CDF."""
        return self._fitted.cdf(x)

    def describe(self) -> str:
        """E.g. ``0.05 (95% interval 0.02 to 0.12), fitted as lognormal(median 0.0489898, gsd 1.57947)``."""
        lo, hi = self.ci95
        return f"{_fmt(self.central)} (95% interval {_fmt(lo)} to {_fmt(hi)}), fitted as {self._fitted.describe()}"


AnyDistribution: TypeAlias = Triangular | Pert | Normal | Lognormal | Beta | Uniform | Ci95
"""Every concrete distribution model; each satisfies :class:`Distribution`."""

FAMILIES: dict[str, type[Triangular | Pert | Normal | Lognormal | Beta | Uniform]] = {
    "triangular": Triangular,
    "pert": Pert,
    "normal": Normal,
    "lognormal": Lognormal,
    "beta": Beta,
    "uniform": Uniform,
}
"""The families written with ``dist:``, by name."""


def is_distribution(value: object) -> bool:
    """Whether a spec value is meant as a distribution: a mapping with a ``dist``, ``central`` or ``ci95`` key.

    >>> is_distribution({"dist": "normal"}), is_distribution({"central": 1}), is_distribution(0.5)
    (True, True, False)
    """
    return isinstance(value, Mapping) and any(key in value for key in ("dist", "central", "ci95"))


def _field_names(model: type[_Family]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _loc_to_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}" if path else part
    return path


def _translate(exc: ValidationError, model: type[_Family]) -> list[tuple[str, str]]:
    """pydantic's errors in plain words, with field paths relative to the distribution."""
    problems: list[tuple[str, str]] = []
    for error in exc.errors(include_url=False):
        kind, path, given = error["type"], _loc_to_path(error["loc"]), error.get("input")
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, DistributionError):
            problems.extend((f"{path}.{p}" if path and p else path or p, m) for p, m in cause.problems)
            continue
        if kind == "missing":
            message = "missing required field"
        elif kind == "extra_forbidden":
            fields = ", ".join(_field_names(model))
            message = f"unknown field for a {model.label} distribution; its fields are: {fields}"
            if model is Ci95:
                message = f"unknown field for a central estimate with a 95% interval; its fields are: {fields}"
        elif kind in {"float_type", "int_type"}:
            message = f"must be a number, not {given!r}"
        elif kind == "finite_number":
            message = f"must be a finite number, not {given!r}"
        elif kind in {"tuple_type", "too_short", "too_long"}:
            message = f"must be a list of two numbers [low, high], not {given!r}"
        else:
            message = str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")
        problems.append((path, message))
    return problems


def parse_distribution(value: object) -> AnyDistribution:
    """Validate a spec value written as a distribution (see :func:`is_distribution`) and build it.

    Raises :class:`DistributionError` listing every problem with its field path relative to the value.

    >>> parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.02}).describe()
    'normal(mean 0.1, sd 0.02)'
    >>> parse_distribution({"dist": "gama", "alpha": 2, "beta": 3})
    Traceback (most recent call last):
    ...
    wellspent.uncertainty.distributions.DistributionError: dist: unknown distribution 'gama'; use one of: beta, \
lognormal, normal, pert, triangular, uniform (or central with ci95)
    """
    if not isinstance(value, Mapping):
        raise DistributionError([("", f"a distribution must be a mapping (key: value pairs), not {value!r}")])
    model: type[_Family]
    if "dist" in value:
        name = value["dist"]
        if not isinstance(name, str) or name not in FAMILIES:
            names = sorted(FAMILIES)
            close = difflib.get_close_matches(name, names, n=1) if isinstance(name, str) else []
            hint = f"did you mean '{close[0]}'? " if close else ""
            choices = f"use one of: {', '.join(names)} (or central with ci95)"
            raise DistributionError([("dist", f"unknown distribution {name!r}; {hint}{choices}")])
        model = FAMILIES[name]
    else:
        model = Ci95
    try:
        parsed = model.model_validate(dict(value))
    except ValidationError as exc:
        raise DistributionError(_translate(exc, model)) from None
    assert isinstance(parsed, Triangular | Pert | Normal | Lognormal | Beta | Uniform | Ci95)
    return parsed


def _chance(p: float) -> str:
    """``a 15.9% chance`` or ``less than a 0.1% chance``."""
    return f"a {p:.1%} chance" if p >= 0.001 else "less than a 0.1% chance"


def check_within(
    dist: Distribution, low: float = -math.inf, high: float = math.inf, *, negligible: float = 0.0
) -> str | None:
    """A message if ``dist`` can take values outside [low, high] (e.g. a rate field's [0, 1], a money field's
    [0, inf)), else None.

    By default any support outside the bounds is flagged, however unlikely. With ``negligible`` > 0, a distribution
    whose probability of falling outside is at most ``negligible`` passes. The caller must then accept or clip the
    rare samples outside the bounds.

    >>> check_within(parse_distribution({"dist": "normal", "mean": 0.1, "sd": 0.1}), 0, 1)
    'this distribution can go below 0 (a 15.9% chance) and above 1 (less than a 0.1% chance): normal(mean 0.1, sd \
0.1); use a truncated normal (add low: 0 and high: 1) or a bounded distribution (beta, pert, triangular or uniform)'
    >>> check_within(parse_distribution({"dist": "beta", "alpha": 2, "beta": 5}), 0, 1) is None
    True
    """
    s_low, s_high = dist.support
    below, above = s_low < low, s_high > high
    if not (below or above):
        return None
    p_below = float(dist.cdf(low)) if below else 0.0
    p_above = 1.0 - float(dist.cdf(high)) if above else 0.0
    if negligible > 0 and p_below + p_above <= negligible:
        return None
    sides = " and ".join(
        f"{side} {_fmt(bound)} ({_chance(p)})"
        for side, bound, p, flag in (("below", low, p_below, below), ("above", high, p_above, above))
        if flag
    )
    bounded = "a bounded distribution (beta, pert, triangular or uniform)"
    if isinstance(dist, Normal):
        add = " and ".join(f"{key}: {_fmt(v)}" for key, v, flag in (("low", low, below), ("high", high, above)) if flag)
        advice = f"use a truncated normal (add {add}) or {bounded}"
    elif isinstance(dist, Triangular | Pert | Beta | Uniform):
        ends = []
        if below:
            ends.append(f"low ({_fmt(s_low)}) must be at least {_fmt(low)}")
        if above:
            ends.append(f"high ({_fmt(s_high)}) must be at most {_fmt(high)}")
        advice = "its " + " and its ".join(ends)
    else:
        advice = f"use {bounded}" + (" or a truncated normal" if isinstance(dist, Ci95) else "")
    return f"this distribution can go {sides}: {dist.describe()}; {advice}"
