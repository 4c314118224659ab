"""The port table: one row per entry holding a port, sorted by port, as sortable HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portplan.history.model import Commit, PortEvent
from portplan.model import Assignment, Registry, meta_text
from portplan.site.code_places import NO_CODE, CodeView, cell_html
from portplan.site.dates import day_element
from portplan.site.event_text import port_link, render_deprecation
from portplan.site.filter_box import filter_box
from portplan.site.history_view import HistoryView
from portplan.site.inline import render_code, render_inline, render_link
from portplan.site.markup import Html
from portplan.site.plan_problems import PlanProblems
from portplan.site.problem_notes import render_row_flag
from portplan.site.urls import SiteLinks

# The default columns, in order; meta columns (one per key in use) go before the dates.
DEFAULT_COLUMNS = ("port", "protocol", "service", "status", "owner", "role", "location",
                   "description", "external", "since", "last_change")
# Shown by default only when at least one entry fills them (docs/site.md, "The table").
OPTIONAL_COLUMNS = frozenset({"owner", "role", "location", "description", "external"})
# Columns that stay on a phone's compact card; the others open with a tap on the card.
CARD_COLUMNS = frozenset({"port", "service", "status"})


@dataclass(frozen=True)
class Cell:
    html: Html
    sort: str = ""  # what the browser sorts by; empty means the cell's text


@dataclass(frozen=True)
class RowContext:
    history: HistoryView
    links: SiteLinks
    own_command_column: bool
    code: CodeView = NO_CODE


CellFn = Callable[[Assignment, RowContext], Cell]


def _dash() -> Cell:
    return Cell(Html('<span class="pp-none">—</span>'), "")


def _text(value: str | None) -> Cell:
    return Cell(Html.escape(value)) if value else _dash()


def _port(a: Assignment, ctx: RowContext) -> Cell:
    if a.port is None:
        return _dash()
    link = port_link(a.port, ctx.links)
    shown = Html("<del>{}</del>").format(link) if a.is_deprecated else link
    return Cell(shown, str(a.port.low))


def _service(a: Assignment, ctx: RowContext) -> Cell:
    out = Html('<span class="pp-service">{}</span>').format(a.service)
    if a.name:
        out += Html(' <code class="pp-name">{}</code>').format(a.name)
    if a.environments is not None:
        out += Html("").join(Html(' <span class="pp-env">{}</span>').format(e)
                             for e in a.environments)
    return Cell(out, a.service.casefold())


def _status(a: Assignment, ctx: RowContext) -> Cell:
    value = a.status.value
    return Cell(Html('<span class="pp-status pp-status-{0}">{0}</span>').format(value), value)


def _command_html(command: str) -> Html:
    return Html('<span class="pp-command" title="command">→ {}</span>').format(
        render_code(command))


def _location(a: Assignment, ctx: RowContext) -> Cell:
    parts = [render_code(a.location, path=True)] if a.location else []
    if a.command and not ctx.own_command_column:
        parts.append(_command_html(a.command))
    if set_in := cell_html(a, ctx.code, ctx.links):  # where the code sets it (docs/scan.md)
        parts.append(set_in)
    if not parts:
        return _dash()
    return Cell(Html('<div class="pp-clamp" tabindex="0">{}</div>').format(Html(" ").join(parts)),
                a.location or a.command or "")


def _command(a: Assignment, ctx: RowContext) -> Cell:
    return Cell(render_code(a.command), a.command) if a.command else _dash()


def _deprecation(a: Assignment, ctx: RowContext) -> Html:
    if a.deprecation is None:
        return Html()
    # One line in the table, like the description; in full on a click or focus.
    note = render_deprecation(a.deprecation, ctx.links,
                              lead=Html("<strong>Deprecated:</strong> "))
    return Html('<div class="pp-clamp" tabindex="0">{}</div>').format(note)


def _description(a: Assignment, ctx: RowContext) -> Cell:
    body = render_inline(a.description) if a.description else Html()
    if a.links:
        body += Html(" ") + Html(" ").join(
            render_link(label, url, "pp-extlink") for label, url in a.links)
    if body:
        # One line in the table; a click, a tap or keyboard focus shows it all (portplan.js).
        body = Html('<div class="pp-clamp" tabindex="0">{}</div>').format(body)
    body += _deprecation(a, ctx)
    return Cell(body, a.description or "") if body else _dash()


def _external(a: Assignment, ctx: RowContext) -> Cell:
    return _text(str(a.external) if a.external else None)


def _environments(a: Assignment, ctx: RowContext) -> Cell:
    if a.environments is None:
        return Cell(Html('<span class="pp-none">all</span>'), "all")
    return _text(", ".join(a.environments))


def _short_ref(commit: Commit, ctx: RowContext) -> Html:
    when = day_element(commit.date)
    if commit.uncommitted:
        return when + Html(' <span class="pp-uncommitted">uncommitted</span>')
    url = ctx.links.commit(commit)
    if url is None:
        return when
    return Html('<a href="{}" title="{}">{}</a>').format(url, commit.subject, when)


def _dated(event: PortEvent | None, ctx: RowContext) -> Cell:
    if event is None:
        return _dash()
    when = event.commit.date.astimezone(dt.UTC).isoformat()
    return Cell(_short_ref(event.commit, ctx), when)


def _since(a: Assignment, ctx: RowContext) -> Cell:
    return _dated(ctx.history.since(a), ctx)


def _last_change(a: Assignment, ctx: RowContext) -> Cell:
    return _dated(ctx.history.last_change(a), ctx)


def _field(name: str) -> CellFn:
    def cell(a: Assignment, ctx: RowContext) -> Cell:
        value = getattr(a, name)
        return _text(value if value is None else str(value))
    return cell


def _meta(key: str) -> CellFn:
    def cell(a: Assignment, ctx: RowContext) -> Cell:
        for k, v in a.meta:
            if k == key:
                return _text(meta_text(v))
        return _dash()
    return cell


COLUMNS: dict[str, tuple[str, CellFn]] = {
    "port": ("Port", _port),
    "protocol": ("Protocol", lambda a, ctx: Cell(Html.escape(", ".join(a.protocols)))),
    "service": ("Service", _service),
    "status": ("Status", _status),
    "location": ("Location", _location),
    "command": ("Command", _command),
    "description": ("Description", _description),
    "external": ("External", _external),
    "role": ("Role", _field("role")),
    "since": ("Since", _since),
    "last_change": ("Last change", _last_change),
    "environments": ("Environments", _environments),
    "name": ("Name", _field("name")),
    "owner": ("Owner", _field("owner")),
    "contact": ("Contact", _field("contact")),
    "bind": ("Bind", _field("bind")),
    "env_var": ("Env var", _field("env_var")),
}


def known_column(column: str) -> bool:
    return column in COLUMNS or (column.startswith("meta.") and len(column) > 5)


def _filled(a: Assignment, column: str, code: CodeView) -> bool:
    if column == "location":
        return bool(a.location or a.command or code.of_entry(a))
    if column == "description":
        return bool(a.description or a.links or a.deprecation)
    return bool(getattr(a, column))


def choose_columns(registry: Registry, configured: Sequence[str] | None,
                   code: CodeView = NO_CODE) -> list[str]:
    """The configured columns, or the defaults minus the optional columns nobody fills, plus a
    column per ``meta`` key in use."""
    if configured:
        unknown = [c for c in configured if not known_column(c)]
        if unknown:
            raise ValueError(f"unknown table column(s): {', '.join(unknown)}; known: "
                             f"{', '.join(COLUMNS)}, meta.<key>")
        return ["port", *[c for c in configured if c != "port"]]
    held = registry.with_port()
    filled = {c for c in OPTIONAL_COLUMNS if any(_filled(a, c, code) for a in held)}
    meta = [f"meta.{key}" for key in dict.fromkeys(k for a in held for k, _ in a.meta)]
    chosen = [c for c in DEFAULT_COLUMNS if c not in OPTIONAL_COLUMNS or c in filled]
    at = chosen.index("since")
    return chosen[:at] + meta + chosen[at:]


def _title(column: str) -> str:
    # A meta column keeps its full name: `meta.protocol` must not read as the built-in Protocol.
    return COLUMNS[column][0] if column in COLUMNS else column


def _header(column: str) -> Html:
    numeric = Html(' data-pp-numeric=""') if column == "port" else ""
    return Html('<th scope="col" data-pp-col="{}"{} aria-sort="none">'
                '<button type="button" class="pp-sort">{}</button></th>').format(
                    column, numeric, _title(column))


def _cell_fn(column: str) -> CellFn:
    return COLUMNS[column][1] if column in COLUMNS else _meta(column.removeprefix("meta."))


def render_table(registry: Registry, history: HistoryView, links: SiteLinks,
                 columns: Sequence[str] | None = None, plan: PlanProblems | None = None, *,
                 code: CodeView | None = None) -> Html:
    """The table, sorted by port, with a filter box the vendored script brings to life.

    ``plan``: errors between entries; the rows concerned are flagged (docs/site.md).
    ``code``: where the code sets each port (docs/scan.md), under the location.
    """
    plan = plan or PlanProblems()
    chosen = choose_columns(registry, columns, code or NO_CODE)
    ctx = RowContext(history, links, own_command_column="command" in chosen,
                     code=code or NO_CODE)
    # Each cell carries its column's name (`data-label`): a phone shows it as a card's label.
    opens = [Html('<td data-pp-col="{}" data-label="{}"{}').format(
                 c, _title(c), "" if c in CARD_COLUMNS else Html(' data-pp-more=""'))
             for c in chosen]
    rows = []
    anchored: set[str] = set()
    for a in registry.with_port():
        slug = a.port.slug if a.port else ""
        cells = []
        for column, open_ in zip(chosen, opens, strict=True):
            cell = _cell_fn(column)(a, ctx)
            sort = Html(' data-sort="{}"').format(cell.sort) if cell.sort else ""
            flag = render_row_flag(plan, a) if column == "port" else ""
            cells.append(Html("{}{}>{}{}</td>").format(open_, sort, cell.html, flag))
        # `index.html#port-8090` links to the row; one id per port even when several entries
        # share it (other environments or protocols).
        anchor = "" if slug in anchored else Html(' id="port-{}"').format(slug)
        anchored.add(slug)
        rows.append(Html('<tr class="{}"{} data-port="{}">{}</tr>').format(
            " ".join(row_classes(a, plan)), anchor, slug, Html("").join(cells)))
    head = Html("").join(_header(c) for c in chosen)
    return filter_box("pp-ports", len(rows), "port, service, owner, location…") + Html(
        '<table id="pp-ports" class="pp-plan" data-pp-sortable="">'
        "<thead><tr>{}</tr></thead><tbody>\n{}\n</tbody></table></div>").format(
            head, Html("\n").join(rows))


def row_classes(a: Assignment, plan: PlanProblems) -> list[str]:
    """A row's classes: ``pp-row``, its status, and ``pp-row-problem`` when it is flagged."""
    return ["pp-row", f"pp-row-{a.status.value}", *(["pp-row-problem"]
                                                    if plan.is_flagged(a) else [])]
