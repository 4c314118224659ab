"""Pure event derivation (docs/history.md): two registry versions in, a list of `Change` out.

Entries identical on both sides cancel first. The rest are paired pass by pass, each pass
working on what the earlier passes left (see docs/history.md, "Events"):

1. same key (port, protocols, environments) and same service: the same assignment, edited;
2. same service and port, another scope (protocols or environments): a change of scope;
3. same service and protocols on another port: a move, when the service name picks one entry
   on each side, judged first among the entries with the same environments, then among all
   with the same protocols; where it picks several, only ``deprecation.replaced_by`` decides;
4. same key, another service: the port renamed in place;
5. the rest: removed or added (a port whose service and scope both change is a new holder).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from portplan.history.model import Change, EventKind
from portplan.model import Assignment, PortSpan, Status

T = TypeVar("T")

_KIND_ORDER = {kind: index for index, kind in enumerate(EventKind)}


def diff_registries(old: Sequence[Assignment], new: Sequence[Assignment]) -> list[Change]:
    """The changes that turn the entries ``old`` into ``new``.

    >>> a = Assignment("Grafana", PortSpan.single(3000))
    >>> [c.kind.value for c in diff_registries([a], [Assignment("Grafana", PortSpan.single(3001))])]
    ['moved']
    """
    return diff_entries(old, new)


def diff_entries(old: Sequence[Assignment], new: Sequence[Assignment]) -> list[Change]:
    """`diff_registries` on the entries of two versions that may still differ.

    Identical entries pair with themselves first (a multiset difference), so duplicates in a
    broken historical version cannot steal each other's partners. What is left is the same
    whether it comes from whole versions or from the changed part of a file, so the passes
    judge only it.
    """
    left, right = Counter(old), Counter(new)
    common = left & right
    if common:
        old = left_over(old, left - common)
        new = left_over(new, right - common)
    if not old and not new:
        return []
    return derive_changes(old, new)


def derive_changes(removed: Sequence[Assignment], added: Sequence[Assignment]) -> list[Change]:
    """Pair entries that left a version with entries that arrived in the next one.

    ``removed`` and ``added`` hold only the entries that are not identical on both sides.
    """
    pairing = _Pairing(removed, added)
    # 1. The same assignment, edited.
    pairing.pair_by(lambda e: (e.key, e.service))
    # 2. The same service on the same port, in another scope; a partner that keeps its
    # protocols (or else its environments) first, so each scope keeps its own history.
    pairing.pair_by(lambda e: (e.port, e.service, e.protocols))
    pairing.pair_by(lambda e: (e.port, e.service, e.environments))
    pairing.pair_by(lambda e: (e.port, e.service))
    # 3. Moves: the service name must pick one entry on each side.
    pairing.pair_unique(lambda e: (e.service, e.protocols, e.environments))
    pairing.pair_unique(lambda e: (e.service, e.protocols))
    pairing.pair_replaced()
    # 4. The port renamed in place: same key, another service.
    pairing.pair_by(lambda e: e.key if e.port is not None else None)
    # 5. What is left.
    return sorted(pairing.finish(), key=_order)


class _Pairing:
    """The two sides of one comparison, and the changes paired so far."""

    def __init__(self, removed: Sequence[Assignment], added: Sequence[Assignment]) -> None:
        self.gone: list[Assignment | None] = list(removed)
        self.new: list[Assignment | None] = list(added)
        self.changes: list[Change] = []

    def _take(self, i: int, j: int) -> None:
        before, after = self.gone[i], self.new[j]
        if before is not None and after is not None:  # each pass offers only unpaired ones
            self.changes.append(_paired(before, after))
        self.gone[i] = self.new[j] = None

    def _index(self, side: list[Assignment | None], by: Callable[[Assignment], Hashable]
               ) -> dict[Hashable, list[int]]:
        found: dict[Hashable, list[int]] = {}
        for i, entry in enumerate(side):
            if entry is not None and (key := by(entry)) is not None:
                found.setdefault(key, []).append(i)
        return found

    def pair_by(self, by: Callable[[Assignment], Hashable]) -> None:
        """Pair entries with equal ``by`` (None: never), in their order on each side."""
        if not any(self.gone) or not any(self.new):
            return
        partners = self._index(self.new, by)
        for i, before in enumerate(self.gone):
            if before is None or (key := by(before)) is None:
                continue
            waiting = partners.get(key)
            if waiting:
                self._take(i, waiting.pop(0))

    def pair_unique(self, by: Callable[[Assignment], Hashable]) -> None:
        """Moves where ``by`` picks exactly one entry with a port on each side."""
        if not any(self.gone) or not any(self.new):
            return
        olds = self._index(self.gone, lambda e: by(e) if e.port is not None else None)
        news = self._index(self.new, lambda e: by(e) if e.port is not None else None)
        for key, found in olds.items():
            partners = news.get(key, [])
            if len(found) == 1 and len(partners) == 1:
                self._take(found[0], partners[0])

    def pair_replaced(self) -> None:
        """Moves the name cannot pick, where the old entry's ``replaced_by`` names the port."""
        if not any(self.gone) or not any(self.new):
            return
        arrived = self._index(self.new, lambda e: (e.port, e.service, e.protocols))
        for i, before in enumerate(self.gone):
            if before is None or before.port is None or before.deprecation is None \
                    or before.deprecation.replaced_by is None:
                continue
            target = (before.deprecation.replaced_by, before.service, before.protocols)
            waiting = [(after.environments != before.environments, j)  # same scope first
                       for j in arrived.get(target, ()) if (after := self.new[j]) is not None]
            if waiting:
                self._take(i, min(waiting)[1])

    def finish(self) -> list[Change]:
        self.changes.extend(Change(EventKind.REMOVED, b, None) for b in self.gone if b is not None)
        self.changes.extend(Change(EventKind.ADDED, None, a) for a in self.new if a is not None)
        return self.changes


def field_changes(before: Assignment, after: Assignment) -> dict[str, tuple[object, object]]:
    """Field -> (old, new) for every field that differs, by `Assignment.fields` names."""
    old, new = before.fields(), after.fields()
    return {
        name: (old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys(), key=_field_order)
        if old.get(name) != new.get(name)
    }


def _paired(before: Assignment, after: Assignment) -> Change:
    changes = field_changes(before, after)
    if before.port is not None and after.port is not None and before.port != after.port:
        changes.pop("port", None)  # a move says where it went in from_port/to_port
        return Change(EventKind.MOVED, before, after, changes)
    if before.status is not Status.DEPRECATED and after.status is Status.DEPRECATED:
        return Change(EventKind.DEPRECATED, before, after, changes)
    if before.status is Status.DEPRECATED and after.status is not Status.DEPRECATED:
        return Change(EventKind.UNDEPRECATED, before, after, changes)
    return Change(EventKind.CHANGED, before, after, changes)


_FIELD_RANK = {name: rank for rank, name in enumerate((
    "port", "protocol", "service", "status", "environments", "name", "location", "command",
    "description", "owner", "contact", "role", "bind", "env_var",
))}


def _field_order(name: str) -> tuple[int, str]:
    return (_FIELD_RANK.get(name, len(_FIELD_RANK)), name)


def _port_order(span: PortSpan | None) -> tuple[int, int, int]:
    return (1, 0, 0) if span is None else (0, span.low, span.high)


def _order(change: Change) -> tuple[object, ...]:
    held = change.current
    return (
        _port_order(held.port),
        # At one port, what leaves comes before what arrives: never two holders at once.
        change.kind is not EventKind.REMOVED,
        held.protocols,
        held.environments or (),
        held.service,
        _KIND_ORDER[change.kind],
        _port_order(change.before.port if change.before else None),
    )


def left_over(items: Sequence[T], wanted: Counter[T]) -> list[T]:
    """The ``items`` that did not cancel against the other side (``wanted``), in their order."""
    out: list[T] = []
    for item in items:
        if wanted[item] > 0:
            wanted[item] -= 1
            out.append(item)
    return out
