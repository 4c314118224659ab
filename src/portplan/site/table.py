"""The port table: one row per entry holding a port, sorted by port, as sortable HTML."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portplan.history.model import PortEvent
from portplan.model import Assignment, Registry, meta_text
from portplan.site.code_places import NO_CODE, CodeView, cell_html
from portplan.site.event_text import dated_ref, port_link, render_deprecation
from portplan.site.history_view import HistoryView
from portplan.site.inline import render_code, render_inline, render_link
from portplan.site.plan_problems import PlanProblems
from portplan.site.problem_notes import render_row_flag
from portplan.site.urls import SiteLinks

DEFAULT_COLUMNS = ("port", "protocol", "service", "status", "location", "description",
                   "external", "role", "since", "last_change")
# Shown by default only when at least one entry fills them (docs/site.md).
OPTIONAL_COLUMNS = frozenset({"external", "role"})


@dataclass(frozen=True)
class Cell:
    html: str
    sort: str = ""  # what the browser sorts by; empty means the cell's text


@dataclass(frozen=True)
class RowContext:
    history: HistoryView
    links: SiteLinks
    own_command_column: bool
    code: CodeView = NO_CODE


CellFn = Callable[[Assignment, RowContext], Cell]


def _dash() -> Cell:
    return Cell('<span class="pp-none">—</span>', "")


def _text(value: str | None) -> Cell:
    return Cell(html.escape(value)) if value else _dash()


def _port(a: Assignment, ctx: RowContext) -> Cell:
    if a.port is None:
        return _dash()
    link = port_link(a.port, ctx.links)
    shown = f"<del>{link}</del>" if a.is_deprecated else link
    return Cell(shown, str(a.port.low))


def _service(a: Assignment, ctx: RowContext) -> Cell:
    out = f'<span class="pp-service">{html.escape(a.service)}</span>'
    if a.name:
        out += f' <code class="pp-name">{html.escape(a.name)}</code>'
    if a.environments is not None:
        out += "".join(f' <span class="pp-env">{html.escape(e)}</span>' for e in a.environments)
    return Cell(out, a.service.casefold())


def _status(a: Assignment, ctx: RowContext) -> Cell:
    value = a.status.value
    return Cell(f'<span class="pp-status pp-status-{value}">{value}</span>', value)


def _command_html(command: str) -> str:
    return f'<span class="pp-command" title="command">→ {render_code(command)}</span>'


def _location(a: Assignment, ctx: RowContext) -> Cell:
    parts = [render_code(a.location, path=True)] if a.location else []
    if a.command and not ctx.own_command_column:
        parts.append(_command_html(a.command))
    if set_in := cell_html(a, ctx.code, ctx.links):  # where the code sets it (docs/scan.md)
        parts.append(set_in)
    if not parts:
        return _dash()
    return Cell("<br>".join(parts), a.location or a.command or "")


def _command(a: Assignment, ctx: RowContext) -> Cell:
    return Cell(render_code(a.command), a.command) if a.command else _dash()


def _deprecation(a: Assignment, ctx: RowContext) -> str:
    if a.deprecation is None:
        return ""
    return render_deprecation(a.deprecation, ctx.links, lead="<strong>Deprecated:</strong> ")


def _description(a: Assignment, ctx: RowContext) -> Cell:
    body = render_inline(a.description) if a.description else ""
    if a.links:
        body += " " + " ".join(
            render_link(label, url, "pp-extlink") for label, url in a.links)
    body += _deprecation(a, ctx)
    return Cell(body, a.description or "") if body else _dash()


def _external(a: Assignment, ctx: RowContext) -> Cell:
    return _text(str(a.external) if a.external else None)


def _environments(a: Assignment, ctx: RowContext) -> Cell:
    if a.environments is None:
        return Cell('<span class="pp-none">all</span>', "all")
    return _text(", ".join(a.environments))


def _dated(event: PortEvent | None, ctx: RowContext) -> Cell:
    if event is None:
        return _dash()
    when = event.commit.date.astimezone(dt.UTC).isoformat()
    return Cell(dated_ref(event.commit, ctx.links), when)


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
    "protocol": ("Protocol", lambda a, ctx: Cell(html.escape(", ".join(a.protocols)))),
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


def choose_columns(registry: Registry, configured: Sequence[str] | None) -> list[str]:
    """The configured columns, or the defaults minus optional columns nobody fills."""
    if configured:
        unknown = [c for c in configured if not known_column(c)]
        if unknown:
            raise ValueError(f"unknown table column(s): {', '.join(unknown)}; known: "
                             f"{', '.join(COLUMNS)}, meta.<key>")
        return ["port", *[c for c in configured if c != "port"]]
    held = registry.with_port()
    return [c for c in DEFAULT_COLUMNS
            if c not in OPTIONAL_COLUMNS or any(getattr(a, c) for a in held)]


def _header(column: str) -> str:
    # A meta column keeps its full name: `meta.protocol` must not read as the built-in Protocol.
    title = COLUMNS[column][0] if column in COLUMNS else column
    numeric = ' data-pp-numeric=""' if column == "port" else ""
    return (f'<th scope="col" data-pp-col="{html.escape(column)}"{numeric} aria-sort="none">'
            f'<button type="button" class="pp-sort">{html.escape(title)}</button></th>')


def _cell_fn(column: str) -> CellFn:
    return COLUMNS[column][1] if column in COLUMNS else _meta(column.removeprefix("meta."))


def render_table(registry: Registry, history: HistoryView, links: SiteLinks,
                 columns: Sequence[str] | None = None, plan: PlanProblems | None = None, *,
                 code: CodeView | None = None) -> str:
    """The table, sorted by port, with a filter box the vendored script brings to life.

    ``plan``: errors between entries; the rows concerned are flagged (docs/site.md).
    ``code``: where the code sets each port (docs/scan.md), under the location.
    """
    plan = plan or PlanProblems()
    chosen = choose_columns(registry, columns)
    ctx = RowContext(history, links, own_command_column="command" in chosen,
                     code=code or NO_CODE)
    rows = []
    anchored: set[str] = set()
    for a in registry.with_port():
        slug = a.port.slug if a.port else ""
        cells = []
        for column in chosen:
            cell = _cell_fn(column)(a, ctx)
            sort = f' data-sort="{html.escape(cell.sort, quote=True)}"' if cell.sort else ""
            flag = render_row_flag(plan, a) if column == "port" else ""
            cells.append(f'<td data-pp-col="{html.escape(column)}"{sort}>{cell.html}{flag}</td>')
        cls = f"pp-row pp-row-{a.status.value}"
        if plan.is_flagged(a):
            cls += " pp-row-problem"
        # `index.html#port-8090` links to the row; one id per port even when several entries
        # share it (other environments or protocols).
        anchor = "" if slug in anchored else f' id="port-{slug}"'
        anchored.add(slug)
        rows.append(f'<tr class="{cls}"{anchor} data-port="{slug}">{"".join(cells)}</tr>')
    count = len(rows)
    tools = (
        '<div class="pp-tools" hidden>'
        '<label class="pp-filter-label">Filter '
        '<input type="search" class="pp-filter" placeholder="port, service, location…" '
        'aria-controls="pp-ports" autocomplete="off"></label> '
        f'<span class="pp-count" aria-live="polite">{count} of {count} ports</span></div>'
    )
    head = "".join(_header(c) for c in chosen)
    return (f'<div class="pp-table">{tools}'
            f'<table id="pp-ports" data-pp-sortable="">'
            f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) +
            "\n</tbody></table></div>")
