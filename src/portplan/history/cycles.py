"""Swaps and rotations: moves of one commit that hand ports round in a closed ring.

They stay `moved` events; the site and the terminal name them, so a reader does not have to
work out from two rows that two services traded ports (see docs/history.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portplan.history.model import Change, EventKind, PortEvent
from portplan.model import PortSpan

# Where a move leaves from or arrives at: the port, in one protocol set and environments.
_Place = tuple[PortSpan, tuple[str, ...], tuple[str, ...] | None]


@dataclass(frozen=True)
class Rings:
    """The rings of a whole history, looked up by event (the events are kept alive here)."""

    events: Sequence[PortEvent]
    by_event: Mapping[int, tuple[PortSpan, ...]]

    def of(self, event: PortEvent) -> tuple[PortSpan, ...] | None:
        """The ring ``event``'s move belongs to, from its old port; None for other events."""
        return self.by_event.get(id(event))


def find_rings(events: Sequence[PortEvent]) -> Rings:
    """Every swap and rotation of ``events`` (a whole history, oldest first)."""
    kept = tuple(events)
    return Rings(kept, {id(kept[i]): ring for i, ring in move_cycles(kept).items()})


def move_cycles(events: Sequence[PortEvent]) -> dict[int, tuple[PortSpan, ...]]:
    """Position in ``events`` -> the ring of ports its move belongs to, from its own old port.

    Only moves of one commit close a ring: A 8100→8200 and B 8200→8100 give each of them
    ``(8100, 8200)`` and ``(8200, 8100)``; three moves round 8105, 8103, 8104 a ring of three.
    """
    rings: dict[int, tuple[PortSpan, ...]] = {}
    start = 0
    while start < len(events):
        stop = start
        commit = events[start].commit
        while stop < len(events) and events[stop].commit is commit:
            stop += 1
        rings.update(_rings(events, range(start, stop)))
        start = stop
    return rings


def _rings(events: Sequence[PortEvent], positions: range) -> dict[int, tuple[PortSpan, ...]]:
    found = change_rings([events[i].change for i in positions])
    return {positions[at]: ring for at, ring in found.items()}


def change_rings(changes: Sequence[Change]) -> dict[int, tuple[PortSpan, ...]]:
    """Position in ``changes`` (one commit's, or one `portplan diff`'s) -> its move's ring."""
    leaving: dict[_Place, int] = {}
    arriving: dict[int, _Place] = {}
    for i, change in enumerate(changes):
        before, after = change.before, change.after
        if change.kind is not EventKind.MOVED or before is None or after is None \
                or before.port is None or after.port is None:
            continue
        leaving[(before.port, before.protocols, before.environments)] = i
        arriving[i] = (after.port, after.protocols, after.environments)
    found: dict[int, tuple[PortSpan, ...]] = {}
    for first, place in arriving.items():
        ring = [first]
        at = leaving.get(place)
        while at is not None and at != first and len(ring) <= len(arriving):
            ring.append(at)
            at = leaving.get(arriving[at])
        if at == first and len(ring) > 1:
            found[first] = tuple(_from_port(changes[i]) for i in ring)
    return found


def _from_port(change: Change) -> PortSpan:
    port = change.before.port if change.before else None
    if port is None:  # a move always has both ports; change_rings only takes those
        raise ValueError("a move without a port")
    return port


def ring_text(ring: Sequence[object]) -> str:
    """``swapped with 8200`` or ``rotated 8105 -> 8103 -> 8104`` (ports as given)."""
    if len(ring) == 2:
        return f"swapped with {ring[1]}"
    return "rotated " + " -> ".join(str(p) for p in ring)
