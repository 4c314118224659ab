"""One event as HTML: what changed, old → new, and the commit or PR it came with."""

from __future__ import annotations

import html
from collections.abc import Sequence

from portplan.history.model import Commit, EventKind, PortEvent
from portplan.model import Assignment, Deprecation, PortSpan, meta_text
from portplan.site.dates import time_element
from portplan.site.inline import render_inline
from portplan.site.urls import SiteLinks

_ARROW = " → "


def port_link(span: PortSpan | None, links: SiteLinks) -> str:
    if span is None:
        return "<em>no port</em>"
    if links.pages is not None and span not in links.pages \
            and not any(p.contains(span) for p in links.pages):
        # No page holds it (a replaced_by naming no entry, published with the error): no 404.
        return f'<span class="pp-port-nopage">{span}</span>'
    return f'<a class="pp-port-link" href="{html.escape(links.port(span))}">{span}</a>'


def render_deprecation(deprecation: Deprecation, links: SiteLinks, *, lead: str = "") -> str:
    """The migration note with its successor and end date: one block for table and page."""
    text = lead + render_inline(deprecation.note)
    if deprecation.replaced_by is not None:
        text += f" Replaced by {port_link(deprecation.replaced_by, links)}."
    if deprecation.remove_after is not None:
        text += f" To be removed after {deprecation.remove_after.isoformat()}."
    return f'<div class="pp-deprecation">{text}</div>'


def commit_ref(commit: Commit, links: SiteLinks) -> str:
    """``#12`` or ``1a2b3c4``, linked when repo_url is known; ``uncommitted`` for the work tree."""
    if commit.uncommitted:
        return '<span class="pp-uncommitted">uncommitted</span>'
    label = f"#{commit.pr}" if commit.pr is not None else commit.sha[:7]
    url = links.commit(commit)
    title = html.escape(commit.headline, quote=True)
    if url is None:
        return f'<span class="pp-commit" title="{title}">{html.escape(label)}</span>'
    href = html.escape(url)
    return f'<a class="pp-commit" href="{href}" title="{title}">{html.escape(label)}</a>'


def dated_ref(commit: Commit, links: SiteLinks) -> str:
    """The commit's date, linked to its commit or PR when there is a link.

    An edit not yet committed says so: its date is the file's, not a change on the main line.
    """
    when = time_element(commit.date)
    if commit.uncommitted:
        return f'{when} <span class="pp-uncommitted">uncommitted</span>'
    url = links.commit(commit)
    if url is None:
        return when
    title = html.escape(commit.headline, quote=True)
    return f'<a href="{html.escape(url)}" title="{title}">{when}</a>'


# Fields that hold inline Markdown in ports.yaml; shown rendered (safely) in their changes too.
_MARKDOWN_FIELDS = frozenset({"description", "deprecation.note"})


def show_value(value: object, field: str = "") -> str:
    if value is None or value == []:
        return '<span class="pp-none">(none)</span>'
    if field in _MARKDOWN_FIELDS and isinstance(value, str):
        return f'<span class="pp-value">{render_inline(value)}</span>'
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        value = meta_text(value)
    return f'<span class="pp-value">{html.escape(str(value))}</span>'


def field_changes(event: PortEvent) -> str:
    """A list of ``field: old → new``; the port of a move is said in the headline instead."""
    items = [
        f"<li><code>{html.escape(name)}</code>: "
        f"{show_value(old, name)}{_ARROW}{show_value(new, name)}</li>"
        for name, (old, new) in sorted(event.change.changes.items())
        if not (event.kind is EventKind.MOVED and name == "port")
    ]
    return f'<ul class="pp-changes">{"".join(items)}</ul>' if items else ""


def holder_html(entry: Assignment) -> str:
    """The service in bold, with its environments when it has any (alternatives read so)."""
    service = f"<strong>{html.escape(entry.service)}</strong>"
    if entry.environments is None:
        return service
    envs = html.escape(", ".join(entry.environments))
    return f'{service} <span class="pp-envs" title="environments">[{envs}]</span>'


def ring_html(ring: Sequence[PortSpan], links: SiteLinks) -> str:
    """``swapped with 8200`` or ``rotated 8105 → 8103 → 8104``, each port linked."""
    if len(ring) == 2:
        return f"swapped with {port_link(ring[1], links)}"
    return "rotated " + _ARROW.join(port_link(p, links) for p in ring)


def headline(event: PortEvent, links: SiteLinks,
             ring: Sequence[PortSpan] | None = None) -> str:
    """One sentence: ``Moved Mock Coordinator API from 8090 to 8020.``

    ``ring`` names the swap or rotation a move belongs to.
    """
    service = holder_html(event.change.current)
    kind = event.kind
    if kind is EventKind.MOVED:
        named = f' <span class="pp-ring">({ring_html(ring, links)})</span>' if ring else ""
        return (f"Moved {service} from {port_link(event.from_port, links)}"
                f" to {port_link(event.to_port, links)}{named}.")
    if event.port is None:
        where = "(no port)"
        on, from_ = "", ""
    else:
        where = port_link(event.port, links)
        on, from_ = f" on {where}", f" from {where}"
    if kind is EventKind.ADDED:
        status = event.change.current.status.value
        return f"Added {service}{on} ({html.escape(status)})."
    if kind is EventKind.DEPRECATED:
        text = f"Deprecated {service}{on}."
        dep = event.change.after.deprecation if event.change.after else None
        if dep is not None and dep.replaced_by is not None:
            text += f" Replaced by {port_link(dep.replaced_by, links)}."
        return text
    if kind is EventKind.UNDEPRECATED:
        return f"Undeprecated {service}{on}."
    if kind is EventKind.REMOVED:
        return f"Removed {service}{from_}."
    return _changed(event, service, on)


def _changed(event: PortEvent, service: str, on: str) -> str:
    before = event.change.before
    if before is not None and before.service != event.change.current.service:
        return f"Renamed {holder_html(before)} to {service}{on}."  # in place (docs/history.md)
    return f"Changed {service}{on}."


def describe(event: PortEvent, links: SiteLinks,
             ring: Sequence[PortSpan] | None = None) -> str:
    """Headline plus the per-field changes."""
    return f'<span class="pp-kind pp-kind-{event.kind.value}">{event.kind.value}</span> ' + (
        headline(event, links, ring) + field_changes(event))
