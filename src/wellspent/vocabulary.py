"""Controlled vocabularies shipped as data: agencies, policy areas and unit cost library domains."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary."""

    id: str
    name: str
    fiscal: bool = True
    sector: str = ""


def _read(name: str) -> dict[str, list[dict[str, object]]]:
    path = resources.files("wellspent") / "data" / name
    data: dict[str, list[dict[str, object]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@cache
def agencies() -> dict[str, Term]:
    """Agencies by id: who bears a cost or receives a benefit.

    >>> agencies()["la-childrens-services"].fiscal
    True
    >>> agencies()["individuals"].fiscal
    False
    """
    return {
        str(a["id"]): Term(str(a["id"]), str(a["name"]), bool(a["fiscal"]), str(a["sector"]))
        for a in _read("agencies.yaml")["agencies"]
    }


@cache
def policy_areas() -> dict[str, Term]:
    """Policy areas by id (a spec's ``policy_area:``)."""
    return {str(a["id"]): Term(str(a["id"]), str(a["name"])) for a in _read("policy_areas.yaml")["policy_areas"]}


@cache
def domains() -> dict[str, Term]:
    """Unit cost library domains by id (one library file per domain)."""
    return {str(a["id"]): Term(str(a["id"]), str(a["name"])) for a in _read("policy_areas.yaml")["domains"]}
