"""Persistent full-text index of memory records: ``memory_search`` (issue 6; ADR 0012).

- SQLite: an FTS5 virtual table ``memory_search(record_id UNINDEXED, type UNINDEXED, title, fields, body)``,
  tokenizer ``porter unicode61``, ``rank`` = ``bm25(0, 0, 5, 2, 1)``; rowid = a 63-bit hash of the record id;
  and a small FTS5 table ``memory_search_head(record_id UNINDEXED, type UNINDEXED, title, fields)`` over the same
  records with the same rowids, which the search probes for common words in titles and fields.
- PostgreSQL: a table ``memory_search(record_id PK → memory_records.id, type, document tsvector)``
  (``english``; A title, B fields, C body) with a GIN index on ``document``.

Filled here from the current version of every record not deleted; afterwards the memory service keeps it in step
in the transaction of each save and delete (:mod:`wellspent.memory.search_index`). The functions below are copies,
frozen with this revision, of ``fields_text`` and ``rowid_for`` in that module.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_FIELDS = ("tried", "for_whom", "evidence", "context", "decision", "rationale", "design", "reviewed",
                "findings", "place", "source", "spec_file")
_LIST_FIELDS = ("options", "effect_sizes", "tags")


def _fields_text(front: dict[str, Any]) -> str:
    parts = [front[name] for name in _TEXT_FIELDS if isinstance(front.get(name), str)]
    for name in _LIST_FIELDS:
        items = front.get(name)
        if isinstance(items, list):
            parts.extend(str(item) for item in items)
    return " ".join(parts)


def _rowid(record_id: str) -> int:
    return int.from_bytes(hashlib.sha256(record_id.encode("utf-8")).digest()[:8], "big") >> 1


def _current_records() -> list[dict[str, Any]]:
    rows = op.get_bind().execute(sa.text(
        "SELECT r.id, r.type, v.front_matter, v.body FROM memory_records r JOIN memory_versions v "
        "ON v.record_id = r.id AND v.version = r.version WHERE NOT r.deleted")).all()
    records = []
    for row in rows:
        front = row.front_matter if isinstance(row.front_matter, dict) else json.loads(row.front_matter)
        records.append({"rowid": _rowid(row.id), "record_id": row.id, "type": row.type,
                        "title": str(front.get("title", "")), "fields": _fields_text(front), "body": row.body})
    return records


def upgrade() -> None:
    """Upgrade the schema."""
    bind = op.get_bind()
    records = _current_records()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE TABLE memory_search (record_id VARCHAR(80) NOT NULL, type VARCHAR(16) NOT NULL, "
                   "document TSVECTOR NOT NULL, CONSTRAINT pk_memory_search PRIMARY KEY (record_id), "
                   "CONSTRAINT fk_memory_search_record_id_memory_records FOREIGN KEY (record_id) "
                   "REFERENCES memory_records (id))")
        op.execute("CREATE INDEX ix_memory_search_document ON memory_search USING gin (document)")
        if records:
            bind.execute(sa.text(
                "INSERT INTO memory_search (record_id, type, document) VALUES (:record_id, :type, "
                "setweight(to_tsvector('english', :title), 'A') || setweight(to_tsvector('english', :fields), 'B') "
                "|| setweight(to_tsvector('english', :body), 'C'))"), records)
        return
    op.execute("CREATE VIRTUAL TABLE memory_search USING fts5(record_id UNINDEXED, type UNINDEXED, title, fields, "
               "body, tokenize = 'porter unicode61')")
    op.execute("INSERT INTO memory_search (memory_search, rank) VALUES ('rank', 'bm25(0.0, 0.0, 5.0, 2.0, 1.0)')")
    op.execute("CREATE VIRTUAL TABLE memory_search_head USING fts5(record_id UNINDEXED, type UNINDEXED, title, "
               "fields, tokenize = 'porter unicode61')")
    if records:
        bind.execute(sa.text("INSERT INTO memory_search (rowid, record_id, type, title, fields, body) "
                             "VALUES (:rowid, :record_id, :type, :title, :fields, :body)"), records)
        bind.execute(sa.text("INSERT INTO memory_search_head (rowid, record_id, type, title, fields) "
                             "VALUES (:rowid, :record_id, :type, :title, :fields)"), records)


def downgrade() -> None:
    """Downgrade the schema."""
    op.execute("DROP TABLE IF EXISTS memory_search_head")
    op.execute("DROP TABLE IF EXISTS memory_search")
