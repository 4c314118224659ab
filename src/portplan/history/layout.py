"""Where the items of a block-style ``ports:`` list sit in a version's bytes, and what
differs between two versions, found by comparing bytes in C without parsing anything.

An item starts at a line ``<indent>- `` at the list's item indentation; a version is cut into
one text chunk per item. Two consecutive versions share almost all their text, so the common
prefix and suffix are skipped with ``bytes.startswith`` on memoryviews (no copies), and only the
items around the difference are cut out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PORTS_KEY = re.compile(rb"^ports:[ \t]*(?:#[^\n]*)?\r?\n", re.MULTILINE)
_ITEM = re.compile(rb"^( *)-(?:[ \t]|\r?\n)", re.MULTILINE)
_SKIP = re.compile(rb"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")  # blank and comment lines
_GALLOP = 4096


@dataclass(frozen=True)
class Layout:
    """Where the entries of a block-style ``ports:`` list sit in one version's bytes."""

    head_end: int  # offset of the first item's line
    tail_start: int  # offset of the first line after the list
    marker: bytes  # b"\n" + indent + b"-": the start of every item
    leaves: re.Pattern[bytes]  # a line indented less than the items: it would leave the list
    key_start: int  # offset of the "ports:" line


def find_layout(text: bytes) -> Layout | None:
    """The layout of ``text`` if its ``ports:`` list is in block style, else None."""
    keys = _PORTS_KEY.findall(text)
    if len(keys) != 1:
        return None
    match = _PORTS_KEY.search(text)
    if match is None:  # pragma: no cover - findall found it
        return None
    after = _SKIP.match(text, match.end())
    start = after.end() if after else match.end()
    item = _ITEM.match(text, start)
    if item is None:
        return None
    indent = item.group(1)
    k = len(indent)
    leaves = leaving_pattern(k)
    end = leaves.search(text, start)
    tail = end.start() + 1 if end else len(text)
    return Layout(start, tail, b"\n" + indent + b"-", leaves, match.start())


def leaving_pattern(indent: int) -> re.Pattern[bytes]:
    """A line indented less than items at ``indent`` columns: it would leave the list."""
    # "---" and "..." end the document; "-x" at column 0 is no item either.
    return re.compile(rb"\n {0,%d}[^ \r\n#]" % (indent - 1) if indent
                      else rb"\n(?:[^ \r\n#-]|---|-[^ \t\r\n])")


def split_items(text: bytes, start: int, end: int, marker: bytes) -> list[bytes]:
    """The item chunks of ``text[start:end]``, which starts at an item and ends at a line end."""
    if start >= end:
        return []
    pieces = text[start:end].split(marker)
    lead = marker[1:]
    chunks = [pieces[0] + b"\n"] + [lead + p + b"\n" for p in pieces[1:]]
    chunks[-1] = chunks[-1][:-1]  # the last piece kept its own line end
    return chunks


def common_prefix(a: bytes, b: bytes) -> int:
    """Length of the common prefix, compared by memcmp without copying."""
    view = memoryview(b)
    n = min(len(a), len(b))
    lo, k = 0, _GALLOP
    while k < n and a.startswith(view[lo:k], lo):
        lo, k = k, k * 2
    hi = min(k, n)
    if a.startswith(view[lo:hi], lo):
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a.startswith(view[lo:mid], lo):
            lo = mid
        else:
            hi = mid
    return lo


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common suffix, at most ``limit``."""
    view = memoryview(b)
    la, lb = len(a), len(b)

    def same(lo: int, hi: int) -> bool:  # the last hi bytes agree beyond the last lo ones
        return a.startswith(view[lb - hi:lb - lo], la - hi)

    lo, k = 0, _GALLOP
    while k < limit and same(lo, k):
        lo, k = k, k * 2
    hi = min(k, limit)
    if same(lo, hi):
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if same(lo, mid):
            lo = mid
        else:
            hi = mid
    return lo


def changed_region(old: bytes, new: bytes, layout: Layout) -> tuple[int, int, int] | None:
    """Item-aligned ``(start, stop in old, stop in new)`` around what differs, or None when
    the difference reaches outside the list (the fast path would not be safe)."""
    p = common_prefix(old, new)
    s = common_suffix(old, new, min(len(old), len(new)) - p)
    end_old = len(old) - s
    if p < layout.head_end or end_old > layout.tail_start:
        return None
    marker = layout.marker
    # Boundaries are searched for inside the common prefix and suffix only, so they are
    # item starts in both versions.
    found = old.rfind(marker, layout.head_end - 1, p)
    start = found + 1 if found >= 0 else layout.head_end
    found = old.find(marker, end_old, layout.tail_start)
    stop_old = found + 1 if found >= 0 else layout.tail_start
    delta = len(new) - len(old)
    stop_new = stop_old + delta
    if layout.tail_start + delta == layout.head_end:
        return None  # no items left: let the full parse say what an empty list means
    if layout.leaves.search(new, start, stop_new):
        return None  # a line of the new middle leaves the list (a new top-level key, say)
    return start, stop_old, stop_new


def shifted(old: bytes, new: bytes, marker: bytes, start: int, *, stop_old: int,
             stop_new: int) -> tuple[bytes, list[bytes]] | None:
    """A move in a sorted file: one item left one end of the region and new items arrived at
    the other, everything between byte-identical. Returns (the item that left, the chunks that
    arrived) without cutting up the middle."""
    if stop_old - start < 4096:
        return None  # small regions are cheap to cut up
    view, lead = memoryview(old), marker[1:]
    cut = old.find(marker, start, stop_old)
    if cut >= 0:
        middle = view[cut + 1:stop_old]
        arrive = start + len(middle)
        if arrive <= stop_new and new.startswith(middle, start) \
                and (arrive == stop_new or new.startswith(lead, arrive)):
            return old[start:cut + 1], split_items(new, arrive, stop_new, marker)
    cut = old.rfind(marker, start, stop_old - 1)
    if cut >= 0:
        middle = view[start:cut + 1]
        stay = stop_new - len(middle)
        if stay >= start and new.startswith(middle, stay) \
                and (stay == start or new[stay - 1:stay] == b"\n"):
            return old[cut + 1:stop_old], split_items(new, start, stay, marker)
    return None
