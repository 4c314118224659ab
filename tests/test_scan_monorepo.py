"""A realistic monorepo with planted drift: every planted case is found, and nothing else.

The repository (built in a real git work tree) has apps/*/ services started by systemd units
and shell scripts, .env.example files, a Compose file for local dev, nginx in front and
Kubernetes manifests for production; also the noise a real one has: Markdown, JSON, lock files,
vendored code, an ignored local .env, commented-out lines.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import git, init_repo
from portplan.cli import main
from portplan.scan.scanner import ScanResult
from scanning import lay_out, scan_tree

REGISTRY = """\
version: 1
ports:
  - port: 80
    service: HTTP redirect
  - port: 443
    protocol: [tcp, udp]
    service: Public HTTPS
  - port: 8000
    service: Coordinator API
    location: apps/coordinator/
    env_var: COORDINATOR_PORT
  - port: 8082
    service: Blockchain RPC
    location: apps/blockchain-node/
    env_var: NODE_RPC_PORT
  - port: 8090
    service: Mock Coordinator
    status: deprecated
    deprecation:
      note: Moved to 8020 with the other mock services.
      replaced_by: 8020
  - port: 8020
    service: Mock services
    location: apps/mock/
    env_var: MOCK_PORT
  - port: 3000
    service: Explorer UI
    location: apps/explorer/
  - port: 9100
    service: Node exporter
  - port: 5432
    service: PostgreSQL
  - port: 6379
    service: Redis
"""

FILES = {
    ".gitignore": "apps/coordinator/.env\nnode_modules/\n",
    "README.md": "Run the coordinator on port 7777: `uvicorn app --port 7777`.\n",
    "docs/ports.md": "| 7778 | old |\n",
    # Ignored by git: drift here is nobody's business.
    "apps/coordinator/.env": "COORDINATOR_PORT=9999\n",
    "apps/coordinator/systemd/coordinator.service": """\
[Unit]
Description=AITBC coordinator
[Service]
Environment=DATABASE_URL=postgres://aitbc@127.0.0.1:5432/aitbc
# ExecStart=/opt/aitbc/venv/bin/uvicorn coordinator.main:app --port 8001
ExecStart=/opt/aitbc/venv/bin/uvicorn coordinator.main:app \\
    --host 127.0.0.1 --port 8000
""",
    "apps/coordinator/.env.example": """\
COORDINATOR_PORT=8000
NODE_RPC_URL=http://127.0.0.1:8082
REDIS_URL=redis://127.0.0.1:6380/0
""",
    "apps/blockchain-node/systemd/node.service": """\
[Service]
ExecStart=/usr/bin/aitbc-node --rpc-port 8082 --p2p-port 30303
""",
    "apps/blockchain-node/.env.example": "NODE_RPC_PORT=8083\n",
    "apps/blockchain-node/scripts/devnet_up.sh": """\
#!/usr/bin/env bash
set -euo pipefail
# The mock used to live here.
uvicorn mock_coordinator:app --host 127.0.0.1 --port 8090 &
aitbc-node --rpc-port "${NODE_RPC_PORT:-8082}"
""",
    "apps/mock/scripts/run.sh": """\
#!/bin/sh
export MOCK_PORT=8020
exec uvicorn mock:app --port "${MOCK_PORT:-8020}"
""",
    "apps/explorer/package.json": json.dumps({"name": "explorer", "scripts": {
        "dev": "vite --port 3000", "preview": "vite preview --port 4173",
        "test": "vitest"}}, indent=2) + "\n",
    "apps/explorer/package-lock.json": '{"port": 1111}\n',
    "apps/explorer/tsconfig.json": '{"port": 1112}\n',
    "apps/explorer/Dockerfile": "FROM node:20\n# EXPOSE 8080\nEXPOSE 3000\n",
    "apps/explorer/node_modules/vite/bin/serve.sh": "vite --port 1113\n",
    "vendor/nginx/nginx.conf": "server { listen 7070; }\n",
    "docker-compose.yml": """\
services:
  coordinator:
    build: apps/coordinator
    ports: ["8000:8000"]
  node:
    build: apps/blockchain-node
    ports:
      - "${NODE_RPC_PORT:-8082}:8082"
  redis:
    image: redis:7
    ports: ["127.0.0.1:6379:6379"]
  postgres:
    image: postgres:16
    ports: ["127.0.0.1:5432:5432"]
  grafana:
    image: grafana/grafana
    ports: ["3001:3000"]
""",
    "deploy/nginx/devnet.conf": """\
server {
    listen 80;
    return 301 https://$host$request_uri;
}
server {
    listen 443 ssl;
    location /api/ { proxy_pass http://127.0.0.1:8000/; }
    location /rpc/ { proxy_pass http://127.0.0.1:8082/; }
    location / { proxy_pass http://127.0.0.1:3000; }
    # location /mock/ { proxy_pass http://127.0.0.1:8090/; }
    location /mock/ { proxy_pass http://127.0.0.1:8091/; }
}
""",
    "deploy/k8s/coordinator.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: coordinator}
spec:
  template:
    spec:
      containers:
        - name: api
          image: aitbc/coordinator
          ports: [{containerPort: 8000}]
          env:
            - {name: COORDINATOR_PORT, value: "8000"}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  template:
    spec:
      containers:
        - name: exporter
          image: prom/node-exporter
          ports:
            - containerPort: 9100
              hostPort: 9101
""",
    "deploy/prometheus/prometheus.yml": "scrape_configs:\n  - static_configs:\n"
                                        "      - targets: ['localhost:9100', 'localhost:9999']\n",
}

PLANTED = {
    # (file, line, port, code)
    ("apps/coordinator/.env.example", 3, 6380, "unregistered-reference"),
    ("apps/blockchain-node/systemd/node.service", 2, 30303, "location-port"),
    ("apps/blockchain-node/.env.example", 1, 8083, "env-var-port"),
    ("apps/blockchain-node/scripts/devnet_up.sh", 4, 8090, "location-port"),
    ("apps/explorer/package.json", 5, 4173, "location-port"),
    ("docker-compose.yml", 17, 3001, "unregistered-listener"),
    ("deploy/nginx/devnet.conf", 11, 8091, "unregistered-reference"),
    ("deploy/k8s/coordinator.yaml", 25, 9101, "unregistered-listener"),
}


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_repo(tmp_path_factory.mktemp("monorepo"))
    lay_out(root, {"ports.yaml": REGISTRY, **FILES})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "devnet")
    return root


@pytest.fixture(scope="module")
def result(monorepo: Path) -> ScanResult:
    return scan_tree(monorepo, REGISTRY)


def test_every_planted_drift_is_found_and_nothing_else(result: ScanResult) -> None:
    found = {(f.place.file, f.place.line, f.place.port.low, f.code) for f in result.findings}
    assert found == PLANTED
    assert not result.notices


def test_drift_names_whose_port_it_takes(result: ScanResult) -> None:
    by_file = {f.place.file: f for f in result.findings}
    mock = by_file["apps/blockchain-node/scripts/devnet_up.sh"]
    assert mock.entry is not None and mock.entry.service == "Blockchain RPC"
    assert "8090 is held by 'Mock Coordinator' (8090)" in mock.message
    assert "Set it to 8082 here" in mock.message


def test_prose_data_vendored_and_ignored_files_are_not_read(result: ScanResult) -> None:
    read = {s.place.file for s in result.sources}
    for quiet in ("README.md", "docs/ports.md", "apps/coordinator/.env",
                  "apps/explorer/package-lock.json", "apps/explorer/tsconfig.json",
                  "apps/explorer/node_modules/vite/bin/serve.sh", "vendor/nginx/nginx.conf",
                  "deploy/prometheus/prometheus.yml"):
        assert quiet not in read


def test_commented_out_lines_are_not_code(result: ScanResult) -> None:
    ports = {s.place.port.low for s in result.sources}
    assert not ports & {8001, 8080}
    assert ("deploy/nginx/devnet.conf", 10) not in {(s.place.file, s.place.line)
                                                  for s in result.sources}


def test_the_command_line_in_the_repository(monorepo: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "portplan", "scan", "--format", "json"],
                          cwd=monorepo / "apps", capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert {(f["file"], f["line"], f["port"], f["code"]) for f in document["findings"]} \
        == PLANTED
    mock = next(f for f in document["findings"] if f["port"] == 8090)
    assert mock["severity"] == "error"
    assert mock["entry"] == {"port": 8082, "service": "Blockchain RPC", "line": 12}
    source = next(s for s in document["sources"] if s["file"].endswith("coordinator.service")
                  and s["kind"] == "listener")
    assert source == {"file": "apps/coordinator/systemd/coordinator.service", "line": 7,
                      "column": 29, "port": 8000, "protocol": "tcp", "kind": "listener",
                      "source": "systemd", "via": "--port", "variable": None,
                      "entry": {"port": 8000, "service": "Coordinator API", "line": 8}}
    assert "portplan scan: 11 files read" in done.stderr


def test_the_docs_show_this_repository_s_real_output(
        monorepo: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    page = (Path(__file__).parents[1] / "docs" / "scan.md").read_text(encoding="utf-8")
    shown = page.split("```console\n$ portplan scan\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(monorepo)
    assert main(["scan"]) == 1
    out, err = capsys.readouterr()
    assert shown == out + err
