"""`portplan diff` in real repositories: revisions, the working tree, the default base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import Version, commit, git, make_repo, registry
from portplan.cli import main

V1 = registry("port: 3000\n    service: Grafana", "port: 8090\n    service: Mock Coordinator API")
V2 = registry("port: 3000\n    service: Grafana\n    role: ui",
              "port: 8020\n    service: Mock Coordinator API")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", [
        Version(V1, message="Start the plan", date="2026-03-01T10:00:00+09:00"),
        Version(V2, message="Move the mock", date="2026-03-02T10:00:00-05:00"),
    ])


def run_diff(repo: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(repo)
    return main(["diff", *args])


def test_between_two_revisions(repo: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run_diff(repo, "HEAD~1", "HEAD", "--format", "json", monkeypatch=monkeypatch) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["base"].startswith("HEAD~1 (")
    assert [(c["kind"], c["port"], c["service"]) for c in out["changes"]] == [
        ("changed", 3000, "Grafana"), ("moved", 8020, "Mock Coordinator API")]
    assert out["changes"][1]["from_port"] == 8090


def test_against_the_working_tree(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ports.yaml").write_text(V2 + "  - port: 9090\n    service: Prometheus\n")
    assert run_diff(repo, "HEAD", "--format", "text", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.endswith("→ working tree\nadded        9090 tcp Prometheus\n")


def test_default_base_is_the_merge_base_with_main(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    main_tip = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, Version(V2 + "  - port: 9090\n    service: Prometheus\n", branch="feature",
                         message="Add Prometheus"))
    # main moves on after the branch: its new entry must not show up as removed
    commit(repo, Version(V2 + "  - port: 5173\n    service: Web\n", branch="main",
                         message="Add Web"))
    git(repo, "checkout", "-q", "feature")
    assert run_diff(repo, "--format", "text", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out == (f"merge base with main ({main_tip[:7]}) → working tree\n"
                   "added        9090 tcp Prometheus\n")


def test_markdown_goes_to_the_github_job_summary(repo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run_diff(repo, "HEAD~1", "HEAD", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "### Moved\n\n- **Mock Coordinator API**: 8090 → 8020 (tcp)\n" in out
    assert summary.read_text() == "# Earlier step\n" + out + "\n"


def test_site_url_from_mkdocs_yml_links_ports(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "mkdocs.yml").write_text(
        "site_name: Ports\nsite_url: https://ports.example.org/\nmarkdown_extensions:\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    assert run_diff(repo, "HEAD~1", "HEAD", monkeypatch=monkeypatch) == 0
    assert ("[8090](https://ports.example.org/ports/8090/) → "
            "[8020](https://ports.example.org/ports/8020/)") in capsys.readouterr().out
    assert run_diff(repo, "HEAD~1", "HEAD", "--site-url", "https://x.test/p",
                    monkeypatch=monkeypatch) == 0
    assert "[8020](https://x.test/p/ports/8020/)" in capsys.readouterr().out


def test_base_before_the_registry_existed_lists_everything_added(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", [Version(files={"README.md": "hi\n"}, message="init"),
                                      Version(V1, message="Add the plan")])
    assert run_diff(repo, "HEAD~1", "HEAD", "--format", "text", monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.count("added ") == 2


def test_unknown_revision_is_exit_2_with_a_clear_message(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_diff(repo, "origin/nope", monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert "'origin/nope' is not a commit" in err
    assert "fetch-depth: 0" in err
    assert "Traceback" not in err


def test_outside_a_repository_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ports.yaml").write_text(V1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff", "HEAD"]) == 2
    assert "not a git repository" in capsys.readouterr().err.lower()


def test_no_default_branch_asks_for_a_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", [Version(V1)])
    git(repo, "branch", "-m", "main", "trunk")
    assert run_diff(repo, monkeypatch=monkeypatch) == 2
    assert "name the base, e.g. `portplan diff origin/main`" in capsys.readouterr().err


def test_an_option_looking_revision_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run_diff(repo, "--", "--output=/tmp/x", monkeypatch=monkeypatch) == 2
    assert "'--output=/tmp/x' is not a revision" in capsys.readouterr().err


# --- the registry renamed, a broken base, an unwritable summary, no work-tree file ------------

V3 = V2 + "  - port: 9090\n    service: Prometheus\n"


def test_a_staged_rename_reads_the_base_at_the_old_path(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "infra").mkdir()
    git(repo, "mv", "ports.yaml", "infra/ports.yaml")
    (repo / "infra" / "ports.yaml").write_text(V3)
    assert run_diff(repo, "HEAD", "--registry", "infra/ports.yaml", "--format", "text",
                    monkeypatch=monkeypatch) == 0
    # not "everything added": only Prometheus is new
    assert capsys.readouterr().out.endswith("→ working tree\nadded        9090 tcp Prometheus\n")


def test_a_committed_rename_between_two_revisions(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repo, Version(V3, rename_from="ports.yaml", path="infra/ports.yaml",
                         message="Move the registry"))
    assert run_diff(repo, "HEAD~1", "HEAD", "--registry", "infra/ports.yaml", "--format", "text",
                    monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.endswith("\nadded        9090 tcp Prometheus\n")
    # the branch's base, from the work tree (committed rename, no staged change)
    assert run_diff(repo, "HEAD~1", "--registry", "infra/ports.yaml", "--format", "text",
                    monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.endswith("→ working tree\nadded        9090 tcp Prometheus\n")


BROKEN = "version: 1\nports:\n  - port: 3000\n    service: [Grafana\n"


def test_an_unreadable_base_is_a_note_not_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "r", [Version(BROKEN, message="Break main")])
    (repo / "ports.yaml").write_text(V1)  # the pull request repairs it
    assert run_diff(repo, "main", monkeypatch=monkeypatch) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[2].startswith("> **Note:** the registry at main (ports.yaml) could not be read, "
                               "so every entry is compared with an empty registry (shown as "
                               "added); reason: ")
    assert "YAML syntax error" in lines[2]
    assert "2 changes: 2 added." in captured.out
    assert "Traceback" not in captured.err
    assert run_diff(repo, "main", "--format", "json", monkeypatch=monkeypatch) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["notes"]) == 1
    assert [c["kind"] for c in out["changes"]] == ["added", "added"]
    assert run_diff(repo, "main", "--format", "text", monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith(
        "note: the registry at main (ports.yaml) could not be read")


@pytest.mark.parametrize("where", ["missing/summary.md", "."])
def test_an_unwritable_job_summary_is_exit_2_with_a_message(
        repo: Path, tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / where))
    assert run_diff(repo, "HEAD~1", "HEAD", monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert "portplan: error: cannot append to the job summary GITHUB_STEP_SUMMARY=" in err
    assert "point it at a writable file, or unset it" in err
    assert "Traceback" not in err


def test_two_revisions_need_no_registry_in_the_work_tree(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ports.yaml").unlink()
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    assert main(["diff", "HEAD~1", "HEAD", "--format", "text"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "changed      3000 tcp Grafana", '              role: (none) → "ui"',
        "moved        8090 → 8020 tcp Mock Coordinator API"]
    # against the working tree the file is still needed
    assert main(["diff", "HEAD"]) == 2
    assert "no ports.yaml" in capsys.readouterr().err


def test_swaps_and_rotations_are_named_as_in_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def plan(*held: tuple[int, str]) -> str:
        return registry(*(f"port: {port}\n    service: {name}" for port, name in held))
    make_repo(tmp_path, [
        Version(plan((8200, "Vault"), (8300, "Consul"), (8103, "A"), (8104, "B"), (8105, "C"),
                     (9000, "DNS"))),
        Version(plan((8300, "Vault"), (8200, "Consul"), (8104, "A"), (8105, "B"), (8103, "C"),
                     (9001, "DNS")), message="Swap, rotate, move"),
    ])
    assert run_diff(tmp_path, "HEAD~1", "HEAD", "--format", "text", monkeypatch=monkeypatch) == 0
    text = capsys.readouterr().out
    assert "moved        8200 → 8300 tcp Vault\n              swapped with 8300\n" in text
    assert "moved        8105 → 8103 tcp C\n              rotated 8105 -> 8103 -> 8104\n" in text
    assert "moved        9000 → 9001 tcp DNS\n" in text and text.count("swapped") == 2
    assert run_diff(tmp_path, "HEAD~1", "HEAD", monkeypatch=monkeypatch) == 0
    markdown = capsys.readouterr().out
    assert "- **Consul**: 8300 → 8200 (tcp)\n  - swapped with 8200\n" in markdown
    assert "- **DNS**: 9000 → 9001 (tcp)\n" in markdown and markdown.count("rotated") == 3
    assert run_diff(tmp_path, "HEAD~1", "HEAD", "--format", "json", monkeypatch=monkeypatch) == 0
    assert {c["kind"] for c in json.loads(capsys.readouterr().out)["changes"]} == {"moved"}


def test_an_unreadable_working_tree_is_refused_not_shown_as_removals(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Read leniently, the mistyped key and the bad port would read as "Grafana removed".
    (repo / "ports.yaml").write_text(V2.replace("service: Grafana", "servic: Grafana")
                                     .replace("port: 8020", "port: 99999"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run_diff(repo, "HEAD", monkeypatch=monkeypatch) == 2
    out, err = capsys.readouterr()
    assert out == "" and "removed" not in err
    assert "ports.yaml:5:5: error: unknown key 'servic'" in err
    assert "99999, out of range" in err
    assert err.rstrip().endswith("portplan: error: the registry ports.yaml cannot be read, so "
                                 "there is no change to summarise; fix it first (`portplan "
                                 "check` lists every problem)")
    written = summary.read_text("utf-8")  # the reviewer learns why there is no summary
    assert "**Not summarised:**" in written and "unknown key 'servic'" in written


def test_an_unreadable_head_revision_is_refused_too(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    commit(repo, Version(V2 + "  - port: 9090\n    servic: Prometheus\n", message="Typo"))
    assert run_diff(repo, "HEAD~1", "HEAD", "--format", "json", monkeypatch=monkeypatch) == 2
    out, err = capsys.readouterr()
    assert out == "" and "unknown key 'servic'" in err
    assert "the registry in HEAD (" in err and ":ports.yaml) cannot be read" in err


def test_errors_between_entries_still_give_a_diff_with_a_note(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ports.yaml").write_text(V2 + "  - port: 3000\n    service: Loki\n", encoding="utf-8")
    assert run_diff(repo, "HEAD", "--format", "text", monkeypatch=monkeypatch) == 0
    out, err = capsys.readouterr()
    assert out.endswith("added        3000 tcp Loki\n")
    assert "held by both 'Grafana'" in err and "`portplan diff` works on it as it is" in err
