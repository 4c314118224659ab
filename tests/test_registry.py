"""The loader: every field of format version 1 becomes a record; the node tree keeps positions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.model import Assignment, Deprecation, External, PortSpan, Position, Range, Status
from portplan.problems import PortplanError, Severity
from portplan.registry.load import (
    assignment_from_text,
    assignments_from_text,
    check_file,
    load_registry,
)
from portplan.registry.source import compose

ROOT = Path(__file__).parents[1]
CORPUS_VALID = Path(__file__).parent / "corpus" / "valid"
FULL = CORPUS_VALID / "full-featured.yaml"


def test_full_featured_registry_reads_every_field() -> None:
    loaded = check_file(FULL)
    assert loaded.problems == []
    assert loaded.ok
    registry = loaded.registry
    assert registry is not None
    assert registry.ranges == (
        Range(PortSpan(8020, 8029), "Mock & test services", ("tcp",), "chain-team"),
        Range(PortSpan(9100, 9199), "Metrics exporters", ("tcp", "udp")),
    )
    mock = registry.ports[0]
    assert mock == Assignment(
        service="Mock Coordinator API",
        port=PortSpan.single(8090),
        protocols=("tcp",),
        status=Status.DEPRECATED,
        name="mock-coord",
        location="apps/blockchain-node/scripts/devnet_up.sh",
        command="uvicorn mock_coordinator:app",
        description="Generates *synthetic* coordinator/miner telemetry.",
        owner="chain-team",
        contact="#chain-oncall",
        environments=("dev",),
        role="metrics",
        bind="127.0.0.1",
        env_var="MOCK_COORDINATOR_PORT",
        external=External(443, "nginx", "devnet.example.org", "/mock/"),
        links=(("runbook", "https://wiki.example.org/mock-coordinator"),
               ("dashboard", "http://grafana.example.org/d/mock?orgId=1")),
        deprecation=Deprecation(
            note="Moved to 8020 with the other mock services; point MOCK_URL at :8020.",
            replaced_by=PortSpan.single(8020), since=dt.date(2026, 3, 5),
            remove_after=dt.date(2999, 6, 1)),
        meta=(("control-plane-only", True), ("tier", 2), ("weight", 0.5), ("team", "chain")),
    )
    assert mock.position == Position(15, 11)  # the port's value, where conflicts point
    block = registry.ports[2]
    assert (block.port, block.protocols, block.status) == (
        PortSpan(8021, 8023), ("tcp", "udp"), Status.RESERVED)
    assert registry.ports[4].environments == ("production", "staging")
    assert registry.ports[5].protocols == ("udp", "sctp")
    miner = registry.ports[-1]
    assert (miner.port, miner.service, miner.position) == (None, "Miner Node", Position(71, 5))
    assert [a.service for a in registry.without_port()] == ["Miner Node"]


def test_bundled_registry_loads_clean() -> None:
    loaded = check_file(ROOT / "ports.yaml")
    assert loaded.problems == []
    assert loaded.registry is not None
    assert len(loaded.registry.with_port()) == 10
    assert len(loaded.registry.without_port()) == 2


def test_our_composer_builds_the_same_tree_as_pyyaml() -> None:
    def shape(node: yaml.Node) -> object:
        where = (node.tag, node.start_mark.line, node.start_mark.column,
                 node.start_mark.index, node.end_mark.index,
                 getattr(node, "style", None) or None,  # libyaml says "" for plain, PyYAML None
                 getattr(node, "flow_style", None))
        if isinstance(node, yaml.MappingNode):
            return where, [(shape(k), shape(v)) for k, v in node.value]
        if isinstance(node, yaml.SequenceNode):
            return where, [shape(n) for n in node.value]
        return where, node.value

    # Same tags, positions, offsets and styles: splicing.py splices text at these offsets.
    for path in (ROOT / "ports.yaml", FULL, CORPUS_VALID / "flow-style.yaml",
                 CORPUS_VALID / "crlf-unicode.yaml"):
        text = path.read_text(encoding="utf-8")
        ours = compose(text).node
        assert ours is not None
        for loader in (yaml.SafeLoader, yaml.CSafeLoader):
            assert shape(ours) == shape(yaml.compose(text, Loader=loader))


def test_a_tab_inside_a_block_scalar_is_not_an_indentation_error() -> None:
    text = ("version: 1\nports:\n  - port: 8080\n    service: Web\n    description: |\n"
            "      first line\n      \tindented with a tab inside the text\n")
    loaded = load_registry(text)
    assert loaded.problems == []
    assert loaded.registry is not None
    assert loaded.registry.ports[0].description == (
        "first line\n\tindented with a tab inside the text\n")


def test_remove_after_is_judged_against_today() -> None:
    text = ("version: 1\nports:\n  - port: 8080\n    service: Web\n    status: deprecated\n"
            "    deprecation: {note: Going., remove_after: 2026-06-01}\n")
    before = load_registry(text, today=dt.date(2026, 6, 1))
    after = load_registry(text, today=dt.date(2026, 6, 2))
    assert before.problems == []
    assert [(p.code, p.severity, p.line, p.column) for p in after.problems] == [
        ("remove-after-passed", Severity.WARNING, 6, 47)]


def test_bytes_and_text_give_the_same_result() -> None:
    text = FULL.read_text(encoding="utf-8")
    assert load_registry(text).registry == load_registry(text.encode()).registry


def test_problems_are_sorted_by_position() -> None:
    loaded = load_registry("version: 1\nports:\n  - port: 0\n    service: A\n"
                           "  - port: 1\n    service: B\n  - port: 1\n    service: C\n"
                           "  - port: 70000\n    service: D\n")
    assert [(p.line, p.code) for p in loaded.problems] == [
        (3, "port-out-of-range"), (7, "port-conflict"), (9, "port-out-of-range")]


def test_assignments_from_text_is_lenient_per_entry() -> None:
    text = ("version: 1\nports:\n  - {port: 8080, service: Web, status: bogus}\n"
            "  - {port: 8080, service: Twin}\n  - {port: 9090}\n")
    # A conflict and a bad status do not stop the history from reading this version.
    assert [(a.service, a.status) for a in assignments_from_text(text)] == [
        ("Web", Status.ACTIVE), ("Twin", Status.ACTIVE)]


@pytest.mark.parametrize(("text", "message"), [
    ("", "ports.yaml: the registry is empty"),
    ("ports: [\n", "ports.yaml:2:1: error: YAML syntax error: did not find expected node "
                   "content (while parsing a flow node that starts at line 2, column 1); fix "
                   "the YAML syntax here"),
    ("- 1\n", "ports.yaml:1:1: error: the registry must be a mapping of keys to values, not a "
              "list; start the file with 'version: 1' and 'ports:'"),
])
def test_assignments_from_text_raises_when_unusable(text: str, message: str) -> None:
    with pytest.raises(PortplanError) as caught:
        assignments_from_text(text)
    assert str(caught.value) == message


def test_assignment_from_text_reads_one_item() -> None:
    entry = assignment_from_text("- port: 8090\n  service: Mock\n  environments: [dev]\n")
    assert entry == Assignment("Mock", PortSpan.single(8090), environments=("dev",))
    assert assignment_from_text("- port: 1\n  service: A\n- port: 2\n  service: B\n") is None
    assert assignment_from_text("[[[") is None


def test_check_file_unreadable_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(PortplanError) as caught:
        check_file(tmp_path / "missing.yaml")
    assert str(caught.value) == (f"cannot read the registry {tmp_path / 'missing.yaml'}: No "
                                 "such file or directory; pass its path with --registry")


_MUTATION_BYTES = b" \t\n-:[]{}#&*!|>'\"%@`,?0123456789abc\xff\xc3"


@settings(max_examples=300, deadline=None)
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 10_000),
                                st.sampled_from(list(_MUTATION_BYTES)),
                                st.integers(1, 20)), min_size=1, max_size=6))
def test_mangled_registries_never_crash(
        edits: list[tuple[float, int, int, int]]) -> None:
    # Replace, delete or insert bytes of a full registry: the loader reports, never raises.
    data = bytearray(FULL.read_bytes())
    for how, where, byte, length in edits:
        at = where % len(data)
        if how < 0.4:
            data[at:at + 1] = bytes([byte])
        elif how < 0.7:
            del data[at:at + length]
        else:
            data[at:at] = bytes([byte])
    loaded = load_registry(bytes(data))
    assert all(p.line >= 1 and p.column >= 1 and p.message for p in loaded.problems)
    if loaded.registry is None:
        assert any(p.severity is Severity.ERROR for p in loaded.problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_reported_not_raised(text: str) -> None:
    loaded = load_registry(text)
    assert loaded.registry is not None or loaded.problems


def test_huge_scalars_are_cut_short_in_messages() -> None:
    text = f"version: 1\nports:\n  - port: '{'x' * 1_000_000}'\n    service: Web\n"
    [problem] = load_registry(text).problems
    assert problem.message == (
        f"port of 'Web' must be a port number from 1 to 65535, not text '{'x' * 60}... "
        "(1000000 characters)'")
