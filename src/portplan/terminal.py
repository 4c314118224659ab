"""What may reach the terminal: no control characters from the registry or from git.

A registry value or a commit message can hold ESC and OSC sequences (a title change, a screen
clear) or a line that a CI runner reads as a command (``::error file=...``). Everything the
command line prints goes through `SafeStream` (docs/registry-format.md, "What reaches the
terminal"):

>>> printable("a\\x1b]0;owned\\x07b")
'a\\\\u001b]0;owned\\\\u0007b'
>>> printable("::error file=x::y\\n::warning::z", lines=True)
'\\\\u003a:error file=x::y\\n\\\\u003a:warning::z'
"""

from __future__ import annotations

import io
import re
from typing import TextIO

# C0 but tab, newline and the CR of a CRLF, DEL, C1, and the bidi controls that reorder text.
_CONTROL = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                      "\u202a-\u202e\u2066-\u2069]")
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                       "\u2028\u2029]")
_WORKFLOW = re.compile("^::", re.MULTILINE)


def _escape(found: re.Match[str]) -> str:
    # \\uXXXX reads the same inside a JSON string, and shows plainly anywhere else.
    return f"\\u{ord(found.group()):04x}"


def printable(text: str, *, lines: bool = False, one_line: bool = False) -> str:
    """``text`` with every control character written as ``\\uXXXX``.

    ``one_line`` escapes line breaks too; ``lines`` keeps them and defuses a line that
    begins a GitHub workflow command (``::``).
    """
    text = (_ONE_LINE if one_line else _CONTROL).sub(_escape, text)
    return _WORKFLOW.sub("\\\\u003a:", text) if lines else text


class SafeStream(io.TextIOBase):
    """A text stream that passes on only `printable` text, line by line.

    ``workflow_commands`` lets lines start with ``::`` (``check --format github`` writes
    those on purpose, with every message escaped as GitHub documents).
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner
        self.workflow_commands = False
        self._at_line_start = True

    # Read from the stream wrapped, never set.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.inner.errors

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click tells text streams from binary ones this way
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        safe = _CONTROL.sub(_escape, text)
        if not self.workflow_commands:
            if self._at_line_start and safe.startswith("::"):
                safe = "\\u003a" + safe[1:]
            safe = _WORKFLOW.sub("\\\\u003a:", safe) if "\n::" in safe else safe
        self._at_line_start = safe.endswith("\n")
        self.inner.write(safe)
        return len(text)

    def flush(self) -> None:
        self.inner.flush()


def allow_workflow_commands(stream: object) -> None:
    """Let ``stream`` (when it is a `SafeStream`) print GitHub workflow commands."""
    if isinstance(stream, SafeStream):
        stream.workflow_commands = True
