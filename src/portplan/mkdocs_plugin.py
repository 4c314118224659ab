"""The ``portplan`` MkDocs plugin: the same glue as ``hooks/portplan_hook.py``, installed.

A repository that pip-installs portplan enables it with ``plugins: [search, portplan]``
(what `portplan init` writes); this repository's own site uses the hook. Both hand every
event to `PortplanSite`, so they build the same site. Options live under ``extra: portplan:``
(docs/site.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from portplan.mkdocs_site import PortplanSite

if TYPE_CHECKING:  # imported by `mkdocs serve` only; a build need not load it
    from mkdocs.livereload import LiveReloadServer


# Config and BasePlugin have an untyped __init_subclass__ in MkDocs 1.6.
class PortplanPluginConfig(Config):  # type: ignore[no-untyped-call]
    """No options of its own: they live under ``extra.portplan``, shared with the hook."""


class PortplanPlugin(BasePlugin[PortplanPluginConfig]):  # type: ignore[no-untyped-call]
    """Forwards MkDocs events to one build's `PortplanSite`."""

    def __init__(self) -> None:
        self._site: PortplanSite | None = None

    def _current(self) -> PortplanSite:
        if self._site is None:
            raise PluginError("portplan plugin: on_config did not run")
        return self._site

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._site = PortplanSite.from_config(config)
        self._site.add_assets()
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self._current().add_files(files)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        return self._current().page_markdown(markdown, page)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        return self._current().page_content(html, page)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._current().post_page(output, page)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._current().finish()

    def on_build_error(self, *, error: Exception) -> None:
        PortplanSite.abandon()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        self._current().watch(server)
        return server
