"""Rules across entries (SPEC §1): conflicts, replacements, ranges and the warnings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from portplan.model import Assignment, PortSpan, Position, Range, Registry
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


def _scope(protocols: Sequence[str], first: tuple[str, ...] | None,
           second: tuple[str, ...] | None) -> str:
    envs = first if second is None else second if first is None else tuple(
        e for e in first if e in second)
    where = f" in {', '.join(envs)}" if envs is not None else ""
    return f"{'/'.join(protocols)}{where}"


def conflicts(registry: Registry, path: str) -> list[Problem]:
    """Entries whose ports, protocols and environments all meet; ranges that overlap."""
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
        what = "port" if not shared.is_block else "ports"
        problems.append(Problem(
            path, later.line, later.column, Severity.ERROR, "port-conflict",
            f"{what} {shared}/{_scope(common, first.environments, second.environments)} "
            f"is held by both {earlier.label} (line {earlier.line}) and {later.label} (line "
            f"{later.line}); give one of them another port (`portplan free` suggests one), or "
            "split them by protocol or environments"))
    ranges = [Held(r.span, r.protocols, None, f"range {r.span} ({r.purpose})", r.position.line,
                   r.position.column) for r in registry.ranges]
    for first, second in _overlapping(ranges):
        if set(first.protocols) & set(second.protocols):
            later, earlier = sorted((first, second), key=lambda h: (h.line, h.column),
                                    reverse=True)
            problems.append(Problem(
                path, later.line, later.column, Severity.ERROR, "range-conflict",
                f"{later.label} overlaps {earlier.label} on line {earlier.line}; declared "
                "ranges may not overlap: shrink or merge them"))
    return problems


def replacements(registry: Registry, path: str,
                 replaced_by_at: Mapping[int, Position] | None = None) -> list[Problem]:
    """``replaced_by`` must name a port that some entry holds."""
    singles = {a.port.low for a in registry.ports if a.port is not None and not a.port.is_block}
    blocks = [a.port for a in registry.ports if a.port is not None and a.port.is_block]
    problems = []
    for index, a in enumerate(registry.ports):
        target = a.deprecation.replaced_by if a.deprecation else None
        if target is None:
            continue
        if target.is_block:
            known = any(target.overlaps(p) for p in [*blocks, *map(PortSpan.single, singles)])
        else:
            known = target.low in singles or any(target.overlaps(b) for b in blocks)
        if not known:
            where = (replaced_by_at or {}).get(index, a.position)
            problems.append(Problem(
                path, where.line, where.column, Severity.ERROR, "unknown-replacement",
                f"'{a.service}' is replaced_by port {target}, which is not in the registry; add "
                f"an entry for {target} first, or fix replaced_by"))
    return problems


def _range_warnings(a: Assignment, port: PortSpan, ranges: Sequence[Range],
                    path: str) -> Iterator[Problem]:
    inside = [r for r in ranges if r.span.contains(port)]
    # The same numbers may be declared once per protocol: warn only when no block fits.
    if any(set(a.protocols) & set(r.protocols) for r in inside):
        return
    for r in inside:
        yield Problem(
            path, a.position.line, a.position.column, Severity.WARNING,
            "range-protocol-mismatch",
            f"port {a.port}/{'/'.join(a.protocols)} of '{a.service}' lies in range {r.span} "
            f"({r.purpose}), which is for {'/'.join(r.protocols)}; move the port, or fix "
            "the protocols")


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
            problems.append(Problem(
                path, a.position.line, a.position.column, Severity.WARNING,
                "ephemeral-port",
                f"port {a.port} of '{a.service}' is in {' and '.join(inside)}, where the OS "
                "hands out client ports; pick a port below 32768 (`portplan free`)"))
        problems += _range_warnings(a, a.port, registry.ranges, path)
    return problems


def check_rules(registry: Registry, path: str, *,
                replaced_by_at: Mapping[int, Position] | None = None) -> list[Problem]:
    """Every cross-entry problem of ``registry``.

    ``replaced_by_at`` maps an entry's index to where its ``replaced_by`` is written, so the
    message points there rather than at the entry's port.
    """
    return (conflicts(registry, path) + replacements(registry, path, replaced_by_at)
            + warnings(registry, path))
