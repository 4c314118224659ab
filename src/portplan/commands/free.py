"""`portplan free`: suggest ports nobody holds."""

from __future__ import annotations

import click

from portplan.commands import options
from portplan.commands.reading import usable_registry
from portplan.free_ports import DEFAULT_WINDOW, EPHEMERAL, find_free
from portplan.model import PROTOCOLS, PortSpan
from portplan.problems import PortplanError
from portplan.registry.locate import registry_file


@click.command()
@click.option("--in", "span", metavar="LOW-HIGH", callback=options.port_span,
              default=str(DEFAULT_WINDOW),
              show_default=True, help="Where to look.")
@click.option("--count", type=click.IntRange(1, 65535), default=1, show_default=True,
              help="How many ports to suggest.")
@click.option("--protocol", type=click.Choice(PROTOCOLS, case_sensitive=False), default="tcp",
              show_default=True)
@options.registry
def free(span: PortSpan, count: int, protocol: str, registry_path: str | None) -> int:
    """Suggest free ports, lowest first, one a line.

    Skips every port an entry holds (active, planned, reserved or deprecated, in any
    environment), blocks declared in `ranges:` unless --in lies inside one, and the ephemeral
    ranges (32768-60999, 49152-65535). Exit 1 when fewer than --count are free.
    """
    registry_path = registry_file(registry_path)
    if all(any(e.low <= port <= e.high for e in EPHEMERAL) for port in (span.low, span.high)):
        # Both ends ephemeral: the union of the two ranges is contiguous, so all of it is.
        raise PortplanError(f"{span} lies in the ephemeral ports ({EPHEMERAL[0]}, "
                            f"{EPHEMERAL[1]}), which the kernel hands out to clients; "
                            f"look below {EPHEMERAL[0].low}")
    registry = usable_registry(registry_path, "free")
    result = find_free(registry, span, protocol=protocol.lower(), count=count)
    for port in result.ports:
        click.echo(port)
    if len(result.ports) < count:
        skipped = f"; kept for declared ranges: {', '.join(result.in_ranges)}" \
            if result.in_ranges else ""
        click.echo(f"portplan: only {len(result.ports)} of {count} ports are free in {span} "
                   f"for {protocol}{skipped}; widen --in", err=True)
        return 1
    return 0
