"""`portplan check` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def check() -> int:
    """Not yet built."""
    raise click.UsageError("portplan check is not built yet")
