"""History records: commits, the events derived from them, and a registry's whole story."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from portplan.model import Assignment, PortSpan


class EventKind(StrEnum):
    """What happened to an assignment; the value reads as the sentence's verb."""

    ADDED = "added"
    CHANGED = "changed"
    DEPRECATED = "deprecated"
    UNDEPRECATED = "undeprecated"
    MOVED = "moved"
    REMOVED = "removed"


@dataclass(frozen=True)
class Commit:
    """The change on the main line that an event belongs to.

    ``sha`` is empty and ``uncommitted`` true for edits in the working tree.
    ``author`` is the PR author when it can be known, else the commit author. ``title`` is
    the pull request's title when a merge commit's message carries it (the line after
    ``Merge pull request #N from ...``); ``headline`` is what a reader is shown.
    """

    sha: str
    date: dt.datetime  # timezone-aware, when the change landed on the first-parent line
    author: str
    subject: str
    pr: int | None = None
    uncommitted: bool = False
    title: str | None = None

    @property
    def headline(self) -> str:
        return self.title or self.subject


@dataclass(frozen=True)
class Change:
    """One derived change between two registry versions, before it is tied to a commit."""

    kind: EventKind
    before: Assignment | None
    after: Assignment | None
    changes: Mapping[str, tuple[object, object]] = field(default_factory=dict)

    @property
    def current(self) -> Assignment:
        """The assignment as it stands after the change (before it, for a removal)."""
        held = self.after or self.before
        if held is None:
            raise ValueError("a Change needs an assignment before or after it")
        return held

    def as_json(self) -> dict[str, object]:
        """The change as JSON: the fields of a `history --json` event but the commit's.

        ``portplan diff --format json`` prints these as they are (docs/proposing-changes.md).
        """
        held = self.current
        out: dict[str, object] = {
            "port": _port_json(held),
            "protocol": held.protocols[0] if len(held.protocols) == 1 else list(held.protocols),
            "environments": list(held.environments) if held.environments is not None else None,
            "service": held.service,
            "kind": self.kind.value,
            "changes": {name: [old, new] for name, (old, new) in self.changes.items()},
        }
        if self.kind is EventKind.MOVED:
            out["from_port"] = _port_json(self.before)
            out["to_port"] = _port_json(self.after)
        if self.kind is EventKind.DEPRECATED and held.deprecation:
            out["note"] = held.deprecation.note
        return out


def _port_json(held: Assignment | None) -> int | str | None:
    return held.port.as_json() if held is not None and held.port is not None else None


@dataclass(frozen=True)
class PortEvent:
    commit: Commit
    change: Change

    @property
    def kind(self) -> EventKind:
        return self.change.kind

    @property
    def port(self) -> PortSpan | None:
        return self.change.current.port

    @property
    def from_port(self) -> PortSpan | None:
        return self.change.before.port if self.change.before else None

    @property
    def to_port(self) -> PortSpan | None:
        return self.change.after.port if self.change.after else None

    @property
    def service(self) -> str:
        return self.change.current.service

    def as_json(self) -> dict[str, object]:
        """The event as ``portplan history --json`` prints it (docs/history.md)."""
        out: dict[str, object] = {
            "commit": self.commit.sha or None,
            "date": self.commit.date.isoformat(),
            "author": self.commit.author,
            "subject": self.commit.subject,
            "pr": self.commit.pr,
            "title": self.commit.title,
            **self.change.as_json(),
        }
        if self.commit.uncommitted:
            out["uncommitted"] = True
        return out


@dataclass(frozen=True)
class History:
    """A registry's story: every event oldest first, and whether the story is whole.

    ``available`` is false when there is no git history at all (no git, not a repository,
    a tarball checkout); ``complete`` is false when part of it is missing (a shallow clone)
    or unavailable. ``notices`` say so in words, for the CLI and the site. ``skipped`` names the
    versions that could not be read; the story goes on across them, so it stays complete.
    """

    events: tuple[PortEvent, ...] = ()
    complete: bool = True
    available: bool = True
    notices: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    commits: tuple[Commit, ...] = ()  # every first-parent commit that touched the registry

    def for_port(self, span: PortSpan) -> list[PortEvent]:
        """Every event touching ``span``: earlier holders and both ends of moves included."""
        if span.is_block:
            found = {i for i, e in enumerate(self.events)
                     if any(p is not None and p.overlaps(span) for p in _ports_of(e))}
        else:
            singles, blocks = self._by_port
            found = set(singles.get(span.low, ()))
            found.update(i for i in blocks
                         if any(p is not None and p.overlaps(span)
                                for p in _ports_of(self.events[i])))
        return [self.events[i] for i in sorted(found)]

    @cached_property
    def _by_port(self) -> tuple[dict[int, list[int]], list[int]]:
        """Event positions by single port, and those of events that touch a block."""
        singles: dict[int, list[int]] = {}
        blocks: list[int] = []
        for i, event in enumerate(self.events):
            for port in _ports_of(event):
                if port is None:
                    continue
                if port.is_block:
                    blocks.append(i)
                else:
                    singles.setdefault(port.low, []).append(i)
        return singles, blocks

    @cached_property
    def _by_result(self) -> dict[Assignment, list[int]]:
        """Positions of the events that left each assignment as it is, in order."""
        found: dict[Assignment, list[int]] = {}
        for i, event in enumerate(self.events):
            if event.change.after is not None:
                found.setdefault(event.change.after, []).append(i)
        return found

    def since(self, assignment: Assignment) -> PortEvent | None:
        """The event that started ``assignment``'s holder on its port: its addition, the move
        to the port, or the rename in place that gave the port to this service."""
        chain = self._chain(assignment)
        return chain[-1] if chain else None

    def last_change(self, assignment: Assignment) -> PortEvent | None:
        """The latest event that left ``assignment`` as it is now."""
        found = self._latest(assignment, len(self.events))
        return self.events[found] if found is not None else None

    def _chain(self, assignment: Assignment) -> list[PortEvent]:
        """Events of this assignment's life, newest first, back to where it started."""
        chain: list[PortEvent] = []
        at = self._latest(assignment, len(self.events))
        while at is not None:
            event = self.events[at]
            chain.append(event)
            if event.kind in (EventKind.ADDED, EventKind.MOVED) or event.change.before is None \
                    or "service" in event.change.changes:
                break
            at = self._latest(event.change.before, at)
        return chain

    def _latest(self, assignment: Assignment, before: int) -> int | None:
        positions = self._by_result.get(assignment, [])
        at = bisect.bisect_left(positions, before) - 1
        return positions[at] if at >= 0 else None


def _ports_of(event: PortEvent) -> tuple[PortSpan | None, PortSpan | None]:
    change = event.change
    return (change.before.port if change.before else None,
            change.after.port if change.after else None)
