"""The registry in other shapes, for `portplan export`: pure ``Registry -> str`` functions.

``services`` follows services(5): ``name port/protocol [aliases...] [# comment]``. It has no way
to say "a block of ports", so a block is written as a comment line, not as one line per port
(a 1,000-port block would otherwise swamp the file). Entries without a port are left out.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable

from portplan.model import ENV_VAR_NAME, Assignment, Registry, meta_text
from portplan.problems import PortplanError

# Spreadsheets run a cell that starts with one of these as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_SERVICES_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")


def _ordered(registry: Registry) -> list[Assignment]:
    return registry.with_port() + registry.without_port()


def in_environment(registry: Registry, environment: str) -> Registry:
    """The entries that run in ``environment``: those listing it, and those without a list.

    Raises PortplanError for an environment no entry names, when entries name others: a typo
    (``prod`` for ``production``) would otherwise quietly export only the shared entries.
    """
    named = sorted({env for a in registry.ports for env in a.environments or ()})
    if named and environment not in named:
        raise PortplanError(f"no entry runs in environment {environment!r}; the registry names "
                            f"{', '.join(named)}")
    return dataclasses.replace(registry, ports=tuple(
        a for a in registry.ports if a.environments is None or environment in a.environments))


def to_json(registry: Registry) -> str:
    """A JSON array of the entries, as ports.yaml spells them, sorted by port."""
    return json.dumps([a.as_json() for a in _ordered(registry)], indent=2,
                      ensure_ascii=False) + "\n"


CSV_COLUMNS = ("port", "protocol", "service", "name", "status", "environments", "location",
               "command", "description", "owner", "contact", "role", "bind", "env_var",
               "external", "deprecation_note", "replaced_by", "remove_after")


def to_csv(registry: Registry) -> str:
    """One row per entry; lists are comma-joined in their cell; ``meta.*`` columns at the end."""
    meta_keys = sorted({key for a in registry.ports for key, _ in a.meta})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # With "\n" line ends the writer leaves a lone "\r" unquoted, which readers take for a
    # line end: a row holding one is written fully quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([*CSV_COLUMNS, *(f"meta.{k}" for k in meta_keys)])
    for a in _ordered(registry):
        d = a.deprecation
        row: list[object] = [
            str(a.port) if a.port else "", ",".join(a.protocols), a.service, a.name,
            a.status.value, ",".join(a.environments or ()), a.location, a.command,
            a.description, a.owner, a.contact, a.role, a.bind, a.env_var,
            str(a.external) if a.external else "",
            d.note if d else "", str(d.replaced_by) if d and d.replaced_by else "",
            d.remove_after.isoformat() if d and d.remove_after else "",
        ]
        meta = dict(a.meta)
        row += [meta_text(meta[k]) if k in meta else "" for k in meta_keys]
        cells = [_inert("" if v is None else v) for v in row]
        cr = any(isinstance(v, str) and "\r" in v for v in cells)
        (quoted if cr else writer).writerow(cells)
    return out.getvalue()


def _inert(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading ``'``, shown as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(text: str | None) -> str:
    # Registry text is inline Markdown already; only the table syntax itself must be escaped.
    return (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(registry: Registry) -> str:
    """A GitHub-flavoured Markdown table, deprecated ports struck through with their note."""
    lines = ["| Port | Protocol | Service | Status | Environments | Location | Description |",
             "|---:|---|---|---|---|---|---|"]
    for a in _ordered(registry):
        port = str(a.port) if a.port else "—"
        description = _cell(a.description)
        if a.deprecation:
            port = f"~~{port}~~"
            moved = f" (replaced by {a.deprecation.replaced_by})" \
                if a.deprecation.replaced_by else ""
            description = f"**Deprecated{moved}:** {_cell(a.deprecation.note)} {description}"
        lines.append("| " + " | ".join([
            port, "/".join(a.protocols) if a.port else "", _cell(a.service), a.status.value,
            ", ".join(a.environments) if a.environments else "all",
            f"`{_cell(a.location)}`" if a.location and "`" not in a.location
            else _cell(a.location), description.strip(),
        ]) + " |")
    return "\n".join(lines) + "\n"


def service_name(entry: Assignment) -> str:
    """The RFC 6335 ``name``, or a slug of the display name: ``Grafana`` -> ``grafana``.

    A ``name`` that breaks the services(5) syntax (``check`` only warns about it) is slugged too.
    """
    if entry.name and _SERVICES_NAME.fullmatch(entry.name):
        return entry.name
    return slug(entry.name or entry.service)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-``: ``Résolveur DNS`` -> ``resolveur-dns``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-") or "service"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_services(registry: Registry) -> str:
    """/etc/services lines; a name used for two ports of one protocol gets a suffix."""
    entries = [(a, a.port) for a in registry.with_port() if a.port is not None]
    uses = Counter((service_name(a), p) for a, _ in entries for p in a.protocols)
    lines = ["# Generated by `portplan export --format services`; edit ports.yaml instead."]
    for a, span in entries:
        for protocol in a.protocols:
            name = service_name(a)
            if uses[(name, protocol)] > 1:
                # Slugged: an environment is free text, and one line break would add a line.
                name += ("-" + "-".join(slug(e) for e in a.environments) if a.environments
                         else f"-{span.low}")
            comment = a.service
            if a.environments:
                comment += f" [{', '.join(a.environments)}]"  # one line: see _one_line
            if a.status.value != "active":
                comment += f" ({a.status.value})"
            if span.is_block:
                lines.append(f"# {name} {span}/{protocol} - {_one_line(comment)}: a block; "
                             "services(5) holds single ports only")
                continue
            lines.append(f"{name:<23} {span.low}/{protocol:<6} # {_one_line(comment)}")
    return "\n".join(lines) + "\n"


def to_env(registry: Registry) -> str:
    """``VAR=PORT`` for each entry with ``env_var``; a block is ``VAR=LOW-HIGH``.

    Raises PortplanError naming every invalid or clashing variable.
    """
    lines = ["# Generated by `portplan export --format env`; edit ports.yaml instead."]
    seen: dict[str, str] = {}
    wrong = []
    for a in registry.with_port():
        var = a.env_var
        if var is None or a.port is None:
            continue
        where = f"line {a.position.line}" if a.position.line else a.service
        if not ENV_VAR_NAME.fullmatch(var):
            wrong.append(f"env_var {var!r} of '{a.service}' ({where}) is not a variable name; "
                         "use letters, digits and _, not starting with a digit")
            continue
        value = str(a.port)
        if seen.get(var, value) != value:
            wrong.append(f"env_var {var} is set to both {seen[var]} and {value} ('{a.service}', "
                         f"{where}); give each entry its own variable, or, when they run in "
                         "different environments, export one environment at a time with "
                         "--environment ENV")
            continue
        if var not in seen:
            lines.append(f"{var}={value}")
        seen[var] = value
    if wrong:
        raise PortplanError("cannot export env: " + "; ".join(wrong))
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Registry], str]] = {
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
    "services": to_services,
    "env": to_env,
}
