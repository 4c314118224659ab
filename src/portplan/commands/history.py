"""`portplan history` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def history() -> int:
    """Not yet built."""
    raise click.UsageError("portplan history is not built yet")
