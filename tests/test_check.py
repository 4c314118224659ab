"""`portplan check`: formats, exit codes, --strict, registry lookup, --base, and report.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portplan.cli import main
from portplan.problems import Problem, Severity
from portplan.report import render, summary

BAD = ("version: 1\nports:\n  - port: 0\n    service: Web\n"
       "  - port: 50000\n    service: High\n")
WARN_ONLY = "version: 1\nports:\n  - port: 50000\n    service: High\n"
EPHEMERAL = ("port 50000 of 'High' is in the Linux ephemeral range 32768-60999 and the IANA "
             "dynamic range 49152-65535, where the OS hands out client ports; pick a port below "
             "32768 (`portplan free`)")


@pytest.fixture
def in_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # a work-tree root marker is all the lookup needs
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "ports.yaml").write_text(BAD)
    assert run(capsys) == (
        1,
        "ports.yaml:3:11: error: port of 'Web' is 0, out of range; ports run from 1 to 65535\n"
        f"ports.yaml:5:11: warning: {EPHEMERAL}\n",
        "portplan check: ports.yaml: 1 error, 1 warning\n")


def test_json_format(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "ports.yaml").write_text(BAD)
    code, out, err = run(capsys, "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {"file": "ports.yaml", "line": 3, "column": 11, "severity": "error",
         "code": "port-out-of-range",
         "message": "port of 'Web' is 0, out of range; ports run from 1 to 65535"},
        {"file": "ports.yaml", "line": 5, "column": 11, "severity": "warning",
         "code": "ephemeral-port", "message": EPHEMERAL},
    ]
    assert err == "portplan check: ports.yaml: 1 error, 1 warning\n"


def test_json_format_with_no_problems_is_an_empty_array(
        in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "ports.yaml").write_text("version: 1\nports: []\n")
    assert run(capsys, "--format", "json") == (
        0, "[]\n", "portplan check: ports.yaml: no problems\n")


def test_github_format(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "ports.yaml").write_text(BAD)
    code, out, _ = run(capsys, "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=ports.yaml,line=3,col=11,title=portplan port-out-of-range::port of 'Web' "
        "is 0, out of range; ports run from 1 to 65535",
        f"::warning file=ports.yaml,line=5,col=11,title=portplan ephemeral-port::{EPHEMERAL}",
    ]


def test_github_escapes_data_and_properties() -> None:
    problem = Problem("dir,a:b/100%.yaml", 1, 2, Severity.ERROR, "x",
                      "50% done\r\nnext: line, here")
    assert render([problem], "github") == (
        "::error file=dir%2Ca%3Ab/100%25.yaml,line=1,col=2,title=portplan x"
        "::50%25 done%0D%0Anext: line, here\n")


def test_github_paths_are_relative_to_the_workspace(
        in_repo: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sub = in_repo / "infra"
    sub.mkdir()
    (sub / "ports.yaml").write_text(BAD)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(in_repo))
    monkeypatch.chdir(sub)
    _, out, _ = run(capsys, "--format", "github", "--registry", "ports.yaml")
    assert out.startswith("::error file=infra/ports.yaml,line=3,col=11,")


def test_warnings_pass_unless_strict(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "ports.yaml").write_text(WARN_ONLY)
    assert run(capsys)[0] == 0
    assert run(capsys, "--strict") == (
        1, f"ports.yaml:3:11: warning: {EPHEMERAL}\n",
        "portplan check: ports.yaml: 0 errors, 1 warning\n")


def test_the_registry_is_found_at_the_repository_root(
        in_repo: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (in_repo / "ports.yaml").write_text(BAD)
    deep = in_repo / "apps" / "web"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    code, out, err = run(capsys)
    assert code == 1
    assert out.startswith("../../ports.yaml:3:11: error: ")
    assert err == "portplan check: ../../ports.yaml: 1 error, 1 warning\n"


def test_a_registry_in_the_current_directory_wins(
        in_repo: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (in_repo / "ports.yaml").write_text(BAD)
    (in_repo / "sub").mkdir()
    (in_repo / "sub" / "ports.yaml").write_text("version: 1\nports: []\n")
    monkeypatch.chdir(in_repo / "sub")
    assert run(capsys) == (0, "", "portplan check: ports.yaml: no problems\n")


def test_no_registry_anywhere_is_exit_2(in_repo: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys) == (
        2, "", f"portplan: error: no ports.yaml in {in_repo} or at the root of its git "
               "repository; run portplan there, or pass the file with --registry FILE\n")


def test_unreadable_registry_is_exit_2(in_repo: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (in_repo / "adir").mkdir()
    code, out, err = run(capsys, "--registry", "adir")
    assert (code, out) == (2, "")
    assert err == ("portplan: error: cannot read the registry adir: it is a directory, not a "
                   "file; pass the path of the YAML file with --registry\n")


def test_bad_format_is_a_usage_error(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "xml")
    assert (code, out) == (2, "")
    assert "Invalid value for '--format': 'xml' is not one of 'github', 'json', 'text'." in err


def test_base_ref_that_does_not_exist_is_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00", "PATH": "/usr/bin:/bin"}
    (tmp_path / "ports.yaml").write_text("version: 1\nports: []\n")
    for args in (["init", "-q", "-b", "main"], ["add", "ports.yaml"],
                 ["commit", "-q", "-m", "registry"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--base", "no-such-ref")
    assert (code, out) == (2, "")
    assert err.startswith("portplan: error: 'no-such-ref' is not a commit")
    assert run(capsys, "--base", "main") == (0, "", "portplan check: ports.yaml: no problems\n")


def test_summary_counts() -> None:
    def problem(severity: Severity) -> Problem:
        return Problem("f", 1, 1, severity, "c", "m")

    assert summary([]) == "no problems"
    assert summary([problem(Severity.ERROR)] * 2 + [problem(Severity.WARNING)]) == (
        "2 errors, 1 warning")


@pytest.mark.parametrize("name", ["invalid-utf8.yaml", "deep-nesting.yaml", "tabs.yaml"])
def test_console_script_never_prints_a_traceback(name: str) -> None:
    corpus = Path(__file__).parent / "corpus" / "invalid"
    result = subprocess.run([sys.executable, "-m", "portplan", "check", "--registry", name],
                            cwd=corpus, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (corpus / name.replace(".yaml", ".expected")).read_text(encoding="utf-8")
    assert result.stdout == "".join(expected.splitlines(keepends=True)[2:])


def test_the_output_pasted_in_the_docs_is_what_check_prints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "registry-format.md").read_text(encoding="utf-8")
    registry = doc.split("Given this registry:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "ports.yaml").write_text(registry, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    sessions = [block.split("```", 1)[0] for block in doc.split("```console\n")[1:]]
    assert len(sessions) == 3
    for session in sessions:
        command, *shown = session.split("\n$ echo $?")[0].splitlines()
        args = command.removeprefix("$ portplan ").split()
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 1
        assert shown == (out + err).splitlines()
