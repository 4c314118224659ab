"""MkDocs hook for the port plan: glue only, the work happens in ``portplan.mkdocs_site``.

Enabled in mkdocs.yml with ``hooks: [hooks/portplan_hook.py]``; options under
``extra: portplan:`` (see ``portplan.mkdocs_site``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from portplan.mkdocs_site import PortplanSite

if TYPE_CHECKING:  # imported by `mkdocs serve` only; a build need not load it
    from mkdocs.livereload import LiveReloadServer

# MkDocs loads a hook module once per process and reloads the config on every `serve`
# rebuild; the state of one build lives here and is replaced in on_config.
_site: PortplanSite | None = None


def _current() -> PortplanSite:
    if _site is None:
        raise PluginError("portplan hook: on_config did not run")
    return _site


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site  # noqa: PLW0603 (one build's state, see above)
    _site = PortplanSite.from_config(config)
    _site.add_assets()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return _current().add_files(files)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().page_content(html, page)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _current().post_page(output, page)


def on_post_build(config: MkDocsConfig) -> None:
    _current().finish()


def on_build_error(error: Exception) -> None:
    PortplanSite.abandon()


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    _current().watch(server)
    return server
