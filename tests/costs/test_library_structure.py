"""Structural checks over the whole shipped unit cost library: every entry carries its provenance (DESIGN §4).

Walks every file under ``wellspent/data/unit_costs/<collection>/<domain>.yaml`` (generated and hand-written alike).
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

import pytest
import yaml

from wellspent.costs import load_library
from wellspent.costs.library import read_library_file
from wellspent.money import load_series
from wellspent.vocabulary import agencies, domains

FILE_KEYS = ("collection", "domain", "title", "licence", "attribution", "entries")


def library_files() -> list[Traversable]:
    root = resources.files("wellspent") / "data" / "unit_costs"
    return [
        path
        for folder in sorted(root.iterdir(), key=lambda p: p.name)
        if folder.is_dir()
        for path in sorted(folder.iterdir(), key=lambda p: p.name)
        if path.name.endswith(".yaml")
    ]


FILES = library_files()


def test_there_is_a_library() -> None:
    assert len(FILES) >= 7
    assert len(load_library()) >= 674 + 80 + 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_header(path: Traversable) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [key for key in FILE_KEYS if not data.get(key)]
    assert missing == [], f"{path.name}: missing or empty {missing}"
    assert data["domain"] == path.name.removesuffix(".yaml")
    assert data["domain"] in domains()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_entry_has_provenance(path: Traversable) -> None:
    _, entries = read_library_file(path.read_text(encoding="utf-8"), path.name)
    known = agencies()
    problems = []
    for entry in entries:
        for field in ("source", "url", "origin"):
            if not str(getattr(entry, field) or "").strip():
                problems.append(f"{entry.id}: empty {field}")
        if not entry.url.startswith(("https://", "http://")):
            problems.append(f"{entry.id}: url {entry.url!r} is not a web address")
        if entry.agency not in known:
            problems.append(f"{entry.id}: unknown agency {entry.agency!r}")
        if entry.kind != "fiscal" and known[entry.agency].fiscal and entry.agency != "multiple-agencies":
            problems.append(f"{entry.id}: {entry.kind} value assigned to public body {entry.agency!r}")
    assert problems == []


def test_ids_are_unique_across_the_library() -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for path in FILES:
        collection, entries = read_library_file(path.read_text(encoding="utf-8"), path.name)
        where = f"{collection.name}/{path.name}"
        for entry in entries:
            if entry.id in seen:
                duplicates.append(f"{entry.id} in {seen[entry.id]} and {where}")
            seen[entry.id] = where
    assert duplicates == []


def test_every_entry_converts_to_the_latest_price_year() -> None:
    """A spec may use any entry: its price year must be inside the default deflator series (else an appraisal
    would fail with an unexpected error instead of a bad-input message)."""
    series = load_series()
    outside = [f"{e.id} ({e.price_year})" for e in load_library() if not series.covers(e.price_year)]
    assert outside == []
    assert load_library().amount_in("wellby-central", 2024) > 13000  # 2019 → 2024 prices rise


def test_no_hact_values_are_shipped() -> None:
    """HACT Social Value Bank values must never be bundled (their licence forbids it)."""
    offenders = [e.id for e in load_library() if "hact" in f"{e.source} {e.url} {e.origin}".lower()]
    assert offenders == []
