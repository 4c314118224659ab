"""Typed readers of YAML nodes: each reads one kind of value and reports a wrong one.

:class:`NodeReader` knows YAML, not ``ports.yaml``: a mapping without duplicate keys, a list,
text, a date, a URL (ports, blocks and protocols: :mod:`portplan.registry.port_nodes`). Each method
returns the value, or None after recording a problem at the node that says how to fix it. The
schema of the registry (which keys an entry has) is :mod:`portplan.registry.entries`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from portplan.model import MetaValue, Position
from portplan.problems import Problem, Severity
from portplan.registry.source import error_at, problem_at
from portplan.terminal import printable

T = TypeVar("T")

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)

_TYPE_NAMES = {
    STR_TAG: "text", INT_TAG: "an integer", FLOAT_TAG: "a number with a fraction",
    BOOL_TAG: "a boolean", NULL_TAG: "empty (null)", _TIMESTAMP: "a date",
}
_constructor = SafeConstructor()


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, node.tag)


def scalar(node: yaml.ScalarNode) -> object:
    """The Python value of a plain scalar node, as YAML 1.1 (PyYAML) resolves it."""
    # Not construct_object(): it caches every node it sees, and the constructor lives as long
    # as the process (a leak across `mkdocs serve` rebuilds).
    construct = SafeConstructor.yaml_constructors.get(node.tag)
    return node.value if construct is None else construct(_constructor, node)


# docs/registry-format.md, control-character: the fields that are one line of text.
ONE_LINE_FIELDS = frozenset(("service", "name", "location", "command", "owner", "contact",
                             "role", "bind", "environments", "env_var", "meta"))
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all of C0 and C1 but \n
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class NodeReader:
    """Reads typed values from nodes; collects problems instead of stopping at the first."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, node: yaml.Node | None, code: str, message: str) -> None:
        self.problems.append(error_at(self.path, node.start_mark if node else None, code, message))

    def warn(self, node: yaml.Node, code: str, message: str) -> None:
        self.problems.append(problem_at(self.path, node.start_mark, Severity.WARNING, code,
                                        message))

    def position(self, node: yaml.Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    # -- shapes ---------------------------------------------------------------------------------
    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...] | None
                ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """Keys to (key node, value node); reports duplicates and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "wrong-type",
                       f"{what} must be a mapping of keys to values, not {kind_of(node)}"
                       + _mapping_hint(node))
            return None
        seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                self.error(key_node, "yaml-merge-key",
                           f"the merge key '<<' is not allowed in {what}; write the keys out "
                           "in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                shown = (f" {shorten(key_node.value)}" if isinstance(key_node, yaml.ScalarNode)
                         else "")
                self.error(key_node, "wrong-type",
                           f"keys in {what} must be text, not {kind_of(key_node)}{shown}; "
                           "use a name such as 'port'")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key][0].start_mark
                self.error(key_node, "duplicate-key",
                           f"duplicate key '{shorten(key)}' in {what} (first at line "
                           f"{first.line + 1}, column {first.column + 1}); YAML would silently "
                           "keep only the last one: remove one of them")
                continue
            if allowed is not None and key not in allowed:
                close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "allowed keys: " + ", ".join(allowed))
                self.error(key_node, "unknown-key",
                           f"unknown key '{shorten(key)}' in {what}; {hint}")
                continue
            seen[key] = (key_node, value_node)
        return seen

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "wrong-type", f"{what} must be a list, not {kind_of(node)}"
                       + ("; write it as [a, b] or as '- item' lines"
                          if isinstance(node, yaml.ScalarNode)
                          else "; start each item with '- '"))
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            self.characters(node, what)
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
            quoted = shorten(node.value).replace("\\", "\\\\").replace('"', '\\"')
            self.error(node, "wrong-type",
                       f"{what} must be text, not {kind_of(node)}; quote it: \"{quoted}\"")
        elif isinstance(node, yaml.ScalarNode):
            self.error(node, "wrong-type",
                       f"{what} is empty; write a value, or remove the key")
        else:
            self.error(node, "wrong-type", f"{what} must be text, not {kind_of(node)}")
        return None

    def characters(self, node: yaml.ScalarNode, what: str) -> None:
        """Control characters are errors, and line breaks in a one-line field; bidi: a warning."""
        value = node.value
        block = node.style in ("|", ">")
        found = _CONTROL.search(value.replace("\t", "") if block else value)
        one_line = what.split(" ", 1)[0] in ONE_LINE_FIELDS
        if found is None and one_line:
            found = _LINE_BREAK.search(value)
        if found is not None:
            char = found.group()
            kind = "a line break" if char in "\n\u2028\u2029" else "a control character"
            fix = ("keep it on one line" if kind == "a line break" and one_line
                   else "remove it (a tab is allowed only in a | or > block)" if char == "\t"
                   else "remove it")
            self.error(node, "control-character",
                       f"{what} contains {kind} (U+{ord(char):04X}) at character "
                       f"{found.start() + 1}; {fix}")
        elif (bidi := _BIDI.search(value)) is not None:
            self.warn(node, "bidi-control",
                      f"{what} contains the bidirectional control U+{ord(bidi.group()):04X}, "
                      "which can make the text read differently from what it is; remove it "
                      "unless the text needs it")

    def required_text(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not value.strip():
            self.error(node, "empty-value", f"{what} is empty; write what it is")
            return None
        return value

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (STR_TAG, _TIMESTAMP):
            value = None
            if _ISO_DATE.fullmatch(node.value):
                try:
                    value = dt.date.fromisoformat(node.value)
                except ValueError:
                    self.error(node, "invalid-date",
                               f"{what} is '{shorten(node.value)}', which is not a day of the "
                               "calendar; write a real date as YYYY-MM-DD")
                    return None
            if value is not None:
                return value
        shown = f"is '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else \
            f"is {kind_of(node)}"
        self.error(node, "invalid-date",
                   f"{what} {shown}, not a date; write it as YYYY-MM-DD, e.g. 2026-06-01")
        return None

    def url(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not _URL.fullmatch(value):
            self.error(node, "bad-link",
                       f"{what} is '{shorten(value, 80)}', not an http(s) URL; links must "
                       "start with https:// or http:// and contain no spaces")
            return None
        return value

    def each(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str,
             read: Callable[[yaml.Node, str], T | None], what: str) -> T | None:
        if key not in fields:
            return None
        return read(fields[key][1], what)

def shorten(value: str, limit: int = 60) -> str:
    """A value as quoted in a message, cut short when it is long, control characters escaped."""
    value = printable(value, one_line=True)
    return value if len(value) <= limit else f"{value[:limit]}... ({len(value)} characters)"


def _mapping_hint(node: yaml.Node) -> str:
    if node.start_mark.line == 0 and node.start_mark.column == 0:
        return "; start the file with 'version: 1' and 'ports:'"
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return "; fill it in, or remove it"
    return ""


def scalar_value(node: yaml.ScalarNode) -> MetaValue:
    try:
        value = scalar(node)
    except (ConstructorError, ValueError):
        return str(node.value)
    return value if isinstance(value, str | int | float | bool) else str(node.value)
