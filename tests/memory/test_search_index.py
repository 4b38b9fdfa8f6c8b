"""The persistent memory search index (migration 0005; ADR 0012) follows every write, on SQLite and PostgreSQL:
add, update, delete, re-add; the migration fills it from records already stored; registry projects are ranked with
the records; the bounded SQLite path agrees with the exact one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text

from tests.memory.records import DECISION, LESSON, REVIEW, lesson, write
from wellspent.memory import search_index
from wellspent.memory.files import read_record
from wellspent.memory.model import search_text
from wellspent.memory.service import add_file, delete_record, import_directory, search_records, starter_corpus
from wellspent.registry.search import refresh_search_index
from wellspent.store.migrate import upgrade
from wellspent.store.models import Import, Project

LESSON_ID = "fcf-accommodation-sustainment"


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


def _ids(engine: Engine, query: str, **options: Any) -> list[str]:
    return [hit.id for hit in search_records(engine, query, starter=False, **options)]


def _index_size(engine: Engine) -> int:
    """Rows in the index; on SQLite its small title-and-fields table must hold the same rowids."""
    with engine.connect() as connection:
        size = int(connection.execute(text("SELECT count(*) FROM memory_search")).scalar_one())
        if engine.dialect.name == "sqlite":
            assert connection.execute(text(
                "SELECT rowid, record_id, type, title, fields FROM memory_search ORDER BY rowid")).all() == \
                connection.execute(text(
                    "SELECT rowid, record_id, type, title, fields FROM memory_search_head ORDER BY rowid")).all()
        return size


def test_the_index_follows_add_update_delete_and_readd(store: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "lesson.md", LESSON)
    add_file(store, path)
    assert _ids(store, "keyworkers") == [LESSON_ID]
    assert _index_size(store) == 1
    # update: the old word leaves the index, the new one arrives; still one row
    write(tmp_path, "lesson.md", LESSON.replace("Keyworkers", "Navigators"))
    add_file(store, path)
    assert _ids(store, "keyworkers") == []
    assert _ids(store, "navigators") == [LESSON_ID]
    assert _index_size(store) == 1
    # a front-matter field is searched too ("for_whom"), and the type filter uses the index's type
    assert _ids(store, "priority need") == [LESSON_ID]
    assert _ids(store, "navigators", record_type="lesson") == [LESSON_ID]
    assert _ids(store, "navigators", record_type="decision") == []
    delete_record(store, LESSON_ID, "superseded")
    assert _ids(store, "navigators") == []
    assert _index_size(store) == 0
    add_file(store, path)  # re-adding restores it, as a new version
    assert _ids(store, "navigators") == [LESSON_ID]
    assert _index_size(store) == 1
    # rebuilding from the tables gives the same index
    with store.begin() as connection:
        assert search_index.rebuild_index(connection) == 1
    assert _ids(store, "navigators") == [LESSON_ID] and _ids(store, "keyworkers") == []


def test_a_failed_save_leaves_the_index_as_it_was(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    write(folder, "lesson.md", LESSON)
    write(folder, "bad.md", lesson("mentoring-leeds", "failed", "Mentoring failed.", "Leeds").replace(
        "result: failed", "result: failed\nlinks: [{record: no-such-record}]"))
    with pytest.raises(Exception, match="no-such-record"):
        import_directory(store, folder)
    assert _index_size(store) == 0
    assert _ids(store, "keyworkers mentoring") == []


def test_more_matched_words_rank_first_then_relevance(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    # one word in each of the first two; both words in the third; one word three times in the fourth
    write(folder, "a.md", lesson("rec-a", "worked", "Coaching helped.", "Leeds"))
    write(folder, "b.md", lesson("rec-b", "worked", "Tenancies were sustained.", "York"))
    write(folder, "c.md", lesson("rec-c", "mixed", "Coaching kept tenancies going.", "Hull"))
    write(folder, "d.md", lesson("rec-d", "failed", "Coaching, coaching and more coaching.", "Bath"))
    import_directory(store, folder)
    ranked = _ids(store, "coaching tenancies")
    assert ranked[0] == "rec-c"  # the only record with both words
    assert set(ranked) == {"rec-a", "rec-b", "rec-c", "rec-d"}
    # between rec-a and rec-d (one word each, in the body), rec-d says it three times. By hand, bm25 body term
    # (k1 = 1.2, b = 0.75, body lengths 2, 3, 4, 5 words, mean 3.5): rec-a 1 × 2.2 / (1 + 1.2 × (0.25 + 0.75 × 2/3.5))
    # = 1.213; rec-d 3 × 2.2 / (3 + 1.2 × (0.25 + 0.75 × 5/3.5)) = 1.439, so rec-d ranks higher; on PostgreSQL
    # ts_rank_cd counts three covers against one.
    assert ranked.index("rec-d") < ranked.index("rec-a")


def test_the_migration_fills_the_index_from_records_already_stored(engine: Engine, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(engine, "0004")
    with monkeypatch.context() as before_0005:  # records saved by a version without the index
        before_0005.setattr(search_index, "index_record", lambda *args: None)
        before_0005.setattr(search_index, "unindex_record", lambda *args: None)
        folder = tmp_path / "records"
        write(folder, "lesson.md", LESSON)
        write(folder, "review.md", REVIEW)
        write(folder, "gone.md", lesson("gone", "mixed", "Befriending helped some.", "York"))
        import_directory(engine, folder)
        delete_record(engine, "gone", "duplicate")
    upgrade(engine)
    assert _index_size(engine) == 2  # the deleted record is not indexed
    assert _ids(engine, "keyworkers") == [LESSON_ID]
    assert _ids(engine, "verification") == ["post-implementation-review-of-the-rough-sleeping-contract"]
    assert _ids(engine, "befriending") == []


def test_fields_text_is_the_search_text_of_the_parsed_record(tmp_path: Path) -> None:
    records = [*starter_corpus(), read_record(write(tmp_path, "d.md", DECISION)),
               read_record(write(tmp_path, "r.md", REVIEW))]
    for record in records:
        assert search_index.fields_text(record.front_matter()) == search_text(record.front), record.id


def _add_project(engine: Engine, project_id: str, name: str, sector: str, start: str | None) -> None:
    with engine.begin() as connection:
        import_id = connection.execute(insert(Import).values(
            source="test", imported_at=datetime(2026, 1, 1, tzinfo=UTC), source_dir="/x", content_hash="0" * 64,
            file_hashes={}, counts={}, wellspent_version="0").returning(Import.id)).scalar_one()
        connection.execute(insert(Project).values(
            id=project_id, name=name, policy_sector=sector, service_start=start, countries="GB", status="active",
            raw={"ID": project_id}, first_seen_import_id=import_id, last_seen_import_id=import_id))
        refresh_search_index(connection)


def test_registry_projects_are_ranked_with_the_records(store: Engine, tmp_path: Path) -> None:
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    _add_project(store, "INDIGO-POJ-0131", "Fair Chance Fund Keyworkers Project", "Criminal justice", "2015-01")
    hits = search_records(store, "fair chance keyworkers justice", starter=False)
    project = next(hit for hit in hits if hit.source == "registry")
    assert (project.id, project.type, project.title, project.date, project.place, project.result) == (
        "INDIGO-POJ-0131", "project", "Fair Chance Fund Keyworkers Project", "2015-01", "GB", None)
    # the project holds all four words (justice in its sector); the lesson three (fair, chance, keyworkers)
    assert [hit.id for hit in hits] == ["INDIGO-POJ-0131", LESSON_ID]
    assert int(hits[0].score) == 4 and int(hits[1].score) == 3
    # the store's record shows its own fields, not those of the starter record with the same id
    lesson_title = "Fair Chance Fund: accommodation sustained for 18 months was achievable for homeless 18-24s"
    assert (hits[1].title, hits[1].date, hits[1].source) == (lesson_title, "2018-03", "store")
    with_starter = [hit for hit in search_records(store, "fair chance keyworkers justice") if hit.id == LESSON_ID]
    assert [(hit.title, hit.source) for hit in with_starter] == [(lesson_title, "store")]
    assert _ids(store, "keyworkers", record_type="project") == ["INDIGO-POJ-0131"]
    assert _ids(store, "keyworkers", record_type="lesson") == [LESSON_ID]
    # a project added later is found (the SQLite side index is rebuilt when the registry changes)
    _add_project(store, "INDIGO-POJ-0200", "Rough sleeping keyworkers", "Homelessness", None)
    later = {hit.id: hit for hit in search_records(store, "keyworkers", starter=False)}
    assert set(later) == {"INDIGO-POJ-0131", "INDIGO-POJ-0200", LESSON_ID}
    assert later["INDIGO-POJ-0200"].date is None


def test_the_bounded_sqlite_path_agrees_with_the_exact_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wellspent.store.engine import get_engine

    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(engine)
    folder = tmp_path / "records"
    for i in range(12):
        # "housing" is in all twelve records, "coaching" in every third (0, 3, 6, 9), "leeds" (place) in one
        body = "Housing support." + (" Coaching too." if i % 3 == 0 else "")
        write(folder, f"{i}.md", lesson(f"record-{i:02d}", "worked", body, "Leeds" if i == 5 else "York"))
    import_directory(engine, folder)
    words = ["housing", "coaching", "leeds"]
    # matched words by hand: record-00, -03, -06, -09 housing + coaching (2); record-05 housing + leeds (2); the
    # other seven housing only (1)
    expected = {f"record-{i:02d}": 2 if i in (0, 3, 5, 6, 9) else 1 for i in range(12)}
    with engine.connect() as connection:
        exact = search_index.store_scores(connection, words, None, None)
        assert {record_id: int(value) for record_id, value in exact.items()} == expected
        # at most 3 records per selective word: housing (12) and coaching (4) are common, leeds (1) selective;
        # a sample of 1,000 holds every record, so the counts are exact
        monkeypatch.setattr(search_index, "SELECTIVE", 3)
        bounded = search_index.store_scores(connection, words, None, search_index.CANDIDATES)
        assert {record_id: int(value) for record_id, value in bounded.items()} == expected
        # a sample of 2 records: the record holding the selective word is always there, with its exact count;
        # every record returned has its exact count
        monkeypatch.setattr(search_index, "SAMPLE", 2)
        sampled = search_index.store_scores(connection, words, None, search_index.CANDIDATES)
    assert "record-05" in sampled and len(sampled) < 12
    assert all(int(value) == expected[record_id] for record_id, value in sampled.items())
    engine.dispose()


def _titled_lesson(record_id: str, title: str, tried: str, body: str) -> str:
    return (f"---\nwellspent: memory/1\ntype: lesson\nid: {record_id}\ntitle: {title}\ndate: '2020'\n"
            f"place: York\nauthor_role: evaluator\ntried: {tried}\nresult: worked\n---\n\n{body}\n")


def test_common_words_rank_title_then_fields_then_all_words_on_a_large_sqlite_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store where "rough" and "sleeping" are *common* (in more than SELECTIVE records): the records holding both
    in their title come first, then those holding both in their fields, then those holding both in the body, then
    those holding one; none is scored by bm25 (see the module docstring)."""
    from wellspent.store.engine import get_engine

    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(engine)
    folder = tmp_path / "records"
    records = {
        # both words in the title
        "t-1": ("Rough sleeping in Leeds", "Peer mentoring", "Mentoring helped."),
        "t-2": ("Rough sleeping outreach", "Peer mentoring", "Mentoring helped."),
        # both words in a front-matter field (tried), not in the title
        "f-1": ("Lesson f-1", "Outreach to people sleeping rough", "Outreach helped."),
        "f-2": ("Lesson f-2", "Hostel places for people sleeping rough", "Hostels helped."),
        # both in the body only (30 records), and "sleeping" alone in the body (10 records)
        **{f"b-{i:02d}": (f"Lesson b-{i:02d}", "Peer mentoring", "Rough sleeping fell in the area.")
           for i in range(30)},
        **{f"o-{i:02d}": (f"Lesson o-{i:02d}", "Peer mentoring", "Sleeping in hostels.") for i in range(10)},
    }
    for record_id, (title, tried, body) in records.items():
        write(folder, f"{record_id}.md", _titled_lesson(record_id, title, tried, body))
    import_directory(engine, folder)
    # "rough" is in 34 records, "sleeping" in 44: both common above 20; a sample of 10 records; pools of 10
    monkeypatch.setattr(search_index, "SELECTIVE", 20)
    monkeypatch.setattr(search_index, "SAMPLE", 10)
    monkeypatch.setattr(search_index, "CANDIDATES", 5)  # the service asks for max(CANDIDATES, limit) = 10
    # By hand, score = words matched + r / (1 + r) with r = COMMON_RELEVANCE[tier] (0.3 title, 0.2 fields, 0.1 all
    # words anywhere): title 2 + 0.3/1.3 = 2.230769; fields 2 + 0.2/1.2 = 2.166667; body 2 + 0.1/1.1 = 2.090909.
    # Ties are broken by id. The probe for both words anywhere takes 10 of the 34 records holding both, at most
    # 4 of which are t- or f- records, so at least 6 b- records fill the top 10.
    for record_type in (None, "lesson"):
        hits = search_records(engine, "rough sleeping", record_type, limit=10, starter=False)
        assert [(hit.id, hit.score) for hit in hits[:4]] == [
            ("t-1", 2.230769), ("t-2", 2.230769), ("f-1", 2.166667), ("f-2", 2.166667)]
        assert len(hits) == 10
        assert all(hit.id.startswith("b-") and hit.score == 2.090909 for hit in hits[4:])
    # the small title-and-fields table follows deletes and updates: t-1 gone, t-2's title no longer has the words
    # (both are now in its body only: 2.090909, below the f- records)
    delete_record(engine, "t-1", "duplicate")
    write(folder, "t-2.md", _titled_lesson("t-2", "Outreach in York", "Peer mentoring", "Rough sleeping fell."))
    add_file(engine, folder / "t-2.md")
    hits = search_records(engine, "rough sleeping", limit=10, starter=False)
    assert [hit.id for hit in hits[:2]] == ["f-1", "f-2"]
    assert "t-1" not in [hit.id for hit in hits]
    monkeypatch.setattr(search_index, "SAMPLE", 100)  # a sample and pools of 100: every record
    with engine.connect() as connection:
        scores = search_index.store_scores(connection, ["rough", "sleeping"], None, 100)
    assert len(scores) == 43 and round(scores["t-2"], 6) == 2.090909
    assert round(scores["o-00"], 6) == 1.0  # one of the two words: tier 0, relevance 0
    engine.dispose()
