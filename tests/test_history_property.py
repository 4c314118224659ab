"""Property: replaying the derived events from an empty registry gives back every version."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitrepo import Version, commit, init_repo
from portplan.history import cache as history_cache
from portplan.history import read_history
from portplan.history.model import EventKind
from portplan.history.snapshots import SnapshotReader
from portplan.model import Assignment
from portplan.problems import PortplanError
from portplan.registry.load import assignment_from_item, assignments_from_text

ENTRY = st.fixed_dictionaries(
    {
        "port": st.sampled_from([None, 80, 443, 8080, 8090, "8020-8029"]),
        "service": st.sampled_from(["Web", "TLS", "Mock", "Ledger"]),
    },
    optional={
        "protocol": st.sampled_from(["tcp", "udp", "[tcp, udp]"]),
        "environments": st.sampled_from(["[dev]", "[production]", "[dev, production]"]),
        "owner": st.sampled_from(["ops", "chain-team"]),
        "deprecated": st.sampled_from(["Use 443", "Gone"]),
    },
)
VERSIONS = st.lists(st.lists(ENTRY, max_size=5), min_size=1, max_size=6)


def render(entries: list[dict[str, object]]) -> str:
    if not entries:
        return "version: 1\nports: []\n"
    lines = ["version: 1", "ports:"]
    for e in entries:
        lines.append(f"  - service: {e['service']}")
        if e["port"] is not None:
            lines.append(f"    port: {e['port']}")
        for key in ("protocol", "environments", "owner"):
            if key in e:
                lines.append(f"    {key}: {e[key]}")
        if "deprecated" in e:
            lines += ["    status: deprecated", "    deprecation:",
                      f"      note: {e['deprecated']}"]
    return "\n".join(lines) + "\n"


def replay(state: Counter[Assignment], kind: EventKind, before: Assignment | None,
           after: Assignment | None) -> None:
    if kind is not EventKind.ADDED:
        assert before is not None and state[before] > 0, f"{kind} of an entry not held"
        state[before] -= 1
    if kind is not EventKind.REMOVED:
        assert after is not None
        state[after] += 1


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(VERSIONS)
def test_replaying_events_reproduces_every_version(versions: list[list[dict[str, object]]]) -> None:
    history_cache.forget()
    with tempfile.TemporaryDirectory() as tmp:
        repo = init_repo(Path(tmp) / "r")
        texts: dict[str, str] = {}
        for number, entries in enumerate(versions):
            text = render(entries)
            sha = commit(repo, Version(text, message=f"Version {number}",
                                       date=f"2026-03-{number + 1:02d}T10:00:00+09:00"))
            texts[sha] = text
        history = read_history(repo, repo / "ports.yaml", cache_dir=Path(tmp) / "cache")
        assert history.available and history.complete
        state: Counter[Assignment] = Counter()
        events = list(history.events)
        for logged in history.commits:
            while events and events[0].commit.sha == logged.sha:
                change = events.pop(0).change
                replay(state, change.kind, change.before, change.after)
            assert +state == Counter(assignments_from_text(texts[logged.sha])), logged.subject
        assert not events


STYLE = st.fixed_dictionaries({
    "indent": st.sampled_from([0, 2, 4]),
    "newline": st.sampled_from(["\n", "\r\n"]),
    "gap": st.sampled_from(["", "\n", "  # between\n", "# at column 0\n"]),
    "tail": st.sampled_from(["", "ranges:\n  - range: 7000-7009\n    purpose: Tests\n",
                             "# the end\n"]),
    "quote": st.booleans(),
})


def styled(entries: list[dict[str, object]], style: dict[str, object]) -> bytes:
    """The same entries in one of the many ways people write YAML."""
    pad = " " * int(style["indent"])  # type: ignore[call-overload]
    lines = ["# Port plan", "version: 1", "ports:"]
    for e in entries:
        service = f'"{e["service"]}"' if style["quote"] else e["service"]
        lines.append(f"{pad}- service: {service}")
        if e["port"] is not None:
            lines.append(f"{pad}  port: {e['port']}")
        for key in ("protocol", "environments", "owner"):
            if key in e:
                lines.append(f"{pad}  {key}: {e[key]}")
        if "deprecated" in e:
            lines += [f"{pad}  status: deprecated", f"{pad}  deprecation:",
                      f"{pad}    note: >-", f"{pad}      {e['deprecated']}", f"{pad}      today"]
        if style["gap"]:
            lines.append(str(style["gap"]).rstrip("\n"))
    text = "\n".join(lines) + "\n" + str(style["tail"])
    if not entries:
        text = "version: 1\nports: []\n"
    return text.replace("\n", str(style["newline"])).encode()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(ENTRY, max_size=6), STYLE), min_size=1, max_size=8))
def test_item_path_reads_like_whole_versions(steps: list[tuple[list[dict[str, object]],
                                                               dict[str, object]]]) -> None:
    fast, full = (SnapshotReader(assignment_from_item, assignments_from_text) for _ in range(2))
    for number, (entries, style) in enumerate(steps):
        text = styled(entries, style)
        results = []
        for reader, quick in ((fast, True), (full, False)):
            try:
                changes = reader.advance(f"b{number}", text, fast=quick)
            except PortplanError as exc:
                results.append(("unreadable", str(exc)))
                continue
            results.append([(c.kind, c.before, c.after, dict(c.changes)) for c in changes])
        assert results[0] == results[1]
