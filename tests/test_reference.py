"""The vectorised engine agrees with the loop-by-loop reference implementation on random specs."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings

from tests.reference_appraisal import reference_appraisal
from tests.test_properties import specs
from wellspent.appraisal import AppraisalResult, compile_appraisal, evaluate
from wellspent.specs import AppraisalSpec


@settings(max_examples=80, deadline=None)
@given(specs())
def test_engine_matches_reference(data: dict[str, Any]) -> None:
    model = compile_appraisal(AppraisalSpec.model_validate(data))
    result = AppraisalResult(model, evaluate(model.inputs, len(model.agencies))).to_dict()
    expected = reference_appraisal(model)

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)

    assert close(result["pv_costs"], expected["pv_costs"])
    for kind in ("fiscal", "economic", "social", "transfers", "total"):
        assert close(result["pv_benefits"][kind], expected["pv_benefits"][kind])
    assert result["payback_year"] == expected["payback_year"]
    assert all(close(row["costs"], c) for row, c in zip(result["years"], expected["costs"], strict=True))
    for row in result["by_agency"]:
        assert close(row["pv_cost"], expected["costs_by_agency"].get(row["agency"], 0.0))
        assert close(row["pv_fiscal_benefit"], expected["fiscal_by_agency"].get(row["agency"], 0.0))
