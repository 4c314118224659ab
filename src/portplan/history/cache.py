"""Where a history is kept between runs: in this process, and on disk under the git dir.

A checkpoint is the history up to one HEAD plus the snapshot reader's state at that HEAD, so a
later run on the same HEAD only checks the work tree, and a run on a newer HEAD that has the
checkpoint's HEAD on its first-parent line only reads the new commits.

The on-disk copy is JSON data inside ``.git/portplan/`` (or the cache dir given): its first
line is the key, checked before anything else is read, and the rest is plain data read by
`cache_format` (never pickle: a cache restored from elsewhere must not run code). A corrupt,
foreign or stale file is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portplan import __version__
from portplan.history import cache_format as fmt
from portplan.history.model import Commit, PortEvent
from portplan.history.snapshots import SnapshotReader

FORMAT = 3
_MAX_BYTES = 1 << 30  # a larger file is no cache of ours
# The code that decides what the history says: a cache made by other code is stale. Whole
# packages, so that a module added, renamed or split inside one stays in the key.
_PACKAGES = ("registry", "history", "adopt")
_MODULES = ("model.py", "git.py", "commit_object.py", "terminal.py")
_MEMORY: dict[tuple[str, str], Checkpoint] = {}


@dataclass
class Checkpoint:
    """The history of ``path`` up to ``head`` (committed work only)."""

    key: tuple[int, str, str, str]  # (FORMAT, version, code digest, registry path)
    head: str
    shallow: bool
    events: list[PortEvent]
    commits: list[Commit]
    skipped: list[str]  # versions that could not be read, each naming its commit
    notices: list[str]  # commit metadata read with replacements, a lost rename
    cut: bool  # the history starts late (a rename git could not follow)
    reader: SnapshotReader


def cache_key(path: str) -> tuple[int, str, str, str]:
    return (FORMAT, __version__, _code_digest(), path)


_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def _code_digest() -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for name in source_files():
        with contextlib.suppress(OSError):  # an installed wheel without sources: version only
            digest.update(name.encode())
            digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()


def source_files() -> list[str]:
    """The files of the key, relative to the package, in a stable order."""
    found = [f.relative_to(_PACKAGE).as_posix()
             for package in _PACKAGES for f in (_PACKAGE / package).rglob("*.py")]
    return sorted([*found, *_MODULES])


def _file(cache_dir: Path, path: str) -> Path:
    digest = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir / f"history-{digest}.json"


def load(cache_dir: Path | None, repo: Path, path: str,
         new_reader: Callable[[], SnapshotReader]) -> Checkpoint | None:
    """The newest checkpoint for ``path``, from memory first, then from disk.

    ``new_reader`` makes the empty snapshot reader the saved position is put into.
    """
    key = cache_key(path)
    held = _MEMORY.get((str(repo), path))
    if held is not None and held.key == key:
        return held
    if cache_dir is None:
        return None
    try:
        with _file(cache_dir, path).open("rb") as stream:
            if stream.readline(4096).rstrip(b"\n") != _key_line(key):
                return None  # another version of portplan, or not ours: not even parsed
            body = stream.read(_MAX_BYTES)
        found = _decode(key, json.loads(body), new_reader())
    except (OSError, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None  # a torn, corrupt or foreign file: rebuild it
    _MEMORY[(str(repo), path)] = found
    return found


def _key_line(key: tuple[int, str, str, str]) -> bytes:
    return json.dumps(["portplan-history", *key]).encode()


def _encode(checkpoint: Checkpoint) -> dict[str, object]:
    table = fmt.AssignmentTable()
    commits = list(checkpoint.commits)
    numbers = {id(c): n for n, c in enumerate(commits)}
    for event in checkpoint.events:  # an event's commit is one of the list's, normally
        if id(event.commit) not in numbers:
            numbers[id(event.commit)] = len(commits)
            commits.append(event.commit)
    events = fmt.events_out(checkpoint.events, numbers, table)
    reader = fmt.reader_out(checkpoint.reader, table)
    return {
        "head": checkpoint.head, "shallow": checkpoint.shallow, "cut": checkpoint.cut,
        "skipped": checkpoint.skipped, "notices": checkpoint.notices,
        "listed": len(checkpoint.commits),
        "commits": [fmt.commit_out(c) for c in commits],
        "assignments": [fmt.assignment_out(a) for a in table.rows],
        "events": events, "reader": reader,
    }


def _decode(key: tuple[int, str, str, str], data: fmt.Json,
            reader: SnapshotReader) -> Checkpoint:
    table = fmt.AssignmentTable([fmt.assignment_in(row) for row in data["assignments"]])
    commits = [fmt.commit_in(row) for row in data["commits"]]
    listed = fmt.integer(data["listed"])
    shallow, cut = data["shallow"], data["cut"]
    if type(shallow) is not bool or type(cut) is not bool:
        raise TypeError("flags must be true or false")
    return Checkpoint(
        key, fmt.text(data["head"]), shallow,
        fmt.events_in(data["events"], commits, table), commits[:listed],
        [fmt.text(s) for s in data["skipped"]], [fmt.text(s) for s in data["notices"]], cut,
        fmt.reader_in(data["reader"], reader, table))


def store(cache_dir: Path | None, repo: Path, checkpoint: Checkpoint) -> None:
    """Keep ``checkpoint`` in memory, and on disk when a cache dir is given and writable."""
    _MEMORY[(str(repo), checkpoint.key[3])] = checkpoint
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        body = json.dumps(_encode(checkpoint), ensure_ascii=False, separators=(",", ":"),
                          check_circular=False)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False,
                                         suffix=".tmp") as stream:
            stream.write(_key_line(checkpoint.key) + b"\n")
            stream.write(body.encode("utf-8", errors="backslashreplace"))
        Path(stream.name).replace(_file(cache_dir, checkpoint.key[3]))
    except OSError:
        # A read-only checkout still gets its history; only the next run is slower.
        return


def forget() -> None:
    """Drop the in-process checkpoints (tests use this to measure cold runs)."""
    _MEMORY.clear()
