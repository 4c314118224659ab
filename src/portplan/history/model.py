"""History records: commits, the events derived from them, and a registry's whole story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

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
    ``author`` is the PR author when it can be known, else the commit author.
    """

    sha: str
    date: dt.datetime  # timezone-aware, when the change landed on the first-parent line
    author: str
    subject: str
    pr: int | None = None
    uncommitted: bool = False


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
