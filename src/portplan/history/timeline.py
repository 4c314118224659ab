"""Read a registry's history from git: `read_history` (SPEC §4).

The git adapter lists the first-parent commits that touched the registry (following renames)
and streams their blobs; the snapshot reader turns consecutive versions into changes; each
change is tied to its commit. Work up to HEAD is kept as a checkpoint (see `cache`), so
`mkdocs serve` rebuilds and new commits only pay for what is new.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import yaml

from portplan import git, registry_file
from portplan.history import cache
from portplan.history.model import Change, Commit, History, PortEvent
from portplan.history.snapshots import SnapshotReader
from portplan.model import Assignment
from portplan.problems import GitError, PortplanError
from portplan.registry import (
    assignment_from_node,
    assignment_from_text,
    assignments_from_text,
)
from portplan.registry_file import read_registry_bytes
from portplan.terminal import printable

try:  # the same loader as the registry's: libyaml when PyYAML has it
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_PLAIN = re.compile(r"[\x20\x22-\x25\x27-\x29\x2b-\x7e\n]*")  # printable ASCII but ! & *
_DEEP = "\n" + " " * 24  # more indentation than a registry entry ever needs

SHALLOW_NOTICE = "history is incomplete: shallow clone, run git fetch --unshallow"
_MERGED_PR = re.compile(r"^Merge pull request #(\d+)\b")
_SQUASHED_PR = re.compile(r"\(#(\d+)\)\s*$")
_GITLAB_MR = re.compile(r"^See merge request \S*!(\d+)\s*$", re.MULTILINE)


def read_entry(chunk: str) -> Assignment | None:
    """One item of ``ports:`` on its own, or None when only the whole file can judge it.

    Plain items (printable ASCII, no tags, anchors, aliases, tabs or deep nesting: nearly all
    of them) are composed by libyaml directly, several times faster than the registry's own
    careful composer, which gives the same nodes for them; the rest go through that composer.
    The whole-file loader rejects a version for a tab in the indentation or any anchor or
    alias; a lone item would read fine, so such items go back to the whole-file path.
    """
    if _PLAIN.fullmatch(chunk) and chunk.count("[") + chunk.count("{") < 8 \
            and _DEEP not in chunk:
        try:
            node = yaml.compose(chunk, Loader=SafeLoader)
        except yaml.YAMLError:
            return None
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
            return None
        return assignment_from_node(node.value[0], "ports.yaml", [])
    if "\t" in chunk and _TAB_INDENT.search(chunk):
        return None
    if ("&" in chunk or "*" in chunk) and _has_anchor(chunk):
        return None
    return assignment_from_text(chunk)


def _has_anchor(chunk: str) -> bool:
    try:
        return any(isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
                   for event in yaml.parse(chunk, Loader=SafeLoader))
    except yaml.YAMLError:
        return True


def pr_number(message: str) -> int | None:
    """The pull request a commit message names, or None.

    GitHub's merge subject ``Merge pull request #12 from ...``, a squash or rebase subject
    ending in ``(#12)``, or GitLab's ``See merge request group/project!12`` line.

    >>> pr_number("Move the mock coordinator to 8020 (#12)")
    12
    """
    subject = message.split("\n", 1)[0].strip()
    found = _MERGED_PR.match(subject) or _SQUASHED_PR.search(subject) \
        or _GITLAB_MR.search(message)
    return int(found.group(1)) if found else None


def read_history(repo_dir: Path, registry_path: Path, *, include_worktree: bool = True,
                 cache_dir: Path | None = None, rev: str = "HEAD") -> History:
    """The history of ``registry_path`` along ``rev``'s first-parent line, oldest event first.

    Uncommitted edits are included only for ``rev="HEAD"`` (and ``include_worktree``).

    Never raises for a missing git, a directory that is not a repository, or a shallow clone:
    the returned `History` says so in ``available``, ``complete`` and ``notices``.
    ``cache_dir`` defaults to ``<git dir>/portplan``.
    """
    try:
        top = git.toplevel(repo_dir)
    except GitError as exc:
        return History(complete=False, available=False,
                       notices=(f"history is unavailable: {_reason(exc)}",))
    absolute = (registry_path if registry_path.is_absolute() else repo_dir / registry_path)
    try:
        path = absolute.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return History(complete=False, available=False, notices=(
            f"history is unavailable: {registry_path} is outside the git repository {top}",))
    try:
        head, shallow, head_blob = git.head_state(top, path, rev)
        if cache_dir is None:
            cache_dir = git.git_dir(top) / "portplan"
        checkpoint = _committed(top, path, head, cache_dir, shallow=shallow)
        include_worktree = include_worktree and rev == "HEAD"
        worktree = _worktree(top, path, head_blob, checkpoint.reader) if include_worktree \
            else (None, [], None)
    except GitError as exc:  # a broken repository, missing objects of a partial clone, ...
        return History(complete=False, available=False,
                       notices=(f"history is unavailable: {exc}",))
    events = list(checkpoint.events)
    commits = list(checkpoint.commits)
    skipped = list(checkpoint.skipped)
    notices = [SHALLOW_NOTICE] if shallow else []
    notices += checkpoint.notices
    if include_worktree:
        commit, changes, problem = worktree
        if commit is not None:
            commits.append(commit)
            events.extend(PortEvent(commit, change) for change in changes)
        if problem:
            skipped.append(problem)
    return History(tuple(events), complete=not shallow and not checkpoint.cut,
                   available=True, notices=tuple(notices), skipped=tuple(skipped),
                   commits=tuple(commits))


def _reason(exc: GitError) -> str:
    message = str(exc)
    if "not a git repository" in message:
        return "not a git repository (a tarball or copied checkout?); " \
            "clone the repository with git to see when each port changed"
    return message


def _committed(repo: Path, path: str, head: str | None, cache_dir: Path, *,
               shallow: bool) -> cache.Checkpoint:
    """The checkpoint at ``head``: from the cache, resumed from an older one, or built."""
    key = cache.cache_key(path)
    fresh = cache.Checkpoint(key, "", shallow, [], [], [], [], False,
                             SnapshotReader(read_entry, assignments_from_text))
    if head is None:
        return fresh
    held = cache.load(cache_dir, repo, path,
                      lambda: SnapshotReader(read_entry, assignments_from_text))
    if held is not None and held.shallow != shallow:
        held = None  # fetched with --unshallow since: the older commits are there now
    if held is not None and held.head == head:
        return held
    start = fresh
    if held is not None and held.head in git.first_parent_shas(repo, head):
        start = held
    log = git.registry_log(repo, path, since=start.head or None, rev=head)
    checkpoint = cache.Checkpoint(key, head, shallow, list(start.events), list(start.commits),
                                  list(start.skipped), list(start.notices), start.cut,
                                  start.reader.fork())
    # A shallow clone's cut-off commit has no parents and seems to add every port.
    cut_off = shallow and not start.head and bool(log) and not log[0].parents
    _replay(repo, log, checkpoint, baseline=cut_off)
    if not start.head and log and not shallow:
        _note_lost_rename(repo, log[0], checkpoint)
    cache.store(cache_dir, repo, checkpoint)
    return checkpoint


def _replay(repo: Path, log: Sequence[git.LogEntry], into: cache.Checkpoint, *,
            baseline: bool) -> None:
    merged = git.authors(repo, (e.parents[1] for e in log if len(e.parents) > 1))
    wanted = [e.blob for e in log if e.blob is not None]
    reader = into.reader
    with git.ObjectReader(repo) as blobs, closing(blobs.read(wanted)) as stream:
        for number, entry in enumerate(log):
            data = next(stream)[1] if entry.blob is not None else None
            commit = _commit(entry, merged)
            into.commits.append(commit)
            into.notices.extend(entry.commit.notices)
            if entry.not_a_file is not None:
                into.skipped.append(
                    f"skipped the registry at commit {entry.sha[:12]} "
                    f"({printable(entry.subject)}): {entry.path} is {entry.not_a_file} there, "
                    "not a file")
                continue
            if data is not None and len(data) > registry_file.MAX_BYTES:
                into.skipped.append(
                    f"skipped the registry at commit {entry.sha[:12]} "
                    f"({printable(entry.subject)}): it is larger than "
                    f"{registry_file.MAX_BYTES // 2**20} MiB, more than any port plan needs")
                continue
            try:
                changes = reader.advance(entry.blob, data)
            except PortplanError as exc:
                into.skipped.append(
                    f"skipped the registry at commit {entry.sha[:12]} "
                    f"({printable(entry.subject)}): it cannot be read: {exc}")
                continue
            if baseline and number == 0:
                continue  # a shallow clone's first commit did not add every port
            into.events.extend(PortEvent(commit, change) for change in changes)


def _note_lost_rename(repo: Path, first: git.LogEntry, into: cache.Checkpoint) -> None:
    """Say so when the history starts where the registry was renamed and rewritten at once.

    Git follows a rename only while the file stays similar enough; past that, the commit
    looks like one file deleted and another added, and the history would start there silently.
    """
    if not first.parents:
        return
    gone = [p for p in git.deleted_in(repo, first.sha) if p.endswith((".yaml", ".yml"))]
    if gone:
        into.cut = True
        into.notices.append(
            f"history is incomplete: {first.path} first appears in commit {first.sha[:12]}, "
            f"which also deleted {', '.join(gone)}; if that was a rename with most of the file "
            "rewritten, git cannot follow it, and the history before it is not shown "
            "(rename and rewrite in two separate commits to keep it)")


def _commit(entry: git.LogEntry, merged: dict[str, str]) -> Commit:
    author = entry.author
    if len(entry.parents) > 1 and entry.parents[1] in merged:
        author = merged[entry.parents[1]]  # the merged branch's author wrote the change
    return Commit(sha=entry.sha, date=entry.committer_date, author=author,
                  subject=entry.subject, pr=pr_number(entry.message))


def _worktree(repo: Path, path: str, head_blob: str | None, reader: SnapshotReader
              ) -> tuple[Commit | None, list[Change], str | None]:
    """The uncommitted edit of the registry, if any, as one pseudo-commit and its changes."""
    file = repo / path
    if not file.is_file():
        return None, [], None  # no registry in the work tree: nothing uncommitted to show
    try:
        data = read_registry_bytes(file)
        mtime = file.stat().st_mtime
    except (OSError, PortplanError) as exc:
        return None, [], f"the uncommitted registry cannot be read: {exc}"
    if git.blob_id(data) == head_blob or git.worktree_blob_id(repo, path) == head_blob:
        return None, [], None
    try:
        changes = reader.fork().advance(None, data)
    except PortplanError as exc:
        return None, [], f"the uncommitted registry cannot be read yet: {exc}"
    try:
        when = dt.datetime.fromtimestamp(int(mtime)).astimezone()
    except (OverflowError, OSError, ValueError):  # touch -d 'year 10000': no such datetime
        when = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=1)
    commit = Commit(sha="", date=when,
                    author=git.user_name(repo) or "you", subject="uncommitted changes",
                    uncommitted=True)
    return commit, changes, None
