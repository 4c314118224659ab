"""Docker Compose files: ``ports:`` (short and long syntax), ``expose:``, ``environment:``.

A published port is what binds on the host, so ``"8080:80"`` is a listener on 8080; a port
with nothing published (``"80"``, ``expose:``) is the container's own listener. Variables
count by their defaults: ``"${API_PORT:-8080}:80"`` listens on 8080 and is tied to the entry
whose ``env_var`` is ``API_PORT``.
"""

from __future__ import annotations

from portplan.scan import values
from portplan.scan.places import FileScan, Role
from portplan.scan.yamldocs import Mapping, Scalar, Sequence, documents


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    for document in documents(text):
        services = document.get("services") if isinstance(document, Mapping) else None
        if not isinstance(services, Mapping):
            continue
        for service in services.values():
            if isinstance(service, Mapping):
                _service(found, service, env_vars)


def _service(found: FileScan, service: Mapping, env_vars: frozenset[str]) -> None:
    ports = service.get("ports")
    for item in ports if isinstance(ports, Sequence) else ():
        if isinstance(item, Scalar):
            _short(found, item, "ports:")
        elif isinstance(item, Mapping):
            _long(found, item)
    exposed = service.get("expose")
    for item in exposed if isinstance(exposed, Sequence) else ():
        if isinstance(item, Scalar):
            _short(found, item, "expose:")
    environment = service.get("environment")
    if isinstance(environment, Mapping):
        for name, value in environment.items():
            if isinstance(value, Scalar) and value:
                values.assignment(found, value.line, value.column, name, value, env_vars=env_vars)
    elif isinstance(environment, Sequence):
        for item in environment:
            if isinstance(item, Scalar) and "=" in item:
                name, _, value = item.partition("=")
                values.assignment(found, item.line, item.column, name, value, env_vars=env_vars)


def _part(found: FileScan, at: Scalar, text: str, *, role: Role, what: str,
          protocol: str) -> bool:
    expanded, variable = values.expand(text)
    spanned = values.span(expanded) if expanded is not None else None
    if spanned is None:
        return False
    found.add(at.line, at.column, spanned, role, what, protocol=protocol, variable=variable)
    return True


def _short(found: FileScan, item: Scalar, what: str) -> None:
    """``[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]``, each port possibly a range or a variable."""
    text, _, protocol = item.partition("/")
    if text.startswith("["):  # [::1]:8080:80
        text = text.partition("]:")[2]
    parts = _split_ports(text)
    host = parts[-2] if len(parts) >= 2 else ""
    target = parts[-1]
    if host and _part(found, item, host, role=Role.LISTENER, what=what,
                      protocol=protocol or "tcp"):
        return
    _part(found, item, target, role=Role.LISTENER, what=f"{what} (container)",
          protocol=protocol or "tcp")


def _split_ports(text: str) -> list[str]:
    """``a:b:c`` split at colons outside ``${...}`` (a default may hold none, but be safe)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "{") - (char == "}")
        if char == ":" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _long(found: FileScan, item: Mapping) -> None:
    protocol = item.get("protocol")
    proto = str(protocol).lower() if isinstance(protocol, Scalar) else "tcp"
    published, target = item.get("published"), item.get("target")
    if isinstance(published, Scalar) and published and _part(
            found, published, published, role=Role.LISTENER, what="ports: published",
            protocol=proto):
        return
    if isinstance(target, Scalar):
        _part(found, target, target, role=Role.LISTENER, what="ports: target (container)",
              protocol=proto)
