"""The simulation result document (schema ``wellspent.simulation/1``): what was uncertain, the deterministic
result at central values, percentiles of every headline figure, probabilities, and the sensitivity analyses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from wellspent.appraisal.engine import evaluate as evaluate_appraisal
from wellspent.appraisal.inputs import AppraisalModel
from wellspent.appraisal.result import AppraisalResult
from wellspent.contracts.engine import evaluate as evaluate_contract
from wellspent.contracts.inputs import ContractModel
from wellspent.contracts.result import ContractResult
from wellspent.uncertainty.sensitivity import (
    contract_switching_values,
    contract_tornado,
    sobol_indices,
    switching_values,
    tornado,
)
from wellspent.uncertainty.simulate import DEFAULT_CHUNK, simulate, summarise
from wellspent.uncertainty.spec_inputs import UncertainInput

SCHEMA = "wellspent.simulation/1"
HISTOGRAM_BINS = 40
"""Equal-width bins of the NPSV histogram carried in the report (for the distribution chart)."""


def npsv_histogram(npsv: np.ndarray, bins: int = HISTOGRAM_BINS) -> dict[str, list[float] | list[int]]:
    """Counts of the finite NPSV draws (£, price-year prices) in ``bins`` equal-width bins from the smallest to
    the largest draw (``numpy.histogram``: every bin half-open except the last, which includes its right edge).
    ``bins`` holds the ``bins + 1`` edges; the counts add up to the number of finite draws."""
    finite = npsv[np.isfinite(npsv)]
    if finite.size == 0:
        return {"bins": [], "counts": []}
    counts, edges = np.histogram(finite, bins=bins)
    return {"bins": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def simulation_report(model: AppraisalModel | ContractModel, inputs: Sequence[UncertainInput], draws: int,
                      seed: int, *, chunk_draws: int = DEFAULT_CHUNK, scheduler: str | None = None,
                      sobol: bool = False, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Run the Monte Carlo and the sensitivity analyses and lay out the result document."""
    run = simulate(model, inputs, draws, seed, chunk_draws=chunk_draws, scheduler=scheduler, progress=progress)
    m = run.metrics
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": "appraisal" if isinstance(model, AppraisalModel) else "contract",
        "name": model.spec.name,
        "draws": draws,
        "seed": seed,
        "inputs": [{"path": u.path, "distribution": u.distribution.describe(), "central": u.central}
                   for u in inputs],
    }
    if isinstance(model, AppraisalModel):
        central = AppraisalResult(model, evaluate_appraisal(model.inputs, len(model.agencies)))
        bcr = m["bcr"]
        document.update({
            "price_year": model.spec.price_year,
            "deterministic": {"npsv": central.npsv, "bcr": central.bcr, "fiscal_bcr": central.fiscal_bcr},
            "results": {
                "npsv": summarise(m["npsv"]),
                "bcr": summarise(bcr),
                "fiscal_bcr": summarise(m["fiscal_bcr"]),
                "pv_costs": summarise(m["pv_costs"]),
                "pv_benefits": summarise(m["pv_benefits"]),
                "agency_net": {key.split(":", 1)[1]: summarise(values)
                               for key, values in m.items() if key.startswith("net:")},
            },
            "probability_bcr_above_1": float(np.mean(np.nan_to_num(bcr, nan=-np.inf) > 1.0)),
            "probability_bcr_above_2": float(np.mean(np.nan_to_num(bcr, nan=-np.inf) > 2.0)),
            "probability_npsv_positive": float(np.mean(m["npsv"] > 0.0)),
            "npsv_histogram": npsv_histogram(m["npsv"]),
            "tornado": tornado(model, inputs),
            "switching_values": switching_values(model, inputs),
            "sobol": sobol_indices(model, inputs, seed=seed) if sobol else None,
        })
    else:
        central_contract = ContractResult(model, evaluate_contract(model.inputs))
        multiple = m["money_multiple"]
        document.update({
            "deterministic": {
                "outcome_payments_total": central_contract.outcome_payments_total,
                "investor_irr": central_contract.investor_irr,
                "money_multiple": central_contract.money_multiple,
            },
            "results": {
                "outcome_payments": summarise(m["outcome_payments"]),
                "investor_irr": summarise(m["investor_irr"]),
                "money_multiple": summarise(multiple),
                "peak_capital": summarise(m["peak_capital"]),
                "provider_net": summarise(m["provider_net"]),
                "payer_payments": {key.split(":", 1)[1]: summarise(values)
                                   for key, values in m.items() if key.startswith("payer:")},
            },
            "probability_investors_repaid": float(np.mean(np.nan_to_num(multiple, nan=-np.inf) >= 1.0)),
            "tornado": contract_tornado(model, inputs),
            "switching_values": contract_switching_values(model, inputs),
        })
    return document
