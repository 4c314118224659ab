"""`portplan export` (docs/registry-format.md): the registry in other shapes."""

from __future__ import annotations

import click

from portplan.commands import options
from portplan.commands.reading import usable_registry
from portplan.exporting import FORMATS, in_environment
from portplan.registry.locate import registry_file


@click.command()
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)), required=True,
              help="json, csv, markdown, services (/etc/services) or env (VAR=PORT).")
@options.registry
@click.option("--environment", metavar="ENV",
              help="Only the entries that run in ENV: those listing it in environments, and "
                   "those without environments (they run everywhere).")
def export(format_: str, registry_path: str | None, environment: str | None) -> int:
    """Print the registry as json, csv, markdown, services or env.

    \b
    Examples:
      portplan export --format env > .env          # docker compose reads VAR=PORT
      portplan export --format env --environment production > production.env
      portplan export --format services >> /etc/services
    """
    registry = usable_registry(registry_file(registry_path), "export")
    if environment is not None:
        registry = in_environment(registry, environment)
    click.echo(FORMATS[format_](registry), nl=False)
    return 0
