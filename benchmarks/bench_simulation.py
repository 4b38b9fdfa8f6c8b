"""Benchmark: 1,000,000 Monte Carlo draws of the largest example appraisal (issue 4).

Baseline in the same run: a per-draw Python loop calling the deterministic engine (a sample of draws timed and
extrapolated). Targets: ≤ 3 s and ≤ 2 GB peak memory on the 2-core machine, ≥ 100× the loop. Reports draws per
second and the share of time spent sampling vs in the engine. Run with ``make bench``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

from wellspent.appraisal.engine import evaluate  # noqa: E402
from wellspent.appraisal.inputs import compile_appraisal  # noqa: E402
from wellspent.specs.loader import load_appraisal_uncertain  # noqa: E402
from wellspent.uncertainty.apply import appraisal_draws  # noqa: E402
from wellspent.uncertainty.simulate import BLOCK, chunks, sample_block, simulate  # noqa: E402

DRAWS = 1_000_000
LOOP_SAMPLE = 2_000
SEED = 1


def largest_example() -> Path:
    def size(path: Path) -> int:
        spec, _ = load_appraisal_uncertain(path)
        return len(spec.outcomes) * spec.horizon

    return max(sorted((ROOT / "examples").glob("*.yaml")), key=size)


def peak_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path = largest_example()
    spec, inputs = load_appraisal_uncertain(path)
    if len(inputs) < 10:
        sys.exit(f"{path.name} has only {len(inputs)} uncertain inputs; the benchmark wants at least 10")
    model = compile_appraisal(spec)
    before = peak_mb()

    simulate(model, inputs, 20_000, SEED)  # warm up
    start = time.perf_counter()
    run = simulate(model, inputs, DRAWS, SEED)
    total = time.perf_counter() - start
    after = peak_mb()

    # The split between sampling and the engine, measured on one thread (the run itself uses the cores).
    import wellspent.uncertainty.simulate as simulation

    threads, simulation.MAX_THREADS = simulation.MAX_THREADS, 1
    start = time.perf_counter()
    simulate(model, inputs, DRAWS, SEED)
    serial = time.perf_counter() - start
    simulation.MAX_THREADS = threads
    start = time.perf_counter()
    for chunk in chunks(DRAWS):
        for block, n in chunk:
            sample_block(inputs, SEED, block, n)
    sampling = (time.perf_counter() - start) / serial

    samples = {p: v[:LOOP_SAMPLE] for p, v in sample_block(inputs, SEED, 0, BLOCK).items()}
    start = time.perf_counter()
    for d in range(LOOP_SAMPLE):
        one = appraisal_draws(model, {p: v[d : d + 1] for p, v in samples.items()}, 1)
        evaluate(one, len(model.agencies))
    loop = (time.perf_counter() - start) * DRAWS / LOOP_SAMPLE
    check = appraisal_draws(model, {p: v[:3] for p, v in samples.items()}, 3)
    assert np.allclose(evaluate(check, len(model.agencies)).npsv, run.metrics["npsv"][:3])

    figures = {
        "example": path.name,
        "outcomes": len(spec.outcomes),
        "horizon": spec.horizon,
        "uncertain_inputs": len(inputs),
        "draws": DRAWS,
        "seconds": total,
        "draws_per_second": DRAWS / total,
        "single_thread_seconds": serial,
        "sampling_share": sampling,
        "engine_share": 1 - sampling,
        "peak_memory_mb": after,
        "memory_before_mb": before,
        "baseline_per_draw_loop_s": loop,
        "speedup_vs_loop": loop / total,
        "p_bcr_above_1": float(np.mean(np.nan_to_num(run.metrics["bcr"], nan=-np.inf) > 1)),
        "targets": {"seconds": 3.0, "peak_memory_mb": 2048, "speedup": 100},
    }
    print(json.dumps(figures, indent=2))
    print(f"\n{DRAWS:,} draws of {path.name} ({len(inputs)} uncertain inputs): {total:.2f} s (target ≤ 3 s), "
          f"{DRAWS / total:,.0f} draws/s (one thread: {serial:.2f} s, sampling {sampling:.0%} / engine "
          f"{1 - sampling:.0%}); "
          f"peak memory {after:,.0f} MB (target ≤ 2,048); per-draw loop {loop:,.0f} s ({loop / total:,.0f}×, "
          "target ≥ 100×)")


if __name__ == "__main__":
    main()
