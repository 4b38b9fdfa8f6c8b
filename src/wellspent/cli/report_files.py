"""``--html FILE``, ``--pdf FILE`` and ``--xlsx FILE`` on the commands that compute (issue 7).

Each report is written to a temporary file beside its target and moved into place only when complete, so a
failure never leaves a half-written report or clobbers a good one. The report builders are passed in as callables
and imported by the commands only when a report is asked for, so plain runs stay fast.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from wellspent.errors import InputError, Problem

HtmlOption = Annotated[Path | None, typer.Option(
    "--html", help="Also write the report as one self-contained HTML file (opens offline).")]
PdfOption = Annotated[Path | None, typer.Option(
    "--pdf", help="Also write the report as PDF (needs the pdf extra: pip install 'wellspent[pdf]').")]
XlsxOption = Annotated[Path | None, typer.Option(
    "--xlsx", help="Also write an Excel workbook whose calculations are live formulas on an inputs sheet.")]
InteractiveOption = Annotated[bool, typer.Option(
    "--interactive", help="With --html: draw the charts live (tooltips) with the Vega bundle inlined in the page "
                          "(about 0.9 MB; no network). The PDF is always static.")]


def today() -> str:
    """Today's date (ISO) for a report's footer, read here at the edge: reports never read the clock."""
    from datetime import date

    return date.today().isoformat()


@dataclass(frozen=True)
class ReportTargets:
    """Where the user asked for reports; ``None`` where not asked."""

    html: Path | None = None
    pdf: Path | None = None
    xlsx: Path | None = None
    interactive: bool = False

    @property
    def any(self) -> bool:
        """Whether any report was asked for."""
        return self.html is not None or self.pdf is not None or self.xlsx is not None

    @property
    def wants_html_text(self) -> bool:
        """Whether the HTML text is needed (for the HTML file or for the PDF, which is printed from it)."""
        return self.html is not None or self.pdf is not None

    def check(self) -> None:
        """Fail before any work if a target's folder does not exist, is a folder, or two targets are one file."""
        problems: list[tuple[str, str]] = []
        seen: dict[Path, str] = {}
        for option, path in (("--html", self.html), ("--pdf", self.pdf), ("--xlsx", self.xlsx)):
            if path is None:
                continue
            if path.is_dir():
                problems.append((option, f"{path} is a folder; give a file name"))
            elif not path.parent.resolve().is_dir():
                problems.append((option, f"folder {path.parent} does not exist"))
            resolved = path.resolve()
            if resolved in seen:
                problems.append((option, f"same file as {seen[resolved]}"))
            seen[resolved] = option
        if problems:
            raise InputError(Problem(None, option, message) for option, message in problems)


def _atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temporary path)`` and move the result onto ``target``; remove the temporary file on failure."""
    # the temporary file keeps the target's suffix: openpyxl insists on .xlsx
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                                    dir=target.parent.resolve())
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report gets the usual permissions
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_reports(targets: ReportTargets, *, html: Callable[[bool], str] | None = None,
                  xlsx: Callable[[Path], None] | None = None) -> None:
    """Write the reports asked for: ``html(interactive)`` gives the HTML text (the static one is also printed to
    PDF); ``xlsx(path)`` writes the workbook. Says on stderr what was written."""
    written: list[Path] = []
    if targets.wants_html_text:
        if html is None:  # pragma: no cover - every command passes one
            raise InputError.single(None, "--html", "this command has no HTML report")
        texts: dict[bool, str] = {}

        def text(interactive: bool) -> str:
            if interactive not in texts:
                assert html is not None
                texts[interactive] = html(interactive)
            return texts[interactive]

        if targets.html is not None:
            page = text(targets.interactive)
            _atomic_write(targets.html, lambda path: path.write_text(page, encoding="utf-8"))
            written.append(targets.html)
        if targets.pdf is not None:
            from wellspent.reports.pdf import write_pdf

            printed = text(False)
            _atomic_write(targets.pdf, lambda path: write_pdf(printed, path))
            written.append(targets.pdf)
    if targets.xlsx is not None:
        if xlsx is None:  # pragma: no cover - every command passes one
            raise InputError.single(None, "--xlsx", "this command has no workbook")
        _atomic_write(targets.xlsx, xlsx)
        written.append(targets.xlsx)
    for path in written:
        sys.stderr.write(f"wrote {path}\n")
