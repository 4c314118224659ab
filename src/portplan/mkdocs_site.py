"""MkDocs glue: turn MkDocs events into calls of the pure renderers in ``portplan.site``.

``hooks/portplan_hook.py`` forwards each event here. Options come from ``extra: portplan:`` in
mkdocs.yml (MkDocs rejects unknown top-level keys in strict mode)::

    extra:
      portplan:
        registry: ports.yaml          # relative to mkdocs.yml
        columns: [port, service, status, meta.tier]   # optional; default: see docs/site.md
        feed_limit: 100               # entries in the Atom feed
        changes_per_page: 100         # commits per page of changes/ (older: changes/page/N/)

Generated pages reach MkDocs as Markdown holding headings and placeholders; their HTML goes
back in after Markdown has run (``portplan.site.slots``), which keeps big registries fast.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from portplan.history import read_history
from portplan.model import PortSpan, Registry
from portplan.problems import PortplanError, Severity
from portplan.registry import check_file
from portplan.site.changes_page import CHANGES_PER_PAGE, changes_pages
from portplan.site.feed import render_feed
from portplan.site.history_view import HistoryView, NoHistory
from portplan.site.markers import find_markers, replace_markers
from portplan.site.parts import PageParts
from portplan.site.port_page import PortPages, page_spans
from portplan.site.ports_index import ports_index_parts
from portplan.site.ports_json import render_ports_json
from portplan.site.search_text import search_text
from portplan.site.sections import render_notices, render_portless, render_ranges
from portplan.site.slots import Slots
from portplan.site.table import choose_columns, render_table
from portplan.site.urls import (
    CHANGES_FEED,
    PORTS_INDEX,
    PORTS_JSON,
    SiteLinks,
    page_url,
    port_page_src,
)

log = get_plugin_logger(__name__)

OPTIONS = ("registry", "columns", "feed_limit", "changes_per_page")

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/portplan"  # where the vendored script and style land on the site


@dataclass(frozen=True)
class Options:
    registry: str = "ports.yaml"
    columns: tuple[str, ...] | None = None
    feed_limit: int = 100
    changes_per_page: int = CHANGES_PER_PAGE

    @classmethod
    def from_extra(cls, extra: Any) -> Options:
        """Read ``extra.portplan``; a wrong option is a PluginError naming it."""
        raw = extra.get("portplan") if hasattr(extra, "get") else None
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise PluginError("mkdocs.yml: extra.portplan must be a mapping of options")
        unknown = sorted(set(raw) - set(OPTIONS))
        if unknown:
            raise PluginError(f"mkdocs.yml: unknown option(s) extra.portplan.{unknown[0]}; "
                              f"known: {', '.join(OPTIONS)}")
        registry = raw.get("registry", cls.registry)
        columns = raw.get("columns")
        limit = raw.get("feed_limit", cls.feed_limit)
        per_page = raw.get("changes_per_page", cls.changes_per_page)
        if not isinstance(registry, str) or not registry:
            raise PluginError("mkdocs.yml: extra.portplan.registry must be a file path")
        if columns is not None and not (
                isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
            raise PluginError("mkdocs.yml: extra.portplan.columns must be a list of column names")
        for name, value in (("feed_limit", limit), ("changes_per_page", per_page)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise PluginError(f"mkdocs.yml: extra.portplan.{name} must be a positive integer")
        return cls(registry, tuple(columns) if columns else None, limit, per_page)


def load_history(root: Path, registry: str) -> HistoryView:
    """The registry's git history, read once per build; NoHistory with the reason if git fails."""
    try:
        return read_history(root, Path(registry))
    except PortplanError as exc:
        return NoHistory(f"history is unavailable: {exc}")


@dataclass
class PortplanSite:
    """One build's state: options, the registry and its history, read once in ``on_files``."""

    config: MkDocsConfig
    options: Options
    registry: Registry = field(default_factory=Registry)
    history: HistoryView = field(default_factory=lambda: NoHistory("not read yet"))
    table_pages: list[str] = field(default_factory=list)
    slots: Slots = field(default_factory=Slots)
    page_spans: frozenset[PortSpan] = frozenset()  # the ports and blocks that have a page
    titles: dict[str, str] = field(default_factory=dict)  # generated page -> plain title

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> PortplanSite:
        return cls(config, Options.from_extra(config.extra))

    @property
    def root(self) -> Path:
        return Path(self.config.config_file_path or ".").resolve().parent

    @property
    def registry_path(self) -> Path:
        return self.root / self.options.registry

    def links(self, url: str) -> SiteLinks:
        return SiteLinks.for_page(url, directory_urls=self.config.use_directory_urls,
                                  repo_url=self.config.repo_url, pages=self.page_spans)

    def add_assets(self) -> None:
        """Load the vendored table script and style (no CDN: the site works offline)."""
        self.config.extra_css.append(f"{ASSET_DIR}/portplan.css")
        self.config.extra_javascript.append(f"{ASSET_DIR}/portplan.js")

    def load(self) -> None:
        """Read and check the registry; log every problem; errors stop the build."""
        if not self.registry_path.is_file():
            raise PluginError(f"{self.options.registry}: the registry file does not exist; "
                              "create it, or set extra.portplan.registry in mkdocs.yml")
        try:
            loaded = check_file(self.registry_path, display=self.options.registry)
        except PortplanError as exc:
            raise PluginError(str(exc)) from None
        errors = 0
        for problem in loaded.problems:
            if problem.severity is Severity.ERROR:
                errors += 1
                log.error(str(problem))
            else:
                log.warning(str(problem))
        if errors or loaded.registry is None:
            raise PluginError(f"{self.options.registry}: {errors} error(s) in the registry; "
                              "fix them and rebuild (`portplan check` gives the same report)")
        self.registry = loaded.registry
        try:
            choose_columns(self.registry, self.options.columns)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: extra.portplan.columns: {exc}") from None
        self.history = load_history(self.root, self.options.registry)
        self.page_spans = frozenset(page_spans(self.registry, self.history))
        for notice in self.history.notices:
            # A warning, so `mkdocs build --strict` fails on an incomplete history
            # (docs/history.md).
            log.warning(notice)
        for skipped in self.history.skipped:
            # Not a warning: a past commit cannot be mended, and --strict would then fail every
            # build from here on. The site names it in a note on every history page.
            log.info(skipped)

    def add_files(self, files: Files) -> Files:
        """Add the generated pages (port pages kept out of the nav) and ports.json + feed."""
        self.load()
        for asset in ("portplan.css", "portplan.js"):
            files.append(File.generated(self.config, f"{ASSET_DIR}/{asset}",
                                        abs_src_path=str(ASSETS / asset)))
        d = self.config.use_directory_urls
        pages = PortPages(self.registry, self.history)
        for span in sorted(self.page_spans):
            src = port_page_src(span)
            parts = pages.parts(span, self.links(page_url(src, directory_urls=d)))
            self._add_page(files, src, parts, InclusionLevel.NOT_IN_NAV)
        self._add_page(files, PORTS_INDEX, ports_index_parts(
            self.registry, self.history, self.links(page_url(PORTS_INDEX, directory_urls=d))))
        for number, (src, parts) in enumerate(changes_pages(
                self.history, lambda src: self.links(page_url(src, directory_urls=d)),
                per_page=self.options.changes_per_page), start=1):
            # The first page is the one in the nav; older ones are reached from it.
            self._add_page(files, src, parts, InclusionLevel.UNDEFINED if number == 1
                           else InclusionLevel.NOT_IN_NAV)
        self._add(files, PORTS_JSON, render_ports_json(self.registry, self.history,
                                                       directory_urls=d))
        self._add(files, CHANGES_FEED, render_feed(
            self.history, title=self.config.site_name, site_url=self.config.site_url,
            repo_url=self.config.repo_url, limit=self.options.feed_limit))
        return files

    def _add_page(self, files: Files, src: str, parts: PageParts,
                  inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> None:
        if parts.title is not None:
            self.titles[src] = parts.title
        self._add(files, src, self.slots.source(src, parts), inclusion)

    def _add(self, files: Files, src: str, content: str,
             inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> None:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"docs/{src} exists, but portplan generates that file; remove it")
        files.append(File.generated(self.config, src, content=content, inclusion=inclusion))

    def page_markdown(self, markdown: str, page: Page) -> str:
        """Replace the markers in a docs page with the generated parts."""
        title = self.titles.get(page.file.src_uri)
        if title is not None:
            # Material prints a front-matter title as it is, but runs a heading's title through
            # striptags, which un-escapes it: a service name's markup would reach <title>.
            page.meta["title"] = html.escape(title)
        if "portplan:" not in markdown:
            return markdown
        used = find_markers(markdown)
        if "table" in used:
            self.table_pages.append(page.file.src_uri)
        links = self.links(page.url)
        src = page.file.src_uri
        parts = {
            "notices": lambda: self.slots.hold(src, render_notices(
                self.history)),
            "table": lambda: self.slots.hold(src, render_table(
                self.registry, self.history, links, self.options.columns),
                search=search_text(self.registry.with_port())),
            "portless": lambda: self.slots.hold(src, render_portless(self.registry)),
            "ranges": lambda: self.slots.hold(src, render_ranges(self.registry, links)),
        }
        for name in used:
            if name not in parts:
                log.warning(f"{page.file.src_uri}: unknown marker <!-- portplan:{name} -->; "
                            f"known: {', '.join(parts)}")
        return replace_markers(markdown, parts)

    def page_content(self, content: str, page: Page) -> str:
        """Put the searchable generated HTML into the converted page."""
        return self.slots.fill_indexed(page.file.src_uri, content)

    def post_page(self, output: str, page: Page) -> str:
        """Put the unindexed generated HTML into the finished page; link the feed."""
        return self.head_links(self.slots.fill_unindexed(page.file.src_uri, output), page)

    def check_table_shown(self) -> None:
        """Warn (and so fail --strict) when no page asks for the table: the site would lack it."""
        if not self.table_pages:
            log.warning("no docs page contains <!-- portplan:table -->, so the port table is "
                        "not shown; add the marker to docs/index.md")

    def watch(self, server: LiveReloadServer) -> None:
        """`mkdocs serve` rebuilds when the registry changes."""
        server.watch(str(self.registry_path))

    def head_links(self, output: str, page: Page) -> str:
        """Announce the Atom feed in every page's <head>."""
        href = html.escape(self.links(page.url).file(CHANGES_FEED))
        tag = (f'<link rel="alternate" type="application/atom+xml" '
               f'title="{html.escape(self.config.site_name)}: changes" href="{href}">')
        return output.replace("</head>", tag + "</head>", 1)
