"""Write imported entries as ``ports.yaml`` text: the same bytes for the same entries.

>>> print(registry_text((Assignment("Grafana", PortSpan.single(3000)),), "docs/ports.md"), end="")
# yaml-language-server: $schema=schema/ports.schema.json
#
# Imported from docs/ports.md by `portplan import`. From now on edit this file and run
# `portplan check`; the plan's earlier history is read through imported_from.
version: 1
imported_from: docs/ports.md
<BLANKLINE>
ports:
  - port: 3000
    service: Grafana
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from portplan.model import Assignment, MetaValue, PortSpan, Status
from portplan.registry.scalar import yaml_scalar

MODELINE = "# yaml-language-server: $schema=schema/ports.schema.json"
# Text that is plain YAML in block and flow context, whatever the resolver: it starts with a
# letter, holds no indicator (': ', ' #', ',', brackets) and is no YAML 1.1 boolean or null.
# Most cells are like this; the rest go through yaml_scalar, which asks two YAML loaders.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./()+;'-]*[A-Za-z0-9_./)+'-]|[A-Za-z]")
_RESOLVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def registry_text(entries: Sequence[Assignment], imported_from: str,
                  options_line: str | None = None) -> str:
    """The registry; ``options_line`` is the comment that records the import's options."""
    shown = "".join(ch if ch.isprintable() else "?" for ch in imported_from)  # a comment line
    lines = [
        MODELINE,
        "#",
        f"# Imported from {shown} by `portplan import`. From now on edit this file and run",
        "# `portplan check`; the plan's earlier history is read through imported_from.",
        *([options_line] if options_line else []),
        "version: 1",
        f"imported_from: {_scalar(imported_from)}",
        "",
    ]
    if not entries:
        lines.append("ports: []")
        return "\n".join(lines) + "\n"
    lines.append("ports:")
    for number, entry in enumerate(entries):
        if number:
            lines.append("")
        lines.extend(entry_lines(entry))
    return "\n".join(lines) + "\n"


def entry_lines(entry: Assignment) -> list[str]:
    """One ``ports:`` item, its keys in the order docs/registry-format.md lists them."""
    fields: list[tuple[str, str]] = []
    if entry.port is not None:
        fields.append(("port", _span(entry.port)))
    if entry.protocols != ("tcp",):
        fields.append(("protocol", entry.protocols[0] if len(entry.protocols) == 1
                       else "[" + ", ".join(entry.protocols) + "]"))
    fields.append(("service", _scalar(entry.service)))
    if entry.status is not Status.ACTIVE:
        fields.append(("status", entry.status.value))
    if entry.environments is not None:
        fields.append(("environments",
                       "[" + ", ".join(_scalar(e) for e in entry.environments) + "]"))
    for name in ("location", "command", "description", "owner", "contact", "role", "bind",
                 "env_var"):
        value = getattr(entry, name)
        if value is not None:
            fields.append((name, _scalar(value)))
    if entry.external is not None and entry.external.port is not None:
        fields.append(("external", "{port: " + str(entry.external.port) + "}"))
    lines = [("  - " if i == 0 else "    ") + f"{key}: {value}"
             for i, (key, value) in enumerate(fields)]
    if entry.deprecation is not None:
        lines.append("    deprecation:")
        lines.append(f"      note: {_scalar(entry.deprecation.note)}")
        if entry.deprecation.replaced_by is not None:
            lines.append(f"      replaced_by: {_span(entry.deprecation.replaced_by)}")
    if entry.meta:
        lines.append("    meta:")
        lines.extend(f"      {_scalar(key)}: {_meta(value)}" for key, value in entry.meta)
    return lines


def _scalar(value: str) -> str:
    if _PLAIN.fullmatch(value) and value.lower() not in _RESOLVED:
        return value
    return yaml_scalar(value)


def _span(span: PortSpan) -> str:
    return str(span)


def _meta(value: MetaValue) -> str:
    return _scalar(value) if isinstance(value, str) else str(value).lower()
