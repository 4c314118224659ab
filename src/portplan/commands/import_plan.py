"""`portplan import FILE.md [--output F]` (docs/adopting.md): a Markdown plan to a registry."""

from __future__ import annotations

import os
from pathlib import Path

import click

from portplan.adopt.columns import parse_overrides
from portplan.adopt.conversion import Converted, convert_plan
from portplan.adopt.importer import clean
from portplan.adopt.options import ORDERS, SECTION_MODES, ImportOptions
from portplan.problems import PortplanError, Severity
from portplan.registry.load import load_registry


@click.command("import")
@click.argument("plan", metavar="FILE.md", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the registry here (e.g. ports.yaml). Default: standard output.")
@click.option("--force", is_flag=True, help="Replace --output when it exists.")
@click.option("--map", "maps", multiple=True, metavar="HEADER=FIELD",
              help="Send a column to a field (port, service, status, environments, ..., "
                   "meta.KEY or skip), over what its header says. Repeatable.")
@click.option("--sections", type=click.Choice(SECTION_MODES), default="ignore",
              show_default=True,
              help="What the heading above each table becomes: nothing, the environment of "
                   "its rows, or meta.section.")
@click.option("--order", type=click.Choice(ORDERS), default="source", show_default=True,
              help="Entries in the order of the plan, or sorted by port.")
def import_(plan: Path,  # noqa: PLR0917 - click passes each option as an argument
            output: Path | None, force: bool, maps: tuple[str, ...],
            sections: str, order: str) -> int:
    """Turn the port tables of a Markdown plan into a registry.

    Prints the registry (or writes --output), and on stderr how each column was mapped, what
    could not be read, and the conflicts the plan itself has.

    \b
    Examples:
      portplan import docs/ports.md --output ports.yaml
      portplan import docs/ports.md --sections environments --map 'Box=environments'
    """
    options = ImportOptions(parse_overrides(maps), sections, order)
    try:
        data = plan.read_bytes()
    except OSError as exc:
        raise PortplanError(f"cannot read {plan}: {exc.strerror}") from None
    if output is not None and output.exists() and not force:
        raise PortplanError(f"{output} exists; pass --force to replace it, or choose another "
                            "--output")
    base = output.parent if output is not None else Path()
    imported_from = Path(os.path.relpath(plan.resolve(), base.resolve())).as_posix()
    try:
        converted = convert_plan(data, str(plan), options, imported_from)
    except PortplanError as exc:
        click.echo(f"portplan: error: {exc}", err=True)
        return 1
    _report(converted)
    shown = str(output) if output is not None else "ports.yaml"
    problems = load_registry(converted.text, shown).problems
    conflicts = [p for p in problems if p.severity is Severity.ERROR]
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    if conflicts:
        click.echo(f"portplan: the plan itself has {len(conflicts)} problem(s) above; "
                   "`portplan check` reports them until they are resolved in the registry",
                   err=True)
    if output is None:
        click.echo(converted.text, nl=False)
    else:
        output.write_text(converted.text, encoding="utf-8")
        click.echo(f"wrote {output}: {len(converted.imported.entries)} entries; next: "
                   f"portplan check --registry {output}", err=True)
    return 0


def _report(converted: Converted) -> None:
    imported = converted.imported
    for report in imported.tables:
        where = f" under '{clean(report.table.section)}'" if report.table.section else ""
        click.echo(f"table at line {report.table.line}{where}: {len(report.table.rows)} rows",
                   err=True)
        for column in report.columns:
            why = "" if column.why == "header" else f" ({column.why})"
            click.echo(f"  {clean(column.header) or '(no header)'!r:<24} -> {column.target}{why}",
                       err=True)
    for item in imported.items:
        click.echo(f"list at line {item.line}: '{clean(item.name)}' as a service without a port",
                   err=True)
    for note in imported.notes:
        click.echo(f"  note: {clean(note)}", err=True)
