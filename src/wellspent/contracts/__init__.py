"""Social outcomes contracts (social impact bonds): rate cards, caps, payers, provider and investor cash flows
(DESIGN §5). A pure engine vectorised over draws, and its result."""

from __future__ import annotations

from pathlib import Path

from wellspent.contracts.engine import ContractArrays, evaluate
from wellspent.contracts.inputs import ContractInputs, ContractModel, compile_contract
from wellspent.contracts.result import SCHEMA, ContractResult, breakeven_performance
from wellspent.specs.contract import ContractSpec

__all__ = [
    "SCHEMA",
    "ContractArrays",
    "ContractInputs",
    "ContractModel",
    "ContractResult",
    "breakeven_performance",
    "compile_contract",
    "evaluate",
    "run_contract",
    "run_contract_file",
]


def run_contract(spec: ContractSpec) -> ContractResult:
    """Run a validated contract spec deterministically (one draw)."""
    model = compile_contract(spec)
    return ContractResult(model, evaluate(model.inputs))


def run_contract_file(path: str | Path) -> ContractResult:
    """Load, validate and run a contract spec file (raises :class:`wellspent.InputError` on bad input)."""
    from wellspent.specs.contract_loader import load_contract

    return run_contract(load_contract(path))
