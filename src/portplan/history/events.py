"""Pure event derivation (docs/history.md): two registry versions in, a list of `Change` out.

Pairing order, each step working on what the previous steps left:

1. same key (port, protocols, environments) and same service: the same assignment;
2. same service on another port: a move (swaps and rotations pair this way, because each side
   is paired by service, never by port); only guessed when the service name is unique in both
   versions, unless the old entry's ``deprecation.replaced_by`` names the new port;
3. same port, another service or scope: a change of that assignment;
4. the rest: added or removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
    return diff_entries(old, new, Counter(a.service for a in old), Counter(a.service for a in new))


def diff_entries(
    old: Sequence[Assignment],
    new: Sequence[Assignment],
    services_before: Mapping[str, int],
    services_after: Mapping[str, int],
) -> list[Change]:
    """`diff_registries` on part of two versions, with service counts over the whole versions.

    Identical entries pair with themselves first (a multiset difference), so duplicates in a
    broken historical version cannot steal each other's partners.
    """
    left, right = Counter(old), Counter(new)
    common = left & right
    if common:
        old = left_over(old, left - common)
        new = left_over(new, right - common)
    if not old and not new:
        return []
    return derive_changes(old, new, services_before, services_after)


def derive_changes(
    removed: Sequence[Assignment],
    added: Sequence[Assignment],
    services_before: Mapping[str, int],
    services_after: Mapping[str, int],
) -> list[Change]:
    """Pair entries that left a version with entries that arrived in the next one.

    ``removed`` and ``added`` hold only the entries that are not identical on both sides;
    ``services_before``/``services_after`` count each service name over the whole versions,
    which decides whether a move may be guessed.
    """
    gone: list[Assignment | None] = list(removed)
    new: list[Assignment | None] = list(added)
    changes: list[Change] = []

    def pair(match: Callable[[Assignment, Assignment], bool]) -> None:
        for i, before in enumerate(gone):
            if before is None:
                continue
            for j, after in enumerate(new):
                if after is not None and match(before, after):
                    changes.append(_paired(before, after))
                    gone[i] = new[j] = None
                    break

    # 1. The same assignment, edited.
    pair(lambda b, a: b.key == a.key and b.service == a.service)

    # 2. Moves: the same service on another port.
    def moved(b: Assignment, a: Assignment) -> bool:
        if b.service != a.service or b.port is None or a.port is None or b.port == a.port:
            return False
        if services_before.get(b.service, 0) == 1 and services_after.get(a.service, 0) == 1:
            return True
        return b.deprecation is not None and b.deprecation.replaced_by == a.port

    pair(moved)

    # 3. The same port, now held by another service or in another scope. Prefer partners that
    # share the most, so that one of two scopes of a port keeps its own history.
    for preference in _SAME_PORT_PREFERENCES:
        pair(_same_port(preference))

    # 4. What is left.
    changes.extend(Change(EventKind.REMOVED, b, None) for b in gone if b is not None)
    changes.extend(Change(EventKind.ADDED, None, a) for a in new if a is not None)
    return sorted(changes, key=_order)


Match = Callable[[Assignment, Assignment], bool]

_SAME_PORT_PREFERENCES: tuple[Match, ...] = (
    lambda b, a: b.service == a.service,
    lambda b, a: b.protocols == a.protocols,
    lambda b, a: b.environments == a.environments,
    lambda b, a: True,
)


def _same_port(prefer: Match) -> Match:
    return lambda b, a: b.port is not None and b.port == a.port and prefer(b, a)


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
