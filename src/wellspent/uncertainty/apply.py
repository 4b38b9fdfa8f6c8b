"""Putting sampled values of uncertain inputs into the engines' arrays (one column per input, one row per draw).

Each uncertain field path maps to one column of one per-draw array of the compiled inputs; everything else keeps
its central value. Appraisal outcomes and costs keep their spec order; contract outcomes are in chain order, so
their column is found by id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from wellspent.appraisal.inputs import AppraisalInputs, AppraisalModel
from wellspent.contracts.inputs import ContractInputs, ContractModel

FloatArray = npt.NDArray[np.float64]
_PATH = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?(?:\[(\d+)\])?(?:\.([a-z_]+))?$")

_OUTCOME_FIELDS = {"quantity", "success_rate", "drop_off", "deadweight", "attribution", "displacement"}
_APPRAISAL_ARRAYS = ("referrals", "engagement_rate", "cost_amounts", "optimism_bias_costs", "success_rate",
                     "quantity", "unit_value", "drop_off", "deadweight", "attribution", "displacement")
_APPRAISAL_TARGET = {"engagement_rate": "engagement_rate", "optimism_bias.costs": "optimism_bias_costs",
                     "cohorts.referrals": "referrals", "costs": "cost_amounts", "outcomes.value.amount": "unit_value",
                     **{f"outcomes.{f}": f for f in _OUTCOME_FIELDS}}


def _appraisal_key(path: str) -> str:
    """``outcomes[3].success_rate`` → ``outcomes.success_rate``; ``costs[1].once`` → ``costs``."""
    bare = re.sub(r"\[\d+\]", "", path)
    return "costs" if bare.startswith("costs.") else bare


def _draw_arrays(inputs: Any, draws: int, fields: tuple[str, ...], changed: set[str]) -> dict[str, Any]:
    """Per-draw arrays for ``draws`` draws from one-draw inputs: a new array for each field that samples will
    change, a read-only broadcast view (no copy) for every other field."""
    arrays: dict[str, Any] = {}
    for name in fields:
        one = getattr(inputs, name)
        shape = (draws, *one.shape[1:])
        arrays[name] = np.repeat(one, draws, axis=0) if name in changed else np.broadcast_to(one, shape)
    return arrays


def appraisal_draws(model: AppraisalModel, samples: Mapping[str, FloatArray], draws: int) -> AppraisalInputs:
    """The model's inputs for ``draws`` draws, with each sampled path's column replaced by its samples."""
    base = model.inputs
    changed = {_APPRAISAL_TARGET.get(_appraisal_key(path), "") for path in samples}
    arrays = _draw_arrays(base, draws, _APPRAISAL_ARRAYS, changed)
    arrays["benefit_correction"] = np.broadcast_to(base.benefit_correction, (draws, base.benefit_correction.shape[1]))
    for path, values in samples.items():
        match = _PATH.match(path)
        if match is None:
            raise ValueError(f"not an uncertain appraisal input: {path}")
        head, index, field, _, sub = match.groups()
        i = int(index) if index is not None else 0
        if path == "engagement_rate":
            arrays["engagement_rate"][:] = values
        elif path == "optimism_bias.costs":
            arrays["optimism_bias_costs"][:] = values
        elif head == "cohorts" and field == "referrals":
            arrays["referrals"][:, i] = values
        elif head == "costs":
            arrays["cost_amounts"][:, i] = values
        elif head == "outcomes" and field in _OUTCOME_FIELDS:
            arrays[field][:, i] = values
        elif head == "outcomes" and field == "value" and sub == "amount":
            arrays["unit_value"][:, i] = values * model.outcome_sources[i].price_factor
        else:
            raise ValueError(f"not an uncertain appraisal input: {path}")
    return replace(base, **arrays)


def contract_draws(model: ContractModel, samples: Mapping[str, FloatArray], draws: int) -> ContractInputs:
    """The contract's inputs for ``draws`` draws, with each sampled path's column replaced by its samples."""
    base = model.inputs.repeat_draws(draws)
    arrays = {name: getattr(base, name) for name in ("referrals", "achievement", "cap_per_participant",
                                                     "cap_per_period", "cap_contract", "fixed_costs",
                                                     "cost_per_referral", "cost_per_outcome", "commitment",
                                                     "return_rate", "surplus_share")}
    spec = model.spec
    position = {outcome_id: k for k, outcome_id in enumerate(model.outcome_ids)}
    fixed_periods = spec.provider_costs.fixed_periods
    for path, values in samples.items():
        match = _PATH.match(path)
        if match is None:
            raise ValueError(f"not an uncertain contract input: {path}")
        head, index, field, index2, sub = match.groups()
        if head == "referrals" and field == "profile" and index2 is not None:
            arrays["referrals"][:, int(index2)] = values
        elif head == "referrals" and field == "blocks" and sub == "per_period" and index2 is not None:
            block = spec.referrals.blocks[int(index2)] if spec.referrals.blocks else None
            assert block is not None
            # other blocks may overlap this one: replace only this block's contribution
            arrays["referrals"][:, block.first : block.last + 1] += (values - block.per_period)[:, None]
        elif head == "rate_card" and index is not None:
            k = position[spec.rate_card[int(index)].id]
            target = {"achievement": "achievement", "provider_cost": "cost_per_outcome"}[str(field)]
            arrays[target][:, k] = values
        elif head == "caps":
            arrays[f"cap_{field}"][:] = values
        elif head == "provider_costs" and field == "fixed_per_period":
            columns = fixed_periods if fixed_periods is not None else slice(None)
            arrays["fixed_costs"][:, columns] = values[:, None]
        elif head == "provider_costs" and field == "per_referral":
            arrays["cost_per_referral"][:] = values
        elif head == "investor" and field in {"commitment", "return_rate", "surplus_share"}:
            arrays[str(field)][:] = values
        else:
            raise ValueError(f"not an uncertain contract input: {path}")
    return replace(base, **arrays)
