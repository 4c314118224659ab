"""One page per port number: the current assignment, its holders over time, its timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portplan.history.model import EventKind, PortEvent
from portplan.history.names import former_names
from portplan.model import SPAN_ORDER, Assignment, PortSpan, Registry, meta_text
from portplan.site.coverage import cover_title, render_cover
from portplan.site.dates import time_element
from portplan.site.event_text import (
    Descriptions,
    commit_ref,
    dated_ref,
    holder_html,
    port_link,
    render_deprecation,
)
from portplan.site.forge_file import ForgeFile
from portplan.site.history_view import HistoryView, SpanIndex
from portplan.site.inline import markdown_text, render_code, render_inline, render_link
from portplan.site.markup import Html
from portplan.site.parts import PageParts, Part
from portplan.site.plan_problems import PlanProblems
from portplan.site.problem_notes import (
    accepted_row,
    render_entry_problems,
    render_port_collisions,
)
from portplan.site.search_text import search_text
from portplan.site.sections import render_notices
from portplan.site.urls import SiteLinks


def page_spans(registry: Registry, history: HistoryView) -> list[PortSpan]:
    """Every port or block that gets a page: held now, or held at some point in the history."""
    spans = {a.port for a in registry.ports if a.port is not None}
    for event in history.events:
        spans.update(s for s in (event.from_port, event.to_port) if s is not None)
    return sorted(spans, key=SPAN_ORDER)


def _row(label: str | Html, value: str | Html) -> Html:
    return Html('<tr><th scope="row">{}</th><td>{}</td></tr>').format(label, value)


def _assignment_fields(a: Assignment, history: HistoryView, links: SiteLinks,
                       plan: PlanProblems) -> Html:
    rows = [_row("Service", Html("<strong>{}</strong>").format(a.service)),
            _row("Protocol", ", ".join(a.protocols)),
            _row("Status", Html('<span class="pp-status pp-status-{0}">{0}</span>').format(
                a.status.value)),
            _row("Environments", ", ".join(a.environments)
                 if a.environments is not None else "all")]
    if a.deprecation is not None:
        rows.append(_row("Migration", render_deprecation(a.deprecation, links)))
    for label, value in (("Location", a.location), ("Command", a.command)):
        if value:
            rows.append(_row(label, render_code(value)))
    if a.description:
        rows.append(_row("Description", render_inline(a.description)))
    for label, name in (("Service name", "name"), ("Owner", "owner"), ("Contact", "contact"),
                        ("Role", "role"), ("Bind", "bind"), ("Env var", "env_var")):
        if (value := getattr(a, name)) is not None:
            rows.append(_row(label, str(value)))
    rows.extend(_extra_rows(a))
    for label, event in (("Since", history.since(a)), ("Last change", history.last_change(a))):
        if event is not None:
            rows.append(_row(label, Html("{} ({})").format(dated_ref(event.commit, links),
                                                           commit_ref(event.commit, links))))
    rows.append(accepted_row(plan, a))
    return (render_entry_problems(plan, a)
            + Html('<table class="pp-fields"><tbody>{}</tbody></table>').format(
                Html("").join(rows))
            + _team_fields(a))


def _team_fields(a: Assignment) -> Html:
    """``meta`` apart from the built-in fields, each labelled ``meta.<key>``: a team's
    ``meta.protocol`` or ``meta.since`` must not read as Protocol or Since."""
    if not a.meta:
        return Html()
    rows = Html("").join(_row(Html("<code>meta.{}</code>").format(key), meta_text(meta))
                         for key, meta in a.meta)
    return Html('<table class="pp-fields pp-team-fields"><caption>Team fields</caption>'
                "<tbody>{}</tbody></table>").format(rows)


def _extra_rows(a: Assignment) -> list[Html]:
    rows = []
    if a.external is not None:
        rows.append(_row("External", str(a.external)))
    if a.links:
        rows.append(_row("Links", Html(" ").join(render_link(label, url)
                                                 for label, url in a.links)))
    return rows


@dataclass
class Holding:
    """One service's time on this port, in one scope (its environments as they end)."""

    service: str
    start: PortEvent | None = None
    end: PortEvent | None = None
    environments: tuple[str, ...] | None = None


def holdings(span: PortSpan, events: Sequence[PortEvent]) -> list[Holding]:
    """The services that held this port, one after the other, from its events.

    A holder is a service in a scope: two services in different environments hold the port
    side by side. A change of scope (docs/history.md, pass 2) keeps the holder; a rename in
    place (pass 4) ends one holder and starts the next, as `History.since` does.
    """
    done: list[Holding] = []
    open_: dict[tuple[str, tuple[str, ...] | None], Holding] = {}
    for event in events:
        before, after = event.change.before, event.change.after
        was_here = before is not None and before.port == span
        is_here = after is not None and after.port == span
        if was_here and is_here and before is not None and after is not None \
                and before.service == after.service:
            held = _take(open_, before)
            held.environments = after.environments
            open_[(after.service, after.environments)] = held
            continue
        if was_here and before is not None:
            held = _take(open_, before)
            held.end = event
            done.append(held)
        if is_here and after is not None:
            open_[(after.service, after.environments)] = Holding(
                after.service, event, None, after.environments)
    return sorted([*done, *open_.values()], key=_holding_order)


def _take(open_: dict[tuple[str, tuple[str, ...] | None], Holding], entry: Assignment
          ) -> Holding:
    key = (entry.service, entry.environments)
    if key in open_:
        return open_.pop(key)
    return Holding(entry.service, None, None, entry.environments)  # began before the history


def _holding_order(h: Holding) -> tuple[int, str]:
    first = h.start or h.end
    return (0, "") if first is None else (1, first.commit.date.isoformat())


def _holding_item(h: Holding, span: PortSpan, links: SiteLinks) -> Html:
    start = time_element(h.start.commit.date) if h.start else "before the recorded history"
    end = "now" if h.end is None else time_element(h.end.commit.date) + _end_reason(h.end, links)
    origin = Html()
    if h.start is not None and h.start.kind is EventKind.MOVED and h.start.from_port != span:
        origin = Html(" (moved here from {})").format(port_link(h.start.from_port, links))
    elif h.start is not None and h.start.change.before is not None \
            and h.start.change.before.service != h.service:
        origin = Html(" (renamed from {})").format(h.start.change.before.service)
    who = holder_html(Assignment(h.service, span, environments=h.environments))
    return Html('<li class="pp-holder">{}: {}{} &ndash; {}</li>').format(who, start, origin, end)


def _end_reason(end: PortEvent, links: SiteLinks) -> Html:
    after = end.change.after
    if end.kind is EventKind.MOVED and end.to_port is not None:
        return Html(" (moved to {})").format(port_link(end.to_port, links))
    if end.kind is EventKind.REMOVED:
        return Html(" (removed)")
    if after is not None and end.change.before is not None \
            and after.service != end.change.before.service:
        return Html(" (renamed to {})").format(after.service)
    return Html()


def _timeline(events: Sequence[PortEvent], links: SiteLinks, texts: Descriptions) -> Html:
    rows = Html("").join(
        Html('<tr class="pp-event pp-event-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
             "</tr>").format(e.kind.value, time_element(e.commit.date), e.commit.author,
                             texts.of(e, links), commit_ref(e.commit, links))
        for e in events
    )
    return Html('<table id="pp-timeline"><thead><tr><th>Date</th><th>Author</th>'
                "<th>What changed</th><th>Commit</th></tr></thead><tbody>{}</tbody></table>"
                ).format(rows)


class PortPages:
    """Renders every port page of one build; the lookups are indexed once, not per page."""

    def __init__(self, registry: Registry, history: HistoryView,
                 plan: PlanProblems | None = None, source: ForgeFile | None = None,
                 registry_name: str = "ports.yaml", *, texts: Descriptions | None = None
                 ) -> None:
        self.registry = registry
        self.history = history
        self.plan = plan or PlanProblems()
        self.source = source  # the registry on the forge: each entry links its line
        self.registry_name = registry_name
        self._entries = SpanIndex(registry.ports, lambda a: (a.port,))
        self._events = SpanIndex(history.events, _ports_of)
        self._texts = texts or Descriptions(history.events, SiteLinks())

    def render(self, span: PortSpan, links: SiteLinks) -> str:
        """The Markdown source of ``ports/<slug>/``: headings in Markdown, the rest in HTML."""
        return self.parts(span, links).markdown()

    def parts(self, span: PortSpan, links: SiteLinks) -> PageParts:
        """The page in parts: what search should find (the title and the current assignment)
        apart from what it need not (the links back, the holders and the timeline)."""
        history = self.history
        holders = self._entries.exact(span)
        title = (" / ".join(dict.fromkeys(a.service for a in holders))
                 or cover_title(self.registry, span) or "free")
        back = Html('<p class="pp-back"><a href="{}">← Port plan</a> · <a href="{}">'
                    "All port pages</a></p>").format(links.page("index.md"),
                                                     links.page("ports/index.md"))
        parts = [Part.markdown(f"# Port {span}: {markdown_text(title)}"),
                 Part.unindexed(back + render_notices(history)),
                 Part.markdown("## Current assignment")]
        current = render_port_collisions(self.plan, span, links)
        current += render_cover(self.registry, span, links, held=bool(holders))
        if holders:
            current += Html("\n").join(self._with_source(a, _assignment_fields(
                a, history, links, self.plan)) for a in holders)
        elif not current:
            current = Html('<p class="pp-free">No entry holds {} now.</p>').format(span)
        overlapping = sorted({a.port for a in self._entries.overlapping(span)
                              if a.port is not None and a.port != span})
        if overlapping:
            current += Html('\n<p class="pp-overlap">Overlaps: {}</p>').format(
                Html(", ").join(port_link(s, links) for s in overlapping))
        events = self._events.overlapping(span) if history.available else []
        former = former_names(events, (a.service for a in holders))
        # Search finds the port by its holders, and by the names it was held under before.
        found_by = search_text(holders, former) if holders else \
            (current + search_text((), former) if former else None)
        parts.append(Part.html(current, search=found_by))
        if history.available:
            held = holdings(span, events)
            if held:
                items = Html("").join(_holding_item(h, span, links) for h in held)
                parts += [Part.markdown("## Holders"),
                          Part.unindexed(Html('<ul class="pp-holders">{}</ul>').format(items),
                                         whole_section=True)]
            parts += [Part.markdown("## Timeline"),
                      Part.unindexed(_timeline(events, links, self._texts) if events else
                                     Html("<p>No recorded change touches this port.</p>"),
                                     whole_section=True)]
        return PageParts.of(parts, title=f"Port {span}: {title}")


    def _with_source(self, a: Assignment, fields: Html) -> Html:
        """The fields and, under them, where ports.yaml defines the entry: one HTML block."""
        source = self._defined_at(a)
        return Html('<div class="pp-assignment">{}{}</div>').format(fields, source) \
            if source else fields

    def _defined_at(self, a: Assignment) -> Html:
        """The line of ports.yaml that defines the entry, next to "propose a change"."""
        line = a.position.line
        if line < 1:
            return Html()
        where = f"{self.registry_name}, line {line}"
        if self.source is None:
            return Html('<p class="pp-source">Defined in {}.</p>').format(where)
        return Html('<p class="pp-source">Defined in <a href="{}">{}</a> · <a href="{}">'
                    "Propose a change</a></p>").format(self.source.line(line), where,
                                                       self.source.edit)


def _ports_of(event: PortEvent) -> tuple[PortSpan | None, PortSpan | None]:
    return (event.from_port, event.to_port)


def render_port_page(span: PortSpan, registry: Registry, history: HistoryView,
                     links: SiteLinks, plan: PlanProblems | None = None) -> str:
    """One port page on its own (tests, other generators); a build uses `PortPages`."""
    return PortPages(registry, history, plan).render(span, links)
