"""nginx configuration: ``listen`` is a listener; ``proxy_pass`` (and the other ``*_pass``)
and an upstream's ``server`` are references. Read with crossplane, one file at a time
(includes are their own files in the scan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import crossplane

from portplan.model import PortSpan
from portplan.scan import values
from portplan.scan.places import FileScan, Role

PASSES = frozenset({"proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass",
                    "memcached_pass"})


def looks_like_nginx(path: str, text: str) -> bool:
    return "nginx" in path.lower() or "sites-" in path or (
        "server {" in text or "upstream " in text or "listen " in text)


def read(found: FileScan, file: Path, text: str) -> None:
    payload = crossplane.parse(str(file), single=True, strict=False, check_ctx=False,
                               check_args=False, comments=False, catch_errors=True)
    for config in payload["config"]:
        for error in config["errors"]:
            found.notice(error.get("line") or 1, f"nginx: {error['error']}")
        _walk(found, config["parsed"], text.splitlines(), parent=None)


def _walk(found: FileScan, block: list[dict[str, Any]], lines: list[str],
          parent: str | None) -> None:
    for directive in block:
        name, args, line = directive["directive"], directive["args"], directive["line"]
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        column = values.column_of(shown, args[0], values.column_of(shown, name)) if args else 1
        if name == "listen" and args:
            number = values.host_port(args[0])
            if number is not None:
                udp = "udp" in args or "quic" in args
                found.add(line, column, PortSpan.single(number), Role.LISTENER, "listen",
                          protocol="udp" if udp else "tcp")
        elif name in PASSES and args:
            for number in values.url_ports(args[0]) or _bare(args[0]):
                found.add(line, column, PortSpan.single(number), Role.REFERENCE, name)
        elif name == "server" and parent == "upstream" and args:
            for number in _bare(args[0]):
                found.add(line, column, PortSpan.single(number), Role.REFERENCE, "upstream server")
        if "block" in directive:
            _walk(found, directive["block"], lines, parent=name)


def _bare(address: str) -> list[int]:
    if "://" in address or ":" not in address:
        return []
    number = values.host_port(address)
    return [number] if number is not None else []
