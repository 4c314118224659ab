"""Bad input is a notice naming the file, never a crash, and the scan goes on."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from portplan.scan import config
from scanning import lay_out, scan_tree

REGISTRY = """\
version: 1
ports:
  - port: 8000
    service: Coordinator API
    env_var: COORDINATOR_PORT
"""


def _notices(root: Path) -> list[str]:
    return [str(n) for n in scan_tree(root, REGISTRY).notices]


def _ports(root: Path) -> set[tuple[str, int]]:
    return {(s.place.file, s.place.port.low) for s in scan_tree(root, REGISTRY).sources}


def test_a_one_megabyte_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    lay_out(tmp_path, {"app.service": "[Service]\nEnvironment=X=" + "y" * 1_000_000
                       + "\nExecStart=/usr/bin/uvicorn app --port 8001\n"})
    assert _notices(tmp_path) == [
        "app.service:2: notice: line is longer than 65536 characters; not read"]
    assert _ports(tmp_path) == {("app.service", 8001)}


def test_an_unterminated_quote_in_exec_start(tmp_path: Path) -> None:
    lay_out(tmp_path, {"app.service": "[Service]\nExecStart=/usr/bin/uvicorn 'app --port 8002\n"
                                      "ListenStream=8003\n"})
    assert _notices(tmp_path) == [
        "app.service:2: notice: unterminated quote in ExecStart=; the line is skipped: close "
        "the quote"]
    assert _ports(tmp_path) == {("app.service", 8003)}


def _bomb(top: str) -> str:
    lines = ['x-a: &a ["8080:80", "8080:80", "8080:80", "8080:80", "8080:80", "8080:80"]']
    names = "abcdefghijklmnop"
    for before, name in itertools.pairwise(names):
        lines.append(f"x-{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    return "\n".join(lines) + "\n" + top


def test_a_yaml_bomb_in_a_compose_file_costs_its_text(tmp_path: Path) -> None:
    # 9**15 copies if expanded; shared values are read once, and lists of lists are no ports.
    lay_out(tmp_path, {
        "compose.yaml": _bomb("services:\n  web:\n    ports: *p\n    expose: ['8000']\n"),
        "bomb.yaml": _bomb("apiVersion: v1\nkind: List\nitems: *p\n"),
    })
    assert _notices(tmp_path) == []
    assert _ports(tmp_path) == {("compose.yaml", 8000)}


def test_merge_keys_of_a_bomb_are_read_once(tmp_path: Path) -> None:
    text = "x-0: &l0 {ports: ['8000:8000']}\n" + "".join(
        f"x-{n}: &l{n} {{<<: [{', '.join([f'*l{n - 1}'] * 9)}]}}\n" for n in range(1, 12))
    lay_out(tmp_path, {"compose.yaml": text + "services:\n  web:\n    <<: *l11\n"})
    assert _ports(tmp_path) == {("compose.yaml", 8000)}


@pytest.mark.parametrize("name", ["app.service", "docker-compose.yml", ".env", "nginx.conf",
                                  "Dockerfile", "run.sh", "deploy/k8s.yaml"])
def test_binary_files_named_like_configs(tmp_path: Path, name: str) -> None:
    lay_out(tmp_path, {name: b"\x7fELF\x02\x01\x01\x00\x00\x00PORT=8000\x00\xff\xfe"})
    assert _notices(tmp_path) == [f"{name}:1: notice: a binary file (it holds NUL bytes); "
                                  "not read"]


def test_symlink_loops_are_not_followed(tmp_path: Path) -> None:
    lay_out(tmp_path, {"apps/api/api.service": "[Service]\nListenStream=8004\n"})
    (tmp_path / "apps" / "api" / "loop").symlink_to("..")
    (tmp_path / "apps" / "self").symlink_to("loop")
    (tmp_path / "apps" / "self-again").symlink_to("self")
    (tmp_path / "apps" / "link.service").symlink_to("api/api.service")
    (tmp_path / "dangling.service").symlink_to("missing.service")
    assert _ports(tmp_path) == {("apps/api/api.service", 8004)}
    assert _notices(tmp_path) == []


@pytest.mark.parametrize(("name", "body"), [
    (".env", b"COORDINATOR_PORT=8005\nNAME=caf\xe9\n"),
    ("run.sh", b"# caf\xe9\nuvicorn app --port 8005\n"),
    ("nginx.conf", b"# caf\xe9\nserver { listen 8005; }\n"),
    ("docker-compose.yml", b"# caf\xe9\nservices: {web: {ports: ['8005:80']}}\n"),
])
def test_non_utf8_files(tmp_path: Path, name: str, body: bytes) -> None:
    lay_out(tmp_path, {name: body})
    notices = _notices(tmp_path)
    assert notices[0] == (f"{name}:{2 if name == '.env' else 1}: notice: not UTF-8 (byte 0xe9); "
                          "read with the undecodable bytes replaced")
    if len(notices) == 1:
        assert _ports(tmp_path) == {(name, 8005)}
    else:  # the nginx parser reads the file itself and refuses it
        assert notices[1:] == [f"{name}:1: notice: not UTF-8, which the nginx parser needs; "
                               "the file is skipped"]


@pytest.mark.parametrize(("name", "body", "notice"), [
    ("docker-compose.yml", "services: [unclosed\n",
     "YAML that does not parse (line 2: did not find expected ',' or ']'); "
     "the file is skipped"),
    ("deep.yaml", "apiVersion: v1\nkind: List\nitems: " + "[" * 100_000 + "\n", None),
    ("package.json", '{"scripts": {"dev": "vite --port 5173",}}\n',
     "package.json does not parse; skipped"),
    ("Dockerfile", 'FROM x\nCMD ["uvicorn", "--port", 8006\n',
     "the JSON form of this instruction does not parse; skipped"),
    ("nginx.conf", "server { listen 8006;\n", None),
])
def test_files_that_do_not_parse(tmp_path: Path, name: str, body: str,
                                 notice: str | None) -> None:
    lay_out(tmp_path, {name: body})
    notices = _notices(tmp_path)
    assert len(notices) == 1
    assert notices[0].startswith(f"{name}:")
    if notice is not None:
        assert notices[0].split(" notice: ", 1)[1] == notice


def test_a_registry_without_scan_settings_is_not_composed_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_compose(*_: object) -> None:
        raise AssertionError("composed without a scan: key to find")

    text = "version: 1\nports:\n  - port: 8080\n    service: Web\n"
    monkeypatch.setattr(config, "compose", no_compose)
    assert config.read_config(text) == config.ScanConfig()
    assert config.read_config(text.encode()) == config.ScanConfig()
    monkeypatch.undo()
    settings = config.read_config(text + "scan:\n  paths: [apps]\n")
    assert settings.paths == ("apps",)
