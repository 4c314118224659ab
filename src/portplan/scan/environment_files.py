"""A systemd unit's ``EnvironmentFile=``: the repository file it names, and what it sets.

A unit names the path on the host (``/opt/acme/apps/api/api.env``); the repository holds the
file at ``apps/api/api.env``. The file is the tracked path that the host path ends with (the
longest such), else a file of that name in the unit's directory or one above it. A file found
neither way (a secret that lives only on the host) sets nothing (docs/scan.md).

>>> resolve("deploy/api.service", "/opt/acme/apps/api/api.env", ["apps/api/api.env", "x.env"])
'apps/api/api.env'
>>> resolve("apps/api/systemd/api.service", "/etc/acme/api.env", ["apps/api/api.env"])
'apps/api/api.env'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from dotenv import dotenv_values

MAX_BYTES = 256_000  # an env file is a few lines; a bigger one is no env file


def resolve(unit: str, named: str, listed: Sequence[str]) -> str | None:
    """The repository path of the file that the unit ``unit`` names as ``named``."""
    wanted = "/" + named.strip().lstrip("-").lstrip("/")
    ends = [p for p in listed if wanted.endswith("/" + p)]
    if ends:
        return max(ends, key=len)
    name = PurePosixPath(wanted).name
    present = frozenset(listed)
    for parent in PurePosixPath(unit).parents:
        candidate = (parent / name).as_posix()
        if candidate in present:
            return candidate
    return None


def variables(root: Path, unit: str, named: Sequence[str],
              listed: Sequence[str]) -> dict[str, str]:
    """What the files a unit names set, later files over earlier ones, as systemd reads them."""
    out: dict[str, str] = {}
    for path in named:
        found = resolve(unit, path, listed)
        if found is None:
            continue
        file = root / found
        try:
            if file.is_symlink() or file.stat().st_size > MAX_BYTES:
                continue
            text = file.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        values = dotenv_values(stream=io.StringIO(text), interpolate=False)
        out.update({k: v for k, v in values.items() if v is not None})
    return out
