"""`portplan export` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def export() -> int:
    """Not yet built."""
    raise click.UsageError("portplan export is not built yet")
