"""The persistent full-text index behind ``memory search`` (ADR 0012), and the scoring of what it finds.

Three kinds of document are searched together and scored the same way, ``matched words + rank / (1 + rank)``
(records matching more of the query's content words first, then relevance squeezed into [0, 1)):

- **records in the store**: one row per current, not deleted record in the table ``memory_search``
  (:data:`~wellspent.store.memory_models.MEMORY_SEARCH_TABLE`, migration ``0005``), written by
  :func:`index_record` and removed by :func:`unindex_record` inside the transaction that saves or deletes the
  record, so the index never disagrees with the tables.

  - SQLite: an FTS5 table ``memory_search(record_id UNINDEXED, type UNINDEXED, title, fields, body)``, tokenizer
    ``porter unicode61``, its ``rank`` configured as ``bm25(0, 0, 5, 2, 1)`` (title 5, fields 2, body 1). The FTS
    rowid is a 63-bit hash of the record id (:func:`rowid_for`), so a record's row is found without a lookup table.
    Beside it a small FTS5 table ``memory_search_head(record_id UNINDEXED, type UNINDEXED, title, fields)``
    (:data:`~wellspent.store.memory_models.MEMORY_SEARCH_HEAD_TABLE`), same rows and rowids without the bodies,
    written and removed with it: probing it for words in titles and fields reads short doclists (about 1 ms for
    five words each in most of 100,000 records, against 15-20 ms for the same column filter on ``memory_search``).
  - PostgreSQL: a table ``memory_search(record_id, type, document tsvector)`` with a GIN index on ``document``
    (``english``; weights A title, B fields, C body), ranked with ``ts_rank_cd``.

  SQLite, with a ``limit`` (the default 50): a search costs what its selective words cost, not what the store's
  size costs. FTS5's ``bm25`` reads every record holding a word (to count them) and scores every record matched,
  so a word found in 95,000 of 100,000 records costs ~150 ms by itself. Each word is first probed for at most
  :data:`SELECTIVE` records (2,000):

  - a **selective** word (in at most that many records): every record holding one is scored exactly, words matched
    (common words counted with ``(selective OR …) AND common``, cheap) and ``bm25`` over the selective words;
  - records holding only **common** words (in more records) come from cheap probes, none of which scores a
    record, each stopping after ``candidates`` records (``max(CANDIDATES, limit)``, 300 by default) in rowid order:
    those holding every common word in the **title** (``{title} : (a AND b)`` on ``memory_search_head``), every
    one in the title or the **fields** (``a AND b`` there), every one **anywhere** (``a AND b`` on
    ``memory_search``, for two words or more); then the first :data:`SAMPLE` (1,000) matching any common word in
    rowid order (the rowid is a hash of the id, so an effectively random sample) with their exact word counts.
    Such a record's relevance is not bm25 but its tier (:data:`COMMON_RELEVANCE`): 0.3 with every common word in
    the title, 0.2 in the title or fields, 0.1 anywhere, 0 when it holds only some of them.

  So the ranking is exact whenever every word is selective (any store of up to 2,000 records). In a larger store,
  for records holding only common words: the word count is exact; the order title, then fields, then the rest is
  exact for the first ``candidates`` records holding every common word (a probe that stops early has found that
  many of the better tier, which all rank above any it missed); within a tier the order is by id, not bm25 (more
  occurrences or a shorter title do not count); a record holding only some of the common words is found only in
  the sample, and one holding a selective word is always found and ranked by bm25 over the selective words (the
  common words count towards "more words first", not relevance: in more than half the records FTS5's bm25 gives
  them an IDF of 10⁻⁶ anyway). ``limit=None`` scores every match exactly (slow on a big store).

  PostgreSQL: at most :data:`CANDIDATES` candidates by ``ts_rank_cd`` for the OR of the words and as many for the
  AND (the GIN index finds the matches), then the words each candidate matches are counted.
- **the starter corpus** shipped in the package, and
- **registry projects** (active ones: id, name, sector, population, funds, outcome metrics, organisations, the
  fields of :func:`wellspent.registry.search.search_documents`).

  On SQLite these two live in a per-process in-memory FTS5 index of the same shape (:class:`_SideIndex`), built
  on first use and rebuilt when the registry changes (its fingerprint: number of projects, newest import id);
  bm25 there is computed over starter and project documents only, so relevance between a store record and a
  starter record or project is comparable only roughly (the word count, which ranks first, is exact). The
  starter corpus is not written into the store: a search never writes, and a newer package's corpus is used as
  soon as it is installed. On PostgreSQL the starter corpus (41 records) is ranked per query with
  ``to_tsvector`` (``ts_rank_cd`` does not depend on the other documents, so scores are comparable), and projects
  through the materialised view ``project_search`` (migration ``0002``, refreshed by the INDIGO import).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from wellspent.store.memory_models import MEMORY_SEARCH_HEAD_TABLE, MEMORY_SEARCH_TABLE

CANDIDATES = 300
"""PostgreSQL: how many candidates a query takes by relevance, for the OR and for the AND of its words."""
SELECTIVE = 2000
"""SQLite: a word in at most this many records is *selective*: every record holding it is scored exactly."""
SAMPLE = 1000
"""SQLite: how many records matching the common (not selective) words are looked at, in rowid (hash) order."""
ALL_WORDS, IN_TITLE_OR_FIELDS, IN_TITLE = 1, 2, 3
"""SQLite, common words: the tiers of a record holding only common query words — every one of them anywhere, every
one in the title or the front-matter fields, every one in the title (0: not every one)."""
COMMON_RELEVANCE = (0.0, 0.1, 0.2, 0.3)
"""SQLite, common words: the relevance (in place of bm25) of a record holding only common words, by tier (0-3);
:func:`score` squeezes them to 0, 0.091, 0.167 and 0.231, below the bm25 of most records holding a selective word."""
BM25_WEIGHTS = (0.0, 0.0, 5.0, 2.0, 1.0)
"""bm25 weight per FTS5 column: record_id, type (unindexed), title, fields, body."""
TEXT_FIELDS = ("tried", "for_whom", "evidence", "context", "decision", "rationale", "design", "reviewed",
               "findings", "place", "source", "spec_file")
LIST_FIELDS = ("options", "effect_sizes", "tags")
PROJECT = "project"
REGISTRY = "registry"


def fields_text(front: dict[str, Any]) -> str:
    """The front-matter text a search looks at besides title and body, from the stored front matter (plain data,
    as :func:`wellspent.memory.model.front_matter_dict` writes it): the text fields in :data:`TEXT_FIELDS` order,
    then the items of the list fields. Same text as :func:`wellspent.memory.model.search_text` of the parsed
    model, without parsing it (migration ``0005`` keeps a copy of this function)."""
    parts = [front[name] for name in TEXT_FIELDS if isinstance(front.get(name), str)]
    for name in LIST_FIELDS:
        items = front.get(name)
        if isinstance(items, list):
            parts.extend(str(item) for item in items)
    return " ".join(parts)


def rowid_for(record_id: str) -> int:
    """The FTS5 rowid of a record: the first 8 bytes of SHA-256 of its id as a non-negative 63-bit integer.

    >>> rowid_for("a") == rowid_for("a") != rowid_for("b")
    True
    """
    return int.from_bytes(hashlib.sha256(record_id.encode("utf-8")).digest()[:8], "big") >> 1


def index_record(connection: Connection, record_id: str, record_type: str, front: dict[str, Any],
                 body: str) -> None:
    """Put a record's current version in the index (replacing what was there), in the caller's transaction."""
    title = str(front.get("title", ""))
    params = {"record_id": record_id, "type": record_type, "title": title, "fields": fields_text(front),
              "body": body}
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "INSERT INTO memory_search (record_id, type, document) VALUES (:record_id, :type, "
            "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :fields), 'B') "
            "|| setweight(to_tsvector('english', :body), 'C')) "
            "ON CONFLICT (record_id) DO UPDATE SET type = excluded.type, document = excluded.document"), params)
        return
    rowid = rowid_for(record_id)
    held = connection.execute(text("SELECT record_id FROM memory_search WHERE rowid = :rowid"),
                              {"rowid": rowid}).scalar()
    if held is not None and held != record_id:  # pragma: no cover - a 63-bit hash collision
        raise RuntimeError(f"search index rowid collision between {held!r} and {record_id!r}")
    connection.execute(text("DELETE FROM memory_search WHERE rowid = :rowid"), {"rowid": rowid})
    connection.execute(text("DELETE FROM memory_search_head WHERE rowid = :rowid"), {"rowid": rowid})
    connection.execute(text("INSERT INTO memory_search (rowid, record_id, type, title, fields, body) "
                            "VALUES (:rowid, :record_id, :type, :title, :fields, :body)"), {"rowid": rowid, **params})
    connection.execute(text("INSERT INTO memory_search_head (rowid, record_id, type, title, fields) "
                            "VALUES (:rowid, :record_id, :type, :title, :fields)"), {"rowid": rowid, **params})


def unindex_record(connection: Connection, record_id: str) -> None:
    """Take a record out of the index (soft delete), in the caller's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("DELETE FROM memory_search WHERE record_id = :id"), {"id": record_id})
    else:
        for table in (MEMORY_SEARCH_TABLE, MEMORY_SEARCH_HEAD_TABLE):
            connection.execute(text(f"DELETE FROM {table} WHERE rowid = :rowid"), {"rowid": rowid_for(record_id)})


def rebuild_index(connection: Connection) -> int:
    """Empty the index and fill it from the current version of every record not deleted; the number indexed."""
    connection.execute(text(f"DELETE FROM {MEMORY_SEARCH_TABLE}"))
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {MEMORY_SEARCH_HEAD_TABLE}"))
    rows = connection.execute(text(
        "SELECT r.id, r.type, v.front_matter, v.body FROM memory_records r JOIN memory_versions v "
        "ON v.record_id = r.id AND v.version = r.version WHERE NOT r.deleted")).all()
    for row in rows:
        front = row.front_matter if isinstance(row.front_matter, dict) else _json(row.front_matter)
        index_record(connection, row.id, row.type, front, row.body)
    return len(rows)


def _json(value: str) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads(value)
    return loaded


def score(matched: int, rank: float) -> float:
    """Words matched first, then relevance (bm25 negated, or ``ts_rank_cd``) squeezed into [0, 1)."""
    rank = max(rank, 0.0)
    return matched + rank / (1.0 + rank)


def fts_terms(words: Sequence[str]) -> list[str]:
    """Each word as a quoted FTS5 string (so no word is read as an operator)."""
    return ['"' + word.replace('"', '""') + '"' for word in words]


def store_scores(connection: Connection, words: Sequence[str], record_type: str | None,
                 candidates: int | None = CANDIDATES) -> dict[str, float]:
    """Record id → score for the store's records matching any of ``words`` (see the module docstring for what
    ``candidates`` bounds); every match, scored exactly, when ``candidates`` is None."""
    if connection.dialect.name == "postgresql":
        return _store_scores_postgresql(connection, words, record_type, candidates)
    if candidates is None:
        return _sqlite_exact(connection, fts_terms(words), record_type)
    return _sqlite_bounded(connection, fts_terms(words), record_type, candidates)


def _sqlite_rows(connection: Connection, columns: str, match: str, record_type: str | None, extra: str = "",
                 params: Sequence[Any] = (), table: str = MEMORY_SEARCH_TABLE) -> list[Any]:
    """Rows of an FTS5 query on ``table``, through the DB-API cursor of the same connection (and transaction):
    thousands of rowids come back per search, and SQLAlchemy's result rows would cost more than the query."""
    where = f"{table} MATCH ?" + ("" if record_type is None else " AND type = ?")
    driver = connection.connection.driver_connection
    assert driver is not None
    rows: list[Any] = driver.execute(f"SELECT {columns} FROM {table} WHERE {where}{extra}",
                                     (match, *(() if record_type is None else (record_type,)), *params)).fetchall()
    return rows


def _sqlite_exact(connection: Connection, terms: list[str], record_type: str | None) -> dict[str, float]:
    """Every record matching any term: words matched, then bm25 over all the terms."""
    matched: dict[int, int] = defaultdict(int)
    for term in terms:
        for (rowid,) in _sqlite_rows(connection, "rowid", term, record_type):
            matched[rowid] += 1
    rows = _sqlite_rows(connection, "rowid, record_id, rank", " OR ".join(terms), record_type)
    return {record_id: score(matched[rowid], -float(rank)) for rowid, record_id, rank in rows}  # bm25: lower=better


def _sqlite_bounded(connection: Connection, terms: list[str], record_type: str | None,
                    pool: int) -> dict[str, float]:
    """The records matching any term, at a cost bounded by :data:`SELECTIVE`, :data:`SAMPLE` and ``pool`` rather
    than by the size of the store (see the module docstring)."""
    selective: dict[str, set[int]] = {}
    common: list[str] = []
    for term in terms:
        rowids = _sqlite_rows(connection, "rowid", term, record_type, f" LIMIT {SELECTIVE + 1}")
        if len(rowids) <= SELECTIVE:
            selective[term] = {rowid for (rowid,) in rowids}
        else:
            common.append(term)
    matched: dict[int, int] = defaultdict(int)
    ranks: dict[int, float] = {}
    ids: dict[int, str] = {}
    if selective:
        for holding in selective.values():
            for rowid in holding:
                matched[rowid] += 1
        rare = " OR ".join(selective)
        for rowid, record_id, rank in _sqlite_rows(connection, "rowid, record_id, rank", rare, record_type):
            ranks[rowid] = -float(rank)
            ids[rowid] = record_id
        for term in common:
            for (rowid,) in _sqlite_rows(connection, "rowid", f"({rare}) AND {term}", record_type):
                matched[rowid] += 1
    if not common:
        return {ids[rowid]: score(count, ranks[rowid]) for rowid, count in matched.items()}
    tiers = _common_pools(connection, common, record_type, pool, ranks, ids)
    for rowid in tiers:  # each holds every common word and no selective one (those are all in ``ranks``)
        matched[rowid] = len(common)
    either = " OR ".join(common)
    last = _sqlite_rows(connection, "rowid", either, record_type, f" ORDER BY rowid LIMIT 1 OFFSET {SAMPLE - 1}")
    window = "" if not last else f" AND rowid <= {int(last[0][0])}"
    sampled: dict[int, int] = defaultdict(int)
    for term in common:
        for (rowid,) in _sqlite_rows(connection, "rowid", term, record_type, window):
            if rowid not in ranks and rowid not in tiers:
                sampled[rowid] += 1
    for rowid, count in sampled.items():
        matched[rowid] = count
        if count == len(common):
            tiers[rowid] = ALL_WORDS
    unknown = [rowid for rowid in matched if rowid not in ids]
    for start in range(0, len(unknown), 500):
        chunk = ",".join(str(rowid) for rowid in unknown[start:start + 500])  # our integers: safe inline
        ids |= {rowid: record_id for rowid, record_id in connection.execute(text(
            f"SELECT rowid, record_id FROM memory_search WHERE rowid IN ({chunk})"))}
    return {ids[rowid]: score(count, ranks[rowid] if rowid in ranks else COMMON_RELEVANCE[tiers.get(rowid, 0)])
            for rowid, count in matched.items()}


def _common_pools(connection: Connection, common: list[str], record_type: str | None, pool: int,
                  ranks: dict[int, float], ids: dict[int, str]) -> dict[int, int]:
    """Rowid → tier (:data:`IN_TITLE`, :data:`IN_TITLE_OR_FIELDS`, :data:`ALL_WORDS`) of records that hold every
    common word and no selective one (``ranks`` holds those), from three probes of at most ``pool`` records each,
    in rowid order: every common word in the title (``{title} : (a AND b)``) and every one in the title or the
    fields (``a AND b``), both on the small table ``memory_search_head`` (title and fields only, so its doclists
    are short), then every one anywhere (``a AND b`` on ``memory_search``, for two words or more). No probe scores
    a record; each stops after ``pool`` records. Fills ``ids`` with the record ids found."""
    both = " AND ".join(common)
    tiers: dict[int, int] = {}

    def probe(tier: int, match: str, table: str) -> int:
        rows = _sqlite_rows(connection, "rowid, record_id", match, record_type, f" LIMIT {int(pool)}", table=table)
        for rowid, record_id in rows:
            if rowid not in ranks:
                tiers[rowid] = max(tier, tiers.get(rowid, 0))
                ids[rowid] = record_id
        return len(rows)

    if probe(IN_TITLE_OR_FIELDS, both, MEMORY_SEARCH_HEAD_TABLE):  # else none holds them all in the title either
        probe(IN_TITLE, f"{{title}} : ({both})", MEMORY_SEARCH_HEAD_TABLE)
    if len(common) > 1:
        probe(ALL_WORDS, both, MEMORY_SEARCH_TABLE)
    return tiers


_PG_MATCHED = ("(SELECT count(*) FROM unnest(CAST(:words AS text[])) AS w(word) "
               " WHERE numnode(plainto_tsquery('english', w.word)) > 0 "
               "   AND {document} @@ plainto_tsquery('english', w.word))")


def _store_scores_postgresql(connection: Connection, words: Sequence[str], record_type: str | None,
                             candidates: int | None) -> dict[str, float]:
    type_filter = "" if record_type is None else " AND s.type = :type"
    limit = "" if candidates is None else f" ORDER BY rank DESC LIMIT {int(candidates)}"
    queries = [("websearch_to_tsquery('english', :q_or)", "or")]
    if len(words) > 1 and candidates is not None:
        queries.append(("plainto_tsquery('english', :q_and)", "and"))
    parts = [f"(SELECT s.record_id, s.document, ts_rank_cd(s.document, q) AS rank FROM memory_search s, {query} "
             f"AS q WHERE s.document @@ q{type_filter}{limit})" for query, _ in queries]
    rows = connection.execute(text(
        f"WITH c AS ({' UNION '.join(parts)}) "
        f"SELECT c.record_id, max(c.rank) AS rank, max({_PG_MATCHED.format(document='c.document')}) AS matched "
        "FROM c GROUP BY c.record_id"),
        {"q_or": " or ".join(words), "q_and": " ".join(words), "words": list(words), "type": record_type})
    return {row.record_id: score(int(row.matched), float(row.rank)) for row in rows}


@dataclass(frozen=True)
class SideDocument:
    """A starter-corpus record or a registry project, as the search sees it; ``front`` holds what a hit shows
    (``type``, ``title``, ``date``, ``place``, ``result``)."""

    id: str
    type: str
    source: str
    title: str
    fields: str
    body: str
    front: dict[str, Any]


def project_documents(connection: Connection) -> list[SideDocument]:
    """The active registry projects as documents: title = name (with alternative names and funds), fields =
    sector, target population and organisations, body = outcome-metric definitions; a hit shows the name, the
    service start (else the contract signature) date and the delivery countries."""
    from wellspent.registry.search import search_documents

    texts = search_documents(connection)
    rows = connection.execute(text(
        "SELECT id, name, service_start, contract_signed, countries FROM projects WHERE status = 'active'")).all()
    documents = []
    for row in rows:
        doc = texts.get(row.id, {})
        front = {"type": PROJECT, "title": row.name or row.id, "date": row.service_start or row.contract_signed,
                 "place": row.countries, "result": None}
        documents.append(SideDocument(
            id=row.id, type=PROJECT, source=REGISTRY, title=doc.get("name", row.name or ""),
            fields=f"{doc.get('sector', '')} {doc.get('organisations', '')}".strip(), body=doc.get("metrics", ""),
            front=front))
    return documents


def registry_fingerprint(connection: Connection) -> tuple[int, int, int]:
    """What changes when the registry does: the number of projects, the newest ``last_seen_import_id`` and the
    newest import id."""
    row = connection.execute(text(
        "SELECT count(*), coalesce(max(last_seen_import_id), 0), "
        "coalesce((SELECT max(id) FROM imports), 0) FROM projects")).one()
    return int(row[0]), int(row[1]), int(row[2])


class _SideIndex:
    """An in-memory SQLite FTS5 index over some :class:`SideDocument` (same columns and bm25 weights as the store's
    index), queried the same way as :func:`store_scores` without a candidate limit (a few hundred documents)."""

    def __init__(self, documents: Iterable[SideDocument]) -> None:
        self.documents = {document.id: document for document in documents}
        self.connection = sqlite3.connect(":memory:", check_same_thread=False)
        self.lock = threading.Lock()
        self.connection.execute("CREATE VIRTUAL TABLE side USING fts5(record_id UNINDEXED, type UNINDEXED, title, "
                                "fields, body, tokenize = 'porter unicode61')")
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        self.connection.execute(f"INSERT INTO side (side, rank) VALUES ('rank', 'bm25({weights})')")
        self.connection.executemany(
            "INSERT INTO side (record_id, type, title, fields, body) VALUES (?, ?, ?, ?, ?)",
            [(d.id, d.type, d.title, d.fields, d.body) for d in self.documents.values()])

    def scores(self, words: Sequence[str], record_type: str | None) -> dict[str, float]:
        """Document id → score for the documents matching any of ``words`` (of ``record_type`` if given)."""
        terms = fts_terms(words)
        where = "side MATCH ?" + ("" if record_type is None else " AND type = ?")
        extra = () if record_type is None else (record_type,)
        with self.lock:
            ranks = {record_id: -float(rank) for record_id, rank in self.connection.execute(
                f"SELECT record_id, rank FROM side WHERE {where}", (" OR ".join(terms), *extra))}
            matched = dict.fromkeys(ranks, 0)
            for term in terms:
                for (record_id,) in self.connection.execute(f"SELECT record_id FROM side WHERE {where}",
                                                            (term, *extra)):
                    matched[record_id] += 1
        return {record_id: score(matched[record_id], rank) for record_id, rank in ranks.items()}


_SIDE_CACHE: OrderedDict[tuple[Any, ...], _SideIndex] = OrderedDict()
_SIDE_CACHE_SIZE = 4
_SIDE_LOCK = threading.Lock()


def side_index(connection: Connection, starter: Sequence[SideDocument]) -> _SideIndex:
    """The cached in-memory index of the starter corpus and the registry's projects for this database (SQLite);
    rebuilt when the registry's fingerprint or the starter documents change. At most four are kept."""
    fingerprint = registry_fingerprint(connection)
    key = (connection.engine.url.render_as_string(hide_password=True), fingerprint, id(starter))
    with _SIDE_LOCK:
        index = _SIDE_CACHE.get(key)
        if index is not None:
            _SIDE_CACHE.move_to_end(key)
            return index
    projects = project_documents(connection) if fingerprint[0] else []
    index = _SideIndex([*starter, *projects])
    with _SIDE_LOCK:
        _SIDE_CACHE[key] = index
        while len(_SIDE_CACHE) > _SIDE_CACHE_SIZE:
            _SIDE_CACHE.popitem(last=False)[1].connection.close()
    return index


def documents_scores_postgresql(connection: Connection, words: Sequence[str],
                                documents: Sequence[SideDocument]) -> dict[str, float]:
    """Document id → score for a few documents ranked per query on PostgreSQL (the starter corpus)."""
    if not documents:
        return {}
    rows = connection.execute(text(
        "SELECT x.id, ts_rank_cd(d.document, q) AS rank, " + _PG_MATCHED.format(document="d.document")
        + " AS matched "
        "FROM unnest(CAST(:ids AS text[]), CAST(:titles AS text[]), CAST(:fields AS text[]), "
        "            CAST(:bodies AS text[])) AS x(id, title, fields, body) "
        "CROSS JOIN LATERAL (SELECT setweight(to_tsvector('english', x.title), 'A') "
        "   || setweight(to_tsvector('english', x.fields), 'B') "
        "   || setweight(to_tsvector('english', x.body), 'C') AS document) d, "
        "websearch_to_tsquery('english', :q) AS q "
        "WHERE d.document @@ q"),
        {"q": " or ".join(words), "words": list(words), "ids": [d.id for d in documents],
         "titles": [d.title for d in documents], "fields": [d.fields for d in documents],
         "bodies": [d.body for d in documents]})
    return {row.id: score(int(row.matched), float(row.rank)) for row in rows}


def project_scores_postgresql(connection: Connection, words: Sequence[str]) -> dict[str, float]:
    """Project id → score for active projects matching any of ``words``, through the materialised view
    ``project_search`` (weights A name, B sector and population, C outcome metrics, D organisations)."""
    rows = connection.execute(text(
        "SELECT s.project_id, ts_rank_cd(s.document, q) AS rank, " + _PG_MATCHED.format(document="s.document")
        + " AS matched FROM project_search s JOIN projects p ON p.id = s.project_id AND p.status = 'active', "
        "websearch_to_tsquery('english', :q) AS q WHERE s.document @@ q"),
        {"q": " or ".join(words), "words": list(words)})
    return {row.project_id: score(int(row.matched), float(row.rank)) for row in rows}


def project_fronts(connection: Connection, project_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """What a hit shows for each of ``project_ids`` (see :func:`project_documents`)."""
    if not project_ids:
        return {}
    from sqlalchemy import select

    from wellspent.store.models import Project

    rows = connection.execute(select(Project.id, Project.name, Project.service_start, Project.contract_signed,
                                     Project.countries).where(Project.id.in_(list(project_ids)))).all()
    return {row.id: {"type": PROJECT, "title": row.name or row.id, "date": row.service_start or row.contract_signed,
                     "place": row.countries, "result": None} for row in rows}
