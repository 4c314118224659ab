"""The history read from real git repositories, each described as a list of versions."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from gitrepo import Version, commit, git, make_repo
from portplan.history import History, read_history
from portplan.history import cache as history_cache
from portplan.history.model import EventKind
from portplan.history.timeline import pr_number
from portplan.model import PortSpan
from portplan.registry.load import assignments_from_text
from portplan.site.history_view import group_by_commit


def entry(port: int | str | None, service: str, **fields: str) -> str:
    lines = [f"  - port: {port}"] if port is not None else ["  -"]
    lines.append(f"    service: {service}")
    for key, value in fields.items():
        if key == "deprecation":
            lines.append(f"    deprecation:\n      note: {value}")
        else:
            lines.append(f"    {key}: {value}")
    return "\n".join(lines) + "\n"


def registry(*entries: str) -> str:
    body = "".join(entries) if entries else "  []\n"
    return f"# The port plan\nversion: 1\n\nports:\n{body}"


GRAFANA = entry(3000, "Grafana", role="ui")
PROM = entry(9090, "Prometheus")
MOCK = entry(8090, "Mock Coordinator API", owner="chain-team")
AIKO = "Aiko Tanaka <aiko@example.org>"
BOB = "Bob Stone <bob@example.org>"


@pytest.fixture(autouse=True)
def _cold() -> None:
    history_cache.forget()


def history_of(repo: Path, path: str = "ports.yaml", **kw: object) -> History:
    return read_history(repo, repo / path, cache_dir=repo.parent / "cache", **kw)  # type: ignore[arg-type]


def story(history: History) -> list[tuple[str, str, str, str]]:
    """(subject, kind, port or from->to, service) per event: the history in brief."""
    out = []
    for e in history.events:
        where = f"{e.from_port}->{e.to_port}" if e.kind is EventKind.MOVED else str(e.port)
        out.append((e.commit.subject, e.kind.value, where, e.service))
    return out


def test_adds_changes_deprecation_and_removal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), message="Start the plan", author=AIKO,
                date="2026-03-05T10:00:00+09:00"),
        Version(registry(GRAFANA, entry(8090, "Mock Coordinator API", owner="obs-team")),
                message="Hand the mock to obs", author=BOB, date="2026-03-06T09:00:00-05:00"),
        Version(registry(GRAFANA, entry(8090, "Mock Coordinator API", owner="obs-team",
                                        status="deprecated", deprecation="Use 8020")),
                message="Deprecate the mock"),
        Version(registry(GRAFANA, entry(8090, "Mock Coordinator API", owner="obs-team")),
                message="Keep the mock after all"),
        Version(registry(GRAFANA), message="Drop the mock"),
    ])
    history = history_of(repo)
    assert history.available and history.complete and history.notices == ()
    assert story(history) == [
        ("Start the plan", "added", "3000", "Grafana"),
        ("Start the plan", "added", "8090", "Mock Coordinator API"),
        ("Hand the mock to obs", "changed", "8090", "Mock Coordinator API"),
        ("Deprecate the mock", "deprecated", "8090", "Mock Coordinator API"),
        ("Keep the mock after all", "undeprecated", "8090", "Mock Coordinator API"),
        ("Drop the mock", "removed", "8090", "Mock Coordinator API"),
    ]
    changed = history.events[2]
    assert changed.change.changes == {"owner": ("chain-team", "obs-team")}
    assert changed.commit.author == "Bob Stone"
    assert changed.commit.date == dt.datetime(2026, 3, 6, 9, 0,
                                              tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert changed.as_json()["date"] == "2026-03-06T09:00:00-05:00"
    assert history.events[0].as_json()["date"] == "2026-03-05T10:00:00+09:00"
    deprecated = history.events[3].change.changes
    assert deprecated["status"] == ("active", "deprecated")
    assert deprecated["deprecation.note"] == (None, "Use 8020")


def test_moves_both_ways_swap_and_rotation(tmp_path: Path) -> None:
    a, b, c = (entry(p, s) for p, s in ((8001, "Alpha"), (8002, "Beta"), (8003, "Gamma")))
    repo = make_repo(tmp_path / "r", [
        Version(registry(a, b, c, MOCK), message="Start"),
        Version(registry(a, b, c, entry(8020, "Mock Coordinator API", owner="chain-team")),
                message="Move the mock to 8020"),
        Version(registry(entry(8001, "Beta"), entry(8002, "Alpha"), c,
                         entry(8020, "Mock Coordinator API", owner="chain-team")),
                message="Swap alpha and beta"),
        Version(registry(entry(8001, "Gamma"), entry(8002, "Beta"), entry(8003, "Alpha"),
                         entry(8020, "Mock Coordinator API", owner="chain-team")),
                message="Rotate"),
        Version(registry(entry(8001, "Gamma"), entry(8002, "Beta"), entry(8003, "Alpha"),
                         MOCK), message="Move the mock back"),
    ])
    history = history_of(repo)
    moves = [s for s in story(history) if s[0] != "Start"]
    assert moves == [
        ("Move the mock to 8020", "moved", "8090->8020", "Mock Coordinator API"),
        ("Swap alpha and beta", "moved", "8002->8001", "Beta"),
        ("Swap alpha and beta", "moved", "8001->8002", "Alpha"),
        ("Rotate", "moved", "8003->8001", "Gamma"),
        ("Rotate", "moved", "8001->8002", "Beta"),
        ("Rotate", "moved", "8002->8003", "Alpha"),
        ("Move the mock back", "moved", "8020->8090", "Mock Coordinator API"),
    ]
    # Both ends of a move show on both ports' pages.
    page_8020 = [e.commit.subject for e in history.for_port(PortSpan.single(8020))]
    page_8090 = [e.commit.subject for e in history.for_port(PortSpan.single(8090))]
    assert page_8020 == ["Move the mock to 8020", "Move the mock back"]
    assert page_8090 == ["Start", "Move the mock to 8020", "Move the mock back"]
    moved = history.events[-1].as_json()
    assert (moved["from_port"], moved["to_port"], moved["port"]) == (8020, 8090, 8090)


def test_reused_port_shows_both_holders_and_since(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), message="Start", date="2026-01-01T00:00:00+00:00"),
        Version(registry(GRAFANA), message="Free 8090", date="2026-02-01T00:00:00+00:00"),
        Version(registry(GRAFANA, entry(8090, "Ledger API")), message="Give 8090 to the ledger",
                date="2026-03-01T00:00:00+00:00"),
        Version(registry(GRAFANA, entry(8090, "Ledger API", role="rpc")), message="Role",
                date="2026-04-01T00:00:00+00:00"),
    ])
    history = history_of(repo)
    page = [(e.kind.value, e.service) for e in history.for_port(PortSpan.single(8090))]
    assert page == [("added", "Mock Coordinator API"), ("removed", "Mock Coordinator API"),
                    ("added", "Ledger API"), ("changed", "Ledger API")]
    [ledger, grafana] = [a for a in assignments_from_text((repo / "ports.yaml").read_text())
                         if a.service in ("Ledger API", "Grafana")][::-1]
    since, last = history.since(ledger), history.last_change(ledger)
    assert since is not None and since.commit.subject == "Give 8090 to the ledger"
    assert last is not None and last.commit.subject == "Role"
    grafana_since = history.since(grafana)
    assert grafana_since is not None and grafana_since.commit.subject == "Start"


def test_since_follows_a_move_not_the_first_addition(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(MOCK), message="Start"),
        Version(registry(entry(8020, "Mock Coordinator API", owner="chain-team")),
                message="Move"),
        Version(registry(entry(8020, "Mock Coordinator API", owner="obs")), message="Owner"),
    ])
    history = history_of(repo)
    [mock] = assignments_from_text((repo / "ports.yaml").read_text())
    since = history.since(mock)
    assert since is not None and since.commit.subject == "Move"
    last = history.last_change(mock)
    assert last is not None and last.commit.subject == "Owner"


def test_unparseable_version_is_skipped_with_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA) + "  - port: [unclosed\n", message="Break the file"),
        Version(registry(GRAFANA, PROM), message="Fix it and add Prometheus"),
    ])
    broken = git(repo, "rev-parse", "HEAD~1").strip()
    history = history_of(repo)
    assert story(history) == [("Start", "added", "3000", "Grafana"),
                              ("Fix it and add Prometheus", "added", "9090", "Prometheus")]
    [notice] = history.skipped
    assert broken[:12] in notice and "Break the file" in notice
    assert history.complete and history.notices == ()


def test_merge_commit_is_one_change_dated_at_merge_with_pr_author(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), branch="feature", author=AIKO,
                date="2026-03-05T10:00:00+09:00", message="Add Prometheus"),
        Version(registry(GRAFANA, PROM, MOCK), branch="feature", author=AIKO,
                date="2026-03-05T11:00:00+09:00", message="Add the mock"),
        Version(files={"README.md": "hello\n"}, message="Docs only",
                date="2026-03-06T00:00:00+00:00"),
        Version(merge="feature", author=BOB, date="2026-03-07T08:00:00-05:00",
                message="Merge pull request #12 from aiko/monitoring\n\nMonitoring"),
        Version(registry(GRAFANA, PROM), message="Remove the mock (#13)",
                date="2026-03-08T08:00:00-05:00"),
    ])
    history = history_of(repo)
    assert [c.subject for c in history.commits] == [
        "Start", "Merge pull request #12 from aiko/monitoring", "Remove the mock (#13)"]
    merged = [e for e in history.events if e.commit.pr == 12]
    assert [(e.kind.value, e.service) for e in merged] == [
        ("added", "Mock Coordinator API"), ("added", "Prometheus")]
    assert {e.commit.author for e in merged} == {"Aiko Tanaka"}
    assert {e.commit.date.isoformat() for e in merged} == {"2026-03-07T08:00:00-05:00"}
    assert history.events[-1].commit.pr == 13
    groups = group_by_commit(history.events)
    assert [(c.pr, len(events)) for c, events in groups] == [(13, 1), (12, 2), (None, 1)]


def test_registry_renamed_and_moved(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), path="config/ports.yaml", rename_from="ports.yaml",
                message="Move the registry"),
        Version(registry(PROM), path="config/ports.yaml", message="Drop Grafana"),
    ])
    history = history_of(repo, "config/ports.yaml")
    assert story(history) == [
        ("Start", "added", "3000", "Grafana"),
        ("Move the registry", "added", "9090", "Prometheus"),
        ("Drop Grafana", "removed", "3000", "Grafana"),
    ]


def test_a_second_root_restarts_the_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Old world"),
        Version(registry(PROM), branch="fresh", orphan=True, message="New root"),
        Version(merge="fresh", merge_options=("-X", "theirs"), message="Merge the new root"),
    ])
    history = history_of(repo)
    assert story(history) == [
        ("Old world", "added", "3000", "Grafana"),
        ("Merge the new root", "removed", "3000", "Grafana"),
        ("Merge the new root", "added", "9090", "Prometheus"),
    ]


def test_main_line_that_starts_at_an_orphan(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Abandoned"),
        Version(registry(PROM), branch="fresh", orphan=True, message="Restart"),
    ])
    git(repo, "checkout", "-q", "fresh")
    assert story(history_of(repo)) == [("Restart", "added", "9090", "Prometheus")]


def test_shallow_clone_is_incomplete_and_does_not_add_every_port(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin", [
        Version(registry(GRAFANA), message="One"),
        Version(registry(GRAFANA, PROM), message="Two"),
        Version(registry(GRAFANA, PROM, MOCK), message="Three"),
    ])
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{origin}", str(clone)],
                   check=True)
    history = history_of(clone)
    assert not history.complete and history.available
    assert history.notices[0] == "history is incomplete: shallow clone, run git fetch --unshallow"
    assert story(history) == [("Three", "added", "8090", "Mock Coordinator API")]
    # After unshallowing, the same HEAD must not be served from the shallow cache.
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True)
    full = history_of(clone)
    assert full.complete and full.notices == ()
    assert [s[0] for s in story(full)] == ["One", "Two", "Three"]


def test_plain_directory_and_missing_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "tarball"
    plain.mkdir()
    (plain / "ports.yaml").write_text(registry(GRAFANA))
    history = read_history(plain, plain / "ports.yaml")
    assert not history.available and not history.complete and history.events == ()
    assert "not a git repository" in history.notices[0]
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA))])
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    history = read_history(repo, repo / "ports.yaml")
    assert not history.available
    assert history.notices == ("history is unavailable: git is not installed or not on PATH",)


def test_uncommitted_edit_shows_as_uncommitted(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA), message="Start")])
    assert [e.commit.uncommitted for e in history_of(repo).events] == [False]
    (repo / "ports.yaml").write_text(registry(GRAFANA, PROM))
    history = history_of(repo)
    last = history.events[-1]
    assert last.commit.uncommitted and last.commit.sha == "" and last.service == "Prometheus"
    assert last.commit.author == "Test Runner"
    assert last.commit.date.tzinfo is not None
    assert last.as_json()["commit"] is None and last.as_json()["uncommitted"] is True
    assert [e.commit.uncommitted for e in history_of(repo, include_worktree=False).events] == [
        False]


def test_commits_touching_other_files_only_are_not_in_the_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(files={"app.py": "print()\n"}, message="Code"),
        Version(files={"app.py": "print(1)\n"}, message="More code"),
    ])
    assert [c.subject for c in history_of(repo).commits] == ["Start"]


def test_new_commits_resume_from_the_cache(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), message="Two"),
    ])
    first = history_of(repo)
    assert list((tmp_path / "cache").glob("history-*.json"))
    history_cache.forget()  # a new process: only the disk cache is left
    commit(repo, Version(registry(PROM, MOCK), message="Three"))
    resumed = history_of(repo)
    history_cache.forget()
    (tmp_path / "cache").rename(tmp_path / "old-cache")
    cold = history_of(repo)
    assert story(resumed) == story(cold)
    assert story(resumed)[: len(first.events)] == story(first)
    assert story(resumed)[-2:] == [("Three", "removed", "3000", "Grafana"),
                                   ("Three", "added", "8090", "Mock Coordinator API")]


def _children() -> set[int]:
    me = os.getpid()
    found: set[int] = set()
    for task in Path(f"/proc/{me}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


def test_no_git_process_or_file_descriptor_is_left_open(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), message="Two"),
        Version(registry(PROM), message="Three"),
    ])
    (repo / "ports.yaml").write_text(registry(PROM, MOCK))
    history_of(repo)  # warm up imports and lazily opened files
    history_cache.forget()
    fds = len(list(Path("/proc/self/fd").iterdir()))
    children = _children()
    for _ in range(3):
        history_cache.forget()
        history_of(repo)
        history_of(repo)  # the warm path too
    assert _children() == children
    assert len(list(Path("/proc/self/fd").iterdir())) == fds


def test_rename_inside_a_merged_pull_request(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), path="plan/ports.yaml", rename_from="ports.yaml",
                branch="move", author=AIKO, message="Move the plan into plan/"),
        Version(merge="move", message="Merge pull request #3 from aiko/move"),
        Version(registry(PROM), path="plan/ports.yaml", message="Drop Grafana"),
    ])
    history = history_of(repo, "plan/ports.yaml")
    assert story(history) == [
        ("Start", "added", "3000", "Grafana"),
        ("Merge pull request #3 from aiko/move", "added", "9090", "Prometheus"),
        ("Drop Grafana", "removed", "3000", "Grafana"),
    ]
    assert history.events[1].commit.author == "Aiko Tanaka"


def test_registry_deleted_and_brought_back(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(delete=True, message="Remove the plan by mistake"),
        Version(registry(GRAFANA, PROM), message="Bring it back"),
    ])
    assert story(history_of(repo)) == [
        ("Start", "added", "3000", "Grafana"),
        ("Remove the plan by mistake", "removed", "3000", "Grafana"),
        ("Bring it back", "added", "3000", "Grafana"),
        ("Bring it back", "added", "9090", "Prometheus"),
    ]


@pytest.mark.parametrize(("message", "number"), [
    ("Merge pull request #12 from aiko/move\n\nMove the mock", 12),
    ("Move the mock to 8020 (#14)", 14),
    ("Merge branch 'move' into 'main'\n\nMove the mock\n\nSee merge request infra/ports!7", 7),
    ("Fix #12 in the notes", None),
    ("Mention (#3) mid-subject only", None),
])
def test_pull_request_numbers(message: str, number: int | None) -> None:
    assert pr_number(message) == number


def test_serve_rebuilds_in_one_process_match_a_cold_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA), message="Start")])
    first = history_of(repo)
    (repo / "ports.yaml").write_text(registry(GRAFANA, PROM))  # an edit under `mkdocs serve`
    edited = history_of(repo)
    assert [e.commit.uncommitted for e in edited.events] == [False, True]
    (repo / "ports.yaml").write_text(registry(GRAFANA))  # the edit undone
    assert story(history_of(repo)) == story(first)
    (repo / "ports.yaml").write_text(registry(GRAFANA, MOCK))
    commit(repo, Version(registry(GRAFANA, MOCK), message="Add the mock"))
    resumed = history_of(repo)  # resumes from the checkpoint held in this process
    history_cache.forget()
    (tmp_path / "cache").rename(tmp_path / "old-cache")
    assert story(resumed) == story(history_of(repo))
    assert story(resumed)[-1] == ("Add the mock", "added", "8090", "Mock Coordinator API")


def test_missing_objects_make_the_history_unavailable_not_a_crash(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA), message="Start"),
        Version(registry(GRAFANA, PROM), message="Two"),
    ])
    blob = git(repo, "rev-parse", "HEAD~1:ports.yaml").strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    history = history_of(repo)
    assert not history.available
    assert history.notices[0].startswith("history is unavailable: ")
    assert blob in history.notices[0]
