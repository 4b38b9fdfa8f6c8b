"""Benchmark: one deterministic appraisal of the largest example, in-process and as a whole CLI process.

Baselines in the same run:
- in-process: the loop-by-loop reference implementation (tests/reference_appraisal.py) on the same inputs;
- end to end: a bare ``python -c pass`` interpreter start, and ``wellspent --help``.

Targets (issue 2): in-process ≤ 5 ms, CLI end-to-end ≤ 1 s. Run with ``make bench``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reference_appraisal import reference_appraisal  # noqa: E402

from wellspent.appraisal import AppraisalResult, appraise_file, compile_appraisal, evaluate  # noqa: E402
from wellspent.costs.library import load_library  # noqa: E402
from wellspent.specs import load_appraisal  # noqa: E402


def largest_example() -> Path:
    """The example with the most outcome-years (outcomes × horizon)."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    library = load_library()

    def size(path: Path) -> int:
        spec = load_appraisal(path, library)
        return len(spec.outcomes) * spec.horizon

    return max(examples, key=size)


def per_call(fn: Callable[[], object], repeat: int = 7, min_time: float = 0.2) -> float:
    """Median seconds per call over ``repeat`` batches each lasting at least ``min_time``."""
    fn()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - start >= min_time:
            break
        calls *= 2
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def wall(cmd: list[str], repeat: int = 7) -> float:
    """Median wall-clock seconds of a whole process."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    path = largest_example()
    library = load_library()
    spec = load_appraisal(path, library)
    model = compile_appraisal(spec, library)
    n_agencies = len(model.agencies)

    engine = per_call(lambda: evaluate(model.inputs, n_agencies))
    compiled = per_call(lambda: AppraisalResult(compile_appraisal(spec, library),
                                                evaluate(model.inputs, n_agencies)).to_dict())
    whole = per_call(lambda: appraise_file(path, library).to_dict())
    reference = per_call(lambda: reference_appraisal(model))
    batch = 1000
    many = model.inputs.repeat_draws(batch)
    engine_batch = per_call(lambda: evaluate(many, n_agencies))

    exe = str(Path(sys.executable).parent / "wellspent")
    python_start = wall([sys.executable, "-c", "pass"])
    help_start = wall([exe, "--help"])
    cli = wall([exe, "appraise", str(path), "--json"])

    figures = {
        "example": path.name,
        "outcomes": len(spec.outcomes),
        "horizon": spec.horizon,
        "cohorts": len(spec.cohorts),
        "engine_ms": engine * 1e3,
        "compile_engine_to_dict_ms": compiled * 1e3,
        "load_validate_appraise_to_dict_ms": whole * 1e3,
        "baseline_reference_loop_ms": reference * 1e3,
        "engine_speedup_vs_loop": reference / engine,
        "engine_1000_draws_ms": engine_batch * 1e3,
        "baseline_reference_loop_1000_draws_ms": reference * batch * 1e3,
        "engine_1000_draws_speedup_vs_loop": reference * batch / engine_batch,
        "cli_appraise_json_s": cli,
        "baseline_python_start_s": python_start,
        "baseline_wellspent_help_s": help_start,
        "targets": {"in_process_ms": 5.0, "cli_s": 1.0},
    }
    print(json.dumps(figures, indent=2))
    print(f"\nin-process (load + validate + appraise + to_dict): {whole * 1e3:.2f} ms "
          f"(target ≤ 5 ms) — engine alone {engine * 1e3:.3f} ms vs reference loop {reference * 1e3:.3f} ms "
          f"({reference / engine:.0f}×)")
    print(f"1,000 draws in one call: {engine_batch * 1e3:.2f} ms vs {reference * batch * 1e3:.0f} ms for 1,000 "
          f"reference loops ({reference * batch / engine_batch:.0f}×)")
    print(f"CLI end to end: {cli:.3f} s (target ≤ 1 s); python start {python_start:.3f} s, "
          f"wellspent --help {help_start:.3f} s")


if __name__ == "__main__":
    main()
