"""`portplan diff`: what a change does to the port plan, for its reviewer.

See docs/proposing-changes.md.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import yaml

from portplan.commands import options
from portplan.commands.reading import note_between_entries
from portplan.git import file_at as git_file_at
from portplan.git import toplevel as git_toplevel
from portplan.model import Assignment
from portplan.problems import PortplanError, unreadable
from portplan.registry.file_bytes import read_registry_bytes, resolved
from portplan.registry.load import load_registry
from portplan.registry.locate import DEFAULT_NAME, registry_file
from portplan.review import compare, md_escape, render_json, render_markdown, render_text
from portplan.revisions import (
    base_registry,
    default_base,
    registry_in,
    repo_path,
    resolve_commit,
)

_SITE_URL = re.compile(r"^site_url:.*$", re.MULTILINE)


def site_url_from_mkdocs(folder: Path) -> str | None:
    """``site_url`` of the mkdocs.yml beside the registry, if any.

    Only that line is read: mkdocs.yml often holds ``!!python/name:`` tags no safe loader takes.
    """
    config = folder / "mkdocs.yml"
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = _SITE_URL.search(text)
    if not match:
        return None
    try:
        value = yaml.safe_load(match.group(0))
    except yaml.YAMLError:
        return None
    url = value.get("site_url") if isinstance(value, dict) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


@click.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--format", "format_", type=click.Choice(["markdown", "text", "json"]),
              default="markdown", show_default=True)
@click.option("--site-url", metavar="URL",
              help="Link ports to their pages here (default: site_url in mkdocs.yml).")
@options.registry
def diff(base: str | None, head: str | None, format_: str, site_url: str | None,
         registry_path: str | None) -> int:
    """Summarise the assignment changes between BASE and HEAD.

    BASE defaults to the merge base with the default branch (origin/HEAD, else main or
    master); HEAD to the working tree. Moves and swaps are paired as in `portplan history`.
    In GitHub Actions the Markdown is also appended to the job summary.

    \b
    Examples:
      portplan diff                      # this branch against where it left main
      portplan diff origin/main          # the pull request, as a reviewer sees it
      portplan diff v1.0 v2.0 --format text
    """
    registry = _registry(registry_path, both_revisions=base is not None and head is not None)
    registry_path = str(registry)
    repo, inside = repo_path(registry)
    if base is None:
        base_label, base_sha = default_base(repo)
    else:
        base_label, base_sha = base, resolve_commit(repo, base)
    head_sha = None if head is None else resolve_commit(repo, head)
    old = base_registry(repo, base_sha, inside, head_sha)
    if not old.found and not (registry.is_file() if head_sha is None
                              else registry_in(repo, head_sha, inside)):
        raise PortplanError(
            f"{inside} is in neither {base_label} nor {head or 'the working tree'}: check the "
            "path given with --registry (it is relative to the current directory)")
    notes = []
    if old.unreadable is not None:
        notes.append(f"the registry at {base_label} ({old.path}) could not be read, so every "
                     f"entry is compared with an empty registry (shown as added); reason: "
                     f"{old.unreadable}")
    if head_sha is None:
        head_label = "working tree"
        data: bytes | None = read_registry_bytes(registry)
        shown = registry_path
    else:
        head_label = f"{head} ({head_sha[:7]})"
        data, shown = git_file_at(repo, head_sha, inside), f"{head_sha[:7]}:{inside}"
    where = f"the registry {shown}" if head_sha is None else \
        f"the registry in {head} ({shown})"
    new = () if data is None else _head_entries(data, shown, where)
    comparison = compare(old.assignments, new, f"{base_label} ({base_sha[:7]})", head_label,
                         notes=tuple(notes))
    url = site_url or site_url_from_mkdocs(resolved(registry).parent)
    if format_ == "json":
        click.echo(render_json(comparison), nl=False)
    elif format_ == "text":
        click.echo(render_text(comparison), nl=False)
    else:
        markdown = render_markdown(comparison, site_url=url)
        click.echo(markdown, nl=False)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            _append_summary(Path(summary), markdown)
    return 0


def _registry(option: str | None, *, both_revisions: bool) -> Path:
    """The registry file; between two commits it need not exist in the work tree."""
    if option is not None or not both_revisions:
        return Path(registry_file(option))
    try:
        return Path(registry_file(None))
    except PortplanError:
        # ports.yaml at the root of the repository, as both revisions have it; the root is
        # where git says, so a directory outside any repository fails there, with git's reason.
        return git_toplevel(Path.cwd()) / DEFAULT_NAME


def _head_entries(data: bytes, shown: str, where: str) -> tuple[Assignment, ...]:
    """The entries of the change's registry, which must be readable (docs/proposing-changes.md).

    Read leniently, an unknown key or a bad port would drop entries and show them as removed;
    so an unreadable head is refused with its reasons. Errors between entries are only noted.
    """
    loaded = load_registry(data, shown)
    if loaded.registry is None or not loaded.readable:
        reasons = [str(problem) for problem in unreadable(loaded.problems)]
        for reason in reasons:
            click.echo(reason, err=True)
        message = (f"{where} cannot be read, so there is no change to summarise; fix it "
                   "first (`portplan check` lists every problem)")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:  # the reviewer reads the job summary: say there why it has no changes
            _append_summary(Path(summary), "\n".join(
                ["## Port plan changes", "", f"> **Not summarised:** {md_escape(message)}", "",
                 *(f"- {md_escape(reason)}" for reason in reasons)]) + "\n")
        raise PortplanError(message)
    note_between_entries(loaded, shown, "diff")
    return loaded.registry.ports


def _append_summary(summary: Path, markdown: str) -> None:
    try:
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as exc:
        raise PortplanError(f"cannot append to the job summary GITHUB_STEP_SUMMARY={summary}: "
                            f"{exc.strerror or exc}; point it at a writable file, or unset it"
                            ) from exc
