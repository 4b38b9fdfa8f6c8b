"""``wellspent db upgrade|backup`` and the backup function on both backends."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from wellspent.cli.main import main
from wellspent.errors import InputError
from wellspent.store.backup import backup
from wellspent.store.engine import get_engine
from wellspent.store.migrate import head_revision, upgrade


def test_db_upgrade_creates_the_default_sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    assert main(["db", "upgrade", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {"database": f"sqlite:///{tmp_path / 'home' / 'wellspent.db'}", "before": None,
                        "after": head_revision(), "changed": True}
    assert main(["db", "upgrade"]) == 0
    assert "already at the newest revision" in capsys.readouterr().out


def test_db_commands_on_each_backend(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 0
    assert "Upgraded" in capsys.readouterr().out
    if database_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        assert main(["db", "backup"]) == 2
        assert "pg_dump" in capsys.readouterr().err
        return
    assert main(["db", "backup", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    path = Path(document["backup"])
    assert path.parent == tmp_path / "home" / "backups"
    assert path.stat().st_size == document["bytes"] > 0
    if database_url.startswith("sqlite"):
        assert path.suffix == ".db"
        with sqlite3.connect(path) as copy:
            assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    else:
        assert path.suffix == ".dump"
        assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_backup_never_overwrites(engine: Engine, tmp_path: Path) -> None:
    upgrade(engine)
    if engine.url.get_backend_name() == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not on the PATH")
    target = tmp_path / "copy.bak"
    assert backup(engine, target) == target
    with pytest.raises(InputError, match="already exists"):
        backup(engine, target)


def test_backup_of_a_missing_sqlite_file_is_bad_input(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'never.db'}")
    try:
        with pytest.raises(InputError, match="no database here yet"):
            backup(engine, tmp_path / "copy.db")
    finally:
        engine.dispose()


def test_postgres_backup_without_pg_dump_says_what_to_use(postgres_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_engine(postgres_url)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump here
    try:
        with pytest.raises(InputError, match="backed up with pg_dump, which is not on the PATH"):
            backup(engine, tmp_path / "x.dump")
    finally:
        engine.dispose()


def test_unreachable_database_is_bad_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["db", "upgrade"]) == 2
    assert "WELLSPENT_DATABASE_URL: cannot use the database" in capsys.readouterr().err
