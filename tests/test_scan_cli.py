"""`portplan scan` on the command line: formats, exit codes, settings and accepted findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import git, init_repo
from portplan.cli import main
from scanning import lay_out

REGISTRY = """\
version: 1
ports:
  - port: 8000
    service: Coordinator API
    env_var: COORDINATOR_PORT
"""
FILES = {
    ".env.example": "COORDINATOR_PORT=8001\n",
    "scripts/dev.sh": "uvicorn tools:app --port 7000\ncurl http://127.0.0.1:7001/\n",
}


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return lay_out(tmp_path, {"ports.yaml": REGISTRY, **FILES})


def test_text_lists_every_finding_like_check(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(repo, monkeypatch, capsys)
    assert code == 1
    assert out.splitlines() == [
        ".env.example:1:1: error: COORDINATOR_PORT is set to 8001 here, but the registry gives "
        "'Coordinator API' port 8000; no entry holds 8001. Set it to 8000 here, or change the "
        "entry in the registry, or accept it with a reason (docs/scan.md, 'Accepting a "
        "finding')",
        "scripts/dev.sh:1:26: error: this script listens on 7000/tcp (--port), but no entry in "
        "the registry holds it; add an entry for it to the registry, or accept it with a reason "
        "(docs/scan.md, 'Accepting a finding')",
        "scripts/dev.sh:2:23: warning: this script connects to 7001/tcp (URL), but no entry in "
        "the registry holds it; add the entry it points at, correct the port, or accept it with "
        "a reason (docs/scan.md, 'Accepting a finding')",
    ]
    assert err == ("portplan scan: 2 files read, 3 places, 2 errors, 1 warning, 0 accepted, "
                   "0 notices\n")


def test_github_annotations(repo: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(repo, monkeypatch, capsys, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("::error file=.env.example,line=1,col=1,title=portplan "
                               "env-var-port::COORDINATOR_PORT is set to 8001 here")
    assert lines[2].startswith("::warning file=scripts/dev.sh,line=2,col=23,title=portplan "
                               "unregistered-reference::this script connects to 7001/tcp")


def test_accepted_findings_and_warnings_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    registry = REGISTRY + """\
    accept:
      env-var-port: the example shows how to move it off the default
scan:
  ignore:
    - file: scripts/*.sh
      port: 7000
      reason: a local tool, never deployed
"""
    lay_out(tmp_path, {"ports.yaml": registry, **FILES})
    code, out, err = _run(tmp_path, monkeypatch, capsys, "--format", "json")
    assert code == 0  # the one left is a warning
    document = json.loads(out)
    assert [(f["file"], f["code"]) for f in document["findings"]] == [
        ("scripts/dev.sh", "unregistered-reference")]
    assert [(f["file"], f["accepted"]) for f in document["accepted"]] == [
        (".env.example", "the example shows how to move it off the default"),
        ("scripts/dev.sh", "a local tool, never deployed")]
    assert "0 errors, 1 warning, 2 accepted" in err
    assert _run(tmp_path, monkeypatch, capsys, "--strict")[0] == 1
    assert main(["check", "--registry", str(tmp_path / "ports.yaml")]) == 0


def test_paths_and_excludes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    registry = REGISTRY + "scan:\n  exclude: [scripts]\n"
    lay_out(tmp_path, {"ports.yaml": registry, **FILES})
    _, out, _ = _run(tmp_path, monkeypatch, capsys)
    assert [line.split(":")[0] for line in out.splitlines()] == [".env.example"]
    _, out, _ = _run(tmp_path, monkeypatch, capsys, "--exclude", ".env*")
    assert out == ""
    (tmp_path / "ports.yaml").write_text(REGISTRY, encoding="utf-8")
    _, out, _ = _run(tmp_path, monkeypatch, capsys, "scripts")
    assert [line.split(":")[0] for line in out.splitlines()] == ["scripts/dev.sh"] * 2


def test_in_a_repository_what_git_ignores_is_not_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = init_repo(tmp_path / "repo")
    lay_out(root, {"ports.yaml": REGISTRY, ".gitignore": "*.local.sh\n",
                   "run.local.sh": "uvicorn a --port 7100\n", "new.sh": "uvicorn a --port 7101\n",
                   "tracked.sh": "uvicorn a --port 7102\n"})
    git(root, "add", "ports.yaml", ".gitignore", "tracked.sh")
    git(root, "commit", "-qm", "start")
    _, out, _ = _run(root, monkeypatch, capsys, "--format", "json")
    # Tracked, and new files not ignored (about to be added); never the ignored one.
    assert [f["port"] for f in json.loads(out)["findings"]] == [7101, 7102]


@pytest.mark.parametrize(("settings", "message"), [
    ("scan: [apps]\n", "ports.yaml:6:7: error: scan must be a mapping"),
    ("scan:\n  skip: [x]\n", "ports.yaml:7:3: error: unknown key 'skip' in scan; use one of "
                            "paths, exclude, ignore"),
    ("scan:\n  ignore:\n    - file: a.sh\n",
     "ports.yaml:8:7: error: an item of scan.ignore needs 'file' (a path or glob) and "
     "'reason' (why the finding is accepted)"),
    ("scan:\n  ignore:\n    - {file: a.sh, port: http, reason: x}\n",
     "ports.yaml:8:26: error: scan.ignore port must be a port or LOW-HIGH"),
])
def test_wrong_settings_are_exit_2_with_their_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        settings: str, message: str) -> None:
    lay_out(tmp_path, {"ports.yaml": REGISTRY + settings})
    code, out, err = _run(tmp_path, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert message in err.splitlines()


def test_an_unreadable_registry_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(tmp_path, {"ports.yaml": "version: 1\nports: {}\n", **FILES})
    code, out, err = _run(tmp_path, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("ports.yaml:2:8: error:")
    assert "ports.yaml cannot be read, so `portplan scan` has nothing to work on" in err


def test_a_registry_with_an_unknown_key_is_refused_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Read leniently, the entry with the typo would be dropped and its port reported as drift.
    lay_out(tmp_path, {"ports.yaml": REGISTRY.replace("service:", "servce:", 1), **FILES})
    code, out, err = _run(tmp_path, monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert "unknown key 'servce'" in err and "`portplan scan` has nothing to work on" in err


def test_control_characters_in_file_names_never_reach_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    lay_out(tmp_path, {"ports.yaml": REGISTRY, "x\x1b[31m.sh": "uvicorn a --port 7200\n",
                       "::warning::x.sh": "uvicorn a --port 7201\n"})
    _, out, _ = _run(tmp_path, monkeypatch, capsys)
    assert "\x1b" not in out
    assert [line[:20] for line in out.splitlines()] == ["./::warning::x.sh:1:",
                                                        "x?[31m.sh:1:18: erro"]
