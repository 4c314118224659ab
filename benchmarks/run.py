"""Measure the history against what git itself needs, in one run on one repository.

    python benchmarks/run.py REPO [--site] [--repeat 3] [--site-repeat 3] [--hook-cost 7]

REPO is a repository made by ``generate.py`` (or any repository with a ports.yaml). Rows:

- ``cat-file``: ``git cat-file --batch`` reading every first-parent version of ports.yaml, the
  physical floor (the list of blob ids is made beforehand and not timed);
- ``git log -p``: ``git log -p --first-parent -- ports.yaml > /dev/null``;
- ``history cold``/``history warm``: ``portplan history --json > /dev/null`` without and with
  the cache in ``.git/portplan``;
- with ``--site``: ``mkdocs build`` of the port-plan site (the repository's hook from this
  checkout), and of a plain Material site with as many pages and the same four nav entries;
  the two run in turn ``--site-repeat`` times and the fastest of each counts;
- with ``--hook-cost N``: the repository's own site built N times with its hook and N times
  with the ``hooks:`` entry removed from a copy of its mkdocs.yml, in turn; medians;
- with ``--engines``: the same port-plan site built by MkDocs, ProperDocs and Zensical
  (``portplan site generate``, then ``zensical build --clean`` of the staged config), in turn
  ``--site-repeat`` times; the fastest of each counts.

Each row runs in its own child process; time is wall-clock (the fastest of ``--repeat`` runs
for the git and history rows), memory the largest peak RSS of the command or any process it
waited for (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a wrapper process). The history cache
is warmed (untimed) before each port-plan build, so the site rows measure the site.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
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
    return {"seconds": min(r["seconds"] for r in runs), "cpu": min(r["cpu"] for r in runs),
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
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds (user + system) are steadier than the wall clock on a shared machine.
    print(json.dumps({"seconds": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024}))


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
        "  - Port map: map.md\n  - Changes: changes.md\n", encoding="utf-8")
    return config


def site_pages(site: Path) -> int:
    """The HTML pages of a built site (MkDocs' 404 page aside)."""
    return sum(1 for page in site.rglob("*.html") if page.name != "404.html")


def without_hook(config: Path) -> Path:
    """A copy of ``config`` next to it with the ``hooks:`` entry removed."""
    text = re.sub(r"^hooks:\n(?:[ \t]+-.*\n)+", "", config.read_text("utf-8"), flags=re.M)
    if "portplan_hook" in text:
        raise SystemExit(f"{config}: could not remove the hook entry")
    copy = config.with_name(".mkdocs-without-hook.yml")
    copy.write_text(text, encoding="utf-8")
    return copy


def plain_site(where: Path, pages: int) -> Path:
    """The baseline: a Material site with ``pages`` small pages and a nav of the same four
    entries as the port-plan site's (every theme page renders its nav), the rest out of it."""
    docs = where / "docs"
    (docs / "ports").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Plain site\n\nA baseline page.\n", encoding="utf-8")
    nav = ("ports/index.md", "map.md", "changes.md")
    for name in nav:
        (docs / name).write_text(f"# {name}\n\nA baseline page.\n", encoding="utf-8")
    for number in range(pages - 1 - len(nav)):
        page = docs / "ports" / str(10000 + number)
        page.mkdir(exist_ok=True)
        (page / "index.md").write_text(
            f"# Port {10000 + number}\n\n| date | change |\n|---|---|\n"
            f"| 2024-01-01 | added Service {number} |\n| 2024-02-01 | changed owner |\n",
            encoding="utf-8")
    config = where / "mkdocs.yml"
    config.write_text(
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "not_in_nav: |\n  /ports/1*\nnav:\n  - Home: index.md\n  - All ports: ports/index.md\n"
        "  - Port map: map.md\n  - Changes: changes.md\n", encoding="utf-8")
    return config


def history_rows(repo: Path, blobs: Path, portplan: list[str],
                 n: int) -> list[tuple[str, dict[str, float]]]:
    """The floor, git's own log -p, and the history cold and warm."""
    cache = repo / ".git" / "portplan"
    return [
        ("cat-file --batch (floor)",
         measure(["git", "cat-file", "--batch"], repo, blobs, repeat=n)),
        ("git log -p --first-parent",
         measure(["git", "log", "-p", "--first-parent", "--", "ports.yaml"], repo, repeat=n)),
        ("portplan history --json, cold", measure(portplan, repo, repeat=n, before=cache)),
        ("portplan history --json, warm", measure(portplan, repo, repeat=n)),
    ]


def site_rows(repo: Path, work: Path, history: list[str],
              repeat: int) -> list[tuple[str, dict[str, float]]]:
    """The port-plan site and a plain one with as many pages, built in turn."""
    config = site_config(repo)
    site = work / "site"
    build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    ours = [_warm_then(build, repo, history)]
    # Every page counts: port pages (held now or earlier), the ports index, the pages of
    # changes and the docs pages.
    pages = site_pages(site)
    plain = plain_site(work / "plain", pages)
    plain_build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain), "-d",
                   str(work / "plain-site")]
    theirs = [measure(plain_build, work / "plain")]
    for _ in range(repeat - 1):
        ours.append(_warm_then(build, repo, history))
        theirs.append(measure(plain_build, work / "plain"))
    return [("mkdocs build, port-plan site", _fastest(ours)),
            (f"mkdocs build, plain site, {pages} pages", _fastest(theirs))]


def _warm_then(build: list[str], repo: Path, history: list[str]) -> dict[str, float]:
    subprocess.run(history, cwd=repo, check=True, stdout=subprocess.DEVNULL)
    return measure(build, repo)


def _fastest(runs: list[dict[str, float]]) -> dict[str, float]:
    return {"seconds": min(r["seconds"] for r in runs), "cpu": min(r["cpu"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def engine_rows(repo: Path, work: Path, history: list[str],
                repeat: int) -> list[tuple[str, dict[str, float]]]:
    """The port-plan site by each engine, in turn; Zensical's two steps apart and summed."""
    config = site_config(repo)
    staged = config.with_name(f"{config.stem}.portplan.yml")
    python = [sys.executable, "-m"]
    steps = {
        "mkdocs build": [*python, "mkdocs", "build", "-q", "-f", str(config),
                         "-d", str(work / "site-mkdocs")],
        "properdocs build": [*python, "properdocs", "build", "-q", "-f", str(config),
                             "-d", str(work / "site-properdocs")],
        "portplan site generate": [*python, "portplan", "site", "generate",
                                   "--config", str(config)],
        "zensical build --clean (staged)": [*python, "zensical", "build", "--clean",
                                            "-f", str(staged)],
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, command in steps.items():
            subprocess.run(history, cwd=repo, check=True, stdout=subprocess.DEVNULL)
            # generate from nothing (all files written), as on a fresh CI checkout
            before = repo / "build" / "portplan" if name.startswith("portplan") else None
            runs[name].append(measure(command, repo, before=before))
    rows = [(name, _fastest(found)) for name, found in runs.items()]
    generate, build = rows[2][1], rows[3][1]
    rows.append(("zensical, generate + build", {
        "seconds": generate["seconds"] + build["seconds"],
        "peak_mb": max(generate["peak_mb"], build["peak_mb"])}))
    return rows


def measure_hook_cost(repo: Path, work: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock seconds of the repository's own site with and without its hook, in turn."""
    config = repo / "mkdocs.yml"
    bare = without_hook(config)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for config_file, out in ((config, times[0]), (bare, times[1])):
            out.append(measure([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                                str(config_file), "-d", str(work / "own-site")], repo)["seconds"])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--site", action="store_true", help="also time mkdocs build")
    parser.add_argument("--site-repeat", type=int, default=3,
                        help="builds of each site, in turn; the fastest counts")
    parser.add_argument("--hook-cost", type=int, default=0, metavar="N",
                        help="build the repository's own site N times with and N times "
                             "without its hook, in turn; report the medians")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each git and history row; the fastest counts")
    parser.add_argument("--engines", action="store_true",
                        help="time the port-plan site with MkDocs, ProperDocs and Zensical")
    parser.add_argument("--site-only", action="store_true",
                        help="skip the git and history rows (with --site, --engines or "
                             "--hook-cost)")
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
    if not args.site_only:
        rows.extend(history_rows(repo, blobs, portplan, n))
    if args.site:
        rows.extend(site_rows(repo, work, portplan, args.site_repeat))
    if args.engines:
        rows.extend(engine_rows(repo, work, portplan, args.site_repeat))
    hook_cost = measure_hook_cost(repo, work, args.hook_cost) if args.hook_cost else None
    floor = rows[0][1]["seconds"] if not args.site_only else None
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    print(f"repo: {repo} ({entries} entries, {versions} first-parent versions of ports.yaml)")
    print(f"machine: {os.cpu_count()} cores, {cpu}, load {os.getloadavg()[0]:.1f}")
    print(f"| {'measurement':<38} | {'seconds':>8} | {'CPU s':>8} | {'x floor':>8} "
          f"| {'peak MB':>8} |")
    print(f"|{'-' * 40}|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|")
    for name, row in rows:
        times_floor = f"{row['seconds'] / floor:8.1f}" if floor else f"{'-':>8}"
        print(f"| {name:<38} | {row['seconds']:8.2f} | {row['cpu']:8.2f} | {times_floor} "
              f"| {row['peak_mb']:8.0f} |")
    if args.site and not args.engines:
        ours, plain = rows[-2][1], rows[-1][1]
        print(f"port-plan site / plain site: {ours['seconds'] / plain['seconds']:.2f}x wall "
              f"clock, {ours['cpu'] / plain['cpu']:.2f}x CPU time (target: within 1.5x)")
    if hook_cost is not None:
        with_hook, without = hook_cost
        print(f"own site, {args.hook_cost} builds each, median: with the hook "
              f"{statistics.median(with_hook):.2f} s, without {statistics.median(without):.2f} s "
              f"(all: {' '.join(f'{t:.2f}' for t in with_hook)} | "
              f"{' '.join(f'{t:.2f}' for t in without)})")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_measure":
        _measure(sys.argv[2], sys.argv[sys.argv.index("--") + 1:])
    else:
        main()
