"""The optional ``business_case`` block of an appraisal spec (issue 7): its models, the loader's check of a linked
contract, ``linked_contract_path``, and the narratives of the four worked examples (which must not move their
results)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from tests.conftest import EXAMPLES
from wellspent.appraisal import appraise, appraise_file
from wellspent.errors import InputError
from wellspent.specs import load_appraisal
from wellspent.specs.appraisal import BusinessCase, CommercialCase, ManagementCase, Risk, StrategicCase
from wellspent.specs.loader import linked_contract_path, validate_appraisal
from wellspent.specs.strict_yaml import StrictDocument

# A minimal spec whose result is worked out by hand (see test_block_does_not_change_a_hand_worked_result).
TINY = """\
wellspent: appraisal/1
name: Tiny
policy_area: homelessness
price_year: 2024
start_year: 2025
horizon: 1
cohorts: [{year: 0, referrals: 1}]
costs:
  - {name: Set-up, agency: la-housing, once: 1000, year: 0}
outcomes:
  - name: Saving
    value: {amount: 2000, price_year: 2024, per: event, kind: fiscal, agency: la-housing, confidence: 1,
            source: hand-worked test value}
    success_rate: 1.0
"""

FULL_BLOCK = """\
business_case:
  strategic:
    problem: |-
      First paragraph.

      Second paragraph.
    objectives: [House 30 people in 2025]
    theory_of_change: ["inputs → team", "activities → tenancies", "outputs → people housed", "outcomes → stay housed"]
    evidence: [Crisis 2016]
  commercial:
    contract: contracts/c.yaml
    notes: Grant to a provider
  management:
    governance: Board chaired by the Director of Housing
    monitoring: ["Tenancies sustained - provider records, quarterly"]
    evaluation: Matched comparison group (quasi-experimental)
    risks:
      - {risk: Too few tenancies, mitigation: Landlord engagement, owner: Head of housing options}
"""


def _write(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _contract_beside(folder: Path) -> None:
    (folder / "contracts").mkdir()
    (folder / "contracts" / "c.yaml").write_text("wellspent: contract/1\n", encoding="utf-8")


# --- models -------------------------------------------------------------------------------------------------------

def test_every_part_is_optional() -> None:
    empty = BusinessCase.model_validate({})
    assert (empty.strategic, empty.commercial, empty.management) == (None, None, None)
    strategic = StrategicCase.model_validate({})
    assert strategic.problem is None
    assert (strategic.objectives, strategic.theory_of_change, strategic.evidence) == ([], [], [])
    assert CommercialCase.model_validate({}).contract is None
    management = ManagementCase.model_validate({})
    assert (management.governance, management.monitoring, management.evaluation, management.risks) == \
        (None, [], None, [])


def test_risk_needs_its_risk_and_unknown_keys_are_rejected() -> None:
    assert Risk.model_validate({"risk": "r"}).owner is None
    with pytest.raises(ValidationError, match="risk"):
        Risk.model_validate({"mitigation": "m"})
    with pytest.raises(ValidationError, match="extra"):
        ManagementCase.model_validate({"risk_register": []})
    with pytest.raises(ValidationError):
        StrategicCase.model_validate({"objectives": "one string, not a list"})


def test_full_block_loads_in_order(tmp_path: Path) -> None:
    _contract_beside(tmp_path)
    spec = load_appraisal(_write(tmp_path, TINY + FULL_BLOCK))
    case = spec.business_case
    assert case is not None and case.strategic is not None and case.management is not None
    assert case.strategic.problem == "First paragraph.\n\nSecond paragraph."
    assert case.strategic.theory_of_change[0] == "inputs → team"
    assert len(case.strategic.theory_of_change) == 4
    assert case.management.risks[0].owner == "Head of housing options"
    assert spec.model_copy(update={"business_case": None}).business_case is None


def test_a_spec_without_the_block_has_none(good_spec_path: Path) -> None:
    assert load_appraisal(good_spec_path).business_case is None
    assert linked_contract_path(good_spec_path, load_appraisal(good_spec_path)) is None


# --- loader and linked path -----------------------------------------------------------------------------------------

def test_linked_contract_resolves_beside_the_spec_file(tmp_path: Path) -> None:
    _contract_beside(tmp_path)
    path = _write(tmp_path, TINY + FULL_BLOCK)
    assert linked_contract_path(path, load_appraisal(path)) == tmp_path / "contracts" / "c.yaml"


def test_linked_contract_path_is_relative_to_the_spec_not_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    _contract_beside(folder)
    _write(folder, TINY + FULL_BLOCK)
    monkeypatch.chdir(tmp_path)
    relative = Path("specs") / "spec.yaml"
    assert linked_contract_path(relative, load_appraisal(relative)) == Path("specs/contracts/c.yaml")


def test_missing_linked_contract_is_a_problem_at_its_field(tmp_path: Path) -> None:
    path = _write(tmp_path, TINY + FULL_BLOCK)  # no contracts/c.yaml beside it
    with pytest.raises(InputError) as caught:
        load_appraisal(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.path == "business_case.commercial.contract"
    assert "no such file" in problem.message and "contracts/c.yaml" in problem.message
    assert problem.line == TINY.count("\n") + 11  # the `contract:` line is FULL_BLOCK's 11th


def test_linked_contract_that_is_a_folder_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "contracts" / "c.yaml").mkdir(parents=True)
    with pytest.raises(InputError, match="is a directory"):
        load_appraisal(_write(tmp_path, TINY + FULL_BLOCK))


def test_contract_problem_is_reported_with_other_problems(tmp_path: Path) -> None:
    text = (TINY + FULL_BLOCK).replace("horizon: 1", "horizon: 0")
    with pytest.raises(InputError) as caught:
        load_appraisal(_write(tmp_path, text))
    assert [p.path for p in caught.value.problems] == ["horizon", "business_case.commercial.contract"]


# --- the engine ignores the block -----------------------------------------------------------------------------------

def test_block_does_not_change_a_hand_worked_result(tmp_path: Path) -> None:
    # By hand: one referral, engagement 1 → 1 engaged person in year 0 (undiscounted, DF_0 = 1).
    # Costs: once £1,000 × (1 + optimism bias 0) = £1,000.  Benefit: 1 success × 1 × £2,000 (grade 1: 0% correction,
    # same price year, no deadweight) = £2,000 fiscal.  NPSV = 2,000 − 1,000 = £1,000; BCR = 2,000 / 1,000 = 2.
    _contract_beside(tmp_path)
    result = appraise_file(_write(tmp_path, TINY + FULL_BLOCK)).to_dict()
    assert result["pv_costs"] == pytest.approx(1000.0)
    assert result["pv_benefits"]["fiscal"] == pytest.approx(2000.0)
    assert result["npsv"] == pytest.approx(1000.0)
    assert result["bcr"] == pytest.approx(2.0)


# --- the worked examples --------------------------------------------------------------------------------------------

# Headline figures from docs/examples.md, worked out when the examples were written (before they had narratives):
# example → (BCR, fiscal BCR, payback year), rounded as the docs give them.
HEADLINES: dict[str, tuple[float, float, int | None, int]] = {
    # name: (bcr, fiscal_bcr, payback_year, decimals of fiscal_bcr in the docs)
    "trusted-relationships": (1.45, 1.25, 4, 2),
    "edge-of-care": (1.47, 1.43, 1, 2),
    "rough-sleeping-housing-led": (1.13, 0.6, None, 1),
    "neet-into-work": (0.78, 0.24, None, 2),
}


def _without_block(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    stripped = copy.deepcopy(data)
    stripped.pop("business_case")
    return appraise(validate_appraisal(StrictDocument(stripped, str(path)))).to_dict()


@pytest.mark.parametrize("name", sorted(HEADLINES))
def test_example_carries_a_full_narrative(name: str) -> None:
    spec = load_appraisal(EXAMPLES / f"{name}.yaml")
    case = spec.business_case
    assert case is not None and case.strategic is not None and case.management is not None
    assert case.commercial is not None and case.commercial.notes
    assert case.strategic.problem and "\n\n" in case.strategic.problem  # at least two paragraphs
    assert len(case.strategic.objectives) >= 2
    assert len(case.strategic.theory_of_change) >= 4
    assert case.strategic.theory_of_change[0].startswith("Inputs:")
    assert len(case.strategic.evidence) >= 2
    assert case.management.governance and case.management.evaluation
    assert "Magenta Book" in case.management.evaluation
    assert len(case.management.monitoring) >= 3
    assert case.management.risks and all(r.mitigation and r.owner for r in case.management.risks)


@pytest.mark.parametrize("name", sorted(HEADLINES))
def test_example_results_are_unchanged_by_the_narrative(name: str) -> None:
    path = EXAMPLES / f"{name}.yaml"
    result = appraise_file(path).to_dict()
    assert result == _without_block(path)
    bcr, fiscal_bcr, payback, decimals = HEADLINES[name]
    assert round(result["bcr"], 2) == bcr
    assert round(result["fiscal_bcr"], decimals) == fiscal_bcr
    assert result["payback_year"] == payback


def test_only_trusted_relationships_links_a_contract() -> None:
    linked = {}
    for name in HEADLINES:
        path = EXAMPLES / f"{name}.yaml"
        linked[name] = linked_contract_path(path, load_appraisal(path))
    assert linked["trusted-relationships"] == EXAMPLES / "contracts" / "trusted-relationships-outcomes.yaml"
    assert linked["trusted-relationships"].is_file()
    assert {name for name, path in linked.items() if path is not None} == {"trusted-relationships"}
