"""`portplan history [PORT[/PROTO]] [--json]` (SPEC §2): when, by whom and why ports changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from portplan.commands import options
from portplan.dates import display_date
from portplan.history import History, PortEvent, read_history
from portplan.history.model import EventKind
from portplan.locate import registry_file
from portplan.model import PROTOCOLS, PortSpan
from portplan.problems import PortplanError
from portplan.registry_file import resolved

_PORT_ARG = re.compile(r"^(\d+)(?:-(\d+))?(?:/([a-z]+))?$")


def parse_port_argument(text: str) -> tuple[PortSpan, str | None]:
    """``8090``, ``8090/udp`` or ``8020-8029/tcp`` to a span and an optional protocol."""
    found = _PORT_ARG.match(text.strip().lower())
    if not found:
        raise click.BadParameter(f"'{text}' is not a port; write PORT, PORT/PROTO or LOW-HIGH, "
                                 "e.g. 8090 or 8090/udp", param_hint="PORT")
    low = int(found.group(1))
    high = int(found.group(2) or low)
    protocol = found.group(3)
    if not 1 <= low <= high <= 65535:
        raise click.BadParameter(f"'{text}' is outside 1-65535 (or LOW > HIGH)",
                                 param_hint="PORT")
    if protocol is not None and protocol not in PROTOCOLS:
        raise click.BadParameter(f"unknown protocol '{protocol}'; use one of "
                                 + ", ".join(PROTOCOLS), param_hint="PORT")
    return PortSpan(low, high), protocol


def event_line(event: PortEvent) -> str:
    """One event for the terminal: when, what, which port, who, and the commit or PR."""
    commit = event.commit
    when = display_date(commit.date)
    if commit.uncommitted:
        ref = "uncommitted"
    elif commit.pr is not None:
        ref = f"#{commit.pr}"
    else:
        ref = commit.sha[:10]
    if event.kind is EventKind.MOVED:
        where = f"{event.from_port} -> {event.to_port}"
    else:
        where = str(event.port) if event.port is not None else "(no port)"
    head = (f"{when}  {ref:<11} {event.kind.value:<12} {where:<13} {event.service}"
            f"  ({commit.author})")
    details = [f"    {name}: {_show(old)} -> {_show(new)}"
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


@click.command()
@click.argument("port", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the events as a JSON array.")
@options.registry
def history(port: str | None, as_json: bool, registry_path: str | None) -> int:
    """The change history of PORT[/PROTO], or of the whole registry, from git.

    Events are read along the first-parent line of the checked-out branch, oldest first.
    """
    span, protocol = parse_port_argument(port) if port else (None, None)
    registry = Path(registry_file(registry_path))
    if not registry.exists():
        raise PortplanError(f"cannot read the registry {registry}: no such file; "
                            "pass its path with --registry")
    if registry.is_dir():
        raise PortplanError(f"cannot read the registry {registry}: it is a directory; "
                            "pass the path of the YAML file with --registry")
    found = read_history(resolved(registry.parent), resolved(registry))
    if not found.available:
        raise PortplanError(found.notices[0] if found.notices else "history is unavailable")
    for notice in (*found.notices, *found.skipped):
        click.echo(f"portplan: warning: {notice}", err=True)
    events = select(found, span, protocol)
    if as_json:
        # One event per line, each by the C encoder: indent= would take the slow pure-Python one.
        lines = ",\n".join("  " + json.dumps(e.as_json(), ensure_ascii=False) for e in events)
        click.echo(f"[\n{lines}\n]" if events else "[]")
        return 0
    if not events:
        click.echo(f"no changes recorded for {port}" if port else "no changes recorded")
        return 0
    for event in events:
        click.echo(event_line(event))
    return 0
