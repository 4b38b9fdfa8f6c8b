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

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from wellspent.errors import InputError, Problem
from wellspent.memory.files import RecordFile, normalise_body, read_record, record_from_stored, write_record
from wellspent.memory.model import RESULTS, search_text
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


@dataclass(frozen=True)
class MemoryHit:
    """A record found by :func:`search_records`; ``source`` is ``store`` or ``starter corpus``."""

    id: str
    type: str
    title: str
    date: str
    place: str | None
    result: str | None
    score: float
    source: str = "store"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready fields."""
        return asdict(self)


STORE = "store"
STARTER = "starter corpus"

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


@dataclass(frozen=True)
class _Document:
    id: str
    title: str
    front: dict[str, Any]
    body: str
    source: str


@lru_cache(maxsize=1)
def starter_corpus() -> tuple[RecordFile, ...]:
    """The starter corpus shipped in the package (``wellspent/data/memory/*.md``), read once per process."""
    folder = Path(str(resources.files("wellspent") / "data" / "memory"))
    return tuple(read_record(path) for path in record_files(folder))


def _documents(connection: Connection, record_type: str | None, starter: bool) -> list[_Document]:
    query = (select(MemoryRecord.id, MemoryRecord.title, MemoryVersion.front_matter, MemoryVersion.body)
             .join(MemoryVersion, (MemoryVersion.record_id == MemoryRecord.id)
                   & (MemoryVersion.version == MemoryRecord.version))
             .where(MemoryRecord.deleted.is_(False)))
    if record_type is not None:
        query = query.where(MemoryRecord.type == record_type)
    documents = [_Document(row.id, row.title, row.front_matter, row.body, STORE) for row in connection.execute(query)]
    if starter:
        held = set(connection.execute(select(MemoryRecord.id)).scalars())  # deleted ones too: the store decides
        documents += [_Document(record.id, record.front.title, record.front_matter(), record.body, STARTER)
                      for record in starter_corpus()
                      if record.id not in held and record_type in (None, record.front.type)]
    return documents


def search_words(text_query: str) -> list[str]:
    """The words a search matches: the query's words without English stop words (all of them if only stop words)."""
    from wellspent.registry.search import query_words

    words = query_words(text_query)
    content = [word for word in words if word not in STOP_WORDS]
    return content or words


def search_records(engine: Engine, text_query: str, record_type: str | None = None,
                   limit: int | None = 50, *, starter: bool = True) -> list[MemoryHit]:
    """Current, not deleted records matching any content word of ``text_query`` (English stop words dropped) in
    title, body or front-matter text, best first: records matching more of the words first, then by relevance
    (SQLite: FTS5 bm25 built per query; PostgreSQL: ``to_tsvector`` with ``ts_rank_cd``).

    With ``starter`` (the default), records of the starter corpus shipped in the package are searched too, unless
    the store holds a record with the same id (even a deleted one); each hit says its ``source``."""
    words = search_words(text_query)
    with engine.begin() as connection:
        documents = _documents(connection, record_type, starter)
        if not words:
            scores = {document.id: 0.0 for document in documents}
        elif not documents:
            scores = {}
        elif connection.dialect.name == "postgresql":
            scores = _rank_postgresql(connection, words, documents)
        else:
            scores = _rank_sqlite(connection, words, documents)
    by_id = {document.id: document for document in documents}
    hits = []
    for record_id, score in scores.items():
        document = by_id[record_id]
        front = document.front
        hits.append(MemoryHit(id=record_id, type=front["type"], title=front["title"], date=front["date"],
                              place=front.get("place"), result=front.get("result"), score=round(score, 6),
                              source=document.source))
    hits.sort(key=lambda hit: (-hit.score, hit.id))
    return hits if limit is None else hits[:limit]


def _extra_text(front: dict[str, Any]) -> str:
    return search_text(record_from_stored(front, "").front)


def _score(matched: int, rank: float) -> float:
    """Words matched first, then relevance squeezed into [0, 1)."""
    rank = max(rank, 0.0)
    return matched + rank / (1.0 + rank)


def _rank_sqlite(connection: Connection, words: list[str], documents: list[_Document]) -> dict[str, float]:
    connection.execute(text("DROP TABLE IF EXISTS temp.memory_search_fts"))
    connection.execute(text("CREATE VIRTUAL TABLE temp.memory_search_fts USING fts5(record_id UNINDEXED, title, "
                            "fields, body, tokenize = 'porter unicode61')"))
    connection.execute(text("INSERT INTO temp.memory_search_fts (record_id, title, fields, body) "
                            "VALUES (:record_id, :title, :fields, :body)"),
                       [{"record_id": d.id, "title": d.title, "fields": _extra_text(d.front), "body": d.body}
                        for d in documents])
    terms = ['"' + word.replace('"', '""') + '"' for word in words]
    matched: dict[str, int] = defaultdict(int)
    for term in terms:
        for record_id in connection.execute(text("SELECT record_id FROM temp.memory_search_fts "
                                                 "WHERE memory_search_fts MATCH :q"), {"q": term}).scalars():
            matched[record_id] += 1
    rows = connection.execute(text("SELECT record_id, bm25(memory_search_fts, 0.0, 5.0, 2.0, 1.0) AS rank "
                                   "FROM temp.memory_search_fts WHERE memory_search_fts MATCH :q"),
                              {"q": " OR ".join(terms)})
    return {row.record_id: _score(matched[row.record_id], -float(row.rank)) for row in rows}


def _rank_postgresql(connection: Connection, words: list[str], documents: list[_Document]) -> dict[str, float]:
    rows = connection.execute(text(
        "SELECT x.id, ts_rank_cd(d.document, q) AS rank, "
        "  (SELECT count(*) FROM unnest(CAST(:words AS text[])) AS w(word) "
        "   WHERE numnode(plainto_tsquery('english', w.word)) > 0 "
        "     AND d.document @@ plainto_tsquery('english', w.word)) AS matched "
        "FROM unnest(CAST(:ids AS text[]), CAST(:titles AS text[]), CAST(:fields AS text[]), "
        "            CAST(:bodies AS text[])) AS x(id, title, fields, body) "
        "CROSS JOIN LATERAL (SELECT setweight(to_tsvector('english', x.title), 'A') "
        "   || setweight(to_tsvector('english', x.fields), 'B') "
        "   || setweight(to_tsvector('english', x.body), 'C') AS document) d, "
        "websearch_to_tsquery('english', :q) AS q "
        "WHERE d.document @@ q"),
        {"q": " or ".join(words), "words": words, "ids": [d.id for d in documents],
         "titles": [d.title for d in documents], "fields": [_extra_text(d.front) for d in documents],
         "bodies": [d.body for d in documents]})
    return {row.id: _score(int(row.matched), float(row.rank)) for row in rows}


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
