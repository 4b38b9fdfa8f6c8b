"""``wellspent memory``: institutional memory — decisions, lessons, evaluations and reviews as Markdown records,
stored versioned (ADR 0011; docs/memory.md).

SQLAlchemy is imported inside the commands, so other verbs never load it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wellspent.memory.model import RECORD_TYPES

if TYPE_CHECKING:
    from sqlalchemy import Engine

memory_app = typer.Typer(
    help="Institutional memory: lessons, decisions, evaluations and reviews as Markdown files, stored versioned.",
    no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON.")]


@contextmanager
def _engine() -> Iterator[Engine]:
    from wellspent.cli.db import database_errors
    from wellspent.store.engine import get_engine
    from wellspent.store.migrate import upgrade

    with database_errors():
        engine = get_engine()
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()


def _print(document: Any, json_output: bool, text: Callable[[], None]) -> None:
    if json_output:
        from wellspent.cli.output import print_json

        print_json(document)
    else:
        text()


@memory_app.command("add")
def add_command(
    file: Annotated[Path, typer.Argument(metavar="FILE.md", help="A memory record (`wellspent: memory/1`).")],
    base_version: Annotated[int | None, typer.Option(
        "--base-version", min=0, help="The version your edit started from; refused if another was saved since.")]
        = None,
    role: Annotated[str | None, typer.Option("--role", help="Your role (default: the record's author_role).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why it changed.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Add a record, or save a new version of it (same id, changed content); identical content changes nothing."""
    from wellspent.memory.service import add_file

    with _engine() as engine:
        result = add_file(engine, file, base_version=base_version, changed_by_role=role, note=note)
    _print(result.to_dict(), json_output,
           lambda: typer.echo(f"{result.id}: {result.action} (version {result.version})"))


@memory_app.command("import")
def import_command(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of record files (*.md).")],
    role: Annotated[str | None, typer.Option("--role", help="Your role (default: each record's author_role).")]
        = None,
    json_output: JsonOption = False,
) -> None:
    """Import every record of a folder: all or nothing; every problem is reported together."""
    from wellspent.memory.service import import_directory

    with _engine() as engine:
        results = import_directory(engine, directory, changed_by_role=role)

    def text() -> None:
        counts: dict[str, int] = {}
        for result in results:
            counts[result.action] = counts.get(result.action, 0) + 1
        summary = ", ".join(f"{action} {count}" for action, count in sorted(counts.items())) or "no records"
        typer.echo(f"{directory}: {len(results)} records ({summary})")

    _print([r.to_dict() for r in results], json_output, text)


@memory_app.command("export")
def export_command(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Write one <id>.md per record here.")],
    include_deleted: Annotated[bool, typer.Option("--include-deleted", help="Also deleted records.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Export the current version of every record as Markdown (deleted ones only with --include-deleted)."""
    from wellspent.memory.service import export_directory

    with _engine() as engine:
        paths = export_directory(engine, directory, include_deleted=include_deleted)
    _print([str(p) for p in paths], json_output, lambda: typer.echo(f"wrote {len(paths)} records to {directory}"))


@memory_app.command("show")
def show_command(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    version: Annotated[int | None, typer.Option("--version", min=1, help="An earlier version.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Print a record as Markdown (current version unless --version)."""
    from wellspent.memory.service import show_record

    with _engine() as engine:
        document = show_record(engine, record_id.strip(), version)

    def text() -> None:
        status = (f"DELETED {document['deleted_at']} by {document['deleted_by_role'] or 'unknown role'}: "
                  f"{document['deleted_reason']}\n" if document["deleted"] else "")
        typer.echo(f"# version {document['version']} of {document['current_version']}\n{status}", nl=False)
        typer.echo(document["markdown"], nl=False)

    _print(document, json_output, text)


@memory_app.command("history")
def history_command(record_id: Annotated[str, typer.Argument(metavar="ID")], json_output: JsonOption = False) -> None:
    """Every saved version of a record, oldest first."""
    from wellspent.memory.service import history

    with _engine() as engine:
        versions = history(engine, record_id.strip())

    def text() -> None:
        for v in versions:
            typer.echo(f"v{v.version}  {v.changed_at}  {v.changed_by_role or '-'}  {v.change_note or ''}  {v.title}")

    _print([v.to_dict() for v in versions], json_output, text)


@memory_app.command("diff")
def diff_command(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    old: Annotated[int | None, typer.Option("--from", min=1, help="The earlier version (default: the one before "
                                                                  "--to).")] = None,
    new: Annotated[int | None, typer.Option("--to", min=1, help="The later version (default: the current one).")]
        = None,
    json_output: JsonOption = False,
) -> None:
    """What changed between two versions of a record: the fields that differ and a unified diff of the Markdown."""
    from wellspent.memory.service import diff_versions

    with _engine() as engine:
        document = diff_versions(engine, record_id.strip(), old, new)

    def text() -> None:
        changed = ", ".join(document["changes"]) or "none"
        typer.echo(f"{document['id']}: version {document['from']} → {document['to']}; fields changed: {changed}; "
                   f"text {'changed' if document['body_changed'] else 'unchanged'}")
        typer.echo(document["diff"], nl=False)

    _print(document, json_output, text)


@memory_app.command("delete")
def delete_command(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option("--reason", help="Why the record is deleted (kept with it).")],
    role: Annotated[str | None, typer.Option("--role", help="Your role.")] = None,
) -> None:
    """Soft-delete a record: its versions are kept; it leaves search and export; adding it again restores it."""
    from wellspent.memory.service import delete_record

    with _engine() as engine:
        delete_record(engine, record_id.strip(), reason, by_role=role)
    typer.echo(f"{record_id}: deleted")


@memory_app.command("search")
def search_command(
    text_query: Annotated[str, typer.Argument(
        metavar="TEXT", help="Words to find (common English words ignored; records matching more words first).")],
    tried: Annotated[bool, typer.Option("--tried", help="Lessons only, grouped by result.")] = False,
    record_type: Annotated[str | None, typer.Option(
        "--type", help="lesson, decision, evaluation, review, appraisal, contract, or project (registry).")]
        = None,
    no_starter: Annotated[bool, typer.Option(
        "--no-starter", help="Search only the store, not the starter corpus shipped with wellspent.")] = False,
    mode: Annotated[str, typer.Option(
        "--mode", help="fulltext (words), semantic (meaning: needs the optional `semantic` extra) or blended "
                       "(both, fused by reciprocal rank).")] = "fulltext",
    json_output: JsonOption = False,
) -> None:
    """Search records by words in title, body and fields, best first; --tried groups lessons by what happened.

    Records of the starter corpus shipped with wellspent are searched too (unless --no-starter), except those whose
    id the store holds; each hit says whether it came from the store or the starter corpus. --mode semantic ranks by
    meaning (sentence embeddings from an offline model), --mode blended fuses both rankings (docs/memory.md)."""
    from wellspent.errors import InputError
    from wellspent.memory.service import group_tried, search_records

    modes = ("fulltext", "semantic", "blended")
    if mode not in modes:
        raise InputError.single(None, "--mode", f"unknown mode {mode!r}; use one of {', '.join(modes)}")
    if mode != "fulltext":
        from wellspent.memory import semantic

        semantic.require()
    if record_type is not None and record_type not in (*RECORD_TYPES, "project"):
        raise InputError.single(None, "--type", f"unknown type {record_type!r}; use one of "
                                f"{', '.join(RECORD_TYPES)} or project")
    if tried:
        if record_type not in (None, "lesson"):
            raise InputError.single(None, "--type", "--tried groups lessons; leave out --type or use lesson")
        record_type = "lesson"
    with _engine() as engine:
        if mode == "fulltext":
            hits = search_records(engine, text_query, record_type, starter=not no_starter)
        else:
            find = semantic.semantic_search if mode == "semantic" else semantic.blended_search
            hits = find(engine, text_query, record_type, starter=not no_starter)
    if tried:
        groups = group_tried(hits)
        document: Any = {result: [h.to_dict() for h in group] for result, group in groups.items()}

        def text() -> None:
            for result, group in groups.items():
                typer.echo(f"{result} ({len(group)})")
                for h in group:
                    typer.echo(f"  {h.id}  {h.date or '-'}  {h.place or '-'}  {h.title}  [{h.source}]")
    else:
        document = [h.to_dict() for h in hits]

        def text() -> None:
            if not hits:
                typer.echo("no records found")
            for h in hits:
                typer.echo(f"{h.id}  {h.type}  {h.date or '-'}  {h.title}  [{h.source}]")

    _print(document, json_output, text)
