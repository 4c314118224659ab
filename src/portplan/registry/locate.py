"""Where the registry is: ``--registry``, else ``ports.yaml`` here or at the repository root."""

from __future__ import annotations

import os
from pathlib import Path

from portplan.problems import PortplanError

DEFAULT_NAME = "ports.yaml"


def find_registry(start: Path) -> Path:
    """``ports.yaml`` in ``start``, else at the root of the git work tree that holds ``start``.

    The root is the nearest directory with a ``.git`` entry; no git process is run.
    """
    here = start / DEFAULT_NAME
    if here.is_file():
        return here
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            candidate = directory / DEFAULT_NAME
            if candidate.is_file():
                return candidate
            break
    raise PortplanError(f"no {DEFAULT_NAME} in {start} or at the root of its git repository; "
                        "run portplan there, or pass the file with --registry FILE")


def registry_file(option: str | None) -> str:
    """The registry every command works on, shown relative to the current directory."""
    if option is not None:
        return option
    return os.path.relpath(find_registry(Path.cwd()))
