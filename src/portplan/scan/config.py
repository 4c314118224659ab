"""What to scan and what to accept, from the registry itself (docs/registry-format.md).

The top-level ``scan:`` key says which paths to read, which to skip, and which findings that
concern no entry are known and why. Findings about an entry are accepted in the entry's own
``accept:`` (code -> reason), as its warnings are (:mod:`portplan.registry.acceptance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from portplan.model import PortSpan
from portplan.problems import PortplanError
from portplan.registry.nodes import STR_TAG
from portplan.registry.source import compose
from portplan.scan import values

SCAN_KEYS = ("paths", "exclude", "ignore")
IGNORE_KEYS = ("file", "port", "code", "reason")


@dataclass(frozen=True)
class Ignore:
    """A known finding that concerns no entry: where, optionally which port and code, why."""

    file: str
    reason: str
    port: PortSpan | None = None
    code: str | None = None


@dataclass(frozen=True)
class ScanConfig:
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ignore: tuple[Ignore, ...] = ()


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[str] = []

    def error(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.errors.append(f"{self.path}:{mark.line + 1}:{mark.column + 1}: error: {message}")

    def mapping(self, node: yaml.Node, what: str, keys: tuple[str, ...] | None,
                ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping")
            return {}
        out = {}
        for key, value in node.value:
            if keys is not None and key.value not in keys:
                self.error(key, f"unknown key '{key.value}' in {what}; use one of "
                                f"{', '.join(keys)}")
            else:
                out[str(key.value)] = value
        return out

    def text(self, node: yaml.Node, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and node.value.strip():
            return str(node.value)
        self.error(node, f"{what} must be non-empty text")
        return None

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list of paths or globs, e.g. [apps, deploy]")
            return ()
        return tuple(t for item in node.value if (t := self.text(item, f"an item of {what}")))


def read_config(source: str | bytes, path: str = "ports.yaml") -> ScanConfig:
    """The scan settings of a registry; :class:`PortplanError` listing every mistake."""
    found = source.find("scan") if isinstance(source, str) else source.find(b"scan")
    if found < 0:  # a registry is UTF-8 (docs/registry-format.md), so the bytes hold the word
        # No ``scan:`` key can be there (short of spelling it with escapes in quotes), so the
        # defaults, without composing a registry of thousands of entries a second time.
        return ScanConfig()
    node = compose(source, path).node
    if not isinstance(node, yaml.MappingNode):
        return ScanConfig()  # the registry's own problems are the checker's to report
    reader = _Reader(path)
    top = {str(k.value): v for k, v in node.value}
    config = ScanConfig()
    if "scan" in top and not (isinstance(top["scan"], yaml.ScalarNode)
                              and top["scan"].tag.endswith(":null")):
        scan = reader.mapping(top["scan"], "scan", SCAN_KEYS)
        config = ScanConfig(
            paths=reader.texts(scan["paths"], "scan.paths") if "paths" in scan else (),
            exclude=reader.texts(scan["exclude"], "scan.exclude") if "exclude" in scan else (),
            ignore=_ignores(reader, scan["ignore"]) if "ignore" in scan else ())
    if reader.errors:
        raise PortplanError("the scan settings are wrong:\n" + "\n".join(reader.errors))
    return config


def _ignores(reader: _Reader, node: yaml.Node) -> tuple[Ignore, ...]:
    if not isinstance(node, yaml.SequenceNode):
        reader.error(node, "scan.ignore must be a list of {file, reason} mappings")
        return ()
    out = []
    for item in node.value:
        fields = reader.mapping(item, "an item of scan.ignore", IGNORE_KEYS)
        if not fields:
            continue
        if "file" not in fields or "reason" not in fields:
            reader.error(item, "an item of scan.ignore needs 'file' (a path or glob) and "
                               "'reason' (why the finding is accepted)")
            continue
        file = reader.text(fields["file"], "scan.ignore file")
        reason = reader.text(fields["reason"], "scan.ignore reason")
        spanned = None
        if "port" in fields:
            spanned = values.span(str(getattr(fields["port"], "value", "")))
            if spanned is None:
                reader.error(fields["port"], "scan.ignore port must be a port or LOW-HIGH")
        code = reader.text(fields["code"], "scan.ignore code") if "code" in fields else None
        if file and reason:
            out.append(Ignore(file, reason, spanned, code))
    return tuple(out)
