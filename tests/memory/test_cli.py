"""``wellspent memory`` on the command line (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.memory.records import LESSON, lesson, write
from wellspent.cli.main import main


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", database_url)
    return database_url


def test_add_show_history_search_delete_export(configured: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "lesson.md", LESSON)
    assert main(["memory", "add", str(path)]) == 0
    assert "created (version 1)" in capsys.readouterr().out
    write(tmp_path, "lesson.md", LESSON.replace("small caseloads", "caseloads of ten"))
    assert main(["memory", "add", str(path), "--base-version", "1", "--note", "caseload"]) == 0
    capsys.readouterr()
    assert main(["memory", "add", str(path), "--base-version", "1"]) == 0  # identical content: no conflict, no-op
    assert "unchanged (version 2)" in capsys.readouterr().out
    write(tmp_path, "lesson.md", LESSON.replace("tenancies.", "tenancies, mostly."))
    assert main(["memory", "add", str(path), "--base-version", "1"]) == 2
    assert "Merge your change into version 2" in capsys.readouterr().err
    assert main(["memory", "show", "fcf-accommodation-sustainment"]) == 0
    assert "caseloads of ten" in capsys.readouterr().out
    assert main(["memory", "history", "fcf-accommodation-sustainment", "--json"]) == 0
    assert [v["version"] for v in json.loads(capsys.readouterr().out)] == [1, 2]
    write(tmp_path / "more", "a.md", lesson("mentoring-leeds", "failed", "Mentoring alone failed.", "Leeds"))
    assert main(["memory", "import", str(tmp_path / "more")]) == 0
    capsys.readouterr()
    assert main(["memory", "search", "mentoring", "--tried", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in groups["failed"]] == ["mentoring-leeds"] and groups["worked"] == []
    assert main(["memory", "search", "mentoring", "--tried"]) == 0
    assert "failed (1)" in capsys.readouterr().out
    assert main(["memory", "delete", "mentoring-leeds", "--reason", "duplicate"]) == 0
    assert main(["memory", "export", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["fcf-accommodation-sustainment.md"]


def test_bad_input_exits_2_and_writes_nothing(configured: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["memory", "add", str(FIXTURES / "bad_memory" / "unknown_type.md")]) == 2
    assert "unknown record type 'anecdote'" in capsys.readouterr().err
    assert main(["memory", "import", str(FIXTURES / "bad_memory")]) == 2
    err = capsys.readouterr().err
    assert "no_fence.md:1" in err and "bad_values.md:10" in err
    assert main(["memory", "search", "x", "--type", "anecdote"]) == 2
    assert main(["memory", "show", "nothing-here"]) == 2
    assert "no memory record 'nothing-here'" in capsys.readouterr().err
    assert main(["memory", "export", str(tmp_path / "out")]) == 0
    assert "wrote 0 records" in capsys.readouterr().out


def test_search_tried_answers_from_the_starter_corpus_on_a_fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    assert main(["memory", "search", "payment by results NEET", "--tried", "--json"]) == 0
    failed = json.loads(capsys.readouterr().out)["failed"]
    assert {"id": "dwp-innovation-fund-neet-pbr", "source": "starter corpus"} in [
        {"id": h["id"], "source": h["source"]} for h in failed]
    assert main(["memory", "search", "payment by results NEET", "--tried"]) == 0
    assert "dwp-innovation-fund-neet-pbr" in capsys.readouterr().out
    assert main(["memory", "search", "payment by results NEET", "--no-starter"]) == 0
    assert "no records found" in capsys.readouterr().out


def test_diff_between_versions(configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "lesson.md", LESSON)
    assert main(["memory", "add", str(path)]) == 0
    assert main(["memory", "diff", "fcf-accommodation-sustainment"]) == 2  # one version: nothing to compare
    assert "nothing to compare" in capsys.readouterr().err
    write(tmp_path, "lesson.md", LESSON.replace("small caseloads", "caseloads of ten"))
    assert main(["memory", "add", str(path), "--base-version", "1"]) == 0
    capsys.readouterr()
    assert main(["memory", "diff", "fcf-accommodation-sustainment", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["from"], document["to"], document["body_changed"]) == (1, 2, True)
    assert document["changes"] == []  # only the text changed, no front-matter field
    removed = [line for line in document["diff"].splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in document["diff"].splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert "small caseloads" in removed[0] and "caseloads of ten" in added[0]
    assert main(["memory", "diff", "fcf-accommodation-sustainment", "--from", "2", "--to", "2"]) == 2
    assert main(["memory", "diff", "fcf-accommodation-sustainment", "--from", "1", "--to", "5"]) == 2
    assert "no version 5" in capsys.readouterr().err
