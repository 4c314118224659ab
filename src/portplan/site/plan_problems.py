"""What the site shows of a registry's errors between entries, and of its accepted warnings.

A registry with a conflict is still the truth of what the team has, so its site is built
(docs/site.md, "A plan with problems"): the plan page names each problem in a banner, the
table flags the rows, and each port page says which entries collide and since which commit.
The commit is found from the history: the first one from which on, without a break, both
entries as they are now (or as they were) held the port together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portplan.acceptance import AcceptedWarning
from portplan.history.model import Commit, PortEvent
from portplan.model import Assignment, PortSpan, Registry
from portplan.problems import Problem
from portplan.rules import Conflict, assignments_conflict, entry_conflicts

MAX_TRACED = 200  # collisions whose start is looked up; each walks the history once


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
        starts = _CommitStarts(events)
        collisions = tuple(
            Collision(c, conflict_began(c, events, starts) if n < MAX_TRACED else None)
            for n, c in enumerate(found))
        return cls(tuple(problems), collisions, tuple(accepted))

    def is_flagged(self, entry: Assignment) -> bool:
        return any(p.entry == entry.position for p in self.problems) or any(
            c.involves(entry) for c in self.collisions)

    def row_notes(self, entry: Assignment) -> list[str]:
        """Short plain texts for the entry's row: whom it collides with, what else is wrong."""
        notes = []
        for c in self.collisions:
            if c.involves(entry):
                other = c.conflict.later if c.conflict.earlier.position == entry.position \
                    else c.conflict.earlier
                notes.append(f"conflicts with {other.service} (line {other.position.line}) on "
                             f"{c.conflict.shared}/{'/'.join(c.conflict.protocols)}")
        return notes + [p.message for p in self.entry_problems(entry)]

    def on_port(self, span: PortSpan) -> list[Collision]:
        """The collisions on ``span``'s page: either entry holds part of it."""
        return [c for c in self.collisions
                if any(e.port is not None and e.port.overlaps(span)
                       for e in (c.conflict.earlier, c.conflict.later))]

    def entry_problems(self, entry: Assignment) -> list[Problem]:
        """The entry's own problems other than conflicts (a replaced_by naming no entry)."""
        return [p for p in self.problems
                if p.entry == entry.position and p.code != "port-conflict"]

    def accepted_by(self, entry: Assignment) -> list[AcceptedWarning]:
        return [w for w in self.accepted
                if (w.problem.entry or w.problem.position) == entry.position]


class _CommitStarts:
    """The index of the first event of each commit: the registry "before" that commit."""

    def __init__(self, events: Sequence[PortEvent]) -> None:
        self._first: list[int] = []
        start = 0
        for i, event in enumerate(events):
            if i and _commit_key(event) != _commit_key(events[i - 1]):
                start = i
            self._first.append(start)

    def first(self, index: int) -> int:
        return self._first[index]


def _commit_key(event: PortEvent) -> tuple[str, bool]:
    return (event.commit.sha, event.commit.uncommitted)


def lineage(entry: Assignment, events: Sequence[PortEvent]) -> list[tuple[int, Assignment]]:
    """The versions ``entry`` went through, oldest first: (index of the event, the version).

    Walks back from the event that left it as it is now, through each version before,
    to its addition (moves included: the entry existed elsewhere and held another port).
    """
    versions: list[tuple[int, Assignment]] = []
    current: Assignment | None = entry
    for i in range(len(events) - 1, -1, -1):
        change = events[i].change
        if current is not None and change.after is not None and change.after == current:
            versions.append((i, current))
            current = change.before
            if current is None:
                break
    versions.reverse()
    return versions


def _version_before(versions: Sequence[tuple[int, Assignment]],
                    index: int) -> Assignment | None:
    """The version in effect before event ``index`` (None: not yet in the registry)."""
    held = None
    for at, version in versions:
        if at >= index:
            break
        held = version
    return held


def conflict_began(conflict: Conflict, events: Sequence[PortEvent],
                   starts: _CommitStarts | None = None) -> Commit | None:
    """The commit from which on the two entries of ``conflict`` held the port together.

    Each commit that changed either entry is tried, newest first: if the two did not collide
    just before it, the collision began there. None when they collided as far back as the
    history reaches, or when it has nothing on them.
    """
    starts = starts or _CommitStarts(events)
    first = lineage(conflict.earlier, events)
    second = lineage(conflict.later, events)
    commits = sorted({starts.first(i) for i, _ in (*first, *second)}, reverse=True)
    for start in commits:
        a, b = _version_before(first, start), _version_before(second, start)
        if a is None or b is None or not assignments_conflict(a, b):
            return events[start].commit
    return None
