"""Make a synthetic port-plan repository, deterministically, with `git fast-import`.

    python benchmarks/generate.py OUT --entries 2000 --commits 10000 [--seed 1]

The first commit adds N entries; then M commits of realistic edits follow on main: description
and owner changes, additions, removals, deprecations with a note, moves to another port, pull
requests merged with a merge commit (1-3 commits each, by their own author), squash-merged
commits ending in "(#N)", commits that touch other files only, and now and then an edit of the
header comment or of ``ranges:`` (outside the ``ports:`` list). Authors commit from +09:00,
-05:00, +00:00 and +01:00. The same arguments always give the same repository, byte for byte.
"""

from __future__ import annotations

import argparse
import bisect
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

AUTHORS = [
    ("Aiko Tanaka", "aiko@example.org", "+0900"), ("Bob Stone", "bob@example.org", "-0500"),
    ("Chloe Martin", "chloe@example.org", "+0100"), ("Dev Patel", "dev@example.org", "+0000"),
    ("Eve Okafor", "eve@example.org", "+0100"), ("Femi Adeyemi", "femi@example.org", "-0500"),
]
START = 1_704_067_200  # 2024-01-01T00:00:00Z
TEAMS = ["chain-team", "obs-team", "wallet-team", "platform", "data-team", "edge"]


@dataclass
class Entry:
    port: int
    number: int
    owner: str
    note: str
    deprecated: str | None = None

    def render(self) -> str:
        lines = [f"  - port: {self.port}", f"    service: Service {self.number}",
                 f"    owner: {self.owner}", f"    location: apps/service-{self.number}/",
                 f"    description: {self.note}"]
        if self.deprecated:
            lines += ["    status: deprecated", "    deprecation:",
                      f"      note: {self.deprecated}"]
        return "\n".join(lines) + "\n\n"


@dataclass
class Plan:
    """The registry as a sorted list of entries, each rendered once per edit."""

    rng: random.Random
    entries: list[Entry] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    header: str = "# Synthetic port plan for benchmarks.\nversion: 1\n\n"
    ranges: str = "\nranges:\n  - range: 7000-7099\n    purpose: Mock & test services\n"
    next_number: int = 0

    def text(self) -> str:
        return self.header + "ports:\n" + "".join(self.texts) + self.ranges

    def free_port(self) -> int:
        taken = {e.port for e in self.entries}
        while True:
            port = self.rng.randrange(10000, 40000)
            if port not in taken:
                return port

    def add(self, note: str) -> Entry:
        entry = Entry(self.free_port(), self.next_number, self.rng.choice(TEAMS), note)
        self.next_number += 1
        self._insert(entry)
        return entry

    def _insert(self, entry: Entry) -> None:
        at = bisect.bisect([e.port for e in self.entries], entry.port)
        self.entries.insert(at, entry)
        self.texts.insert(at, entry.render())

    def pick(self) -> int:
        return self.rng.randrange(len(self.entries))

    def rerender(self, at: int) -> None:
        self.texts[at] = self.entries[at].render()

    def remove(self, at: int) -> Entry:
        self.texts.pop(at)
        return self.entries.pop(at)

    def move(self, at: int) -> Entry:
        entry = self.remove(at)
        entry.port = self.free_port()
        self._insert(entry)
        return entry


def edit(plan: Plan, step: int) -> str:  # noqa: PLR0911 - one return per kind of edit
    """One realistic edit; returns the commit subject."""
    rng = plan.rng
    roll = rng.random()
    if roll < 0.001:
        plan.header = f"# Synthetic port plan for benchmarks (revised {step}).\nversion: 1\n\n"
        return "Reword the header"
    if roll < 0.002:
        plan.ranges = f"\nranges:\n  - range: 7000-7{step % 900 + 100}\n    purpose: Mocks\n"
        return "Resize the mock range"
    if roll < 0.45:
        at = plan.pick()
        plan.entries[at].note = f"Serves request kind {step} for the platform."
        plan.rerender(at)
        return f"Describe Service {plan.entries[at].number}"
    if roll < 0.55:
        at = plan.pick()
        plan.entries[at].owner = rng.choice(TEAMS)
        plan.rerender(at)
        return f"Hand Service {plan.entries[at].number} to {plan.entries[at].owner}"
    if roll < 0.70:
        entry = plan.add(f"Added in change {step}.")
        return f"Add Service {entry.number} on {entry.port}"
    if roll < 0.80:
        at = plan.pick()
        plan.entries[at].deprecated = f"Retired in change {step}; point clients elsewhere."
        plan.rerender(at)
        return f"Deprecate Service {plan.entries[at].number}"
    if roll < 0.88:
        entry = plan.move(plan.pick())
        return f"Move Service {entry.number} to {entry.port}"
    deprecated = [i for i, e in enumerate(plan.entries) if e.deprecated]
    entry = plan.remove(rng.choice(deprecated) if deprecated else plan.pick())
    return f"Remove Service {entry.number}"


class Stream:
    """Writes a fast-import stream, one commit at a time."""

    def __init__(self, out: subprocess.Popen[bytes]) -> None:
        assert out.stdin is not None
        self.pipe = out.stdin
        self.mark = 0
        self.when = START

    def data(self, text: str) -> bytes:
        raw = text.encode()
        return b"data %d\n%s\n" % (len(raw), raw)

    def commit(self, ref: str, who: tuple[str, str, str], message: str, *,
               files: dict[str, str], parent: int | None, merge: int | None = None) -> int:
        self.mark += 1
        self.when += 3600
        name, email, tz = who
        parts = [b"commit %s\nmark :%d\n" % (ref.encode(), self.mark),
                 f"author {name} <{email}> {self.when} {tz}\n".encode(),
                 f"committer {name} <{email}> {self.when} {tz}\n".encode(),
                 self.data(message)]
        if parent is not None:
            parts.append(b"from :%d\n" % parent)
        if merge is not None:
            parts.append(b"merge :%d\n" % merge)
        for path, content in files.items():
            parts.append(f"M 100644 inline {path}\n".encode() + self.data(content))
        parts.append(b"\n")
        self.pipe.write(b"".join(parts))
        return self.mark


def generate(out: Path, entries: int, commits: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    plan = Plan(rng)
    for number in range(entries):
        plan.add(f"Service number {number} of the synthetic platform.")
    out.mkdir(parents=True, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    with subprocess.Popen(["git", "fast-import", "--quiet"], cwd=out,
                          stdin=subprocess.PIPE) as proc:
        stream = Stream(proc)
        main = stream.commit("refs/heads/main", AUTHORS[3], "Start the port plan",
                             files={"ports.yaml": plan.text()}, parent=None)
        made, pr = 1, 0
        while made < commits:
            roll = rng.random()
            if roll < 0.08:
                main = stream.commit("refs/heads/main", rng.choice(AUTHORS), "Tweak the app",
                                     files={f"src/module_{made % 50}.py": f"VALUE = {made}\n"},
                                     parent=main)
                made += 1
            elif roll < 0.16:
                pr += 1
                author = rng.choice(AUTHORS)
                tip, titles = main, []
                for _ in range(rng.randint(1, 3)):
                    titles.append(edit(plan, made))
                    tip = stream.commit(f"refs/heads/pr-{pr}", author, titles[-1],
                                        files={"ports.yaml": plan.text()}, parent=tip)
                    made += 1
                merger = rng.choice(AUTHORS)
                main = stream.commit("refs/heads/main", merger,
                                     f"Merge pull request #{pr} from {author[1].split('@')[0]}"
                                     f"/pr-{pr}\n\n{titles[0]}", files={"ports.yaml": plan.text()},
                                     parent=main, merge=tip)
                made += 1
            else:
                subject = edit(plan, made)
                if roll > 0.9:
                    pr += 1
                    subject += f" (#{pr})"
                main = stream.commit("refs/heads/main", rng.choice(AUTHORS), subject,
                                     files={"ports.yaml": plan.text()}, parent=main)
                made += 1
        stream.pipe.close()
        proc.wait()
    if proc.returncode:
        sys.exit(f"git fast-import failed with {proc.returncode}")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.entries, args.commits, args.seed)


if __name__ == "__main__":
    main()
