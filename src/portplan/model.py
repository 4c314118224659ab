"""The registry as immutable records: what `ports.yaml` says, with no YAML left in it."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

PROTOCOLS = ("tcp", "udp", "sctp")
TEXT_FIELDS = ("name", "location", "command", "description", "owner", "contact", "role", "bind",
               "env_var")

# POSIX variable names: `check` warns about any other env_var, and exports skip them.
ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

MetaValue = str | int | float | bool


def meta_text(value: MetaValue) -> str:
    """A meta value as text: booleans as YAML and JSON spell them (``true``), not ``True``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Status(StrEnum):
    """The life-cycle state of an assignment."""

    ACTIVE = "active"
    PLANNED = "planned"
    RESERVED = "reserved"
    DEPRECATED = "deprecated"


@dataclass(frozen=True, order=True)
class PortSpan:
    """One port (``low == high``) or an inclusive block of ports ``low-high``."""

    low: int
    high: int

    @classmethod
    def single(cls, port: int) -> PortSpan:
        return cls(port, port)

    @property
    def is_block(self) -> bool:
        return self.low != self.high

    def overlaps(self, other: PortSpan) -> bool:
        return self.low <= other.high and other.low <= self.high

    def contains(self, other: PortSpan) -> bool:
        return self.low <= other.low and other.high <= self.high

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.low, self.high + 1))

    def __len__(self) -> int:
        return self.high - self.low + 1

    def __str__(self) -> str:
        return f"{self.low}-{self.high}" if self.is_block else str(self.low)

    @property
    def slug(self) -> str:
        """The path segment of the port's page: ``8090`` or ``8020-8029``."""
        return str(self)

    def as_json(self) -> int | str:
        """An int for one port, ``"LOW-HIGH"`` for a block (the event shape of docs/history.md)."""
        return str(self) if self.is_block else self.low


# PortSpan's own order as a sort key: the same order, with the tuples compared in C rather
# than by the dataclass's __lt__ in Python (a site sorts thousands of spans).
SPAN_ORDER = operator.attrgetter("low", "high")


def environments_meet(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> bool:
    """Whether two entries run together somewhere; no list means every environment."""
    return a is None or b is None or bool(set(a) & set(b))


def scopes_meet(protocols: tuple[str, ...], environments: tuple[str, ...] | None,
                other_protocols: tuple[str, ...],
                other_environments: tuple[str, ...] | None) -> bool:
    """A protocol in common, in an environment in common (docs/registry-format.md)."""
    return bool(set(protocols) & set(other_protocols)) and environments_meet(
        environments, other_environments)


@dataclass(frozen=True)
class Position:
    """A 1-based place in the registry file."""

    line: int
    column: int


NOWHERE = Position(0, 0)


@dataclass(frozen=True)
class Deprecation:
    note: str
    replaced_by: PortSpan | None = None
    since: dt.date | None = None
    remove_after: dt.date | None = None
    # Where ``replaced_by`` is written, so that a rule about it points there.
    replaced_by_position: Position = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class External:
    """How a port is reached from outside, usually through a reverse proxy."""

    port: int | None = None
    via: str | None = None
    host: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = f"{self.host or ''}{':' + str(self.port) if self.port else ''}{self.path or ''}"
        return f"{where} via {self.via}" if self.via else where


@dataclass(frozen=True)
class Assignment:
    """One entry of ``ports:``: a service holding a port (or no port) for some protocols."""

    service: str
    port: PortSpan | None = None
    protocols: tuple[str, ...] = ("tcp",)
    status: Status = Status.ACTIVE
    name: str | None = None
    location: str | None = None
    command: str | None = None
    description: str | None = None
    owner: str | None = None
    contact: str | None = None
    environments: tuple[str, ...] | None = None
    role: str | None = None
    bind: str | None = None
    env_var: str | None = None
    external: External | None = None
    links: tuple[tuple[str, str], ...] = ()
    deprecation: Deprecation | None = None
    meta: tuple[tuple[str, MetaValue], ...] = ()
    accepts: tuple[tuple[str, str], ...] = ()  # warning code -> why it is fine (``accept:``)
    position: Position = field(default=NOWHERE, compare=False, repr=False)

    @property
    def key(self) -> tuple[PortSpan | None, tuple[str, ...], tuple[str, ...] | None]:
        """What identifies an assignment across versions (docs/history.md)."""
        return (self.port, self.protocols, self.environments)

    @property
    def is_deprecated(self) -> bool:
        return self.status is Status.DEPRECATED

    def meets(self, other: Assignment) -> bool:
        """Both hold some port for some protocol in some environment: the conflict rule.

        >>> Assignment("A", PortSpan(80, 89)).meets(Assignment("B", PortSpan.single(85)))
        True
        """
        return (self.port is not None and other.port is not None
                and self.port.overlaps(other.port)
                and scopes_meet(self.protocols, self.environments,
                                other.protocols, other.environments))

    def fields(self) -> dict[str, object]:
        """A flat, JSON-ready view for diffs: nested mappings become dotted keys.

        >>> Assignment("Grafana", PortSpan.single(3000)).fields()["port"]
        3000
        """
        flat: dict[str, object] = {
            "port": self.port.as_json() if self.port else None,
            "protocol": list(self.protocols),
            "service": self.service,
            "status": self.status.value,
            "environments": list(self.environments) if self.environments is not None else None,
        }
        for name in TEXT_FIELDS:
            flat[name] = getattr(self, name)
        if self.external:
            for name in ("port", "via", "host", "path"):
                flat[f"external.{name}"] = getattr(self.external, name)
        if self.deprecation:
            d = self.deprecation
            flat["deprecation.note"] = d.note
            flat["deprecation.replaced_by"] = d.replaced_by.as_json() if d.replaced_by else None
            flat["deprecation.since"] = d.since.isoformat() if d.since else None
            flat["deprecation.remove_after"] = (d.remove_after.isoformat() if d.remove_after
                                                else None)
        for label, url in self.links:
            flat[f"links.{label}"] = url
        for key, value in self.meta:
            flat[f"meta.{key}"] = value
        for code, reason in self.accepts:
            flat[f"accept.{code}"] = reason
        return {k: v for k, v in flat.items() if v is not None or k in ("port", "environments")}

    def as_json(self) -> dict[str, object]:
        """The entry as ports.yaml spells it, for ``ports.json`` and ``export --format json``."""
        out: dict[str, object] = {
            "port": self.port.as_json() if self.port else None,
            "protocol": self.protocols[0] if len(self.protocols) == 1 else list(self.protocols),
            "service": self.service,
            "status": self.status.value,
        }
        for name in TEXT_FIELDS:
            if (value := getattr(self, name)) is not None:
                out[name] = value
        if self.environments is not None:
            out["environments"] = list(self.environments)
        if self.external:
            out["external"] = {k: v for k in ("port", "via", "host", "path")
                               if (v := getattr(self.external, k)) is not None}
        if self.links:
            out["links"] = dict(self.links)
        if self.deprecation:
            d = self.deprecation
            out["deprecation"] = {"note": d.note} | {
                k: v for k, v in (
                    ("replaced_by", d.replaced_by.as_json() if d.replaced_by else None),
                    ("since", d.since.isoformat() if d.since else None),
                    ("remove_after", d.remove_after.isoformat() if d.remove_after else None),
                ) if v is not None}
        if self.meta:
            out["meta"] = dict(self.meta)
        if self.accepts:
            out["accept"] = dict(self.accepts)
        return out


@dataclass(frozen=True)
class Range:
    """A block set aside for a purpose; entries of ``ports:`` may sit inside it."""

    span: PortSpan
    purpose: str
    protocols: tuple[str, ...] = ("tcp",)
    owner: str | None = None
    position: Position = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Registry:
    version: int = 1
    ports: tuple[Assignment, ...] = ()
    ranges: tuple[Range, ...] = ()
    imported_from: str | None = None  # the Markdown plan this registry was imported from

    def with_port(self) -> list[Assignment]:
        """Entries holding a port, sorted by port then protocol (the table's order)."""
        held = [a for a in self.ports if a.port is not None]
        return sorted(held, key=lambda a: (a.port, a.protocols, a.environments or ()))

    def without_port(self) -> list[Assignment]:
        return [a for a in self.ports if a.port is None]

