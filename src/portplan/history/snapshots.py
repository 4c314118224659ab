"""Consecutive registry versions to changes, re-reading only the entries that changed.

Parsing a whole 2,000-entry file per commit is what makes a naive history slow (libyaml takes
about 100 ms a version). Here only the items in the changed middle of a version are parsed
(see `layout`), each distinct item text once, and items identical on both sides cancel as bytes.

The item path is taken only when it reads exactly like a full parse: the change lies inside a
block-style ``ports:`` list, no line of the new middle leaves the list, and every new item reads
as one entry on its own. A change outside the list (``version:``, ``ranges:``, the header)
re-reads the rest of the file with an empty list, and still parses only new items. Anything
else (flow style, an item that does not read on its own) falls back to a full parse of that
version, cached by blob id.
"""

from __future__ import annotations

import copy
import posixpath
from collections import Counter
from collections.abc import Callable, Sequence

import yaml

from portplan.adopt.options import ImportOptions
from portplan.history.events import diff_entries, left_over
from portplan.history.layout import Layout, changed_region, find_layout, shifted, split_items
from portplan.history.model import Change
from portplan.model import Assignment
from portplan.problems import PortplanError

ParseEntry = Callable[[str], Assignment | None]
ParseVersion = Callable[[str], tuple[Assignment, ...]]


class UnreadableVersion(PortplanError):
    """A historical version that cannot be read as a registry at all."""


class SnapshotReader:
    """Feeds consecutive versions of a registry and returns the changes between them.

    >>> reader = SnapshotReader(assignment_from_item, assignments_from_text)
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
        self.fast = 0  # how many versions took each path (for tests and benchmarks)
        self.full = 0

    def fork(self) -> SnapshotReader:
        """A copy that can advance on its own; the parse caches stay shared."""
        return copy.copy(self)

    def set_whole(self, entries: tuple[Assignment, ...]) -> None:
        """The entries of the version read last, when it has no layout (the cache sets it)."""
        self._whole = entries

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
        changes = diff_entries(self.current(), list(entries))
        self.text = text or b""
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
        shift = shifted(old, new, marker, start, stop_old=stop_old, stop_new=stop_new)
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
        changes = diff_entries(list(self._whole), entries)
        self.text, self.layout, self._whole = new, found, ()
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
                old_chunks = left_over(old_chunks, left - common)
                new_chunks = left_over(new_chunks, right - common)
        came = [self._entry(c) for c in new_chunks]
        if any(a is None for a in came):
            return None  # an entry that does not read on its own: the full parse decides
        gone_entries = [a for c in old_chunks if (a := self._entry(c)) is not None]
        came_entries = [a for a in came if a is not None]
        self.text = new
        self.layout = layout
        return diff_entries(gone_entries, came_entries)

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


def _decode(text: bytes) -> str:
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableVersion(f"invalid UTF-8 at byte {exc.start}") from None


# -- before the registry: the Markdown plan it was imported from (docs/adopting.md) ------------
def imported_from(registry: bytes, registry_path: str) -> str | None:
    """The repository path of the plan a registry version names in ``imported_from``, or None.

    >>> imported_from(b"version: 1\nimported_from: ports.md\nports: []\n", "infra/ports.yaml")
    'infra/ports.md'
    """
    try:
        node = yaml.compose(registry.decode("utf-8"), Loader=yaml.SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "imported_from" and isinstance(value, yaml.ScalarNode) and value.value:
            where = posixpath.normpath(posixpath.join(posixpath.dirname(registry_path),
                                                      str(value.value)))
            return None if where.startswith("../") or where == ".." else where
    return None


def plan_version(data: bytes, path: str, options: ImportOptions) -> bytes:
    """A version of the Markdown plan as the registry `portplan import` makes of it.

    ``options`` are those the registry records (`options_in`). Raises `UnreadableVersion`
    when that version holds no plan the importer can read.
    """
    from portplan.adopt.conversion import convert_plan  # noqa: PLC0415 - Markdown parser on use

    try:
        return convert_plan(data, path, options, imported_from=path).text.encode("utf-8")
    except PortplanError as exc:
        raise UnreadableVersion(str(exc)) from None
