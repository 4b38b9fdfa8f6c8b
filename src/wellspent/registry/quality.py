"""The data-quality report of an INDIGO import, after INDIGO's own (``indigo/dataqualityreport.py``):

- **fields**: for each single-valued project field, how many projects leave it blank, in the whole export and
  in a focus country (GB by default), with the field's INDIGO priority (1 highest … 3;
  :mod:`wellspent.registry.priorities`);
- **lists**: for each project sub-list (outcome metrics, investments…), how many projects have no row at all;
- **problems** (INDIGO's priority 0): ids that point at nothing (organisations, funds, outcome metrics, cited
  sources) and text where the standard expects a number. The import keeps these as given; it does not guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wellspent.registry.priorities import load_priorities

EXAMPLES = 5
"""Examples listed per problem."""

CHECKS: dict[str, str] = {
    "not_a_number": "a number in the data standard but text in the export (kept as text; the number is NULL)",
    "unknown_organisation": "an organisation id that is not among the export's organisations",
    "unknown_fund": "an outcomes fund id that is not among the export's funds",
    "unknown_outcome_metric": "an outcome metric id that the project's outcome metrics do not have",
    "source_not_in_sources_table": "a cited source id that is not in the project's sources",
}
"""Priority-0 checks and what each means."""


@dataclass(frozen=True)
class Finding:
    """One priority-0 problem: which check, where (file, data row, column), the value and its project."""

    check: str
    file: str
    row: int | None
    column: str
    value: str
    project_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """As a JSON object."""
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "project_id": self.project_id}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def data_quality_report(project_cells: Sequence[Mapping[str, str]], focus_country: str, focus_ids: set[str],
                        list_presence: Mapping[str, set[str] | None], findings: Sequence[Finding]) -> dict[str, Any]:
    """The report as a JSON object.

    ``project_cells`` are the project rows as read (column → cell), ``focus_ids`` the projects delivered in
    ``focus_country``, ``list_presence`` for each sub-list the projects with at least one row (None when the
    export has no such file), ``findings`` the priority-0 problems found while importing.
    """
    table = load_priorities()
    total = len(project_cells)
    focus_rows = [cells for cells in project_cells if cells.get("ID", "").strip() in focus_ids]
    header = set(project_cells[0]) if project_cells else set()

    fields: list[dict[str, Any]] = []
    for entry in table.fields:
        in_export = entry.column in header
        missing = sum(1 for cells in project_cells if not cells.get(entry.column, "").strip())
        missing_focus = sum(1 for cells in focus_rows if not cells.get(entry.column, "").strip())
        fields.append({"column": entry.column, "section": entry.section, "kind": entry.kind,
                       "priority": entry.priority, "in_export": in_export,
                       "missing": missing, "missing_share": _share(missing, total),
                       "missing_focus": missing_focus, "missing_focus_share": _share(missing_focus, len(focus_rows))})
    fields.sort(key=lambda f: (f["priority"], -f["missing"], f["column"]))

    lists: list[dict[str, Any]] = []
    for list_entry in table.lists:
        present = list_presence.get(list_entry.section)
        if present is None:
            lists.append({"section": list_entry.section, "title": list_entry.title,
                          "priority": list_entry.priority, "file": list_entry.file, "in_export": False,
                          "projects_without": total, "projects_without_focus": len(focus_rows)})
            continue
        without = total - len(present)
        without_focus = len(focus_rows) - len(present & focus_ids)
        lists.append({"section": list_entry.section, "title": list_entry.title, "priority": list_entry.priority,
                      "file": list_entry.file, "in_export": True,
                      "projects_without": without, "projects_without_share": _share(without, total),
                      "projects_without_focus": without_focus,
                      "projects_without_focus_share": _share(without_focus, len(focus_rows))})
    lists.sort(key=lambda entry: (entry["priority"], -entry["projects_without"], entry["section"]))

    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_check[finding.check].append(finding)
    problems = [{"check": check, "priority": 0, "description": CHECKS.get(check, check),
                 "count": len(found), "projects": len({f.project_id for f in found if f.project_id}),
                 "examples": [f.to_dict() for f in found[:EXAMPLES]]}
                for check, found in sorted(by_check.items())]

    summary: list[dict[str, Any]] = [{"priority": 0, "problems": len(findings)}]
    for priority in sorted({f["priority"] for f in fields} | {entry["priority"] for entry in lists}):
        level = [f for f in fields if f["priority"] == priority and f["kind"] == "value"]
        cells = len(level) * total
        cells_focus = len(level) * len(focus_rows)
        missing = sum(f["missing"] for f in level)
        missing_focus = sum(f["missing_focus"] for f in level)
        level_lists = [entry for entry in lists if entry["priority"] == priority]
        summary.append({
            "priority": priority, "fields": len(level), "missing_values": missing,
            "complete_share": _share(cells - missing, cells),
            "missing_values_focus": missing_focus, "complete_share_focus": _share(cells_focus - missing_focus,
                                                                                  cells_focus),
            "lists": len(level_lists),
            "lists_without_rows": sum(entry["projects_without"] for entry in level_lists),
        })

    return {
        "priorities_source": table.source,
        "projects": total,
        "focus": {"country": focus_country, "projects": len(focus_rows)},
        "summary": summary,
        "fields": fields,
        "lists": lists,
        "problems": problems,
    }
