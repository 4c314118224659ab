"""Shell scripts: servers started with port flags, ``VAR=N`` and ``export VAR=N``, URLs.

Words are split by :mod:`shlex` line by line (a quote left open is carried over a few lines,
as a multi-line string). Here-document bodies are text, not commands, and are skipped.
"""

from __future__ import annotations

import re

from portplan.scan import commandline
from portplan.scan.places import FileScan
from portplan.scan.textlines import logical_lines

_HEREDOC = re.compile(r"<<-?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")
MAX_QUOTED_LINES = 20


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    heredoc: str | None = None
    carried: tuple[int, str] | None = None
    for logical in logical_lines(found, text):
        line, raw = logical.number, logical.text
        if heredoc is not None:
            if raw.strip() == heredoc:
                heredoc = None
            continue
        start, joined = (carried[0], f"{carried[1]}\n{raw}") if carried else (line, raw)
        try:
            words = commandline.words(joined)
        except ValueError:
            if line - start < MAX_QUOTED_LINES:
                carried = (start, joined)
            else:
                found.notice(start, "a quote opened here is not closed; the lines are "
                                    "skipped")
                carried = None
            continue
        since = len(found.places)
        commandline.read_command(found, start, joined, words, env_vars)
        if carried is None:  # a quote carried over lines keeps the first line's place
            found.relocate(since, logical.where)
        carried = None
        if marker := _HEREDOC.search(joined):
            heredoc = marker[1]
    if carried:
        found.notice(carried[0], "a quote opened here is not closed; the lines are skipped")
