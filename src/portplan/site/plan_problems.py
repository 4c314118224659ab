"""What the site shows of a registry's errors between entries, and of its accepted warnings.

A registry with a conflict is still the truth of what the team has, so its site is built
(docs/site.md, "A plan with problems"): the plan page names each problem in a banner, the
table flags the rows, and each port page says which entries collide and since which commit.
The commit is found from the history: the first one from which on, without a break, both
entries as they are now (or as they were) held the port together.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from portplan.history.model import Commit, PortEvent
from portplan.model import Assignment, PortSpan, Position, Registry
from portplan.problems import Problem
from portplan.registry.acceptance import AcceptedWarning
from portplan.registry.rules import Conflict, assignments_conflict, entry_conflicts
from portplan.site.history_view import SpanIndex


@dataclass(frozen=True)
class Collision:
    """Two entries on one port now, and the commit where they began to collide.

    ``began`` is None when the history does not reach back to it (no git, a shallow clone).
    """

    conflict: Conflict
    began: Commit | None

    def involves(self, entry: Assignment) -> bool:
        return entry.position in (self.conflict.earlier.position, self.conflict.later.position)


@dataclass(frozen=True)
class PlanProblems:
    """The between-entries errors of one build, indexed for the pages that show them."""

    problems: tuple[Problem, ...] = ()
    collisions: tuple[Collision, ...] = ()
    accepted: tuple[AcceptedWarning, ...] = ()

    @classmethod
    def find(cls, registry: Registry, problems: Sequence[Problem],
             events: Sequence[PortEvent],
             accepted: Sequence[AcceptedWarning] = ()) -> PlanProblems:
        """``problems``: the registry's errors between entries (``Loaded.between_entries``)."""
        found = entry_conflicts(registry) if problems else []
        index = _HistoryIndex(events) if found else None
        collisions = tuple(
            Collision(c, conflict_began(c, events, index)) for c in found)
        return cls(tuple(problems), collisions, tuple(accepted))

    @cached_property
    def _by_entry(self) -> dict[Position, tuple[list[Collision], list[Problem],
                                                 list[AcceptedWarning]]]:
        """Per entry (by position): its collisions, its own problems, its accepted warnings."""
        found: dict[Position, tuple[list[Collision], list[Problem], list[AcceptedWarning]]] = {}

        def of(at: Position) -> tuple[list[Collision], list[Problem], list[AcceptedWarning]]:
            return found.setdefault(at, ([], [], []))

        for c in self.collisions:
            of(c.conflict.earlier.position)[0].append(c)
            of(c.conflict.later.position)[0].append(c)
        for p in self.problems:
            if p.entry is not None:
                of(p.entry)[1].append(p)
        for w in self.accepted:
            of(w.problem.entry or w.problem.position)[2].append(w)
        return found

    @cached_property
    def _by_port(self) -> SpanIndex[Collision]:
        return SpanIndex(self.collisions,
                         lambda c: (c.conflict.earlier.port, c.conflict.later.port))

    def _of(self, entry: Assignment) -> tuple[list[Collision], list[Problem],
                                              list[AcceptedWarning]]:
        return self._by_entry.get(entry.position, ([], [], []))

    def is_flagged(self, entry: Assignment) -> bool:
        collisions, problems, _ = self._of(entry)
        return bool(collisions or problems)

    def row_notes(self, entry: Assignment) -> list[str]:
        """Short plain texts for the entry's row: whom it collides with, what else is wrong."""
        notes = []
        for c in self._of(entry)[0]:
            other = c.conflict.later if c.conflict.earlier.position == entry.position \
                else c.conflict.earlier
            notes.append(f"conflicts with {other.service} (line {other.position.line}) on "
                         f"{c.conflict.shared}/{'/'.join(c.conflict.protocols)}")
        return notes + [p.message for p in self.entry_problems(entry)]

    def on_port(self, span: PortSpan) -> list[Collision]:
        """The collisions on ``span``'s page: either entry holds part of it."""
        return self._by_port.overlapping(span)

    def entry_problems(self, entry: Assignment) -> list[Problem]:
        """The entry's own problems other than conflicts (a replaced_by naming no entry)."""
        return [p for p in self._of(entry)[1] if p.code != "port-conflict"]

    def accepted_by(self, entry: Assignment) -> list[AcceptedWarning]:
        return list(self._of(entry)[2])


class _HistoryIndex:
    """Built once per build: the first event of each commit, and where each version arose."""

    def __init__(self, events: Sequence[PortEvent]) -> None:
        self.events = events
        self._first: list[int] = []
        self._made: dict[Assignment, list[int]] = {}  # version -> events leaving it so
        start = 0
        for i, event in enumerate(events):
            if i and _commit_key(event) != _commit_key(events[i - 1]):
                start = i
            self._first.append(start)
            if event.change.after is not None:
                self._made.setdefault(event.change.after, []).append(i)

    def first(self, index: int) -> int:
        """The first event of the commit of event ``index``: the registry "before" it."""
        return self._first[index]

    def made(self, version: Assignment, before: int) -> int | None:
        """The latest event before ``before`` that left ``version`` as it is."""
        found = self._made.get(version, [])
        at = bisect.bisect_left(found, before) - 1
        return found[at] if at >= 0 else None

    def lineage(self, entry: Assignment) -> list[tuple[int, Assignment]]:
        """The versions ``entry`` went through, oldest first: (index of the event, version).

        Walks back from the event that left it as it is now, through each version before,
        to its addition (moves included: the entry existed elsewhere, on another port).
        """
        versions: list[tuple[int, Assignment]] = []
        current: Assignment | None = entry
        bound = len(self.events)
        while current is not None and (at := self.made(current, bound)) is not None:
            versions.append((at, current))
            current, bound = self.events[at].change.before, at
        versions.reverse()
        return versions


def _commit_key(event: PortEvent) -> tuple[str, bool]:
    return (event.commit.sha, event.commit.uncommitted)


def lineage(entry: Assignment, events: Sequence[PortEvent]) -> list[tuple[int, Assignment]]:
    """The versions ``entry`` went through in ``events``, oldest first (see _HistoryIndex)."""
    return _HistoryIndex(events).lineage(entry)


def _version_before(versions: Sequence[tuple[int, Assignment]],
                    index: int) -> Assignment | None:
    """The version in effect before event ``index`` (None: not yet in the registry)."""
    at = bisect.bisect_left([i for i, _ in versions], index) - 1
    return versions[at][1] if at >= 0 else None


def conflict_began(conflict: Conflict, events: Sequence[PortEvent],
                   index: _HistoryIndex | None = None) -> Commit | None:
    """The commit from which on the two entries of ``conflict`` held the port together.

    Each commit that changed either entry is tried, newest first: if the two did not collide
    just before it, the collision began there. None when they collided as far back as the
    history reaches, or when it has nothing on them.
    """
    index = index or _HistoryIndex(events)
    first = index.lineage(conflict.earlier)
    second = index.lineage(conflict.later)
    commits = sorted({index.first(i) for i, _ in (*first, *second)}, reverse=True)
    for start in commits:
        a, b = _version_before(first, start), _version_before(second, start)
        if a is None or b is None or not assignments_conflict(a, b):
            return events[start].commit
    return None
