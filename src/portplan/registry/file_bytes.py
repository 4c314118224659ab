"""Reading the registry file itself: a regular file of a bounded size, never a hang.

A FIFO would block a read forever and ``/dev/zero`` never ends, so only a regular file is
read, opened without blocking, and at most `MAX_BYTES` of it (docs/registry-format.md,
"The file itself").
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from portplan.problems import PortplanError

MAX_BYTES = 16 * 1024 * 1024  # a registry of 50,000 entries is about 8 MiB
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_registry_bytes(path: Path) -> bytes:
    """The bytes of the registry at ``path``; `PortplanError` saying why it cannot be read."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise PortplanError(f"cannot read the registry {path}: {exc.strerror}; "
                            "pass its path with --registry") from None
    mode = os.fstat(fd).st_mode
    for test, kind in _KINDS:
        if test(mode):
            os.close(fd)
            raise PortplanError(f"cannot read the registry {path}: it is {kind}, not a "
                                "file; pass the path of the YAML file with --registry")
    with os.fdopen(fd, "rb") as stream:
        try:
            data = stream.read(MAX_BYTES + 1)
        except OSError as exc:
            raise PortplanError(f"cannot read the registry {path}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise PortplanError(f"the registry {path} is larger than {MAX_BYTES // 2**20} MiB, "
                            "more than any port plan needs; is it the right file?")
    return data


def resolved(path: Path) -> Path:
    """``path`` made absolute with its links followed; a link loop is a `PortplanError`."""
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # Python 3.11 says RuntimeError for a loop
        raise PortplanError(f"cannot follow {path}: {exc}; point --registry at the file "
                            "itself") from None
