"""Cross-entry rules of docs/registry-format.md: conflicts, ranges, replacements, warnings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.model import Assignment, PortSpan, Position, Registry
from portplan.registry.load import load_registry
from portplan.registry.rules import check_rules, conflicts


def entry(port: str, extra: str = "", service: str = "S") -> str:
    return f"  - {{port: {port}, service: {service}{', ' + extra if extra else ''}}}\n"


def codes(text: str) -> list[str]:
    return [p.code for p in load_registry(text).problems]


@pytest.mark.parametrize(("first", "second", "expected"), [
    # same port, same protocol, everywhere: the plain conflict
    (entry("8080"), entry("8080"), ["port-conflict"]),
    # same port, another protocol: fine
    (entry("8080"), entry("8080", "protocol: udp"), []),
    # protocols intersect through a list
    (entry("8080", "protocol: [tcp, udp]"), entry("8080", "protocol: udp"), ["port-conflict"]),
    # disjoint environments: fine
    (entry("8080", "environments: [dev]"), entry("8080", "environments: [production]"), []),
    # environments that meet
    (entry("8080", "environments: [dev, qa]"), entry("8080", "environments: [qa]"),
     ["port-conflict"]),
    # absent environments means every environment
    (entry("8080"), entry("8080", "environments: [qa]"), ["port-conflict"]),
    # a block overlapping a port
    (entry("8020-8029"), entry("8025"), ["port-conflict"]),
    # blocks that touch at one end
    (entry("8020-8029"), entry("8029-8039"), ["port-conflict"]),
    # adjacent blocks do not overlap
    (entry("8020-8029"), entry("8030-8039"), []),
    # deprecated, planned and reserved entries still hold their port
    (entry("8080", "status: planned"), entry("8080", "status: reserved"), ["port-conflict"]),
    # entries without a port never conflict
    ("  - {service: SDK}\n", "  - {service: SDK}\n", []),
])
def test_conflict_matrix(first: str, second: str, expected: list[str]) -> None:
    assert codes("version: 1\nports:\n" + first + second) == expected


_spans = st.tuples(st.integers(8000, 8012), st.integers(0, 4)).map(
    lambda t: PortSpan(t[0], t[0] + t[1]))
_protocols = st.lists(st.sampled_from(("tcp", "udp", "sctp")), min_size=1, max_size=3,
                      unique=True).map(lambda p: tuple(sorted(p)))
_environments = st.none() | st.lists(st.sampled_from(("dev", "qa", "production")), min_size=1,
                                     max_size=3, unique=True).map(lambda e: tuple(sorted(e)))
_entries = st.builds(lambda span, protocols, envs: Assignment(
    "S", span, protocols=protocols, environments=envs), _spans, _protocols, _environments)


def _yaml(a: Assignment) -> str:
    envs = f", environments: [{', '.join(a.environments)}]" if a.environments else ""
    return entry(str(a.port), f"protocol: [{', '.join(a.protocols)}]{envs}")


@settings(max_examples=300, deadline=None)
@given(_entries, _entries)
def test_check_conflicts_exactly_when_assignments_meet(a: Assignment, b: Assignment) -> None:
    # One overlap rule: `check` (the sweep in rules.py) and `check --base` (Assignment.meets).
    assert (codes("version: 1\nports:\n" + _yaml(a) + _yaml(b)) == ["port-conflict"]) == (
        a.meets(b))
    assert a.meets(b) == b.meets(a)


def test_conflict_names_both_entries_and_both_lines() -> None:
    loaded = load_registry("version: 1\nports:\n  - port: 8080\n    service: Web\n"
                           "  - port: 8079-8081\n    service: Block\n    environments: [dev]\n")
    [problem] = loaded.problems
    assert (problem.line, problem.column) == (5, 11)
    assert problem.message == (
        "port 8080/tcp in dev is held by both 'Web' (line 3) and 'Block' (line 5); give one "
        "of them another port (`portplan free` suggests one), or split them by protocol or "
        "environments")


def test_ranges_may_hold_entries_but_not_overlap_each_other() -> None:
    head = "version: 1\nranges:\n"
    ports = "ports:\n" + entry("8025") + entry("8026")
    fine = head + "  - {range: 8020-8029, purpose: Mocks}\n" + ports
    assert codes(fine) == []
    clash = head + ("  - {range: 8020-8029, purpose: Mocks}\n"
                    "  - {range: 8029-8039, purpose: More}\n") + "ports: []\n"
    assert codes(clash) == ["range-conflict"]
    other_protocol = head + ("  - {range: 8020-8029, purpose: Mocks}\n"
                             "  - {range: 8020-8029, purpose: Mocks, protocol: udp}\n"
                             ) + "ports: []\n"
    assert codes(other_protocol) == []


def test_range_protocol_warning_only_when_no_declared_block_fits() -> None:
    head = "version: 1\nranges:\n  - {range: 8020-8029, purpose: Mocks, protocol: udp}\n"
    assert codes(head + "ports:\n" + entry("8025")) == ["range-protocol-mismatch"]
    both = head + "  - {range: 8020-8029, purpose: Mocks tcp}\n"
    assert codes(both + "ports:\n" + entry("8025")) == []
    assert codes(head + "ports:\n" + entry("8025", "protocol: [tcp, udp]")) == []


@pytest.mark.parametrize(("port", "expected"), [
    ("32767", []), ("32768", ["ephemeral-port"]), ("49151", ["ephemeral-port"]),
    ("65535", ["ephemeral-port"]), ("32000-32768", ["ephemeral-port"]),
])
def test_ephemeral_warning_bounds(port: str, expected: list[str]) -> None:
    assert codes("version: 1\nports:\n" + entry(port)) == expected


def test_replaced_by_must_name_a_held_port() -> None:
    def text(target: str) -> str:
        return ("version: 1\nports:\n  - port: 8090\n    service: Old\n    status: deprecated\n"
                f"    deprecation: {{note: Moved., replaced_by: {target}}}\n"
                + entry("8020-8029", service="Block"))

    assert codes(text("8020")) == []  # inside a block counts
    assert codes(text("8025-8030")) == []
    assert codes(text("8090")) == ["self-replacement"]  # another port must take over
    problems = load_registry(text("9000")).problems
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("unknown-replacement", 6, 46)]


def test_sweep_finds_each_conflicting_pair_once() -> None:
    # Three entries on one port: three pairs, each reported at the later entry.
    ports = tuple(Assignment(f"S{i}", PortSpan.single(8080), position=Position(i, 1))
                  for i in (1, 2, 3))
    problems = conflicts(Registry(ports=ports), "ports.yaml")
    assert sorted((p.line, p.message.split(" (line ")[1][:1]) for p in problems) == [
        (2, "1"), (3, "1"), (3, "2")]


def test_rules_on_two_thousand_entries_find_the_one_conflict() -> None:
    ports = tuple(Assignment(f"S{i}", PortSpan.single(1000 + i), position=Position(i, 1))
                  for i in range(2000))
    clash = Assignment("Late", PortSpan(1500, 1500), position=Position(3000, 1))
    problems = check_rules(Registry(ports=(*ports, clash)), "ports.yaml")
    assert [(p.code, p.line) for p in problems] == [("port-conflict", 3000)]


def test_dense_conflicts_name_five_partners_then_summarise() -> None:
    text = "version: 1\nports:\n" + "".join(entry("80", service=f"S{i}") for i in range(8))
    problems = load_registry(text).problems
    last = [p.message for p in problems if p.line == 10]  # S7, the eighth entry
    assert len(last) == 6
    assert last[-1] == ("'S7' (line 10) conflicts with more than 5 entries on 80; only the "
                        "first 5 are named: give it another port")


def test_replaced_by_position_survives_a_dropped_entry() -> None:
    text = ("version: 1\nports:\n  - {port: 8000}\n  - port: 8090\n    service: Old\n"
            "    status: deprecated\n    deprecation: {note: Gone., replaced_by: 9999}\n")
    problems = load_registry(text).problems
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("missing-key", 3, 5), ("unknown-replacement", 7, 45)]


def test_one_env_var_on_two_ports_in_the_same_environments_is_a_warning() -> None:
    text = ("version: 1\nports:\n"
            "  - {port: 8011, service: Coordinator API, environments: [dev], env_var: COORD_PORT}\n"
            "  - {port: 8900, service: Coordinator API, environments: [prod],"
            " env_var: COORD_PORT}\n"
            "  - {port: 8080, service: RPC, env_var: COORD_PORT}\n")
    problems = load_registry(text).problems
    assert [(p.code, p.line, p.severity.value) for p in problems] == [
        ("duplicate-env-var", 5, "warning")]
    assert problems[0].message.startswith(
        "env_var COORD_PORT of 'RPC' (port 8080) also configures 'Coordinator API' (port 8011, "
        "line 3) in the same environments;")
