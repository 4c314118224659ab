"""`portplan site generate`: the site's generated pages for an engine that runs no hooks.

Zensical reads mkdocs.yml but runs no hooks; this writes the docs with every generated page,
asset, feed and ports.json into a staging folder, and a copy of the config pointing at it
(docs/site.md, "Other engines"). MkDocs and ProperDocs need none of this: the hook does it.
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import click

from portplan.problems import PortplanError
from portplan.site.engine_config import EngineConfig, read_config
from portplan.site.options import Options
from portplan.site.plan import SCRIPTS, STYLESHEETS
from portplan.site.shadowed import imported_plan
from portplan.site.source import PUBLISH_PROBLEMS, SiteError, read_source
from portplan.site.staging import docs_files, staged_docs, write_tree

STAGED_DOCS = "build/portplan/docs"  # relative to the config's folder


def staged_config_path(config: Path) -> Path:
    """``mkdocs.yml`` -> ``mkdocs.portplan.yml``, beside it (so its relative paths hold)."""
    return config.with_name(f"{config.stem}.portplan{config.suffix or '.yml'}")


@click.group()
def site() -> None:
    """The published site, for engines that run no hooks (Zensical)."""


@site.command()
@click.option("--config", "config_file", default="mkdocs.yml", show_default=True,
              metavar="FILE", help="The site's config (its extra.portplan options are read).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (files are written).")
@click.option("--watch", is_flag=True,
              help="Keep running; regenerate when ports.yaml, the config, the docs or the git "
                   "history change (beside `zensical serve`).")
def generate(config_file: str, strict: bool, watch: bool) -> int:
    """Write the docs and the generated pages into build/portplan/docs.

    Then build with the config written beside yours (mkdocs.yml -> mkdocs.portplan.yml).

    \b
    Examples:
      portplan site generate && zensical build -f mkdocs.portplan.yml
      portplan site generate --watch & zensical serve -f mkdocs.portplan.yml
    """
    path = Path(config_file)
    if not watch:
        return _generate(path, strict=strict)
    stamp: tuple[tuple[str, float], ...] | None = None
    try:
        while True:
            now = _stamp(path)
            if now != stamp:
                stamp = now
                _generate(path, strict=False)
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0


def _generate(path: Path, *, strict: bool) -> int:
    """One generation; 1 on registry errors (each printed), or on warnings with strict."""
    try:
        config = read_config(path)
        options = _options(config)
        source = read_source(config.root, options)
    except SiteError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"portplan: error: {exc}", err=True)
        return 1
    except PortplanError as exc:
        click.echo(f"portplan: error: {exc}", err=True)
        return 2
    settings = dataclasses.replace(config.settings(), links_from_source=True)  # Zensical's way
    site = source.site(options, settings)
    try:
        plan = imported_plan(config.root / options.registry, source.registry)
        files, warnings, notes = staged_docs(site, docs_files(config.docs_dir), plan)
    except SiteError as exc:
        click.echo(f"portplan: error: {exc}", err=True)
        return 2
    said = source.messages(publish=os.environ.get(PUBLISH_PROBLEMS) == "1")  # as the hook
    warnings = [*said.warnings, *warnings]
    for warning in warnings:
        click.echo(f"portplan: warning: {warning}", err=True)
    for info in [*said.infos, *notes]:
        click.echo(f"portplan: {info}", err=True)
    written = write_tree(config.root / STAGED_DOCS, files)
    staged = staged_config_path(config.path)
    text = config.staged(STAGED_DOCS, STYLESHEETS, SCRIPTS)
    if not staged.is_file() or staged.read_text("utf-8") != text:
        staged.write_text(text, encoding="utf-8")
    click.echo(f"portplan: {written} of {len(files)} files changed in {STAGED_DOCS}; "
               f"build with: zensical build -f {staged.name}", err=True)
    return 1 if strict and warnings else 0


def _options(config: EngineConfig) -> Options:
    """extra.portplan, checked by the same MkDocs config options as in the hook."""
    # Imported here: the core loads no site engine (the MkDocs adapter is one).
    from mkdocs.exceptions import PluginError  # noqa: PLC0415

    from portplan.mkdocs_site import options_from_extra  # noqa: PLC0415

    try:
        return options_from_extra(config.extra)
    except PluginError as exc:
        raise PortplanError(str(exc)) from None


def _stamp(config: Path) -> tuple[tuple[str, float], ...]:
    """What a regeneration depends on, as (path, modification time) pairs."""
    root = config.resolve().parent
    watched = [config, root / ".git" / "logs" / "HEAD", root / ".git" / "index"]
    try:
        loaded = read_config(config)
        watched += [root / str(loaded.extra.get("portplan", {}).get("registry", "ports.yaml"))]
        watched += sorted(loaded.docs_dir.rglob("*"))
    except (PortplanError, AttributeError):
        pass
    return tuple((str(p), p.stat().st_mtime) for p in watched if p.is_file())
