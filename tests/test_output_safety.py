"""Issue 8: what the command line prints, and the registry files it will not read."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import Version, make_repo
from portplan.cli import main
from portplan.exporting import to_services
from portplan.model import Assignment, PortSpan, Registry
from portplan.terminal import SafeStream, allow_workflow_commands

FORGED = 'version: 1\nports:\n  - port: 3000\n    service: "G\\n::error file=ports.yaml::x"\n' \
         '    owner: "\\e]0;title\\a"\n'


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_safe_stream_escapes_controls_and_defuses_workflow_commands_across_writes() -> None:
    inner = Tty()
    stream = SafeStream(inner)
    for part in ("a\x1b[2J\x9b", "b\n", "::error::x\n", "ok ::fine\n::", "warning::y\r\n"):
        stream.write(part)
    assert inner.getvalue() == ("a\\u001b[2J\\u009bb\n\\u003a:error::x\nok ::fine\n"
                                "\\u003a:warning::y\r\n")
    allow_workflow_commands(stream)
    stream.write("::error file=f::m\n")
    assert inner.getvalue().endswith("\n::error file=f::m\n")
    with pytest.raises(TypeError):
        stream.write(b"bytes")  # type: ignore[arg-type]  # click tells text streams apart so


def test_check_text_and_github_print_no_forged_workflow_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text(FORGED, encoding="utf-8")
    assert main(["check", "--registry", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "control-character" not in out  # codes are not printed in text
    assert "contains a line break (U+000A)" in out
    assert "contains a control character (U+001B)" in out
    assert not [line for line in (out + err).splitlines() if line.startswith("::")]
    assert "\x1b" not in out + err
    assert main(["check", "--registry", str(path), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.startswith("::error file=") for line in lines)


def test_check_json_names_the_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text('version: 1\nports:\n  - port: 3000\n    service: "A\\u202eB"\n'
                    '    description: |\n      tab\there is fine\n      and lines too\n',
                    encoding="utf-8")
    assert main(["check", "--registry", str(path), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["severity"], p["line"]) for p in problems] == [
        ("bidi-control", "warning", 4)]


def test_non_specific_tag_is_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nports:\n  - port: 8080\n    service: ! 8080\n",
                    encoding="utf-8")
    assert main(["export", "--registry", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["service"] == "8080"


def test_a_fifo_and_dev_zero_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "ports.yaml"
    os.mkfifo(fifo)
    refused = ((fifo, "a FIFO (named pipe)"), (Path("/dev/zero"), "a character device"))
    for registry, kind in refused:
        for command in (["check"], ["export", "--format", "json"]):
            # The timeout only keeps a broken build from hanging the suite; it asserts nothing.
            done = subprocess.run([sys.executable, "-m", "portplan", *command,
                                   "--registry", str(registry)], capture_output=True,
                                  text=True, timeout=120, check=False)
            assert done.returncode == 2, done.stderr
            assert f"it is {kind}, not a file" in done.stderr


def test_latin1_terminal_never_crashes(tmp_path: Path) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nports:\n  - port: 8080\n    service: Café ☕ 東京\n",
                    encoding="utf-8")
    for command in (["export", "--format", "markdown"], ["check"], ["free", "--count", "1"]):
        done = subprocess.run([sys.executable, "-m", "portplan", *command,
                               "--registry", str(path)], capture_output=True, check=False,
                              env={**os.environ, "PYTHONIOENCODING": "latin-1"})
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
    assert "Café \\u2615 \\u6771\\u4eac".encode("latin-1") in subprocess.run(
        [sys.executable, "-m", "portplan", "export", "--format", "markdown", "--registry",
         str(path)], capture_output=True, check=True,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"}).stdout


def test_an_unexpected_failure_exits_3_and_asks_for_a_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import portplan.commands.reading  # noqa: PLC0415

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(portplan.commands.reading, "check_file", broken)
    assert main(["export", "--format", "json"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError" in err
    assert err.rstrip().endswith("please report it on the project's issue tracker, with the "
                                 "command you ran and the lines above.")


def test_services_export_keeps_one_line_per_service() -> None:
    registry = Registry(ports=(
        Assignment("Web", PortSpan.single(80), name="web", environments=("a\n::error x",)),
        Assignment("Web", PortSpan.single(81), name="web", environments=("b",)),
    ))
    lines = to_services(registry).splitlines()
    assert len(lines) == 3 and lines[1].startswith("web-a-error-x ")


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_json_formats_stay_valid_json_in_a_narrow_terminal(tmp_path: Path, encoding: str) -> None:
    service = "Zoë 🔥 東京"
    before = "version: 1\nports:\n  - port: 8080\n    service: Grafana\n"
    make_repo(tmp_path, [Version(before, author="Zoë 日本 <z@example.org>", message="Add"),
                         Version(before.replace("Grafana", service), message="Rename 🔥")])
    for command in (["history", "--json"], ["diff", "HEAD~1", "HEAD", "--format", "json"],
                    ["export", "--format", "json"]):
        done = subprocess.run([sys.executable, "-m", "portplan", *command], cwd=tmp_path,
                              capture_output=True, check=False,
                              env={**os.environ, "PYTHONIOENCODING": encoding})
        assert done.returncode == 0, done.stderr
        document = json.loads(done.stdout.decode(encoding))  # no \xeb, no \U0001f525
        assert service in json.dumps(document, ensure_ascii=False), command
