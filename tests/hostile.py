"""Hand-written commit objects, as an attacker (or an odd tool) would write them.

``git hash-object --literally`` stores whatever bytes it is given, so these tests reach the
commits git accepts but its own porcelain would never make.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from gitrepo import git


def write_commit(repo: Path, *, message: bytes, author: bytes = b"A U Thor <a@example.org>",
                 when: bytes = b"1772704800 +0000", committer_when: bytes | None = None,
                 extra_headers: bytes = b"", text: str | None = None) -> str:
    """Commit the work tree's ports.yaml (or ``text``) on main with these raw header bytes."""
    if text is not None:
        (repo / "ports.yaml").write_text(text, encoding="utf-8")
    git(repo, "add", "ports.yaml")
    tree = git(repo, "write-tree").strip()
    parent = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=repo,
                            capture_output=True, text=True, check=False).stdout.strip()
    body = b"tree " + tree.encode() + b"\n"
    if parent:
        body += b"parent " + parent.encode() + b"\n"
    body += (b"author " + author + b" " + when + b"\n"
             b"committer C O Mitter <c@example.org> " + (committer_when or when) + b"\n"
             + extra_headers + b"\n" + message)
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
                         cwd=repo, input=body, capture_output=True, check=True
                         ).stdout.decode().strip()
    git(repo, "update-ref", "refs/heads/main", sha)
    git(repo, "reset", "-q", "--hard", sha)
    return sha


def registry(*entries: tuple[int, str]) -> str:
    lines = ["version: 1", "ports:"]
    for port, service in entries:
        lines += [f"  - port: {port}", f"    service: {service}"]
    return "\n".join(lines) + "\n"
