"""`registry to-contract`: a contract/1 skeleton from a past project's rate card; unfilled fields say TODO."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from wellspent.cli.main import main
from wellspent.errors import InputError
from wellspent.registry.to_contract import PricedOutcome, ProjectRecord, render_skeleton
from wellspent.specs.contract_loader import load_contract

RECORD = ProjectRecord(
    id="INDIGO-POJ-9999", name="Test project", policy_sector="Homelessness", service_start="2016-04",
    duration_months=Decimal(36), targeted_service_users=240, max_outcome_payment=Decimal("1500000"),
    max_outcome_payment_currency="GBP", investment=Decimal("600000"), investment_currency="GBP",
    payers=("Department for Levelling Up",),
    outcomes=(PricedOutcome("outcomemetric1", "Entry into accommodation", Decimal(500), "GBP"),
              PricedOutcome("outcomemetric2", "Accommodation sustained 3 months", Decimal(1500), "GBP"),
              PricedOutcome("outcomemetric3", "Something priced in euros", Decimal(100), "EUR")),
)


def test_skeleton_carries_the_record_and_marks_the_rest(tmp_path: Path) -> None:
    text = render_skeleton(RECORD)
    data = yaml.safe_load(text)
    assert data["wellspent"] == "contract/1" and data["policy_area"] == "homelessness"
    assert data["start"] == "2016-04-01" and data["periods"] == 12  # 36 months = 12 quarters
    # 240 targeted users over 12 quarters: 20 a quarter (an assumption the comment says to replace)
    assert data["referrals"]["blocks"] == [{"per_period": 20.0, "first": 0, "last": 11}]
    assert [o["price"] for o in data["rate_card"]] == [500, 1500, "TODO"]  # the EUR price is not carried over
    assert data["caps"]["contract"] == 1500000 and data["investor"]["commitment"] == 600000
    assert data["payers"][0]["share"] == 1.0 and data["payers"][0]["agency"] == "TODO"
    # The loader refuses it, naming each TODO field, until the user fills them in.
    spec = tmp_path / "skeleton.yaml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_contract(spec)
    paths = {p.path for p in caught.value.problems}
    assert {"rate_card[0].achievement", "rate_card[0].lag", "rate_card[2].price", "payers[0].agency",
            "provider_costs.fixed_per_period", "investor.return_rate"} <= paths


def test_filled_in_skeleton_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = yaml.safe_load(render_skeleton(RECORD))
    data["rate_card"] = data["rate_card"][:2]
    for outcome in data["rate_card"]:
        outcome.update({"achievement": 0.5, "lag": 1})
    data["payers"][0]["agency"] = "mhclg"
    data["provider_costs"] = {"fixed_per_period": 30000, "per_referral": 100}
    data["investor"]["return_rate"] = 0.05
    spec = tmp_path / "filled.yaml"
    spec.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["contract", str(spec), "--json"]) == 0


def test_to_contract_from_the_imported_registry(indigo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path))
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    assert main(["registry", "import-indigo", str(indigo_dir), "--json"]) == 0
    capsys.readouterr()
    out = tmp_path / "fcf.yaml"
    assert main(["registry", "to-contract", "INDIGO-POJ-0131", "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    # Ambition's rate card is the Fair Chance Fund's: 21 priced metrics, assessments £500, £500, £200 first.
    assert len(data["rate_card"]) == 21
    assert [o["price"] for o in data["rate_card"][:3]] == [500, 500, 200]
    assert main(["registry", "to-contract", "INDIGO-POJ-0000"]) == 2
    assert "no project" in capsys.readouterr().err
