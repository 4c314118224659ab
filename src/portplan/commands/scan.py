"""`portplan scan` (docs/scan.md): where the code and the registry disagree."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from portplan.commands import options
from portplan.commands.reading import usable_registry
from portplan.git import toplevel
from portplan.problems import GitError, PortplanError, Severity
from portplan.registry.locate import find_registry
from portplan.report import FORMATS
from portplan.scan.config import read_config
from portplan.scan.report import render_findings, render_notices, reported
from portplan.scan.scanner import scan as run_scan
from portplan.terminal import allow_workflow_commands


def _root(cwd: Path) -> Path:
    try:
        return toplevel(cwd)
    except GitError:
        return cwd


def _relative(paths: tuple[str, ...], root: Path, cwd: Path) -> tuple[str, ...]:
    out = []
    for given in paths:
        absolute = (cwd / given).resolve()
        try:
            relative = absolute.relative_to(root.resolve()).as_posix()
        except ValueError:
            raise PortplanError(f"{given} is outside the repository {root}; scan paths inside "
                                "it") from None
        out.append("" if relative == "." else relative)
    return tuple(p for p in out if p) if all(out) else ()


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@options.registry
@click.option("--exclude", "excludes", multiple=True, metavar="GLOB",
              help="Skip files matching GLOB (repeatable), besides scan.exclude.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "format_", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True,
              help="text (FILE:LINE:COL: severity: message), github (workflow annotations) "
                   'or json ({"findings", "sources"}).')
def scan(paths: tuple[str, ...], registry_path: str | None, excludes: tuple[str, ...],
         strict: bool, format_: str) -> int:
    """Hold the registry against the files that set ports: systemd units, dotenv, Compose,
    Kubernetes, Dockerfiles, nginx, shell scripts, package.json, Procfiles.

    Reads what git tracks (or, outside a repository, the tree), PATHS only when given.
    Exit status: 0 when code and registry agree, 1 when there are errors (or warnings with
    --strict), 2 when the registry cannot be read or the arguments are wrong. Findings go to
    stdout; notices (files that could not be read) and the count go to stderr.

    \b
    Examples:
      portplan scan
      portplan scan apps/ --format github
    """
    cwd = Path.cwd()
    path = Path(registry_path) if registry_path is not None else find_registry(cwd)
    registry = usable_registry(os.path.relpath(path, cwd), "scan")
    root = _root(cwd)
    config = read_config(path.read_bytes(), os.path.relpath(path, cwd))
    try:
        registry_in_root = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        registry_in_root = ""
    result = run_scan(root, registry, config, only=_relative(paths, root, cwd),
                      exclude=excludes, skip=(registry_in_root,))
    if format_ == "github":
        allow_workflow_commands(sys.stdout)  # each message is escaped as GitHub documents
    click.echo(render_findings(result, format_), nl=False)
    click.echo(render_notices(result.notices), nl=False, err=True)
    findings = reported(result)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    accepted = len(result.findings) - len(findings)
    counts = [_count(result.files_read, "file") + " read", _count(len(result.sources), "place"),
              _count(errors, "error"), _count(len(findings) - errors, "warning"),
              f"{accepted} accepted", _count(len(result.notices), "notice")]
    click.echo(f"portplan scan: {', '.join(counts)}", err=True)
    return 1 if errors or (strict and findings) else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
