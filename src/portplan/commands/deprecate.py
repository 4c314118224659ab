"""`portplan deprecate`: mark one entry deprecated, editing nothing else.

See docs/proposing-changes.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter

import click

from portplan.commands import options
from portplan.commands.reading import refuse_unreadable
from portplan.deprecation_edit import DeprecationEdit, Target, deprecate_entry
from portplan.model import PortSpan
from portplan.problems import Problem, Severity
from portplan.registry.load import Loaded, load_registry
from portplan.registry.locate import registry_file
from portplan.registry_file import LockedRegistry, edit_registry


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a date; write it as YYYY-MM-DD",
                                 param_hint="--remove-after") from exc


def _new_errors(before: Loaded, after: Loaded) -> list[Problem]:
    """Errors the edit would add. A plan with a conflict may still be edited as long as the
    edit adds no error (docs/registry-format.md, "Two kinds of errors"); errors are counted by
    code, as the edit shifts their lines."""
    had = Counter(p.code for p in before.problems if p.severity is Severity.ERROR)
    added = []
    for problem in after.problems:
        if problem.severity is not Severity.ERROR:
            continue
        if had[problem.code] > 0:
            had[problem.code] -= 1
        else:
            added.append(problem)
    return added


@click.command()
@click.argument("port", metavar="PORT[/PROTO]", callback=options.port_and_protocol)
@click.option("--note", required=True,
              help="What replaces the port and how clients migrate (inline Markdown).")
@click.option("--replaced-by", metavar="PORT", callback=options.port_span,
              help="The port that takes over (must exist).")
@click.option("--remove-after", metavar="DATE", help="When the entry may go (YYYY-MM-DD).")
@click.option("--environment", metavar="ENV",
              help="Which entry, when the port has one per environment.")
@options.registry
@click.option("--dry-run", is_flag=True, help="Print the change as a diff; write nothing.")
def deprecate(  # noqa: PLR0917 - click passes each option as an argument
    port: tuple[PortSpan, str | None],
    note: str,
    replaced_by: PortSpan | None,
    remove_after: str | None,
    environment: str | None,
    registry_path: str | None,
    dry_run: bool,
) -> int:
    """Mark the entry on PORT deprecated, with a migration note.

    Edits the registry in place; everything outside that entry stays byte for byte. If the
    result would not pass `portplan check`, the file is left untouched and the problems printed.

    \b
    Example:
      portplan deprecate 8090 --note "Moved to 8020; point MOCK_URL at :8020." --replaced-by 8020
    """
    registry_path = registry_file(registry_path)
    edit = DeprecationEdit(note, replaced_by, _date(remove_after))
    target = Target(*port, environment)
    if edit.replaced_by is not None and edit.replaced_by.overlaps(target.port):
        raise click.BadParameter(f"{replaced_by} is the port being deprecated; name the port "
                                 "that takes over", param_hint="--replaced-by")
    with edit_registry(registry_path, write=not dry_run) as registry:
        return _deprecate(registry, target, edit, dry_run=dry_run)


def _deprecate(registry: LockedRegistry, target: Target, edit: DeprecationEdit, *,
               dry_run: bool) -> int:
    text, registry_path = registry.text, registry.path
    before = load_registry(text.encode("utf-8"), registry_path)
    refuse_unreadable(before, registry_path, "deprecate")  # its own lines, before any edit
    new_text, entry = deprecate_entry(text, target, edit, registry_path)
    loaded = load_registry(new_text.encode("utf-8"), registry_path)
    added = _new_errors(before, loaded)
    if added or not loaded.readable:
        click.echo(f"portplan: deprecating {target} would add problems to {registry_path} "
                   "(lines as they would be after the edit):", err=True)
        for problem in added or loaded.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{registry_path} was left unchanged.", err=True)
        return 1
    for problem in loaded.problems:
        click.echo(str(problem), err=True)
    if new_text == text:
        click.echo(f"{entry} is already deprecated with that note; nothing changed.")
        return 0
    if dry_run:
        click.echo("".join(difflib.unified_diff(
            text.splitlines(keepends=True), new_text.splitlines(keepends=True),
            f"a/{registry_path}", f"b/{registry_path}")), nl=False)
        return 0
    registry.write(new_text)
    click.echo(f"Deprecated {entry}.\nReview the change with `portplan diff`, then commit it.")
    return 0
