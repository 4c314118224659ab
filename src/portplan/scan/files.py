"""Which files a scan reads, and as what kind of source (docs/scan.md, "What is read").

In a git work tree the scan reads what git tracks (and new files it does not ignore); elsewhere
it walks the tree. Prose and data (Markdown, JSON, lock files), vendored trees, symbolic links
and binary files are never sources.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from portplan import git
from portplan.problems import GitError

VENDORED = frozenset({"vendor", "node_modules", "third_party", ".git", ".hg", ".svn",
                      ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})
NOT_SOURCES = frozenset({".md", ".markdown", ".rst", ".txt", ".json", ".lock", ".sum"})
LOCK_FILES = frozenset({"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock",
                        "Pipfile.lock", "Cargo.lock", "Gemfile.lock", "composer.lock",
                        "go.sum", "uv.lock"})
DEV_SERVER_CONFIGS = ("vite.config.", "webpack.config.", "vue.config.")
SHELLS = (b"sh", b"bash", b"dash", b"zsh", b"ksh")


def listing(root: Path) -> list[str]:
    """Every candidate file under ``root``, relative and ``/``-separated."""
    if (root / ".git").exists() or _inside_work_tree(root):
        try:
            return git.tracked_files(root)
        except GitError:
            pass  # not a work tree after all (a bare .git file left behind): walk instead
    return _walk(root)


def _inside_work_tree(root: Path) -> bool:
    return any((parent / ".git").exists() for parent in root.parents)


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for directory, dirs, names in os.walk(root):  # never follows links: no loops
        dirs[:] = sorted(d for d in dirs if d not in VENDORED)
        base = Path(directory).relative_to(root)
        found.extend((base / name).as_posix() for name in names)
    return sorted(found)


def matches(path: str, patterns: Iterable[str]) -> bool:
    """``path`` matches a glob: against the whole path (``*`` crosses ``/``), as a directory
    prefix (``apps/legacy``), or, for a pattern without ``/``, against the file name."""
    name = path.rpartition("/")[2]
    for given in patterns:
        pattern = given.rstrip("/")
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, f"{pattern}/*"):
            return True
        if "/" not in pattern and fnmatch.fnmatchcase(name, pattern):
            return True
    return False


def kind_of(path: str) -> str | None:
    """The source kind a file's name says, ``shebang`` when only its first line can tell."""
    pure = PurePosixPath(path)
    name, suffix = pure.name, pure.suffix.lower()
    if any(part in VENDORED for part in pure.parts[:-1]) or name in LOCK_FILES:
        return None
    if name == "package.json":
        return "package.json"
    if suffix in NOT_SOURCES:
        return None
    kind = _by_name(name, suffix)
    if kind is None and not suffix:
        return "shebang"
    return kind


def _by_name(name: str, suffix: str) -> str | None:  # noqa: PLR0911 - one answer per kind
    lower = name.lower()
    if suffix in (".service", ".socket"):
        return "systemd"
    if lower.startswith(".env") or suffix == ".env" or lower in ("env.example", "env.sample"):
        return "dotenv"
    if suffix in (".yml", ".yaml"):
        stem = lower.rsplit(".", 1)[0]
        if stem.startswith(("docker-compose", "compose")):
            return "compose"
        return "kubernetes"
    if lower in ("dockerfile", "containerfile") or lower.startswith("dockerfile.") \
            or suffix == ".dockerfile":
        return "dockerfile"
    if suffix == ".conf" or lower == "nginx.conf":
        return "nginx"
    if suffix in (".sh", ".bash", ".zsh", ".ksh"):
        return "shell"
    if name == "Procfile" or name.startswith("Procfile."):
        return "procfile"
    if lower.startswith(DEV_SERVER_CONFIGS) and suffix in (".js", ".ts", ".mjs", ".cjs",
                                                            ".mts", ".cts"):
        return "dev-server"
    return None


def is_shell_script(head: bytes) -> bool:
    """A ``#!`` line that runs a shell (``/bin/sh``, ``/usr/bin/env bash``)."""
    if not head.startswith(b"#!"):
        return False
    first = head[2:].split(b"\n", 1)[0].split()
    if first and first[0].endswith(b"/env") and len(first) > 1:
        first = first[1:]
    return bool(first) and first[0].rsplit(b"/", 1)[-1] in SHELLS
