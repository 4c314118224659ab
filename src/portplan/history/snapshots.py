"""Consecutive registry versions to changes, re-reading only the entries that changed.

Parsing a whole 2,000-entry file per commit is what makes a naive history slow (libyaml takes
about 100 ms a version). Consecutive versions share almost all their text, so a version is cut
into one text chunk per ``ports:`` item, the common prefix and suffix with the previous version
are skipped in C (``bytes.startswith``), and only the chunks in the changed middle are parsed,
each distinct chunk text once.

The fast path is taken only when it is provably the same as a full parse: the change lies
inside a block-style ``ports:`` list whose layout a full parse has verified, no line of the new
middle leaves the list, and every changed chunk reads as exactly one entry. Anything else
(a change to ``version:`` or ``ranges:``, flow style, an entry that does not parse) falls back
to a full parse of that version, cached by blob id.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portplan.history.events import diff_entries
from portplan.history.model import Change
from portplan.model import Assignment
from portplan.problems import PortplanError

ParseEntry = Callable[[str], Assignment | None]
ParseVersion = Callable[[str], tuple[Assignment, ...]]

_PORTS_KEY = re.compile(rb"^ports:[ \t]*(?:#[^\n]*)?\r?\n", re.MULTILINE)
_ITEM = re.compile(rb"^( *)-(?:[ \t]|\r?\n)", re.MULTILINE)
_SKIP = re.compile(rb"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")  # blank and comment lines
_GALLOP = 4096


class UnreadableVersion(PortplanError):
    """A historical version that cannot be read as a registry at all."""


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
    # "---" and "..." end the document; "-x" at column 0 is no item either.
    leaves = re.compile(rb"\n {0,%d}[^ \r\n#]" % (k - 1) if k
                        else rb"\n(?:[^ \r\n#-]|---|-[^ \t\r\n])")
    end = leaves.search(text, start)
    tail = end.start() + 1 if end else len(text)
    return Layout(start, tail, b"\n" + indent + b"-", leaves, match.start())


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


class SnapshotReader:
    """Feeds consecutive versions of a registry and returns the changes between them.

    >>> reader = SnapshotReader(parse_entry, parse_version)
    >>> reader.advance("blob1", b"version: 1\\nports:\\n  - port: 1\\n    service: A\\n")
    """

    def __init__(self, parse_entry: ParseEntry, parse_version: ParseVersion) -> None:
        self._parse_entry = parse_entry
        self._parse_version = parse_version
        self._chunks: dict[bytes, Assignment | None] = {}
        self._versions: dict[str, tuple[Assignment, ...]] = {}
        self.text = b""
        self.layout: Layout | None = None
        self.entries: list[Assignment | None] = []
        self.services: Counter[str] = Counter()
        self.fast = 0  # how many versions took each path (for tests and benchmarks)
        self.full = 0

    def fork(self) -> SnapshotReader:
        """A copy that can advance on its own; the parse caches stay shared."""
        twin = copy.copy(self)
        twin.entries = list(self.entries)
        twin.services = self.services.copy()
        return twin

    def __getstate__(self) -> dict[str, object]:
        # The parse caches are rebuilt on demand; only the position in the history is kept.
        return {**self.__dict__, "_chunks": {}, "_versions": {}}

    def current(self) -> list[Assignment]:
        return [a for a in self.entries if a is not None]

    def advance(self, blob: str | None, text: bytes | None, *, fast: bool = True) -> list[Change]:
        """Move to the next version (``text`` None: the registry was deleted).

        Raises `UnreadableVersion` (a `PortplanError`) and keeps the previous version when
        this one cannot be read. ``fast=False`` parses every version whole (the test oracle).
        """
        new = text or b""
        if new == self.text:
            return []
        if fast and text:
            changes = self._advance_items(new)
            if changes is not None:
                self.fast += 1
                return changes
        self.full += 1
        return self._advance_full(blob, text)

    # -- the full path ---------------------------------------------------------------------------
    def _advance_full(self, blob: str | None, text: bytes | None) -> list[Change]:
        if not text:
            entries: tuple[Assignment, ...] = ()
        elif blob is not None and blob in self._versions:
            entries = self._versions[blob]
        else:
            entries = self._parse_version(_decode(text))
            if blob is not None:
                self._versions[blob] = entries
        old = self.current()
        before = self.services
        after = Counter(a.service for a in entries)
        changes = diff_entries(old, list(entries), before, after)
        self.text = text or b""
        self.services = after
        self.layout, self.entries = self._verified_layout(self.text, entries)
        return changes

    def _verified_layout(self, text: bytes, entries: Sequence[Assignment]
                         ) -> tuple[Layout | None, list[Assignment | None]]:
        """The layout, if cutting the text into chunks reads exactly like the full parse."""
        layout = find_layout(text) if text else None
        if layout is None:
            return None, list(entries)
        chunks = [self._entry(c) for c in
                  split_items(text, layout.head_end, layout.tail_start, layout.marker)]
        if [a for a in chunks if a is not None] != list(entries):
            return None, list(entries)
        return layout, chunks

    # -- the item path ---------------------------------------------------------------------------
    def _advance_items(self, new: bytes) -> list[Change] | None:
        """Changes read from the items that differ, or None when only a full parse can tell.

        When the change stays inside the list, only the items around it are cut out. When it
        reaches outside (the header, ``ranges:``), the rest of the file is checked on its own
        (with an empty list) and every item is cut out, but still only new item texts are parsed.
        """
        old, layout = self.text, self.layout
        region = changed_region(old, new, layout) if layout is not None else None
        if layout is None or region is None:
            return self._advance_skeleton(new)
        start, stop_old, stop_new = region
        marker = layout.marker
        # Which item the region starts at: count item starts on the shorter side of it.
        if start - layout.head_end <= layout.tail_start - start:
            index = old.count(marker, layout.head_end - 1, start - 2 + len(marker))
        else:
            index = len(self.entries) - old.count(marker, start - 1, layout.tail_start)
        delta = len(new) - len(old)
        new_layout = Layout(layout.head_end, layout.tail_start + delta, marker, layout.leaves,
                            layout.key_start)
        shift = _shifted(old, new, marker, start, stop_old=stop_old, stop_new=stop_new)
        if shift is None:
            return self._replace(index, split_items(old, start, stop_old, marker),
                                 split_items(new, start, stop_new, marker), new, new_layout)
        count, from_front, arrived = shift
        held = self.entries[index:index + count]
        if len(held) != count:
            return None
        came = [self._entry(c) for c in arrived]
        gone, after = (held[:1], [*held[1:], *came]) if from_front \
            else (held[-1:], [*came, *held[:-1]])
        return self._apply(index, count, gone, came=came, after=after, new=new,
                           layout=new_layout)

    def _advance_skeleton(self, new: bytes) -> list[Change] | None:
        old, layout = self.text, self.layout
        found = find_layout(new)
        if found is None or found.tail_start == found.head_end:
            return None
        skeleton = new[:found.key_start] + b"ports: []\n" + new[found.tail_start:]
        self._parse_version(_decode(skeleton))  # raises when the rest cannot be read
        old_chunks = (split_items(old, layout.head_end, layout.tail_start, layout.marker)
                      if layout is not None else None)
        new_chunks = split_items(new, found.head_end, found.tail_start, found.marker)
        return self._replace(0, old_chunks, new_chunks, new, found)

    def _replace(self, index: int, old_chunks: list[bytes] | None, new_chunks: list[bytes],
                 new: bytes, layout: Layout) -> list[Change] | None:
        """Swap the items from ``index`` on for ``new_chunks``; the changes this makes."""
        if old_chunks is None:  # nothing to line up with: compare entries, not texts
            after = [self._entry(c) for c in new_chunks]
            return self._apply(0, len(self.entries), list(self.entries), came=after,
                               after=after, new=new, layout=layout)
        held = self.entries[index:index + len(old_chunks)]
        if len(held) != len(old_chunks):
            return None  # the chunks no longer line up with what we hold: start afresh
        if not set(old_chunks).intersection(new_chunks):  # the usual edit of one entry
            came = [self._entry(c) for c in new_chunks]
            return self._apply(index, len(old_chunks), held, came=came, after=came, new=new,
                               layout=layout)
        # Items that are byte-identical on both sides cancel without being read again.
        left, right = Counter(old_chunks), Counter(new_chunks)
        common = left & right
        gone = [held[i] for i in _left_over(old_chunks, left - common)]
        came = [self._entry(new_chunks[i]) for i in _left_over(new_chunks, right - common)]
        known = dict(zip(old_chunks, held, strict=True))
        after = [known[c] if c in known else self._entry(c) for c in new_chunks]
        return self._apply(index, len(old_chunks), gone, came=came, after=after, new=new,
                           layout=layout)

    def _apply(self, index: int, count: int, gone: list[Assignment | None], *,
               came: list[Assignment | None], after: list[Assignment | None], new: bytes,
               layout: Layout) -> list[Change] | None:
        """Replace ``count`` items at ``index`` by ``after``; ``gone``/``came`` differ."""
        if any(a is None for a in came):
            return None  # an entry that does not read on its own: the full parse decides
        gone_entries = [a for a in gone if a is not None]
        came_entries = [a for a in came if a is not None]
        names = {a.service for a in gone_entries} | {a.service for a in came_entries}
        services_before = {name: self.services[name] for name in names}
        for entry in gone_entries:
            self.services[entry.service] -= 1
        for entry in came_entries:
            self.services[entry.service] += 1
        services_after = {name: self.services[name] for name in names}
        for name in names:
            if self.services[name] <= 0:
                del self.services[name]
        self.entries[index:index + count] = after
        self.text = new
        self.layout = layout
        return diff_entries(gone_entries, came_entries, services_before, services_after)

    def _entry(self, chunk: bytes) -> Assignment | None:
        try:
            return self._chunks[chunk]
        except KeyError:
            pass
        try:
            entry = self._parse_entry(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            entry = None
        self._chunks[chunk] = entry
        return entry


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


def _shifted(old: bytes, new: bytes, marker: bytes, start: int, *, stop_old: int,
             stop_new: int) -> tuple[int, bool, list[bytes]] | None:
    """A move in a sorted file: one item left one end of the region and new items arrived at
    the other, everything between byte-identical. Returns (items held in the old region,
    whether the item left the front, the arrived chunks), without cutting up the middle."""
    if stop_old - start < 4096:
        return None  # small regions are cheap to cut up
    view, lead = memoryview(old), marker[1:]
    cut = old.find(marker, start, stop_old)
    if cut >= 0:
        middle = view[cut + 1:stop_old]
        arrive = start + len(middle)
        if arrive <= stop_new and new.startswith(middle, start) \
                and (arrive == stop_new or new.startswith(lead, arrive)):
            count = 1 + old.count(marker, cut, stop_old - 2 + len(marker))
            return count, True, split_items(new, arrive, stop_new, marker)
    cut = old.rfind(marker, start, stop_old - 1)
    if cut >= 0:
        middle = view[start:cut + 1]
        stay = stop_new - len(middle)
        if stay >= start and new.startswith(middle, stay) \
                and (stay == start or new[stay - 1:stay] == b"\n"):
            count = 1 + old.count(marker, start - 1, cut - 1 + len(marker))
            return count, False, split_items(new, start, stay, marker)
    return None


def _decode(text: bytes) -> str:
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableVersion(f"invalid UTF-8 at byte {exc.start}") from None


def _left_over(items: Sequence[bytes], wanted: Counter[bytes]) -> list[int]:
    """Positions of the items that did not cancel against the other side."""
    out: list[int] = []
    for at, item in enumerate(items):
        if wanted[item] > 0:
            wanted[item] -= 1
            out.append(at)
    return out
