"""Logical lines of line-oriented files: continuations joined, comments and huge lines left out.

>>> from portplan.scan.places import FileScan
>>> [(l.number, l.text, l.where(5)) for l in logical_lines(
...     FileScan("a.sh", "shell"), "a=1 \\\\\n  b=2\n# c=3\n")]
[(1, 'a=1 b=2', (2, 3))]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from portplan.scan.places import FileScan

MAX_LINE = 65_536  # characters; longer lines are data, not code a person wrote


@dataclass(frozen=True)
class Line:
    """A logical line: its text and where each physical line starts in it."""

    number: int
    text: str
    starts: tuple[tuple[int, int, int], ...] = ()  # (offset in text, line number, indent)

    def where(self, column: int) -> tuple[int, int]:
        """The physical (line, column) of a 1-based column of :attr:`text`."""
        line, col = self.number, column
        for offset, number, indent in self.starts:
            if column - 1 >= offset:
                line, col = number, column - offset + indent
        return line, col


def logical_lines(found: FileScan, text: str, comments: tuple[str, ...] = ("#",),
                  ) -> Iterator[Line]:
    """Each line, ``\\``-continued lines joined with a space."""
    parts: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if len(raw) > MAX_LINE:
            found.notice(number, f"line is longer than {MAX_LINE} characters; not read")
            parts = []
            continue
        stripped = raw.strip()
        if not parts and (not stripped or stripped.startswith(comments)):
            continue
        if stripped.endswith("\\") and not stripped.endswith("\\\\"):
            parts.append((number, raw.rstrip()[:-1]))
            continue
        parts.append((number, raw))
        yield _join(parts)
        parts = []
    if parts:
        yield _join(parts)


def _join(parts: list[tuple[int, str]]) -> Line:
    if len(parts) == 1:
        return Line(parts[0][0], parts[0][1])
    text, starts = "", []
    for number, raw in parts:
        piece = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if text:
            text += " "
        starts.append((len(text), number, indent))
        text += piece
    return Line(parts[0][0], text, tuple(starts))
