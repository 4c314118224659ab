"""The registry file as ``portplan deprecate`` edits it: read and rewritten under a lock.

:func:`edit_registry` locks the file itself (``flock``) from the read to the write, so two edits
at once run one after the other and neither is lost. The new text is written into the same file,
not renamed over it: the owner, the group, the permissions and every hard link stay as they
were, and a symlinked registry is written through the link. See docs/proposing-changes.md.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from portplan.problems import PortplanError
from portplan.registry import source as yamlsource

_SET_ID = stat.S_ISUID | stat.S_ISGID


@dataclass(frozen=True)
class LockedRegistry:
    """An open, locked registry: its text (BOM and line endings untouched) and how to replace it."""

    path: str
    text: str
    fd: int

    def write(self, text: str) -> None:
        """Replace the content; an error before the first byte leaves the file as it was."""
        data = text.encode("utf-8")
        try:
            if Path(self.path).stat().st_ino != os.fstat(self.fd).st_ino:
                raise PortplanError(f"{self.path}: the file was replaced while portplan edited "
                                    "it; run the command again")
            _reserve(self.fd, len(data))
            os.pwrite(self.fd, data, 0)
            os.ftruncate(self.fd, len(data))
            os.fsync(self.fd)
            mode = os.fstat(self.fd).st_mode
            if mode & _SET_ID:
                # What the kernel does when anyone but root writes the file: a registry is no
                # program, and a write must not leave it set-user-ID.
                os.fchmod(self.fd, stat.S_IMODE(mode) & ~_SET_ID)
        except OSError as exc:
            raise PortplanError(f"{self.path}: cannot write the registry ({exc.strerror}); "
                                "the file was left unchanged") from exc


def _reserve(fd: int, size: int) -> None:
    """Reserve the space first, so that a full disk fails before anything is written."""
    if size == 0 or not hasattr(os, "posix_fallocate"):
        return
    try:
        os.posix_fallocate(fd, 0, size)
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            raise


@contextmanager
def edit_registry(path: str, *, write: bool = True) -> Iterator[LockedRegistry]:
    """The registry at ``path``, locked until the block ends; ``write=False`` for a dry run."""
    try:
        fd = os.open(path, (os.O_RDWR if write else os.O_RDONLY) | os.O_NONBLOCK)
    except OSError as exc:
        raise PortplanError(f"{path}: cannot read the registry ({exc.strerror}); "
                            "pass its path with --registry") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PortplanError(f"{path}: the registry is not a regular file; pass the path of "
                                "ports.yaml with --registry")
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield LockedRegistry(path, _read_text(fd, path), fd)
    finally:
        os.close(fd)  # also releases the lock


def _read_text(fd: int, path: str) -> str:
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    raw = b"".join(chunks)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = yamlsource.invalid_utf8(raw, exc, path)
        raise PortplanError(f"{path}:{problem.line}:{problem.column}: {problem.message}") from exc
