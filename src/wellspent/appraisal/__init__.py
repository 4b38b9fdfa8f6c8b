"""Green Book cost-benefit appraisal of a programme (DESIGN §3): a pure, vectorised engine and its result."""

from __future__ import annotations

from pathlib import Path

from wellspent.appraisal.engine import AppraisalArrays, evaluate
from wellspent.appraisal.inputs import AppraisalInputs, AppraisalModel, compile_appraisal
from wellspent.appraisal.result import SCHEMA, AppraisalResult
from wellspent.costs.library import UnitCostLibrary
from wellspent.specs.appraisal import AppraisalSpec

__all__ = [
    "SCHEMA",
    "AppraisalArrays",
    "AppraisalInputs",
    "AppraisalModel",
    "AppraisalResult",
    "appraise",
    "appraise_file",
    "compile_appraisal",
    "evaluate",
]


def appraise(spec: AppraisalSpec, library: UnitCostLibrary | None = None) -> AppraisalResult:
    """Appraise a validated spec deterministically (one draw)."""
    model = compile_appraisal(spec, library)
    return AppraisalResult(model, evaluate(model.inputs, len(model.agencies)))


def appraise_file(path: str | Path, library: UnitCostLibrary | None = None) -> AppraisalResult:
    """Load, validate and appraise a spec file (raises :class:`wellspent.InputError` on bad input)."""
    from wellspent.specs.loader import load_appraisal

    return appraise(load_appraisal(path, library), library)
