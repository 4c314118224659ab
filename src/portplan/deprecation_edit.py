"""`portplan deprecate` as a pure edit of text: find the entry, splice, verify.

The entry is found through the same reader as ``portplan check`` (leniently: mistakes elsewhere
in the file do not stop the edit; the command checks the result). The splices come from
:mod:`portplan.deprecation_plan`, and the result is verified against the node tree of the
original before anyone may write it. See docs/proposing-changes.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portplan.deprecation_plan import DeprecationEdit, pairs, plan_deprecation, where
from portplan.model import Assignment, PortSpan
from portplan.port_arguments import parse_port
from portplan.problems import InternalError, PortplanError, Problem, Severity
from portplan.registry import source as yamlsource
from portplan.registry.entries import EntryReader
from portplan.splicing import apply_splices

__all__ = ["DeprecationEdit", "Target", "deprecate_entry", "deprecate_in_text"]


@dataclass(frozen=True)
class Target:
    """Which entry: ``8090``, ``8090/udp`` or ``8020-8029/tcp``, maybe in one environment."""

    port: PortSpan
    protocol: str | None = None
    environment: str | None = None

    @classmethod
    def parse(cls, text: str, environment: str | None = None) -> Target:
        return cls(*parse_port(text), environment)

    def __str__(self) -> str:
        return f"{self.port}/{self.protocol}" if self.protocol else str(self.port)


@dataclass(frozen=True)
class _Entry:
    index: int
    node: MappingNode
    record: Assignment

    def describe(self, path: str) -> str:
        a = self.record
        envs = f" in {', '.join(a.environments)}" if a.environments else ""
        return f"{a.service} ({a.port}/{'/'.join(a.protocols)}{envs}) at {where(path, self.node)}"


def _compose(text: str, path: str) -> Node | None:
    source = yamlsource.compose(text, path)
    if source.node is None:
        first = next((p for p in source.problems if p.severity is Severity.ERROR), None)
        if first is not None:
            raise PortplanError(f"{first.file}:{first.line}:{first.column}: {first.message}")
    return source.node


def _entries(root: Node | None, path: str) -> list[_Entry]:
    reader = EntryReader(path, [], lenient=True)  # the command checks the result, not this
    nodes = reader.entry_nodes(root)
    if nodes is None and not isinstance(root, MappingNode):
        raise PortplanError(f"{path}:1:1: the top level is not a mapping with `ports:`; "
                            "run `portplan check` to see what is wrong")
    if nodes is None:
        raise PortplanError(f"{path}:1:1: there is no `ports:` list; run `portplan check`")
    return [_Entry(index, node, record) for index, node in enumerate(nodes)
            if isinstance(node, MappingNode)
            and (record := reader.assignment(node, index)) is not None]


def find_entry(entries: Sequence[_Entry], target: Target, path: str) -> _Entry:
    """The one entry ``target`` names; PortplanError saying how to narrow it down otherwise."""
    exact = [e for e in entries if e.record.port == target.port]
    if not exact:
        around = [e for e in entries
                  if e.record.port is not None and e.record.port.overlaps(target.port)]
        hint = (f"; it lies in {around[0].describe(path)}: name the whole block "
                f"({around[0].record.port})" if around else "")
        raise PortplanError(f"{path}: no entry holds port {target.port}{hint}")
    matches = exact
    if target.protocol:
        matches = [e for e in matches if target.protocol in e.record.protocols]
    if target.environment:
        matches = [e for e in matches if e.record.environments is None
                   or target.environment in e.record.environments]
    if not matches:
        listed = "; ".join(e.describe(path) for e in exact)
        raise PortplanError(f"{path}: no entry on {target} matches; the port is held by {listed}")
    if len(matches) > 1:
        listed = "; ".join(e.describe(path) for e in matches)
        protocols = {p for e in matches for p in e.record.protocols}
        how = (f"name the protocol, e.g. {target.port}/{sorted(protocols)[-1]}"
               if len(protocols) > 1 and not target.protocol
               else "name the environment with --environment")
        raise PortplanError(f"{path}: port {target} is held by {len(matches)} entries: {listed}; "
                            f"{how}")
    return matches[0]


def deprecate_in_text(text: str, target: Target, edit: DeprecationEdit,
                      path: str = "ports.yaml") -> str:
    """``text`` with the entry ``target`` names deprecated; every other byte unchanged.

    Raises PortplanError when the entry cannot be found or named unambiguously.
    """
    return deprecate_entry(text, target, edit, path)[0]


def deprecate_entry(text: str, target: Target, edit: DeprecationEdit,
                    path: str = "ports.yaml") -> tuple[str, str]:
    """Like :func:`deprecate_in_text`, also returning which entry was edited, for messages."""
    if not edit.note.strip():
        raise PortplanError("the note is empty; say what replaces the port and how to migrate")
    bom = yamlsource.BOM if text.startswith(yamlsource.BOM) else ""
    body = text[len(bom):]
    entry = find_entry(_entries(_compose(body, path), path), target, path)
    new_body = apply_splices(body, plan_deprecation(body, entry.node, edit, path))
    _verify(body, new_body, entry, edit, path)
    return bom + new_body, entry.describe(path)


# --- verifying the result -----------------------------------------------------------------------
# A safety net for the splicing: outside the entry not a byte may change, and the entry must read
# as the old one with exactly the deprecation set. Trees of (tag, text) pairs, not loaded values:
# a value YAML cannot construct (`!!int abc`, `2026-02-30`, a list as a key) is still comparable.

_Tree = tuple[object, ...]
_INT, _STR, _DATE = (f"tag:yaml.org,2002:{t}" for t in ("int", "str", "timestamp"))


def _tree(node: Node) -> _Tree:
    if isinstance(node, ScalarNode):
        return (node.tag, node.value)
    if isinstance(node, SequenceNode):
        return ("seq", tuple(_tree(n) for n in node.value))
    return ("map", frozenset((_tree(k), _tree(v)) for k, v in node.value))


def _expected(entry: MappingNode, edit: DeprecationEdit) -> _Tree:
    fields = {_tree(k): _tree(v) for k, v in entry.value}
    old = pairs(entry).get("deprecation")
    deprecation = {_tree(k): _tree(v) for k, v in old[1].value} if (
        old and isinstance(old[1], MappingNode)) else {}
    deprecation[(_STR, "note")] = (_STR, edit.note)
    if edit.replaced_by is not None:
        span = edit.replaced_by
        deprecation[(_STR, "replaced_by")] = (_STR, str(span)) if span.is_block else (
            _INT, str(span))
    if edit.remove_after is not None:
        deprecation[(_STR, "remove_after")] = (_DATE, edit.remove_after.isoformat())
    fields[(_STR, "status")] = (_STR, "deprecated")
    fields[(_STR, "deprecation")] = ("map", frozenset(deprecation.items()))
    return ("map", frozenset(fields.items()))


def _verify(old: str, new: str, entry: _Entry, edit: DeprecationEdit, path: str) -> None:
    start, end = entry.node.start_mark.index, entry.node.end_mark.index
    if new[:start] != old[:start] or not new.endswith(old[end:]):
        raise InternalError("the edit changed text outside the entry")
    problems: list[Problem] = []
    nodes = EntryReader(path, problems, lenient=True).entry_nodes(yamlsource.compose(new).node)
    if nodes is None or len(nodes) <= entry.index:
        raise InternalError(f"the edit would make the file unreadable ({problems[:1]})")
    if _tree(nodes[entry.index]) != _expected(entry.node, edit):
        raise InternalError("the edited entry does not read as the old one, deprecated")

