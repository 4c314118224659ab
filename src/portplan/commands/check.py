"""`portplan check`: every problem in the registry, as text, annotations or JSON.

See docs/registry-format.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from portplan.base_check import check_against_base
from portplan.commands import options
from portplan.model import Registry
from portplan.problems import Problem, has_errors, sort_problems
from portplan.registry.acceptance import accept_warnings
from portplan.registry.load import check_file
from portplan.registry.locate import find_registry
from portplan.report import FORMATS, render, summary
from portplan.terminal import allow_workflow_commands


def _display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return str(path)


def _annotation_path(shown: str) -> str:
    """GitHub resolves annotation paths against the workspace, not the step's directory."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return shown
    absolute = Path(shown).resolve()
    try:
        return absolute.relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return shown


def _against_base(registry_path: Path, shown: str, base: str,
                  current: Registry) -> list[Problem]:
    return list(check_against_base(Path.cwd(), registry_path.resolve(), base, current,
                                   path=shown))


@click.command()
@options.registry
@click.option("--base", metavar="REF",
              help="Also check the change against REF: no active entry may vanish without a "
                   "deprecation first; reusing a recently freed port is a warning.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True,
              help="text (FILE:LINE:COL: severity: message), github (workflow annotations) "
                   "or json (an array of problems).")
def check(registry_path: str | None, base: str | None, strict: bool, format_: str) -> int:
    """Check the registry against every rule of its format and report each problem.

    Exit status: 0 when it passes, 1 when there are errors (or warnings with --strict),
    2 when the file cannot be read or the arguments are wrong. Problems go to stdout; the
    count goes to stderr, so stdout stays parseable.

    \b
    Examples:
      portplan check
      portplan check --strict --format github --base origin/main
    """
    cwd = Path.cwd()
    if registry_path is not None:
        path, shown = Path(registry_path), registry_path
    else:
        path = find_registry(cwd)
        shown = _display_path(path, cwd)
    loaded = check_file(path, display=shown)
    problems = list(loaded.problems)
    if base is not None and loaded.registry is not None:
        # An unreadable registry has already failed; comparing it with REF would say nothing.
        # An entry may accept these warnings too (port-reuse, say), with the same key.
        found, _ = accept_warnings(_against_base(path, shown, base, loaded.registry),
                                   loaded.registry)
        problems = sort_problems(problems + found)
    if format_ == "github":
        where = _annotation_path(shown)
        problems = [Problem(where, p.line, p.column, p.severity, p.code, p.message)
                    if p.file == shown else p for p in problems]
        allow_workflow_commands(sys.stdout)  # each message is escaped as GitHub documents
    click.echo(render(problems, format_), nl=False)
    click.echo(f"portplan check: {shown}: {summary(problems)}", err=True)
    return 1 if has_errors(problems, strict=strict) else 0
