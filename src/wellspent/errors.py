"""Errors that explain bad input: every problem names the file, the field path and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input.

    >>> str(Problem("spec.yaml", "costs[0].per_year", "must be ≥ 0", line=12))
    'spec.yaml:12: costs[0].per_year: must be ≥ 0'
    >>> str(Problem("spec.yaml", "", "the file is empty"))
    'spec.yaml: the file is empty'
    """

    file: str | None
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(Exception):
    """Bad input from a user: one or more problems, all reported together (CLI exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str | None, path: str, message: str, line: int | None = None) -> InputError:
        """An error with exactly one problem."""
        return cls([Problem(file, path, message, line)])


def read_input_file(path: Path | str, what: str) -> bytes:
    """The bytes of a user's input file; a missing file, a directory or an unreadable file is an
    :class:`InputError` naming the file (``what`` says what the file should have been, e.g. "spec file")."""
    file = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError.single(file, "", "no such file") from None
    except IsADirectoryError:
        raise InputError.single(file, "", f"is a directory, not a {what}") from None
    except OSError as exc:
        raise InputError.single(file, "", f"cannot read the file: {exc.strerror}") from None
