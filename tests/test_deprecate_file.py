"""`portplan deprecate` and the file it edits: parallel runs, owner, mode, links, odd entries."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from yaml.nodes import MappingNode

from portplan import deprecation_edit
from portplan.cli import main
from portplan.problems import InternalError, PortplanError
from portplan.registry_file import edit_registry
from portplan.splicing import Splice

REGISTRY = """\
version: 1
ports:
  - port: 8020
    service: Mock services
  - port: 8090
    service: Mock Coordinator API
  - port: 3000
    service: Grafana
"""


def deprecate(registry: Path, port: str, note: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "portplan", "deprecate", port, "--note", note,
         "--registry", str(registry)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_parallel_runs_on_different_entries_keep_both_notes(tmp_path: Path) -> None:
    # Two runs at once used to read the same text; the later write dropped the other's note.
    for pair in range(20):
        registry = tmp_path / f"ports-{pair}.yaml"
        registry.write_text(REGISTRY)
        first, second = deprecate(registry, "8090", "first"), deprecate(registry, "3000", "second")
        results = [(run.wait(), *run.communicate()) for run in (first, second)]
        text = registry.read_text()
        landed = [code == 0 for code, _, _ in results]
        assert ("note: first" in text) == landed[0], results
        assert ("note: second" in text) == landed[1], results
        for code, _, err in results:
            assert code == 0 or b"portplan: error:" in err, results
        assert text.count("status: deprecated") == sum(landed)


def test_owner_group_mode_and_hard_links_are_kept(tmp_path: Path) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text(REGISTRY)
    link = tmp_path / "linked.yaml"
    link.hardlink_to(registry)
    registry.chmod(0o640)
    if os.geteuid() == 0:  # as root the test can hand the file to someone else
        os.chown(registry, 65534, 65534)
    before = registry.stat()
    assert main(["deprecate", "3000", "--note", "Gone.", "--registry", str(registry)]) == 0
    after = registry.stat()
    assert (after.st_ino, after.st_uid, after.st_gid, after.st_nlink) == (
        before.st_ino, before.st_uid, before.st_gid, 2)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert "note: Gone." in link.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked.yaml", "ports.yaml"]


@pytest.mark.parametrize(("before", "after"), [(0o640, 0o640), (0o6755, 0o755)])
def test_file_mode_is_kept_but_set_id_bits_and_no_temp_file_left(
        tmp_path: Path, before: int, after: int) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text(REGISTRY)
    registry.chmod(before)
    assert main(["deprecate", "3000", "--note", "n", "--registry", str(registry)]) == 0
    assert stat.S_IMODE(registry.stat().st_mode) == after
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ports.yaml"]


def test_symlinked_registry_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(REGISTRY)
    link = tmp_path / "ports.yaml"
    link.symlink_to(real)
    assert main(["deprecate", "3000", "--note", "n", "--registry", str(link)]) == 0
    assert link.is_symlink()
    assert "status: deprecated" in real.read_text()


def test_failed_write_leaves_original_and_no_temp(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text(REGISTRY)

    def full_disk(fd: int, offset: int, length: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full_disk)
    with pytest.raises(PortplanError, match="left unchanged"), edit_registry(
            str(registry)) as locked:
        locked.write(REGISTRY + "more\n")
    assert registry.read_text() == REGISTRY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ports.yaml"]


def test_a_registry_that_is_not_a_file_is_refused(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "ports.yaml"
    os.mkfifo(fifo)
    assert main(["deprecate", "3000", "--note", "n", "--registry", str(fifo)]) == 2
    assert "is not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize("other", [
    "owner: 2026-02-30",
    "owner: !!int abc",
    "owner: !custom x",
    "? [a, b]\n    : x",
    "meta: {? {a: 1} : x}",
])
def test_odd_values_in_other_entries_are_reported_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], other: str) -> None:
    text = REGISTRY.replace("    service: Grafana\n", f"    service: Grafana\n    {other}\n")
    registry = tmp_path / "ports.yaml"
    registry.write_text(text)
    code = main(["deprecate", "8090", "--note", "n", "--registry", str(registry)])
    err = capsys.readouterr().err
    # The other entry leaves the file unreadable, so nothing is edited: check's own messages,
    # at line 9 of the file as it is (not as it would be after the edit), and exit 2.
    assert code == 2
    assert "ports.yaml:9:" in err and "would add problems" not in err
    assert "cannot be read, so `portplan deprecate` has nothing to work on" in err
    assert registry.read_text() == text


def test_a_value_yaml_cannot_construct_in_the_entry_itself_is_kept(tmp_path: Path) -> None:
    # `check` reads a meta value it cannot construct as text; the edit compares node trees.
    text = REGISTRY.replace("    service: Grafana\n",
                            "    service: Grafana\n    meta: {since: !!int abc}\n")
    registry = tmp_path / "ports.yaml"
    registry.write_text(text)
    assert main(["deprecate", "3000", "--note", "n", "--registry", str(registry)]) == 0
    assert registry.read_text() == REGISTRY + (
        "    status: deprecated\n    deprecation:\n      note: n\n    meta: {since: !!int abc}\n")


def test_entry_with_an_explicit_key(tmp_path: Path) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text(REGISTRY.replace("  - port: 8090\n", "  - ? port\n    : 8090\n"))
    assert main(["deprecate", "8090", "--note", "Gone.", "--registry", str(registry)]) == 0
    assert registry.read_text() == REGISTRY.replace(
        "  - port: 8090\n    service: Mock Coordinator API\n",
        "  - ? port\n    : 8090\n    service: Mock Coordinator API\n    status: deprecated\n"
        "    deprecation:\n      note: Gone.\n")


@pytest.mark.parametrize("odd", [
    "owner: 2026-02-30", "owner: !!int abc", "owner: !custom x", "? [a, b]\n    : x"])
def test_odd_values_in_the_entry_itself_are_reported_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], odd: str) -> None:
    text = REGISTRY.replace("    service: Grafana\n", f"    service: Grafana\n    {odd}\n")
    registry = tmp_path / "ports.yaml"
    registry.write_text(text)
    assert main(["deprecate", "3000", "--note", "n", "--registry", str(registry)]) == 2
    assert "cannot be read, so `portplan deprecate`" in capsys.readouterr().err
    assert registry.read_text() == text


def test_a_planner_bug_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # The safety net: a splice outside the entry must never reach the file (the command
    # writes only what deprecate_entry returns).
    def outside(text: str, entry: object, edit: object, path: str) -> list[Splice]:
        return [Splice(0, 0, "# stray\n")]

    monkeypatch.setattr(deprecation_edit, "plan_deprecation", outside)
    with pytest.raises(InternalError, match="outside the entry"):
        deprecation_edit.deprecate_in_text(REGISTRY, deprecation_edit.Target.parse("3000"),
                                           deprecation_edit.DeprecationEdit("n"))


def test_a_planner_bug_inside_the_entry_is_caught_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong_status(text: str, entry: MappingNode, edit: object, path: str) -> list[Splice]:
        status_at = entry.value[-1][1].end_mark.index
        return [Splice(status_at, status_at, "\n    status: planned")]

    monkeypatch.setattr(deprecation_edit, "plan_deprecation", wrong_status)
    with pytest.raises(InternalError, match="does not read as the old one"):
        deprecation_edit.deprecate_in_text(REGISTRY, deprecation_edit.Target.parse("8090"),
                                           deprecation_edit.DeprecationEdit("n"))
