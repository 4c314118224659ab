"""What the renderers need from a registry's history, and the stand-in when there is none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from portplan.history.model import Commit, PortEvent
from portplan.model import Assignment, PortSpan


class HistoryView(Protocol):
    """The read side of ``portplan.history.History`` that the site uses."""

    @property
    def events(self) -> Sequence[PortEvent]: ...  # oldest first

    @property
    def available(self) -> bool: ...  # False without git

    @property
    def complete(self) -> bool: ...  # False for a shallow clone

    @property
    def notices(self) -> Sequence[str]: ...

    def for_port(self, span: PortSpan) -> Sequence[PortEvent]: ...

    def since(self, assignment: Assignment) -> PortEvent | None: ...

    def last_change(self, assignment: Assignment) -> PortEvent | None: ...


@dataclass(frozen=True)
class NoHistory:
    """The history of a checkout git cannot read: no events, and a notice saying why."""

    reason: str
    events: tuple[PortEvent, ...] = ()
    available: bool = False
    complete: bool = False

    @property
    def notices(self) -> tuple[str, ...]:
        return (self.reason,)

    def for_port(self, span: PortSpan) -> tuple[PortEvent, ...]:
        return ()

    def since(self, assignment: Assignment) -> PortEvent | None:
        return None

    def last_change(self, assignment: Assignment) -> PortEvent | None:
        return None


def touches(event: PortEvent, span: PortSpan) -> bool:
    """Whether the event concerns exactly this port or block (before or after it)."""
    return span in (event.from_port, event.to_port, event.port)


def group_by_commit(events: Sequence[PortEvent]) -> list[tuple[Commit, list[PortEvent]]]:
    """Events grouped by the commit (or PR merge) they landed in, newest first.

    Uncommitted edits, when present, come first: they are the newest state.
    """
    groups: dict[tuple[str, bool], tuple[Commit, list[PortEvent]]] = {}
    for event in events:
        key = (event.commit.sha, event.commit.uncommitted)
        groups.setdefault(key, (event.commit, []))[1].append(event)
    ordered = list(groups.values())
    ordered.reverse()  # events arrive oldest first
    return sorted(ordered, key=lambda g: not g[0].uncommitted)
