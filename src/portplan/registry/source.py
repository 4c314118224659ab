"""From the bytes of a file to a YAML node tree that still knows where everything is.

PyYAML's loaders build Python objects and silently keep the last of duplicate keys, so we stop
at the node tree and read it ourselves. We also build that tree ourselves, from the parser's
event stream, without recursion: libyaml's own composer recurses once per nesting level and
crashes the interpreter (a segfault, not an exception) on a few hundred thousand ``[``. One pass
over the events also catches what the registry forbids before any of it is read: more than one
document, anchors and aliases, unknown tags, and absurd nesting. Every node keeps its start
mark, which is where each message points.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.resolver import Resolver

from portplan.problems import Problem, Severity

# libyaml parses ~10x faster; both parsers produce the same events.
YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)

BOM = "\ufeff"
MAX_DEPTH = 20  # the registry needs 4 levels (top, ports, entry, deprecation); 20 is generous
TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
# What YAML 1.1 forbids in a stream (PyYAML's Reader.NON_PRINTABLE).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAX_CHARACTER_PROBLEMS = 20
STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
# PyYAML's stubs leave resolve() untyped; it returns the implicit tag of a plain node.
_resolve: Callable[[type[yaml.Node], str | None, Any], str] = Resolver().resolve


@dataclass(frozen=True)
class Source:
    """A decoded registry: its text (BOM removed) and the problems found on the way."""

    path: str
    text: str | None
    node: yaml.Node | None
    problems: tuple[Problem, ...]


def problem_at(path: str, mark: Any, severity: Severity, code: str,
               message: str) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(path, line, column, severity, code, message)


def error_at(path: str, mark: Any, code: str, message: str) -> Problem:
    return problem_at(path, mark, Severity.ERROR, code, message)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    A 5 MB registry makes ~1M nodes and records; each GC generation pass rescans them all, which
    measured 2.6 s against 0.96 s for composing with the collector paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _line_column(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def invalid_utf8(source: bytes, exc: UnicodeDecodeError, path: str) -> Problem:
    """The error for the first byte that is not UTF-8, at its line and column."""
    before = source[: exc.start]
    line = before.count(b"\n") + 1
    # The column counts characters, as editors do, not bytes.
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return Problem(path, line, column, Severity.ERROR, "invalid-utf8",
                   f"invalid UTF-8 byte 0x{source[exc.start]:02x}; the registry must be UTF-8: "
                   "re-save the file as UTF-8")


def decode(source: bytes | str, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes to text. A BOM is a warning; an invalid byte an error at its line and column."""
    problems: list[Problem] = []
    if isinstance(source, str):
        text = source
    else:
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [invalid_utf8(source, exc, path)]
    if text.startswith(BOM):
        problems.append(Problem(
            path, 1, 1, Severity.WARNING, "byte-order-mark",
            "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"))
        text = text[1:]
    return text, problems


def _character_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for match in _NON_PRINTABLE.finditer(text):
        line, column = _line_column(text, match.start())
        problems.append(Problem(
            path, line, column, Severity.ERROR, "invalid-character",
            f"control character U+{ord(match[0]):04X} is not allowed in YAML; remove it"))
        if len(problems) == _MAX_CHARACTER_PROBLEMS:
            break
    return problems


def _tab_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for match in TAB_INDENT.finditer(text):
        line, _ = _line_column(text, match.start())
        problems.append(Problem(
            path, line, match.end() - match.start(), Severity.ERROR, "tab-indent",
            "tab character in indentation; YAML indents with spaces only: replace it with spaces"))
    return problems


def _syntax_problem(path: str, exc: yaml.MarkedYAMLError) -> Problem:
    what = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark is not None:
        what += f" ({exc.context} that starts at line {exc.context_mark.line + 1}, column " \
                f"{exc.context_mark.column + 1})"
    elif exc.context:
        what += f" ({exc.context})"
    mark = exc.problem_mark or exc.context_mark
    return error_at(path, mark, "yaml-syntax",
                    f"YAML syntax error: {what}; fix the YAML syntax here")


def _marks(event: Any) -> tuple[Any, Any]:
    # libyaml's marks are its own type; they carry the same line, column and index.
    return event.start_mark, event.end_mark


class _Composer:
    """Builds the node tree of the first document from parser events, iteratively."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.root: yaml.Node | None = None
        self.documents = 0
        self.unusable = False  # aliases or runaway nesting: the tree cannot be trusted

    def _tag(self, event: Any, kind: type[yaml.Node], value: str | None) -> str:
        tag: str | None = event.tag
        if tag is not None and tag != "!" and tag not in STANDARD_TAGS:
            self.problems.append(error_at(
                self.path, event.start_mark, "yaml-tag",
                f"the YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in "
                "the registry; remove it"))
            tag = None
        if tag == "!" and kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"  # the non-specific tag: text, never resolved
        if tag is None or tag == "!":
            implicit = event.implicit if kind is yaml.ScalarNode else True
            if kind is yaml.ScalarNode and event.tag is not None:
                # A removed tag: read the value as if it had never been tagged.
                implicit = (not event.style, False)
            return _resolve(kind, value, implicit)
        return tag

    def _attach(self, stack: list[yaml.Node], keys: list[bool], node: yaml.Node) -> None:
        if not stack:
            self.root = node
            return
        parent = stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif keys[-1]:
            parent.value.append((node, None))
            keys[-1] = False
        else:
            parent.value[-1] = (parent.value[-1][0], node)
            keys[-1] = True

    def run(self, events: Iterable[Any]) -> None:
        stack: list[yaml.Node] = []
        keys: list[bool] = []  # per open mapping: is the next node a key?
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.problems.append(error_at(
                        self.path, event.start_mark, "yaml-multiple-documents",
                        "the registry must be one YAML document, but a second one starts "
                        "here; merge it into the first, or remove it and the '---' line"))
                    return
                continue
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None \
                    and not isinstance(event, yaml.AliasEvent):
                self.problems.append(error_at(
                    self.path, event.start_mark, "yaml-anchor",
                    f"anchor &{event.anchor} is not allowed in the registry; remove it and "
                    "write values out in full"))
            if isinstance(event, yaml.AliasEvent):
                self.problems.append(error_at(
                    self.path, event.start_mark, "yaml-alias",
                    f"alias *{event.anchor} is not allowed in the registry; write the value "
                    "out in full"))
                self.unusable = True
                node: yaml.Node = yaml.ScalarNode("tag:yaml.org,2002:null", "", *_marks(event))
                self._attach(stack, keys, node)
            elif isinstance(event, yaml.ScalarEvent):
                tag = self._tag(event, yaml.ScalarNode, event.value)
                self._attach(stack, keys, yaml.ScalarNode(
                    tag, event.value, *_marks(event), style=event.style))
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    self.problems.append(error_at(
                        self.path, event.start_mark, "yaml-too-deep",
                        f"the YAML nests more than {MAX_DEPTH} levels deep here; a registry "
                        "needs 4 (top level, ports, entry, deprecation): flatten it"))
                    self.unusable = True
                    return
                if isinstance(event, yaml.SequenceStartEvent):
                    tag = self._tag(event, yaml.SequenceNode, None)
                    collection: yaml.Node = yaml.SequenceNode(
                        tag, [], _marks(event)[0], None, flow_style=event.flow_style)
                else:
                    tag = self._tag(event, yaml.MappingNode, None)
                    collection = yaml.MappingNode(
                        tag, [], _marks(event)[0], None, flow_style=event.flow_style)
                self._attach(stack, keys, collection)
                stack.append(collection)
                keys.append(True)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                stack.pop().end_mark = _marks(event)[1]
                keys.pop()


def compose(source: bytes | str, path: str = "ports.yaml") -> Source:
    """Decode and compose ``source``; when it is unusable ``node`` is None and problems say why."""
    text, problems = decode(source, path)
    if text is None:
        return Source(path, None, None, tuple(problems))
    characters = _character_problems(text, path)
    if characters:  # the parser would stop at the first with a byte offset; we give them all
        return Source(path, text, None, tuple(problems + characters))
    composer = _Composer(path)
    try:
        with gc_paused():
            composer.run(yaml.parse(text, Loader=YamlLoader))
    except yaml.MarkedYAMLError as exc:
        if (exc.problem_mark is not None and "nesting depth" in str(exc.problem)
                and not composer.problems):
            # libyaml >= 0.2.6 stops at depth 1000 while scanning ahead, before we see the
            # events; the text before that point shows where our own limit is crossed.
            composer = _Composer(path)
            with suppress(yaml.MarkedYAMLError), gc_paused():
                composer.run(yaml.parse(text[:exc.problem_mark.index], Loader=YamlLoader))
            if composer.unusable:
                return Source(path, text, None, tuple(problems + composer.problems))
        # libyaml's message for a tab is cryptic; ours says what to do.
        tabs = _tab_problems(text, path)
        problems += composer.problems + (tabs or [_syntax_problem(path, exc)])
        return Source(path, text, None, tuple(problems))
    except yaml.YAMLError as exc:  # pragma: no cover - characters are checked above
        problems.append(Problem(path, 1, 1, Severity.ERROR, "yaml-syntax",
                                f"YAML syntax error: {exc}"))
        return Source(path, text, None, tuple(problems))
    problems += composer.problems
    node = None if composer.unusable else composer.root
    return Source(path, text, node, tuple(problems))
