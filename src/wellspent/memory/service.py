"""Memory records in the store: add or update from a file, import and export a folder, show, history, soft delete
and search (ADR 0011).

Every change keeps the previous version (``memory_versions`` is append-only). An update names the version its writer
started from; when another writer got there first, :class:`MemoryConflictError` says so and nothing is written, so the
second writer merges and tries again: neither change is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, delete, insert, select, text, update

from wellspent.errors import InputError, Problem
from wellspent.memory import search_index
from wellspent.memory.files import RecordFile, normalise_body, read_record, record_from_stored, write_record
from wellspent.memory.model import RESULTS
from wellspent.store.memory_models import MemoryLink, MemoryRecord, MemoryVersion
from wellspent.store.models import Project


class MemoryConflictError(InputError):
    """Another writer saved a newer version of the record than the one this change started from."""


@dataclass(frozen=True)
class SaveResult:
    """What saving a record did: ``created``, ``updated``, ``restored`` or ``unchanged``; the version now current."""

    id: str
    action: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True)
class VersionInfo:
    """One version in a record's history."""

    version: int
    changed_at: str
    changed_by_role: str | None
    change_note: str | None
    title: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC)


def _bind(engine_or_connection: Engine | Connection) -> Any:
    return engine_or_connection.begin() if isinstance(engine_or_connection, Engine) else _Same(engine_or_connection)


class _Same:
    """A context manager handing back a connection the caller already has (its transaction stays the caller's)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def __enter__(self) -> Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        return None


def lock_for_write(connection: Connection) -> None:
    """On SQLite, take the write lock now (a write statement that changes nothing), so that the reads that follow
    see the newest committed data and a concurrent writer waits (busy timeout) instead of failing on a stale
    snapshot. PostgreSQL needs nothing: the conditional ``UPDATE`` waits for a concurrent writer and re-checks."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE memory_records SET version = version WHERE 1 = 0"))


def check_links(connection: Connection, records: Sequence[RecordFile], known_ids: Iterable[str] = ()) -> list[Problem]:
    """Problems with links that need the store: a registry project that is not there, a record that is not there
    (nor among ``records`` or ``known_ids``)."""
    problems: list[Problem] = []
    targets = {link.target for record in records for link in record.front.links if link.kind == "registry"}
    existing: set[str] = set()
    registry_empty = True
    if targets:
        registry_empty = connection.execute(select(Project.id).limit(1)).first() is None
        existing = set(connection.execute(select(Project.id).where(Project.id.in_(sorted(targets)))).scalars())
    record_ids = {record.id for record in records} | set(known_ids)
    wanted = {link.target for record in records for link in record.front.links if link.kind == "record"}
    if wanted - record_ids:
        record_ids |= set(connection.execute(select(MemoryRecord.id).where(
            MemoryRecord.id.in_(sorted(wanted - record_ids)))).scalars())
    for record in records:
        for index, link in enumerate(record.front.links):
            path = f"links[{index}].{link.kind}"
            if link.kind == "registry" and link.target not in existing:
                message = (f"project {link.target!r} cannot be checked: the registry is empty (import it with "
                           "`wellspent registry import-indigo DIR` first)" if registry_empty
                           else f"no project {link.target!r} in the registry")
                problems.append(Problem(record.file, path, message, record.line_of(path)))
            elif link.kind == "record" and link.target not in record_ids:
                problems.append(Problem(record.file, path, f"no memory record {link.target!r}",
                                        record.line_of(path)))
    return problems


def save_record(bind: Engine | Connection, record: RecordFile, *, base_version: int | None = None,
                changed_by_role: str | None = None, note: str | None = None, check: bool = True) -> SaveResult:
    """Add a record, or save a new version of it when its content changed (identical content: nothing happens).

    ``base_version`` is the version the writer started from; None means the version current when this runs. If it
    is not current, :class:`MemoryConflictError` is raised and nothing is written.
    """
    with _bind(bind) as connection:
        lock_for_write(connection)
        if check:
            problems = check_links(connection, [record])
            if problems:
                raise InputError(problems)
        front = record.front_matter()
        role = changed_by_role or record.front.author_role
        current = connection.execute(select(MemoryRecord).where(MemoryRecord.id == record.id)).mappings().first()
        now = _now()
        if current is None:
            if base_version not in (None, 0):
                raise MemoryConflictError.single(
                    record.file, "id", f"record {record.id!r} does not exist, so no version {base_version} of it "
                                       "can be updated")
            connection.execute(insert(MemoryRecord).values(
                id=record.id, type=record.front.type, title=record.front.title, version=1, deleted=False,
                created_at=now, updated_at=now))
            _insert_version(connection, record, front, 1, now, role, note or "created")
            return SaveResult(record.id, "created", 1)
        stored = connection.execute(select(MemoryVersion.front_matter, MemoryVersion.body).where(
            MemoryVersion.record_id == record.id, MemoryVersion.version == current["version"])).one()
        same = stored.front_matter == front and stored.body == record.body
        if same and not current["deleted"]:  # already the current content: nothing to merge, nothing to write
            return SaveResult(record.id, "unchanged", current["version"])
        started = current["version"] if base_version is None else base_version
        if started != current["version"]:
            raise _conflict(connection, record, started, current["version"])
        new_version = started + 1
        changed = connection.execute(update(MemoryRecord).where(
            MemoryRecord.id == record.id, MemoryRecord.version == started).values(
            type=record.front.type, title=record.front.title, version=new_version, deleted=False,
            deleted_reason=None, deleted_at=None, deleted_by_role=None, updated_at=now))
        if changed.rowcount != 1:  # another writer committed between our read and this update
            latest = connection.execute(select(MemoryRecord.version).where(MemoryRecord.id == record.id)).scalar_one()
            raise _conflict(connection, record, started, latest)
        action = "restored" if current["deleted"] else "updated"
        _insert_version(connection, record, front, new_version, now, role,
                        note or ("restored after deletion" if current["deleted"] else "updated"))
        return SaveResult(record.id, action, new_version)


def _conflict(connection: Connection, record: RecordFile, started: int, current: int) -> MemoryConflictError:
    latest = connection.execute(select(MemoryVersion.changed_at, MemoryVersion.changed_by_role).where(
        MemoryVersion.record_id == record.id, MemoryVersion.version == current)).first()
    by = f" by {latest.changed_by_role}" if latest is not None and latest.changed_by_role else ""
    return MemoryConflictError([Problem(
        record.file, "id",
        f"record {record.id!r} changed while you edited it: you started from version {started}, but version "
        f"{current} was saved{by} since. Nothing was written. Merge your change into version {current} "
        f"(`wellspent memory show {record.id}`; `wellspent memory history {record.id}`) and save again.",
        record.line_of("id"))])


def _insert_version(connection: Connection, record: RecordFile, front: dict[str, Any], version: int,
                    now: datetime, role: str | None, note: str | None) -> None:
    connection.execute(insert(MemoryVersion).values(
        record_id=record.id, version=version, front_matter=front, body=record.body, changed_at=now,
        changed_by_role=role, change_note=note))
    connection.execute(delete(MemoryLink).where(MemoryLink.record_id == record.id))
    search_index.index_record(connection, record.id, record.front.type, front, record.body)
    links = sorted({(link.kind, link.target) for link in record.front.links})
    if links:
        connection.execute(insert(MemoryLink), [{"record_id": record.id, "kind": kind, "target": target}
                                                for kind, target in links])


def add_file(engine: Engine, path: Path, *, base_version: int | None = None, changed_by_role: str | None = None,
             note: str | None = None) -> SaveResult:
    """Read a record file and save it (see :func:`save_record`)."""
    record = read_record(path)
    return save_record(engine, record, base_version=base_version, changed_by_role=changed_by_role, note=note)


def record_files(directory: Path) -> list[Path]:
    """The record files of a folder and its sub-folders: ``*.md`` except ``README.md``, sorted."""
    if not directory.is_dir():
        raise InputError.single(str(directory), "", "not a folder")
    return sorted(p for p in directory.rglob("*.md") if p.is_file() and p.name.lower() != "readme.md")


def import_directory(engine: Engine, directory: Path, *, changed_by_role: str | None = None,
                     note: str | None = None) -> list[SaveResult]:
    """Import every record file of a folder: all or nothing, in one transaction; every problem reported together."""
    problems: list[Problem] = []
    records: list[RecordFile] = []
    first_file: dict[str, str] = {}
    for path in record_files(directory):
        try:
            record = read_record(path)
        except InputError as exc:
            problems += exc.problems
            continue
        if record.id in first_file:
            problems.append(Problem(str(path), "id", f"id {record.id!r} is also used by {first_file[record.id]}",
                                    record.line_of("id") or record.line_of("title")))
            continue
        first_file[record.id] = str(path)
        records.append(record)
    with engine.begin() as connection:
        lock_for_write(connection)
        problems += check_links(connection, records)
        if problems:
            raise InputError(problems)
        return [save_record(connection, record, changed_by_role=changed_by_role, note=note, check=False)
                for record in records]


def current_record(connection: Connection, record_id: str) -> tuple[dict[str, Any], RecordFile]:
    """The record row and its current version; :class:`InputError` when there is no such record."""
    row = connection.execute(select(MemoryRecord).where(MemoryRecord.id == record_id)).mappings().first()
    if row is None:
        raise InputError.single(None, "ID", f"no memory record {record_id!r}")
    stored = connection.execute(select(MemoryVersion.front_matter, MemoryVersion.body).where(
        MemoryVersion.record_id == record_id, MemoryVersion.version == row["version"])).one()
    return dict(row), record_from_stored(stored.front_matter, stored.body)


def export_directory(engine: Engine, directory: Path, *, include_deleted: bool = False) -> list[Path]:
    """Write each record's current version to ``<directory>/<id>.md``; deleted records only when asked."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with engine.connect() as connection:
        query = select(MemoryRecord.id).order_by(MemoryRecord.id)
        if not include_deleted:
            query = query.where(MemoryRecord.deleted.is_(False))
        for record_id in connection.execute(query).scalars().all():
            _, record = current_record(connection, record_id)
            path = directory / f"{record_id}.md"
            path.write_bytes(write_record(record).encode("utf-8"))
            written.append(path)
    return written


def show_record(engine: Engine, record_id: str, version: int | None = None) -> dict[str, Any]:
    """A record's current (or given) version, with its status, as JSON-ready fields (``markdown``: the file)."""
    with engine.connect() as connection:
        row, record = current_record(connection, record_id)
        if version is not None and version != row["version"]:
            stored = connection.execute(select(MemoryVersion.front_matter, MemoryVersion.body).where(
                MemoryVersion.record_id == record_id, MemoryVersion.version == version)).first()
            if stored is None:
                raise InputError.single(None, "--version", f"record {record_id!r} has no version {version}")
            record = record_from_stored(stored.front_matter, stored.body)
    return {"id": record_id, "type": row["type"], "version": version or row["version"],
            "current_version": row["version"], "deleted": row["deleted"], "deleted_reason": row["deleted_reason"],
            "deleted_at": _iso(row["deleted_at"]), "deleted_by_role": row["deleted_by_role"],
            "front_matter": record.front_matter(), "body": record.body, "markdown": write_record(record)}


def diff_versions(engine: Engine, record_id: str, old: int | None = None, new: int | None = None) -> dict[str, Any]:
    """What changed in a record between two versions (default: the one before the current, and the current), as a
    unified diff of the two versions' Markdown files (``difflib.unified_diff``, 3 lines of context). ``changes``
    lists the front-matter fields whose values differ, and ``body_changed`` says whether the text did."""
    import difflib

    current = show_record(engine, record_id)["current_version"]
    new = current if new is None else new
    old = new - 1 if old is None else old
    if old < 1:
        raise InputError.single(None, "--from", f"record {record_id!r} has only version {new} before it: nothing "
                                                "to compare (use --from and --to)")
    if old == new:
        raise InputError.single(None, "--from", "give two different versions")
    before, after = show_record(engine, record_id, old), show_record(engine, record_id, new)
    lines = difflib.unified_diff(before["markdown"].splitlines(keepends=True),
                                 after["markdown"].splitlines(keepends=True),
                                 fromfile=f"{record_id} v{old}", tofile=f"{record_id} v{new}")
    fields = sorted(set(before["front_matter"]) | set(after["front_matter"]))
    return {"id": record_id, "from": old, "to": new,
            "changes": [f for f in fields if before["front_matter"].get(f) != after["front_matter"].get(f)],
            "body_changed": before["body"] != after["body"], "diff": "".join(lines)}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def history(engine: Engine, record_id: str) -> list[VersionInfo]:
    """Every version of a record, oldest first."""
    with engine.connect() as connection:
        current_record(connection, record_id)
        rows = connection.execute(select(MemoryVersion).where(MemoryVersion.record_id == record_id)
                                  .order_by(MemoryVersion.version)).mappings().all()
    return [VersionInfo(version=row["version"], changed_at=row["changed_at"].isoformat(),
                        changed_by_role=row["changed_by_role"], change_note=row["change_note"],
                        title=str(row["front_matter"].get("title", ""))) for row in rows]


def delete_record(engine: Engine, record_id: str, reason: str, *, by_role: str | None = None) -> None:
    """Soft-delete a record: it keeps every version, drops out of search and export, and can be restored by
    adding it again."""
    if not reason.strip():
        raise InputError.single(None, "--reason", "say why the record is deleted")
    with engine.begin() as connection:
        lock_for_write(connection)
        row, _ = current_record(connection, record_id)
        if row["deleted"]:
            raise InputError.single(None, "ID", f"record {record_id!r} is already deleted ({row['deleted_reason']})")
        connection.execute(update(MemoryRecord).where(MemoryRecord.id == record_id).values(
            deleted=True, deleted_reason=reason.strip(), deleted_at=_now(), deleted_by_role=by_role))
        search_index.unindex_record(connection, record_id)


@dataclass(frozen=True)
class MemoryHit:
    """A record or registry project found by :func:`search_records`; ``source`` is ``store``, ``starter corpus``
    or ``registry``. A project hit has type ``project``, its INDIGO id, its name as title, its service start
    (else contract signature) date if known (else None), its delivery countries as place, and no result."""

    id: str
    type: str
    title: str
    date: str | None
    place: str | None
    result: str | None
    score: float
    source: str = "store"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


STORE = "store"
STARTER = "starter corpus"
REGISTRY = search_index.REGISTRY
PROJECT = search_index.PROJECT

# Common English words dropped from a query before matching, so that a natural question ("have we tried payment by
# results for NEET young people") matches on its content words. When every word is one of these, all are kept.
_STOP_WORDS_TEXT = """
a about above after again against all am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over
own same she should so some such than that the their theirs them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@lru_cache(maxsize=1)
def starter_corpus() -> tuple[RecordFile, ...]:
    """The starter corpus shipped in the package (``wellspent/data/memory/*.md``), read once per process."""
    folder = Path(str(resources.files("wellspent") / "data" / "memory"))
    return tuple(read_record(path) for path in record_files(folder))


@lru_cache(maxsize=1)
def starter_documents() -> tuple[search_index.SideDocument, ...]:
    """The starter corpus as search documents, built once per process."""
    documents = []
    for record in starter_corpus():
        front = record.front_matter()
        documents.append(search_index.SideDocument(
            id=record.id, type=record.front.type, source=STARTER, title=record.front.title,
            fields=search_index.fields_text(front), body=record.body, front=front))
    return tuple(documents)


def search_words(text_query: str) -> list[str]:
    """The words a search matches: the query's words without English stop words (all of them if only stop words)."""
    from wellspent.registry.search import query_words

    words = query_words(text_query)
    content = [word for word in words if word not in STOP_WORDS]
    return content or words


def search_records(engine: Engine, text_query: str, record_type: str | None = None,
                   limit: int | None = 50, *, starter: bool = True) -> list[MemoryHit]:
    """Current, not deleted records, and active registry projects, matching any content word of ``text_query``
    (English stop words dropped) in title, body or front-matter text (projects: name, sector, population, funds,
    outcome metrics, organisations), best first: those matching more of the words first, then by relevance (SQLite:
    FTS5 bm25; PostgreSQL: ``ts_rank_cd``). The store's records come from the persistent index ``memory_search``
    (:mod:`wellspent.memory.search_index`, which explains the candidate limit and how the starter corpus and the
    projects are indexed).

    ``record_type`` keeps one type (``project``: projects only). With ``starter`` (the default), records of the
    starter corpus shipped in the package are searched too, unless the store holds a record with the same id (even
    a deleted one); each hit says its ``source``. A query with no words at all lists records (no projects unless
    ``record_type`` is ``project``) with score 0."""
    words = search_words(text_query)
    candidates = None if limit is None else max(search_index.CANDIDATES, limit)
    memory_type = None if record_type == PROJECT else record_type
    want_records = record_type != PROJECT
    want_projects = record_type in (None, PROJECT)
    with engine.begin() as connection:
        starters = ([d for d in starter_documents() if memory_type in (None, d.type)]
                    if starter and want_records else [])
        if not words:
            scores, side = _list_all(connection, memory_type, want_records, want_projects, starters, limit)
        elif connection.dialect.name == "postgresql":
            scores = search_index.store_scores(connection, words, memory_type, candidates) if want_records else {}
            side = {d.id: (score, d.source) for d, score in _scored(
                starters, search_index.documents_scores_postgresql(connection, words, starters))}
            if want_projects:
                side |= {pid: (score, REGISTRY)
                         for pid, score in search_index.project_scores_postgresql(connection, words).items()}
        else:
            scores = search_index.store_scores(connection, words, memory_type, candidates) if want_records else {}
            index = search_index.side_index(connection, starter_documents())
            side = {}
            for doc_id, score in index.scores(words, record_type).items():
                document = index.documents[doc_id]
                if (document.source == STARTER and starter) or (document.source == REGISTRY and want_projects):
                    side[doc_id] = (score, document.source)
        held_starters = [doc_id for doc_id, (_, source) in side.items() if source == STARTER]
        if held_starters:  # the store decides, even for a record it holds as deleted
            for held in connection.execute(select(MemoryRecord.id).where(MemoryRecord.id.in_(held_starters))).scalars():
                side.pop(held, None)
        ranked = sorted([(round(score, 6), record_id, STORE) for record_id, score in scores.items()]
                        + [(round(score, 6), doc_id, source) for doc_id, (score, source) in side.items()],
                        key=lambda item: (-item[0], item[1]))
        if limit is not None:
            ranked = ranked[:limit]
        fronts = {STORE: _store_fronts(connection, [record_id for _, record_id, source in ranked if source == STORE]),
                  REGISTRY: search_index.project_fronts(
                      connection, [doc_id for _, doc_id, source in ranked if source == REGISTRY]),
                  STARTER: {d.id: d.front for d in starter_documents()}}
    hits = []
    for score, record_id, source in ranked:
        front = fronts[source][record_id]  # by source: a store record may share a starter record's id
        hits.append(MemoryHit(id=record_id, type=front["type"], title=front["title"], date=front.get("date"),
                              place=front.get("place"), result=front.get("result"), score=score, source=source))
    return hits


def _scored(documents: Sequence[search_index.SideDocument],
            scores: dict[str, float]) -> list[tuple[search_index.SideDocument, float]]:
    return [(d, scores[d.id]) for d in documents if d.id in scores]


def _list_all(connection: Connection, record_type: str | None, want_records: bool, want_projects: bool,
              starters: Sequence[search_index.SideDocument],
              limit: int | None) -> tuple[dict[str, float], dict[str, tuple[float, str]]]:
    """Every record (and, for ``project``, every active project) with score 0: for a query with no words."""
    scores: dict[str, float] = {}
    side: dict[str, tuple[float, str]] = {d.id: (0.0, d.source) for d in starters}
    if want_records:
        query = select(MemoryRecord.id).where(MemoryRecord.deleted.is_(False)).order_by(MemoryRecord.id)
        if record_type is not None:
            query = query.where(MemoryRecord.type == record_type)
        if limit is not None:
            query = query.limit(limit)
        scores = dict.fromkeys(connection.execute(query).scalars(), 0.0)
    if want_projects and not want_records:
        query = select(Project.id).where(Project.status == "active").order_by(Project.id)
        if limit is not None:
            query = query.limit(limit)
        side |= {project_id: (0.0, REGISTRY) for project_id in connection.execute(query).scalars()}
    return scores, side


def current_versions(*columns: Any) -> Select[Any]:
    """``SELECT columns`` over each record joined to its current version (deleted records included)."""
    return select(*columns).join(MemoryVersion, (MemoryVersion.record_id == MemoryRecord.id)
                                 & (MemoryVersion.version == MemoryRecord.version))


def _store_fronts(connection: Connection, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The current front matter of each of ``record_ids``."""
    if not record_ids:
        return {}
    rows = connection.execute(current_versions(MemoryRecord.id, MemoryVersion.front_matter)
                              .where(MemoryRecord.id.in_(list(record_ids))))
    return {row.id: row.front_matter for row in rows}


def group_tried(hits: Sequence[MemoryHit]) -> dict[str, list[MemoryHit]]:
    """Lessons among ``hits`` grouped by result: worked, failed, mixed, unknown (each in the hits' order)."""
    groups: dict[str, list[MemoryHit]] = defaultdict(list)
    for hit in hits:
        if hit.type == "lesson" and hit.result is not None:
            groups[hit.result].append(hit)
    return {result: groups[result] for result in RESULTS}


@lru_cache(maxsize=1)
def library_version() -> str:
    """The package version and the first 12 hex digits of a SHA-256 over the shipped unit-cost files
    (``wellspent/data/unit_costs``: each file's relative path and bytes, in path order), e.g. ``0.1.0+3f9a…``."""
    import hashlib

    from wellspent import __version__

    root = Path(str(resources.files("wellspent") / "data" / "unit_costs"))
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


APPRAISAL_HEADLINES = ("npsv", "bcr", "fiscal_bcr", "payback_year")
CONTRACT_HEADLINES = ("outcome_payments_total", "investor_irr", "money_multiple", "leverage")


def saved_run_record(kind: str, spec_file: str, spec_bytes: bytes, result: dict[str, Any], *, date: str,
                     role: str, policy_area: str | None = None) -> RecordFile:
    """A memory record of an appraisal or contract run (``kind``): the spec and its hash, the unit-cost library
    version and the headline results in the front matter; the spec (a ``yaml`` fence) and the full result (a
    ``json`` fence) in the body. Its id is ``<kind>-<slug of the spec's name>``; ``date`` is given by the caller."""
    import hashlib
    import json
    import re

    from wellspent.memory.model import MODELS, slugify

    name = str(result["name"])
    headlines = APPRAISAL_HEADLINES if kind == "appraisal" else CONTRACT_HEADLINES
    front: dict[str, Any] = {
        "wellspent": "memory/1", "type": kind, "id": f"{kind}-{slugify(name)}"[:80].rstrip("-"), "title": name,
        "date": date, "author_role": role, "spec_file": spec_file,
        "spec_sha256": hashlib.sha256(spec_bytes).hexdigest(), "library_version": library_version()}
    if policy_area is not None:
        front["policy_area"] = policy_area
    for field in headlines:
        value = result.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool):
            front[field] = value
    spec_text = spec_bytes.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").rstrip("\n")
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", spec_text)), default=0) + 1)
    result_text = json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False)
    body = (f"The {kind} spec `{spec_file}` as run, then the full result.\n\n"
            f"{fence}yaml\n{spec_text}\n{fence}\n\n```json\n{result_text}\n```\n")
    return RecordFile(front=MODELS[kind].model_validate(front), body=normalise_body(body))


def saved_run_result(record: RecordFile) -> dict[str, Any]:
    """The full result kept in a saved run's body (its ``json`` fence)."""
    import json

    body = record.body
    start = body.rindex("```json\n") + len("```json\n")
    end = body.index("\n```", start)
    loaded: dict[str, Any] = json.loads(body[start:end])
    return loaded


def save_run(bind: Engine | Connection, record: RecordFile, *, note: str | None = None) -> SaveResult:
    """Save a run made by :func:`saved_run_record`: a new version only when the spec, the library or the result
    changed (a later date or another role alone changes nothing), else :func:`save_record`'s ``unchanged``."""
    ignored = ("date", "author_role")
    with _bind(bind) as connection:
        lock_for_write(connection)
        row = connection.execute(select(MemoryRecord.version, MemoryRecord.deleted).where(
            MemoryRecord.id == record.id)).first()
        if row is not None and not row.deleted:
            stored = connection.execute(select(MemoryVersion.front_matter, MemoryVersion.body).where(
                MemoryVersion.record_id == record.id, MemoryVersion.version == row.version)).one()
            new = {key: value for key, value in record.front_matter().items() if key not in ignored}
            old = {key: value for key, value in stored.front_matter.items() if key not in ignored}
            if new == old and stored.body == record.body:
                return SaveResult(record.id, "unchanged", row.version)
        return save_record(connection, record, note=note)
