"""Logical lines of line-oriented files: continuations joined, comments and huge lines left out.

>>> from portplan.scan.places import FileScan
>>> list(logical_lines(FileScan("a.sh", "shell"), "a=1 \\\\\n  b=2\n# c=3\n"))
[(1, 'a=1   b=2')]
"""

from __future__ import annotations

from collections.abc import Iterator

from portplan.scan.places import FileScan

MAX_LINE = 65_536  # characters; longer lines are data, not code a person wrote


def logical_lines(found: FileScan, text: str, comments: tuple[str, ...] = ("#",),
                  ) -> Iterator[tuple[int, str]]:
    """``(first line number, text)`` for each line, ``\\``-continued lines joined."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), 1):
        if len(raw) > MAX_LINE:
            found.notice(number, f"line is longer than {MAX_LINE} characters; not read")
            start, parts = 0, []
            continue
        stripped = raw.strip()
        if not parts and (not stripped or stripped.startswith(comments)):
            continue
        if not parts:
            start = number
        if stripped.endswith("\\") and not stripped.endswith("\\\\"):
            parts.append(raw.rstrip()[:-1])
            continue
        parts.append(raw)
        yield start, " ".join(p.strip() for p in parts) if len(parts) > 1 else raw
        parts = []
    if parts:
        yield start, " ".join(p.strip() for p in parts)
