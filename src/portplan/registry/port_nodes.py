"""Typed readers of the port values in YAML nodes: a port, a block of ports, protocols.

Each returns the value, or None after recording a problem that says how to write it instead:
a leading zero that YAML reads as octal, a quoted number, a block that runs backwards.
"""

from __future__ import annotations

import difflib
import re

import yaml

from portplan.model import PROTOCOLS, PortSpan
from portplan.registry.nodes import (
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    STR_TAG,
    NodeReader,
    kind_of,
    shorten,
)

_SPAN = re.compile(r"([0-9]+)-([0-9]+)")
_DECIMAL = re.compile(r"[1-9][0-9]*|0")
_SIGNED = re.compile(r"[-+]?[0-9]+")


class PortReader(NodeReader):
    """:class:`NodeReader` with the readers of ports and protocols."""

    def port_number(self, node: yaml.Node, what: str) -> int | None:
        """A port: a plain decimal integer from 1 to 65535."""
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            if _SIGNED.fullmatch(node.value) and not _DECIMAL.fullmatch(node.value.lstrip("+-")):
                self.error(node, "wrong-type",
                           f"{what} is {shorten(node.value)}, with a leading zero that YAML "
                           f"reads as octal; write it as {shorten(node.value.lstrip('+-0'))}")
                return None
            if not _SIGNED.fullmatch(node.value):
                self.error(node, "wrong-type",
                           f"{what} is {shorten(node.value)}; write it as a plain decimal "
                           "number such as 8080")
                return None
            number = _bounded_int(node.value)
            if not 1 <= number <= 65535:
                self.error(node, "port-out-of-range",
                           f"{what} is {shorten(node.value)}, out of range; ports run from 1 "
                           "to 65535")
                return None
            return number
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and _SIGNED.fullmatch(
                node.value):
            self.error(node, "wrong-type",
                       f"{what} must be a number, not the text \"{shorten(node.value)}\"; "
                       "remove the quotes")
        elif isinstance(node, yaml.ScalarNode) and node.tag == FLOAT_TAG:
            self.error(node, "wrong-type",
                       f"{what} must be a whole number, not {shorten(node.value)}; write it "
                       "without a fraction")
        elif isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            self.error(node, "wrong-type",
                       f"{what} is empty; write a port from 1 to 65535, or remove the key for "
                       "a service without a port")
        else:
            shown = f" '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else ""
            self.error(node, "wrong-type",
                       f"{what} must be a port number from 1 to 65535, not {kind_of(node)}"
                       f"{shown}")
        return None

    def span(self, node: yaml.Node, what: str, *, block_only: bool = False) -> PortSpan | None:
        """A port (``8090``) or a block (``8020-8029``); ``block_only`` wants a block."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and "-" in node.value[1:]:
            return self._block(node, what)
        if block_only:
            shown = (f"is {shorten(node.value)}, not a block" if isinstance(node, yaml.ScalarNode)
                     else f"must be a block, not {kind_of(node)}")
            self.error(node, "malformed-range",
                       f"{what} {shown}; write it as LOW-HIGH, e.g. 8020-8029 (one port: "
                       "8020-8020)")
            return None
        number = self.port_number(node, what)
        return PortSpan.single(number) if number is not None else None

    def _block(self, node: yaml.ScalarNode, what: str) -> PortSpan | None:
        """A ``LOW-HIGH`` block."""
        match = _SPAN.fullmatch(node.value)
        if not match:
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}', which is not a range; write it as "
                       "LOW-HIGH, e.g. 8020-8029")
            return None
        if not (_DECIMAL.fullmatch(match[1]) and _DECIMAL.fullmatch(match[2])):
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}'; write each end as a plain decimal "
                       "number without leading zeros: "
                       f"{_bounded_int(match[1])}-{_bounded_int(match[2])}")
            return None
        low, high = _bounded_int(match[1]), _bounded_int(match[2])
        if not (1 <= low <= 65535 and 1 <= high <= 65535):
            self.error(node, "port-out-of-range",
                       f"{what} is '{shorten(node.value)}', out of range; ports run from 1 "
                       "to 65535")
            return None
        if low > high:
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}', which runs backwards; write "
                       f"the low port first: {high}-{low}")
            return None
        return PortSpan(low, high)

    def protocols(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        items = [node] if isinstance(node, yaml.ScalarNode) else self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.error(node, "empty-value",
                       f"{what} is an empty list; name at least one of {', '.join(PROTOCOLS)}")
            return None
        found: list[str] = []
        for item in items:
            value = self.text(item, what)
            if value is None:
                return None
            if value not in PROTOCOLS:
                close = difflib.get_close_matches(value.lower(), PROTOCOLS, n=1)
                hint = (f"did you mean '{close[0]}'? (protocols are lower case)" if close
                        else "use one of them")
                self.error(item, "unknown-protocol",
                           f"{what} is '{shorten(value)}', which is not tcp, udp or sctp; {hint}")
                return None
            if value in found:
                self.error(item, "duplicate-value",
                           f"{what} lists '{shorten(value)}' twice; remove one")
                continue
            found.append(value)
        return tuple(p for p in PROTOCOLS if p in found)


def _bounded_int(text: str) -> int:
    """A decimal string's value; past six digits, 10**6 stands for "too big".

    Python refuses to convert over 4,300 digits (a ValueError), and no port needs more than 5.
    """
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").lstrip("0") or "0"
    return sign * (int(digits) if len(digits) <= 6 else 10**6)
