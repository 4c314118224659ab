"""The `portplan` command line: one boundary that maps errors to exit codes.

The exit statuses are listed per command in the docs pages (docs/registry-format.md).
"""

from __future__ import annotations

import sys

import click

from portplan import __version__
from portplan.commands.check import check
from portplan.commands.deprecate import deprecate
from portplan.commands.diff import diff
from portplan.commands.export import export
from portplan.commands.free import free
from portplan.commands.history import history
from portplan.commands.import_plan import import_
from portplan.commands.init import init
from portplan.commands.scan import scan
from portplan.commands.site import site
from portplan.problems import PortplanError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portplan")
def cli() -> None:
    """Keep the port allocation plan in ports.yaml true, readable and accountable.

    Exit codes: 0 ok, 1 problems found, 2 usage or environment error.
    """


for command in (check, diff, deprecate, history, free, export, scan, site):
    cli.add_command(command)
cli.add_command(init)
cli.add_command(import_)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; commands return an exit code, user errors become exit 2 with a message."""
    try:
        code = cli.main(args=argv, prog_name="portplan", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE
    except PortplanError as exc:
        click.echo(f"portplan: error: {exc}", err=True)
        code = EXIT_USAGE
    except BrokenPipeError:
        code = EXIT_OK
    except OSError as exc:  # the environment, not portplan: a vanished directory, a full disk
        where = f" ({exc.filename})" if exc.filename else ""
        click.echo(f"portplan: error: {exc.strerror or exc}{where}", err=True)
        code = EXIT_USAGE
    if argv is not None:
        return int(code or 0)
    sys.exit(int(code or 0))
