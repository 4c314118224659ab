"""Measure the history against what git itself needs, in one run on one repository.

    python benchmarks/run.py REPO [--site] [--repeat 3]

REPO is a repository made by ``generate.py`` (or any repository with a ports.yaml). Rows:

- ``cat-file``: ``git cat-file --batch`` reading every first-parent version of ports.yaml, the
  physical floor (the list of blob ids is made beforehand and not timed);
- ``git log -p``: ``git log -p --first-parent -- ports.yaml > /dev/null``;
- ``history cold``/``history warm``: ``portplan history --json > /dev/null`` without and with
  the cache in ``.git/portplan``;
- with ``--site``: ``mkdocs build`` of the port-plan site (the repository's hook from this
  checkout), and of a plain Material site with the same number of pages kept out of the nav.

Each row runs in its own child process; time is wall-clock (the fastest of ``--repeat`` runs
for the git and history rows), memory the largest peak RSS of the command or any process it
waited for (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a wrapper process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOOK = HERE.parent / "hooks" / "portplan_hook.py"
INDEX = HERE.parent / "docs" / "index.md"


def measure(command: list[str], cwd: Path, stdin: Path | None = None, *, repeat: int = 1,
            before: Path | None = None) -> dict[str, float]:
    """Run ``command`` in a fresh child of a fresh child, so its peak memory is its own.

    With ``repeat``, the fastest run counts (the machine is shared; the minimum is the least
    disturbed one) and the largest peak memory. ``before`` is removed before each run.
    """
    probe = [sys.executable, __file__, "_measure", str(stdin or ""), "--", *command]
    runs = []
    for _ in range(repeat):
        if before is not None:
            shutil.rmtree(before, ignore_errors=True)
        out = subprocess.run(probe, cwd=cwd, check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout.splitlines()[-1]))
    return {"seconds": min(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def _measure(stdin: str, command: list[str]) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with Path(stdin or os.devnull).open("rb") as source:
        start = time.perf_counter()
        done = subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env, check=False)
        wall = time.perf_counter() - start
    if done.returncode:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        sys.exit(done.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": wall, "peak_mb": peak / 1024}))


def blob_list(repo: Path, out: Path) -> int:
    log = subprocess.run(["git", "log", "--first-parent", "--format=", "--raw", "--no-abbrev",
                          "--", "ports.yaml"], cwd=repo, check=True, capture_output=True,
                         text=True).stdout
    blobs = [line.split()[3] for line in log.splitlines() if line.startswith(":")]
    out.write_text("".join(f"{b}\n" for b in blobs if set(b) != {"0"}))
    return len(blobs)


def site_config(repo: Path) -> Path:
    """The repository's own mkdocs.yml, or one written (untracked) to build it through the hook."""
    if (repo / "mkdocs.yml").exists():
        return repo / "mkdocs.yml"
    docs = repo / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copy(INDEX, docs / "index.md")
    config = repo / "mkdocs.yml"
    config.write_text(
        "site_name: Benchmark port plan\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n"
        f"hooks:\n  - {HOOK}\n"
        "extra:\n  portplan:\n    registry: ports.yaml\n"
        "nav:\n  - Port plan: index.md\n  - All ports: ports/index.md\n"
        "  - Changes: changes.md\n", encoding="utf-8")
    return config


def plain_site(where: Path, pages: int) -> Path:
    """A Material site with ``pages`` small pages kept out of the nav: the baseline."""
    docs = where / "docs"
    (docs / "ports").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Plain site\n\nA baseline page.\n", encoding="utf-8")
    for number in range(pages):
        page = docs / "ports" / str(10000 + number)
        page.mkdir(exist_ok=True)
        (page / "index.md").write_text(
            f"# Port {10000 + number}\n\n| date | change |\n|---|---|\n"
            f"| 2024-01-01 | added Service {number} |\n| 2024-02-01 | changed owner |\n",
            encoding="utf-8")
    config = where / "mkdocs.yml"
    config.write_text(
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "not_in_nav: |\n  /ports/**\nnav:\n  - Home: index.md\n", encoding="utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--site", action="store_true", help="also time mkdocs build (once)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each git and history row; the fastest counts")
    args = parser.parse_args()
    repo = args.repo.resolve()
    work = repo.parent / f"{repo.name}-bench"
    work.mkdir(exist_ok=True)
    blobs = work / "blobs.txt"
    versions = blob_list(repo, blobs)
    entries = (repo / "ports.yaml").read_text().count("\n  - ")
    portplan = [sys.executable, "-m", "portplan", "history", "--json"]
    # Byte-compile and load every module once, so no row pays for it.
    subprocess.run([sys.executable, "-m", "portplan", "--help"], check=True,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, dict[str, float]]] = []
    n = args.repeat
    rows.append(("cat-file --batch (floor)",
                 measure(["git", "cat-file", "--batch"], repo, blobs, repeat=n)))
    rows.append(("git log -p --first-parent", measure(
        ["git", "log", "-p", "--first-parent", "--", "ports.yaml"], repo, repeat=n)))
    cache = repo / ".git" / "portplan"
    rows.append(("portplan history --json, cold", measure(portplan, repo, repeat=n,
                                                          before=cache)))
    rows.append(("portplan history --json, warm", measure(portplan, repo, repeat=n)))
    pages = entries
    if args.site:
        if HOOK.exists() or (repo / "mkdocs.yml").exists():
            config = site_config(repo)
            rows.append(("mkdocs build, port-plan site", measure(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d",
                 str(work / "site")], repo)))
            # Earlier holders of ports no longer assigned have pages too: count them all.
            pages = len(list((work / "site" / "ports").glob("*/index.html")))
        plain = plain_site(work / "plain", pages)
        rows.append((f"mkdocs build, plain site, {pages} pages", measure(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain), "-d",
             str(work / "plain-site")], work / "plain")))
    floor = rows[0][1]["seconds"]
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    print(f"repo: {repo} ({entries} entries, {versions} first-parent versions of ports.yaml)")
    if args.site and not HOOK.exists():
        print("mkdocs build, port-plan site: pending (no hooks/portplan_hook.py in this checkout)")
    print(f"machine: {os.cpu_count()} cores, {cpu}, load {os.getloadavg()[0]:.1f}")
    print(f"| {'measurement':<38} | {'seconds':>8} | {'x floor':>8} | {'peak MB':>8} |")
    print(f"|{'-' * 40}|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|")
    for name, row in rows:
        print(f"| {name:<38} | {row['seconds']:8.2f} | {row['seconds'] / floor:8.1f} | "
              f"{row['peak_mb']:8.0f} |")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        _measure(sys.argv[2], sys.argv[sys.argv.index("--") + 1:])
    else:
        main()
