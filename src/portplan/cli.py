"""The `portplan` command line: one boundary that maps errors to exit codes.

The exit statuses are listed per command in the docs pages (docs/registry-format.md).
"""

from __future__ import annotations

import codecs
import contextlib
import sys
import traceback
from collections.abc import Iterator

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
from portplan.terminal import SafeStream

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """Write what the encoding cannot show as ``\\uXXXX`` (a surrogate pair above U+FFFF).

    That reads the same inside a JSON string, so `--format json` stays valid JSON in a
    Latin-1 or ASCII terminal, where ``backslashreplace`` would write ``\\xe9`` or
    ``\\U0001f525``, which JSON does not allow.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    units = error.object[error.start:error.end].encode("utf-16-be", "surrogatepass")
    escaped = "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}"
                      for i in range(0, len(units), 2))
    return escaped, error.end


codecs.register_error("portplan-json-escape", _json_escape)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portplan")
def cli() -> None:
    """Keep the port allocation plan in ports.yaml true, readable and accountable.

    Exit codes: 0 ok, 1 problems found, 2 usage or environment error, 3 an internal error
    (please report it).
    """


for command in (check, diff, deprecate, history, free, export, scan, site):
    cli.add_command(command)
cli.add_command(init)
cli.add_command(import_)


@contextlib.contextmanager
def _safe_output() -> Iterator[None]:
    """Print only printable text, in any terminal encoding.

    See docs/registry-format.md, "What reaches the terminal".

    A character the terminal's encoding cannot show (``PYTHONIOENCODING=latin-1``) is
    written as an escape rather than ending the command.
    """
    saved = sys.stdout, sys.stderr
    for stream in saved:
        with contextlib.suppress(AttributeError, ValueError):  # a test's capture, a closed fd
            stream.reconfigure(errors="portplan-json-escape")  # type: ignore[union-attr]
    sys.stdout, sys.stderr = SafeStream(saved[0]), SafeStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; commands return an exit code, user errors become exit 2 with a message.

    Anything else is a bug: exit 3, with the traceback and a line asking for a report.
    """
    with _safe_output():
        code = _run(argv)
    if argv is not None:
        return code
    sys.exit(code)


def _run(argv: list[str] | None) -> int:
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
    except Exception as exc:
        click.echo(traceback.format_exc(), err=True, nl=False)
        click.echo(f"portplan: internal error: {type(exc).__name__}: {exc}\n"
                   f"This is a bug in portplan {__version__}; please report it on the "
                   "project's issue tracker, with the command you ran and the lines above.",
                   err=True)
        code = EXIT_INTERNAL
    return int(code or 0)
