"""The documents of a Compose or Kubernetes file as plain values that know their lines.

PyYAML's parser gives events; we build the values ourselves, without recursion (libyaml's
composer recurses per nesting level). Scalars stay text (``8080:80`` is no base-60 number, as
YAML 1.1 would read it). An alias is the very object its anchor made, never a copy, so a
"billion laughs" document costs what its text costs: readers walk shared values once.
Merge keys (``<<: *defaults``), which Compose files use, are applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


class Scalar(str):
    """A scalar's text, with the 1-based line and column where it starts."""

    line: int
    column: int


class Mapping(dict[str, Any]):
    line: int


class Sequence(list[Any]):
    line: int


Value = Scalar | Mapping | Sequence


class YamlProblem(Exception):
    """The file is not YAML we can read; the message says where and why."""


def _at(node: Any, mark: Any) -> Any:
    node.line = mark.line + 1
    if isinstance(node, Scalar):
        node.column = mark.column + 1
    return node


def _merge(target: Mapping, merged: Any) -> None:
    for source in merged if isinstance(merged, Sequence) else [merged]:
        if isinstance(source, Mapping):
            for key, value in source.items():
                target.setdefault(key, value)


class _Builder:
    """Values from parser events, one document at a time, with an explicit stack."""

    def __init__(self) -> None:
        self.anchors: dict[str, Any] = {}
        self.stack: list[Mapping | Sequence] = []
        self.keys: list[str | None] = []  # per open container: the key awaiting its value
        self.root: Any = None

    def node(self, event: Any) -> Any:
        """The value an event starts, or None for events that start none."""
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                mark = event.start_mark
                raise YamlProblem(f"line {mark.line + 1 if mark else '?'}: unknown alias "
                                  f"*{event.anchor}")
            return self.anchors[event.anchor]
        if isinstance(event, yaml.ScalarEvent):
            node: Any = _at(Scalar(event.value), event.start_mark)
        elif isinstance(event, yaml.SequenceStartEvent):
            node = _at(Sequence(), event.start_mark)
        elif isinstance(event, yaml.MappingStartEvent):
            node = _at(Mapping(), event.start_mark)
        else:
            return None
        if event.anchor is not None:
            self.anchors[event.anchor] = node
        return node

    def attach(self, node: Any) -> None:
        if not self.stack:
            self.root = node
        elif isinstance(self.stack[-1], Sequence):
            self.stack[-1].append(node)
        elif self.keys[-1] is None:
            self.keys[-1] = node if isinstance(node, Scalar) else "<complex key>"
        else:
            key, self.keys[-1] = self.keys[-1], None
            self.stack[-1][key] = node  # "<<" is merged when the mapping ends, complete

    def feed(self, event: Any) -> Any:
        """The finished document when ``event`` ends one, else None."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.anchors, self.root = {}, None
        elif isinstance(event, yaml.DocumentEndEvent):
            return self.root
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            ended = self.stack.pop()
            self.keys.pop()
            if isinstance(ended, Mapping) and "<<" in ended:
                _merge(ended, ended.pop("<<"))
        elif (node := self.node(event)) is not None:
            self.attach(node)
            if isinstance(node, Mapping | Sequence) and not isinstance(event, yaml.AliasEvent):
                self.stack.append(node)
                self.keys.append(None)
        return None


def documents(text: str) -> Iterator[Value]:
    """Each document of ``text`` in turn; raises :class:`YamlProblem` where it stops parsing."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if (document := builder.feed(event)) is not None:
                yield document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise YamlProblem(f"{where}{exc.problem or exc.context or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc)) from None
