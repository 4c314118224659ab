"""The only place that runs git. Everything else works on strings and records.

Every call goes through `_run` (or `BlobReader` for the one long-lived process), which turns a
missing git or a failing command into `GitError` carrying git's own message.
"""

from __future__ import annotations

import contextlib
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

from portplan.problems import GitError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# Never let a read take the index lock: other tools (and `mkdocs serve`) share the work tree.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
_BASE = ("git", "-c", "core.quotePath=false", "-c", "log.showSignature=false")
_RECORD, _FIELD = "\x1e", "\x1f"
_NULL_SHA = "0" * 40


def _environ() -> dict[str, str]:
    return {**os.environ, **_ENV}


def _run(repo: Path, *args: str, stdin: str | None = None, ok: Sequence[int] = (0,)) -> str:
    if not repo.is_dir():  # else subprocess reports the missing directory as a missing git
        raise GitError(f"{repo} is not a directory")
    try:
        done = subprocess.run(
            [*_BASE, *args], cwd=repo, input=stdin, capture_output=True, check=False,
            env=_environ(), text=True, encoding="utf-8", errors="surrogateescape",
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if done.returncode not in ok:
        message = done.stderr.strip() or f"git {args[0]} exited with {done.returncode}"
        raise GitError(message)
    return done.stdout


def _run_bytes(repo: Path, *args: str, ok: Sequence[int] = (0,)) -> tuple[int, bytes]:
    """Like `_run`, for output that is file content; returns the exit code too."""
    if not repo.is_dir():
        raise GitError(f"{repo} is not a directory")
    try:
        done = subprocess.run([*_BASE, *args], cwd=repo, capture_output=True, check=False,
                              env=_environ())
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if done.returncode not in ok:
        message = done.stderr.decode(errors="replace").strip()
        raise GitError(message or f"git {args[0]} exited with {done.returncode}")
    return done.returncode, done.stdout


def commit_sha(repo: Path, rev: str) -> str | None:
    """The full sha of the commit ``rev`` names, or None when there is no such commit."""
    if rev.startswith("-"):
        return None  # never let a revision be read as an option
    code, out = _run_bytes(repo, "rev-parse", "-q", "--verify", "--end-of-options",
                           f"{rev}^{{commit}}", ok=(0, 1, 128))
    return out.decode().strip() if code == 0 else None


def file_at(repo: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` in ``commit``, or None when the commit does not have it."""
    code, out = _run_bytes(repo, "rev-parse", "-q", "--verify", f"{commit}:{path}",
                           ok=(0, 1, 128))
    if code != 0:
        return None
    return _run_bytes(repo, "cat-file", "blob", out.decode().strip())[1]


def renamed_from(repo: Path, base: str, path: str, head: str | None = None) -> str | None:
    """Where ``path`` was in ``base``, when git sees it renamed since; else None.

    ``head`` None compares ``base`` with the index, which holds both committed and staged
    renames (`git mv`); otherwise the two commits are compared.
    """
    sides = ("--cached", base) if head is None else (base, head)
    # No pathspec: rename detection needs both the old and the new path in view.
    out = _run(repo, "diff", "-M", "-z", "--name-status", "--diff-filter=R", *sides, "--")
    fields = out.split("\0")
    for at in range(0, len(fields) - 2, 3):  # R<score> NUL old NUL new NUL
        if fields[at].startswith("R") and fields[at + 2] == path:
            return fields[at + 1]
    return None


def merge_base(repo: Path, one: str, other: str) -> str | None:
    """The best common ancestor of two commits, or None when they share no history."""
    code, out = _run_bytes(repo, "merge-base", one, other, ok=(0, 1))
    return out.decode().strip() if code == 0 else None


@dataclass(frozen=True)
class LogEntry:
    """One first-parent commit that touched the registry, as git reports it."""

    sha: str
    parents: tuple[str, ...]
    author: str
    author_date: dt.datetime
    committer_date: dt.datetime
    message: str
    path: str  # where the registry lives in this commit
    blob: str | None  # the registry's blob after this commit; None when the commit deleted it

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()


def toplevel(path: Path) -> Path:
    """The work tree root containing ``path``; `GitError` when there is none."""
    where = path if path.is_dir() else path.parent
    return Path(_run(where, "rev-parse", "--show-toplevel").strip())


def git_dir(repo: Path) -> Path:
    return Path(_run(repo, "rev-parse", "--absolute-git-dir").strip())


def head_state(repo: Path, path: str, rev: str = "HEAD") -> tuple[str | None, bool, str | None]:
    """(``rev``'s sha or None for an unborn branch, is the clone shallow, registry blob there)."""
    shallow = _run(repo, "rev-parse", "--is-shallow-repository").strip() == "true"
    out = _run(repo, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}", ok=(0, 1)).strip()
    if not out:
        return None, shallow, None
    blob = _run(repo, "rev-parse", "-q", "--verify", f"{out}:{path}", ok=(0, 1, 128)).strip()
    return out, shallow, blob or None


def first_parent_shas(repo: Path, rev: str = "HEAD") -> list[str]:
    """Every commit on ``rev``'s first-parent line, newest first."""
    return _run(repo, "rev-list", "--first-parent", rev, "--").split()


def registry_log(repo: Path, path: str, *, since: str | None = None,
                 rev: str = "HEAD") -> list[LogEntry]:
    """First-parent commits that touched ``path`` (following renames), oldest first.

    ``since`` limits the walk to commits after that one (it must be a first-parent ancestor).
    """
    fmt = _FIELD.join(("%x1e%H", "%P", "%an", "%aI", "%cI", "%B")) + _FIELD
    rev = f"{since}..{rev}" if since else rev
    out = _run(repo, "log", "--first-parent", "--follow", "--raw", "--no-abbrev",
               f"--format={fmt}", rev, "--", path)
    entries = [_parse_record(record) for record in out.split(_RECORD)[1:]]
    entries.reverse()
    return entries


def _parse_record(record: str) -> LogEntry:
    sha, parents, author, adate, cdate, message, raw = record.split(_FIELD, 6)
    blob: str | None = None
    where = ""
    for line in raw.splitlines():
        if not line.startswith(":"):
            continue
        meta, *paths = line.split("\t")
        fields = meta.split()
        new_sha, status = fields[3], fields[4]
        where = paths[-1]
        blob = None if status.startswith("D") or new_sha == _NULL_SHA else new_sha
    return LogEntry(
        sha=sha,
        parents=tuple(parents.split()),
        author=author,
        author_date=dt.datetime.fromisoformat(adate),
        committer_date=dt.datetime.fromisoformat(cdate),
        message=message.strip("\n"),
        path=where,
        blob=blob,
    )


def authors(repo: Path, shas: Iterable[str]) -> dict[str, str]:
    """Author name of each commit in ``shas`` (one git call for all of them)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = _run(repo, "log", "--no-walk=unsorted", "--stdin", f"--format=%H{_FIELD}%an",
               stdin="\n".join(wanted) + "\n")
    found: dict[str, str] = {}
    for line in out.splitlines():
        sha, _, name = line.partition(_FIELD)
        found[sha] = name
    return found


def user_name(repo: Path) -> str | None:
    name = _run(repo, "config", "user.name", ok=(0, 1)).strip()
    return name or None


def blob_id(data: bytes) -> str:
    """The id git gives ``data`` as a blob (before any clean filters)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def worktree_blob_id(repo: Path, path: str) -> str:
    """The blob id of the work tree file as git would store it, filters applied."""
    return _run(repo, "hash-object", f"--path={path}", "--", path).strip()


class BlobReader:
    """One ``git cat-file --batch`` process for reading many blobs; use it in a ``with``.

    The process is always closed (killed if need be) when the block ends, so nothing leaks
    across `mkdocs serve` rebuilds.
    """

    def __init__(self, repo: Path) -> None:
        self._repo = repo
        self._proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    def __enter__(self) -> BlobReader:
        try:
            self._proc = subprocess.Popen(
                [*_BASE, "cat-file", "--batch"], cwd=self._repo, stdin=subprocess.PIPE,
                bufsize=1 << 20,  # versions are large: read them in few system calls
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environ(),
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed or not on PATH") from exc
        _widen_pipe(self._proc.stdout)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        self._stop.set()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for thread in self._threads:
            thread.join()
        self._threads = []
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

    def read(self, shas: Sequence[str]) -> Generator[tuple[str, bytes], None, None]:
        """Yield ``(sha, content)`` for each blob, in order.

        One thread feeds the requests and another drains the answers into a short queue, so
        git keeps decompressing while the caller works, and no pipe can fill up and deadlock.
        """
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise GitError("the blob reader is not open")
        answers: queue.Queue[tuple[str, bytes] | GitError | None] = queue.Queue(maxsize=8)
        self._threads = [
            threading.Thread(target=_feed, args=(proc.stdin, shas), daemon=True),
            threading.Thread(target=_drain, args=(proc, shas, answers, self._stop), daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        while True:
            answer = answers.get()
            if answer is None:
                return
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


def _drain(proc: subprocess.Popen[bytes], shas: Sequence[str],
           answers: queue.Queue[tuple[str, bytes] | GitError | None],
           stop: threading.Event) -> None:
    def put(item: tuple[str, bytes] | GitError | None) -> bool:
        while not stop.is_set():
            try:
                answers.put(item, timeout=0.1)
            except queue.Full:
                continue
            return True
        return False

    stdout = proc.stdout
    if stdout is None:  # pragma: no cover - opened with a pipe
        return
    try:
        for sha in shas:
            header = stdout.readline()
            parts = header.split()
            if len(parts) != 3:
                if not header and proc.stderr is not None:
                    header = proc.stderr.read()
                problem = header.decode(errors="replace").strip() or "git cat-file ended early"
                put(GitError(f"cannot read blob {sha}: {problem}"))
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
               ".")
    return sorted({path for path in out.split("\0") if path})
