"""Rules across entries: conflicts, replacements, ranges and the warnings.

See the "Rules" section of docs/registry-format.md.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from portplan.model import (
    NOWHERE,
    Assignment,
    PortSpan,
    Position,
    Range,
    Registry,
    environments_meet,
    scopes_meet,
)
from portplan.problems import Problem, ProblemKind, Severity

LINUX_EPHEMERAL = PortSpan(32768, 60999)
IANA_DYNAMIC = PortSpan(49152, 65535)


@dataclass(frozen=True)
class Held:
    """Something that holds ports in the conflict sweep: an entry or a declared range."""

    span: PortSpan
    protocols: tuple[str, ...]
    environments: tuple[str, ...] | None
    label: str
    line: int
    column: int
    entry: Assignment | None = None


@dataclass(frozen=True)
class Conflict:
    """Two entries that hold ``shared`` for ``protocols`` where both run (the "Rules"
    of docs/registry-format.md)."""

    earlier: Assignment  # the one written first in the file
    later: Assignment
    shared: PortSpan
    protocols: tuple[str, ...]
    environments: tuple[str, ...] | None  # None: everywhere


def _between(path: str, at: Position, severity: Severity, code: str, message: str, *,
             entry: Position | None = None) -> Problem:
    return Problem(path, at.line, at.column, severity, code, message,
                   ProblemKind.BETWEEN_ENTRIES, entry)


def _name(service: str) -> str:
    """A service as quoted in a message, cut short when it is long."""
    return f"'{service}'" if len(service) <= 60 else f"'{service[:60]}...'"


MAX_PARTNERS = 5  # named conflicts per entry; a file of 30,000 copies must not report 450M


def _overlapping(items: Sequence[Held], meets: Callable[[Held, Held], bool]
                 ) -> Iterator[tuple[Held, list[Held], bool]]:
    """Each item with the earlier items (in port order) it overlaps and ``meets``.

    A sweep over spans sorted by their low port; the open spans sit in a heap by their high
    port, so each closes in O(log n). At most MAX_PARTNERS are listed per item; the flag says
    whether there were more.
    """
    ordered = sorted(items, key=lambda h: (h.span.low, h.line, h.column))
    open_spans: list[tuple[int, int, Held]] = []
    for seq, item in enumerate(ordered):
        while open_spans and open_spans[0][0] < item.span.low:
            heapq.heappop(open_spans)
        partners: list[Held] = []
        more = False
        for _, _, other in open_spans:
            if meets(other, item):
                if len(partners) == MAX_PARTNERS:
                    more = True
                    break
                partners.append(other)
        if partners:
            yield item, sorted(partners, key=lambda h: (h.line, h.column)), more
        heapq.heappush(open_spans, (item.span.high, seq, item))


def _common_environments(first: tuple[str, ...] | None,
                         second: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return first if second is None else second if first is None else tuple(
        e for e in first if e in second)


def _scope(protocols: Sequence[str], first: tuple[str, ...] | None,
           second: tuple[str, ...] | None) -> str:
    envs = _common_environments(first, second)
    where = f" in {', '.join(envs)}" if envs is not None else ""
    return f"{'/'.join(protocols)}{where}"


def assignments_conflict(a: Assignment, b: Assignment) -> bool:
    """Whether two entries conflict: ports, protocols and environments all meet."""
    return (a.port is not None and b.port is not None and a.port.overlaps(b.port)
            and bool(set(a.protocols) & set(b.protocols))
            and environments_meet(a.environments, b.environments))


def _entries_meet(a: Held, b: Held) -> bool:
    # The sweep has found the spans overlapping; the rest is Assignment.meets.
    return scopes_meet(a.protocols, a.environments, b.protocols, b.environments)


def _ranges_meet(a: Held, b: Held) -> bool:
    return bool(set(a.protocols) & set(b.protocols))


def _later_earlier(a: Held, b: Held) -> tuple[Held, Held]:
    later, earlier = sorted((a, b), key=lambda h: (h.line, h.column), reverse=True)
    return later, earlier


def _held_entries(registry: Registry) -> list[Held]:
    return [Held(a.port, a.protocols, a.environments, _name(a.service), a.position.line,
                 a.position.column, a) for a in registry.ports if a.port is not None]


def _conflict(item: Held, other: Held) -> Conflict:
    later, earlier = _later_earlier(item, other)
    if later.entry is None or earlier.entry is None:
        raise ValueError("a conflict is between two entries")
    return Conflict(earlier.entry, later.entry,
                    PortSpan(max(item.span.low, other.span.low),
                             min(item.span.high, other.span.high)),
                    tuple(p for p in item.protocols if p in other.protocols),
                    _common_environments(item.environments, other.environments))


def entry_conflicts(registry: Registry) -> list[Conflict]:
    """Every pair of conflicting entries (at most MAX_PARTNERS named per entry), in port order.

    The site names both entries of each pair; ``conflicts`` reports them as problems.
    """
    return [_conflict(item, other)
            for item, partners, _ in _overlapping(_held_entries(registry), _entries_meet)
            for other in partners]


def conflicts(registry: Registry, path: str) -> list[Problem]:
    """Entries whose ports, protocols and environments all meet; ranges that overlap."""
    problems = []
    for item, partners, more in _overlapping(_held_entries(registry), _entries_meet):
        for other in partners:
            found = _conflict(item, other)
            first, second = found.earlier, found.later
            what, verb = ("ports", "are") if found.shared.is_block else ("port", "is")
            scope = _scope(found.protocols, item.environments, other.environments)
            problems.append(_between(
                path, second.position, Severity.ERROR, "port-conflict",
                f"{what} {found.shared}/{scope} {verb} held by both {_name(first.service)} "
                f"(line {first.position.line}) and {_name(second.service)} (line "
                f"{second.position.line}); give one of them another port (`portplan free` "
                "suggests one), or split them by protocol or environments",
                entry=second.position))
        if more:
            problems.append(_between(
                path, Position(item.line, item.column), Severity.ERROR, "port-conflict",
                f"{item.label} (line {item.line}) conflicts with more than {MAX_PARTNERS} "
                f"entries on {item.span}; only the first {MAX_PARTNERS} are named: give it "
                "another port", entry=Position(item.line, item.column)))
    ranges = [Held(r.span, r.protocols, None, f"range {r.span} ({r.purpose[:60]})", r.position.line,
                   r.position.column) for r in registry.ranges]
    for item, partners, _ in _overlapping(ranges, _ranges_meet):
        for other in partners:
            later, earlier = _later_earlier(item, other)
            problems.append(_between(
                path, Position(later.line, later.column), Severity.ERROR, "range-conflict",
                f"{later.label} overlaps {earlier.label} on line {earlier.line}; declared "
                "ranges may not overlap: shrink or merge them"))
    return problems


def replacements(registry: Registry, path: str) -> list[Problem]:
    """``replaced_by`` must name a port that some entry holds."""
    singles = {a.port.low for a in registry.ports if a.port is not None and not a.port.is_block}
    blocks = [a.port for a in registry.ports if a.port is not None and a.port.is_block]
    problems = []
    for a in registry.ports:
        target = a.deprecation.replaced_by if a.deprecation else None
        if target is None or a.deprecation is None:
            continue
        where = a.deprecation.replaced_by_position
        if where == NOWHERE:
            where = a.position
        if a.port is not None and target.overlaps(a.port):
            problems.append(_between(
                path, where, Severity.ERROR, "self-replacement",
                f"{_name(a.service)} is replaced_by port {target}, which it holds itself; name "
                "the port that takes over, or remove replaced_by", entry=a.position))
            continue
        if target.is_block:
            known = any(target.overlaps(p) for p in [*blocks, *map(PortSpan.single, singles)])
        else:
            known = target.low in singles or any(target.overlaps(b) for b in blocks)
        if not known:
            problems.append(_between(
                path, where, Severity.ERROR, "unknown-replacement",
                f"{_name(a.service)} is replaced_by port {target}, which is not in the "
                f"registry; add an entry for {target} first, or fix replaced_by", entry=a.position))
    return problems


def _range_warnings(a: Assignment, port: PortSpan, ranges: Sequence[Range],
                    path: str) -> Iterator[Problem]:
    inside = [r for r in ranges if r.span.contains(port)]
    # The same numbers may be declared once per protocol: warn only when no block fits.
    if any(set(a.protocols) & set(r.protocols) for r in inside):
        return
    for r in inside:
        yield _between(
            path, a.position, Severity.WARNING, "range-protocol-mismatch",
            f"port {a.port}/{'/'.join(a.protocols)} of {_name(a.service)} lies in range {r.span} "
            f"({r.purpose[:60]}), which is for {'/'.join(r.protocols)}; move the port, or fix "
            "the protocols", entry=a.position)


EPHEMERAL = (("the Linux ephemeral range 32768-60999", LINUX_EPHEMERAL),
             ("the IANA dynamic range 49152-65535", IANA_DYNAMIC))


def warnings(registry: Registry, path: str) -> list[Problem]:
    """Ephemeral ports and ports in a range for other protocols."""
    problems = []
    for a in registry.ports:
        if a.port is None:
            continue
        inside = [name for name, span in EPHEMERAL if a.port.overlaps(span)]
        if inside:
            problems.append(_between(
                path, a.position, Severity.WARNING, "ephemeral-port",
                f"port {a.port} of {_name(a.service)} is in {' and '.join(inside)}, where the OS "
                "hands out client ports; pick a port below 32768 (`portplan free`)",
                entry=a.position))
        problems += _range_warnings(a, a.port, registry.ranges, path)
    return problems


def shared_variables(registry: Registry, path: str) -> list[Problem]:
    """One ``env_var`` on two ports where both run: a deployment cannot set it to both."""
    problems = []
    seen: dict[str, list[Assignment]] = {}
    for a in registry.ports:
        if a.env_var is None or a.port is None:
            continue
        for other in seen.setdefault(a.env_var, []):
            if other.port != a.port and environments_meet(other.environments, a.environments):
                problems.append(_between(
                    path, a.position, Severity.WARNING, "duplicate-env-var",
                    f"env_var {a.env_var} of {_name(a.service)} (port {a.port}) also configures "
                    f"{_name(other.service)} (port {other.port}, line {other.position.line}) in "
                    "the same environments; give each its own variable, or split them by "
                    "environments", entry=a.position))
                break
        seen[a.env_var].append(a)
    return problems


def check_rules(registry: Registry, path: str) -> list[Problem]:
    """Every cross-entry problem of ``registry``."""
    return (conflicts(registry, path) + replacements(registry, path)
            + warnings(registry, path) + shared_variables(registry, path))
