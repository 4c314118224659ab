"""The parts of the plan page around the table: history notices, port-less services, ranges."""

from __future__ import annotations

from collections.abc import Sequence

from portplan.model import Range, Registry
from portplan.site.event_text import port_link
from portplan.site.history_view import HistoryView
from portplan.site.inline import render_inline
from portplan.site.markup import Html
from portplan.site.urls import SiteLinks


def render_notices(history: HistoryView) -> Html:
    """A warning box saying plainly that the history is unavailable or incomplete, and a note
    naming the versions that could not be read (the history goes on across them)."""
    out = Html()
    if history.notices:
        # A complete history can carry notices too (a clamped date, a name not in UTF-8).
        title = ("History unavailable" if not history.available
                 else "History incomplete" if not history.complete else "History notes")
        out += _box("warning pp-history-notice", title, history.notices)
    if history.skipped:
        out += _box("note pp-history-skipped", "Versions skipped", history.skipped)
    return out


def _box(kind: str, title: str, lines: Sequence[str]) -> Html:
    body = Html("").join(Html("<p>{}</p>").format(line) for line in lines)
    return Html('<div class="admonition {}"><p class="admonition-title">{}</p>{}</div>').format(
        kind, title, body)


def render_portless(registry: Registry) -> Html:
    """Services that hold no port of their own (SDKs, clients)."""
    entries = registry.without_port()
    if not entries:
        return Html('<p class="pp-empty">Every service in the registry holds a port.</p>')
    items = []
    for a in entries:
        text = Html('<strong class="pp-service">{}</strong>').format(a.service)
        if a.environments is not None:
            text += Html("").join(Html(' <span class="pp-env">{}</span>').format(e)
                                  for e in a.environments)
        if a.status.value != "active":
            text += Html(' <span class="pp-status pp-status-{0}">{0}</span>').format(
                a.status.value)
        if a.description:
            text += Html(" &ndash; {}").format(render_inline(a.description))
        items.append(Html("<li>{}</li>").format(text))
    return Html('<ul class="pp-portless">{}</ul>').format(Html("").join(items))


def used_ports(registry: Registry, rng: Range) -> list[int]:
    """Port numbers inside the range held by an entry speaking one of its protocols."""
    used: set[int] = set()
    for a in registry.ports:
        if a.port is None or not a.port.overlaps(rng.span):
            continue
        if set(a.protocols) & set(rng.protocols):
            used.update(p for p in a.port if rng.span.low <= p <= rng.span.high)
    return sorted(used)


def render_ranges(registry: Registry, links: SiteLinks) -> Html:
    """Each declared range with its purpose and how full it is."""
    if not registry.ranges:
        return Html('<p class="pp-empty">No ranges are declared. A range sets a block of ports '
                    "aside for one purpose (see the registry format).</p>")
    rows = []
    for rng in sorted(registry.ranges, key=lambda r: r.span):
        used = used_ports(registry, rng)
        size = len(rng.span)
        holders = sorted({a.port for a in registry.ports
                          if a.port is not None and a.port.overlaps(rng.span)})
        held = Html(", ").join(port_link(span, links) for span in holders) or "—"
        pct = round(100 * len(used) / size)
        fullness = Html('<meter min="0" max="{0}" value="{1}"></meter> {1} of {0} used ({2}%)'
                        ).format(size, len(used), pct)
        rows.append(Html('<tr><td data-sort="{}">{}</td><td>{}</td><td>{}</td><td>{}</td>'
                         '<td data-sort="{}">{}</td><td>{}</td></tr>').format(
            rng.span.low, rng.span, ", ".join(rng.protocols), render_inline(rng.purpose),
            rng.owner or "—", len(used), fullness, held))
    head = Html("").join(Html("<th>{}</th>").format(h) for h in
                         ("Range", "Protocol", "Purpose", "Owner", "How full", "Held"))
    return Html('<table id="pp-ranges"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>'
                ).format(head, Html("").join(rows))
