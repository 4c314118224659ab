"""What publishing a plan with problems costs: conflict starts, and pages for covered ports.

    python benchmarks/plan_problems.py conflicts REPO --count N [--repeat 3]
    python benchmarks/plan_problems.py block REPO --ports N

``conflicts`` copies REPO (a repository made by ``generate.py``), commits N entries that each
take the port of an existing one, and times ``PlanProblems.find``: every conflict, and the
commit where it began, found from the history (read beforehand, untimed). ``block`` copies
REPO, commits one held block of N ports, and times ``mkdocs build --strict`` of its site, which
writes a small page for each port of the block (docs/site.md, "Blocks and ranges").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portplan.history import read_history
from portplan.registry.load import check_file
from portplan.site.plan_problems import PlanProblems


def _copy(repo: Path, into: Path) -> Path:
    copy = into / repo.name
    subprocess.run(["git", "clone", "-q", str(repo), str(copy)], check=True)
    if (repo / "mkdocs.yml").exists() and not (copy / "mkdocs.yml").exists():
        shutil.copy(repo / "mkdocs.yml", copy / "mkdocs.yml")
        shutil.copytree(repo / "docs", copy / "docs", dirs_exist_ok=True)
    return copy


def _commit_entries(repo: Path, entries: str, message: str) -> None:
    path = repo / "ports.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nports:\n", "\nports:\n" + entries, 1), encoding="utf-8")
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org",
                    "commit", "-qam", message], cwd=repo, check=True)


def conflicts(repo: Path, count: int, repeat: int) -> str:
    ports = re.findall(r"^  - port: (\d+)$", (repo / "ports.yaml").read_text("utf-8"),
                       re.MULTILINE)[:count]
    _commit_entries(repo, "".join(f"  - port: {p}\n    service: Intruder {i}\n\n"
                                  for i, p in enumerate(ports)), "Intruders")
    history = read_history(repo, Path("ports.yaml"))
    loaded = check_file(repo / "ports.yaml")
    if loaded.registry is None:
        raise SystemExit("the registry cannot be read")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        plan = PlanProblems.find(loaded.registry, loaded.between_entries, history.events)
        best = min(best, time.perf_counter() - start)
    traced = sum(c.began is not None for c in plan.collisions)
    return (f"{len(plan.collisions)} conflicts over {len(history.events)} events, "
            f"{traced} traced to the commit that began them: {best:.3f} s (fastest of {repeat})")


def block(repo: Path, ports: int) -> str:
    _commit_entries(repo, f"  - port: 20000-{20000 + ports - 1}\n    service: Load workers\n\n",
                    f"A block of {ports} ports")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", "site"],
                   cwd=repo, env=env, check=True)
    took = time.perf_counter() - start
    pages = sum(1 for _ in (repo / "site" / "ports").glob("*/index.html"))
    return f"block of {ports} ports: mkdocs build --strict {took:.2f} s, {pages} port pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["conflicts", "block"])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--count", type=int, default=50, help="conflicting entries to add")
    parser.add_argument("--ports", type=int, default=10_000, help="size of the held block")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        copy = _copy(args.repo.resolve(), Path(scratch))
        print(conflicts(copy, args.count, args.repeat) if args.what == "conflicts"
              else block(copy, args.ports))


if __name__ == "__main__":
    main()
