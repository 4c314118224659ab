"""`portplan free` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def free() -> int:
    """Not yet built."""
    raise click.UsageError("portplan free is not built yet")
