"""`check --base`: scenarios in real repositories (base_check.check_against_base)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gitrepo import Version, git, make_repo, registry
from portplan.base_check import base_problems, check_against_base
from portplan.model import Assignment, PortSpan, Registry, Status
from portplan.problems import PortplanError, Problem
from portplan.registry.load import load_registry

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TODAY = NOW.date()

GRAFANA = "port: 3000\n    service: Grafana"
MOCK = "port: 8090\n    service: Mock Coordinator API"
MOCK_DEPRECATED = (MOCK + "\n    status: deprecated\n    deprecation:\n"
                   "      note: Moved to 8020.\n      replaced_by: 8020")
MOCKS = "port: 8020\n    service: Mock services"
PROMETHEUS = "port: 9090\n    service: Prometheus"
NEWCOMER = "port: 8090\n    service: Newcomer"


def days_ago(days: int) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


def check(repo: Path, text: str, base: str = "main") -> list[Problem]:
    (repo / "ports.yaml").write_text(text)
    loaded = load_registry(text.encode())
    assert loaded.registry is not None, loaded.problems
    return check_against_base(repo, "ports.yaml", base, loaded.registry, today=TODAY)


def codes(problems: list[Problem]) -> list[tuple[str, str, int]]:
    return [(p.severity.value, p.code, p.line) for p in problems]


def test_removing_an_active_entry_is_an_error_that_says_how(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK, PROMETHEUS), date=days_ago(30))])
    problems = check(repo, registry(GRAFANA, PROMETHEUS))
    # line 6 is where Prometheus, the removed entry's neighbour, now starts
    assert codes(problems) == [("error", "removed-without-deprecation", 6)]
    message = problems[0].message
    assert "'Mock Coordinator API' (8090/tcp) was active at main" in message
    assert 'run `portplan deprecate 8090 --note "<how clients migrate>"`' in message
    assert "remove the entry in a later change" in message


def test_removing_after_deprecation_is_fine(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(60)),
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(50)),
    ])
    assert check(repo, registry(GRAFANA, MOCKS)) == []


def test_removing_planned_or_portless_entries_is_fine(tmp_path: Path) -> None:
    planned = "port: 8100\n    service: Pool Hub API\n    status: planned"
    portless = "service: Miner Node"
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA, planned, portless))])
    assert check(repo, registry(GRAFANA)) == []


def test_reuse_within_90_days_is_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(200)),
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(100)),
        Version(registry(GRAFANA, MOCKS), date=days_ago(10), message="Drop 8090"),
    ])
    problems = check(repo, registry(GRAFANA, MOCKS, NEWCOMER))
    assert codes(problems) == [("warning", "port-reuse", 8)]
    removed_on = (NOW - dt.timedelta(days=10)).date()
    assert problems[0].message == (
        f"'Newcomer' (8090/tcp) reuses a port that 'Mock Coordinator API' left 10 days ago "
        f"(removed on {removed_on.isoformat()}); wait until "
        f"{(removed_on + dt.timedelta(days=90)).isoformat()} or pick a free port "
        "(`portplan free`): stale clients may still connect to it")


def test_reuse_of_a_port_moved_away_recently_is_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(200)),
        Version(registry(GRAFANA, MOCK.replace("8090", "8091")), date=days_ago(5)),
    ])
    problems = check(repo, registry(GRAFANA, MOCK.replace("8090", "8091"), NEWCOMER))
    assert codes(problems) == [("warning", "port-reuse", 8)]
    assert "(moved to 8091 on" in problems[0].message


def test_reuse_after_90_days_is_fine(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(300)),
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(200)),
        Version(registry(GRAFANA, MOCKS), date=days_ago(91)),
    ])
    assert check(repo, registry(GRAFANA, MOCKS, NEWCOMER)) == []


def test_reusing_a_port_the_base_deprecated_is_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(300))])
    problems = check(repo, registry(GRAFANA, MOCKS, NEWCOMER))
    assert codes(problems) == [("warning", "port-reuse", 8)]
    assert "reuses a port that main has deprecated for 'Mock Coordinator API' (Moved to 8020.)" \
        in problems[0].message


def test_a_port_that_returns_to_its_own_service_is_not_reuse(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(20)),
        Version(registry(GRAFANA), date=days_ago(10)),
    ])
    assert check(repo, registry(GRAFANA, MOCK)) == []


def test_other_protocol_or_environment_is_not_reuse(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK + "\n    environments: [dev]"), date=days_ago(20)),
        Version(registry(GRAFANA), date=days_ago(10)),
    ])
    assert check(repo, registry(GRAFANA, NEWCOMER + "\n    protocol: udp",
                                NEWCOMER + "\n    environments: [production]")) == []


def test_moving_an_active_entry_directly_is_a_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA, MOCK), date=days_ago(20))])
    problems = check(repo, registry(GRAFANA, MOCK.replace("8090", "8020")))
    assert codes(problems) == [("warning", "moved-without-deprecation", 6)]


def test_removal_on_a_feature_branch_does_not_count_for_the_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(200)),
        Version(registry(GRAFANA, MOCKS), date=days_ago(2), branch="feature"),
    ])
    # At main the port is still deprecated: that, not a removal, is what the warning names.
    problems = check(repo, registry(GRAFANA, MOCKS, NEWCOMER))
    assert [p.code for p in problems] == ["port-reuse"]
    assert "has deprecated" in problems[0].message


def test_a_removal_on_the_base_after_the_branch_forked_counts(tmp_path: Path) -> None:
    # Checked out on the feature branch, as a contributor runs it before pushing: main
    # removed 8090 after the branch left it, so the branch's own history cannot know.
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(200)),
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS, PROMETHEUS), date=days_ago(20),
                branch="feature"),
        Version(registry(GRAFANA, MOCKS), date=days_ago(10), branch="main",
                message="Drop 8090"),
    ])
    git(repo, "checkout", "-q", "feature")
    problems = check(repo, registry(GRAFANA, MOCKS, PROMETHEUS, NEWCOMER))
    assert [p.code for p in problems] == ["port-reuse"]
    assert "left 10 days ago (removed on" in problems[0].message


def test_unknown_base_ref_is_a_portplan_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA))])
    with pytest.raises(PortplanError, match="'origin/main' is not a commit"):
        check(repo, registry(GRAFANA), base="origin/main")


def test_base_without_the_registry_finds_nothing(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [Version(files={"README.md": "x\n"})])
    assert check(repo, registry(GRAFANA, MOCK)) == []


def test_pure_rules_without_git() -> None:
    base = [Assignment("A", PortSpan.single(1)), Assignment("B", PortSpan.single(2))]
    current = Registry(ports=(Assignment("A", PortSpan.single(1)),))
    assert [p.code for p in base_problems(base, current, base_label="main")] == [
        "removed-without-deprecation"]
    base = [Assignment("B", PortSpan.single(2), status=Status.RESERVED)]
    assert base_problems(base, Registry(), base_label="main") == []


def test_renaming_the_service_in_place_is_only_a_warning() -> None:
    base = [Assignment("Grafna", PortSpan.single(3000))]
    current = Registry(ports=(Assignment("Grafana", PortSpan.single(3000)),))
    problems = base_problems(base, current, base_label="main")
    assert [(p.severity.value, p.code) for p in problems] == [("warning", "port-reuse")]
    assert "if 'Grafna' was renamed, ignore this" in problems[0].message


def test_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    from portplan.cli import main  # noqa: PLC0415

    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA, MOCK, PROMETHEUS))])
    (repo / "ports.yaml").write_text(registry(GRAFANA, PROMETHEUS))
    monkeypatch.chdir(repo)
    assert main(["check", "--base", "main"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("ports.yaml:6:11: error: 'Mock Coordinator API' (8090/tcp) was active "
                          "at main and is removed without being deprecated first;")
    assert main(["check", "--base", "main", "--format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=ports.yaml,line=6,col=11")
    (repo / "ports.yaml").write_text(registry(GRAFANA, MOCK, PROMETHEUS))
    assert main(["check", "--base", "main"]) == 0


def test_unknown_base_through_the_cli_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from portplan.cli import main  # noqa: PLC0415

    repo = make_repo(tmp_path / "r", [Version(registry(GRAFANA))])
    monkeypatch.chdir(repo)
    assert main(["check", "--base", "origin/main"]) == 2
    err = capsys.readouterr().err
    assert "'origin/main' is not a commit" in err
    assert "fetch-depth: 0" in err
    assert "Traceback" not in err


def test_on_a_github_style_merge_commit(tmp_path: Path) -> None:
    # GitHub checks out refs/pull/N/merge: a merge of the PR into the base, HEAD detached.
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK), date=days_ago(200)),
        Version(registry(GRAFANA, MOCK_DEPRECATED, MOCKS), date=days_ago(100)),
        Version(registry(GRAFANA, MOCKS), date=days_ago(10)),
        Version(registry(GRAFANA, MOCKS, NEWCOMER), date=days_ago(1), branch="feature",
                message="Give 8090 to the newcomer"),
    ])
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge abc into def", "feature",
        env={"GIT_AUTHOR_DATE": NOW.isoformat(), "GIT_COMMITTER_DATE": NOW.isoformat()})
    problems = check(repo, registry(GRAFANA, MOCKS, NEWCOMER))
    assert [p.code for p in problems] == ["port-reuse"]
    assert "left 10 days ago (removed on" in problems[0].message


def test_shallow_clone_warns_that_reuse_was_not_fully_checked(tmp_path: Path) -> None:
    upstream = make_repo(tmp_path / "up", [
        Version(registry(GRAFANA, MOCK), date=days_ago(20)),
        Version(registry(GRAFANA), date=days_ago(10)),
    ])
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{upstream}", str(clone))
    problems = check(clone, registry(GRAFANA, NEWCOMER), base="origin/main")
    assert [(p.code, p.line) for p in problems] == [("history-incomplete", 1)]
    assert "shallow" in problems[0].message
    assert "reuse of recently freed ports was not checked fully" in problems[0].message


# --- the registry renamed since the base; a base that does not load -------------------------

def check_at(repo: Path, path: str, text: str, base: str = "main") -> list[Problem]:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)
    loaded = load_registry(text.encode(), path)
    assert loaded.registry is not None, loaded.problems
    return check_against_base(repo, path, base, loaded.registry, today=TODAY)


def test_a_staged_rename_still_catches_a_removal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK, PROMETHEUS), date=days_ago(30))])
    (repo / "infra").mkdir()
    git(repo, "mv", "ports.yaml", "infra/ports.yaml")
    problems = check_at(repo, "infra/ports.yaml", registry(GRAFANA, PROMETHEUS))
    assert codes(problems) == [("error", "removed-without-deprecation", 6)]
    assert problems[0].file == "infra/ports.yaml"


def test_a_committed_rename_still_catches_a_removal_and_a_reuse(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version(registry(GRAFANA, MOCK, PROMETHEUS), date=days_ago(200)),
        Version(registry(GRAFANA, PROMETHEUS, MOCKS), date=days_ago(10), message="Drop 8090"),
        Version(registry(GRAFANA, PROMETHEUS, MOCKS), branch="feature", date=days_ago(1),
                rename_from="ports.yaml", path="infra/ports.yaml"),
    ])
    git(repo, "checkout", "-q", "feature")
    problems = check_at(repo, "infra/ports.yaml", registry(GRAFANA, MOCKS, NEWCOMER))
    assert codes(problems) == [("error", "removed-without-deprecation", 6),
                               ("warning", "port-reuse", 8)]
    assert "'Prometheus' (9090/tcp) was active at main" in problems[0].message
    assert "left 10 days ago (removed on" in problems[1].message


def test_an_unreadable_base_is_a_warning_and_the_rules_are_skipped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", [
        Version("version: 1\nports:\n  - port: 3000\n    service: [Grafana\n")])
    problems = check(repo, registry(MOCK))
    assert codes(problems) == [("warning", "base-unreadable", 1)]
    message = problems[0].message
    assert message.startswith("the registry at main (ports.yaml) could not be read, so the "
                              "checks against main (removals, port reuse) were skipped; reason: ")
    assert "YAML syntax error" in message


def test_an_unreadable_base_through_the_cli_still_checks_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from portplan.cli import main  # noqa: PLC0415

    repo = make_repo(tmp_path / "r", [Version("version: 1\nports: [\n")])
    monkeypatch.chdir(repo)
    (repo / "ports.yaml").write_text(registry(GRAFANA, PROMETHEUS))
    assert main(["check", "--base", "main"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("ports.yaml:1:1: warning: the registry at main (ports.yaml) "
                                   "could not be read")
    assert "Traceback" not in captured.err
    (repo / "ports.yaml").write_text(registry(GRAFANA, GRAFANA.replace("Grafana", "Loki")))
    assert main(["check", "--base", "main", "--format", "json"]) == 1
    assert {"base-unreadable", "port-conflict"} <= {
        p["code"] for p in json.loads(capsys.readouterr().out)}
