"""Where a history is kept between runs: in this process, and on disk under the git dir.

A checkpoint is the history up to one HEAD plus the snapshot reader's state at that HEAD, so a
later run on the same HEAD only checks the work tree, and a run on a newer HEAD that has the
checkpoint's HEAD on its first-parent line only reads the new commits.

The on-disk copy is a pickle inside ``.git/portplan/`` (or the cache dir given), a place only
the repository's owner writes; an unreadable or foreign one is ignored and rewritten.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from portplan import __version__
from portplan.history.model import Commit, PortEvent
from portplan.history.snapshots import SnapshotReader

FORMAT = 2
# The modules whose code decides what the history says: a cache made by other code is stale.
_SOURCES = ("model.py", "registry.py", "acceptance.py", "entries.py", "nodes.py", "port_nodes.py",
            "yamlsource.py", "git.py", "history/events.py", "history/model.py",
            "history/layout.py", "history/snapshots.py", "history/timeline.py",
            "adopt/markdown_plan.py", "adopt/cell_values.py", "adopt/columns.py",
            "adopt/importer.py", "adopt/registry_text.py", "adopt/conversion.py",
            "adopt/options_comment.py", "yamlscalar.py")
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
    reader: SnapshotReader


def cache_key(path: str) -> tuple[int, str, str, str]:
    return (FORMAT, __version__, _code_digest(), path)


@functools.cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(usedforsecurity=False)
    for name in _SOURCES:
        with contextlib.suppress(OSError):  # an installed wheel without sources: version only
            digest.update((package / name).read_bytes())
    return digest.hexdigest()


def _file(cache_dir: Path, path: str) -> Path:
    digest = hashlib.sha1(path.encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir / f"history-{digest}.pickle"


def load(cache_dir: Path | None, repo: Path, path: str) -> Checkpoint | None:
    """The newest checkpoint for ``path``, from memory first, then from disk."""
    key = cache_key(path)
    held = _MEMORY.get((str(repo), path))
    if held is not None and held.key == key:
        return held
    if cache_dir is None:
        return None
    try:
        with _file(cache_dir, path).open("rb") as stream:
            found = pickle.load(stream)  # noqa: S301 - our own file in the git dir
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):
        return None  # a cache from another portplan, or a torn file: rebuild it
    if not isinstance(found, Checkpoint) or found.key != key:
        return None
    _MEMORY[(str(repo), path)] = found
    return found


def store(cache_dir: Path | None, repo: Path, checkpoint: Checkpoint) -> None:
    """Keep ``checkpoint`` in memory, and on disk when a cache dir is given and writable."""
    _MEMORY[(str(repo), checkpoint.key[3])] = checkpoint
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False,
                                         suffix=".tmp") as stream:
            pickle.dump(checkpoint, stream, protocol=pickle.HIGHEST_PROTOCOL)
        Path(stream.name).replace(_file(cache_dir, checkpoint.key[3]))
    except OSError:
        # A read-only checkout still gets its history; only the next run is slower.
        return


def forget() -> None:
    """Drop the in-process checkpoints (tests use this to measure cold runs)."""
    _MEMORY.clear()
