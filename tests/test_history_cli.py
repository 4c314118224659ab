"""`portplan history` on real repositories: terminal lines, JSON, and user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import Version, make_repo
from portplan.cli import main
from portplan.history import cache as history_cache
from test_history import AIKO, BOB, GRAFANA, MOCK, entry, registry


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    history_cache.forget()
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), author=AIKO, date="2026-03-05T10:00:00+09:00",
                message="Start the plan"),
        Version(registry(GRAFANA, entry(8020, "Mock Coordinator API", owner="obs")),
                author=BOB, date="2026-03-06T09:00:00-05:00",
                message="Move the mock to 8020 (#12)"),
    ])
    monkeypatch.chdir(repo)
    return repo


def test_terminal_lines_for_one_port(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "8090"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2026-03-05 10:00 +09:00  ")
    assert "added" in out[0] and "8090" in out[0] and "Mock Coordinator API" in out[0]
    assert out[0].endswith("(Aiko Tanaka)")
    assert out[1].startswith("2026-03-06 09:00 -05:00  #12 ")
    assert "moved" in out[1] and "8090 -> 8020" in out[1] and "(Bob Stone)" in out[1]
    assert out[2] == '    owner: "chain-team" -> "obs"'
    assert len(out) == 3


def test_json_is_the_spec_event_shape(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in events] == ["added", "added", "moved"]
    moved = events[-1]
    assert set(moved) == {"commit", "date", "author", "subject", "pr", "title", "port",
                          "protocol", "environments", "service", "kind", "changes", "from_port",
                          "to_port"}
    assert moved["title"] is None  # a squash merge's subject is its title; no merge message
    assert len(moved["commit"]) == 40
    assert moved["date"] == "2026-03-06T09:00:00-05:00"
    assert (moved["pr"], moved["port"], moved["from_port"], moved["to_port"]) == (12, 8020, 8090,
                                                                                   8020)
    assert moved["changes"] == {"owner": ["chain-team", "obs"]}
    assert moved["protocol"] == "tcp" and moved["environments"] is None


def test_protocol_filter(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "3000/udp", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["history", "3000/tcp", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize("argument", ["http", "0", "70000", "9-3", "80/icmp"])
def test_bad_port_argument_is_a_usage_error(repo: Path, argument: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", argument]) == 2
    err = capsys.readouterr().err
    assert "Invalid value for PORT" in err and "Traceback" not in err


def test_unknown_service_name_says_port_or_service(repo: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "Ledger API"]) == 2
    err = capsys.readouterr().err
    assert "'Ledger API' is neither a port nor a service the history knows" in err


def test_a_service_by_its_name_in_any_case(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "mock coordinator api", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["kind"], e["port"]) for e in events] == [("added", 8090), ("moved", 8020)]


def test_a_service_by_a_former_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    history_cache.forget()
    repo = make_repo(tmp_path / "r", [
        Version(registry(entry(8545, "Old RPC")), message="Start"),
        Version(registry(entry(8545, "Chain RPC")), message="Rename the RPC (#3)"),
    ])
    monkeypatch.chdir(repo)
    assert main(["history", "Old RPC"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "added" in out[0] and out[0].endswith("Old RPC  (Ada Lovelace)")
    assert "#3" in out[1] and "changed" in out[1] and "Chain RPC" in out[1]
    assert out[2] == '    service: "Old RPC" -> "Chain RPC"'


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ports.yaml").write_text(registry(GRAFANA))
    monkeypatch.chdir(tmp_path)
    assert main(["history"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("portplan: error: history is unavailable: not a git repository")


def test_missing_registry(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--registry", "nope.yaml"]) == 2
    assert "cannot read the registry nope.yaml" in capsys.readouterr().err


def test_a_diff_change_is_the_history_event_without_its_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # One JSON shape (Change.as_json) for `diff --format json` and `history --json`.
    history_cache.forget()
    steps = [registry(GRAFANA, MOCK),
             registry(GRAFANA, entry(8020, "Mock Coordinator API", owner="obs")),
             registry(GRAFANA, entry(8020, "Mock Coordinator API", owner="obs",
                                     status="deprecated", deprecation="Use 8030")),
             registry(entry(8020, "Mock Coordinator API", owner="obs", status="deprecated",
                            deprecation="Use 8030"))]
    repo = make_repo(tmp_path / "r", [Version(text, message=f"Step {i}")
                                      for i, text in enumerate(steps)])
    monkeypatch.chdir(repo)
    assert main(["history", "--json"]) == 0
    events = json.loads(capsys.readouterr().out)
    commit_fields = {"commit", "date", "author", "subject", "pr", "title", "uncommitted"}
    for step in range(1, len(steps)):
        rev = f"HEAD~{len(steps) - 1 - step}"
        assert main(["diff", f"{rev}~1", rev, "--format", "json"]) == 0
        changes = json.loads(capsys.readouterr().out)["changes"]
        subject = f"Step {step}"
        assert changes == [{k: v for k, v in e.items() if k not in commit_fields}
                           for e in events if e["subject"] == subject], subject
    assert {e["kind"] for e in events} == {"added", "moved", "deprecated", "removed"}
    assert next(e for e in events if e["kind"] == "deprecated")["note"] == "Use 8030"
