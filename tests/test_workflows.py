"""The CI workflows and the pre-commit hook call commands that exist, with options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from portplan.cli import cli

ROOT = Path(__file__).parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
SEPARATORS = {"&&", "||", ";", "|"}


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(script: str) -> list[list[str]]:
    """Each simple command of a shell script, as argv, redirections dropped."""
    found: list[list[str]] = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        current: list[str] = []
        skip_next = False
        for word in [*words, ";"]:
            if skip_next:
                skip_next = False
            elif word in (">", ">>", "2>", "<"):
                skip_next = True
            elif word in SEPARATORS:
                if current:
                    found.append(current)
                current = []
            else:
                current.append(word)
    return found


def portplan_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(load(path)):
            for argv in commands(step.get("run", "")):
                if argv[0] == "portplan":
                    found.append((path.name, argv))
    return found


def parse(argv: list[str]) -> click.Context:
    """Parse argv with portplan's own click objects, as the real command line would."""
    assert argv[0] == "portplan"
    name, *args = argv[1:]
    assert isinstance(cli, click.Group)
    assert name in cli.commands, f"portplan has no command {name!r}"
    return cli.commands[name].make_context(f"portplan {name}", list(args))


def test_workflows_run_portplan() -> None:
    names = {(file, argv[1]) for file, argv in portplan_commands()}
    assert {("pr.yml", "check"), ("pr.yml", "diff"), ("pr.yml", "scan"),
            ("pages.yml", "check")} <= names


@pytest.mark.parametrize(("file", "argv"), portplan_commands(),
                         ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_each_portplan_command_parses(file: str, argv: list[str]) -> None:
    context = parse(argv)
    assert context.command.name == argv[1]


def test_parse_rejects_what_portplan_would_reject() -> None:
    # The check above is only worth something if a wrong option fails it.
    with pytest.raises(click.UsageError):
        parse(["portplan", "check", "--bsae", "origin/main"])
    with pytest.raises(click.BadParameter):
        parse(["portplan", "check", "--format", "gitlab"])
    with pytest.raises(AssertionError, match="no command"):
        parse(["portplan", "lint"])


def test_pull_request_workflow() -> None:
    workflow = load(WORKFLOWS / "pr.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    runs = [argv for _, argv in portplan_commands() if _ == "pr.yml"]
    check = next(argv for argv in runs if argv[1] == "check")
    context = parse(check)
    assert context.params["format_"] == "github"  # inline annotations
    assert context.params["base"] == "$BASE"
    assert workflow["jobs"]["registry"]["env"]["BASE"] == "origin/${{ github.base_ref }}"
    assert any(argv[1] == "diff" and argv[2] == "$BASE" for argv in runs)
    checkout = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_pages_workflow_builds_with_full_history_and_deploys() -> None:
    workflow = load(WORKFLOWS / "pages.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]
    uses = [s.get("uses", "") for s in build["steps"]]
    checkout = build["steps"][uses.index("actions/checkout@v4")]
    assert checkout["with"]["fetch-depth"] == 0
    assert build["env"]["NO_MKDOCS_2_WARNING"] == "1"
    runs = [argv for s in build["steps"] for argv in commands(s.get("run", ""))]
    assert ["mkdocs", "build", "--strict"] in runs
    assert ["pip", "install", "."] in runs
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_workflow_commands_are_the_documented_ones() -> None:
    # CI runs what the docs tell contributors to run, so a passing PR means the same locally.
    docs = "".join((ROOT / "docs" / page).read_text(encoding="utf-8")
                   for page in ("proposing-changes.md", "site.md"))
    for _, argv in portplan_commands():
        shown = " ".join(a if not a.startswith("$") else "origin/main" for a in argv)
        assert shown.split(" --format")[0] in docs, shown


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["portplan-check", "portplan-scan"]
    scan = hooks[1]
    assert parse(shlex.split(scan["entry"])).command.name == "scan"
    assert (scan["always_run"], scan["pass_filenames"]) == (True, False)
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    argv = shlex.split(hook["entry"])
    assert parse(argv).command.name == "check"
    files = re.compile(hook["files"])
    assert files.search("ports.yaml")
    assert files.search("infra/ports.yaml")
    assert not files.search("myports.yaml")
    assert not files.search("ports.yaml.bak")


def test_shell_splitting_helper() -> None:
    assert commands('pip install . && portplan diff "$BASE" >> "$GITHUB_STEP_SUMMARY"\n# x') == [
        ["pip", "install", "."], ["portplan", "diff", "$BASE"]]


def test_pull_request_workflow_runs_the_test_suite_through_ci_run() -> None:
    job = load(WORKFLOWS / "pr.yml")["jobs"]["tests"]
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert runs == [".ci/run"]
    script = ROOT / ".ci" / "run"
    assert script.is_file()
    assert script.stat().st_mode & 0o111, ".ci/run must be executable"
    assert job["container"].endswith("bookworm")  # Debian's chromium, as .ci/run installs


def test_each_mkdocs_command_parses() -> None:
    from mkdocs.__main__ import cli as mkdocs_cli  # noqa: PLC0415 - only this test needs it

    found = [argv for path in sorted(WORKFLOWS.glob("*.yml")) for step in steps(load(path))
             for argv in commands(step.get("run", "")) if argv[0] == "mkdocs"]
    assert found, "the workflows build the site"
    for argv in found:
        assert isinstance(mkdocs_cli, click.Group)
        context = mkdocs_cli.commands[argv[1]].make_context(f"mkdocs {argv[1]}", argv[2:])
        assert context.params["strict"] is True, "the published site is built with --strict"
