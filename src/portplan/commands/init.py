"""`portplan init [--title TEXT]` (docs/adopting.md): set up a repository that has no registry."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from portplan.adopt.starter import starter_files
from portplan.problems import PortplanError

_NEXT = """\
next:
  1. list your ports in ports.yaml, or import your Markdown plan:
       portplan import docs/ports.md --output ports.yaml --force
  2. portplan check, then portplan scan (the plan held against the code)
  3. mkdocs serve          (the site on http://127.0.0.1:8000/)
  4. git add the files above, commit, and push; pages.yml publishes the site"""


@click.command()
@click.option("--title", help="The site's title, e.g. 'Payments port plan'. Asked when "
                              "omitted on a terminal.")
@click.option("--directory", "-C", type=click.Path(file_okay=False, path_type=Path),
              default=Path(), help="The repository to set up. Default: here.")
def init(title: str | None, directory: Path) -> int:
    """Write a starter ports.yaml, mkdocs.yml, docs/index.md, workflows and pre-commit hook.

    Never overwrites a file: what exists is left as it is and listed.
    """
    if title is None:
        if not sys.stdin.isatty():
            raise PortplanError("give the site's title with --title, e.g. "
                                "--title 'Payments port plan'")
        title = click.prompt("Title of the port plan site", default="Port plan")
    title = " ".join(title.split())
    if not title or not title.isprintable():
        raise PortplanError("--title must be one line of printable text")
    wrote: list[str] = []
    for file in starter_files(title):
        target = directory / file.path
        if target.exists():
            click.echo(f"exists, left as it is: {file.path}")
            text = target.read_text("utf-8", errors="replace")
            if missing := [need for need in file.needs if need not in text]:
                click.echo(f"  it has no {', '.join(missing)}; add this to it by hand:")
                click.echo("".join(f"    {line}\n" for line in file.text.splitlines()),
                           nl=False)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(file.text)
        wrote.append(file.path)
        click.echo(f"wrote {file.path}: {file.purpose}")
    if not wrote:
        click.echo("nothing to write: every file portplan init writes exists already")
        return 0
    click.echo(_NEXT)
    return 0
