"""Copies of the INDIGO export to break or trim in tests (never the original)."""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select

from wellspent.store.models import Base

FOLDERS = ("all-data-by-type", "key-datasets")


def copy_export(source: Path, target: Path) -> Path:
    """Copy the CSV folders of the export at ``source`` to ``target``."""
    for folder in FOLDERS:
        shutil.copytree(source / folder, target / folder)
    return target


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a CSV file as the export does (UTF-8 with a BOM)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def edit_csv(path: Path, edit: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]) -> None:
    """Rewrite ``path`` with ``edit(header, rows)``."""
    header, rows = read_rows(path)
    write_rows(path, *edit(header, rows))


def drop_project(export: Path, project_id: str) -> None:
    """Remove a project and every row that belongs to it, as a newer export without it would."""
    for path in [export / "key-datasets" / "original_projects.csv",
                 export / "all-data-by-type" / "original_projects.csv",
                 *sorted((export / "all-data-by-type").glob("original_projects_*.csv"))]:
        def keep(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
            column = header.index("ID") if "ID" in header else header.index("Project ID")
            return header, [row for row in rows if row[column].strip() != project_id]
        edit_csv(path, keep)


def set_cell(path: Path, row_number: int, column: str, value: str) -> None:
    """Set one cell (``row_number`` counts data rows from 1)."""
    def change(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
        rows[row_number - 1][header.index(column)] = value
        return header, rows
    edit_csv(path, change)


def store_digest(engine: Engine) -> str:
    """A hash of every row of every table, in primary-key order: equal digests mean an unchanged store."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            digest.update(table.name.encode())
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
