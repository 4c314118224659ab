"""Read ``ports.yaml`` into a :class:`Registry`, reporting every problem with its position.

>>> loaded = load_registry("version: 1\\nports:\\n  - {port: 3000, service: Grafana}\\n")
>>> [str(a.port) for a in loaded.registry.ports], loaded.problems
(['3000'], [])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portplan.entries import INT_TAG, NULL_TAG, STR_TAG, TOP_KEYS, EntryReader, kind_of, shorten
from portplan.model import Assignment, Registry
from portplan.problems import PortplanError, Problem, Severity, has_errors, sort_problems
from portplan.registry_file import read_registry_bytes
from portplan.rules import check_rules
from portplan.yamlsource import compose, gc_paused


@dataclass
class Loaded:
    """The outcome of reading a registry: the records (None if unusable) and every problem."""

    registry: Registry | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.registry is not None and not has_errors(self.problems)


def read_registry(node: yaml.Node | None, path: str, problems: list[Problem], *,
                  today: dt.date | None = None,
                  reader: EntryReader | None = None) -> Registry | None:
    """The registry in a composed document, or None when its top level is unusable."""
    reader = reader or EntryReader(path, problems, today=today)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG):
        reader.error(node, "empty-registry",
                     "the registry is empty; start it with 'version: 1' and 'ports: []'")
        return None
    top = reader.mapping(node, "the registry", TOP_KEYS)
    if top is None:
        return None
    if "version" not in top:
        reader.error(node, "missing-key",
                     "the registry has no 'version'; add version: 1 at the top")
    else:
        _check_version(reader, top["version"][1])
    if "ports" not in top:
        reader.error(node, "missing-key", "the registry has no 'ports'; add ports: [] or a list "
                     "of entries")
        entries: list[yaml.Node] | None = []
    else:
        entries = reader.sequence(top["ports"][1], "ports")
    ranges_nodes = reader.sequence(top["ranges"][1], "ranges") if "ranges" in top else []
    ports = tuple(a for i, n in enumerate(entries or ())
                  if (a := reader.assignment(n, i)) is not None)
    ranges = tuple(r for i, n in enumerate(ranges_nodes or ())
                   if (r := reader.range(n, i)) is not None)
    if entries is None or ranges_nodes is None:
        return None
    return Registry(version=1, ports=ports, ranges=ranges)


def _check_version(reader: EntryReader, node: yaml.Node) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG and node.value == "1":
        return
    if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and node.value.strip() == "1":
        reader.error(node, "wrong-type",
                     'version must be the number 1, not the text "1"; remove the quotes')
    elif isinstance(node, yaml.ScalarNode) and node.tag in (INT_TAG, "tag:yaml.org,2002:float"):
        reader.error(node, "unsupported-version",
                     f"unsupported registry version {shorten(node.value)}; this portplan reads "
                     "version: 1")
    else:
        shown = f" '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else ""
        reader.error(node, "wrong-type",
                     f"version must be the number 1, not {kind_of(node)}{shown}; write "
                     "version: 1")


def load_registry(source: str | bytes, path: str = "ports.yaml", *,
                  today: dt.date | None = None) -> Loaded:
    """Read a registry and check every rule of SPEC §1; problems come sorted by position.

    ``today`` (default: the current date) decides whether a ``remove_after`` has passed.
    """
    parsed = compose(source, path)
    problems = list(parsed.problems)
    registry = None
    if parsed.node is not None or not has_errors(problems):
        reader = EntryReader(path, problems, today=today or dt.date.today())
        with gc_paused():
            registry = read_registry(parsed.node, path, problems, reader=reader)
            if registry is not None:
                problems += check_rules(registry, path, replaced_by_at=reader.replaced_by_at)
    return Loaded(registry, sort_problems(problems))


def check_file(path: Path | str, *, display: str | None = None,
               today: dt.date | None = None) -> Loaded:
    """Load the registry file at ``path``; an unreadable file is a :class:`PortplanError`."""
    data = read_registry_bytes(Path(path))
    return load_registry(data, display or str(path), today=today)


def assignment_from_node(node: yaml.Node, path: str, problems: list[Problem]) -> Assignment | None:
    """One ``ports:`` entry from its node (the history reads changed entries one at a time)."""
    return EntryReader(path, problems).assignment(node, 0)


def assignment_from_text(chunk: str, path: str = "ports.yaml") -> Assignment | None:
    """One entry from the text of a block-sequence item (``- port: ...``), or None if unusable."""
    node = compose(chunk, path).node
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
        return None
    problems: list[Problem] = []
    return assignment_from_node(node.value[0], path, problems)


def assignments_from_text(source: str | bytes,
                          path: str = "ports.yaml") -> tuple[Assignment, ...]:
    """The entries of a registry version, leniently: entry-level mistakes drop only that field.

    Raises :class:`PortplanError` when the version cannot be read at all.
    """
    parsed = compose(source, path)
    problems = list(parsed.problems)
    if parsed.node is None:
        first = next((p for p in problems if p.severity is Severity.ERROR), None)
        raise PortplanError(str(first) if first else f"{path}: the registry is empty")
    with gc_paused():
        registry = read_registry(parsed.node, path, problems)
    if registry is None:
        raise PortplanError(str(next(p for p in problems if p.severity is Severity.ERROR)))
    return registry.ports
