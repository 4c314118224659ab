"""The registry as the commands other than `check` read it (docs/registry-format.md).

An unreadable registry (YAML, types, unknown or missing keys) is refused with every reason.
Errors between entries (conflicts, a replaced_by naming no entry) do not stop these commands:
the registry is what the team has, so they work on it and say so on stderr.
"""

from __future__ import annotations

from pathlib import Path

import click

from portplan.model import Registry
from portplan.problems import PortplanError, unreadable
from portplan.registry.load import Loaded, check_file

MAX_NOTED = 10  # problems listed on stderr; `check` lists every one


def note_between_entries(loaded: Loaded, shown: str, command: str) -> None:
    """Say on stderr which errors between entries the command is working across."""
    problems = loaded.between_entries
    if not problems:
        return
    for problem in problems[:MAX_NOTED]:
        click.echo(str(problem), err=True)
    more = f" ({len(problems) - MAX_NOTED} more not shown here)" \
        if len(problems) > MAX_NOTED else ""
    click.echo(f"portplan: note: {shown} has {len(problems)} error(s) between entries{more}; "
               f"`portplan {command}` works on it as it is, `portplan check` lists them all and "
               "fails until they are fixed", err=True)


def usable_registry(path: Path | str, command: str) -> Registry:
    """The registry at ``path``; an unreadable one is refused, its reasons on stderr (exit 2)."""
    shown = str(path)
    loaded = check_file(path, display=shown)
    refuse_unreadable(loaded, shown, command)
    note_between_entries(loaded, shown, command)
    if loaded.registry is None:  # refuse_unreadable has raised; this tells mypy so
        raise PortplanError(f"{shown} cannot be read")
    return loaded.registry


def refuse_unreadable(loaded: Loaded, shown: str, command: str) -> None:
    """Print why ``shown`` cannot be read and stop ``command`` with exit 2, if it cannot.

    See docs/registry-format.md, "Two kinds of errors": every command
    refuses an unreadable registry; only `check` reports it as problems found (exit 1).
    """
    if loaded.registry is not None and loaded.readable:
        return
    for problem in unreadable(loaded.problems):
        click.echo(str(problem), err=True)
    raise PortplanError(f"{shown} cannot be read, so `portplan {command}` has nothing to work "
                        "on; fix it first (`portplan check` lists every problem)")
