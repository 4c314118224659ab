"""A plan with errors between entries: what each command does with it, and where its
conflicts began (the story in tests/conflict_story.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conflict_story import Story, make_story, registry_at
from gitrepo import Version, make_repo, registry
from portplan.cli import main
from portplan.history import read_history
from portplan.problems import ProblemKind, Severity, between_entries, unreadable
from portplan.registry.acceptance import ACCEPTABLE
from portplan.registry.load import check_file, load_registry
from portplan.registry.rules import entry_conflicts
from portplan.site.plan_problems import PlanProblems, conflict_began, lineage


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return make_story(tmp_path_factory.mktemp("story") / "plan")


@pytest.fixture
def in_story(story: Story, monkeypatch: pytest.MonkeyPatch) -> Story:
    monkeypatch.chdir(story.project)
    return story


def test_kinds_split_unreadable_from_between_entries() -> None:
    broken = load_registry("version: 1\nports:\n  - {port: 80, service: A, colour: red}\n"
                           "  - {port: 80, service: B}\n")
    assert [(p.code, p.kind) for p in broken.problems] == [
        ("unknown-key", ProblemKind.UNREADABLE), ("port-conflict", ProblemKind.BETWEEN_ENTRIES)]
    assert not broken.readable
    assert [p.code for p in unreadable(broken.problems)] == ["unknown-key"]
    conflict = load_registry("version: 1\nports:\n  - {port: 80, service: A}\n"
                             "  - {port: 80, service: B}\n  - {port: 81, service: C, status: "
                             "deprecated, deprecation: {note: gone, replaced_by: 99}}\n")
    assert conflict.readable and not conflict.ok
    assert [p.code for p in between_entries(conflict.problems)] == [
        "port-conflict", "unknown-replacement"]


def test_each_conflict_begins_at_the_commit_that_made_it(story: Story) -> None:
    loaded = check_file(story.project / "ports.yaml")
    assert loaded.registry is not None
    history = read_history(story.project, Path("ports.yaml"))
    found = PlanProblems.find(loaded.registry, loaded.between_entries, history.events)
    began = {(c.conflict.earlier.service, c.conflict.later.service):
             c.began.sha if c.began else None for c in found.collisions}
    # The explorer's move (PR #7) began the 8100 conflict; describing the ledger later did
    # not begin it again. Widening host metrics to dev began the 9100 one.
    assert began == {("Ledger API", "Explorer"): story.explorer_collides,
                     ("Node exporter", "Host metrics"): story.metrics_collide}


def test_a_conflict_older_than_the_history_has_no_start(story: Story) -> None:
    # Seen from a history that begins with the conflict already there (a shallow clone).
    loaded = load_registry(registry_at(5))
    assert loaded.registry is not None
    history = read_history(story.project, Path("ports.yaml"))
    late = [e for e in history.events if e.commit.sha in story.shas[4:]]
    metrics = next(c for c in entry_conflicts(loaded.registry) if c.shared.low == 9100)
    assert lineage(metrics.later, late)  # the widening is in it...
    assert conflict_began(metrics, late) == late[0].commit  # ...and began it
    ledger = next(c for c in entry_conflicts(loaded.registry) if c.shared.low == 8100)
    assert conflict_began(ledger, late) is None


def test_check_still_fails(in_story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out.count(": error: ") == 3


@pytest.mark.parametrize("args", [["export", "--format", "json"], ["free", "--in", "8000-8010"],
                                  ["history", "8100"], ["diff", "HEAD~1"]])
def test_commands_work_across_them_with_a_note(in_story: Story, args: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out
    assert "3 error(s) between entries" in captured.err
    assert "port 8100/tcp is held by both 'Ledger API' (line 17) and 'Explorer'" in captured.err
    assert all(line.startswith(("/", "ports.yaml", "portplan: note:"))
               for line in captured.err.splitlines())


def test_export_shows_both_holders(in_story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "json"]) == 0
    held = [e["service"] for e in json.loads(capsys.readouterr().out) if e["port"] == 8100]
    assert held == ["Ledger API", "Explorer"]


def test_unreadable_registry_is_refused(in_story: Story, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    broken = tmp_path / "ports.yaml"
    broken.write_text(registry_at(5).replace("service: Explorer", "servce: Explorer"))
    for args in (["free"], ["history"], ["export", "--format", "csv"],
                 ["deprecate", "8100", "--note", "n"]):
        assert main([*args, "--registry", str(broken)]) == 2, args  # exit 2: nothing to work on
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "unknown key 'servce'" in captured.err
        assert "cannot be read" in captured.err


def test_deprecate_edits_a_plan_with_a_conflict_if_it_adds_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(registry_at(5), encoding="utf-8")
    # An edit that adds an error (a replacement no entry holds) is refused, file untouched;
    # only the new problem is named, not the conflicts the plan already had.
    assert main(["deprecate", "8020-8029", "--note", "Gone.", "--replaced-by", "9999",
                 "--registry", str(path)]) == 1
    err = capsys.readouterr().err
    assert "replaced_by port 9999, which is not in the registry" in err
    assert "held by both" not in err
    assert path.read_text(encoding="utf-8") == registry_at(5)
    assert main(["deprecate", "8020-8029", "--note", "Mocks move to containers.",
                 "--registry", str(path)]) == 0
    assert "Deprecated Mock & test services" in capsys.readouterr().out
    assert "note: Mocks move to containers." in path.read_text(encoding="utf-8")


def test_accepted_warning_passes_strict_and_is_kept(story: Story) -> None:
    loaded = load_registry(registry_at(5))
    assert all(p.severity is Severity.ERROR for p in loaded.problems)  # no warning left
    [accepted] = loaded.accepted
    assert accepted.problem.code == "ephemeral-port"
    assert accepted.reason.startswith("Field devices pin 50051")


def test_check_base_warning_can_be_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    recently = (dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).isoformat()
    repo = make_repo(tmp_path / "r", [
        Version(registry("port: 8090\n    service: Mock", "port: 8020\n    service: Mocks"),
                date=recently),
        Version(registry("port: 8020\n    service: Mocks"), date=recently, message="Drop 8090"),
    ])
    monkeypatch.chdir(repo)
    newcomer = "port: 8090\n    service: Newcomer"
    (repo / "ports.yaml").write_text(registry("port: 8020\n    service: Mocks", newcomer))
    assert main(["check", "--base", "main", "--strict", "--format", "json"]) == 1
    assert [p["code"] for p in json.loads(capsys.readouterr().out)] == ["port-reuse"]
    (repo / "ports.yaml").write_text(registry(
        "port: 8020\n    service: Mocks",
        newcomer + "\n    accept:\n      port-reuse: The old mock's clients are all gone."))
    assert main(["check", "--base", "main", "--strict", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_docs_name_every_acceptable_warning_and_their_example_passes() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "registry-format.md").read_text("utf-8")
    for code in ACCEPTABLE:
        assert f"`{code}`" in doc, code
    example = doc.split("### `accept`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    loaded = load_registry(f"version: 1\nports:\n{example}")
    assert loaded.problems == []
    assert [w.problem.code for w in loaded.accepted] == ["ephemeral-port"]


def test_a_long_note_names_the_first_ten(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    entries = "".join(f"  - {{port: {8000 + i}, service: A{i}}}\n"
                      f"  - {{port: {8000 + i}, service: B{i}}}\n" for i in range(12))
    path.write_text(f"version: 1\nports:\n{entries}", encoding="utf-8")
    assert main(["export", "--format", "csv", "--registry", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 11
    assert err[-1].startswith(f"portplan: note: {path} has 12 error(s) between entries "
                              "(2 more not shown here); `portplan export` works on it")
