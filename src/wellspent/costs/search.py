"""Fuzzy search over the unit cost library's names, ids and sources.

Word by word: each query word is matched against the words of an entry's name (weight 1.0), id (0.9) and source
(0.6) — an exact word scores 100, a word it begins (3+ letters) 90, otherwise the similarity of the two words
(rapidfuzz's ``fuzz.ratio`` with the ``fuzzy`` extra, the standard library's difflib otherwise), so typos are
forgiven but short words do not match inside long ones. An entry's score is the mean over the query's words;
ties are broken by how closely the whole name matches the query.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wellspent.costs.model import UnitCost

_WORD = re.compile(r"[a-z0-9]+")
FIELD_WEIGHTS = (("name", 1.0), ("id", 0.9), ("source", 0.6))


def _difflib_ratio(a: str, b: str) -> float:
    return 100.0 * difflib.SequenceMatcher(None, a, b).ratio()


def _ratio() -> Callable[[str, str], float]:
    try:
        from rapidfuzz import fuzz
    except ImportError:
        return _difflib_ratio
    return lambda a, b: float(fuzz.ratio(a, b))


def words(text: str) -> list[str]:
    """Lower-case words; '&' inside a word joins it ("A&E" → "ae", "E&E10.0" → "ee10", "0").

    >>> words("A&E attendance, E&E10.0")
    ['ae', 'attendance', 'ee10', '0']
    """
    return _WORD.findall(re.sub(r"(?<=\w)&(?=\w)", "", text.lower()))


@dataclass(frozen=True)
class Hit:
    """A search result: the entry and its score (0–100)."""

    entry: UnitCost
    score: float


def _word_score(word: str, candidates: list[str], ratio: Callable[[str, str], float]) -> float:
    best = 0.0
    for candidate in candidates:
        if candidate == word:
            return 100.0
        prefix = len(word) >= 3 and candidate.startswith(word)
        best = max(best, 90.0 if prefix else ratio(word, candidate))
    return best


def search(entries: Iterable[UnitCost], query: str, limit: int = 10, min_score: float = 70.0) -> list[Hit]:
    """Entries matching ``query``, best first (see the module docstring for the scoring)."""
    query_words = words(query)
    if not query_words:
        return []
    ratio = _ratio()
    phrase = " ".join(query_words)
    scored: list[tuple[float, float, UnitCost]] = []
    for entry in entries:
        fields = [(words(getattr(entry, name)), weight) for name, weight in FIELD_WEIGHTS]
        total = 0.0
        for word in query_words:
            total += max(weight * _word_score(word, field_words, ratio) for field_words, weight in fields)
        score = total / len(query_words)
        if score >= min_score:
            tiebreak = ratio(phrase, " ".join(fields[0][0]))
            scored.append((score, tiebreak, entry))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].id))
    return [Hit(entry, score) for score, _, entry in scored[:limit]]
