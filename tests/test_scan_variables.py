"""`--port "$PORT"` read from what the script, the unit or its EnvironmentFile= set before."""

from __future__ import annotations

from pathlib import Path

from scanning import lay_out, scan_tree

REGISTRY = """\
version: 1
ports:
  - port: 8011
    service: API
    location: apps/api/
    env_var: API_PORT
  - port: 8071
    service: Worker
    location: apps/worker/
  - port: 8012
    service: Admin
"""


def _findings(root: Path) -> list[str]:
    return [f"{f.place.file}:{f.place.line}:{f.place.column}: {f.severity.value}: {f.message}"
            for f in scan_tree(root, REGISTRY).findings]


def _places(root: Path, file: str) -> list[tuple[int, int, str, str]]:
    result = scan_tree(root, REGISTRY)
    return sorted((s.place.line, s.place.port.low, s.place.role.value, s.place.what)
                  for s in result.sources if s.place.file == file)


def test_a_script_reads_the_port_its_own_assignment_set(tmp_path: Path) -> None:
    lay_out(tmp_path, {"apps/worker/run.sh": (
        "#!/bin/sh\nPORT=8071\nexec gunicorn -b \"0.0.0.0:$PORT\" worker:app\n"
        "export WEB_PORT=7000\nflask run -p ${WEB_PORT}\n"
        "VAR=8001 exec uvicorn x --port \"${VAR:-8000}\"\n"  # the shell expands VAR before
        "unset_port() { :; }\nPORT=$SOMETHING\nuvicorn y --port \"$PORT\"\n")})
    assert _places(tmp_path, "apps/worker/run.sh") == [
        (2, 8071, "setting", "PORT="), (3, 8071, "listener", "-b $PORT"),
        (4, 7000, "setting", "WEB_PORT="), (5, 7000, "listener", "-p $WEB_PORT"),
        (6, 8000, "listener", "--port")]
    # 8071 is the worker's: that listener is no finding; 7000 and 8000 are.
    assert [f.split(" in the location")[0] for f in _findings(tmp_path)] == [
        "apps/worker/run.sh:5:14: error: this script listens on 7000 (-p $WEB_PORT)",
        "apps/worker/run.sh:6:40: error: this script listens on 8000 (--port)"]


def test_a_unit_reads_environment_and_its_environment_file(tmp_path: Path) -> None:
    lay_out(tmp_path, {
        "apps/api/systemd/api.service": (
            "[Service]\nEnvironmentFile=-/opt/acme/apps/api/api.env\n"
            "ExecStart=/usr/bin/uvicorn app:api --port ${API_PORT}\n"
            "ExecStartPost=/usr/bin/curl http://127.0.0.1:${ADMIN_PORT}/ready\n"
            "Environment=ADMIN_PORT=8012 API_PORT=9999\n"),
        "apps/api/api.env": "API_PORT=8013\n",
    })
    # EnvironmentFile= wins over Environment=, as in systemd; Environment= counts wherever
    # in the unit it is.
    assert _places(tmp_path, "apps/api/systemd/api.service") == [
        (3, 8013, "listener", "--port $API_PORT"), (4, 8012, "reference", "URL"),
        (5, 8012, "setting", "ADMIN_PORT="), (5, 9999, "setting", "API_PORT=")]
    findings = _findings(tmp_path)
    assert findings[0].startswith(
        "apps/api/api.env:1:1: error: API_PORT is set to 8013 here, but the registry gives "
        "'API' port 8011")
    assert findings[1].startswith(
        "apps/api/systemd/api.service:3:43: error: this unit listens on 8013 (--port "
        "$API_PORT) in the location of 'API', but the registry gives it port 8011")
    assert findings[2].startswith("apps/api/systemd/api.service:5:29: error: API_PORT is set to "
                                  "9999 here")
    assert len(findings) == 3


def test_an_environment_file_found_by_name_beside_the_unit(tmp_path: Path) -> None:
    lay_out(tmp_path, {
        "apps/api/systemd/api.service": ("[Service]\nEnvironmentFile=/etc/acme/api.env\n"
                                         "ExecStart=/usr/bin/uvicorn app:api --port $API_PORT\n"),
        "apps/api/api.env": "API_PORT=8011\n",
        "apps/other/api.env": "API_PORT=1\n",  # not above the unit: not this unit's file
    })
    assert _places(tmp_path, "apps/api/systemd/api.service") == [
        (3, 8011, "listener", "--port $API_PORT")]


def test_a_variable_nothing_sets_is_still_left_out(tmp_path: Path) -> None:
    lay_out(tmp_path, {"apps/api/systemd/api.service": (
        "[Service]\nEnvironmentFile=/etc/secret/api.env\n"
        "ExecStart=/usr/bin/uvicorn app:api --port ${API_PORT}\n")})
    assert _places(tmp_path, "apps/api/systemd/api.service") == []
    assert _findings(tmp_path) == []


def test_a_dockerfile_reads_its_env_but_not_in_the_exec_form(tmp_path: Path) -> None:
    lay_out(tmp_path, {"apps/worker/Dockerfile": (
        "FROM python:3.12\nENV PORT=8071\nEXPOSE $PORT\n"
        "CMD gunicorn -b 0.0.0.0:${PORT} worker:app\n"
        'ENTRYPOINT ["uvicorn", "worker:app", "--port", "$PORT"]\n')})
    assert _places(tmp_path, "apps/worker/Dockerfile") == [
        (2, 8071, "setting", "PORT="), (3, 8071, "listener", "EXPOSE"),
        (4, 8071, "listener", "-b $PORT")]
