"""`portplan diff` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def diff() -> int:
    """Not yet built."""
    raise click.UsageError("portplan diff is not built yet")
