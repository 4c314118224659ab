"""Options that several commands share, spelled once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from portplan.model import PortSpan
from portplan.port_arguments import parse_port, parse_span
from portplan.problems import PortplanError

T = TypeVar("T")

registry = click.option(
    "--registry", "registry_path", metavar="FILE",
    help="The registry file. Default: ports.yaml here, else at the root of the git repository.")



def _parsed(parse: Callable[[str], T], param: click.Parameter, value: str | None) -> T | None:
    if value is None:
        return None
    try:
        return parse(value)
    except PortplanError as exc:
        hint = param.human_readable_name if isinstance(param, click.Argument) else None
        raise click.BadParameter(str(exc), param=param, param_hint=hint) from None


def port_span(_: click.Context, param: click.Parameter, value: str | None) -> PortSpan | None:
    """A click callback: ``8090`` or ``8020-8029``, through the one parser of port_arguments."""
    return _parsed(parse_span, param, value)


def port_and_protocol(_: click.Context, param: click.Parameter,
                      value: str | None) -> tuple[PortSpan, str | None] | None:
    """A click callback: a port or block, maybe with ``/PROTO``."""
    return _parsed(parse_port, param, value)
