"""Build real git repositories from a readable list of versions (histories as data).

>>> make_repo(tmp_path, [
...     Version(REGISTRY_A, author="Aiko Tanaka <aiko@example.org>",
...             date="2026-03-05T10:00:00+09:00", message="Add Grafana"),
...     Version(REGISTRY_B, branch="feature", message="Move Mock to 8020"),
...     Version(merge="feature", message="Merge pull request #12 from aiko/move"),
... ])

Every commit pins author, committer and dates; every git call passes ``check=True``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_AUTHOR = "Ada Lovelace <ada@example.org>"
# No user or system git configuration reaches the tests (signing, hooks, default branch...).
_ISOLATED = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@dataclass(frozen=True)
class Version:
    """One commit: the registry text as it stands after it, and who made it when.

    ``text`` None leaves the registry as it is (a commit touching ``files`` only);
    ``delete`` removes it; ``rename_from`` moves the file from there to ``path`` first.
    ``branch`` is the branch the commit goes on (created from main's tip, or with no parent
    when ``orphan``); ``merge`` makes a ``--no-ff`` merge of that branch into ``branch``.
    """

    text: str | None = None
    author: str = DEFAULT_AUTHOR
    date: str = "2026-03-05T10:00:00+00:00"
    message: str = "Update the port plan"
    path: str = "ports.yaml"
    files: Mapping[str, str] = field(default_factory=dict)
    branch: str = "main"
    orphan: bool = False
    merge: str | None = None
    rename_from: str | None = None
    delete: bool = False
    committer: str | None = None
    committer_date: str | None = None
    merge_options: tuple[str, ...] = ()  # e.g. ("-X", "theirs") for unrelated histories


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    out = subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True,
        env={**os.environ, **_ISOLATED, **(env or {})},
    )
    return out.stdout


def _identity(who: str) -> tuple[str, str]:
    name, _, email = who.partition(" <")
    return name, email.rstrip(">")


def _env(version: Version) -> dict[str, str]:
    a_name, a_email = _identity(version.author)
    c_name, c_email = _identity(version.committer or version.author)
    return {
        "GIT_AUTHOR_NAME": a_name, "GIT_AUTHOR_EMAIL": a_email,
        "GIT_AUTHOR_DATE": version.date,
        "GIT_COMMITTER_NAME": c_name, "GIT_COMMITTER_EMAIL": c_email,
        "GIT_COMMITTER_DATE": version.committer_date or version.date,
    }


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Runner")
    git(repo, "config", "user.email", "runner@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def make_repo(repo: Path, versions: Sequence[Version]) -> Path:
    """Create ``repo`` and commit each version in turn; ends with main checked out."""
    init_repo(repo)
    for version in versions:
        commit(repo, version)
    if git(repo, "branch", "--show-current").strip() != "main":
        git(repo, "checkout", "-q", "main")
    return repo


def _switch(repo: Path, version: Version) -> None:
    current = git(repo, "branch", "--show-current").strip()
    if current == version.branch:
        return
    branches = git(repo, "branch", "--list", version.branch).strip()
    has_commits = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=repo,
                                 capture_output=True, check=False).returncode == 0
    if branches:
        git(repo, "checkout", "-q", version.branch)
    elif version.orphan:
        git(repo, "checkout", "-q", "--orphan", version.branch)
        git(repo, "rm", "-rfq", "--ignore-unmatch", ".")
    elif has_commits:
        git(repo, "checkout", "-q", "-b", version.branch, "main")
    else:
        git(repo, "checkout", "-q", "-b", version.branch)


def commit(repo: Path, version: Version) -> str:
    """Commit one version; returns the new commit's sha."""
    _switch(repo, version)
    env = _env(version)
    if version.merge:
        git(repo, "merge", "-q", "--no-ff", "--allow-unrelated-histories",
            *version.merge_options, "-m", version.message, version.merge, env=env)
    else:
        if version.rename_from:
            (repo / version.path).parent.mkdir(parents=True, exist_ok=True)
            git(repo, "mv", version.rename_from, version.path)
        target = repo / version.path
        if version.delete:
            git(repo, "rm", "-q", version.path)
        elif version.text is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(version.text, encoding="utf-8")
            git(repo, "add", version.path)
        for name, content in version.files.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(content, encoding="utf-8")
            git(repo, "add", name)
        git(repo, "commit", "-q", "--allow-empty", "-m", version.message, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


def commit_all(repo: Path, message: str, date: str = "2026-03-05T10:00:00+09:00",
               author: str = "Aiko Tanaka <aiko@example.org>") -> str:
    """Commit every file in the work tree (a fresh repository on the first call); the sha."""
    if not (repo / ".git").exists():
        init_repo(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env=_env(Version(author=author, date=date)))
    return git(repo, "rev-parse", "HEAD").strip()


def registry(*entries: str, header: str = "version: 1\n") -> str:
    """A registry text from entry snippets such as ``"port: 3000\\n    service: Grafana"``."""
    body = "".join(f"  - {e}\n" for e in entries)
    return f"{header}\nports:\n{body}" if entries else f"{header}\nports: []\n"
