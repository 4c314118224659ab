"""A Markdown port plan to registry entries: `import_plan` (docs/adopting.md).

Every table with a port column is read, in every section; each row gives one entry per port
or block in its port cell, or a port-less entry. Bullets that name a service in bold under a
heading about ports or services give port-less entries (the seed's "Reserved / Planned
Ports"). The same text and options always give the same entries in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from portplan.adopt import cell_values as cells
from portplan.adopt.columns import Column, map_columns
from portplan.adopt.markdown_plan import Cell, ListItem, MarkdownPlan, Row, Table
from portplan.adopt.options import ImportOptions
from portplan.model import Assignment, Deprecation, External, MetaValue, PortSpan, Status

_ARROWS = (" \u2192 ", " -> ", " => ", " \u27f6 ")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_REPLACED = re.compile(r"\b(?:moved|migrated|replaced|superseded|use|now on|now at|see)\b"
                       r"\D{0,24}?(?<![\w.]):?(\d{2,5})(?!\d)", re.IGNORECASE)
_LIST_SECTIONS = re.compile(r"\b(ports?|services?|reserved|planned|without)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TableReport:
    table: Table
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Imported:
    entries: tuple[Assignment, ...]
    tables: tuple[TableReport, ...]  # the port tables read, with their column mapping
    items: tuple[ListItem, ...]  # the bullets read as port-less services
    notes: tuple[str, ...]  # what could not be read, each "line N: ..."


@dataclass(frozen=True)
class _Placed:
    line: int
    entry: Assignment


def import_plan(plan: MarkdownPlan, options: ImportOptions) -> Imported:
    placed: list[_Placed] = []
    notes: list[str] = []
    reports: list[TableReport] = []
    for table in plan.tables:
        columns = map_columns(table.header, options.overrides)
        if not any(c.target == "port" for c in columns):
            continue
        reports.append(TableReport(table, tuple(columns)))
        for row in table.rows:
            placed.extend(_Placed(row.line, e) for e in _row(table, row, columns, options, notes))
    items = [i for i in plan.items if i.section and _LIST_SECTIONS.search(i.section)]
    taken: list[ListItem] = []
    for item in items:
        if cells.read_ports(item.text).spans or cells.read_ports(item.name).spans:
            notes.append(f"line {item.line}: the bullet '{item.name}' names a port; only "
                         "port-less services are read from lists, add it to a table")
            continue
        taken.append(item)
        placed.append(_Placed(item.line, _item_entry(item, options)))
    notes.extend(f"line {line}: an HTML table is not read; write it as a Markdown pipe table "
                 "and import again, or add its ports to the registry by hand"
                 for line in plan.html_tables)
    entries = _deduplicated([p.entry for p in sorted(placed, key=lambda p: p.line)], notes)
    entries = _with_replacements(entries)
    if options.order == "port":
        entries = sorted(entries, key=_port_order)
    return Imported(tuple(entries), tuple(reports), tuple(taken), tuple(notes))


def _row(table: Table, row: Row, columns: list[Column], options: ImportOptions,
         notes: list[str]) -> list[Assignment]:
    values, meta = _cells(row, columns)
    empty = Cell("", False)
    port_cell = values.get("port", empty)
    ports = cells.read_ports(port_cell.text)
    service, q_status, q_envs = cells.split_qualifiers(values.get("service", empty).text)
    service = service or values.get("description", empty).text
    if not service:
        if port_cell.text:
            notes.append(f"line {row.line}: the row for {port_cell.text} names no service; "
                         "skipped it, give it a name in the plan or map a column to service")
        return []
    status = _status(row, values, meta) or q_status or ports.status or Status.ACTIVE
    if ports.unread:
        meta.append(("port", ports.unread))
    if values.get("since", empty).text:
        meta.append(("since", values["since"].text))
    if options.sections == "meta" and table.section:
        meta.append(("section", table.section))
    environments = _environments(values.get("environments", empty).text, q_envs,
                                 table.section if options.sections == "environments" else None)
    protocols = cells.read_protocols(values.get("protocol", empty).text) or ports.protocols \
        or ("tcp",)
    location, command = _location(values.get("location", empty).text)
    description = values.get("description", empty).text
    deprecation = None
    if status is Status.DEPRECATED:
        said = values.get("status", empty).text
        how = f"Marked '{said}'" if said and not _struck(row, values) else "Struck through"
        deprecation = Deprecation(description or f"{how} in the Markdown plan; no migration "
                                  "note was given.")
        description = ""
    outside = cells.read_ports(values.get("external.port", empty).text).spans
    entry = Assignment(
        service=service, protocols=protocols, status=status, location=location or None,
        command=values.get("command", empty).text or command or None,
        description=description if description and description != service else None,
        environments=environments, deprecation=deprecation, meta=_unique(meta),
        external=External(port=outside[0].low) if outside else None,
        owner=_text(values, "owner"), contact=_text(values, "contact"),
        role=_text(values, "role"), bind=_text(values, "bind"), env_var=_text(values, "env_var"))
    return [replace(entry, port=span) for span in ports.spans] or [entry]


def _text(values: dict[str, Cell], name: str) -> str | None:
    cell = values.get(name)
    return cell.text if cell is not None and cell.text else None


def _cells(row: Row, columns: list[Column]) -> tuple[dict[str, Cell],
                                                    list[tuple[str, MetaValue]]]:
    """The row's cells by target field, and its meta columns; ragged rows read as empty."""
    values: dict[str, Cell] = {}
    meta: list[tuple[str, MetaValue]] = []
    for column in columns:
        cell = row.cells[column.index] if column.index < len(row.cells) else Cell("", False)
        text = clean(cell.text)
        if column.target.startswith("meta."):
            if text:
                meta.append((column.target[5:], text))
        elif column.target != "skip":
            values[column.target] = Cell(text, cell.struck)
    return values, meta


def _struck(row: Row, values: dict[str, Cell]) -> bool:
    """The port or the service is struck through, or every cell that says anything."""
    empty = Cell("", False)
    written = [c for c in row.cells if c.text]
    return values.get("port", empty).struck or values.get("service", empty).struck or (
        bool(written) and all(c.struck for c in written))


def _status(row: Row, values: dict[str, Cell], meta: list[tuple[str, MetaValue]]
            ) -> Status | None:
    """Deprecated when the port or service is struck through, else what a Status cell says."""
    if _struck(row, values):
        return Status.DEPRECATED
    said = values.get("status", Cell("", False)).text
    status = cells.read_status(said) if said else None
    if said and status is None:
        meta.append(("status", said))
    return status


def _item_entry(item: ListItem, options: ImportOptions) -> Assignment:
    service, status, q_envs = cells.split_qualifiers(clean(item.name))
    meta: tuple[tuple[str, MetaValue], ...] = ()
    if options.sections == "meta" and item.section:
        meta = (("section", item.section),)
    environments = _environments("", q_envs, item.section
                                 if options.sections == "environments" else None)
    return Assignment(service=service, status=status or Status.ACTIVE,
                      description=clean(item.text) or None, environments=environments,
                      meta=meta)


def _environments(cell: str, qualified: tuple[str, ...], section: str | None
                  ) -> tuple[str, ...] | None:
    if cell:
        return cells.read_environments(cell)
    if qualified:
        return qualified
    if section:
        name = cells.environment_name(section)
        return (name,) if name else None
    return None


def _location(text: str) -> tuple[str, str]:
    """The seed's "`path` → `command`" cell: where it is defined, and what starts it."""
    for arrow in _ARROWS:
        if arrow in text:
            where, _, what = text.partition(arrow)
            return where.strip(), what.strip()
    return text, ""


def clean(text: str) -> str:
    """Cell text without control characters, which a registry may not hold."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _unique(meta: list[tuple[str, MetaValue]]) -> tuple[tuple[str, MetaValue], ...]:
    seen: dict[str, MetaValue] = {}
    for key, value in meta:
        seen.setdefault(key, value)
    return tuple(seen.items())


def _deduplicated(entries: list[Assignment], notes: list[str]) -> list[Assignment]:
    out: list[Assignment] = []
    seen: set[Assignment] = set()
    for entry in entries:
        if entry in seen:
            notes.append(f"{entry.service} on {entry.port or 'no port'} is listed twice the "
                         "same way; imported once")
            continue
        seen.add(entry)
        out.append(entry)
    return out


def _with_replacements(entries: list[Assignment]) -> list[Assignment]:
    """A migration note naming a port the plan holds ("moved to 8020") sets replaced_by."""
    held = {e.port for e in entries if e.port is not None and not e.is_deprecated}
    out: list[Assignment] = []
    for entry in entries:
        note = entry.deprecation
        found = _REPLACED.search(note.note) if note is not None else None
        if note is None or found is None:
            out.append(entry)
            continue
        target = PortSpan.single(int(found.group(1)))
        known = any(p.contains(target) for p in held)
        if known and (entry.port is None or not entry.port.overlaps(target)):
            out.append(replace(entry, deprecation=replace(note, replaced_by=target)))
        else:
            out.append(entry)
    return out


def _port_order(entry: Assignment) -> tuple[int, int, tuple[str, ...], tuple[str, ...]]:
    if entry.port is None:
        return (1, 0, (), ())
    return (0, entry.port.low, entry.protocols, entry.environments or ())
