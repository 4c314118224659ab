"""Kubernetes manifests (every document): ``containerPort``, ``hostPort``, Service ports, env.

Any mapping with ``containerPort``/``hostPort`` counts, so Pods, Deployments, StatefulSets,
Jobs, CronJobs and ``List`` items all read the same. A Service's ``port``, numeric
``targetPort`` and ``nodePort`` are listeners (on the cluster address, the pods and the nodes).
A ConfigMap's ``data`` entries are assignments, as the environment its pods get.
"""

from __future__ import annotations

from typing import Any

from portplan.model import PortSpan
from portplan.scan import values
from portplan.scan.places import FileScan, Role
from portplan.scan.yamldocs import Mapping, Scalar, Sequence, documents

MAX_VALUES = 200_000  # per file: more is no manifest


def is_manifest(text: str) -> bool:
    return "apiVersion" in text and "kind" in text


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    for document in documents(text):
        if isinstance(document, Mapping) and "apiVersion" in document:
            _walk(found, document, env_vars)
            _config_map(found, document, env_vars)


def _protocol(item: Mapping) -> str:
    protocol = item.get("protocol")
    return str(protocol).lower() if isinstance(protocol, Scalar) else "tcp"


def _port(found: FileScan, item: Mapping, key: str, what: str) -> None:
    value = item.get(key)
    if isinstance(value, Scalar) and (number := values.port(value)) is not None:
        found.add(value.line, value.column, PortSpan.single(number), Role.LISTENER, what,
                  protocol=_protocol(item))


def _config_map(found: FileScan, document: Mapping, env_vars: frozenset[str]) -> None:
    """A ConfigMap's ``data`` is the environment its pods get (``envFrom``)."""
    data = document.get("data")
    if document.get("kind") != "ConfigMap" or not isinstance(data, Mapping):
        return
    for name, value in data.items():
        if isinstance(value, Scalar) and value and "\n" not in value:
            values.assignment(found, value.line, value.column, name, value, env_vars=env_vars)


def _walk(found: FileScan, document: Mapping, env_vars: frozenset[str]) -> None:
    """Every mapping once (aliases share values: a shared one is not walked again)."""
    seen: set[int] = set()
    pending: list[tuple[Any, str | None]] = [(document, None)]
    is_service = document.get("kind") == "Service"
    while pending:
        value, key = pending.pop()
        if id(value) in seen or not isinstance(value, Mapping | Sequence):
            continue
        seen.add(id(value))
        if len(seen) > MAX_VALUES:
            found.notice(document.line, f"more than {MAX_VALUES} values in one document; "
                                        "the rest is not read")
            return
        if isinstance(value, Sequence):
            pending.extend((item, key) for item in value)
            continue
        if "containerPort" in value:
            _port(found, value, "containerPort", "containerPort")
            _port(found, value, "hostPort", "hostPort")
        if is_service and key == "ports":
            for name in ("port", "targetPort", "nodePort"):
                _port(found, value, name, f"Service {name}")
        variable, setting = value.get("name"), value.get("value")
        if key == "env" and isinstance(variable, Scalar) and isinstance(setting, Scalar) \
                and setting:
            values.assignment(found, setting.line, setting.column, variable, setting,
                              env_vars=env_vars)
        pending.extend((child, child_key) for child_key, child in value.items())
