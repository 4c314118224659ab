"""`portplan deprecate` (SPEC §2)."""

from __future__ import annotations

import click


@click.command()
def deprecate() -> int:
    """Not yet built."""
    raise click.UsageError("portplan deprecate is not built yet")
