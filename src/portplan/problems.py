"""Problems found in a registry, and the one exception type for user errors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portplan.model import Position


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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


class PortplanError(Exception):
    """A user error: bad input or environment. The CLI prints it and exits 2; MkDocs shows it."""


class GitError(PortplanError):
    """A git command failed; carries git's own message."""


class InternalError(Exception):
    """A bug in portplan, not in its input (an edit that would not give the expected file).

    Deliberately not a :class:`PortplanError`: the CLI reports it as a bug, asking for a report.
    """
