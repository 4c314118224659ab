"""`portplan history [PORT[/PROTO] | SERVICE] [--json]`: when, by whom and why ports changed.

See docs/history.md, "portplan history in a terminal".
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from portplan.commands import options
from portplan.commands.reading import usable_registry
from portplan.dates import display_date
from portplan.history import History, PortEvent, read_history
from portplan.history.cycles import find_rings, ring_text
from portplan.history.model import EventKind
from portplan.history.names import service_events
from portplan.model import Assignment, PortSpan
from portplan.port_arguments import parse_port
from portplan.problems import PortplanError
from portplan.registry.file_bytes import resolved
from portplan.registry.locate import registry_file

# What is read as a port (and judged by parse_port); anything else names a service.
_PORT_LIKE = re.compile(r"^\d[\d\s/-]*[a-zA-Z]*$")
# Only digits, a dash and maybe /PROTO: never a service name, so judged before git is read.
_NUMBERS_ONLY = re.compile(r"^\s*\d+(\s*-\s*\d+)?(/\S*)?\s*$")


def holder(entry: Assignment) -> str:
    """``Coordinator API [dev, staging]``: a service with its environments, when it has any."""
    if entry.environments is None:
        return entry.service
    return f"{entry.service} [{', '.join(entry.environments)}]"


def event_line(event: PortEvent, ring: tuple[PortSpan, ...] | None = None) -> str:
    """One event for the terminal: when, what, which port, who, and the commit or PR.

    ``ring`` names the swap or rotation a move belongs to, on a line of its own.
    """
    commit = event.commit
    when = display_date(commit.date)
    if commit.uncommitted:
        ref = "uncommitted"
    elif commit.pr is not None:
        ref = f"#{commit.pr}"
    else:
        ref = commit.sha[:10]
    protocols = event.change.current.protocols
    suffix = "" if protocols == ("tcp",) else "/" + "+".join(protocols)  # 53/udp, 5060/tcp+udp
    if event.kind is EventKind.MOVED:
        where = f"{event.from_port}{suffix} -> {event.to_port}{suffix}"
    else:
        where = f"{event.port}{suffix}" if event.port is not None else "(no port)"
    head = (f"{when}  {ref:<11} {event.kind.value:<12} {where:<13} "
            f"{holder(event.change.current)}  ({commit.author})")
    details = [f"    {ring_text(ring)}"] if ring else []
    details += [f"    {name}: {_show(old)} -> {_show(new)}"
                for name, (old, new) in event.change.changes.items()]
    return "\n".join([head, *details])


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def select(history: History, span: PortSpan | None, protocol: str | None) -> list[PortEvent]:
    if span is None:
        return list(history.events)
    events = history.for_port(span)
    if protocol is None:
        return events
    return [e for e in events
            if any(a is not None and protocol in a.protocols
                   for a in (e.change.before, e.change.after))]


def lines(history: History, events: list[PortEvent]) -> list[str]:
    """The terminal lines of ``events`` (part of ``history``), swaps and rotations named."""
    rings = find_rings(history.events)
    return [event_line(e, rings.of(e)) for e in events]


def _chosen_port(port: str) -> tuple[PortSpan, str | None]:
    try:
        return parse_port(port)
    except PortplanError as exc:
        raise click.BadParameter(str(exc), param_hint="PORT") from None


def _chosen(found: History, port: str | None) -> list[PortEvent]:
    """The events ``port`` asks for: a port or block (maybe with /PROTO), or a service by any
    name it had; neither is a usage error."""
    if not port:
        return list(found.events)
    try:
        return select(found, *parse_port(port))
    except PortplanError:  # perhaps a service name: the history decides
        pass
    events = service_events(found.events, port)
    if not events and _PORT_LIKE.match(port.strip()):
        _chosen_port(port)
    if not events:
        raise click.BadParameter(
            f"'{port}' is neither a port nor a service the history knows; write PORT, "
            "PORT/PROTO or LOW-HIGH (e.g. 8090), or a service name ports.yaml has or "
            "had", param_hint="PORT")
    return events


@click.command()
@click.argument("port", metavar="[PORT[/PROTO] | SERVICE]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the events as a JSON array.")
@options.registry
def history(port: str | None, as_json: bool, registry_path: str | None) -> int:
    """The change history of PORT[/PROTO], of a SERVICE (by any name it ever had), or of the
    whole registry, from git.

    Events are read along the first-parent line of the checked-out branch, oldest first.
    """
    if port and _NUMBERS_ONLY.match(port):
        _chosen_port(port)  # a mistyped port is a usage error before any git is read
    registry = Path(registry_file(registry_path))
    try:
        registry.stat()
    except OSError as exc:  # missing, a symlink loop, a directory we may not enter
        raise PortplanError(f"cannot read the registry {registry}: "
                            f"{(exc.strerror or str(exc)).lower()}; pass its path with "
                            "--registry") from None
    if registry.is_dir():
        raise PortplanError(f"cannot read the registry {registry}: it is a directory; "
                            "pass the path of the YAML file with --registry")
    usable_registry(registry, "history")
    found = read_history(resolved(registry.parent), resolved(registry))
    if not found.available:
        raise PortplanError(found.notices[0] if found.notices else "history is unavailable")
    for notice in (*found.notices, *found.skipped):
        click.echo(f"portplan: warning: {notice}", err=True)
    events = _chosen(found, port)
    if as_json:
        # One event per line, each by the C encoder: indent= would take the slow pure-Python one.
        body = ",\n".join("  " + json.dumps(e.as_json(), ensure_ascii=False) for e in events)
        click.echo(f"[\n{body}\n]" if events else "[]")
        return 0
    if not events:
        click.echo(f"no changes recorded for {port}" if port else "no changes recorded")
        return 0
    for line in lines(found, events):
        click.echo(line)
    return 0
