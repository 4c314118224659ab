"""One event as HTML: what changed, old → new, and the commit or PR it came with."""

from __future__ import annotations

import html

from portplan.history.model import Commit, EventKind, PortEvent
from portplan.model import Deprecation, PortSpan, meta_text
from portplan.site.dates import time_element
from portplan.site.inline import render_inline
from portplan.site.urls import SiteLinks

_ARROW = " → "


def port_link(span: PortSpan | None, links: SiteLinks) -> str:
    if span is None:
        return "<em>no port</em>"
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
    title = html.escape(commit.subject, quote=True)
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
    title = html.escape(commit.subject, quote=True)
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


def headline(event: PortEvent, links: SiteLinks) -> str:
    """One sentence: ``Moved Mock Coordinator API from 8090 to 8020.``"""
    service = f"<strong>{html.escape(event.change.current.service)}</strong>"
    kind = event.kind
    if kind is EventKind.MOVED:
        return (f"Moved {service} from {port_link(event.from_port, links)}"
                f" to {port_link(event.to_port, links)}.")
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
    return f"Changed {service}{on}."


def describe(event: PortEvent, links: SiteLinks) -> str:
    """Headline plus the per-field changes."""
    return f'<span class="pp-kind pp-kind-{event.kind.value}">{event.kind.value}</span> ' + (
        headline(event, links) + field_changes(event))
