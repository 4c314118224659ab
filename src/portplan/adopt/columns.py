"""Which registry field each column of a plan's table fills, read from its header.

The rules are in docs/adopting.md. A header is matched as a whole first (``Owning team``),
then by its words (``Team`` in ``Owning team``); what matches nothing goes to ``meta`` under
the header's own name. ``--map HEADER=FIELD`` overrides a column.

>>> [c.target for c in map_columns(("Port", "Service", "Owning team", "Tier"), {})]
['port', 'service', 'owner', 'meta.tier']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portplan.problems import PortplanError

# Fields a column can fill; "meta.KEY" and "skip" besides.
FIELDS = ("port", "service", "name", "protocol", "status", "location", "command", "description",
          "owner", "contact", "environments", "since", "role", "bind", "env_var",
          "external.port")

_WHOLE = {
    "port": "port", "ports": "port", "port(s)": "port", "port number": "port",
    "port no": "port", "port #": "port", "#": "port", "default port": "port",
    "listen port": "port", "internal port": "port", "container port": "port",
    "external port": "external.port", "public port": "external.port",
    "proxy port": "external.port", "host port": "external.port",
    "service": "service", "services": "service", "service name": "service",
    "process": "service", "name": "service", "application": "service", "app": "service",
    "component": "service", "daemon": "service", "program": "service", "what": "service",
    "used by": "service", "system": "service",
    "protocol": "protocol", "protocols": "protocol", "proto": "protocol",
    "transport": "protocol", "tcp/udp": "protocol",
    "status": "status", "state": "status",
    "location": "location", "path": "location", "source": "location", "where": "location",
    "file": "location", "defined in": "location", "config": "location", "repo": "location",
    "repository": "location", "code": "location",
    "command": "command", "cmd": "command", "start command": "command",
    "entrypoint": "command",
    "notes": "description", "note": "description", "description": "description",
    "purpose": "description", "comment": "description", "comments": "description",
    "details": "description", "usage": "description", "used for": "description",
    "remarks": "description",
    "owner": "owner", "owners": "owner", "team": "owner", "owning team": "owner",
    "owned by": "owner", "maintainer": "owner", "maintainers": "owner",
    "contact": "contact", "on-call": "contact", "oncall": "contact",
    "environment": "environments", "environments": "environments", "env": "environments",
    "envs": "environments", "host": "environments", "hosts": "environments",
    "server": "environments", "servers": "environments", "machine": "environments",
    "node": "environments", "stage": "environments", "cluster": "environments",
    "since": "since", "added": "since", "assigned": "since", "date": "since",
    "introduced": "since", "allocated": "since", "date added": "since",
    "role": "role", "bind": "bind", "bind address": "bind", "listen address": "bind",
    "interface": "bind", "env var": "env_var", "env variable": "env_var",
    "environment variable": "env_var", "variable": "env_var", "env_var": "env_var",
}
# Words that decide a header nothing matched whole, the first found wins.
_WORDS = (
    ("external", "external.port"), ("public", "external.port"),
    ("variable", "env_var"), ("port", "port"), ("ports", "port"),
    ("service", "service"), ("process", "service"), ("protocol", "protocol"),
    ("status", "status"), ("location", "location"), ("path", "location"),
    ("command", "command"), ("notes", "description"), ("description", "description"),
    ("purpose", "description"), ("owner", "owner"), ("team", "owner"),
    ("environment", "environments"), ("host", "environments"), ("since", "since"),
)


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str  # a name of FIELDS, "meta.KEY", or "skip"
    why: str  # "header", "--map", or "taken by column N" when a field was filled already


def normalise(header: str) -> str:
    return " ".join(header.lower().replace("_", " ").split()).strip(" :*")


def meta_key(header: str, index: int) -> str:
    """The ``meta`` key for a column: its header in lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", header.lower()).strip("-") or f"column-{index + 1}"


def parse_overrides(values: Sequence[str]) -> dict[str, str]:
    """``--map "Host=environments"`` options to {normalised header: target}."""
    out: dict[str, str] = {}
    for value in values:
        header, sep, target = value.partition("=")
        target = target.strip()
        if not sep or not header.strip() or not target or not value.isprintable():
            raise PortplanError(f"--map '{value}': write HEADER=FIELD, "
                                "e.g. --map 'Host=environments'")
        if target not in FIELDS and target != "skip" and not target.startswith("meta."):
            raise PortplanError(f"--map '{value}': unknown field '{target}'; use one of "
                                + ", ".join(FIELDS) + ", meta.KEY or skip")
        out[normalise(header)] = target
    return out


def map_columns(header: Sequence[str], overrides: Mapping[str, str]) -> list[Column]:
    """The target of every column. A field is filled by one column; later ones go to meta."""
    columns: list[Column] = []
    taken: dict[str, int] = {}
    for index, text in enumerate(header):
        key = normalise(text)
        if key in overrides:
            target, why = overrides[key], "--map"
        else:
            target, why = _guess(key) or f"meta.{meta_key(text, index)}", "header"
        if target in taken and why == "header":
            why = f"{target} is taken by column {taken[target] + 1}"
            target = f"meta.{meta_key(text, index)}"
        if target in FIELDS:
            taken.setdefault(target, index)
        columns.append(Column(index, text, target, why))
    return columns


def _guess(key: str) -> str | None:
    if key in _WHOLE:
        return _WHOLE[key]
    words = set(re.split(r"[^a-z0-9]+", key))
    for word, target in _WORDS:
        if word in words:
            return target
    return None


def is_port_table(header: Sequence[str], overrides: Mapping[str, str]) -> bool:
    return any(c.target == "port" for c in map_columns(header, overrides))
