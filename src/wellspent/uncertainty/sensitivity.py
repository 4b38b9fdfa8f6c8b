"""Which uncertain inputs matter: tornado swings, switching values and Sobol indices, all on the vectorised
engines (each analysis is one or a few engine calls with many draws).

- Tornado: each input at its 10th and 90th percentile, the rest at their central values; ranked by the swing in
  NPSV (appraisals) or in the investors' money multiple (contracts).
- Switching value: "the value a key input variable would need to take for a proposed intervention to switch from
  a recommended option to another option or for a proposal not to receive funding approval" (Green Book 2018
  §5.59–5.61 [V]); here the value of each input, the rest central, at which NPSV = 0 (appraisals) or at which
  the investors' money multiple = 1, i.e. they get back exactly what they put in (contracts: the investors'
  break-even for that one input, the counterpart of the contract's ``breakeven_performance``).
- Sobol indices (first-order and total) through SALib's Saltelli sampling and analysis, with each input sampled
  by its own quantile function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from wellspent.appraisal.engine import evaluate_summary
from wellspent.appraisal.inputs import AppraisalModel
from wellspent.contracts.engine import evaluate as evaluate_contract
from wellspent.contracts.inputs import ContractModel
from wellspent.uncertainty.apply import appraisal_draws, contract_draws
from wellspent.uncertainty.spec_inputs import APPRAISAL_FIELDS, CONTRACT_FIELDS, UncertainInput, pattern

FloatArray = npt.NDArray[np.float64]
Metric = Callable[[dict[str, FloatArray], int], FloatArray]
"""One number per draw from samples of the uncertain inputs (by field path) and the number of draws."""


def _npsv(model: AppraisalModel, samples: dict[str, FloatArray], draws: int) -> FloatArray:
    arrays = evaluate_summary(appraisal_draws(model, samples, draws), len(model.agencies), payback=False)
    npsv: FloatArray = arrays.npsv
    return npsv


def _money_multiple_less_one(model: ContractModel) -> Metric:
    """The investors' money multiple − 1 per draw (0 where they get back exactly what they put in)."""
    def metric(samples: dict[str, FloatArray], draws: int) -> FloatArray:
        multiple: FloatArray = evaluate_contract(contract_draws(model, samples, draws)).money_multiple
        return multiple - 1.0
    return metric


def _central_samples(inputs: Sequence[UncertainInput], draws: int) -> dict[str, FloatArray]:
    return {u.path: np.full(draws, u.central) for u in inputs}


def _tornado(metric: Metric, inputs: Sequence[UncertainInput], low_q: float, high_q: float,
             name: str, offset: float = 0.0) -> list[dict[str, Any]]:
    """``metric`` (+ ``offset``) with each input at its ``low_q`` and ``high_q`` quantiles (others central), as
    ``<name>_at_low`` / ``<name>_at_high``, largest swing first."""
    k = len(inputs)
    if k == 0:
        return []
    samples = _central_samples(inputs, 2 * k)
    for i, u in enumerate(inputs):
        samples[u.path][2 * i] = float(u.distribution.ppf(low_q))
        samples[u.path][2 * i + 1] = float(u.distribution.ppf(high_q))
    values = metric(samples, 2 * k) + offset
    rows = [
        {
            "input": u.path,
            "distribution": u.distribution.describe(),
            "low_value": float(samples[u.path][2 * i]),
            "high_value": float(samples[u.path][2 * i + 1]),
            f"{name}_at_low": float(values[2 * i]),
            f"{name}_at_high": float(values[2 * i + 1]),
            "swing": float(abs(values[2 * i + 1] - values[2 * i])),
        }
        for i, u in enumerate(inputs)
    ]
    return sorted(rows, key=lambda row: -row["swing"])


def tornado(model: AppraisalModel, inputs: Sequence[UncertainInput], low_q: float = 0.10,
            high_q: float = 0.90) -> list[dict[str, Any]]:
    """NPSV with each input at its ``low_q`` and ``high_q`` quantiles (others central), largest swing first."""
    return _tornado(lambda samples, draws: _npsv(model, samples, draws), inputs, low_q, high_q, "npsv")


def contract_tornado(model: ContractModel, inputs: Sequence[UncertainInput], low_q: float = 0.10,
                     high_q: float = 0.90) -> list[dict[str, Any]]:
    """The investors' money multiple (distributions ÷ capital drawn) with each input at its ``low_q`` and
    ``high_q`` quantiles (others central), largest swing first."""
    return _tornado(_money_multiple_less_one(model), inputs, low_q, high_q, "money_multiple", offset=1.0)


def _domain(u: UncertainInput, fields: dict[str, tuple[float, float]] = APPRAISAL_FIELDS) -> tuple[float, float]:
    low, high = fields[pattern(u.path)]
    if np.isfinite(high):
        return low, high
    reach = max(abs(u.central), abs(float(u.distribution.ppf(0.999))), 1.0)
    return low, 100.0 * reach


def switching_values(model: AppraisalModel, inputs: Sequence[UncertainInput], grid: int = 513,
                     iterations: int = 80) -> list[dict[str, Any]]:
    """For each input (others central), the value at which NPSV = 0 within the field's valid range — the root
    nearest the central value — or None ("none in range")."""
    return _switching_values(lambda samples, draws: _npsv(model, samples, draws), inputs, APPRAISAL_FIELDS,
                             grid, iterations)


def contract_switching_values(model: ContractModel, inputs: Sequence[UncertainInput], grid: int = 513,
                              iterations: int = 80) -> list[dict[str, Any]]:
    """For each input (others central), the value at which the investors' money multiple = 1 (they get their money
    back, no more) within the field's valid range — the root nearest the central value — or None."""
    return _switching_values(_money_multiple_less_one(model), inputs, CONTRACT_FIELDS, grid, iterations)


def _switching_values(metric: Metric, inputs: Sequence[UncertainInput], fields: dict[str, tuple[float, float]],
                      grid: int, iterations: int) -> list[dict[str, Any]]:
    """For each input (others central), the root of ``metric`` nearest the central value: a grid of ``grid``
    points over the field's range finds sign changes, then ``iterations`` steps of bisection (vectorised over the
    inputs) narrow each one."""
    k = len(inputs)
    if k == 0:
        return []
    domains = [_domain(u, fields) for u in inputs]
    points = np.stack([np.linspace(lo, hi, grid) for lo, hi in domains])  # (K, G)
    samples = _central_samples(inputs, k * grid)
    for i, u in enumerate(inputs):
        samples[u.path][i * grid : (i + 1) * grid] = points[i]
    npsv = metric(samples, k * grid).reshape(k, grid)
    low = np.full(k, np.nan)
    high = np.full(k, np.nan)
    for i, u in enumerate(inputs):
        sign = np.sign(npsv[i])
        exact = np.flatnonzero(sign == 0)
        changes = np.flatnonzero(sign[:-1] * sign[1:] < 0)
        candidates = [(points[i, j], points[i, j]) for j in exact] + \
                     [(points[i, j], points[i, j + 1]) for j in changes]
        if candidates:
            lo, hi = min(candidates, key=lambda c: abs(0.5 * (c[0] + c[1]) - u.central))
            low[i], high[i] = lo, hi
    found = np.isfinite(low)
    start = _central_samples(inputs, k)
    for i, u in enumerate(inputs):
        if found[i]:
            start[u.path][i] = low[i]
    sign_low = np.sign(metric(start, k))
    for _ in range(iterations):
        if not found.any():
            break
        mid = np.where(found, 0.5 * (low + high), 0.0)
        probe = _central_samples(inputs, k)
        for i, u in enumerate(inputs):
            if found[i]:
                probe[u.path][i] = mid[i]
        same = (np.sign(metric(probe, k)) == sign_low) & (sign_low != 0)
        low = np.where(found & same, mid, low)
        high = np.where(found & ~same, mid, high)
    rows = []
    for i, u in enumerate(inputs):
        value = float(0.5 * (low[i] + high[i])) if found[i] else None
        rows.append({
            "input": u.path,
            "central": u.central,
            "switching_value": value,
            "change_from_central": None if value is None or u.central == 0 else value / u.central - 1.0,
            "within_p5_p95": None if value is None else bool(
                float(u.distribution.ppf(0.05)) <= value <= float(u.distribution.ppf(0.95))),
            "searched": list(domains[i]),
        })
    return rows


def sobol_indices(model: AppraisalModel, inputs: Sequence[UncertainInput], base_samples: int = 4096,
                  seed: int = 0) -> list[dict[str, Any]]:
    """First-order and total Sobol indices of NPSV for each input (SALib, Saltelli sampling; the ``sensitivity``
    extra). ``base_samples`` N gives N × (K + 2) engine draws."""
    try:
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        raise ImportError("--sobol needs SALib: pip install 'wellspent[sensitivity]'") from None
    k = len(inputs)
    if k == 0:
        return []
    problem = {"num_vars": k, "names": [u.path for u in inputs], "bounds": [[0.0, 1.0]] * k}
    unit = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    unit = np.clip(unit, 1e-9, 1 - 1e-9)
    samples = {u.path: np.asarray(u.distribution.ppf(unit[:, i]), dtype=np.float64) for i, u in enumerate(inputs)}
    npsv = _npsv(model, samples, unit.shape[0])
    result = sobol_analyze.analyze(problem, npsv, calc_second_order=False, seed=seed)
    rows = [
        {"input": u.path, "first_order": float(result["S1"][i]), "first_order_conf": float(result["S1_conf"][i]),
         "total": float(result["ST"][i]), "total_conf": float(result["ST_conf"][i])}
        for i, u in enumerate(inputs)
    ]
    return sorted(rows, key=lambda row: -row["total"])
