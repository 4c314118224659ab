"""Which ports are free to assign: the core of `portplan free`."""

from __future__ import annotations

from dataclasses import dataclass

from portplan.model import PortSpan, Registry
from portplan.registry.rules import IANA_DYNAMIC, LINUX_EPHEMERAL

# Above the privileged ports, below every ephemeral range: where new services usually go.
DEFAULT_WINDOW = PortSpan(1024, LINUX_EPHEMERAL.low - 1)
EPHEMERAL = (LINUX_EPHEMERAL, IANA_DYNAMIC)


@dataclass(frozen=True)
class FreePorts:
    """The suggestion, and why ports in the window were passed over (for the message)."""

    ports: tuple[int, ...]
    window: PortSpan
    protocol: str
    held: int = 0
    ephemeral: int = 0
    in_ranges: tuple[str, ...] = ()


def find_free(registry: Registry, window: PortSpan = DEFAULT_WINDOW, *, protocol: str = "tcp",
              count: int = 1) -> FreePorts:
    """The lowest ``count`` ports in ``window`` that nothing holds for ``protocol``.

    Every entry holds its port whatever its status (clients of a deprecated or planned port may
    still connect to it) and in every environment. Ports in the ephemeral ranges are never
    offered. Ports inside a declared ``ranges:`` block are kept for that block's purpose, unless
    the window lies within that block (you asked for a port of that purpose).

    >>> find_free(Registry(), PortSpan(8000, 8099)).ports
    (8000,)
    """
    taken: set[int] = set()
    for entry in registry.ports:
        if entry.port is not None and protocol in entry.protocols and entry.port.overlaps(window):
            taken.update(range(max(entry.port.low, window.low),
                               min(entry.port.high, window.high) + 1))
    reserved_for: list[PortSpan] = []
    skipped_ranges = []
    for declared in registry.ranges:
        if (protocol in declared.protocols and declared.span.overlaps(window)
                and not declared.span.contains(window)):
            reserved_for.append(declared.span)
            skipped_ranges.append(f"{declared.span} ({declared.purpose})")
    found: list[int] = []
    ephemeral = 0
    for port in window:
        if any(span.low <= port <= span.high for span in EPHEMERAL):
            ephemeral += 1
            continue
        if port in taken or any(span.low <= port <= span.high for span in reserved_for):
            continue
        found.append(port)
        if len(found) == count:
            break
    return FreePorts(tuple(found), window, protocol, held=len(taken), ephemeral=ephemeral,
                     in_ranges=tuple(skipped_ranges))
