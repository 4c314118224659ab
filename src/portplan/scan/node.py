"""package.json scripts and dev-server configs (``vite.config.*``: ``server: {port: N}``)."""

from __future__ import annotations

import json
import re

from portplan.model import PortSpan
from portplan.scan import commandline, values
from portplan.scan.places import FileScan, Role

_PORT_KEY = re.compile(r"\bport\s*:\s*([0-9]{1,5})\b")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT = re.compile(r"(?<![:\"'])//.*")


def read_package(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    try:
        package = json.loads(text)
    except ValueError as exc:
        found.notice(getattr(exc, "lineno", 1), "package.json does not parse; skipped")
        return
    scripts = package.get("scripts") if isinstance(package, dict) else None
    if not isinstance(scripts, dict):
        return
    lines = text.splitlines()
    after = text.find('"scripts"')
    for name, command in scripts.items():
        if not isinstance(command, str):
            continue
        at = text.find(json.dumps(name), after)
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        try:
            words = commandline.words(command)
        except ValueError:
            found.notice(line, f"unterminated quote in script {name!r}; skipped")
            continue
        commandline.read_command(found, line, lines[line - 1] if lines else "", words,
                                 env_vars)


def read_dev_server(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    # Comments are blanked, not removed, so that line numbers stay.
    code = _BLOCK_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)
    code = _LINE_COMMENT.sub("", code)
    for match in _PORT_KEY.finditer(code):
        number = values.port(match[1])
        if number is not None:
            line = code.count("\n", 0, match.start()) + 1
            column = match.start(1) - code.rfind("\n", 0, match.start(1))
            found.add(line, column, PortSpan.single(number), Role.LISTENER, "port:")
    for number_line, code_line in enumerate(code.splitlines(), 1):
        for number in values.url_ports(code_line):
            found.add(number_line, values.column_of(code_line, str(number)),
                      PortSpan.single(number), Role.REFERENCE, "URL")
