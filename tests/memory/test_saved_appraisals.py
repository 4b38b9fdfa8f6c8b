"""``wellspent appraise|contract SPEC --save``: runs kept as versioned memory records (issue 6 item 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wellspent.cli.main import main
from wellspent.memory.files import read_record
from wellspent.memory.service import library_version, saved_run_result

ROOT = Path(__file__).resolve().parents[2]
APPRAISAL = ROOT / "examples" / "trusted-relationships.yaml"
CONTRACT = ROOT / "examples" / "contracts" / "fair-chance-fund.yaml"
RECORD_ID = "appraisal-trusted-relationships-for-young-people-at-risk-of-exploitation"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    return tmp_path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    assert main(argv) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _show(record_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out, _ = _run(["memory", "show", record_id, "--json"], capsys)
    shown: dict[str, object] = json.loads(out)
    return shown


def test_save_twice_is_a_no_op_and_a_changed_spec_is_a_new_version(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = home / "spec.yaml"
    shutil.copy(APPRAISAL, spec)
    shutil.copytree(APPRAISAL.parent / "contracts", home / "contracts")  # the spec's business case links one
    plain, _ = _run(["appraise", str(spec)], capsys)
    out, err = _run(["appraise", str(spec), "--save"], capsys)
    assert out == plain  # the normal output is unchanged; the note goes to stderr
    assert err == f"saved as memory record {RECORD_ID} (version 1)\n"
    _, err = _run(["appraise", str(spec), "--save", "--role", "economist"], capsys)
    assert err == f"saved as memory record {RECORD_ID} (version 1, unchanged)\n"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text + "\n# assumptions reviewed\n", encoding="utf-8")
    _, err = _run(["appraise", str(spec), "--save"], capsys)
    assert err == f"saved as memory record {RECORD_ID} (version 2)\n"
    out, _ = _run(["memory", "history", RECORD_ID, "--json"], capsys)
    assert [v["version"] for v in json.loads(out)] == [1, 2]


def test_the_stored_result_is_the_json_output(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(["appraise", str(APPRAISAL), "--json", "--save"], capsys)
    result = json.loads(out)
    assert err.startswith("saved as memory record ")
    shown = _show(RECORD_ID, capsys)
    markdown = shown["markdown"]
    assert isinstance(markdown, str)
    path = home / "record.md"
    path.write_text(markdown, encoding="utf-8")
    record = read_record(path)
    assert saved_run_result(record) == result
    front = record.front_matter()
    assert front["type"] == "appraisal" and front["title"] == result["name"]
    assert front["author_role"] == "analyst" and front["spec_file"] == str(APPRAISAL)
    assert front["library_version"] == library_version()
    assert front["npsv"] == result["npsv"] and front["bcr"] == result["bcr"]
    assert front["fiscal_bcr"] == result["fiscal_bcr"] and front["payback_year"] == result["payback_year"]
    assert APPRAISAL.read_text(encoding="utf-8").strip() in record.body


def test_a_saved_contract(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(["contract", str(CONTRACT), "--json", "--save", "--role", "commissioner"], capsys)
    result = json.loads(out)
    record_id = err.split()[4]
    assert record_id.startswith("contract-") and err.endswith("(version 1)\n")
    path = home / "contract.md"
    markdown = _show(record_id, capsys)["markdown"]
    assert isinstance(markdown, str)
    path.write_text(markdown, encoding="utf-8")
    record = read_record(path)
    assert saved_run_result(record) == result
    front = record.front_matter()
    assert front["author_role"] == "commissioner"
    assert front["outcome_payments_total"] == result["outcome_payments_total"]
    assert front["investor_irr"] == result["investor_irr"]


def test_export_import_round_trip_and_search(home: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _run(["appraise", str(APPRAISAL), "--save"], capsys)
    exported = home / "exported"
    _run(["memory", "export", str(exported)], capsys)
    first = (exported / f"{RECORD_ID}.md").read_bytes()
    monkeypatch.setenv("WELLSPENT_HOME", str(home / "other-home"))
    _run(["memory", "import", str(exported)], capsys)
    again = home / "again"
    _run(["memory", "export", str(again)], capsys)
    assert (again / f"{RECORD_ID}.md").read_bytes() == first
    out, _ = _run(["memory", "search", "trusted relationships exploitation", "--json"], capsys)
    hits = {hit["id"]: hit for hit in json.loads(out)}
    assert hits[RECORD_ID]["type"] == "appraisal" and hits[RECORD_ID]["source"] == "store"
