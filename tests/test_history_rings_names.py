"""Swaps and rotations found among one commit's moves; a service found by any former name."""

from __future__ import annotations

import datetime as dt

from portplan.history.cycles import find_rings, ring_text
from portplan.history.model import Change, Commit, EventKind, PortEvent
from portplan.history.names import former_names, names_of, service_events
from portplan.model import Assignment, PortSpan

WHEN = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
ONE, TWO = Commit("a" * 40, WHEN, "Ada", "One"), Commit("b" * 40, WHEN, "Ada", "Two")


def held(port: int, service: str, envs: tuple[str, ...] | None = None) -> Assignment:
    return Assignment(service, PortSpan.single(port), environments=envs)


def move(commit: Commit, service: str, old: int, new: int,
         envs: tuple[str, ...] | None = None) -> PortEvent:
    return PortEvent(commit, Change(EventKind.MOVED, held(old, service, envs),
                                    held(new, service, envs)))


def ports(ring: tuple[PortSpan, ...] | None) -> list[int] | None:
    return None if ring is None else [p.low for p in ring]


def test_swap_and_rotation_in_one_commit() -> None:
    events = [move(ONE, "A", 1, 2), move(ONE, "B", 2, 1),
              move(ONE, "C", 5, 3), move(ONE, "D", 3, 4), move(ONE, "E", 4, 5)]
    rings = find_rings(events)
    assert [ports(rings.of(e)) for e in events] == [[1, 2], [2, 1], [5, 3, 4], [3, 4, 5],
                                                    [4, 5, 3]]
    assert ring_text(rings.of(events[0]) or ()) == "swapped with 2"
    assert ring_text(rings.of(events[2]) or ()) == "rotated 5 -> 3 -> 4"


def test_an_open_chain_is_no_ring() -> None:
    events = [move(ONE, "A", 1, 2), move(ONE, "B", 2, 3)]
    rings = find_rings(events)
    assert [rings.of(e) for e in events] == [None, None]


def test_moves_of_two_commits_never_close_a_ring() -> None:
    events = [move(ONE, "A", 1, 2), move(TWO, "B", 2, 1)]
    rings = find_rings(events)
    assert [rings.of(e) for e in events] == [None, None]


def test_moves_in_other_environments_are_no_swap() -> None:
    events = [move(ONE, "A", 1, 2, ("dev",)), move(ONE, "B", 2, 1, ("prod",))]
    rings = find_rings(events)
    assert [rings.of(e) for e in events] == [None, None]


def test_other_events_have_no_ring() -> None:
    added = PortEvent(ONE, Change(EventKind.ADDED, None, held(7, "X")))
    assert find_rings([added]).of(added) is None


def rename(commit: Commit, port: int, old: str, new: str) -> PortEvent:
    return PortEvent(commit, Change(EventKind.CHANGED, held(port, old), held(port, new),
                                    {"service": (old, new)}))


def test_names_follow_every_rename() -> None:
    added = PortEvent(ONE, Change(EventKind.ADDED, None, held(8545, "Old RPC")))
    other = PortEvent(ONE, Change(EventKind.ADDED, None, held(3000, "Grafana")))
    events = [added, other, rename(ONE, 8545, "Old RPC", "Chain RPC"),
              rename(TWO, 8545, "Chain RPC", "Geth")]
    assert names_of(events, "  GETH ") == {"old rpc", "chain rpc", "geth"}
    assert service_events(events, "old rpc") == [events[0], events[2], events[3]]
    assert names_of(events, "Ledger") == set()
    assert service_events(events, "Ledger") == []


def test_former_names_of_a_port_leave_out_its_current_holders() -> None:
    events = [PortEvent(ONE, Change(EventKind.ADDED, None, held(9090, "Prometheus"))),
              move(TWO, "Prometheus", 9090, 3000), move(TWO, "Grafana", 3000, 9090)]
    assert former_names(events, ["grafana"]) == ["Prometheus"]
