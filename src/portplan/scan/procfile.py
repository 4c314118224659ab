"""Procfiles: ``name: command`` lines, each command read like a shell line."""

from __future__ import annotations

from portplan.scan import commandline
from portplan.scan.places import FileScan
from portplan.scan.textlines import logical_lines


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    for logical in logical_lines(found, text):
        line, raw = logical.number, logical.text
        name, colon, command = raw.partition(":")
        if not colon or not name.strip() or " " in name.strip():
            continue
        try:
            words = commandline.words(command)
        except ValueError:
            found.notice(line, "unterminated quote in this process line; it is skipped")
            continue
        since = len(found.places)
        commandline.read_command(found, line, raw, words, env_vars)
        found.relocate(since, logical.where)
