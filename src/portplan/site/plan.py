"""The site plan: which files portplan adds to a site, and what each docs-page marker becomes.

Pure: registry, history and options in, :class:`GeneratedFile` records and parts out. An engine
adapter (``portplan.mkdocs_site``) maps them onto its own files, pages and logger, so every
engine builds the same pages (docs/site.md). A new generated page is one function in ``PLAN``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from portplan.model import SPAN_ORDER, PortSpan, Registry
from portplan.site.changes_page import changes_pages
from portplan.site.code_places import CodeView, plan_drift, port_section
from portplan.site.coverage import covered_ports, redirect_src, render_redirect
from portplan.site.event_text import Descriptions
from portplan.site.feed import render_feed
from portplan.site.forge_file import ForgeFile
from portplan.site.history_view import HistoryView
from portplan.site.markup import Html
from portplan.site.options import Options, SiteSettings
from portplan.site.parts import PageParts, Part
from portplan.site.plan_problems import PlanProblems
from portplan.site.port_map import PORT_MAP_PAGE, port_map_parts
from portplan.site.port_page import PortPages, page_spans
from portplan.site.ports_index import ports_index_parts
from portplan.site.ports_json import render_ports_json
from portplan.site.problem_notes import render_banner
from portplan.site.search_text import search_text
from portplan.site.sections import render_notices, render_portless, render_ranges
from portplan.site.table import render_table
from portplan.site.urls import (
    CHANGES_FEED,
    PORTS_INDEX,
    PORTS_JSON,
    SiteLinks,
    page_url,
    port_page_src,
)

ASSETS = Path(__file__).parents[1] / "assets"
ASSET_DIR = "assets/portplan"  # where the vendored script and style land on the site
STYLESHEETS = (f"{ASSET_DIR}/portplan.css",)
SCRIPTS = (f"{ASSET_DIR}/portplan.js",)


@dataclass(frozen=True)
class GeneratedFile:
    """One file portplan adds to the docs, by its path there (``ports/8090/index.md``)."""

    src: str
    # A Markdown page as parts, a finished text file (JSON, XML), or a vendored file to copy.
    content: PageParts | str | Path
    in_nav: bool = True  # False: reached by links and search only (port pages, older changes)


@dataclass(frozen=True)
class Site:
    """Everything one build's generated files depend on."""

    registry: Registry
    history: HistoryView
    options: Options = field(default_factory=Options)
    settings: SiteSettings = field(default_factory=SiteSettings)
    page_spans: frozenset[PortSpan] = frozenset()  # the ports and blocks that have a page
    problems: PlanProblems = field(default_factory=PlanProblems)  # errors between entries
    code: CodeView = field(default_factory=CodeView)  # where the code sets them (docs/scan.md)

    @classmethod
    def of(cls, registry: Registry, history: HistoryView, options: Options | None = None,
           settings: SiteSettings | None = None,
           problems: PlanProblems | None = None, *, code: CodeView | None = None) -> Site:
        return cls(registry, history, options or Options(), settings or SiteSettings(),
                   frozenset(page_spans(registry, history)), problems or PlanProblems(),
                   code or CodeView())

    @functools.cached_property
    def descriptions(self) -> Descriptions:
        """Each event's description, rendered once for the port pages and the changes."""
        return Descriptions(self.history.events, self.links(""))

    def links(self, url: str) -> SiteLinks:
        """Links as seen from the page at site URL ``url`` (``""``, ``ports/8090/``)."""
        return SiteLinks.for_page(url, directory_urls=self.settings.directory_urls,
                                  repo_url=self.settings.repo_url, pages=self.page_spans)

    def links_from(self, src: str) -> SiteLinks:
        """Links as seen from the page whose source is ``src``."""
        return self.links(self.link_base(src))

    def link_base(self, src: str) -> str:
        """Where the relative links of the page from ``src`` start: its URL, or its folder."""
        if self.settings.links_from_source:
            return src.rpartition("/")[0] + "/" if "/" in src else ""
        return page_url(src, directory_urls=self.settings.directory_urls)


def _assets(site: Site) -> Iterator[GeneratedFile]:
    for path in (*STYLESHEETS, *SCRIPTS):
        yield GeneratedFile(path, ASSETS / path.rsplit("/", 1)[1])


def _port_pages(site: Site) -> Iterator[GeneratedFile]:
    s = site.settings
    source = ForgeFile.from_config(s.repo_url, s.edit_uri, docs_dir=s.docs_dir,
                                   registry=site.options.registry)
    pages = PortPages(site.registry, site.history, site.problems, source, site.options.registry,
                      texts=site.descriptions)
    for span in sorted(site.page_spans, key=SPAN_ORDER):
        src = port_page_src(span)
        parts = pages.parts(span, site.links_from(src))
        if site.code.scanned:
            parts = PageParts.of((*parts.parts, Part.markdown("## Set in the code"), Part.html(
                port_section(span, site.code, site.links_from(src)))), title=parts.title)
        yield GeneratedFile(src, parts, in_nav=False)


def _covered_ports(site: Site) -> Iterator[GeneratedFile]:
    """A small page for each port of a held block without a page of its own (no 404)."""
    for span in covered_ports(site.registry, site.page_spans):
        yield GeneratedFile(redirect_src(span), render_redirect(
            site.registry, span, directory_urls=site.settings.directory_urls,
            pages=site.page_spans), in_nav=False)


def _ports_index(site: Site) -> Iterator[GeneratedFile]:
    yield GeneratedFile(PORTS_INDEX, ports_index_parts(site.registry, site.history,
                                                       site.links_from(PORTS_INDEX)))


def _port_map(site: Site) -> Iterator[GeneratedFile]:
    # The collisions the plan already found (conflicting_spans would find them again).
    conflicted = frozenset(a.port for a in site.registry.ports if a.port is not None and any(
        c.involves(a) for c in site.problems.on_port(a.port)))
    yield GeneratedFile(PORT_MAP_PAGE, port_map_parts(
        site.registry, site.links_from(PORT_MAP_PAGE), conflicted=conflicted))


def _changes(site: Site) -> Iterator[GeneratedFile]:
    for number, (src, parts) in enumerate(changes_pages(
            site.history, site.links_from, per_page=site.options.changes_per_page,
            texts=site.descriptions), start=1):
        # The first page is the one in the nav; older ones are reached from it.
        yield GeneratedFile(src, parts, in_nav=number == 1)


def _ports_json(site: Site) -> Iterator[GeneratedFile]:
    yield GeneratedFile(PORTS_JSON, render_ports_json(
        site.registry, site.history, directory_urls=site.settings.directory_urls))


def _feed(site: Site) -> Iterator[GeneratedFile]:
    s = site.settings
    yield GeneratedFile(CHANGES_FEED, render_feed(
        site.history, title=s.site_name, site_url=s.site_url, repo_url=s.repo_url,
        limit=site.options.feed_limit, per_page=site.options.changes_per_page,
        directory_urls=s.directory_urls))


# Each entry adds some files; the order is the order they are added in.
PLAN: tuple[Callable[[Site], Iterable[GeneratedFile]], ...] = (
    _assets, _port_pages, _covered_ports, _ports_index, _port_map, _changes, _ports_json,
    _feed)


def generated_files(site: Site) -> list[GeneratedFile]:
    """Every file portplan adds to the docs, in order."""
    return [file for step in PLAN for file in step(site)]


def marker_parts(site: Site, url: str,
                 used: Collection[str] | None = None) -> dict[str, Callable[[], Part]]:
    """What each ``<!-- portplan:NAME -->`` marker on the page at ``url`` becomes, made on use.

    ``used``: the markers on the page, when known. The banner of a plan with problems goes at
    ``notices``, or above the table on a page that has the table and no ``notices``.
    """
    links = site.links(url)
    banner = render_banner(site.problems, links)
    table_banner = banner if used is not None and "notices" not in used else ""
    return {
        "notices": lambda: Part.html(banner + render_notices(site.history)),
        "table": lambda: Part.html(
            table_banner + render_table(site.registry, site.history, links,
                                        site.options.columns, site.problems, code=site.code),
            search=search_text(site.registry.with_port())),
        "portless": lambda: Part.html(render_portless(site.registry)),
        "ranges": lambda: Part.html(render_ranges(site.registry, links)),
        "drift": lambda: Part.html(plan_drift(site.code, links)),
    }


def feed_link(site: Site, url: str) -> str:
    """The ``<link>`` for every page's ``<head>`` that announces the Atom feed; plain text,
    like a ``Part``'s, for the generator to splice into the theme's page."""
    return str(Html('<link rel="alternate" type="application/atom+xml" title="{}: changes" '
                    'href="{}">').format(site.settings.site_name,
                                         site.links(url).file(CHANGES_FEED)))
