"""The incremental snapshot reader must give exactly the changes a full parse gives."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from portplan.history import cache as history_cache
from portplan.history.events import diff_registries
from portplan.history.layout import common_prefix, common_suffix, find_layout
from portplan.history.snapshots import SnapshotReader
from portplan.problems import PortplanError
from portplan.registry.load import assignment_from_item, assignment_from_text, assignments_from_text


def reader() -> SnapshotReader:
    return SnapshotReader(assignment_from_item, assignments_from_text)


def render(entries: list[dict[str, object]], *, header: str = "version: 1\n",
           tail: str = "", flow: bool = False) -> str:
    if flow:
        items = ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in e.items()) + "}"
                          for e in entries)
        return f"{header}ports: [{items}]\n{tail}"
    lines = [header, "ports:\n"]
    for e in entries:
        first = True
        for key, value in e.items():
            lines.append(f"  - {key}: {value}\n" if first else f"    {key}: {value}\n")
            first = False
        lines.append("\n")
    return "".join(lines) + tail


def edits(seed: int, steps: int) -> list[str]:  # noqa: PLR0912 - one branch per edit
    """A deterministic story of edits of every kind the fast path must get right."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    entries: list[dict[str, object]] = [
        {"port": 8000 + i, "service": f"Service {i}", "owner": "team-a"} for i in range(150)]
    header, tail, flow = "version: 1\n", "", False
    versions = [render(entries)]
    for step in range(steps):
        action = rng.choice(["note", "note", "add", "remove", "move", "swap", "deprecate",
                             "header", "ranges", "broken", "flow", "insert-first", "dup",
                             "anchor", "tab", "version", "relocate", "relocate"])
        flow = action == "flow"
        if action == "note" and entries:
            rng.choice(entries)["description"] = f"Note {step}"
        elif action == "add":
            entries.insert(rng.randrange(len(entries) + 1),
                           {"port": 9000 + step, "service": f"New {step}"})
        elif action == "remove" and entries:
            entries.pop(rng.randrange(len(entries)))
        elif action == "move" and entries:
            rng.choice(entries)["port"] = 10000 + step
        elif action == "swap" and len(entries) > 1:
            a, b = rng.sample(entries, 2)
            a["port"], b["port"] = b["port"], a["port"]
        elif action == "deprecate" and entries:
            e = rng.choice(entries)
            e["status"] = "deprecated"
            e["deprecation"] = "{note: gone}"
        elif action == "header":
            header = f"# edited {step}\nversion: 1\n"
        elif action == "ranges":
            tail = f"ranges:\n  - range: 7000-70{step % 90 + 10}\n    purpose: Tests\n"
        elif action == "insert-first":
            entries.insert(0, {"port": 20000 + step, "service": f"First {step}"})
        elif action == "dup" and entries:
            entries.append(dict(rng.choice(entries)))
        elif action == "relocate" and len(entries) > 3:
            # A move in a sorted file: the item leaves one place and lands far away.
            moved = entries.pop(rng.randrange(len(entries)))
            moved["port"] = 30000 + step
            entries.insert(rng.randrange(len(entries) + 1), moved)
        elif action == "version":
            header = "version: 2\n" if rng.random() < 0.5 else "version: 1\n"
        text = render(entries, header=header, tail=tail, flow=flow)
        if action == "anchor":
            text = text.replace("owner: team-a", "owner: &team team-a", 1)
        elif action == "tab":
            text = text.replace("    service:", "\t  service:", 1)
        if action == "broken":
            text = text.replace("ports:\n", "ports:\n  - port: [unclosed\n", 1)
        versions.append(text)
    return versions


def run(versions: list[str], *, fast: bool) -> list[list[tuple[object, ...]]]:
    r = reader()
    out: list[list[tuple[object, ...]]] = []
    for number, text in enumerate(versions):
        try:
            changes = r.advance(f"blob{number}", text.encode(), fast=fast)
        except PortplanError as exc:  # the same failure must happen on both paths
            out.append([("unreadable", type(exc).__name__)])
            continue
        out.append([(c.kind, c.before, c.after, dict(c.changes)) for c in changes])
    if fast:
        assert r.fast > len(versions) // 3, "the fast path was hardly used"
    return out


@pytest.mark.parametrize("seed", range(6))
def test_incremental_equals_full_parse(seed: int) -> None:
    versions = edits(seed, 120)
    assert run(versions, fast=True) == run(versions, fast=False)


def test_full_parse_path_equals_diff_of_whole_versions() -> None:
    versions = edits(99, 60)
    got = run(versions, fast=True)
    previous: tuple[object, ...] = ()
    for text, changes in zip(versions, got, strict=True):
        try:
            current = assignments_from_text(text)
        except PortplanError:
            continue
        expected = [(c.kind, c.before, c.after, dict(c.changes))
                    for c in diff_registries(list(previous), list(current))]  # type: ignore[arg-type]
        assert changes == expected
        previous = current


def test_crlf_and_comments_between_items() -> None:
    base = "version: 1\r\nports:\r\n  # web\r\n  - port: 80\r\n    service: Web\r\n\r\n" \
           "# below\r\n  - port: 443\r\n    service: TLS\r\n"
    changed = base.replace("service: TLS", "service: TLS\r\n    owner: ops")
    r = reader()
    r.advance("a", base.encode())
    [change] = r.advance("b", changed.encode())
    assert change.changes == {"owner": (None, "ops")}


def test_layout_of_block_and_flow_lists() -> None:
    block = b"version: 1\nports:\n  - port: 1\n    service: A\nranges: []\n"
    layout = find_layout(block)
    assert layout is not None
    assert block[layout.head_end:layout.tail_start] == b"  - port: 1\n    service: A\n"
    assert find_layout(b"version: 1\nports: [{port: 1, service: A}]\n") is None
    zero = find_layout(b"version: 1\nports:\n- port: 1\n  service: A\n---\n")
    assert zero is not None and zero.marker == b"\n-"


@pytest.mark.parametrize(("a", "b", "prefix", "suffix"), [
    (b"", b"", 0, 0),
    (b"abc", b"abc", 3, 0),
    (b"abcdef", b"abXdef", 2, 3),
    (b"x" * 10000 + b"A" + b"y" * 9000, b"x" * 10000 + b"BB" + b"y" * 9000, 10000, 9000),
])
def test_common_prefix_and_suffix(a: bytes, b: bytes, prefix: int, suffix: int) -> None:
    assert common_prefix(a, b) == prefix
    assert common_suffix(a, b, min(len(a), len(b)) - prefix) == suffix


@pytest.mark.parametrize("chunk", [
    "  - port: 8090\n    service: Mock\n",
    "  - port: '8090'\n    service: Mock\n",
    "  - port: 8080.0\n    service: Mock\n",
    "  - port: 8020-8029\n    protocol: [tcp, udp]\n    service: Block\n",
    "  - {port: 1, service: Flow}\n",
    "  - port: 1\n    service: yes\n    owner: no\n    meta: {a: 1, b: true, c: 2.5}\n",
    "  - port: 1\n    service: A\n    service: B\n",
    "  - port: 1\n    servce: A\n",
    "  - port: 1\n    service: A\n    status: deprecated\n    deprecation:\n"
    "      note: 'gone: use #2'\n      since: 2026-03-05\n      replaced_by: 2\n",
    "  - port: 1\n    service: \"quoted \\u00e9\"\n    description: >\n      folded\n      text\n",
    "  - port: 1\n    service: A\n  - port: 2\n    service: B\n",
    "  - port: [unclosed\n",
    "  - port: 1\n    service: !!str A\n",
])
def test_plain_entry_reader_reads_like_the_registry_loader(chunk: str) -> None:
    assert assignment_from_item(chunk) == assignment_from_text(chunk)


def test_the_cache_key_covers_every_module_the_history_runs() -> None:
    # A module renamed or split away would otherwise drop out of the key without a sound.
    found = subprocess.run(
        [sys.executable, "-c", "import sys, pathlib, portplan.history.timeline as t; "
         "root = pathlib.Path(t.__file__).parents[1]; "
         "print('\\n'.join(pathlib.Path(m.__file__).relative_to(root).as_posix() "
         "for n, m in list(sys.modules.items()) if n.startswith('portplan.')))"],
        check=True, capture_output=True, text=True).stdout.split()
    package = Path(history_cache.__file__).parents[1]
    keyed = history_cache.source_files()
    assert all((package / name).is_file() for name in keyed)
    assert "registry/load.py" in keyed and "history/events.py" in keyed
    not_deciding = {"problems.py"}
    deciding = {name for name in found if not name.endswith("__init__.py")} - not_deciding
    assert deciding <= set(keyed)
