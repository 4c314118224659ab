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

    >>> reader = SnapshotReader(read_entry, assignments_from_text)
    >>> [c.kind.value for c in reader.advance("b1", b"version: 1\\nports:\\n  - port: 1\\n"
    ...                                          b"    service: A\\n")]
    ['added']

    Items are kept as text: an item's entry is its parse, cached by the item's bytes, so no
    list of entries has to be kept in step with the file.
    """

    def __init__(self, parse_entry: ParseEntry, parse_version: ParseVersion) -> None:
        self._parse_entry = parse_entry
        self._parse_version = parse_version
        self._chunks: dict[bytes, Assignment | None] = {}
        self._versions: dict[str, tuple[Assignment, ...]] = {}
        self.text = b""
        self.layout: Layout | None = None
        self._whole: tuple[Assignment, ...] = ()  # the entries, while there is no layout
        self.services: Counter[str] = Counter()
        self.fast = 0  # how many versions took each path (for tests and benchmarks)
        self.full = 0

    def fork(self) -> SnapshotReader:
        """A copy that can advance on its own; the parse caches stay shared."""
        twin = copy.copy(self)
        twin.services = self.services.copy()
        return twin

    def __getstate__(self) -> dict[str, object]:
        # The parse caches are rebuilt on demand; only the position in the history is kept.
        return {**self.__dict__, "_chunks": {}, "_versions": {}}

    def current(self) -> list[Assignment]:
        """The entries of the version read last."""
        layout = self.layout
        if layout is None:
            return list(self._whole)
        chunks = split_items(self.text, layout.head_end, layout.tail_start, layout.marker)
        return [a for c in chunks if (a := self._entry(c)) is not None]

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
        after = Counter(a.service for a in entries)
        changes = diff_entries(old, list(entries), self.services, after)
        self.text = text or b""
        self.services = after
        self.layout = self._verified_layout(self.text, entries)
        self._whole = () if self.layout is not None else entries
        return changes

    def _verified_layout(self, text: bytes, entries: Sequence[Assignment]) -> Layout | None:
        """The layout, if cutting the text into chunks reads exactly like the full parse."""
        layout = find_layout(text) if text else None
        if layout is None:
            return None
        chunks = split_items(text, layout.head_end, layout.tail_start, layout.marker)
        if [a for c in chunks if (a := self._entry(c)) is not None] != list(entries):
            return None
        return layout

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
        new_layout = Layout(layout.head_end, layout.tail_start + len(new) - len(old), marker,
                            layout.leaves, layout.key_start)
        shift = _shifted(old, new, marker, start, stop_old=stop_old, stop_new=stop_new)
        if shift is not None:
            left, arrived = shift
            return self._apply([left], arrived, new, new_layout)
        return self._apply(split_items(old, start, stop_old, marker),
                           split_items(new, start, stop_new, marker), new, new_layout)

    def _advance_skeleton(self, new: bytes) -> list[Change] | None:
        old, layout = self.text, self.layout
        found = find_layout(new)
        if found is None or found.tail_start == found.head_end:
            return None
        skeleton = new[:found.key_start] + b"ports: []\n" + new[found.tail_start:]
        self._parse_version(_decode(skeleton))  # raises when the rest cannot be read
        new_chunks = split_items(new, found.head_end, found.tail_start, found.marker)
        if layout is not None:
            old_chunks = split_items(old, layout.head_end, layout.tail_start, layout.marker)
            return self._apply(old_chunks, new_chunks, new, found)
        # Nothing to line up with (the last version was read whole): compare entries.
        came = [self._entry(c) for c in new_chunks]
        entries = [a for a in came if a is not None]
        if len(entries) != len(came):
            return None
        after = Counter(a.service for a in entries)
        changes = diff_entries(list(self._whole), entries, self.services, after)
        self.text, self.layout, self._whole, self.services = new, found, (), after
        return changes

    def _apply(self, old_chunks: list[bytes], new_chunks: list[bytes], new: bytes,
               layout: Layout) -> list[Change] | None:
        """Replace the items ``old_chunks`` by ``new_chunks``; the changes this makes."""
        olds, news = set(old_chunks), set(new_chunks)
        if not olds.isdisjoint(news):
            # Items that are byte-identical on both sides cancel without being read again.
            if len(olds) == len(old_chunks) and len(news) == len(new_chunks):
                old_chunks = [c for c in old_chunks if c not in news]
                new_chunks = [c for c in new_chunks if c not in olds]
            else:  # the same item text twice: cancel them one for one
                left, right = Counter(old_chunks), Counter(new_chunks)
                common = left & right
                old_chunks = _left_over(old_chunks, left - common)
                new_chunks = _left_over(new_chunks, right - common)
        came = [self._entry(c) for c in new_chunks]
        if any(a is None for a in came):
            return None  # an entry that does not read on its own: the full parse decides
        gone_entries = [a for c in old_chunks if (a := self._entry(c)) is not None]
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


def _decode(text: bytes) -> str:
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableVersion(f"invalid UTF-8 at byte {exc.start}") from None


def _left_over(items: Sequence[bytes], wanted: Counter[bytes]) -> list[bytes]:
    """The items that did not cancel against the other side, in their order."""
    out: list[bytes] = []
    for item in items:
        if wanted[item] > 0:
            wanted[item] -= 1
            out.append(item)
    return out
