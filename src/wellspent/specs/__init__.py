"""Spec files users write (YAML), their pydantic models, and a loader whose errors name file, field and line."""

from wellspent.specs.appraisal import AppraisalSpec, Cohort, Cost, OptimismBias, Outcome, ValueBlock
from wellspent.specs.loader import load_appraisal, validate_appraisal

__all__ = [
    "AppraisalSpec",
    "Cohort",
    "Cost",
    "OptimismBias",
    "Outcome",
    "ValueBlock",
    "load_appraisal",
    "validate_appraisal",
]
