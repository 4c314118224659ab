"""The splices that deprecate one entry, written in the entry's own style (block or flow).

See docs/proposing-changes.md for what ``portplan deprecate`` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode

from portplan.model import PortSpan
from portplan.problems import PortplanError
from portplan.registry.scalar import yaml_scalar
from portplan.splicing import Splice, insert_lines, line_ending, ordered, replace_value

_STATUS_ANCHORS = ("port", "protocol", "service", "name")


@dataclass(frozen=True)
class DeprecationEdit:
    """What ``portplan deprecate`` sets: the note and, when given, the successor and end date."""

    note: str
    replaced_by: PortSpan | None = None
    remove_after: dt.date | None = None

    def values(self) -> list[tuple[str, str]]:
        """The keys of ``deprecation:`` to set, with their YAML text."""
        values = [("note", yaml_scalar(self.note))]
        if self.replaced_by is not None:
            values.append(("replaced_by", str(self.replaced_by)))
        if self.remove_after is not None:
            values.append(("remove_after", self.remove_after.isoformat()))
        return values


def where(path: str, node: Node) -> str:
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def pairs(mapping: MappingNode) -> dict[str, tuple[ScalarNode, Node]]:
    """The text keys of a mapping; other keys (``? [a, b]``) are not ours to edit."""
    return {k.value: (k, v) for k, v in mapping.value if isinstance(k, ScalarNode)}


def _status_anchor(entry: MappingNode) -> Node:
    """The value after which a new ``status:`` goes: after port/protocol/service/name."""
    anchor: Node = entry.value[0][1]
    for key, value in entry.value:
        if isinstance(key, ScalarNode) and key.value in _STATUS_ANCHORS:
            anchor = value
    return anchor


def _indent(mapping: MappingNode) -> str:
    # The first key's column; for an explicit `? key` the key sits after the indicator.
    first = mapping.value[0][0].start_mark
    return " " * (mapping.start_mark.column if mapping.start_mark.line == first.line
                  else first.column)


def _flow_mapping(text: str, mapping: MappingNode, values: Sequence[tuple[str, str]]) -> str:
    """A flow mapping with ``values`` set and every other pair kept as it was spelled."""
    wanted = dict(values)
    parts = []
    for key, value in mapping.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if name in wanted:
            parts.append(f"{name}: {wanted.pop(name)}")
        else:
            parts.append(text[key.start_mark.index:value.end_mark.index])
    parts.extend(f"{k}: {v}" for k, v in wanted.items())
    return "{" + ", ".join(parts) + "}"


def _block_deprecation(text: str, mapping: MappingNode, values: Sequence[tuple[str, str]],
                       eol: str) -> list[Splice]:
    """Set ``values`` in a block mapping: replace the ones it has, add the rest after the note."""
    present = pairs(mapping)
    indent = _indent(mapping)
    splices = []
    missing = []
    for name, new in values:
        if name in present:
            splices.append(replace_value(text, present[name][1], new))
        else:
            missing.append(f"{indent}{name}: {new}")
    if missing:
        last = present["note"][1] if "note" in present else mapping.value[-1][1]
        splices.append(insert_lines(text, last.end_mark.index, missing, eol))
    return splices


def _edit_deprecation(text: str, existing: Node, values: Sequence[tuple[str, str]], eol: str,
                      path: str) -> list[Splice]:
    if not isinstance(existing, MappingNode):
        raise PortplanError(f"{where(path, existing)}: `deprecation` is not a mapping; make it "
                            "one (or remove it) by hand, then run `portplan deprecate` again")
    if existing.flow_style or not existing.value:  # `{}` is flow style even in a block
        flow = _flow_mapping(text, existing, values)
        return [Splice(existing.start_mark.index, existing.end_mark.index, flow)]
    return _block_deprecation(text, existing, values, eol)


def plan_deprecation(text: str, entry: MappingNode, edit: DeprecationEdit,
                     path: str = "ports.yaml") -> list[Splice]:
    """The splices that make ``entry`` deprecated, in the entry's own style."""
    eol = line_ending(text)
    present = pairs(entry)
    values = edit.values()
    status = present.get("status")
    existing = present.get("deprecation")
    splices: list[Splice] = []
    if existing is not None:
        splices += _edit_deprecation(text, existing[1], values, eol, path)

    if entry.flow_style:
        new_status = "" if status else ", status: deprecated"
        new_dep = "" if existing else (
            ", deprecation: {" + ", ".join(f"{k}: {v}" for k, v in values) + "}")
        if status:
            splices.append(replace_value(text, status[1], "deprecated"))
            if new_dep:
                splices.append(Splice(status[1].end_mark.index, status[1].end_mark.index, new_dep))
        else:
            at = _status_anchor(entry).end_mark.index
            splices.append(Splice(at, at, new_status + new_dep))
        return ordered(splices)

    indent = _indent(entry)
    lines = [] if status else [f"{indent}status: deprecated"]
    if not existing:
        lines.append(f"{indent}deprecation:")
        lines += [f"{indent}  {k}: {v}" for k, v in values]
    if status:
        splices.append(replace_value(text, status[1], "deprecated"))
        if lines:
            splices.append(insert_lines(text, status[1].end_mark.index, lines, eol))
    else:
        splices.append(insert_lines(text, _status_anchor(entry).end_mark.index, lines, eol))
    return ordered(splices)
