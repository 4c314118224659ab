"""The CLI boundary: exit codes and no traceback, whatever the environment does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portplan.cli import main


def test_a_vanished_working_directory_is_exit_2_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    before = Path.cwd()
    os.chdir(gone)
    gone.rmdir()
    try:
        code = main(["check"])
    finally:
        os.chdir(before)
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("portplan: error: No such file or directory")
    assert "Traceback" not in err


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek"]) == 2
    assert "No such command 'chek'" in capsys.readouterr().err
