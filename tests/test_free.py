"""`portplan free`: never a held, reserved-by-range or ephemeral port."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.cli import main
from portplan.free_ports import DEFAULT_WINDOW, find_free
from portplan.model import Assignment, PortSpan, Range, Registry, Status

REGISTRY = Registry(ports=(
    Assignment("Active", PortSpan.single(8000)),
    Assignment("Planned", PortSpan.single(8001), status=Status.PLANNED),
    Assignment("Reserved", PortSpan.single(8002), status=Status.RESERVED),
    Assignment("Deprecated", PortSpan.single(8003), status=Status.DEPRECATED),
    Assignment("Dev only", PortSpan.single(8004), environments=("dev",)),
    Assignment("UDP only", PortSpan.single(8005), protocols=("udp",)),
    Assignment("Block", PortSpan(8006, 8009)),
    Assignment("Both", PortSpan.single(8011), protocols=("tcp", "udp")),
    Assignment("No port"),
), ranges=(Range(PortSpan(8020, 8029), "Mocks"),))


def test_skips_every_status_environment_and_block() -> None:
    assert find_free(REGISTRY, PortSpan(8000, 8099), count=3).ports == (8005, 8010, 8012)


def test_honours_the_protocol() -> None:
    assert find_free(REGISTRY, PortSpan(8000, 8099), protocol="udp", count=4).ports == (
        8000, 8001, 8002, 8003)
    assert 8005 not in find_free(REGISTRY, PortSpan(8005, 8005), protocol="udp").ports
    assert find_free(REGISTRY, PortSpan(8011, 8011), protocol="udp").ports == ()
    assert find_free(REGISTRY, PortSpan(8000, 8099), protocol="sctp").ports == (8000,)


def test_declared_ranges_are_kept_for_their_purpose() -> None:
    around = find_free(REGISTRY, PortSpan(8012, 8099), count=10)
    assert all(not 8020 <= p <= 8029 for p in around.ports)
    assert around.in_ranges == ("8020-8029 (Mocks)",)
    inside = find_free(REGISTRY, PortSpan(8020, 8029), count=2)
    assert inside.ports == (8020, 8021)


def test_never_ephemeral() -> None:
    result = find_free(Registry(), PortSpan(32760, 65535), count=100)
    assert result.ports == tuple(range(32760, 32768))
    assert result.ephemeral == 65535 - 32768 + 1


def test_default_window_is_unprivileged_and_below_ephemeral() -> None:
    assert PortSpan(1024, 32767) == DEFAULT_WINDOW
    assert find_free(Registry()).ports == (1024,)


def registry_file(tmp_path: Path) -> Path:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nranges:\n  - {range: 8020-8029, purpose: Mocks}\nports:\n"
                    "  - {port: 8000, service: A}\n"
                    "  - {port: 8001, service: B, status: planned}\n"
                    "  - {port: 8002, service: C, status: deprecated, deprecation: {note: x}}\n"
                    "  - {port: 8003, service: D, status: reserved}\n")
    return path


def test_command_prints_one_port_a_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_file(tmp_path)
    assert main(["free", "--in", "8000-8099", "--count", "3", "--registry", str(path)]) == 0
    assert capsys.readouterr().out == "8004\n8005\n8006\n"


def test_command_none_free_is_exit_1_with_reason(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_file(tmp_path)
    assert main(["free", "--in", "8000-8003", "--registry", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "only 0 of 1 ports are free in 8000-8003 for tcp; widen --in" in captured.err


def test_command_ephemeral_window_is_a_usage_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_file(tmp_path)
    assert main(["free", "--in", "40000-50000", "--registry", str(path)]) == 2
    assert "lies in the ephemeral ports" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--in", "9-3"], ["--in", "abc"], ["--count", "0"],
                                  ["--protocol", "icmp"]])
def test_command_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    assert main(["free", *args, "--registry", str(registry_file(tmp_path))]) == 2


def test_command_on_the_bundled_registry(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = Path(__file__).parents[1] / "ports.yaml"
    assert main(["free", "--in", "8000-8099", "--count", "2", "--registry", str(bundled)]) == 0
    assert capsys.readouterr().out == "8000\n8001\n"


def test_default_registry_is_found_from_a_subdirectory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    registry_file(tmp_path)
    (tmp_path / ".git").mkdir()  # what `check` looks for; no git process is run
    (tmp_path / "apps").mkdir()
    monkeypatch.chdir(tmp_path / "apps")
    assert main(["free", "--in", "8000-8099"]) == 0
    assert capsys.readouterr().out == "8004\n"
    monkeypatch.chdir(tmp_path.parent)
    assert main(["free"]) == 2
