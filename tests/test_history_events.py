"""The pure pairing of registry versions into changes (docs/history.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.history.events import diff_registries
from portplan.history.model import EventKind
from portplan.model import Assignment, Deprecation, PortSpan, Status


def entry(port: int | None, service: str, **fields: object) -> Assignment:
    return Assignment(service, PortSpan.single(port) if port is not None else None, **fields)  # type: ignore[arg-type]


def kinds(changes: list) -> list[tuple[str, object, object, str]]:  # type: ignore[type-arg]
    return [
        (c.kind.value,
         str(c.before.port) if c.before else None,
         str(c.after.port) if c.after else None,
         c.current.service)
        for c in changes
    ]


def test_identical_versions_give_no_changes() -> None:
    old = [entry(3000, "Grafana"), entry(9090, "Prometheus")]
    assert diff_registries(old, list(reversed(old))) == []


def test_field_change_says_old_and_new() -> None:
    changes = diff_registries([entry(3000, "Grafana", owner="ops")],
                              [entry(3000, "Grafana", owner="obs", role="ui")])
    assert len(changes) == 1
    assert changes[0].kind is EventKind.CHANGED
    assert dict(changes[0].changes) == {"owner": ("ops", "obs"), "role": (None, "ui")}


def test_deprecate_and_undeprecate() -> None:
    live = entry(8090, "Mock")
    dead = entry(8090, "Mock", status=Status.DEPRECATED,
                 deprecation=Deprecation("gone", PortSpan.single(8020)))
    [dep] = diff_registries([live], [dead])
    assert dep.kind is EventKind.DEPRECATED
    assert dep.changes["status"] == ("active", "deprecated")
    assert dep.changes["deprecation.note"] == (None, "gone")
    assert dep.changes["deprecation.replaced_by"] == (None, 8020)
    [undep] = diff_registries([dead], [live])
    assert undep.kind is EventKind.UNDEPRECATED


def test_move_keeps_other_field_changes_but_not_the_port() -> None:
    [move] = diff_registries([entry(8090, "Mock", owner="a")], [entry(8020, "Mock", owner="b")])
    assert move.kind is EventKind.MOVED
    assert dict(move.changes) == {"owner": ("a", "b")}


def test_swap_in_one_commit_is_two_moves() -> None:
    changes = diff_registries([entry(8001, "A"), entry(8002, "B")],
                              [entry(8001, "B"), entry(8002, "A")])
    assert kinds(changes) == [("moved", "8002", "8001", "B"), ("moved", "8001", "8002", "A")]


def test_rotation_of_three_is_three_moves() -> None:
    changes = diff_registries([entry(1, "A"), entry(2, "B"), entry(3, "C")],
                              [entry(2, "A"), entry(3, "B"), entry(1, "C")])
    assert kinds(changes) == [("moved", "3", "1", "C"), ("moved", "1", "2", "A"),
                              ("moved", "2", "3", "B")]


def test_one_environment_copy_moves_while_the_other_stays() -> None:
    # Pass 3: the name is judged among the same protocols and environments first.
    old = [entry(8011, "Coordinator API", environments=("dev",)),
           entry(8900, "Coordinator API", environments=("production",))]
    new = [entry(8012, "Coordinator API", environments=("dev",)), old[1]]
    assert kinds(diff_registries(old, new)) == [("moved", "8011", "8012", "Coordinator API")]


def test_no_move_guessed_where_the_name_picks_several_entries() -> None:
    dev = ("dev",)
    old = [entry(8011, "Worker", environments=dev), entry(8012, "Worker", environments=dev)]
    new = [entry(8021, "Worker", environments=dev), entry(8022, "Worker", environments=dev)]
    assert [k for k, *_ in kinds(diff_registries(old, new))] == [
        "removed", "removed", "added", "added"]


def test_a_move_may_change_environments_when_the_protocols_pick_one_entry() -> None:
    [move] = diff_registries([entry(8011, "API", environments=("staging",))],
                             [entry(8012, "API", environments=("stage",))])
    assert move.kind is EventKind.MOVED
    assert dict(move.changes) == {"environments": (["staging"], ["stage"])}


def test_moves_never_cross_protocol_sets() -> None:
    changes = diff_registries([entry(5000, "Syslog", protocols=("udp",))],
                              [entry(5001, "Syslog", protocols=("tcp",))])
    assert kinds(changes) == [("removed", "5000", None, "Syslog"),
                              ("added", None, "5001", "Syslog")]


def test_service_and_scope_both_changing_is_a_new_assignment() -> None:
    # Pass 5: not a rename in place, because the key changed too.
    old = [entry(4789, "legacy-sdn", protocols=("udp",), environments=("legacy-sdn",))]
    new = [entry(4789, "overlay-node", protocols=("udp",))]
    assert kinds(diff_registries(old, new)) == [
        ("removed", "4789", None, "legacy-sdn"), ("added", None, "4789", "overlay-node")]


def test_scope_change_pairs_the_copy_that_keeps_its_protocols() -> None:
    old = [entry(53, "DNS", protocols=("udp",), environments=("staging",)),
           entry(53, "DNS", protocols=("tcp",), environments=("staging",))]
    new = [entry(53, "DNS", protocols=("tcp",), environments=("stage",)),
           entry(53, "DNS", protocols=("udp",), environments=("stage",))]
    changes = diff_registries(old, new)
    assert [c.kind for c in changes] == [EventKind.CHANGED, EventKind.CHANGED]
    assert all(dict(c.changes) == {"environments": (["staging"], ["stage"])} for c in changes)


def test_rename_in_place_needs_the_same_key() -> None:
    [change] = diff_registries([entry(8080, "Old RPC", environments=("dev",))],
                               [entry(8080, "New RPC", environments=("dev",))])
    assert change.kind is EventKind.CHANGED
    assert dict(change.changes) == {"service": ("Old RPC", "New RPC")}


def test_portless_entries_are_never_renamed_in_place() -> None:
    assert kinds(diff_registries([entry(None, "Old SDK")], [entry(None, "New SDK")])) == [
        ("removed", "None", None, "Old SDK"), ("added", None, "None", "New SDK")]


def test_replaced_by_allows_a_move_of_a_shared_name() -> None:
    old = [entry(8011, "API", status=Status.DEPRECATED,
                 deprecation=Deprecation("moving", PortSpan.single(8012))),
           entry(8900, "API")]
    new = [entry(8012, "API"), entry(8013, "API"), old[1]]
    [move, added] = diff_registries(old, new)
    assert added.kind is EventKind.ADDED
    assert move.kind is EventKind.MOVED
    assert move.changes["status"] == ("deprecated", "active")


def test_same_port_other_service_is_a_change() -> None:
    [change] = diff_registries([entry(8080, "Old RPC")], [entry(8080, "New RPC")])
    assert change.kind is EventKind.CHANGED
    assert change.changes["service"] == ("Old RPC", "New RPC")


def test_same_port_other_scope_is_a_change_of_environments() -> None:
    [change] = diff_registries([entry(8080, "RPC")], [entry(8080, "RPC", environments=("dev",))])
    assert change.kind is EventKind.CHANGED
    assert change.changes == {"environments": (None, ["dev"])}


def test_move_beats_same_port_reuse() -> None:
    # 8090's service moves to 8020 and another service takes 8090 in the same commit.
    changes = diff_registries([entry(8090, "Mock")], [entry(8020, "Mock"), entry(8090, "New")])
    assert kinds(changes) == [("moved", "8090", "8020", "Mock"), ("added", None, "8090", "New")]


def test_added_and_removed_leftovers() -> None:
    changes = diff_registries([entry(1000, "Gone"), entry(None, "SDK")],
                              [entry(2000, "Fresh"), entry(None, "SDK")])
    assert kinds(changes) == [("removed", "1000", None, "Gone"), ("added", None, "2000", "Fresh")]


def test_duplicates_pair_with_themselves_first() -> None:
    a = entry(3000, "Grafana")
    changes = diff_registries([a, a], [a])
    assert kinds(changes) == [("removed", "3000", None, "Grafana")]


def test_dates_in_deprecation_are_iso_in_changes() -> None:
    old = entry(1, "X", status=Status.DEPRECATED, deprecation=Deprecation("n"))
    new = entry(1, "X", status=Status.DEPRECATED,
                deprecation=Deprecation("n", remove_after=dt.date(2026, 6, 1)))
    [change] = diff_registries([old], [new])
    assert change.changes == {"deprecation.remove_after": (None, "2026-06-01")}


def test_what_leaves_a_port_comes_before_what_arrives() -> None:
    old = [entry(8090, "Alpha"), entry(8020, "Alpha2")]
    new = [entry(8020, "Alpha")]
    assert kinds(diff_registries(old, new)) == [
        ("removed", "8020", None, "Alpha2"), ("moved", "8090", "8020", "Alpha")]


ASSIGNMENT = st.builds(
    Assignment,
    service=st.sampled_from(["Web", "API", "Mock"]),
    port=st.sampled_from([None, 80, 443, 8080]).map(
        lambda p: PortSpan.single(p) if p is not None else None),
    protocols=st.sampled_from([("tcp",), ("udp",), ("tcp", "udp")]),
    environments=st.sampled_from([None, ("dev",), ("prod",), ("dev", "prod")]),
    owner=st.sampled_from([None, "ops"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ASSIGNMENT, max_size=6), st.lists(ASSIGNMENT, max_size=6))
def test_every_pair_is_one_the_passes_allow(old: list[Assignment], new: list[Assignment]) -> None:
    changes = diff_registries(old, new)
    for change in changes:
        b, a = change.before, change.after
        if b is None or a is None:
            continue
        if change.kind is EventKind.MOVED:  # pass 3
            assert b.service == a.service and b.protocols == a.protocols
            assert b.port is not None and a.port is not None and b.port != a.port
        elif b.service != a.service:  # pass 4: renamed in place, never with another scope
            assert b.key == a.key and b.port is not None
            assert change.changes["service"] == (b.service, a.service)
        else:  # passes 1 and 2
            assert b.port == a.port
    # Every entry that did not stay as it was is accounted for exactly once on its side.
    gone = Counter(old) - Counter(new)
    came = Counter(new) - Counter(old)
    assert Counter(c.before for c in changes if c.before is not None) == gone
    assert Counter(c.after for c in changes if c.after is not None) == came
