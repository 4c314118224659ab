"""A scan's findings as text, GitHub annotations, or ``{"findings", "sources"}`` JSON.

The shapes are in docs/scan.md. Text and annotations go through :mod:`portplan.report`, so they
read like ``portplan check``. File names come from the repository, so control characters in
them never reach the terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from portplan.model import Assignment
from portplan.problems import Problem
from portplan.report import render
from portplan.scan.matcher import Located
from portplan.scan.places import Finding, Notice, Place
from portplan.scan.scanner import ScanResult

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """``text`` with control characters as ``?``, never starting a workflow command."""
    cleaned = _CONTROL.sub("?", text)
    return f"./{cleaned}" if cleaned.startswith("::") else cleaned


def _problem(finding: Finding) -> Problem:
    place = finding.place
    return Problem(shown(place.file), place.line, place.column, finding.severity, finding.code,
                   shown(finding.message))


def reported(result: ScanResult) -> list[Finding]:
    """The findings that are not accepted, in file order."""
    return sorted((f for f in result.findings if f.accepted is None),
                  key=lambda f: (f.place.file, f.place.line, f.place.column, f.code))


def render_findings(result: ScanResult, format_: str) -> str:
    findings = reported(result)
    if format_ == "json":
        return render_json(result)
    return render([_problem(f) for f in findings], format_)


def render_notices(notices: Sequence[Notice]) -> str:
    return "".join(f"portplan scan: {shown(str(n))}\n" for n in notices)


def entry_json(entry: Assignment | None) -> dict[str, object] | None:
    if entry is None:
        return None
    return {"port": entry.port.as_json() if entry.port else None, "service": entry.service,
            "line": entry.position.line}


def _place_json(place: Place) -> dict[str, object]:
    return {"file": place.file, "line": place.line, "column": place.column,
            "port": place.port.as_json(), "protocol": place.protocol}


def _finding_json(finding: Finding) -> dict[str, object]:
    out = _place_json(finding.place) | {
        "code": finding.code, "severity": finding.severity.value, "message": finding.message,
        "entry": entry_json(finding.entry)}
    if finding.accepted is not None:
        out["accepted"] = finding.accepted
    return out


def _source_json(located: Located) -> dict[str, object]:
    place = located.place
    return _place_json(place) | {"kind": place.role.value, "source": place.source,
                                 "via": place.what, "variable": place.variable,
                                 "entry": entry_json(located.entry)}


def render_json(result: ScanResult) -> str:
    """``{"findings": [...], "sources": [...], "accepted": [...], "notices": [...]}``."""
    document = {
        "findings": [_finding_json(f) for f in reported(result)],
        "sources": [_source_json(s) for s in sorted(
            result.sources, key=lambda s: (s.place.file, s.place.line, s.place.column))],
        "accepted": [_finding_json(f) for f in result.findings if f.accepted is not None],
        "notices": [{"file": n.file, "line": n.line, "message": n.message}
                    for n in result.notices],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
