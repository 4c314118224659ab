"""One parser for ports on the command line: every command accepts and refuses alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.cli import main
from portplan.model import PortSpan
from portplan.port_arguments import parse_port, parse_span
from portplan.problems import PortplanError

REGISTRY = "version: 1\nports:\n  - port: 8090\n    service: Mock\n"


def test_the_rule() -> None:
    assert parse_span(" 8090 ") == PortSpan(8090, 8090)
    assert parse_port("8020-8029/TCP") == (PortSpan(8020, 8029), "tcp")
    assert parse_port("53/udp") == (PortSpan(53, 53), "udp")
    assert parse_port("53") == (PortSpan(53, 53), None)
    for bad in ("0", "65536", "123456", "1" * 5000, "9-3", "x", "-1", "80/", "80/icmp"):
        with pytest.raises(PortplanError):
            parse_port(bad)


@pytest.mark.parametrize(("argument", "message"), [
    ("123456", "'123456' is not a port; ports run from 1 to 65535, LOW <= HIGH"),
    ("9-3", "'9-3' is not a port; ports run from 1 to 65535, LOW <= HIGH"),
    ("http", "'http' is not a port; give a number such as 8090 or a block such as 8020-8029"),
])
def test_every_command_answers_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     argument: str, message: str) -> None:
    registry = tmp_path / "ports.yaml"
    registry.write_text(REGISTRY)
    where = ["--registry", str(registry)]
    runs = {
        "free --in": ["free", "--in", argument, *where],
        "deprecate PORT": ["deprecate", argument, "--note", "n", *where],
        "deprecate --replaced-by": ["deprecate", "8090", "--note", "n", "--replaced-by",
                                    argument, *where],
    }
    if argument[0].isdigit():  # `history http` looks for a service of that name instead
        runs["history PORT"] = ["history", argument, *where]
    for name, args in runs.items():
        assert main(args) == 2, name
        assert message in capsys.readouterr().err, name
    assert registry.read_text() == REGISTRY
