"""A service by any name it ever had: the names a rename in place links together.

A rename in place (pass 4: same port and scope, another service) carries the service's
old and new name in its ``service`` change; ``portplan history NAME`` and the site's search
follow those links, so last year's name still finds this year's entry (docs/history.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from portplan.history.model import PortEvent


def _holders(event: PortEvent) -> Iterable[str]:
    for entry in (event.change.before, event.change.after):
        if entry is not None:
            yield entry.service


def names_of(events: Sequence[PortEvent], name: str) -> set[str]:
    """Every name (casefolded) linked to ``name`` by renames in ``events``; empty if unknown."""
    wanted = name.strip().casefold()
    links: dict[str, set[str]] = {}
    known: set[str] = set()
    for event in events:
        known.update(n.casefold() for n in _holders(event))
        renamed = event.change.changes.get("service")
        if renamed is not None:
            old, new = (str(n).casefold() for n in renamed)
            links.setdefault(old, set()).add(new)
            links.setdefault(new, set()).add(old)
    if wanted not in known:
        return set()
    found, todo = {wanted}, [wanted]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def service_events(events: Sequence[PortEvent], name: str) -> list[PortEvent]:
    """The events of the service called ``name`` now or at any time before (any case)."""
    names = names_of(events, name)
    return [e for e in events if any(n.casefold() in names for n in _holders(e))]


def former_names(events: Iterable[PortEvent], current: Iterable[str]) -> list[str]:
    """The services these events show that are not among ``current``, first seen first."""
    now = {n.casefold() for n in current}
    seen: dict[str, str] = {}
    for event in events:
        for holder in _holders(event):
            if holder.casefold() not in now:
                seen.setdefault(holder.casefold(), holder)
    return list(seen.values())
