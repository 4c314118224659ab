"""`portplan check --base REF`: is this change to the registry safe against REF?

- An entry that was ``active`` at REF may not vanish without first being deprecated (error):
  clients still connect to it. Entries without a port, and planned or reserved ones, may go.
- Reusing a port that REF had deprecated, or that left the registry less than 90 days before
  today, is a warning: stale clients may still connect to it. "Left" means removed, or moved
  away, on REF's first-parent line, dated by the history (docs/history.md).
- Moving an active entry straight to another port, and giving a port to another service in
  place, are warnings too: both leave the old clients without a deprecation period.

The rules are a pure function (:func:`base_problems`); :func:`check_against_base` reads REF and
the history from git.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from portplan.history import read_history
from portplan.history.events import diff_registries
from portplan.history.model import EventKind
from portplan.model import NOWHERE, Assignment, Position, Registry, Status
from portplan.problems import Problem, Severity
from portplan.revisions import base_registry, repo_path, resolve_commit

REUSE_QUARANTINE = dt.timedelta(days=90)


@dataclass(frozen=True)
class Departure:
    """An assignment that left its port on the base line, and when."""

    assignment: Assignment
    date: dt.date
    how: str  # "removed" or "moved to 8020"


def _label(a: Assignment) -> str:
    envs = f" in {', '.join(a.environments)}" if a.environments else ""
    return f"'{a.service}' ({a.port}/{'/'.join(a.protocols)}{envs})"


def _where_it_was(base: Sequence[Assignment], index: int, current: Registry) -> Position:
    """A place in the current file for an entry that is gone: where its neighbour now is."""
    here = {a: a.position for a in current.ports}
    for neighbour in [*base[index + 1:], *reversed(base[:index])]:
        if neighbour in here:
            return here[neighbour]
    return current.ports[0].position if current.ports else NOWHERE


_Finding = tuple[Position, Severity, str, str]


def base_problems(base: Sequence[Assignment], current: Registry, *, base_label: str,
                  path: str = "ports.yaml", departures: Sequence[Departure] = (),
                  today: dt.date | None = None) -> list[Problem]:
    """The problems of going from ``base`` to ``current`` (see the module docstring)."""
    findings = [*_vanished(base, current, base_label),
                *_reused(base, current, base_label, departures, today or dt.date.today())]
    return [Problem(path, *((at.line, at.column) if at != NOWHERE else (1, 1)), severity, code,
                    message) for at, severity, code, message in findings]


def _vanished(base: Sequence[Assignment], current: Registry,
              base_label: str) -> Iterator[_Finding]:
    """Active entries of the base that left their port without a deprecation period."""
    for change in diff_registries(base, current.ports):
        before, after = change.before, change.after
        if before is None or before.port is None or before.status is not Status.ACTIVE:
            continue
        if change.kind is EventKind.REMOVED:
            yield (_where_it_was(base, list(base).index(before), current), Severity.ERROR,
                   "removed-without-deprecation",
                   f"{_label(before)} was active at {base_label} and is removed without being "
                   f"deprecated first; put it back, run `portplan deprecate {before.port} "
                   "--note \"<how clients migrate>\"`, merge that, and remove the entry in a "
                   "later change")
        elif change.kind is EventKind.MOVED and after is not None:
            yield (after.position, Severity.WARNING, "moved-without-deprecation",
                   f"{_label(before)} moves to {after.port} without a deprecation period; "
                   f"clients of {before.port} break at once; consider keeping {before.port} "
                   f"deprecated with replaced_by: {after.port} for a while")
        elif (after is not None and after.service != before.service
              and before.port == after.port):
            yield (after.position, Severity.WARNING, "port-reuse",
                   f"port {after.port} passes from '{before.service}' (active at {base_label}) "
                   f"to '{after.service}'; if '{before.service}' was renamed, ignore this; if it "
                   "was retired, deprecate it first and give the new service a free port "
                   "(`portplan free`)")


def _reused(base: Sequence[Assignment], current: Registry, base_label: str,
            departures: Sequence[Departure], today: dt.date) -> Iterator[_Finding]:
    """New holders of a port the base has deprecated, or that was left less than 90 days ago."""
    for entry in current.ports:
        if entry.port is None or any(entry.meets(b) and b.service == entry.service
                                     for b in base):
            continue  # not a new holder of its port
        deprecated = next((b for b in base if b.is_deprecated and entry.meets(b)
                           and b.service != entry.service), None)
        if deprecated is not None:
            note = deprecated.deprecation.note if deprecated.deprecation else ""
            yield (entry.position, Severity.WARNING, "port-reuse",
                   f"{_label(entry)} reuses a port that {base_label} has deprecated for "
                   f"'{deprecated.service}' ({note.strip()}); clients may still connect to it; "
                   "prefer a free port (`portplan free`)")
            continue
        recent = [d for d in departures if entry.meets(d.assignment)
                  and d.assignment.service != entry.service
                  and today - d.date < REUSE_QUARANTINE]
        if recent:
            last = max(recent, key=lambda d: d.date)
            days = (today - last.date).days
            # A commit date after today (a skewed clock, a clamped year 10000) is still recent.
            when = f"{days} days ago" if days >= 0 else "on a date after today"
            until = last.date + REUSE_QUARANTINE \
                if last.date <= dt.date.max - REUSE_QUARANTINE else dt.date.max
            yield (entry.position, Severity.WARNING, "port-reuse",
                   f"{_label(entry)} reuses a port that '{last.assignment.service}' left "
                   f"{when} ({last.how} on {last.date.isoformat()}); wait until "
                   f"{until.isoformat()} or pick a free port "
                   "(`portplan free`): stale clients may still connect to it")


def departures_from_history(repo: Path, registry: Path, base_sha: str) -> tuple[
        list[Departure], list[str]]:
    """Ports that were left on ``base_sha``'s first-parent line, and notices about the history."""
    history = read_history(repo, registry, include_worktree=False, rev=base_sha)
    found = []
    for event in history.events:
        before = event.change.before
        if before is None or before.port is None:
            continue
        if event.kind is EventKind.REMOVED:
            found.append(Departure(before, event.commit.date.date(), "removed"))
        elif event.kind is EventKind.MOVED and event.to_port is not None:
            found.append(Departure(before, event.commit.date.date(),
                                   f"moved to {event.to_port}"))
    return found, list(history.notices)


def check_against_base(repo_dir: Path | str, registry_path: Path | str, base_ref: str,
                       current: Registry, *, path: str | None = None,
                       today: dt.date | None = None) -> list[Problem]:
    """The problems of the change from ``base_ref`` to ``current`` (the registry as it is now).

    ``registry_path`` is relative to ``repo_dir`` unless absolute. A registry renamed since
    ``base_ref`` (committed or staged) is read at its old path there. Raises PortplanError
    (exit 2) when ``base_ref`` is not a commit here; a base version that does not load is one
    ``base-unreadable`` warning instead, because the change being checked may be its repair.

    >>> check_against_base(".", "ports.yaml", "origin/main", loaded.registry)  # doctest: +SKIP
    """
    file = Path(registry_path)
    if not file.is_absolute():
        file = Path(repo_dir) / file
    repo, inside = repo_path(file)
    base_sha = resolve_commit(repo, base_ref)
    base = base_registry(repo, base_sha, inside)
    label = path or str(registry_path)
    if base.unreadable is not None:
        return [Problem(label, 1, 1, Severity.WARNING, "base-unreadable",
                        f"the registry at {base_ref} ({base.path}) could not be read, so the "
                        f"checks against {base_ref} (removals, port reuse) were skipped; "
                        f"reason: {base.unreadable}")]
    departures, notices = departures_from_history(repo, repo / base.path, base_sha)
    problems = base_problems(base.assignments, current, base_label=base_ref, path=label,
                             departures=departures, today=today)
    problems += [Problem(label, 1, 1, Severity.WARNING, "history-incomplete",
                         f"{notice}; reuse of recently freed ports was not checked fully")
                 for notice in notices if "incomplete" in notice or "unavailable" in notice]
    return problems
