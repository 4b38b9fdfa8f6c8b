"""The `wellspent` command end to end (in-process through `main`, plus one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wellspent.appraisal import appraise_file
from wellspent.cli.main import main


def test_appraise_json_is_the_result_document(good_spec_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", str(good_spec_path), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == json.loads(json.dumps(appraise_file(good_spec_path).to_dict()))
    for key in ("name", "price_year", "start_year", "horizon", "pv_costs", "pv_benefits", "npsv", "bcr",
                "fiscal_bcr", "payback_year", "by_agency", "years", "outcomes"):
        assert key in document
    assert set(document["pv_benefits"]) == {"fiscal", "economic", "social", "transfers", "total"}
    assert set(document["by_agency"][0]) == {"agency", "pv_cost", "pv_fiscal_benefit", "pv_cashable", "net"}
    assert {"year", "calendar_year", "discount_factor", "costs", "benefits_fiscal", "benefits_economic",
            "benefits_social"} <= set(document["years"][0])
    assert {"name", "successes", "pv_benefit"} <= set(document["outcomes"][0])


def test_appraise_terminal_view(good_spec_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", str(good_spec_path)]) == 0
    out = capsys.readouterr().out
    for words in ("Fixture programme", "NPSV", "BCR", "Payback", "By year", "By outcome", "Who pays"):
        assert words in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise"]) == 2
    assert main(["no-such-verb"]) == 2


def test_costs_show_and_convert(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "show", "wellby-central", "--json"]) == 0
    entry = json.loads(capsys.readouterr().out)
    assert entry["amount"] == 13000 and entry["price_year"] == "2019"
    assert main(["costs", "convert", "wellby-central", "--to-year", "2024", "--json"]) == 0
    working = json.loads(capsys.readouterr().out)
    # 13,000 × 100 / 81.1085 (HMT GDP deflator, 2019 → 2024)
    assert working["converted"] == pytest.approx(13000 * 100 / 81.1085, rel=1e-12)
    assert working["index_from"] == pytest.approx(81.1085)


def test_costs_convert_shows_the_working(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "convert", "wellby-central", "--to-year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "81.1085" in out and "100.0000" in out and "£16,027.91" in out  # 1,300,000 / 81.1085 = 16,027.91


def test_costs_convert_bad_year_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "convert", "wellby-central", "--to-year", "1900"]) == 2
    assert "--to-year" in capsys.readouterr().err


def test_costs_show_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "show", "wellby-centrl"]) == 2
    assert "did you mean wellby-central" in capsys.readouterr().err


def test_costs_search_finds_by_name_with_typos(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "search", "fostr care", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and "foster" in hits[0]["name"].lower()


def test_costs_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["costs", "list", "--kind", "social", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and all(e["kind"] == "social" for e in entries)


def test_console_script_runs_in_a_real_process(good_spec_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "wellspent", "appraise", str(good_spec_path), "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == "Fixture programme"
    bad = subprocess.run([sys.executable, "-m", "wellspent", "appraise", "/no/such/spec.yaml"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "no such file" in bad.stderr and "Traceback" not in bad.stderr


def test_to_frame(good_spec_path: Path) -> None:
    frame = appraise_file(good_spec_path).to_frame()
    assert list(frame.index) == list(range(10))
    assert frame["discounted_costs"].sum() == pytest.approx(appraise_file(good_spec_path).pv_costs, rel=1e-12)


@pytest.mark.parametrize(
    ("query", "expected_word"),
    [("A&E attendance", "a&e"), ("prison", "prison"), ("fostr care", "foster"), ("rough sleeping", "rough")],
)
def test_search_ranks_name_matches_first(query: str, expected_word: str) -> None:
    from wellspent.costs.library import load_library
    from wellspent.costs.search import search

    hits = search(load_library(), query, limit=5)
    assert len(hits) == 5
    assert all(expected_word in hit.entry.name.lower() for hit in hits), [h.entry.name for h in hits]


def test_search_without_rapidfuzz_uses_difflib(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from wellspent.costs.library import load_library
    from wellspent.costs.search import search

    real_import = builtins.__import__

    def no_rapidfuzz(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("rapidfuzz"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_rapidfuzz)
    hits = search(load_library(), "fostr care", limit=3)
    assert hits and all("foster" in h.entry.name.lower() for h in hits)


def test_appraise_does_not_import_heavy_optional_modules() -> None:
    """`wellspent appraise` stays quick: a spec with distributions must not pull in scipy (nor the store)."""
    code = (
        "import sys, io, contextlib\n"
        "from wellspent.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['appraise', 'examples/trusted-relationships.yaml', '--json']) == 0\n"
        "heavy = [m for m in ('scipy', 'sqlalchemy', 'pandas', 'SALib', 'dask') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    from tests.conftest import ROOT

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
