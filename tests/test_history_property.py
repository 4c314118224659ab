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
from portplan.model import Assignment
from portplan.registry import assignments_from_text

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
