"""Where a docs page asks for generated parts: ``<!-- portplan:table -->`` on a line of its own.

Markers inside fenced code blocks are left alone, so a page can document them.

Text between ``<!-- portplan:unbuilt -->`` and ``<!-- /portplan:unbuilt -->`` is for a site
built without portplan (an engine that ignored the hook): portplan removes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MARKER = re.compile(r"^<!--\s*portplan:([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_UNBUILT = re.compile(r"^<!--\s*portplan:unbuilt\s*-->[ \t]*$.*?"
                      r"^<!--\s*/portplan:unbuilt\s*-->[ \t]*(\n|\Z)", re.MULTILINE | re.DOTALL)


def drop_unbuilt(markdown: str) -> str:
    """The page without its notices for a site built without portplan.

    >>> drop_unbuilt("a\\n<!-- portplan:unbuilt -->\\nRun portplan.\\n"
    ...              "<!-- /portplan:unbuilt -->\\nb\\n")
    'a\\nb\\n'
    """
    if "portplan:unbuilt" not in markdown:
        return markdown
    return "".join(chunk if is_code else _UNBUILT.sub("", chunk)
                   for chunk, is_code in _chunks(markdown))


def find_markers(markdown: str) -> list[str]:
    """The names of the markers a page uses, outside code blocks, in order."""
    return [m.group(1) for chunk in _outside_code(markdown) for m in MARKER.finditer(chunk)]


def replace_markers(markdown: str, parts: Mapping[str, Callable[[], str]]) -> str:
    """Replace each known marker with its part (computed only when used); others stay.

    >>> replace_markers("a\\n<!-- portplan:x -->\\n", {"x": lambda: "<p>X</p>"})
    'a\\n\\n<p>X</p>\\n\\n'
    """

    def part(m: re.Match[str]) -> str:
        make = parts.get(m.group(1))
        return m.group(0) if make is None else "\n" + make() + "\n"

    out = []
    for chunk, is_code in _chunks(markdown):
        out.append(chunk if is_code else MARKER.sub(part, chunk))
    return "".join(out)


def _outside_code(markdown: str) -> list[str]:
    return [chunk for chunk, is_code in _chunks(markdown) if not is_code]


def _chunks(markdown: str) -> list[tuple[str, bool]]:
    """The page cut into (text, is fenced code) runs, lines kept whole."""
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence is None and opening:
            chunks.append(("".join(current), False))
            current, fence = [line], opening.group(1)
        elif fence is not None and line.strip().startswith(fence[0] * len(fence)) \
                and not line.strip().strip(fence[0]):
            current.append(line)
            chunks.append(("".join(current), True))
            current, fence = [], None
        else:
            current.append(line)
    chunks.append(("".join(current), fence is not None))
    return [c for c in chunks if c[0]]
