"""Options that several commands share, spelled once."""

from __future__ import annotations

import click

registry = click.option(
    "--registry", "registry_path", metavar="FILE",
    help="The registry file. Default: ports.yaml here, else at the root of the git repository.")
