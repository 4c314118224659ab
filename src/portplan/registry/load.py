"""Read ``ports.yaml`` into a :class:`Registry`, reporting every problem with its position.

>>> loaded = load_registry("version: 1\\nports:\\n  - {port: 3000, service: Grafana}\\n")
>>> [str(a.port) for a in loaded.registry.ports], loaded.problems
(['3000'], [])
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from portplan.model import Assignment, Registry
from portplan.problems import (
    PortplanError,
    Problem,
    Severity,
    between_entries,
    has_errors,
    sort_problems,
    unreadable,
)
from portplan.registry.acceptance import AcceptedWarning, accept_warnings
from portplan.registry.entries import EntryReader
from portplan.registry.file_bytes import read_registry_bytes
from portplan.registry.rules import check_rules
from portplan.registry.source import TAB_INDENT, YamlLoader, compose, gc_paused

_PLAIN = re.compile(r"[\x20\x22-\x25\x27-\x29\x2b-\x7e\n]*")  # printable ASCII but ! & *
_DEEP = "\n" + " " * 24  # more indentation than a registry entry ever needs


@dataclass
class Loaded:
    """The outcome of reading a registry: the records (None if unusable) and every problem.

    ``accepted`` holds the warnings that entries accepted (``accept:``); they are not among
    ``problems``.
    """

    registry: Registry | None
    problems: list[Problem] = field(default_factory=list)
    accepted: list[AcceptedWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.registry is not None and not has_errors(self.problems)

    @property
    def readable(self) -> bool:
        """Whether there is a registry to work on: no error but those between entries."""
        return self.registry is not None and not unreadable(self.problems)

    @property
    def between_entries(self) -> list[Problem]:
        """The errors between entries (conflicts, replacements) of a readable registry."""
        return between_entries(self.problems)


def read_registry(node: yaml.Node | None, path: str, problems: list[Problem], *,
                  today: dt.date | None = None) -> Registry | None:
    """The registry in a composed document, or None when its top level is unusable."""
    return EntryReader(path, problems, today=today).registry(node)


def load_registry(source: str | bytes, path: str = "ports.yaml", *,
                  today: dt.date | None = None) -> Loaded:
    """Read a registry and check every rule of docs/registry-format.md; problems come sorted.

    ``today`` (default: the current date) decides whether a ``remove_after`` has passed.
    """
    parsed = compose(source, path)
    problems = list(parsed.problems)
    registry = None
    accepted: list[AcceptedWarning] = []
    if parsed.node is not None or not has_errors(problems):
        with gc_paused():
            registry = read_registry(parsed.node, path, problems,
                                     today=today or dt.date.today())
            if registry is not None:
                problems += check_rules(registry, path)
                problems, accepted = accept_warnings(problems, registry)
    return Loaded(registry, sort_problems(problems), accepted)


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


def assignment_from_item(chunk: str) -> Assignment | None:
    """One item of ``ports:`` on its own, or None when only the whole file can judge it.

    What the history reads for each changed item: :func:`assignment_from_text`, made fast.
    Plain items (printable ASCII, no tags, anchors, aliases, tabs or deep nesting: nearly all
    of them) are composed by libyaml directly, several times faster than the registry's own
    careful composer, which gives the same nodes for them; the rest go through that composer.
    The whole-file loader rejects a version for a tab in the indentation or any anchor or
    alias; a lone item would read fine, so such items go back to the whole-file path.
    """
    if _PLAIN.fullmatch(chunk) and chunk.count("[") + chunk.count("{") < 8 \
            and _DEEP not in chunk:
        try:
            node = yaml.compose(chunk, Loader=YamlLoader)
        except yaml.YAMLError:
            return None
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
            return None
        return assignment_from_node(node.value[0], "ports.yaml", [])
    if "\t" in chunk and TAB_INDENT.search(chunk):
        return None
    if ("&" in chunk or "*" in chunk) and _has_anchor(chunk):
        return None
    return assignment_from_text(chunk)


def _has_anchor(chunk: str) -> bool:
    try:
        return any(isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
                   for event in yaml.parse(chunk, Loader=YamlLoader))
    except yaml.YAMLError:
        return True


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
