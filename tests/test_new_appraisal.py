"""``wellspent new appraisal --policy-area AREA``: a commented starter spec for every policy area with a worked
example, which appraises as written and matches its example's central case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from wellspent.appraisal import appraise_file
from wellspent.cli.main import main
from wellspent.cli.new import template_areas
from wellspent.specs import load_appraisal

# policy area → its worked example (examples/<name>.yaml)
AREAS = {
    "children-and-young-people": "trusted-relationships",
    "child-and-family-welfare": "edge-of-care",
    "homelessness": "rough-sleeping-housing-led",
    "employment-and-training": "neet-into-work",
}
TEMPLATES = ROOT / "src" / "wellspent" / "data" / "templates" / "appraisal"


def test_every_worked_example_area_has_a_template() -> None:
    assert template_areas() == sorted(AREAS)
    examples = {load_appraisal(EXAMPLES / f"{name}.yaml").policy_area for name in AREAS.values()}
    assert examples == set(AREAS)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_writes_the_template_byte_for_byte_and_it_appraises(
        area: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "appraisal", "--policy-area", area]) == 0
    written = tmp_path / f"{area}-appraisal.yaml"
    out = capsys.readouterr().out
    assert f"wrote {written.name}" in out
    assert f"wellspent appraise {written.name}" in out  # the next command to run
    assert written.read_bytes() == (TEMPLATES / f"{area}.yaml").read_bytes()  # a copy: comments kept
    text = written.read_text(encoding="utf-8")
    assert text.count("\n#") > 10 and "wellspent costs search" in text and "price_year" in text
    assert main(["appraise", str(written), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"]


@pytest.mark.parametrize("area", sorted(AREAS))
def test_template_is_its_example_at_central_values(area: str) -> None:
    """Built from the example: same structure and unit-cost ids, each distribution at its mode, which is what
    `wellspent appraise` uses for the example, so the two results agree exactly."""
    template = load_appraisal(TEMPLATES / f"{area}.yaml")
    example = load_appraisal(EXAMPLES / f"{AREAS[area]}.yaml")
    assert template.policy_area == area
    assert [o.unit_cost for o in template.outcomes] == [o.unit_cost for o in example.outcomes]
    assert [c.name for c in template.costs] == [c.name for c in example.costs]
    assert template.model_dump(exclude={"business_case"}) == example.model_dump(exclude={"business_case"})
    ours = appraise_file(TEMPLATES / f"{area}.yaml").to_dict()
    theirs = appraise_file(EXAMPLES / f"{AREAS[area]}.yaml").to_dict()
    assert ours["npsv"] == pytest.approx(theirs["npsv"], rel=1e-12)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_template_has_a_narrative_skeleton_with_prompts(area: str) -> None:
    case = load_appraisal(TEMPLATES / f"{area}.yaml").business_case
    assert case is not None and case.strategic is not None and case.management is not None
    assert case.commercial is not None and case.commercial.contract is None  # a link is offered in a comment only
    assert case.strategic.problem is not None and "TODO" in case.strategic.problem
    assert [step.split(":")[0] for step in case.strategic.theory_of_change] == \
        ["Inputs", "Activities", "Outputs", "Outcomes"]
    assert case.management.evaluation is not None and "Magenta Book" in case.management.evaluation
    assert case.management.risks and case.management.risks[0].risk.startswith("TODO")


def test_output_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.yaml"
    assert main(["new", "appraisal", "--policy-area", "homelessness", "--output", str(target)]) == 0
    assert target.read_bytes() == (TEMPLATES / "homelessness.yaml").read_bytes()
    assert f"wellspent appraise {target}" in capsys.readouterr().out


def test_unknown_area_exits_2_listing_the_areas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.yaml"
    assert main(["new", "appraisal", "--policy-area", "health", "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert "--policy-area" in err and "'health'" in err
    for area in AREAS:
        assert area in err
    assert "Traceback" not in err
    assert not target.exists()


def test_existing_file_exits_2_unless_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("my own work\n", encoding="utf-8")
    assert main(["new", "appraisal", "--policy-area", "homelessness", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "my own work\n"  # untouched
    assert main(["new", "appraisal", "--policy-area", "homelessness", "-o", str(target), "--force"]) == 0
    assert target.read_bytes() == (TEMPLATES / "homelessness.yaml").read_bytes()


def test_missing_folder_and_directory_targets_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "appraisal", "--policy-area", "homelessness", "-o", str(tmp_path / "no" / "x.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["new", "appraisal", "--policy-area", "homelessness", "-o", str(tmp_path), "--force"]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_policy_area_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "appraisal"]) == 2
    assert "--policy-area" in capsys.readouterr().err
