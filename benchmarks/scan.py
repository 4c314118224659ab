"""`portplan scan` against `git grep -nE '[0-9]{2,5}'` on a generated tree, in one run.

    python benchmarks/scan.py OUT [--files 10000] [--repeat 3] [--seed 1]

Makes OUT (deterministically: the same arguments give the same tree), a git repository of about
``--files`` files laid out like a monorepo: ``apps/NAME/`` services with Python and TypeScript
sources, tests, Markdown, JSON, a package.json, a systemd unit, a shell script, a .env.example,
a Dockerfile and Kubernetes manifests; nginx and a Compose file at the top; a registry that
holds most of the ports, so that the scan also has findings to make. Then it times both
commands (the fastest of ``--repeat`` runs each, as child processes) and prints the ratio.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python(rng: random.Random) -> str:
    lines = [f"def handler_{i}(request):\n    return {rng.randint(0, 99999)} + {i}\n"
             for i in range(rng.randint(8, 40))]
    return "import os\n\n" + "\n".join(lines)


def _typescript(rng: random.Random) -> str:
    return "".join(f"export const value{i} = {rng.randint(0, 9999)};\n"
                   for i in range(rng.randint(10, 50)))


def _markdown(name: str, port: int) -> str:
    return f"# {name}\n\nListens on port {port}. See the runbook, section 3.2 (2024).\n"


def _service(name: str, port: int, metrics: int) -> dict[str, str]:
    upper = name.upper().replace("-", "_")
    return {
        f"apps/{name}/deploy/{name}.service": (
            f"[Unit]\nDescription={name}\n[Service]\nEnvironment={upper}_PORT={port}\n"
            f"ExecStart=/opt/{name}/bin/uvicorn {name}.main:app --host 127.0.0.1 "
            f"--port {port}\n"),
        f"apps/{name}/scripts/run.sh": (
            f"#!/bin/sh\nset -eu\nexport {upper}_PORT={port}\n"
            f"exec gunicorn -b 0.0.0.0:${{{upper}_PORT:-{port}}} {name}.wsgi\n"
            f"curl -fsS http://127.0.0.1:{metrics}/metrics\n"),
        f"apps/{name}/.env.example": (
            f"{upper}_PORT={port}\nDATABASE_URL=postgres://db:5432/{name}\n"),
        f"apps/{name}/Dockerfile": f"FROM python:3.12\nEXPOSE {port}\nEXPOSE {metrics}\n",
        f"apps/{name}/package.json": (
            f'{{\n  "name": "{name}",\n  "scripts": {{\n    "dev": "vite --port '
            f'{port + 1000}"\n  }}\n}}\n'),
        f"apps/{name}/k8s/deployment.yaml": (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n"
            f"  template:\n    spec:\n      containers:\n        - name: {name}\n"
            f"          ports: [{{containerPort: {port}}}, {{containerPort: {metrics}}}]\n"
            f"          env:\n            - {{name: {upper}_PORT, value: \"{port}\"}}\n"
            f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n"
            f"  ports:\n    - {{port: {port}, targetPort: {port}}}\n"),
    }


def generate(out: Path, files: int, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    per_app = 100
    apps = max(1, files // per_app)
    tree: dict[str, str] = {}
    registry = ["version: 1", "ports:"]
    upstreams = []
    for index in range(apps):
        name = f"svc-{index:03d}"
        port, metrics = 10000 + index * 10, 30000 + index * 10
        upper = name.upper().replace("-", "_")
        service = _service(name, port, metrics)
        tree.update(service)
        if index % 7:  # every seventh service is missing from the plan
            registry += [f"  - port: {port}", f"    service: {name}",
                         f"    env_var: {upper}_PORT", f"    location: apps/{name}/"]
        if index % 3:
            registry += [f"  - port: {metrics}", f"    service: {name} metrics"]
        upstreams.append(f"    location /{name}/ {{ proxy_pass http://127.0.0.1:{port}/; }}")
        fillers = per_app - len(service)
        for number in range(fillers):
            kind = number % 10
            if kind < 5:
                tree[f"apps/{name}/src/{name.replace('-', '_')}/mod_{number}.py"] = _python(rng)
            elif kind < 7:
                tree[f"apps/{name}/web/src/part_{number}.ts"] = _typescript(rng)
            elif kind < 8:
                tree[f"apps/{name}/tests/test_{number}.py"] = _python(rng)
            elif kind < 9:
                tree[f"apps/{name}/docs/page_{number}.md"] = _markdown(name, port)
            else:
                tree[f"apps/{name}/data/fixture_{number}.json"] = (
                    f'{{"port": {port}, "n": {rng.randint(0, 999)}}}\n')
    tree["deploy/nginx/site.conf"] = ("server {\n    listen 80;\n    listen 443 ssl;\n"
                                      + "\n".join(upstreams) + "\n}\n")
    tree["docker-compose.yml"] = "services:\n" + "".join(
        f"  app{i}:\n    ports: [\"{10000 + i * 10}:{10000 + i * 10}\"]\n"
        for i in range(min(apps, 50)))
    registry += ["  - port: 80", "    service: HTTP", "  - port: 443", "    service: HTTPS",
                 "  - port: 5432", "    service: PostgreSQL"]
    tree["ports.yaml"] = "\n".join(registry) + "\n"
    out.mkdir(parents=True, exist_ok=False)
    for path, text in tree.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
           "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "tree"]):
        subprocess.run(["git", *args], cwd=out, check=True, env=env)
    return len(tree)


def best_of(command: list[str], cwd: Path, repeat: int, ok: tuple[int, ...]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        assert done.returncode in ok, (command, done.returncode)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count = generate(args.out, args.files, args.seed)
    grep = best_of(["git", "grep", "-nE", "[0-9]{2,5}"], args.out, args.repeat, (0,))
    portplan = [sys.executable, "-m", "portplan", "scan", "--format", "json"]
    scan = best_of(portplan, args.out, args.repeat, (0, 1))
    found = subprocess.run(portplan, cwd=args.out, capture_output=True, text=True, check=False)
    print(f"tree: {count} files in {args.out}")
    print(f"git grep -nE '[0-9]{{2,5}}': {grep:.3f} s")
    print(f"portplan scan --format json: {scan:.3f} s  ({found.stderr.strip()})")
    print(f"ratio: {scan / grep:.1f}x")


if __name__ == "__main__":
    main()
