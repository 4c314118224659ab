"""`portplan export`: every format against one small registry."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.cli import main
from portplan.exporting import service_name, to_env, to_services
from portplan.model import ENV_VAR_NAME, Assignment, PortSpan, Registry
from portplan.problems import PortplanError
from portplan.registry.load import load_registry

SMALL = """\
version: 1
ports:
  - port: 9090
    service: Prometheus
    role: metrics
    env_var: PROMETHEUS_PORT
    meta: {tier: 2}
  - port: 8090
    service: Mock Coordinator API
    status: deprecated
    env_var: MOCK_COORDINATOR_PORT
    description: "Telemetry | for Grafana"
    deprecation:
      note: Moved to 8020; point MOCK_URL at :8020.
      replaced_by: 8020
      remove_after: 2026-06-01
  - port: 8020-8029
    service: Mock services
    name: mocks
    env_var: MOCK_PORTS
  - port: 5353
    protocol: [tcp, udp]
    service: Résolveur DNS
  - port: 8011
    service: Coordinator API
    environments: [dev]
  - port: 8900
    service: Coordinator API
    environments: [production]
  - service: Miner Node
    description: No default port.
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "ports.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def export(path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", "--format", fmt, "--registry", str(path)]) == 0
    return capsys.readouterr().out


def test_json_is_the_entries_sorted_by_port(small: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(export(small, "json", capsys))
    assert [e["port"] for e in data] == [5353, 8011, "8020-8029", 8090, 8900, 9090, None]
    assert data[3] == {
        "port": 8090, "protocol": "tcp", "service": "Mock Coordinator API",
        "status": "deprecated", "description": "Telemetry | for Grafana",
        "env_var": "MOCK_COORDINATOR_PORT",
        "deprecation": {"note": "Moved to 8020; point MOCK_URL at :8020.", "replaced_by": 8020,
                        "remove_after": "2026-06-01"}}
    assert data[0]["protocol"] == ["tcp", "udp"]
    assert data[0]["service"] == "Résolveur DNS"
    assert data[5]["meta"] == {"tier": 2}


def test_csv_round_trips_through_the_csv_module(small: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(small, "csv", capsys))))
    assert [r["port"] for r in rows] == ["5353", "8011", "8020-8029", "8090", "8900", "9090", ""]
    assert rows[0]["protocol"] == "tcp,udp"
    assert rows[3]["deprecation_note"] == "Moved to 8020; point MOCK_URL at :8020."
    assert rows[3]["replaced_by"] == "8020"
    assert rows[3]["remove_after"] == "2026-06-01"
    assert rows[3]["description"] == "Telemetry | for Grafana"
    assert rows[5]["meta.tier"] == "2"
    assert rows[0]["meta.tier"] == ""
    assert rows[1]["environments"] == "dev"


def test_markdown_table(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(small, "markdown", capsys) == """\
| Port | Protocol | Service | Status | Environments | Location | Description |
|---:|---|---|---|---|---|---|
| 5353 | tcp/udp | Résolveur DNS | active | all |  |  |
| 8011 | tcp | Coordinator API | active | dev |  |  |
| 8020-8029 | tcp | Mock services | active | all |  |  |
| ~~8090~~ | tcp | Mock Coordinator API | deprecated | all |  | **Deprecated (replaced by 8020):** \
Moved to 8020; point MOCK_URL at :8020. Telemetry \\| for Grafana |
| 8900 | tcp | Coordinator API | active | production |  |  |
| 9090 | tcp | Prometheus | active | all |  |  |
| — |  | Miner Node | active | all |  | No default port. |
"""


# services(5): "service-name port/protocol [aliases ...]", '#' starts a comment.
SERVICES_LINE = re.compile(r"^(?P<name>[^\s#]+)\s+(?P<port>\d+)/(?P<proto>tcp|udp|sctp|ddp)"
                           r"(?:\s+[^\s#]+)*\s*(?:#.*)?$")


def test_services_lines_parse_as_services5(small: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    text = export(small, "services", capsys)
    parsed = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = SERVICES_LINE.match(line)
        assert match, line
        parsed.append((match["name"], int(match["port"]), match["proto"]))
    assert parsed == [
        ("resolveur-dns", 5353, "tcp"),
        ("resolveur-dns", 5353, "udp"),
        ("coordinator-api-dev", 8011, "tcp"),
        ("mock-coordinator-api", 8090, "tcp"),
        ("coordinator-api-production", 8900, "tcp"),
        ("prometheus", 9090, "tcp"),
    ]
    assert "# mocks 8020-8029/tcp - Mock services: a block; services(5) holds single ports only" \
        in text.splitlines()
    assert "mock-coordinator-api    8090/tcp    # Mock Coordinator API (deprecated)" in text


def test_service_name_prefers_rfc6335_name_and_slugs_otherwise() -> None:
    assert service_name(Assignment("Grafana UI", name="grafana")) == "grafana"
    assert service_name(Assignment("Blockchain RPC API (FastAPI)")) == "blockchain-rpc-api-fastapi"
    assert service_name(Assignment("X", name="bad name#1")) == "bad-name-1"
    assert service_name(Assignment("???")) == "service"


def test_same_name_twice_without_environments_gets_the_port() -> None:
    registry = Registry(ports=(Assignment("Api", PortSpan.single(1)),
                               Assignment("Api", PortSpan.single(2))))
    assert to_services(registry).splitlines()[1:] == [
        "api-1                   1/tcp    # Api", "api-2                   2/tcp    # Api"]


def test_env_lines(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(small, "env", capsys) == (
        "# Generated by `portplan export --format env`; edit ports.yaml instead.\n"
        "MOCK_PORTS=8020-8029\n"
        "MOCK_COORDINATOR_PORT=8090\n"
        "PROMETHEUS_PORT=9090\n")


@pytest.mark.parametrize("var", ["1PORT", "MOCK-PORT", "PORT NAME", "", "PORTÉ"])
def test_env_rejects_invalid_variable_names(var: str) -> None:
    registry = Registry(ports=(Assignment("Mock", PortSpan.single(8090), env_var=var),))
    with pytest.raises(PortplanError, match="is not a variable name"):
        to_env(registry)


def test_env_rejects_one_variable_for_two_ports() -> None:
    registry = Registry(ports=(Assignment("A", PortSpan.single(1), env_var="PORT"),
                               Assignment("B", PortSpan.single(2), env_var="PORT")))
    with pytest.raises(PortplanError, match="PORT is set to both 1 and 2"):
        to_env(registry)


def test_env_invalid_name_through_cli_is_exit_2(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nports:\n  - {port: 80, service: Web, env_var: web-port}\n")
    assert main(["export", "--format", "env", "--registry", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "env_var 'web-port' of 'Web' (line 3) is not a variable name" in captured.err


def test_unreadable_registry_is_not_exported(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nports:\n  - {port: 80, service: A, colour: red}\n")
    assert main(["export", "--format", "json", "--registry", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown key 'colour'" in captured.err
    assert "cannot be read, so `portplan export` has nothing to work on" in captured.err


def test_registry_with_a_conflict_is_exported_with_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("version: 1\nports:\n  - {port: 80, service: A}\n  - {port: 80, service: B}\n")
    assert main(["export", "--format", "json", "--registry", str(path)]) == 0
    captured = capsys.readouterr()
    assert [e["service"] for e in json.loads(captured.out)] == ["A", "B"]
    assert "port 80/tcp is held by both 'A' (line 3) and 'B' (line 4)" in captured.err
    assert "1 error(s) between entries; `portplan export` works on it as it is" in captured.err


def test_unknown_format_is_a_usage_error(small: Path) -> None:
    assert main(["export", "--format", "xml", "--registry", str(small)]) == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=30), st.integers(1, 65535),
                          st.sampled_from([("tcp",), ("udp",), ("tcp", "udp"), ("sctp",)]),
                          st.none() | st.lists(st.sampled_from(["dev", "prod"]), min_size=1,
                                               max_size=2, unique=True).map(tuple)),
                max_size=8))
def test_any_service_name_gives_parseable_services_lines(
        entries: list[tuple[str, int, tuple[str, ...], tuple[str, ...] | None]]) -> None:
    registry = Registry(ports=tuple(Assignment(s, PortSpan.single(p), protocols=pr,
                                               environments=env)
                                    for s, p, pr, env in entries))
    lines = to_services(registry).splitlines()
    assert len(lines) == 1 + sum(len(pr) for _, _, pr, _ in entries)
    for line in lines[1:]:
        assert SERVICES_LINE.match(line), line


def test_env_accepts_the_posix_names_check_accepts() -> None:
    registry = Registry(ports=(Assignment("Mock", PortSpan.single(8090), env_var="mock_Port"),
                               Assignment("Web", PortSpan.single(80), env_var="_web2")))
    assert to_env(registry).splitlines()[1:] == ["_web2=80", "mock_Port=8090"]


# --- one variable per environment -----------------------------------------------------------

PER_ENVIRONMENT = """\
version: 1
ports:
  - port: 8011
    service: Coordinator API
    environments: [dev]
    env_var: COORDINATOR_PORT
  - port: 8900
    service: Coordinator API
    environments: [production]
    env_var: COORDINATOR_PORT
  - port: 9090
    service: Prometheus
    env_var: PROMETHEUS_PORT
  - port: 4173
    service: Explorer Web
    environments: [dev, staging]
"""


@pytest.fixture
def per_environment(tmp_path: Path) -> Path:
    path = tmp_path / "ports.yaml"
    path.write_text(PER_ENVIRONMENT, encoding="utf-8")
    return path


def test_one_variable_per_environment_needs_environment(
        per_environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--registry", str(per_environment)]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "env", "--registry", str(per_environment)]) == 2
    err = capsys.readouterr().err
    assert "env_var COORDINATOR_PORT is set to both 8011 and 8900" in err
    assert "export one environment at a time with --environment ENV" in err


@pytest.mark.parametrize(("environment", "lines"), [
    ("dev", ["COORDINATOR_PORT=8011", "PROMETHEUS_PORT=9090"]),
    ("production", ["COORDINATOR_PORT=8900", "PROMETHEUS_PORT=9090"]),
    ("staging", ["PROMETHEUS_PORT=9090"]),
])
def test_env_for_one_environment(per_environment: Path, environment: str, lines: list[str],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "env", "--environment", environment,
                 "--registry", str(per_environment)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == lines


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "services"])
def test_every_format_keeps_only_the_entries_of_the_environment(
        per_environment: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", fmt, "--environment", "production",
                 "--registry", str(per_environment)]) == 0
    out = capsys.readouterr().out
    assert "8900" in out
    assert "9090" in out  # no environments: everywhere
    assert "8011" not in out
    assert "4173" not in out


def test_an_environment_no_entry_names_is_exit_2(per_environment: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "env", "--environment", "prod",
                 "--registry", str(per_environment)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("no entry runs in environment 'prod'; the registry names dev, production, staging"
            in captured.err)


# --- CSV injection --------------------------------------------------------------------------

def test_csv_cells_that_spreadsheets_would_run_are_quoted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ports.yaml"
    path.write_text("""\
version: 1
ports:
  - port: 8000
    service: "=cmd|' /C calc'!A0"
    description: "+SUM(1,2)"
    owner: "-team"
    contact: "@ops"
    meta: {note: "=1+1", count: 3}
  - port: 8001
    service: "Safe = fine"
    description: "a-b +c @d"
""", encoding="utf-8")
    out = export(path, "csv", capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["service"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["description"] == "'+SUM(1,2)"
    assert rows[0]["owner"] == "'-team"
    assert rows[0]["contact"] == "'@ops"
    assert rows[0]["meta.note"] == "'=1+1"
    assert rows[0]["meta.count"] == "3"
    assert rows[1]["service"] == "Safe = fine"
    assert rows[1]["description"] == "a-b +c @d"
    # only the CSV is changed: JSON keeps the text as it is
    assert json.loads(export(path, "json", capsys))[0]["service"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("var", ["MOCK_PORT", "_x1", "1ST", "MOCK-PORT", "MÖCK", "A B"])
def test_check_and_env_export_agree_on_variable_names(var: str) -> None:
    # One pattern (model.ENV_VAR_NAME): `check` warns exactly where `export` refuses.
    text = f'version: 1\nports:\n  - {{port: 8090, service: Mock, env_var: "{var}"}}\n'
    loaded = load_registry(text)
    assert loaded.registry is not None
    warned = "invalid-env-var" in [p.code for p in loaded.problems]
    try:
        to_env(loaded.registry)
        refused = False
    except PortplanError:
        refused = True
    assert warned == refused == (ENV_VAR_NAME.fullmatch(var) is None)
