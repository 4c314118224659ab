"""Registry versions by revision, for `portplan diff` and `portplan check --base`.

Through :mod:`portplan.git`, the one module that runs git: which commit a name means, the base a
branch left from, and the registry as a revision has it (docs/proposing-changes.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portplan import git
from portplan.model import Assignment
from portplan.problems import GitError, PortplanError
from portplan.registry.file_bytes import resolved
from portplan.registry.load import assignments_from_text


def resolve_commit(repo: Path, rev: str) -> str:
    """The full sha of ``rev``; PortplanError saying so when there is no such revision."""
    if rev.startswith("-"):
        raise PortplanError(f"{rev!r} is not a revision")
    sha = git.commit_sha(repo, rev)
    if sha is None:
        raise PortplanError(f"{rev!r} is not a commit in {repo}; fetch it first (in GitHub "
                            "Actions, check out with fetch-depth: 0) or check the name")
    return sha


def default_base(repo: Path) -> tuple[str, str]:
    """(label, sha): the merge base of HEAD with the default branch (origin/HEAD, main, master)."""
    for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        tip = git.commit_sha(repo, candidate)
        base = git.merge_base(repo, "HEAD", tip) if tip else None
        if base:
            return f"merge base with {candidate}", base
    raise PortplanError("cannot tell the default branch (no origin/HEAD, main or master); "
                        "name the base, e.g. `portplan diff origin/main`")


def repo_path(registry: Path) -> tuple[Path, str]:
    """(work tree root, the registry's path inside it, with ``/``)."""
    absolute = resolved(registry)
    root = git.toplevel(absolute.parent)
    return root, absolute.relative_to(root.resolve()).as_posix()


def assignments_at(repo: Path, commit: str, path: str) -> tuple[Assignment, ...]:
    """The entries of the registry in ``commit``; none when the file did not exist yet."""
    data = git.file_at(repo, commit, path)
    return () if data is None else assignments_from_text(data, f"{commit[:7]}:{path}")


@dataclass(frozen=True)
class BaseRegistry:
    """The registry as a base revision has it, for comparing a change against."""

    path: str  # where it is in the base: the old path when the change renamed it
    assignments: tuple[Assignment, ...]
    unreadable: str | None = None  # why the base's version could not be read, when it could not
    found: bool = True  # False when the base has no registry at the path (nor renamed)


def registry_in(repo: Path, commit: str, path: str) -> bool:
    """Whether ``commit`` has anything at ``path`` (a mistyped path has nothing)."""
    return git.has_path(repo, commit, path)


def base_registry(repo: Path, base: str, path: str, head: str | None = None) -> BaseRegistry:
    """The registry at commit ``base``, for a change whose registry is at ``path``.

    When ``path`` is not in ``base`` but the change renamed the file there (``git mv``), the
    base's version is read from its old path; ``head`` is the change's commit, None for the
    index. A base version that does not load is reported in ``unreadable``, with no entries:
    the contributor cannot repair the base, and must still be able to check a change that
    repairs it.
    """
    try:
        where, data = path, git.file_at(repo, base, path)
        if data is None:
            old = git.renamed_from(repo, base, path, head)
            if old is not None:
                where, data = old, git.file_at(repo, base, old)
    except GitError as exc:  # a directory or a submodule there: skip that version
        return BaseRegistry(path, (), unreadable=str(exc))
    if data is None:
        return BaseRegistry(where, (), found=False)
    try:
        return BaseRegistry(where, assignments_from_text(data, f"{base[:7]}:{where}"))
    except PortplanError as exc:
        return BaseRegistry(where, (), unreadable=str(exc))

