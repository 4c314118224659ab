"""Ports in the values that files set: ``8080``, ``H:N``, ``${VAR:-N}``, URLs, variables.

>>> expand("${API_PORT:-8080}:80")
('8080:80', 'API_PORT')
>>> expand("0.0.0.0:$PORT", {"PORT": "8071"}), expand("${PORT:-80}", {"PORT": "8071"})
(('0.0.0.0:8071', 'PORT'), ('8071', 'PORT'))
>>> host_port("[::1]:9000"), url_ports("see http://api.internal:8001/v1 and https://x.org")
(9000, [8001])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from portplan.model import PortSpan
from portplan.scan.places import FileScan, Role

_PORT = re.compile(r"[0-9]{1,5}")
_SPAN = re.compile(r"([0-9]{1,5})(?:-([0-9]{1,5}))?")
# ${VAR:-default}, ${VAR-default}, ${VAR:=default}; plain $VAR and ${VAR} have no value here.
_DEFAULT = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?[-=]([^}]*)\}")
_BARE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/\s\"']*@)?(\[[^\]\s]*\]|[^:/\s?#\"']*)"
                  r":([0-9]{1,5})(?![0-9])")
PortParser = Callable[[str], "int | PortSpan | None"]
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def port(text: str) -> int | None:
    """``text`` as a port number 1..65535, else None."""
    if _PORT.fullmatch(text) and 0 < (number := int(text)) <= 65535:
        return number
    return None


def span(text: str) -> PortSpan | None:
    """``8080`` or ``9000-9005`` as a span, else None."""
    match = _SPAN.fullmatch(text.strip())
    if not match:
        return None
    low, high = port(match[1]), port(match[2] or match[1])
    if low is None or high is None or high < low:
        return None
    return PortSpan(low, high)


def expand(text: str, known: Mapping[str, str] | None = None) -> tuple[str | None, str | None]:
    """Variables replaced by their values in ``known`` (what the file set before), else by
    their defaults, and the first variable named.

    The text is None when a variable without a value or default is left, since it is unknown.
    """
    known = known or {}
    named = [m[1] for m in _DEFAULT.finditer(text)]
    out = _DEFAULT.sub(lambda m: known.get(m[1]) or m[2], text)  # ${VAR:-N}: N when unset
    named += [m[1] or m[2] for m in _BARE.finditer(out)]
    out = _BARE.sub(lambda m: known.get(m[1] or m[2], m[0]), out)
    first = named[0] if named else None
    return (None if _BARE.search(out) else out), first


def host_port(text: str) -> int | None:
    """The port of ``N``, ``:N``, ``HOST:N`` or ``[V6]:N``; None for a bare IPv6 address."""
    if text.startswith("["):
        _, bracket, tail = text.rpartition("]:")
        return port(tail) if bracket else None
    if text.count(":") > 1:
        return None
    return port(text.rpartition(":")[2])


def url_ports(text: str) -> list[int]:
    """The explicit ports of the URLs in ``text``."""
    return [p for m in _URL.finditer(text) if (p := port(m[2])) is not None]


def column_of(line: str, needle: str, start: int = 0) -> int:
    """The 1-based column of ``needle`` in ``line`` at or after ``start``, else 1."""
    at = line.find(needle, start)
    return at + 1 if at >= 0 else 1


def variable_role(name: str) -> Role | None:
    """How an assignment of ``name`` uses its port: ``BIND_PORT`` binds, ``*_URL`` connects."""
    upper = name.upper()
    if upper == "BIND_PORT" or upper.endswith("_BIND_PORT"):
        return Role.LISTENER
    if upper.endswith(("_URL", "_URI")):
        return Role.REFERENCE
    if upper == "PORT" or upper.endswith("_PORT"):
        return Role.SETTING
    return None


def assignment(found: FileScan, line: int, column: int, name: str, value: str, *,
               env_vars: frozenset[str]) -> None:
    """One ``NAME=value``: a listener, reference or setting by the name, or by an entry's
    ``env_var``; a URL in any value is a reference."""
    role = variable_role(name)
    expanded, _ = expand(value)
    if expanded is None:
        return
    number = host_port(expanded.strip())
    if number is not None and (role in (Role.LISTENER, Role.SETTING) or name in env_vars):
        found.add(line, column, PortSpan.single(number), role or Role.SETTING, f"{name}=",
                  variable=name)
        return
    for number in url_ports(expanded):
        found.add(line, column, PortSpan.single(number), Role.REFERENCE, f"{name}=",
                  variable=name if name in env_vars else None)
