"""What the renderers need from a registry's history, and the stand-in when there is none."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from portplan.history.model import Commit, PortEvent
from portplan.model import Assignment, PortSpan

T = TypeVar("T")


class HistoryView(Protocol):
    """The read side of ``portplan.history.History`` that the site uses."""

    @property
    def events(self) -> Sequence[PortEvent]: ...  # oldest first

    @property
    def available(self) -> bool: ...  # False without git

    @property
    def complete(self) -> bool: ...  # False for a shallow clone

    @property
    def notices(self) -> Sequence[str]: ...  # why the history is unavailable or incomplete

    @property
    def skipped(self) -> Sequence[str]: ...  # versions stepped over (the story goes on)

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

    skipped: tuple[str, ...] = ()

    @property
    def notices(self) -> tuple[str, ...]:
        return (self.reason,)

    def for_port(self, span: PortSpan) -> tuple[PortEvent, ...]:
        return ()

    def since(self, assignment: Assignment) -> PortEvent | None:
        return None

    def last_change(self, assignment: Assignment) -> PortEvent | None:
        return None


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


class SpanIndex(Generic[T]):
    """Items found by port or block, built once per build instead of scanning per page.

    ``overlapping`` matches ``History.for_port``: any of an item's spans overlapping the asked one.
    """

    def __init__(self, items: Sequence[T],
                 spans_of: Callable[[T], Iterable[PortSpan | None]]) -> None:
        self._items = items
        self._exact: dict[PortSpan, list[int]] = {}
        for i, item in enumerate(items):
            for span in dict.fromkeys(spans_of(item)):
                if span is not None:
                    self._exact.setdefault(span, []).append(i)
        self._blocks = [s for s in self._exact if s.is_block]

    def exact(self, span: PortSpan) -> list[T]:
        return [self._items[i] for i in self._exact.get(span, ())]

    def overlapping(self, span: PortSpan) -> list[T]:
        # Most spans are single ports: only blocks can overlap them without being equal.
        others = self._exact if span.is_block else self._blocks
        found = set(self._exact.get(span, ()))
        for other in others:
            if other != span and other.overlaps(span):
                found.update(self._exact[other])
        return [self._items[i] for i in sorted(found)]
