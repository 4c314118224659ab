"""The parts of the plan page around the table: history notices, port-less services, ranges."""

from __future__ import annotations

import html
from collections.abc import Sequence

from portplan.model import Range, Registry
from portplan.site.event_text import port_link
from portplan.site.history_view import HistoryView
from portplan.site.inline import render_inline
from portplan.site.urls import SiteLinks


def render_notices(history: HistoryView) -> str:
    """A warning box saying plainly that the history is unavailable or incomplete, and a note
    naming the versions that could not be read (the history goes on across them)."""
    out = ""
    if history.notices:
        # A complete history can carry notices too (a clamped date, a name not in UTF-8).
        title = ("History unavailable" if not history.available
                 else "History incomplete" if not history.complete else "History notes")
        out += _box("warning pp-history-notice", title, history.notices)
    if history.skipped:
        out += _box("note pp-history-skipped", "Versions skipped", history.skipped)
    return out


def _box(kind: str, title: str, lines: Sequence[str]) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f'<div class="admonition {kind}">'
            f'<p class="admonition-title">{html.escape(title)}</p>{body}</div>')


def render_portless(registry: Registry) -> str:
    """Services that hold no port of their own (SDKs, clients)."""
    entries = registry.without_port()
    if not entries:
        return '<p class="pp-empty">Every service in the registry holds a port.</p>'
    items = []
    for a in entries:
        text = f'<strong class="pp-service">{html.escape(a.service)}</strong>'
        if a.environments is not None:
            text += "".join(f' <span class="pp-env">{html.escape(e)}</span>'
                            for e in a.environments)
        if a.status.value != "active":
            text += f' <span class="pp-status pp-status-{a.status.value}">{a.status.value}</span>'
        if a.description:
            text += f" &ndash; {render_inline(a.description)}"
        items.append(f"<li>{text}</li>")
    return f'<ul class="pp-portless">{"".join(items)}</ul>'


def used_ports(registry: Registry, rng: Range) -> list[int]:
    """Port numbers inside the range held by an entry speaking one of its protocols."""
    used: set[int] = set()
    for a in registry.ports:
        if a.port is None or not a.port.overlaps(rng.span):
            continue
        if set(a.protocols) & set(rng.protocols):
            used.update(p for p in a.port if rng.span.low <= p <= rng.span.high)
    return sorted(used)


def render_ranges(registry: Registry, links: SiteLinks) -> str:
    """Each declared range with its purpose and how full it is."""
    if not registry.ranges:
        return ('<p class="pp-empty">No ranges are declared. A range sets a block of ports aside '
                "for one purpose (see the registry format).</p>")
    rows = []
    for rng in sorted(registry.ranges, key=lambda r: r.span):
        used = used_ports(registry, rng)
        size = len(rng.span)
        holders = sorted({a.port for a in registry.ports
                          if a.port is not None and a.port.overlaps(rng.span)})
        held = ", ".join(port_link(span, links) for span in holders) or "—"
        pct = round(100 * len(used) / size)
        fullness = (f'<meter min="0" max="{size}" value="{len(used)}"></meter> '
                    f"{len(used)} of {size} used ({pct}%)")
        rows.append(
            f'<tr><td data-sort="{rng.span.low}">{rng.span}</td>'
            f"<td>{html.escape(', '.join(rng.protocols))}</td>"
            f"<td>{render_inline(rng.purpose)}</td>"
            f"<td>{html.escape(rng.owner or '—')}</td>"
            f'<td data-sort="{len(used)}">{fullness}</td><td>{held}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in
                   ("Range", "Protocol", "Purpose", "Owner", "How full", "Held"))
    return (f'<table id="pp-ranges"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")
