"""The ports index: every port page, held now or only in the past, in one list."""

from __future__ import annotations

from portplan.model import Registry
from portplan.site.coverage import cover_title
from portplan.site.event_text import port_link
from portplan.site.filter_box import filter_box
from portplan.site.history_view import HistoryView, SpanIndex
from portplan.site.markup import Html
from portplan.site.parts import PageParts, Part
from portplan.site.port_page import page_spans
from portplan.site.urls import SiteLinks


def render_ports_index(registry: Registry, history: HistoryView, links: SiteLinks,
                       title: str = "All ports") -> str:
    """Markdown source listing each port page with its current holders, or ``free``."""
    return ports_index_parts(registry, history, links, title).markdown()


def ports_index_parts(registry: Registry, history: HistoryView, links: SiteLinks,
                      title: str = "All ports") -> PageParts:
    """The ports index; its long table stays out of search (the port pages are found)."""
    rows = []
    entries = SpanIndex(registry.ports, lambda a: (a.port,))
    for span in page_spans(registry, history):
        holders = entries.exact(span)
        if holders:
            who = Html("; ").join(
                Html("{}{}{}").format(
                    a.service,
                    f" ({', '.join(a.environments)})" if a.environments is not None else "",
                    Html(" <em>deprecated</em>") if a.is_deprecated else "")
                for a in holders)
        elif (covered := cover_title(registry, span)) is not None:
            who = Html.escape(covered)  # a block or range covers it: never "free" (docs/site.md)
        else:
            who = Html('<span class="pp-none">free (held earlier; see its page)</span>')
        rows.append(Html('<tr><td data-sort="{}">{}</td><td>{}</td></tr>').format(
            span.low, port_link(span, links), who))
    # The same filter box as the plan's table (portplan.js brings both to life).
    table = filter_box("pp-ports-index", len(rows), "port, service, environment…") + Html(
             '<table id="pp-ports-index" data-pp-sortable="">'
             '<thead><tr><th scope="col" data-pp-numeric="" aria-sort="none">'
             '<button type="button" class="pp-sort">Port</button></th>'
             '<th scope="col" aria-sort="none"><button type="button" class="pp-sort">'
             "Held by</button></th></tr></thead>"
             "<tbody>\n{}\n</tbody></table></div>").format(Html("\n").join(rows))
    intro = Html("<p>One page per port or block, including ports that are free now but were held "
             "before. Each page shows the current assignment and the port's whole timeline.</p>")
    return PageParts.of([Part.markdown(f"# {title}"), Part.html(intro), Part.unindexed(table)])
