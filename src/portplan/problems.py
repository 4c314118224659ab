"""Problems found in a registry, and the one exception type for user errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from portplan.model import Position


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ProblemKind(StrEnum):
    """Whether the registry could be read at all (docs/registry-format.md, "Two kinds of errors").

    An *unreadable* error (YAML, types, unknown or missing keys) leaves nothing to publish. An
    error *between entries* (a conflict, a replaced_by naming no entry) is found in a registry
    that was read: the site is still built and shows it, the other commands work with a note,
    and only `portplan check` fails. For a warning the kind only says where it was found.
    """

    UNREADABLE = "unreadable"
    BETWEEN_ENTRIES = "between-entries"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a registry, at a place in its file.

    ``code`` is a stable short id (``duplicate-key``, ``port-conflict``) that scripts may match;
    ``message`` says what is wrong and how to fix it.
    """

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    kind: ProblemKind = ProblemKind.UNREADABLE
    # Where the entry concerned starts (its port), when the problem sits inside one entry: an
    # entry accepts warnings by code (`accept:`), and the site flags the entry's row.
    entry: Position | None = None

    @property
    def position(self) -> Position:
        return Position(self.line, self.column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))


def has_errors(problems: list[Problem], *, strict: bool = False) -> bool:
    return any(p.severity is Severity.ERROR or strict for p in problems)


def unreadable(problems: Sequence[Problem]) -> list[Problem]:
    """The errors that leave no registry to work on: every command refuses the file."""
    return [p for p in problems
            if p.severity is Severity.ERROR and p.kind is ProblemKind.UNREADABLE]


def between_entries(problems: Sequence[Problem]) -> list[Problem]:
    """The errors of a registry that was read: published and shown, failing only `check`."""
    return [p for p in problems
            if p.severity is Severity.ERROR and p.kind is ProblemKind.BETWEEN_ENTRIES]


class PortplanError(Exception):
    """A user error: bad input or environment. The CLI prints it and exits 2; MkDocs shows it."""


class GitError(PortplanError):
    """A git command failed; carries git's own message."""


class InternalError(Exception):
    """A bug in portplan, not in its input (an edit that would not give the expected file).

    Deliberately not a :class:`PortplanError`: the CLI reports it as a bug, asking for a report.
    """
