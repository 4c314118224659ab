"""Read a registry's history from git: `read_history` (docs/history.md).

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

from portplan import git
from portplan.adopt.options import ImportOptions
from portplan.adopt.options_comment import options_in
from portplan.history import cache
from portplan.history.model import Change, Commit, History, PortEvent
from portplan.history.snapshots import SnapshotReader, imported_from, plan_version
from portplan.problems import GitError, PortplanError
from portplan.registry import file_bytes
from portplan.registry.file_bytes import read_registry_bytes
from portplan.registry.load import assignment_from_item, assignments_from_text
from portplan.terminal import printable

SHALLOW_NOTICE = "history is incomplete: shallow clone, run git fetch --unshallow"
_MERGED_PR = re.compile(r"^Merge pull request #(\d+)\b")
_SQUASHED_PR = re.compile(r"\(#(\d+)\)\s*$")
_GITLAB_MR = re.compile(r"^See merge request \S*!(\d+)\s*$", re.MULTILINE)


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


def pr_title(message: str) -> str | None:
    """The pull request's title in a GitHub merge message: the first line after the subject.

    >>> pr_title("Merge pull request #12 from bob/mock-move\\n\\nRetire the mock coordinator")
    'Retire the mock coordinator'
    """
    subject, _, body = message.partition("\n")
    if not _MERGED_PR.match(subject.strip()):
        return None
    return next((line.strip() for line in body.splitlines() if line.strip()), None)


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
                             SnapshotReader(assignment_from_item, assignments_from_text))
    if head is None:
        return fresh
    held = cache.load(cache_dir, repo, path,
                      lambda: SnapshotReader(assignment_from_item, assignments_from_text))
    if held is not None and held.shallow != shallow:
        held = None  # fetched with --unshallow since: the older commits are there now
    if held is not None and held.head == head:
        return held
    start = fresh
    if held is not None and held.head in git.first_parent_shas(repo, head):
        start = held
    log = git.registry_log(repo, path, since=start.head or None, rev=head)
    plan: list[git.LogEntry] = []
    options = ImportOptions()
    if not start.head and log:
        plan, options = _plan_log(repo, log[0])
    checkpoint = cache.Checkpoint(key, head, shallow, list(start.events), list(start.commits),
                                  list(start.skipped), list(start.notices), start.cut,
                                  start.reader.fork())
    # A shallow clone's cut-off commit has no parents and seems to add every port.
    cut_off = shallow and not start.head and bool(log) and not log[0].parents
    cut_off = cut_off or (shallow and bool(plan) and not plan[0].parents)
    _replay(repo, [*plan, *log], checkpoint, baseline=cut_off, plan={e.sha for e in plan},
            options=options)
    if not start.head and not shallow and (plan or log):
        _note_lost_rename(repo, (plan or log)[0], checkpoint)
    cache.store(cache_dir, repo, checkpoint)
    return checkpoint


def _plan_log(repo: Path, first: git.LogEntry) -> tuple[list[git.LogEntry], ImportOptions]:
    """The commits of the Markdown plan the registry's first version was imported from.

    Those before the registry's first commit, following renames, oldest first
    (docs/adopting.md), and the options of the import, which read them the way the registry
    was made.
    """
    if first.blob is None or not first.parents:
        return [], ImportOptions()
    registry = git.file_at(repo, first.sha, first.path)
    source = imported_from(registry, first.path) if registry else None
    if registry is None or source is None:
        return [], ImportOptions()
    options = options_in(registry.decode("utf-8", errors="replace"))
    return git.registry_log(repo, source, rev=first.parents[0]), options


def _replay(repo: Path, log: Sequence[git.LogEntry], into: cache.Checkpoint, *,
            baseline: bool, plan: set[str] | None = None,
            options: ImportOptions | None = None) -> None:
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
            if data is not None and len(data) > file_bytes.MAX_BYTES:
                into.skipped.append(
                    f"skipped the registry at commit {entry.sha[:12]} "
                    f"({printable(entry.subject)}): it is larger than "
                    f"{file_bytes.MAX_BYTES // 2**20} MiB, more than any port plan needs")
                continue
            blob, what = entry.blob, "the registry"
            try:
                if plan and entry.sha in plan:  # the Markdown plan, through the importer
                    blob, what = blob and f"plan:{blob}", entry.path
                    data = plan_version(data, entry.path, options or ImportOptions()) \
                        if data is not None else None
                changes = reader.advance(blob, data)
            except PortplanError as exc:
                into.skipped.append(
                    f"skipped {what} at commit {entry.sha[:12]} ({printable(entry.subject)}): "
                    f"it cannot be read: {exc}")
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
                  subject=entry.subject, pr=pr_number(entry.message),
                  title=pr_title(entry.message))


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
