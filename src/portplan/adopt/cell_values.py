"""What the words in a plan's cells mean: ports, statuses, protocols, environments.

These read the text of one cell (its structure already taken apart by the Markdown parser),
so small patterns over a few words are enough here.

>>> read_ports("9100, 9101")
PortCell(spans=(PortSpan(low=9100, high=9101),), protocols=(), status=None, unread='')
>>> read_ports("TBD").status
<Status.PLANNED: 'planned'>
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portplan.model import PROTOCOLS, PortSpan, Status

# Cells that hold no port, and what they say about the entry.
_NO_PORT: dict[str, Status | None] = {
    "": None, "-": None, "\u2013": None, "\u2014": None, "n/a": None, "na": None,
    "none": None, "no port": None, "no default port": None, "nil": None, "x": None,
    "tbd": Status.PLANNED, "tba": Status.PLANNED, "?": Status.PLANNED, "planned": Status.PLANNED,
    "todo": Status.PLANNED, "pending": Status.PLANNED, "reserved": Status.RESERVED,
}
# Cells that say the port is not fixed: no port in the registry, the words kept in meta.
_VARIES = ("varies", "variable", "dynamic", "random", "ephemeral", "any", "auto", "configurable")

STATUS_WORDS: dict[str, Status] = {
    "active": Status.ACTIVE, "in use": Status.ACTIVE, "used": Status.ACTIVE,
    "live": Status.ACTIVE, "current": Status.ACTIVE, "assigned": Status.ACTIVE,
    "allocated": Status.ACTIVE, "ok": Status.ACTIVE, "yes": Status.ACTIVE,
    "running": Status.ACTIVE, "production": Status.ACTIVE, "prod": Status.ACTIVE,
    "planned": Status.PLANNED, "plan": Status.PLANNED, "proposed": Status.PLANNED,
    "future": Status.PLANNED, "tbd": Status.PLANNED, "todo": Status.PLANNED,
    "pending": Status.PLANNED, "requested": Status.PLANNED, "wip": Status.PLANNED,
    "reserved": Status.RESERVED, "hold": Status.RESERVED, "on hold": Status.RESERVED,
    "held": Status.RESERVED, "blocked": Status.RESERVED,
    "deprecated": Status.DEPRECATED, "retired": Status.DEPRECATED,
    "legacy": Status.DEPRECATED, "obsolete": Status.DEPRECATED, "removed": Status.DEPRECATED,
    "decommissioned": Status.DEPRECATED, "unused": Status.DEPRECATED,
    "sunset": Status.DEPRECATED, "moved": Status.DEPRECATED, "freed": Status.DEPRECATED,
}
# "(dev)" after a service names its environment; these words are taken as environments.
ENVIRONMENT_WORDS = {
    "dev": "dev", "development": "dev", "local": "local", "test": "test", "testing": "test",
    "qa": "qa", "ci": "ci", "staging": "staging", "stage": "staging", "preprod": "preprod",
    "pre-prod": "preprod", "uat": "uat", "prod": "production", "production": "production",
    "devnet": "devnet", "testnet": "testnet", "mainnet": "mainnet", "sandbox": "sandbox",
}
_EVERYWHERE = {"", "-", "all", "any", "*", "everywhere", "every", "both", "all environments"}

_PORT = r"(\d{1,5})"
_SPAN = re.compile(rf"(?<![\w.]):?{_PORT}(?:\s*(?:-|\u2013|\u2014|\.\.|to)\s*:?{_PORT})?(?!\w)")
_PROTOCOL = re.compile(r"\b(tcp|udp|sctp)\b", re.IGNORECASE)
_QUALIFIER = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_SPLIT = re.compile(r"\s*(?:,|;|/|\+|&|\band\b)\s*")


@dataclass(frozen=True)
class PortCell:
    spans: tuple[PortSpan, ...]  # none: a port-less entry
    protocols: tuple[str, ...]  # named in the cell (``8125/udp``), else ()
    status: Status | None  # what the cell says of the entry (``TBD``: planned)
    unread: str  # the cell's words when they name no port ("Varies"), kept in meta


def read_ports(text: str) -> PortCell:
    """Ports, ranges and lists in one cell: ``8080``, ``10300-10313``, ``9100, 9101``.

    Adjacent single ports in a list stay separate entries unless the cell writes a range.
    """
    words = text.strip()
    lowered = words.lower().strip(" .")
    if lowered in _NO_PORT:
        return PortCell((), (), _NO_PORT[lowered], "")
    protocols = tuple(sorted({p.lower() for p in _PROTOCOL.findall(words)}))
    status = next((s for word, s in _NO_PORT.items() if word and len(word) > 2
                   and re.search(rf"\b{re.escape(word)}\b", lowered)), None)
    spans: list[PortSpan] = []
    for found in _SPAN.finditer(_PROTOCOL.sub(" ", words)):
        low = int(found.group(1))
        high = int(found.group(2) or low)
        if 1 <= low <= high <= 65535:
            spans.append(PortSpan(low, high))
    if not spans:
        varies = any(re.search(rf"\b{w}\b", lowered) for w in _VARIES)
        return PortCell((), protocols, None if varies else status, words)
    return PortCell(_merge_lists(spans), protocols, status, "")


def _merge_lists(spans: list[PortSpan]) -> tuple[PortSpan, ...]:
    """A list of single ports stays a list; duplicates go."""
    seen: list[PortSpan] = []
    for span in spans:
        if span not in seen:
            seen.append(span)
    return tuple(seen)


def read_status(text: str) -> Status | None:
    """``Planned``, ``in use``, ``RESERVED``... to a status; None for words it does not know."""
    lowered = " ".join(text.lower().strip(" .!").split())
    if lowered in STATUS_WORDS:
        return STATUS_WORDS[lowered]
    first = re.split(r"[\s(,:;\u2013\u2014-]+", lowered, maxsplit=1)[0]
    return STATUS_WORDS.get(first)


def read_protocols(text: str) -> tuple[str, ...] | None:
    """``TCP``, ``tcp/udp``, ``both`` to protocols; None when the cell names none."""
    lowered = text.lower()
    if lowered.strip() in ("both", "tcp+udp", "tcp & udp"):
        return ("tcp", "udp")
    found = sorted({p.lower() for p in _PROTOCOL.findall(text)})
    return tuple(p for p in PROTOCOLS if p in found) or None


def read_environments(text: str) -> tuple[str, ...] | None:
    """``dev, staging`` to environment names; None for everywhere (``all``, empty)."""
    if text.strip().lower() in _EVERYWHERE:
        return None
    names = {environment_name(part) for part in _SPLIT.split(text)}
    names.discard("")
    return tuple(sorted(names)) or None


def environment_name(text: str) -> str:
    """One environment's name as the registry writes it: ``Host A`` to ``host-a``."""
    slug = re.sub(r"[^a-z0-9._]+", "-", text.strip().lower()).strip("-")
    return ENVIRONMENT_WORDS.get(slug, slug)


def split_qualifiers(service: str) -> tuple[str, Status | None, tuple[str, ...]]:
    """``Pool Hub API (planned)`` to the name, a status and environments named in brackets.

    Only brackets that hold status or environment words are taken off; ``(FastAPI)`` stays.
    """
    status: Status | None = None
    environments: list[str] = []
    name = service.strip()
    while (found := _QUALIFIER.match(name)) is not None:
        words = [w.strip().lower() for w in _SPLIT.split(found.group(2)) if w.strip()]
        if not words:
            break
        known_status = [STATUS_WORDS[w] for w in words if w in STATUS_WORDS
                        and w not in ENVIRONMENT_WORDS]
        known_env = [ENVIRONMENT_WORDS[w] for w in words if w in ENVIRONMENT_WORDS]
        if len(known_status) + len(known_env) != len(words):
            break
        status = known_status[0] if known_status else status
        environments.extend(known_env)
        name = found.group(1)
    return name or service.strip(), status, tuple(sorted(set(environments)))
