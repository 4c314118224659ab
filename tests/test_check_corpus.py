"""The bad-input corpus: every broken registry in tests/corpus/invalid gives exactly its messages.

Each ``NAME.yaml`` is paired with ``NAME.expected``:

    exit: 1
    codes: tab-indent, tab-indent
    NAME.yaml:3:1: error: tab character in indentation; ...

line 1 is the exit status of ``portplan check``, line 2 the problem codes in output order (from
``--format json``), and the rest exactly what ``portplan check --format text`` prints.
Regenerate with ``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_check_corpus.py``, then read every
changed message before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from portplan.cli import main

CORPUS = Path(__file__).parent / "corpus"
INVALID = CORPUS / "invalid"
VALID = CORPUS / "valid"
UPDATE = os.environ.get("PORTPLAN_UPDATE_GOLDENS") == "1"
CASES = sorted(p.name for p in INVALID.glob("*.yaml"))


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def observed(capsys: pytest.CaptureFixture[str], name: str) -> str:
    code, text, err = run_check(capsys, "--registry", name, "--format", "text")
    assert "Traceback" not in text + err
    json_code, out, _ = run_check(capsys, "--registry", name, "--format", "json")
    problems = json.loads(out)
    assert json_code == code
    # The two formats report the same problems in the same order.
    assert [f"{p['file']}:{p['line']}:{p['column']}: {p['severity']}: {p['message']}"
            for p in problems] == text.splitlines()
    codes = ", ".join(p["code"] for p in problems)
    return f"exit: {code}\ncodes: {codes}\n{text}"


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30


def test_libyaml_is_present() -> None:
    # The syntax-error goldens quote libyaml's wording (PyYAML's wheels bundle libyaml); the
    # pure-Python parser words them differently, so say so plainly rather than fail obscurely.
    assert yaml.__with_libyaml__, "PyYAML was built without libyaml; reinstall it from a wheel"


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INVALID)
    got = observed(capsys, name)
    expected_file = INVALID / name.replace(".yaml", ".expected")
    if UPDATE:
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
    # A broken registry never passes silently: it has problems, and never crashes.
    assert got.splitlines()[2:], "every corpus case must report at least one problem"


@pytest.mark.parametrize("name", sorted(p.name for p in VALID.glob("*.yaml")))
def test_valid_fixture_passes_clean(name: str, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(VALID)
    code, out, err = run_check(capsys, "--registry", name, "--strict")
    assert (code, out) == (0, "")
    assert err == f"portplan check: {name}: no problems\n"


def test_every_expected_file_has_its_registry() -> None:
    orphans = [p.name for p in INVALID.glob("*.expected")
               if not p.with_suffix(".yaml").exists()]
    assert orphans == []


def _big_registry(entries: int, duplicate_at: int) -> str:
    lines = ["version: 1", "ports:"]
    for i in range(entries):
        lines += [f"  - port: {1 + i}",
                  f"    service: Generated service number {i}",
                  "    description: A generated entry that pads the file to a realistic size.",
                  "    location: apps/generated/service/with/a/long/path/"]
        if i == duplicate_at:
            lines.append("    service: Duplicate service key")
    return "\n".join(lines) + "\n"


def test_five_megabyte_registry_with_one_duplicate_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = _big_registry(30000, duplicate_at=29990)
    assert len(text.encode()) > 5_000_000
    (tmp_path / "ports.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_check(capsys)
    line = 2 + 4 * 29990 + 5  # the header, 29,990 four-line entries, then the fifth line
    assert code == 1
    assert out == (
        f"ports.yaml:{line}:5: error: duplicate key 'service' in ports entry 29991 (first at "
        f"line {line - 3}, column 5); YAML would silently keep only the last one: remove one "
        "of them\n")
    assert err == "portplan check: ports.yaml: 1 error, 0 warnings\n"


def test_five_megabyte_scalar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text("version: 1\nports:\n  - port: 8080\n    service: Web\n"
                        f"    description: {'x' * 5_000_000}\n    port: 8081\n",
                        encoding="utf-8")
    code, out, _ = run_check(capsys, "--registry", str(registry))
    assert code == 1
    assert out == (f"{registry}:6:5: error: duplicate key 'port' in ports entry 1 (first at "
                   "line 3, column 5); YAML would silently keep only the last one: remove one "
                   "of them\n")


def test_a_million_open_brackets_do_not_crash(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # libyaml's own composer segfaults on this; ours stops at the nesting limit.
    registry = tmp_path / "ports.yaml"
    registry.write_text("version: 1\nports: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
                        encoding="utf-8")
    code, out, _ = run_check(capsys, "--registry", str(registry))
    assert code == 1
    assert out == (f"{registry}:2:27: error: the YAML nests more than 20 levels deep here; a "
                   "registry needs 4 (top level, ports, entry, deprecation): flatten it\n")
