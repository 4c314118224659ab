"""Rules across entries (SPEC §1): conflicts, replacements, ranges and the warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from portplan.model import Assignment, PortSpan, Range, Registry
from portplan.problems import Problem, Severity

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


def scope(a: Assignment) -> str:
    protocols = "/".join(a.protocols)
    where = "all environments" if a.environments is None else ", ".join(a.environments)
    return f"{protocols} in {where}"


def _overlapping(items: Sequence[Held]) -> Iterator[tuple[Held, Held]]:
    """Pairs whose spans overlap, by a sweep over spans sorted by their low port."""
    ordered = sorted(items, key=lambda h: (h.span.low, h.line))
    open_items: list[Held] = []
    for item in ordered:
        open_items = [o for o in open_items if o.span.high >= item.span.low]
        for other in open_items:
            yield other, item
        open_items.append(item)


def _environments_meet(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> bool:
    return a is None or b is None or bool(set(a) & set(b))


def conflicts(registry: Registry, path: str) -> list[Problem]:
    held = [Held(a.port, a.protocols, a.environments, f"'{a.service}'", a.position.line,
                 a.position.column) for a in registry.ports if a.port is not None]
    problems = []
    for first, second in _overlapping(held):
        common = [p for p in second.protocols if p in first.protocols]
        if not common or not _environments_meet(first.environments, second.environments):
            continue
        shared = PortSpan(max(first.span.low, second.span.low),
                          min(first.span.high, second.span.high))
        later, earlier = sorted((first, second), key=lambda h: (h.line, h.column), reverse=True)
        problems.append(Problem(
            path, later.line, later.column, Severity.ERROR, "port-conflict",
            f"port {shared}/{'/'.join(common)} is held by both {earlier.label} (line "
            f"{earlier.line}) and {later.label} (line {later.line}); give one of them another "
            "port (`portplan free` suggests one), or split them by protocol or environments"))
    ranges = [Held(r.span, r.protocols, None, f"range {r.span} ({r.purpose})", r.position.line,
                   r.position.column) for r in registry.ranges]
    for first, second in _overlapping(ranges):
        if set(first.protocols) & set(second.protocols):
            later, earlier = sorted((first, second), key=lambda h: h.line, reverse=True)
            problems.append(Problem(
                path, later.line, later.column, Severity.ERROR, "range-conflict",
                f"{later.label} overlaps {earlier.label} on line {earlier.line}; declared "
                "ranges may not overlap: shrink or merge them"))
    return problems


def replacements(registry: Registry, path: str) -> list[Problem]:
    known = [a.port for a in registry.ports if a.port is not None]
    problems = []
    for a in registry.ports:
        target = a.deprecation.replaced_by if a.deprecation else None
        if target is not None and not any(target.overlaps(p) for p in known):
            problems.append(Problem(
                path, a.position.line, a.position.column, Severity.ERROR, "unknown-replacement",
                f"'{a.service}' is replaced_by port {target}, which is not in the registry; add "
                f"an entry for {target} first, or fix replaced_by"))
    return problems


def _range_warnings(a: Assignment, port: PortSpan, ranges: Sequence[Range],
                    path: str) -> Iterator[Problem]:
    for r in ranges:
        if r.span.contains(port) and not set(a.protocols) & set(r.protocols):
            yield Problem(
                path, a.position.line, a.position.column, Severity.WARNING,
                "range-protocol-mismatch",
                f"port {a.port}/{'/'.join(a.protocols)} of '{a.service}' lies in range {r.span} "
                f"({r.purpose}), which is for {'/'.join(r.protocols)}; move the port or fix "
                "the protocols")


def warnings(registry: Registry, path: str, today: dt.date) -> list[Problem]:
    problems = []
    for a in registry.ports:
        if a.port is not None:
            for name, dynamic in (("IANA dynamic/private range 49152-65535", IANA_DYNAMIC),
                                  ("Linux ephemeral range 32768-60999", LINUX_EPHEMERAL)):
                if a.port.overlaps(dynamic):
                    problems.append(Problem(
                        path, a.position.line, a.position.column, Severity.WARNING,
                        "ephemeral-port",
                        f"port {a.port} of '{a.service}' is in the {name}, where the OS hands "
                        "out client ports; pick a port below 32768 (`portplan free`)"))
                    break
            problems += _range_warnings(a, a.port, registry.ranges, path)
        remove_after = a.deprecation.remove_after if a.deprecation else None
        if remove_after is not None and remove_after < today:
            problems.append(Problem(
                path, a.position.line, a.position.column, Severity.WARNING,
                "remove-after-passed",
                f"'{a.service}' was to be removed after {remove_after.isoformat()}; remove the "
                "entry, or push remove_after back"))
    return problems


def check_rules(registry: Registry, path: str, *, today: dt.date | None = None) -> list[Problem]:
    """Every cross-entry problem of ``registry``."""
    return (conflicts(registry, path) + replacements(registry, path)
            + warnings(registry, path, today or dt.date.today()))
