"""Benchmark: ``memory search`` over 100,000 records on SQLite (issue 6: p95 ≤ 50 ms).

A fresh SQLite store in a temporary folder (migrated to head, so the ``memory_search`` FTS5 index exists) gets
100,000 synthetic records written straight into ``memory_records``, ``memory_versions`` and the index (its two
tables, ``memory_search`` and ``memory_search_head``), in bulk, with the same rows
:func:`wellspent.memory.service.save_record` writes (front matter as stored, the index rows from
:func:`wellspent.memory.search_index.index_record`'s columns): a search then costs what it costs on a store of that
size. Records are realistic in shape: words drawn from the starter corpus's own vocabulary with its frequencies
(so common words are common), bodies of 150-400 words naming one to three made-up places or programmes (the rare
words real records have), titles of 5-12 words, all six record types, lessons with all four results.

Queries: the 45 labelled queries of ``tests/memory/queries.yaml`` plus generated ones (2-5 words from the same
vocabulary, every other one with a made-up name in it), at least 200 in all; each is timed once through
``search_records`` (limit 50, starter corpus on) after one warm-up pass. Printed: p50, p95 and max in ms.

Baseline in the same run: the previous implementation (a temporary FTS5 table built per query from every current
record, its front matter parsed to find the searchable fields) on 2,000 records, over the first 20 queries.

Run with ``.venv/bin/python benchmarks/bench_memory_search.py`` (about 2 minutes; ``--records N`` for another size).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wellspent.memory.files import record_from_stored  # noqa: E402
from wellspent.memory.model import search_text  # noqa: E402
from wellspent.memory.search_index import fields_text, rowid_for  # noqa: E402
from wellspent.memory.service import STOP_WORDS, search_records, search_words, starter_corpus  # noqa: E402
from wellspent.store.engine import get_engine  # noqa: E402
from wellspent.store.memory_models import MemoryRecord, MemoryVersion  # noqa: E402
from wellspent.store.migrate import upgrade  # noqa: E402

QUERIES = ROOT / "tests" / "memory" / "queries.yaml"
TARGET_P95_MS = 50.0
TYPES = ("lesson", "lesson", "lesson", "decision", "evaluation", "review", "appraisal", "contract")
RESULTS = ("worked", "failed", "mixed", "unknown")
PLACES = ("Manchester", "Leeds", "Bristol", "Birmingham", "Newcastle", "Essex", "Kent", "London", "Wales",
          "Scotland", "England")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


class Vocabulary:
    """The starter corpus's words and their frequencies, to draw synthetic text from."""

    def __init__(self) -> None:
        counts: Counter[str] = Counter()
        for record in starter_corpus():
            counts.update(word.lower() for word in _WORD.findall(
                f"{record.front.title} {search_text(record.front)} {record.body}"))
        self.words = list(counts)
        self.weights = [counts[word] for word in self.words]
        self.content = [word for word in self.words if word not in STOP_WORDS and len(word) > 3]
        rng = random.Random(1)
        syllables = ["ash", "bar", "bury", "by", "ford", "ham", "kings", "ley", "mere", "new", "north", "ton",
                     "wick", "worth", "ast", "brook", "dale", "hol", "stan", "wel"]
        self.names = sorted({"".join(rng.sample(syllables, 3)).capitalize() for _ in range(4000)})
        """Rare words: made-up place and programme names, a few per record (real records name places)."""

    def text(self, rng: random.Random, n: int) -> str:
        """``n`` words in sentences of 8-20 words."""
        words = rng.choices(self.words, self.weights, k=n)
        sentences, start = [], 0
        while start < n:
            end = min(n, start + rng.randint(8, 20))
            sentence = " ".join(words[start:end])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start = end
        return " ".join(sentences)


def synthetic_rows(vocabulary: Vocabulary, n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` synthetic records: id, type, front matter (as stored) and body."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        kind = rng.choice(TYPES)
        record_id = f"synthetic-{kind}-{i:06d}"
        title = vocabulary.text(rng, rng.randint(5, 12)).rstrip(".")
        front: dict[str, Any] = {"wellspent": "memory/1", "type": kind, "id": record_id, "title": title,
                                 "date": f"{rng.randint(2010, 2026)}-{rng.randint(1, 12):02d}",
                                 "place": rng.choice(PLACES), "author_role": "analyst"}
        if kind == "lesson":
            front |= {"tried": vocabulary.text(rng, rng.randint(6, 15)), "result": rng.choice(RESULTS),
                      "for_whom": vocabulary.text(rng, rng.randint(3, 8))}
        elif kind == "decision":
            front |= {"decision": vocabulary.text(rng, rng.randint(6, 15)),
                      "rationale": vocabulary.text(rng, rng.randint(10, 25))}
        elif kind == "evaluation":
            front |= {"design": vocabulary.text(rng, rng.randint(4, 10)), "evidence_strength": rng.randint(1, 5)}
        elif kind == "review":
            front |= {"reviewed": vocabulary.text(rng, rng.randint(4, 10)),
                      "findings": vocabulary.text(rng, rng.randint(10, 25))}
        else:
            front |= {"spec_file": f"specs/{record_id}.yaml", "spec_sha256": "0" * 64, "library_version": "0.1.0"}
        front["tags"] = [rng.choice(vocabulary.content) for _ in range(rng.randint(0, 4))]
        names = " and ".join(rng.sample(vocabulary.names, rng.randint(1, 3)))
        rows.append({"id": record_id, "type": kind, "front": front,
                     "body": f"In {names}: " + vocabulary.text(rng, rng.randint(150, 400)) + "\n"})
    return rows


def load(engine: Engine, rows: list[dict[str, Any]], *, index: bool = True, batch: int = 5000) -> None:
    """Write ``rows`` into the tables (and the search index) in bulk, as :func:`save_record` would."""
    now = datetime(2026, 11, 26, tzinfo=UTC)
    with engine.begin() as connection:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            connection.execute(insert(MemoryRecord), [
                {"id": r["id"], "type": r["type"], "title": r["front"]["title"], "version": 1, "deleted": False,
                 "created_at": now, "updated_at": now} for r in chunk])
            connection.execute(insert(MemoryVersion), [
                {"record_id": r["id"], "version": 1, "front_matter": r["front"], "body": r["body"],
                 "changed_at": now, "changed_by_role": "analyst", "change_note": "created"} for r in chunk])
            if index:
                index_rows = [{"rowid": rowid_for(r["id"]), "record_id": r["id"], "type": r["type"],
                               "title": r["front"]["title"], "fields": fields_text(r["front"]), "body": r["body"]}
                              for r in chunk]
                connection.execute(text(
                    "INSERT INTO memory_search (rowid, record_id, type, title, fields, body) "
                    "VALUES (:rowid, :record_id, :type, :title, :fields, :body)"), index_rows)
                connection.execute(text(
                    "INSERT INTO memory_search_head (rowid, record_id, type, title, fields) "
                    "VALUES (:rowid, :record_id, :type, :title, :fields)"), index_rows)


def queries(vocabulary: Vocabulary, n: int, seed: int = 7) -> list[str]:
    """The labelled queries, then generated ones up to ``n``."""
    labelled = [q["query"] for q in yaml.safe_load(QUERIES.read_text("utf-8"))["queries"]]
    rng = random.Random(seed)
    generated: list[str] = []
    while len(labelled) + len(generated) < n:
        words = [rng.choice(vocabulary.content) for _ in range(rng.randint(2, 5))]
        if len(generated) % 2:  # every other generated query names a place or programme
            words[rng.randrange(len(words))] = rng.choice(vocabulary.names)
        generated.append(" ".join(words))
    return labelled + generated


def old_search(connection: Connection, text_query: str, limit: int = 50) -> list[tuple[float, str]]:
    """The previous implementation's store path (before migration 0005): every current record read, its front
    matter parsed for the searchable fields, a temporary FTS5 table built, then per-word and OR queries."""
    words = search_words(text_query)
    rows = connection.execute(select(MemoryRecord.id, MemoryRecord.title, MemoryVersion.front_matter,
                                     MemoryVersion.body).join(
        MemoryVersion, (MemoryVersion.record_id == MemoryRecord.id) & (MemoryVersion.version == MemoryRecord.version))
        .where(MemoryRecord.deleted.is_(False))).all()
    connection.execute(text("DROP TABLE IF EXISTS temp.memory_search_fts"))
    connection.execute(text("CREATE VIRTUAL TABLE temp.memory_search_fts USING fts5(record_id UNINDEXED, title, "
                            "fields, body, tokenize = 'porter unicode61')"))
    connection.execute(text("INSERT INTO temp.memory_search_fts (record_id, title, fields, body) "
                            "VALUES (:record_id, :title, :fields, :body)"),
                       [{"record_id": r.id, "title": r.title,
                         "fields": search_text(record_from_stored(r.front_matter, "").front), "body": r.body}
                        for r in rows])
    terms = ['"' + word.replace('"', '""') + '"' for word in words]
    matched: dict[str, int] = defaultdict(int)
    for term in terms:
        for record_id in connection.execute(text("SELECT record_id FROM temp.memory_search_fts "
                                                 "WHERE memory_search_fts MATCH :q"), {"q": term}).scalars():
            matched[record_id] += 1
    ranked = connection.execute(text("SELECT record_id, bm25(memory_search_fts, 0.0, 5.0, 2.0, 1.0) AS rank "
                                     "FROM temp.memory_search_fts WHERE memory_search_fts MATCH :q"),
                                {"q": " OR ".join(terms)}).all()
    scores = sorted(((matched[r.record_id] + max(-r.rank, 0) / (1 + max(-r.rank, 0)), r.record_id) for r in ranked),
                    reverse=True)
    return scores[:limit]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in (0, 1])."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


def time_searches(engine: Engine, texts: list[str]) -> tuple[list[float], list[int]]:
    """Milliseconds per ``search_records`` call (after one warm-up pass over all queries) and the hit counts."""
    for query in texts:
        search_records(engine, query)
    latencies, counts = [], []
    for query in texts:
        start = time.perf_counter()
        hits = search_records(engine, query)
        latencies.append((time.perf_counter() - start) * 1e3)
        counts.append(len(hits))
    return latencies, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=220)
    parser.add_argument("--baseline-records", type=int, default=2_000)
    args = parser.parse_args()
    vocabulary = Vocabulary()
    texts = queries(vocabulary, args.queries)
    with tempfile.TemporaryDirectory() as folder:
        engine = get_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        start = time.perf_counter()
        rows = synthetic_rows(vocabulary, args.records)
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        load(engine, rows)
        load_s = time.perf_counter() - start
        words = sum(len(r["body"].split()) for r in rows) / len(rows)
        del rows
        db_mb = (Path(folder) / "bench.db").stat().st_size / 1e6
        latencies, counts = time_searches(engine, texts)
        engine.dispose()

        baseline = get_engine(f"sqlite:///{Path(folder) / 'baseline.db'}")
        upgrade(baseline)
        load(baseline, synthetic_rows(vocabulary, args.baseline_records), index=False)
        baseline_ms = []
        with baseline.begin() as connection:
            for query in texts[:20]:
                start = time.perf_counter()
                old_search(connection, query)
                baseline_ms.append((time.perf_counter() - start) * 1e3)
        baseline.dispose()
        new_small = get_engine(f"sqlite:///{Path(folder) / 'small.db'}")
        upgrade(new_small)
        load(new_small, synthetic_rows(vocabulary, args.baseline_records))
        small_ms, _ = time_searches(new_small, texts[:20])
        new_small.dispose()

    figures = {
        "records": args.records, "mean_body_words": round(words, 1), "database_mb": round(db_mb, 1),
        "generate_s": round(generate_s, 1), "bulk_load_and_index_s": round(load_s, 1),
        "queries": len(texts), "labelled_queries": len(yaml.safe_load(QUERIES.read_text("utf-8"))["queries"]),
        "mean_hits": round(statistics.mean(counts), 1),
        "search_p50_ms": round(percentile(latencies, 0.50), 2),
        "search_p95_ms": round(percentile(latencies, 0.95), 2),
        "search_max_ms": round(max(latencies), 2),
        "baseline_records": args.baseline_records,
        "baseline_per_query_temp_fts_median_ms": round(statistics.median(baseline_ms), 2),
        "new_index_same_records_median_ms": round(statistics.median(small_ms), 2),
        "target_p95_ms": TARGET_P95_MS,
    }
    print(json.dumps(figures, indent=2))
    print(f"\n{'':50} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(f"{'persistent index, ' + format(args.records, ',') + ' records':50} {figures['search_p50_ms']:8.2f} "
          f"{figures['search_p95_ms']:8.2f} {figures['search_max_ms']:8.2f}")
    print(f"{'baseline: temporary FTS per query, ' + format(args.baseline_records, ',') + ' records':50} "
          f"{statistics.median(baseline_ms):8.2f} {percentile(baseline_ms, 0.95):8.2f} {max(baseline_ms):8.2f}")
    print(f"{'persistent index, ' + format(args.baseline_records, ',') + ' records':50} "
          f"{statistics.median(small_ms):8.2f} {percentile(small_ms, 0.95):8.2f} {max(small_ms):8.2f}")
    verdict = "meets" if figures["search_p95_ms"] <= TARGET_P95_MS else "MISSES"
    print(f"\np95 {figures['search_p95_ms']:.2f} ms over {len(texts)} queries on {args.records:,} records {verdict} "
          f"the target of ≤ {TARGET_P95_MS:.0f} ms; per query on {args.baseline_records:,} records the old approach "
          f"took {statistics.median(baseline_ms):.0f} ms (median), the index "
          f"{statistics.median(small_ms):.1f} ms ({statistics.median(baseline_ms) / statistics.median(small_ms):.0f}×)")


if __name__ == "__main__":
    main()
