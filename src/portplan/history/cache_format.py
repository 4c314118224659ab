"""The history cache as plain JSON data: records to lists and back, nothing that runs code.

A cache file can come from anywhere (a CI cache restored into the git dir), so reading it
builds only our own records from JSON values, and anything of the wrong shape is a
`ValueError`, `TypeError`, `KeyError` or `IndexError` that the cache turns into "rebuild".
Assignments are kept once in a table and events refer to them by number: most events share
their assignments with the next one.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from portplan.history.layout import Layout, leaving_pattern
from portplan.history.model import Change, Commit, EventKind, PortEvent
from portplan.history.snapshots import SnapshotReader
from portplan.model import Assignment, Deprecation, External, PortSpan, Position, Status

Json = Any  # what json.loads gives: checked as it is read
_STATUS = {s.value: s for s in Status}
_KIND = {k.value: k for k in EventKind}


class AssignmentTable:
    """Assignments to numbers while writing; the list of them while reading."""

    def __init__(self, rows: list[Assignment] | None = None) -> None:
        self.rows: list[Assignment] = rows or []
        self._index: dict[int, int] = {}

    def number(self, entry: Assignment | None) -> int:
        if entry is None:
            return -1
        at = self._index.get(id(entry))
        if at is None:
            at = self._index[id(entry)] = len(self.rows)
            self.rows.append(entry)
        return at

    def entry(self, number: Json) -> Assignment | None:
        if number == -1:
            return None
        return self.rows[integer(number)]


def integer(value: Json) -> int:
    if type(value) is not int:
        raise TypeError("a number was expected")
    return value


def text(value: Json) -> str:
    if type(value) is not str:
        raise TypeError("a text was expected")
    return value


def _opt_str(value: Json) -> str | None:
    return None if value is None else text(value)


def _span(value: Json) -> PortSpan | None:
    return None if value is None else PortSpan(integer(value[0]), integer(value[1]))


def _date(value: Json) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(text(value))


def _strs(value: Json) -> tuple[str, ...]:
    return tuple(text(v) for v in value)


def assignment_out(a: Assignment) -> list[Json]:
    d, e = a.deprecation, a.external
    return [
        a.service, [a.port.low, a.port.high] if a.port else None, list(a.protocols),
        a.status.value, a.name, a.location, a.command, a.description, a.owner, a.contact,
        list(a.environments) if a.environments is not None else None, a.role, a.bind,
        a.env_var,
        [e.port, e.via, e.host, e.path] if e else None,
        [list(pair) for pair in a.links],
        [d.note, [d.replaced_by.low, d.replaced_by.high] if d.replaced_by else None,
         d.since.isoformat() if d.since else None,
         d.remove_after.isoformat() if d.remove_after else None] if d else None,
        [list(pair) for pair in a.meta],
        [a.position.line, a.position.column],
        [list(pair) for pair in a.accepts],
    ]


def assignment_in(row: Json) -> Assignment:
    (service, port, protocols, status, name, location, command, description, owner, contact,
     environments, role, bind, env_var, external, links, deprecation, meta, position,
     accepts) = row
    meta_values = tuple((text(k), v) for k, v in meta)
    if any(type(v) not in (str, int, float, bool) for _, v in meta_values):
        raise TypeError("a meta value of another type")
    return Assignment(
        service=text(service), port=_span(port), protocols=_strs(protocols),
        status=_STATUS[status], name=_opt_str(name), location=_opt_str(location),
        command=_opt_str(command), description=_opt_str(description), owner=_opt_str(owner),
        contact=_opt_str(contact),
        environments=None if environments is None else _strs(environments),
        role=_opt_str(role), bind=_opt_str(bind), env_var=_opt_str(env_var),
        external=None if external is None else External(
            None if external[0] is None else integer(external[0]), _opt_str(external[1]),
            _opt_str(external[2]), _opt_str(external[3])),
        links=tuple((text(k), text(v)) for k, v in links),
        deprecation=None if deprecation is None else Deprecation(
            text(deprecation[0]), _span(deprecation[1]), _date(deprecation[2]),
            _date(deprecation[3])),
        meta=meta_values,
        accepts=tuple((text(k), text(v)) for k, v in accepts),
        position=Position(integer(position[0]), integer(position[1])),
    )


def commit_out(c: Commit) -> list[Json]:
    return [c.sha, c.date.isoformat(), c.author, c.subject, c.pr, c.uncommitted, c.title]


def commit_in(row: Json) -> Commit:
    sha, date, author, subject, pr, uncommitted, title = row
    when = dt.datetime.fromisoformat(text(date))
    if when.tzinfo is None or type(uncommitted) is not bool:
        raise ValueError("a commit date without an offset")
    return Commit(text(sha), when, text(author), text(subject),
                  None if pr is None else integer(pr), uncommitted, _opt_str(title))


def events_out(events: list[PortEvent], commits: dict[int, int],
               table: AssignmentTable) -> list[Json]:
    return [[commits[id(e.commit)], e.change.kind.value, table.number(e.change.before),
             table.number(e.change.after),
             [[name, old, new] for name, (old, new) in e.change.changes.items()]]
            for e in events]


def events_in(rows: Json, commits: list[Commit], table: AssignmentTable) -> list[PortEvent]:
    events = []
    for commit, kind, before, after, changes in rows:
        events.append(PortEvent(commits[integer(commit)], Change(
            _KIND[kind], table.entry(before), table.entry(after),
            {text(name): (old, new) for name, old, new in changes})))
    return events


def reader_out(reader: SnapshotReader, table: AssignmentTable) -> dict[str, Json]:
    layout = reader.layout
    return {
        "text": base64.b64encode(reader.text).decode("ascii"),
        "layout": None if layout is None else [
            layout.head_end, layout.tail_start, base64.b64encode(layout.marker).decode("ascii"),
            layout.key_start],
        "whole": [table.number(a) for a in reader.current()] if layout is None else [],
        "counts": [reader.fast, reader.full],
    }


def reader_in(state: Json, reader: SnapshotReader, table: AssignmentTable) -> SnapshotReader:
    reader.text = base64.b64decode(text(state["text"]), validate=True)
    layout = state["layout"]
    if layout is not None:
        head_end, tail_start, marker, key_start = layout
        mark = base64.b64decode(text(marker), validate=True)
        if not (mark.startswith(b"\n") and mark.endswith(b"-") and not mark[1:-1].strip(b" ")):
            raise ValueError("not an item marker")
        reader.layout = Layout(integer(head_end), integer(tail_start), mark,
                               leaving_pattern(len(mark) - 2), integer(key_start))
    whole = [table.entry(n) for n in state["whole"]]
    reader.set_whole(tuple(a for a in whole if a is not None))
    reader.fast, reader.full = (integer(n) for n in state["counts"])
    return reader
