"""Configuration by environment (DESIGN §1): where the database is and how SQLite connections are set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from wellspent.errors import InputError
from wellspent.store.engine import data_home, database_url, describe, get_engine


def test_default_is_an_sqlite_file_in_wellspent_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    assert data_home() == tmp_path / "home"
    url = database_url()
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "home" / "wellspent.db")


def test_home_defaults_to_the_platform_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_path

    monkeypatch.delenv("WELLSPENT_HOME", raising=False)
    assert data_home() == user_data_path("wellspent", appauthor=False)


def test_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", "postgresql://someone:secret@db.example:5432/wellspent")
    url = database_url()
    assert url.drivername == "postgresql+psycopg"  # psycopg 3, not SQLAlchemy's psycopg2 default
    assert url.database == "wellspent"
    assert "secret" not in describe(url)
    assert database_url("sqlite:////tmp/elsewhere.db").database == "/tmp/elsewhere.db"  # an explicit URL wins


def test_a_bad_url_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELLSPENT_DATABASE_URL", "not a url")
    with pytest.raises(InputError, match="WELLSPENT_DATABASE_URL: not a database URL"):
        database_url()
    with pytest.raises(InputError, match="cannot use database driver 'nosuchdb'"):
        get_engine("nosuchdb://x/y")


def test_sqlite_file_is_created_on_first_use_with_wal_and_foreign_keys(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path / "new" / "home"))
    monkeypatch.delenv("WELLSPENT_DATABASE_URL", raising=False)
    engine = get_engine()
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
    assert (tmp_path / "new" / "home" / "wellspent.db").is_file()


def test_sqlite_transactions_roll_back_ddl_and_dml(tmp_path: Path) -> None:
    """SQLAlchemy sends BEGIN itself, so a failed migration or import leaves nothing behind (not even a table)."""
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(RuntimeError), engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("boom")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 't'")).scalar() == 0
    finally:
        engine.dispose()
