"""Edits of a YAML text at the offsets of its nodes, leaving every other byte as it was.

The document is composed (not loaded), so every node keeps its offsets in the original text; new
text is spliced in at those offsets, the last edit first, as pre-commit's ``migrate_config``
does. Comments, blank lines, quoting, key order and line endings outside the edits stay exactly
as they were; load, mutate and dump would lose all of that.

>>> apply_splices("port: 80\\n", [Splice(6, 8, "8080")])
'port: 8080\\n'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from yaml.nodes import Node, ScalarNode

from portplan.problems import InternalError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Splice:
    """Replace ``text[start:end]`` by ``text``."""

    start: int
    end: int
    text: str


def line_ending(text: str) -> str:
    """The file's line ending: the first one in it (LF, CRLF, or even a lone CR)."""
    first = _LINE_BREAK.search(text)
    return first.group(0) if first else "\n"


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one where a value ending at ``index`` ends.

    Block scalars already end at the start of a line; ``len(text)`` when there is no next line.
    """
    if index > 0 and text[index - 1] in "\r\n" and not text.startswith("\r\n", index - 1):
        return index
    newline = _LINE_BREAK.search(text, index)
    return len(text) if newline is None else newline.end()


def insert_lines(text: str, index: int, lines: Sequence[str], eol: str) -> Splice:
    """New ``lines`` after the line where a value ending at ``index`` ends."""
    at = _after_line(text, index)
    if at == len(text) and not text.endswith(("\n", "\r")):
        # The value is on the file's last line and it has no newline: keep it that way.
        return Splice(at, at, "".join(eol + line for line in lines))
    return Splice(at, at, "".join(line + eol for line in lines))


def replace_value(text: str, value: Node, new: str) -> Splice:
    """``new`` in place of the text of ``value``."""
    start, end = value.start_mark.index, value.end_mark.index
    if isinstance(value, ScalarNode) and value.style in ("|", ">"):
        # A block scalar's span ends after its line breaks; they belong to the layout, keep them.
        end = start + len(text[start:end].rstrip())
    if start == end and start > 0 and text[start - 1] == ":":
        new = " " + new  # `status:` with nothing after it
    return Splice(start, end, new)


def ordered(splices: Sequence[Splice]) -> list[Splice]:
    """The splices, last first; overlapping splices are a bug in whoever planned them."""
    result = sorted(splices, key=lambda s: (s.start, s.end), reverse=True)
    for later, earlier in itertools.pairwise(result):
        if earlier.end > later.start:
            raise InternalError(f"overlapping edits {earlier} and {later}")
    return result


def apply_splices(text: str, splices: Sequence[Splice]) -> str:
    """Apply non-overlapping splices, the last first, so earlier offsets stay valid."""
    for splice in ordered(splices):
        text = text[:splice.start] + splice.text + text[splice.end:]
    return text
