"""Dockerfiles: ``EXPOSE`` (a listener), ``ENV``/``ARG`` assignments, server flags in ``CMD``.

Read with dockerfile-parse, which joins continuation lines, drops comments and knows the
parser directives; we keep to its ``structure`` (instruction, value, start line).
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

from dockerfile_parse import DockerfileParser

from portplan.scan import commandline, values
from portplan.scan.places import FileScan, Role

# dockerfile-parse logs each instruction it reads at debug level; nothing we need to see.
logging.getLogger("dockerfile_parse").setLevel(logging.WARNING)


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    lines = text.splitlines()
    for instruction in parser.structure:
        kind, value, line = instruction["instruction"], instruction["value"], \
            instruction["startline"] + 1
        shown = lines[line - 1] if line <= len(lines) else ""
        if kind == "EXPOSE":
            for word in value.split():
                ports, _, protocol = word.partition("/")
                line, shown = _physical(lines, instruction, word)
                expanded, variable = values.expand(ports, found.variables)
                spanned = values.span(expanded) if expanded is not None else None
                if spanned is not None:
                    found.add(line, values.column_of(shown, ports), spanned, Role.LISTENER,
                              "EXPOSE", protocol=protocol.lower() or "tcp", variable=variable)
        elif kind in ("ENV", "ARG"):
            _assignments(found, line, shown, value, env_vars)
        elif kind in ("CMD", "ENTRYPOINT", "RUN"):
            _command(found, line, shown, value, env_vars)


def _physical(lines: list[str], instruction: dict[str, Any], word: str) -> tuple[int, str]:
    """The line of a continued instruction that holds ``word``, and its text."""
    for number in range(instruction["startline"], instruction["endline"] + 1):
        if number < len(lines) and word in lines[number]:
            return number + 1, lines[number]
    start = instruction["startline"]
    return start + 1, lines[start] if start < len(lines) else ""


def _assignments(found: FileScan, line: int, shown: str, value: str,
                 env_vars: frozenset[str]) -> None:
    try:
        words = commandline.words(value)
    except ValueError:
        found.notice(line, "unterminated quote in ENV/ARG; the instruction is skipped")
        return
    if len(words) == 2 and "=" not in words[0]:  # the old form: ENV NAME value
        words = [f"{words[0]}={words[1]}"]
    for word in words:
        name, eq, setting = word.partition("=")
        if eq:
            values.assignment(found, line, values.column_of(shown, name), name, setting,
                              env_vars=env_vars)
            expanded, _ = values.expand(setting, found.variables)
            if expanded is not None:  # EXPOSE $PORT and the shell form of CMD read it
                found.variables[name] = expanded


def _command(found: FileScan, line: int, shown: str, value: str,
             env_vars: frozenset[str]) -> None:
    if value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list) or not all(isinstance(w, str) for w in parsed):
            found.notice(line, "the JSON form of this instruction does not parse; skipped")
            return
        # The JSON (exec) form runs no shell: "$PORT" reaches the program as it is.
        kept, found.variables = found.variables, {}
        commandline.read_command(found, line, shown, parsed, env_vars)
        found.variables = kept
        return
    try:
        words = commandline.words(value)
    except ValueError:
        found.notice(line, "unterminated quote in this instruction; it is skipped")
        return
    commandline.read_command(found, line, shown, words, env_vars)
