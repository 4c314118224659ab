"""Ports as people type them on the command line: ``8090``, ``8020-8029``, ``8090/udp``.

One parser for every command (``free --in``, ``history PORT``, ``deprecate PORT``,
``--replaced-by``), so that the same text is accepted or refused, with the same message,
everywhere.

>>> parse_port("8020-8029/TCP")
(PortSpan(low=8020, high=8029), 'tcp')
"""

from __future__ import annotations

import re

from portplan.model import PROTOCOLS, PortSpan
from portplan.problems import PortplanError

# Digits without a length limit, so that 123456 is "out of range", not "not a port".
_SPAN = re.compile(r"([0-9]+)(?:-([0-9]+))?")
_MAX_DIGITS = 6  # past this, the number is out of range whatever it is (and int() stays cheap)


def parse_span(text: str) -> PortSpan:
    """``"8090"`` or ``"8020-8029"`` as a span; :class:`PortplanError` when it is neither."""
    found = _SPAN.fullmatch(text.strip())
    if not found:
        raise PortplanError(f"{text!r} is not a port; give a number such as 8090 or a block "
                            "such as 8020-8029")
    low_text, high_text = found[1], found[2] or found[1]
    if max(len(low_text), len(high_text)) > _MAX_DIGITS or not (
            1 <= int(low_text) <= int(high_text) <= 65535):
        raise PortplanError(f"{text!r} is not a port; ports run from 1 to 65535, LOW <= HIGH")
    return PortSpan(int(low_text), int(high_text))


def parse_port(text: str) -> tuple[PortSpan, str | None]:
    """``PORT``, ``LOW-HIGH``, maybe with ``/PROTO``: the span and the protocol (lower case)."""
    port_text, slash, protocol = text.partition("/")
    span = parse_span(port_text)
    protocol = protocol.strip().lower()
    if slash and protocol not in PROTOCOLS:
        raise PortplanError(f"{text!r} names the protocol {protocol!r}; use one of "
                            + ", ".join(PROTOCOLS))
    return span, protocol or None
