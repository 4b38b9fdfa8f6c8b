"""Memory records in the store, on SQLite and PostgreSQL: versions, no-op re-adds, soft delete, optimistic
locking, registry links, import/export round trip, search."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from tests.memory.records import DECISION, EVALUATION, LESSON, REVIEW, lesson, write
from wellspent.errors import InputError
from wellspent.memory.files import read_record
from wellspent.memory.service import (
    MemoryConflictError,
    SaveResult,
    add_file,
    delete_record,
    export_directory,
    group_tried,
    history,
    import_directory,
    save_record,
    search_records,
    show_record,
)
from wellspent.store.memory_models import MemoryLink, MemoryRecord, MemoryVersion
from wellspent.store.migrate import upgrade
from wellspent.store.models import Import, Project

LESSON_ID = "fcf-accommodation-sustainment"


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


def _count(engine: Engine, model: type[MemoryRecord] | type[MemoryVersion] | type[MemoryLink]) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def _add_project(engine: Engine, project_id: str) -> None:
    with engine.begin() as connection:
        import_id = connection.execute(insert(Import).values(
            source="test", imported_at=datetime(2026, 1, 1, tzinfo=UTC), source_dir="/x", content_hash="0" * 64,
            file_hashes={}, counts={}, wellspent_version="0").returning(Import.id)).scalar_one()
        connection.execute(insert(Project).values(id=project_id, status="active", raw={"ID": project_id},
                                                  first_seen_import_id=import_id, last_seen_import_id=import_id))


def test_add_update_history_and_identical_readd(store: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, "lesson.md", LESSON)
    assert add_file(store, path) == SaveResult(LESSON_ID, "created", 1)
    assert add_file(store, path) == SaveResult(LESSON_ID, "unchanged", 1)  # identical: no new version
    write(tmp_path, "lesson.md", LESSON.replace("small caseloads", "caseloads of ten"))
    assert add_file(store, path, changed_by_role="analyst", note="caseload size") == SaveResult(
        LESSON_ID, "updated", 2)
    versions = history(store, LESSON_ID)
    assert [(v.version, v.changed_by_role, v.change_note) for v in versions] == [
        (1, "evaluator", "created"), (2, "analyst", "caseload size")]
    assert "caseloads of ten" in show_record(store, LESSON_ID)["body"]
    assert "small caseloads" in show_record(store, LESSON_ID, version=1)["body"]
    assert _count(store, MemoryVersion) == 2


def test_soft_delete_keeps_history_and_leaves_search_and_export(store: Engine, tmp_path: Path) -> None:
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    with pytest.raises(InputError, match="--reason"):
        delete_record(store, LESSON_ID, "  ")
    delete_record(store, LESSON_ID, "superseded by the final report", by_role="analyst")
    shown = show_record(store, LESSON_ID)
    assert shown["deleted"] and shown["deleted_reason"] == "superseded by the final report"
    assert [v.version for v in history(store, LESSON_ID)] == [1]
    assert search_records(store, "keyworkers") == []
    assert export_directory(store, tmp_path / "out") == []
    assert [p.name for p in export_directory(store, tmp_path / "all", include_deleted=True)] == [f"{LESSON_ID}.md"]
    # adding it again restores it as a new version
    assert add_file(store, tmp_path / "lesson.md") == SaveResult(LESSON_ID, "restored", 2)
    assert not show_record(store, LESSON_ID)["deleted"]


def test_a_stale_writer_is_told_to_merge_and_nothing_is_lost(store: Engine, tmp_path: Path) -> None:
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    first = read_record(write(tmp_path, "a.md", LESSON.replace("small caseloads", "caseloads of ten")))
    second = read_record(write(tmp_path, "b.md", LESSON.replace("tenancies.", "tenancies, mostly.")))
    assert save_record(store, first, base_version=1).version == 2
    with pytest.raises(MemoryConflictError) as caught:
        save_record(store, second, base_version=1)
    message = str(caught.value)
    assert "you started from version 1" in message and "version 2" in message and "Merge" in message
    assert "caseloads of ten" in show_record(store, LESSON_ID)["body"]  # the first change is kept
    merged = read_record(write(tmp_path, "c.md", LESSON.replace("small caseloads", "caseloads of ten")
                               .replace("tenancies.", "tenancies, mostly.")))
    assert save_record(store, merged, base_version=2).version == 3
    assert [v.version for v in history(store, LESSON_ID)] == [1, 2, 3]


def test_two_concurrent_writers_from_version_1(store: Engine, tmp_path: Path) -> None:
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    edits = [read_record(write(tmp_path, f"{n}.md", LESSON.replace("small caseloads", f"edit {n}")))
             for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def writer(n: int) -> None:
        barrier.wait()
        try:
            outcomes[n] = save_record(store, edits[n], base_version=1)
        except MemoryConflictError as exc:
            outcomes[n] = exc

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [o for o in outcomes if isinstance(o, SaveResult)]
    refused = [o for o in outcomes if isinstance(o, MemoryConflictError)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert saved[0].version == 2
    assert [v.version for v in history(store, LESSON_ID)] == [1, 2]


def test_registry_links_must_point_to_existing_projects(store: Engine, tmp_path: Path) -> None:
    linked = LESSON.replace("tags:", "links: [{registry: INDIGO-POJ-0131}]\ntags:")
    path = write(tmp_path, "lesson.md", linked)
    with pytest.raises(InputError) as caught:
        add_file(store, path)
    problem = caught.value.problems[0]
    assert problem.path == "links[0].registry" and "registry is empty" in problem.message and problem.line == 15
    _add_project(store, "INDIGO-POJ-0001")
    with pytest.raises(InputError, match="no project 'INDIGO-POJ-0131'"):
        add_file(store, path)
    assert _count(store, MemoryRecord) == 0
    _add_project(store, "INDIGO-POJ-0131")
    add_file(store, path)
    with store.connect() as connection:
        assert connection.execute(select(MemoryLink.kind, MemoryLink.target)).all() == [
            ("registry", "INDIGO-POJ-0131")]


def test_import_is_all_or_nothing_with_every_problem(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    write(folder, "lesson.md", LESSON)
    write(folder, "decision.md", DECISION.replace("record: fcf-accommodation-sustainment", "record: no-such-record"))
    write(folder, "bad.md", "no front matter\n")
    write(folder, "copy.md", LESSON)
    with pytest.raises(InputError) as caught:
        import_directory(store, folder)
    found = {(Path(p.file or "").name, p.path) for p in caught.value.problems}
    assert found == {("bad.md", ""), ("lesson.md", "id"), ("decision.md", "links[0].record")}
    assert _count(store, MemoryRecord) == 0


def test_export_then_import_into_a_fresh_database_round_trips(store: Engine, other_engine: Engine,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "records"
    for name, text in (("lesson.md", LESSON), ("decision.md", DECISION), ("evaluation.md", EVALUATION),
                       ("review.md", REVIEW), ("README.md", "Not a record.\n")):
        write(folder, name, text)
    assert [r.action for r in import_directory(store, folder)] == ["created"] * 4
    add_file(store, write(tmp_path, "lesson.md", LESSON.replace("small caseloads", "caseloads of ten")))
    exported = export_directory(store, tmp_path / "export1")
    assert len(exported) == 4
    upgrade(other_engine)
    assert [r.version for r in import_directory(other_engine, tmp_path / "export1")] == [1, 1, 1, 1]
    again = export_directory(other_engine, tmp_path / "export2")
    assert [p.name for p in again] == [p.name for p in exported]
    for before, after in zip(exported, again, strict=True):
        assert before.read_bytes() == after.read_bytes()
    # importing the export into the first database changes nothing
    assert {r.action for r in import_directory(store, tmp_path / "export1")} == {"unchanged"}


def test_search_finds_body_words_and_groups_tried_by_result(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "records"
    write(folder, "lesson.md", LESSON)
    write(folder, "review.md", REVIEW)
    write(folder, "a.md", lesson("mentoring-leeds", "failed", "Mentoring without housing support failed.", "Leeds"))
    write(folder, "b.md", lesson("mentoring-bristol", "worked", "Mentoring with housing support worked.", "Bristol",
                                 "2021-05"))
    write(folder, "c.md", lesson("mentoring-york", "mixed", "Mentoring helped some.", "York"))
    import_directory(store, folder)
    hits = search_records(store, "keyworkers tenancies")
    assert [h.id for h in hits] == [LESSON_ID]
    assert [h.id for h in search_records(store, "verification")] == ["post-implementation-review-of-the-rough-"
                                                                     "sleeping-contract"]
    assert search_records(store, "verification", "lesson") == []
    groups = group_tried(search_records(store, "mentoring", "lesson"))
    assert {result: [(h.id, h.place, h.date) for h in group] for result, group in groups.items()} == {
        "worked": [("mentoring-bristol", "Bristol", "2021-05")],
        "failed": [("mentoring-leeds", "Leeds", "2020")],
        "mixed": [("mentoring-york", "York", "2020")],
        "unknown": [],
    }


def test_search_answers_from_the_starter_corpus_unless_the_store_holds_the_id(store: Engine, tmp_path: Path) -> None:
    groups = group_tried(search_records(store, "payment by results NEET", "lesson"))
    failed = {h.id: h.source for h in groups["failed"]}
    assert failed.get("dwp-innovation-fund-neet-pbr") == "starter corpus"
    assert search_records(store, "payment by results NEET", starter=False) == []
    # the store's record with a starter id replaces the starter one, and still does once deleted
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    hits = [h for h in search_records(store, "Fair Chance Fund keyworkers", limit=None) if h.id == LESSON_ID]
    assert [h.source for h in hits] == ["store"]
    assert [h.id for h in search_records(store, "keyworkers", starter=False)] == [LESSON_ID]
    delete_record(store, LESSON_ID, "withdrawn")
    assert LESSON_ID not in {h.id for h in search_records(store, "Fair Chance Fund", limit=None)}
