"""MkDocs glue: map the pure site plan (``portplan.site.plan``) onto MkDocs events.

``hooks/portplan_hook.py`` forwards each event here. Options come from ``extra: portplan:`` in
mkdocs.yml (MkDocs rejects unknown top-level keys in strict mode), checked with MkDocs' own
config options; docs/site.md lists them::

    extra:
      portplan:
        registry: ports.yaml          # relative to mkdocs.yml
        columns: [port, service, status, meta.tier]   # optional; default: the docs' columns
        feed_limit: 100               # entries in the Atom feed
        changes_per_page: 100         # commits per page of changes/ (older: changes/page/N/)
        scan: true                    # show where the code sets each port, and the drift

Generated pages reach MkDocs as their title and a placeholder word; their body, converted
once for all pages of its shape (`SharedBodies`), and their HTML go back in after Markdown has
run (``portplan.site.slots``), which keeps big registries fast (docs/site.md, "How the build
stays fast").
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from portplan.model import Registry
from portplan.problems import PortplanError, Severity
from portplan.registry.source import gc_paused
from portplan.site.history_view import NoHistory
from portplan.site.markers import drop_unbuilt, find_markers, replace_markers
from portplan.site.options import OPTIONS, Options, SiteSettings
from portplan.site.parts import PageParts, PartKind
from portplan.site.plan import SCRIPTS, STYLESHEETS, Site, feed_link, generated_files, marker_parts
from portplan.site.shadowed import Shadows, imported_plan
from portplan.site.slots import Slots
from portplan.site.source import PUBLISH_PROBLEMS, SiteError, read_source
from portplan.site.urls import CHANGES_FEED

if TYPE_CHECKING:  # imported by `mkdocs serve` only; a build need not load it
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)


__all__ = ["OPTIONS", "Options", "PortplanSite", "options_from_extra"]


class _PositiveInt(c.Type[int]):
    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError("must be a positive integer")
        return value


class _OptionsSchema(base.Config):  # type: ignore[no-untyped-call]  # MkDocs' own typing
    """``extra: portplan:`` as MkDocs config options (the defaults are ``Options``')."""

    registry = c.Type(str, default=Options.registry)
    columns = c.Optional(c.ListOfItems(c.Type(str)))
    feed_limit = _PositiveInt(Options.feed_limit)
    changes_per_page = _PositiveInt(Options.changes_per_page)
    scan = c.Type(bool, default=Options.scan)


_MUST_BE = {"registry": "a file path", "columns": "a list of column names",
            "feed_limit": "a positive integer", "changes_per_page": "a positive integer",
            "scan": "true or false"}


def options_from_extra(extra: Any) -> Options:
    """Read ``extra.portplan``; a wrong option is a PluginError naming it."""
    raw = extra.get("portplan") if hasattr(extra, "get") else None
    if raw is None:
        return Options()
    if not isinstance(raw, dict):
        raise PluginError("mkdocs.yml: extra.portplan must be a mapping of options")
    unknown = sorted(set(raw) - set(OPTIONS))
    if unknown:
        raise PluginError(f"mkdocs.yml: unknown option(s) extra.portplan.{unknown[0]}; "
                          f"known: {', '.join(OPTIONS)}")
    schema = _OptionsSchema()
    schema.load_dict(raw)
    failed, _ = schema.validate()
    if not schema.registry and not failed:
        failed = [("registry", base.ValidationError("empty"))]
    for name, _error in failed:
        raise PluginError(f"mkdocs.yml: extra.portplan.{name} must be {_MUST_BE[name]}")
    columns = schema.columns
    return Options(schema.registry, tuple(columns) if columns else None, schema.feed_limit,
                   schema.changes_per_page, scan=schema.scan)


@dataclass
class PortplanSite:
    """One build's state: options, then the plan, read once in ``on_files``."""

    config: MkDocsConfig
    options: Options
    site: Site = field(default_factory=lambda: Site(Registry(), NoHistory("not read yet")))
    table_pages: list[str] = field(default_factory=list)
    slots: Slots = field(default_factory=Slots)
    titles: dict[str, str] = field(default_factory=dict)  # generated page -> plain title
    bodies: SharedBodies = field(init=False)

    def __post_init__(self) -> None:
        self.bodies = SharedBodies(self.config)

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> PortplanSite:
        return cls(config, options_from_extra(config.extra))

    @property
    def root(self) -> Path:
        return Path(self.config.config_file_path or ".").resolve().parent

    @property
    def registry_path(self) -> Path:
        return self.root / self.options.registry

    def add_assets(self) -> None:
        """Load the vendored table script and style (no CDN: the site works offline)."""
        self.config.extra_css.extend(STYLESHEETS)
        self.config.extra_javascript.extend(SCRIPTS)

    def load(self) -> None:
        """Read and check the registry; log every problem; errors stop the build."""
        try:
            source = read_source(self.root, self.options)
        except SiteError as exc:
            for problem in exc.problems:
                (log.error if problem.severity is Severity.ERROR else log.warning)(str(problem))
            raise PluginError(str(exc)) from None
        except PortplanError as exc:
            raise PluginError(str(exc)) from None
        said = source.messages(publish=os.environ.get(PUBLISH_PROBLEMS) == "1")
        for warning in said.warnings:
            log.warning(warning)
        for info in said.infos:
            log.info(info)
        config = self.config
        docs = Path(config.docs_dir).resolve()
        self.site = source.site(self.options, SiteSettings(
            config.site_name, config.site_url, config.repo_url, config.use_directory_urls,
            edit_uri=config.edit_uri, docs_dir=docs.relative_to(self.root).as_posix()
            if docs.is_relative_to(self.root) else docs.name))
        if not config.site_url:
            # Info, not a warning: the bundled site has no site_url and must pass --strict
            # (docs/site.md, "The Atom feed").
            log.info("site_url is not set in mkdocs.yml, so the links in the Atom feed "
                     f"({CHANGES_FEED}) are relative, and most feed readers cannot follow "
                     "them; set site_url to where the site is published")

    def add_files(self, files: Files) -> Files:
        """Add the generated pages (port pages kept out of the nav), assets, ports.json, feed."""
        with _collection_held():
            return self._add_files(files)

    def _add_files(self, files: Files) -> Files:
        self.load()
        shadows = Shadows.of(
            {f.src_uri: Path(f.abs_src_path) for f in files.documentation_pages()
             if f.abs_src_path}, imported_plan(self.registry_path, self.site.registry),
            directory_urls=self.config.use_directory_urls)
        for generated in generated_files(self.site):
            src, content = generated.src, generated.content
            if isinstance(content, Path):
                files.append(File.generated(self.config, src, abs_src_path=str(content)))
                continue
            if files.get_file_from_path(src) is not None:
                raise PluginError(f"docs/{src} exists, but portplan generates that file; "
                                  "remove it")
            try:
                left_out = shadows.left_out(src)
            except SiteError as exc:
                raise PluginError(str(exc)) from None
            if left_out is not None and (plan := files.get_file_from_path(left_out)):
                files.remove(plan)
                log.info(Shadows.message(left_out, src))
            if isinstance(content, PageParts):
                if content.title is not None:
                    self.titles[src] = content.title
                content = self.slots.source(src, content, self.bodies.convert)
            inclusion = InclusionLevel.UNDEFINED if generated.in_nav \
                else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(self.config, src, content=content, inclusion=inclusion))
        return files

    def page_markdown(self, markdown: str, page: Page) -> str:
        """Replace the markers in a docs page with the generated parts."""
        title = self.titles.get(page.file.src_uri)
        if title is not None:
            # Material prints a front-matter title as it is, but runs a heading's title through
            # striptags, which un-escapes it: a service name's markup would reach <title>.
            page.meta["title"] = html.escape(title)
        if "portplan:" not in markdown:
            return markdown
        markdown = drop_unbuilt(markdown)
        used = find_markers(markdown)
        if "table" in used:
            self.table_pages.append(page.file.src_uri)
        src = page.file.src_uri
        known = marker_parts(self.site, page.url, used)

        def hold(name: str) -> str:
            part = known[name]()
            return self.slots.hold(src, part.text, indexed=part.kind is PartKind.HTML,
                                   search=part.search)

        for name in used:
            if name not in known:
                log.warning(f"{src}: unknown marker <!-- portplan:{name} -->; "
                            f"known: {', '.join(known)}")
        return replace_markers(markdown, {name: functools.partial(hold, name) for name in known})

    def page_content(self, content: str, page: Page) -> str:
        """Put the searchable generated HTML into the converted page, and its body's headings
        into the page's table of contents."""
        body = self.slots.body(page.file.src_uri)
        if body is not None:
            self.bodies.add_headings(body, page)
        return self.slots.fill_indexed(page.file.src_uri, content)

    def post_page(self, output: str, page: Page) -> str:
        """Put the unindexed generated HTML into the finished page; link the feed."""
        output = self.slots.fill_unindexed(page.file.src_uri, output)
        return output.replace("</head>", feed_link(self.site, page.url) + "</head>", 1)

    def finish(self) -> None:
        """The build is written: check it, and let the garbage collector see the plan again."""
        gc.unfreeze()
        self.check_table_shown()

    @staticmethod
    def abandon() -> None:
        """The build failed: as `finish`, without the checks (`mkdocs serve` goes on)."""
        gc.unfreeze()

    def check_table_shown(self) -> None:
        """Warn (and so fail --strict) when no page asks for the table: the site would lack it."""
        if not self.table_pages:
            log.warning("no docs page contains <!-- portplan:table -->, so the port table is "
                        "not shown; add the marker to docs/index.md")

    def watch(self, server: LiveReloadServer) -> None:
        """`mkdocs serve` rebuilds when the registry changes."""
        server.watch(str(self.registry_path))


@contextlib.contextmanager
def _collection_held() -> Iterator[None]:
    """No cyclic garbage collection while the plan is read and its pages made, and what is alive
    then (the history, the pages waiting for MkDocs) left out of the collections of the rest of
    the build, until `PortplanSite.finish`.

    Reading makes tens of thousands of objects that live to the end of the build, and each full
    collection walked all of them again: 1.1-1.2 s of collection in a build of 2,000 entries,
    0.4 s with this (the figures are in benchmarks/README.md).
    """
    with gc_paused():
        yield
        gc.freeze()


class SharedBodies:
    """The bodies of generated pages, converted once per build for all pages of one shape.

    A port page's body (its headings "Current assignment", "Holders", "Timeline" and a word
    where each part goes) is the same Markdown on every port page; converting it on each of
    thousands of pages was most of what Markdown did in a build. It is converted here with the
    site's own extensions and their settings, as MkDocs converts a page, so the headings have
    the ids, permalinks and table of contents entries MkDocs would have given them. A body holds
    headings and words only: a link in it would not be made relative to each page.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self._done: dict[str, tuple[str, list[Any]]] = {}  # Markdown -> HTML, toc tokens

    @functools.cached_property
    def convert(self) -> Callable[[str], str] | None:
        """The conversion, or None when the site's Markdown adds text to every page (a snippet
        appended by ``pymdownx.snippets``): a shared body would carry it a second time, so
        each page is converted whole, as before (docs/site.md, "How the build stays fast")."""
        return self._html if self._html("portplan") == "<p>portplan</p>" else None

    def _html(self, text: str) -> str:
        if text not in self._done:
            md = markdown.Markdown(extensions=self.config.markdown_extensions,
                                   extension_configs=self.config.mdx_configs or {})
            self._done[text] = (md.convert(text), list(getattr(md, "toc_tokens", [])))
        return self._done[text][0]

    def add_headings(self, text: str, page: Page) -> None:
        """Put the headings of the body ``text`` into ``page``'s table of contents, under its
        title, as if they had been in its Markdown; and their ids among its anchors."""
        tokens = self._done[text][1]
        links = get_toc(tokens).items
        if links and page.toc.items:
            del links[0].active  # type: ignore[attr-defined]  # get_toc marks a page's first
        for link in links:
            items, parent = page.toc.items, None
            while items and items[-1].level < link.level:
                parent = items[-1]
                items = parent.children
            (parent.children if parent is not None else page.toc.items).append(link)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= set(_ids(tokens))


def _ids(tokens: list[Any]) -> Iterator[str]:
    for token in tokens:
        yield token["id"]
        yield from _ids(token["children"])
