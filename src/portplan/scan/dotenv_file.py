"""dotenv files (``.env``, ``.env.example``, ``*.env``), read with python-dotenv's parser.

Its ``parse_stream`` gives each binding with its line and marks what it could not read, so
comments and ``export`` are handled as dotenv tools do.
"""

from __future__ import annotations

import io

from dotenv.parser import parse_stream

from portplan.scan import values
from portplan.scan.places import FileScan


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error:
            found.notice(line, "not a NAME=value line; skipped")
        elif binding.key is not None and binding.value:
            column = values.column_of(binding.original.string, binding.key)
            values.assignment(found, line, column, binding.key, binding.value, env_vars=env_vars)
