"""Problems as text for people, GitHub workflow annotations, or JSON for tools.

Detection lives in the loader and rules; this module only presents what they found.

>>> from portplan.problems import Problem, Severity
>>> p = Problem("ports.yaml", 3, 11, Severity.ERROR, "port-out-of-range", "port is 0")
>>> render([p], "github")
'::error file=ports.yaml,line=3,col=11,title=portplan port-out-of-range::port is 0\\n'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from portplan.problems import Problem, Severity


def render_text(problems: Sequence[Problem]) -> str:
    """One ``FILE:LINE:COL: severity: message`` line per problem, like a compiler."""
    return "".join(f"{p}\n" for p in problems)


def _escape_data(value: str) -> str:
    # GitHub's workflow-command rules: the message may not contain a raw newline or '%'.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    # In properties ':' ends the property list and ',' separates properties.
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(problems: Sequence[Problem]) -> str:
    """``::error file=F,line=L,col=C,title=T::message`` annotations, one per line."""
    lines = []
    for p in problems:
        command = "error" if p.severity is Severity.ERROR else "warning"
        props = ",".join(f"{key}={_escape_property(value)}" for key, value in (
            ("file", p.file), ("line", str(p.line)), ("col", str(p.column)),
            ("title", f"portplan {p.code}")))
        lines.append(f"::{command} {props}::{_escape_data(p.message)}\n")
    return "".join(lines)


def render_json(problems: Sequence[Problem]) -> str:
    """A JSON array of ``{"file", "line", "column", "severity", "code", "message"}``."""
    return json.dumps([p.as_json() for p in problems], indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Sequence[Problem]], str]] = {
    "text": render_text,
    "github": render_github,
    "json": render_json,
}


def render(problems: Sequence[Problem], format_: str) -> str:
    """The problems in one of :data:`FORMATS`; empty text (``[]`` for json) when none."""
    return FORMATS[format_](problems)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary(problems: Sequence[Problem]) -> str:
    """``2 errors, 1 warning``, or ``no problems``.

    >>> summary([])
    'no problems'
    """
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "no problems"
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
