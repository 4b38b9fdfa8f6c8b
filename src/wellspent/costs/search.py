"""Fuzzy search over the unit cost library's names, ids and sources.

Uses rapidfuzz (the ``fuzzy`` extra) when installed and the standard library's difflib otherwise; both score
0–100 and rank the same way on clear matches.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wellspent.costs.model import UnitCost

_WORD = re.compile(r"[a-z0-9]+")


def _difflib_partial(query: str, text: str) -> float:
    """Best similarity of ``query`` against any window of ``text`` of the same length, 0–100."""
    if not query or not text:
        return 0.0
    if len(query) >= len(text):
        return 100.0 * difflib.SequenceMatcher(None, query, text).ratio()
    matcher = difflib.SequenceMatcher(None, query, text, autojunk=False)
    best = 0.0
    for block in matcher.get_matching_blocks():
        start = max(0, block.b - block.a)
        window = text[start:start + len(query)]
        best = max(best, difflib.SequenceMatcher(None, query, window).ratio())
    return 100.0 * best


def _scorer() -> Callable[[str, str], float]:
    try:
        from rapidfuzz import fuzz
    except ImportError:
        return _difflib_partial

    def score(query: str, text: str) -> float:
        return float(fuzz.partial_ratio(query, text))

    return score


@dataclass(frozen=True)
class Hit:
    """A search result: the entry and its score (0–100)."""

    entry: UnitCost
    score: float


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def search(entries: Iterable[UnitCost], query: str, limit: int = 10, min_score: float = 60.0) -> list[Hit]:
    """Entries whose name, id or source match ``query``, best first.

    Each query word is scored against the entry's name (weight 1.0), id (0.9) and source (0.6), taking the
    best field per word; an entry's score is the mean over the query's words, so every word counts.
    """
    words = _normalise(query).split()
    if not words:
        return []
    score = _scorer()
    hits = []
    for entry in entries:
        fields = ((_normalise(entry.name), 1.0), (_normalise(entry.id), 0.9), (_normalise(entry.source), 0.6))
        total = 0.0
        for word in words:
            total += max(weight * score(word, text) for text, weight in fields)
        mean = total / len(words)
        if mean >= min_score:
            hits.append(Hit(entry, mean))
    hits.sort(key=lambda h: (-h.score, h.entry.id))
    return hits[:limit]
