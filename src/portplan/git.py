"""The only place that touches git, through GitPython. Everything else gets strings and records.

Every command goes through `_run`, every single file through GitPython's persistent
``git cat-file`` (`Git.get_object_data`), and long runs of objects (commits, every version of
the registry) through one ``cat-file --batch`` that GitPython starts (`ObjectReader`). All
turn GitPython's exceptions into `GitError` carrying git's own message, here and nowhere else.

Commit metadata is data, never syntax (docs/history.md): the log only lists commit ids and
NUL-separated raw diff lines, and each commit is read as its object, so no text in a message
or an author name can split or forge a record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from portplan.commit_object import CommitObject, parse_commit
from portplan.problems import GitError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# Without this, importing GitPython on a machine without git fails; we say so per command.
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
import git as gitpython  # after the refresh mode above

# Never let a read take the index lock: other tools (and `mkdocs serve`) share the work tree.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
_BASE = ("git", "-c", "core.quotePath=false", "-c", "log.showSignature=false")
_NOT_FILES = {"040000": "a directory", "160000": "a submodule (gitlink)",
              "120000": "a symbolic link"}


class _Git(gitpython.Git):
    """GitPython's runner, also for SHA-256 repositories.

    Its ``cat-file --batch`` header check wants 40 hex digits; a SHA-256 id has 64.
    """

    def _parse_object_header(self, header_line: str) -> tuple[str, str, int]:
        tokens = header_line.split()
        if len(tokens) == 3 and len(tokens[0]) == 64:
            return tokens[0], tokens[1], int(tokens[2])
        return super()._parse_object_header(header_line)


def _git(where: Path) -> _Git:
    if not where.is_dir():  # else the missing directory is reported as a missing git
        raise GitError(f"{where} is not a directory")
    runner = _Git(where)
    runner.update_environment(**_ENV)
    return runner


def _run(where: Path, *args: str, ok: Sequence[int] = (0,)) -> tuple[int, bytes]:
    """Run git in ``where``; (exit code, stdout bytes). Other codes raise `GitError`."""
    runner = _git(where)
    try:
        code, out, err = runner.execute(
            [*_BASE, *args], with_extended_output=True, with_exceptions=False,
            stdout_as_string=False, strip_newline_in_stdout=False)
    except gitpython.GitCommandNotFound as exc:
        raise GitError("git is not installed or not on PATH") from exc
    except gitpython.GitCommandError as exc:  # pragma: no cover - with_exceptions=False
        raise GitError(str(exc.stderr).strip() or str(exc)) from exc
    if code not in ok:
        message = (err.decode(errors="replace") if isinstance(err, bytes) else str(err)).strip()
        raise GitError(message or f"git {args[0]} exited with {code}")
    return code, out if isinstance(out, bytes) else out.encode()


def _text(where: Path, *args: str, ok: Sequence[int] = (0,)) -> str:
    return _run(where, *args, ok=ok)[1].decode(errors="replace").strip()


def _repository(path: Path) -> gitpython.Repo:
    """The repository containing ``path``: a subdirectory, a worktree, a bare repository."""
    where = path if path.is_dir() else path.parent
    if not where.is_dir():
        raise GitError(f"{where} is not a directory")
    try:
        return gitpython.Repo(where, search_parent_directories=True)
    except gitpython.InvalidGitRepositoryError as exc:
        raise GitError(f"not a git repository (or any parent up to /): {where}") from exc
    except gitpython.NoSuchPathError as exc:
        raise GitError(f"{where} does not exist") from exc


def toplevel(path: Path) -> Path:
    """The work tree root containing ``path``; `GitError` when there is none."""
    repo = _repository(path)
    try:
        if repo.bare or repo.working_tree_dir is None:
            raise GitError(f"{repo.git_dir} is a bare repository: it has no work tree to read")
        top = Path(repo.working_tree_dir)
    finally:
        repo.close()
    # git itself refuses a repository someone else owns (safe.directory): ask it, to say so.
    _run(top, "rev-parse", "--show-toplevel")
    return top


def git_dir(repo: Path) -> Path:
    return Path(_text(repo, "rev-parse", "--absolute-git-dir"))


def commit_sha(repo: Path, rev: str) -> str | None:
    """The full sha of the commit ``rev`` names (``:/text`` too), or None when there is none."""
    if rev.startswith("-"):
        return None  # never let a revision be read as an option
    code, out = _run(repo, "rev-parse", "-q", "--verify", "--end-of-options",
                     f"{rev}^{{commit}}" if not rev.startswith(":/") else rev, ok=(0, 1, 128))
    if code != 0:
        return None
    sha = out.decode().strip()
    if rev.startswith(":/") and _text(repo, "cat-file", "-t", sha) != "commit":
        return None
    return sha


def _entry_at(repo: Path, commit: str, path: str) -> tuple[str, str] | None:
    """(mode, object id) of ``path`` in ``commit``, or None when it has no such path."""
    _, out = _run(repo, "ls-tree", "-z", "--full-tree", commit, "--", path, ok=(0, 128))
    for record in out.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        if name.decode(errors="surrogateescape") == path:
            mode, _, sha = meta.decode().split(" ")
            return mode, sha
    return None


def file_at(repo: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` in ``commit``; None when the commit has no file there.

    A directory, a submodule or a symbolic link at ``path`` raises `GitError` saying which.
    """
    found = _entry_at(repo, commit, path)
    if found is None:
        return None
    mode, sha = found
    if mode in _NOT_FILES:
        raise GitError(f"{path} is {_NOT_FILES[mode]} in {commit[:12]}, not a registry file")
    runner = _git(repo)
    try:
        return runner.get_object_data(sha)[3]
    except gitpython.GitCommandNotFound as exc:
        raise GitError("git is not installed or not on PATH") from exc
    except (ValueError, OSError, gitpython.GitError) as exc:
        raise GitError(f"cannot read {path} in {commit[:12]}: {exc}") from exc
    finally:
        runner.clear_cache()


def has_path(repo: Path, commit: str, path: str) -> bool:
    """Whether ``commit`` has anything (a file or a directory) at ``path``."""
    return _entry_at(repo, commit, path.rstrip("/")) is not None


def renamed_from(repo: Path, base: str, path: str, head: str | None = None) -> str | None:
    """Where ``path`` was in ``base``, when git sees it renamed since; else None.

    ``head`` None compares ``base`` with the index, which holds both committed and staged
    renames (`git mv`); otherwise the two commits are compared.
    """
    sides = ("--cached", base) if head is None else (base, head)
    # No pathspec: rename detection needs both the old and the new path in view.
    out = _run(repo, "diff", "-M", "-z", "--name-status", "--diff-filter=R", *sides, "--")[1]
    fields = out.decode(errors="surrogateescape").split("\0")
    for at in range(0, len(fields) - 2, 3):  # R<score> NUL old NUL new NUL
        if fields[at].startswith("R") and fields[at + 2] == path:
            return fields[at + 1]
    return None


def deleted_in(repo: Path, sha: str) -> list[str]:
    """The paths commit ``sha`` deleted, against its first parent."""
    out = _run(repo, "diff", "--no-renames", "-z", "--name-only", "--diff-filter=D",
               f"{sha}^", sha, "--")[1]
    return [p for p in out.decode(errors="replace").split("\0") if p]


def merge_base(repo: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history."""
    code, out = _run(repo, "merge-base", one, other, ok=(0, 1))
    return out.decode().strip() if code == 0 else None


@dataclass(frozen=True)
class LogEntry:
    """One first-parent commit that touched the registry, read from its commit object."""

    commit: CommitObject
    path: str  # where the registry lives in this commit
    blob: str | None  # the registry's blob after this commit; None when it is not a file
    not_a_file: str | None = None  # "a directory", ...: why ``blob`` is None though it exists

    @property
    def sha(self) -> str:
        return self.commit.sha

    @property
    def parents(self) -> tuple[str, ...]:
        return self.commit.parents

    @property
    def author(self) -> str:
        return self.commit.author

    @property
    def committer_date(self) -> dt.datetime:
        return self.commit.committer_date

    @property
    def message(self) -> str:
        return self.commit.message

    @property
    def subject(self) -> str:
        return self.commit.subject


def head_state(repo: Path, path: str, rev: str = "HEAD") -> tuple[str | None, bool, str | None]:
    """(``rev``'s sha or None for an unborn branch, is the clone shallow, registry blob there)."""
    shallow = _text(repo, "rev-parse", "--is-shallow-repository") == "true"
    head = _text(repo, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok=(0, 1))
    if not head:
        return None, shallow, None
    found = _entry_at(repo, head, path)
    blob = found[1] if found is not None and found[0] not in _NOT_FILES else None
    return head, shallow, blob


def first_parent_shas(repo: Path, rev: str = "HEAD") -> list[str]:
    """Every commit on ``rev``'s first-parent line, newest first."""
    return _run(repo, "rev-list", "--first-parent", rev, "--")[1].decode().split()


def registry_log(repo: Path, path: str, *, since: str | None = None,
                 rev: str = "HEAD") -> list[LogEntry]:
    """First-parent commits that touched ``path`` (following renames), oldest first.

    ``since`` limits the walk to commits after that one (it must be a first-parent ancestor).
    """
    rev = f"{since}..{rev}" if since else rev
    out = _run(repo, "log", "--first-parent", "--follow", "--raw", "-z", "--no-abbrev",
               "--format=%H", rev, "--", path)[1]
    changes = _raw_changes(out.decode(errors="surrogateescape"), path)
    with ObjectReader(repo) as objects:
        commits = objects.commits([sha for sha, *_ in changes])
    for sha in _shallow_boundary(repo) & commits.keys():
        # As git sees it: the cut-off commit of a shallow clone has no parents.
        commits[sha] = dataclasses.replace(commits[sha], parents=())
    entries = [LogEntry(commits[sha], where, blob, why) for sha, where, blob, why in changes]
    entries.reverse()
    return entries


def _shallow_boundary(repo: Path) -> set[str]:
    where = Path(_text(repo, "rev-parse", "--path-format=absolute", "--git-path", "shallow"))
    try:
        return set(where.read_text(encoding="ascii", errors="replace").split())
    except OSError:
        return set()


def _raw_changes(out: str, path: str) -> list[tuple[str, str, str | None, str | None]]:
    """(sha, path, blob, why not a file) per commit of ``git log -z --raw``, newest first."""
    tokens = out.split("\0")
    found: list[tuple[str, str, str | None, str | None]] = []
    current, at = path, 0
    while at < len(tokens):
        token = tokens[at].lstrip("\n")
        at += 1
        if not token.startswith(":"):
            if token:
                found.append((token, current, None, None))
            continue
        fields = token[1:].split(" ")
        status = fields[4] if len(fields) > 4 else ""
        names = tokens[at:at + (2 if status[:1] in "RC" else 1)]
        at += len(names)
        if not found or not names:
            continue
        sha, _, blob, why = found[-1]
        new_mode, new_sha, new_name = fields[1], fields[3], names[-1]
        if new_name == current:
            if status.startswith("D") or set(new_sha) == {"0"}:
                blob, why = None, None
            elif new_mode in _NOT_FILES:
                blob, why = None, _NOT_FILES[new_mode]
            else:
                blob, why = new_sha, None
            found[-1] = (sha, current, blob, why)
            if status[:1] == "R":
                current = names[0]  # older commits have it under its old name
        elif new_name.startswith(current + "/") and blob is None and not status.startswith("D"):
            found[-1] = (sha, current, None, _NOT_FILES["040000"])
    return found


def authors(repo: Path, shas: Iterable[str]) -> dict[str, str]:
    """Author name of each commit in ``shas`` (one cat-file process for all of them)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    with ObjectReader(repo) as objects:  # a shallow clone may lack a merged branch's tip
        found = objects.commits(wanted, missing_ok=True)
    return {sha: commit.author for sha, commit in found.items()}


def user_name(repo: Path) -> str | None:
    return _text(repo, "config", "user.name", ok=(0, 1)) or None


def blob_id(data: bytes) -> str:
    """The id git gives ``data`` as a blob (before any clean filters; SHA-1 repositories)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def worktree_blob_id(repo: Path, path: str) -> str:
    """The blob id of the work tree file as git would store it, filters applied."""
    return _text(repo, "hash-object", f"--path={path}", "--", path)


class ObjectReader:
    """One ``git cat-file --batch`` started by GitPython, for many objects; use it in ``with``.

    GitPython's `Git.get_object_data` asks for one object and waits for it; over thousands of
    versions each wait costs a thread switch (measured on benchmarks/ L: twice the whole run).
    So all requests are written ahead by one thread while another drains the answers into a
    short queue: git keeps decompressing while the caller parses, and no pipe can fill up and
    deadlock. The process is always ended when the block ends, so nothing leaks across
    `mkdocs serve` rebuilds.
    """

    def __init__(self, repo: Path) -> None:
        self._git = _git(repo)
        self._handle: object = None  # GitPython's AutoInterrupt: ends git when dropped
        self._proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._stdout: IO[bytes] | None = None

    def __enter__(self) -> ObjectReader:
        try:
            handle = self._git.execute([*_BASE, "cat-file", "--batch"], as_process=True,
                                       istream=subprocess.PIPE)
        except gitpython.GitCommandNotFound as exc:
            raise GitError("git is not installed or not on PATH") from exc
        self._handle, self._proc = handle, handle.proc
        stdout = self._proc.stdout if self._proc is not None else None
        _widen_pipe(stdout)
        if stdout is not None:
            # Versions are large: read them in few system calls (GitPython buffers 8 KiB).
            self._stdout = open(stdout.fileno(), "rb", buffering=1 << 20, closefd=False)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        proc, self._proc, self._handle = self._proc, None, None
        if proc is None:
            return
        self._stop.set()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for thread in self._threads:
            thread.join()
        self._threads = []
        for stream in (self._stdout, proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

    def commits(self, shas: Sequence[str], *,
                missing_ok: bool = False) -> dict[str, CommitObject]:
        """The commits ``shas``; ``missing_ok`` leaves out those the clone does not have."""
        return {sha: parse_commit(sha, data)
                for sha, data in self.read(shas, missing_ok=missing_ok) if data is not None}

    def read(self, shas: Sequence[str], *, missing_ok: bool = False
             ) -> Generator[tuple[str, bytes | None], None, None]:
        """Yield ``(sha, content)`` for each object, in order.

        An object the repository lacks is a `GitError`, or ``(sha, None)`` with ``missing_ok``.
        """
        proc, stdout = self._proc, self._stdout
        if proc is None or proc.stdin is None or stdout is None:
            raise GitError("the object reader is not open")
        answers: queue.Queue[_Answer] = queue.Queue(maxsize=8)
        self._threads = [
            threading.Thread(target=_feed, args=(proc.stdin, shas), daemon=True),
            threading.Thread(target=_drain, args=(proc, stdout, shas, answers, self._stop),
                             kwargs={"missing_ok": missing_ok}, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        while (answer := answers.get()) is not None:
            if isinstance(answer, GitError):
                raise answer
            yield answer


def _widen_pipe(stream: IO[bytes] | None) -> None:
    """Let a whole registry version sit in the pipe (Linux: 1 MiB instead of 64 KiB).

    The drain thread then gets each version in one read and needs the GIL once per version
    rather than once per 64 KiB, which is what keeps it from waiting on the main thread.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", 1031) if fcntl is not None else None
    if stream is None or set_size is None or not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size: keep the default
        fcntl.fcntl(stream.fileno(), set_size, 1 << 20)


_Answer = tuple[str, bytes | None] | GitError | None


def _drain(proc: subprocess.Popen[bytes], stdout: IO[bytes], shas: Sequence[str],
           answers: queue.Queue[_Answer], stop: threading.Event, *, missing_ok: bool) -> None:
    def put(item: _Answer) -> bool:
        while not stop.is_set():
            try:
                answers.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    try:
        for sha in shas:
            header = stdout.readline()
            parts = header.split()
            if missing_ok and parts[1:] == [b"missing"]:
                if not put((sha, None)):
                    return
                continue
            if len(parts) != 3 or not parts[2].isdigit():
                if not header and proc.stderr is not None:
                    header = proc.stderr.read()
                problem = header.decode(errors="replace").strip() or "git cat-file ended early"
                put(GitError(f"cannot read object {sha}: {problem}"))
                return
            content = stdout.read(int(parts[2]))
            stdout.read(1)  # the newline after each object
            if not put((sha, content)):
                return
    except (OSError, ValueError):
        # The reader was closed while reading (close() killed git): the caller is gone.
        put(GitError("git cat-file was stopped"))
        return
    put(None)


def _feed(stdin: IO[bytes], shas: Sequence[str]) -> None:
    try:
        for start in range(0, len(shas), 512):
            stdin.write("".join(f"{sha}\n" for sha in shas[start:start + 512]).encode())
        stdin.flush()
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        # The reader was closed early (killed process or closed pipe); nothing left to feed.
        return


def tracked_files(root: Path) -> list[str]:
    """Files under ``root`` that git tracks, plus untracked ones it does not ignore.

    Paths are relative to ``root`` and ``/``-separated; ``.gitignore`` is respected.
    """
    out = _run(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
               ".")[1].decode(errors="surrogateescape")
    return sorted({path for path in out.split("\0") if path})
