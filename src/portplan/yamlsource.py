"""From the bytes of a file to a YAML node tree that still knows where everything is.

PyYAML's loaders build Python objects and silently keep the last of duplicate keys, so we stop
at the node tree (composition) and read it ourselves. Every node keeps its start mark, which is
where each message points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from portplan.problems import Problem, Severity

# libyaml is ~10x faster; the pure loader gives the same nodes.
YamlLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)

BOM = "\ufeff"
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


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


def decode(source: bytes | str, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes to text. A BOM is a warning; an invalid byte an error at its line and column."""
    problems: list[Problem] = []
    if isinstance(source, str):
        text = source
    else:
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = source[: exc.start]
            line = before.count(b"\n") + 1
            column = exc.start - (before.rfind(b"\n") + 1) + 1
            problems.append(Problem(
                path, line, column, Severity.ERROR, "invalid-utf8",
                f"invalid UTF-8 byte 0x{source[exc.start]:02x}; save the file as UTF-8"))
            return None, problems
    if text.startswith(BOM):
        problems.append(Problem(
            path, 1, 1, Severity.WARNING, "byte-order-mark",
            "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"))
        text = text[1:]
    return text, problems


def _tab_problems(text: str, path: str) -> list[Problem]:
    problems = []
    for match in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(Problem(
            path, line, match.end() - match.start(), Severity.ERROR, "tab-indent",
            "tab character in indentation; YAML indents with spaces only: replace it with spaces"))
    return problems


def _alias_problems(text: str, path: str) -> list[Problem]:
    """Anchors and aliases hide repeated values (and YAML bombs); the registry spells things out."""
    problems = []
    for event in yaml.parse(text, Loader=YamlLoader):
        if isinstance(event, yaml.AliasEvent):
            problems.append(error_at(
                path, event.start_mark, "yaml-alias",
                f"alias *{event.anchor} is not allowed in the registry; write the value out "
                "in full"))
        elif isinstance(event, yaml.NodeEvent) and event.anchor:
            problems.append(error_at(
                path, event.start_mark, "yaml-anchor",
                f"anchor &{event.anchor} is not allowed in the registry; remove it and write "
                "values out in full"))
    return problems


def compose(source: bytes | str, path: str = "ports.yaml") -> Source:
    """Decode and compose ``source``; on a syntax problem ``node`` is None and problems say why."""
    text, problems = decode(source, path)
    if text is None:
        return Source(path, None, None, tuple(problems))
    tabs = _tab_problems(text, path)
    if tabs:  # libyaml's own message for a tab is cryptic; ours says what to do.
        return Source(path, text, None, tuple(problems + tabs))
    try:
        problems += _alias_problems(text, path)
        node = yaml.compose(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as exc:
        what = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        problems.append(error_at(path, exc.problem_mark, "yaml-syntax",
                                 f"YAML syntax error: {what}{context}; fix the YAML syntax here"))
        return Source(path, text, None, tuple(problems))
    except yaml.YAMLError as exc:
        problems.append(Problem(path, 1, 1, Severity.ERROR, "yaml-syntax",
                                f"YAML syntax error: {exc}"))
        return Source(path, text, None, tuple(problems))
    except RecursionError:
        problems.append(Problem(path, 1, 1, Severity.ERROR, "yaml-too-deep",
                                "the YAML nests too deeply to read; the registry needs only "
                                "a few levels of nesting"))
        return Source(path, text, None, tuple(problems))
    if any(p.code == "yaml-alias" for p in problems):
        node = None  # aliased nodes would be read twice; report and stop here
    return Source(path, text, node, tuple(problems))
