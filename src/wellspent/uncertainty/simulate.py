"""Monte Carlo over the vectorised engines: draws in fixed-size blocks, each block seeded from (seed, block), so
the same seed gives the same numbers however the draws are grouped into chunks — in one process, in several, or
on a Dask cluster.

Green Book 2018 A5.21–A5.23: Monte Carlo gives expected values and confidence intervals where uncertain inputs
have known or reasonably estimated independent distributions (methods-facts §1.5).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from wellspent.appraisal.engine import evaluate_summary
from wellspent.appraisal.inputs import AppraisalModel
from wellspent.contracts.engine import evaluate as evaluate_contract
from wellspent.contracts.inputs import ContractModel
from wellspent.contracts.irr import xirr_many
from wellspent.uncertainty.apply import appraisal_draws, contract_draws
from wellspent.uncertainty.spec_inputs import UncertainInput

FloatArray = npt.NDArray[np.float64]

BLOCK = 16_384
"""Draws per seeded block. Chunks are whole blocks, so chunking never changes a draw's random numbers."""
DEFAULT_CHUNK = BLOCK
MAX_THREADS = 4
"""Most chunks evaluated at once in one process."""
PERCENTILES = (5, 25, 50, 75, 95)


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The generator for one block: PCG64 seeded by ``SeedSequence(seed, spawn_key=(block,))``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def sample_block(inputs: Sequence[UncertainInput], seed: int, block: int, size: int) -> dict[str, FloatArray]:
    """Samples of every uncertain input for one block, drawn in spec order from the block's generator."""
    rng = block_rng(seed, block)
    shared = {group: rng.standard_normal(size) for group in dict.fromkeys(u.group for u in inputs if u.group)}
    samples = {}
    for u in inputs:
        if u.group is None:
            values = np.asarray(u.distribution.sample(rng, size), dtype=np.float64)
        else:  # Gaussian copula: a normal shared by the group plus the input's own, through its quantile function
            z = np.sqrt(u.correlation) * shared[u.group] + np.sqrt(1.0 - u.correlation) * rng.standard_normal(size)
            levels = np.clip(ndtr(z), 1e-12, 1.0 - 1e-12)
            values = np.asarray(u.distribution.ppf(levels), dtype=np.float64)
        low, high = u.distribution.support
        if low < u.bounds[0] or high > u.bounds[1]:  # only distributions that can stray need clipping
            np.clip(values, *u.bounds, out=values)
        samples[u.path] = values
    return samples


def blocks(draws: int) -> list[tuple[int, int]]:
    """(block index, size) for ``draws`` draws."""
    return [(b, min(BLOCK, draws - b * BLOCK)) for b in range((draws + BLOCK - 1) // BLOCK)]


def chunks(draws: int, chunk_draws: int = DEFAULT_CHUNK) -> list[list[tuple[int, int]]]:
    """Blocks grouped into chunks of about ``chunk_draws`` draws (rounded to whole blocks)."""
    per_chunk = max(1, chunk_draws // BLOCK)
    all_blocks = blocks(draws)
    return [all_blocks[i : i + per_chunk] for i in range(0, len(all_blocks), per_chunk)]


def appraisal_metrics(model: AppraisalModel, samples: dict[str, FloatArray], size: int) -> dict[str, FloatArray]:
    """Per-draw results of an appraisal chunk: NPSV, BCR, fiscal BCR, PVs and each agency's net position."""
    arrays = evaluate_summary(appraisal_draws(model, samples, size), len(model.agencies), payback=False)
    net = arrays.pv_fiscal_by_agency - arrays.pv_costs_by_agency
    metrics = {
        "npsv": arrays.npsv,
        "bcr": arrays.bcr,
        "fiscal_bcr": arrays.fiscal_bcr,
        "pv_costs": arrays.pv_costs,
        "pv_benefits": arrays.pv_benefits,
    }
    for a, agency in enumerate(model.agencies):
        metrics[f"net:{agency}"] = net[:, a]
    return metrics


def contract_metrics(model: ContractModel, samples: dict[str, FloatArray], size: int) -> dict[str, FloatArray]:
    """Per-draw results of a contract chunk: outcome payments, investor IRR, money multiple, peak capital,
    provider net and payments by payer."""
    arrays = evaluate_contract(contract_draws(model, samples, size))
    metrics = {
        "outcome_payments": arrays.payments.sum(axis=1),
        "investor_irr": xirr_many(model.period_ends, arrays.investor_flows),
        "money_multiple": arrays.money_multiple,
        "peak_capital": arrays.peak_capital,
        "provider_net": (arrays.provider_surplus - arrays.provider_loss).sum(axis=1),
    }
    for y, name in enumerate(model.payer_names):
        metrics[f"payer:{name}"] = arrays.payer_payments[:, y].sum(axis=1)
    return metrics


def run_chunk(model: AppraisalModel | ContractModel, inputs: Sequence[UncertainInput], seed: int,
              chunk: Sequence[tuple[int, int]]) -> dict[str, FloatArray]:
    """Sample and evaluate one chunk of blocks (a pure function of its arguments: safe to run anywhere)."""
    size = sum(n for _, n in chunk)
    parts = [sample_block(inputs, seed, b, n) for b, n in chunk]
    samples = {u.path: np.concatenate([p[u.path] for p in parts]) for u in inputs}
    if isinstance(model, AppraisalModel):
        return appraisal_metrics(model, samples, size)
    return contract_metrics(model, samples, size)


@dataclass(frozen=True)
class Simulation:
    """Every draw's results, in draw order."""

    draws: int
    seed: int
    metrics: dict[str, FloatArray]


def simulate(model: AppraisalModel | ContractModel, inputs: Sequence[UncertainInput], draws: int, seed: int,
             chunk_draws: int = DEFAULT_CHUNK, scheduler: str | None = None,
             progress: Callable[[int], None] | None = None) -> Simulation:
    """Run ``draws`` Monte Carlo draws in chunks, locally or on the Dask scheduler at ``scheduler``."""
    plan = chunks(draws, chunk_draws)
    results: list[dict[str, FloatArray]] = []
    for result in _run(model, inputs, seed, plan, scheduler):
        results.append(result)
        if progress is not None:
            progress(len(next(iter(result.values()))))
    merged = {key: np.concatenate([r[key] for r in results]) for key in results[0]}
    return Simulation(draws, seed, merged)


def _run(model: AppraisalModel | ContractModel, inputs: Sequence[UncertainInput], seed: int,
         plan: list[list[tuple[int, int]]], scheduler: str | None) -> Iterator[dict[str, FloatArray]]:
    if scheduler is None:
        # Chunks run on a small thread pool: numpy's samplers and array operations release the GIL, so the
        # machine's cores share the work; results come back in chunk order, so they are the same as one thread's.
        workers = min(len(plan), os.cpu_count() or 1, MAX_THREADS)
        if workers <= 1:
            for chunk in plan:
                yield run_chunk(model, inputs, seed, chunk)
            return
        from threadpoolctl import threadpool_limits

        # One BLAS thread per chunk thread: BLAS's own threads would compete with ours for the same cores.
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(lambda chunk: run_chunk(model, inputs, seed, chunk), plan)
        return
    try:
        from distributed import Client
    except ImportError:
        raise ImportError("--scheduler needs Dask: pip install 'wellspent[distributed]'") from None
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        futures = [client.submit(run_chunk, model, tuple(inputs), seed, chunk, pure=False) for chunk in plan]
        for future in futures:  # in order, so results match the local run
            yield future.result()


def summarise(values: FloatArray) -> dict[str, Any]:
    """Mean, standard deviation and percentiles of the finite values (undefined draws, e.g. an IRR with nothing
    invested, are counted and left out)."""
    finite = values[np.isfinite(values)]
    summary: dict[str, Any] = {"undefined": int(values.size - finite.size)}
    if finite.size == 0:
        return {**summary, "mean": None, "sd": None, **{f"p{p}": None for p in PERCENTILES}}
    quantiles = np.percentile(finite, PERCENTILES)
    return {
        **summary,
        "mean": float(finite.mean()),
        "sd": float(finite.std(ddof=1)) if finite.size > 1 else 0.0,
        **{f"p{p}": float(q) for p, q in zip(PERCENTILES, quantiles, strict=True)},
    }
