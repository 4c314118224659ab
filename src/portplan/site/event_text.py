"""One event as HTML: what changed, old → new, and the commit or PR it came with."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Sequence

from portplan.history.cycles import find_rings
from portplan.history.model import Commit, EventKind, PortEvent
from portplan.model import Assignment, Deprecation, PortSpan, meta_text
from portplan.site.dates import time_element
from portplan.site.inline import render_inline
from portplan.site.markup import Html
from portplan.site.urls import SiteLinks

_ARROW = " → "


def port_link(span: PortSpan | None, links: SiteLinks) -> Html:
    if span is None:
        return Html("<em>no port</em>")
    if links.pages is not None and span not in links.pages \
            and not any(p.contains(span) for p in links.pages):
        # No page holds it (a replaced_by naming no entry, published with the error): no 404.
        return Html('<span class="pp-port-nopage">{}</span>').format(span)
    return Html('<a class="pp-port-link" href="{}">{}</a>').format(links.port(span), span)


def render_deprecation(deprecation: Deprecation, links: SiteLinks, *,
                       lead: Html | None = None) -> Html:
    """The migration note with its successor and end date: one block for table and page."""
    text = (lead or Html()) + render_inline(deprecation.note)
    if deprecation.replaced_by is not None:
        text += Html(" Replaced by {}.").format(port_link(deprecation.replaced_by, links))
    if deprecation.remove_after is not None:
        text += Html(" To be removed after {}.").format(deprecation.remove_after.isoformat())
    return Html('<div class="pp-deprecation">{}</div>').format(text)


def commit_ref(commit: Commit, links: SiteLinks) -> Html:
    """``#12`` or ``1a2b3c4``, linked when repo_url is known; ``uncommitted`` for the work tree."""
    if commit.uncommitted:
        return Html('<span class="pp-uncommitted">uncommitted</span>')
    label = f"#{commit.pr}" if commit.pr is not None else commit.sha[:7]
    url = links.commit(commit)
    if url is None:
        return Html('<span class="pp-commit" title="{}">{}</span>').format(commit.headline,
                                                                         label)
    return Html('<a class="pp-commit" href="{}" title="{}">{}</a>').format(
        url, commit.headline, label)


def dated_ref(commit: Commit, links: SiteLinks) -> Html:
    """The commit's date, linked to its commit or PR when there is a link.

    An edit not yet committed says so: its date is the file's, not a change on the main line.
    """
    when = time_element(commit.date)
    if commit.uncommitted:
        return when + Html(' <span class="pp-uncommitted">uncommitted</span>')
    url = links.commit(commit)
    if url is None:
        return when
    return Html('<a href="{}" title="{}">{}</a>').format(url, commit.headline, when)


# Fields that hold inline Markdown in ports.yaml; shown rendered (safely) in their changes too.
_MARKDOWN_FIELDS = frozenset({"description", "deprecation.note"})


def show_value(value: object, field: str = "") -> Html:
    if value is None or value == []:
        return Html('<span class="pp-none">(none)</span>')
    if field in _MARKDOWN_FIELDS and isinstance(value, str):
        return Html('<span class="pp-value">{}</span>').format(render_inline(value))
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        value = meta_text(value)
    return Html('<span class="pp-value">{}</span>').format(str(value))


def field_changes(event: PortEvent) -> Html:
    """A list of ``field: old → new``; the port of a move is said in the headline instead."""
    items = Html("").join(
        Html("<li><code>{}</code>: {}{}{}</li>").format(
            name, show_value(old, name), _ARROW, show_value(new, name))
        for name, (old, new) in sorted(event.change.changes.items())
        if not (event.kind is EventKind.MOVED and name == "port")
    )
    return Html('<ul class="pp-changes">{}</ul>').format(items) if items else Html()


def holder_html(entry: Assignment) -> Html:
    """The service in bold, with its environments when it has any (alternatives read so)."""
    service = Html("<strong>{}</strong>").format(entry.service)
    if entry.environments is None:
        return service
    return Html('{} <span class="pp-envs" title="environments">[{}]</span>').format(
        service, ", ".join(entry.environments))


def ring_html(ring: Sequence[PortSpan], links: SiteLinks) -> Html:
    """``swapped with 8200`` or ``rotated 8105 → 8103 → 8104``, each port linked."""
    if len(ring) == 2:
        return Html("swapped with {}").format(port_link(ring[1], links))
    return Html("rotated ") + Html(_ARROW).join(port_link(p, links) for p in ring)


def headline(event: PortEvent, links: SiteLinks,
             ring: Sequence[PortSpan] | None = None) -> Html:
    """One sentence: ``Moved Mock Coordinator API from 8090 to 8020.``

    ``ring`` names the swap or rotation a move belongs to.
    """
    service = holder_html(event.change.current)
    kind = event.kind
    if kind is EventKind.MOVED:
        named = Html(' <span class="pp-ring">({})</span>').format(ring_html(ring, links)) \
            if ring else Html()
        return Html("Moved {} from {} to {}{}.").format(
            service, port_link(event.from_port, links), port_link(event.to_port, links), named)
    if event.port is None:
        on, from_ = Html(), Html()
    else:
        where = port_link(event.port, links)
        on, from_ = Html(" on {}").format(where), Html(" from {}").format(where)
    if kind is EventKind.ADDED:
        return Html("Added {}{} ({}).").format(service, on, event.change.current.status.value)
    if kind is EventKind.DEPRECATED:
        text = Html("Deprecated {}{}.").format(service, on)
        dep = event.change.after.deprecation if event.change.after else None
        if dep is not None and dep.replaced_by is not None:
            text += Html(" Replaced by {}.").format(port_link(dep.replaced_by, links))
        return text
    if kind is EventKind.UNDEPRECATED:
        return Html("Undeprecated {}{}.").format(service, on)
    if kind is EventKind.REMOVED:
        return Html("Removed {}{}.").format(service, from_)
    return _changed(event, service, on)


def _changed(event: PortEvent, service: Html, on: Html) -> Html:
    before = event.change.before
    if before is not None and before.service != event.change.current.service:
        # in place (docs/history.md)
        return Html("Renamed {} to {}{}.").format(holder_html(before), service, on)
    return Html("Changed {}{}.").format(service, on)


def describe(event: PortEvent, links: SiteLinks,
             ring: Sequence[PortSpan] | None = None) -> Html:
    """Headline plus the per-field changes."""
    return Html('<span class="pp-kind pp-kind-{0}">{0}</span> {1}{2}').format(
        event.kind.value, headline(event, links, ring), field_changes(event))


class Descriptions:
    """Each event's :func:`describe`, rendered once per build for every page that shows it.

    An event shows on the page of each port it touches and on a page of changes, pages at
    different depths of the site. It is rendered once with a stand-in for the way back to the
    site root (a token drawn per build, which no registry text can hold) and each page puts its
    own in. Links that differ in more than ``root`` are rendered afresh.
    """

    def __init__(self, events: Sequence[PortEvent], links: SiteLinks) -> None:
        self._rings = find_rings(events)  # keeps the events alive, so their ids stay theirs
        self._root = f"\x00{secrets.token_hex(8)}/"
        self._links = dataclasses.replace(links, root=self._root)
        self._same = (links.directory_urls, links.repo_url, links.pages)
        self._texts: dict[int, str] = {}
        self._known = frozenset(id(e) for e in self._rings.events)

    def of(self, event: PortEvent, links: SiteLinks) -> Html:
        if id(event) not in self._known \
                or (links.directory_urls, links.repo_url, links.pages) != self._same:
            return describe(event, links, self._rings.of(event))
        text = self._texts.get(id(event))
        if text is None:
            text = self._texts[id(event)] = describe(event, self._links, self._rings.of(event))
        return Html(str.replace(text, self._root, links.root))
