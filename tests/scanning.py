"""Helpers for the scan tests: lay out files, scan them, and show the result as text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from portplan.registry.load import load_registry
from portplan.scan.config import read_config
from portplan.scan.report import render_findings, render_notices
from portplan.scan.scanner import ScanResult, scan


def lay_out(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def scan_tree(root: Path, registry_text: str) -> ScanResult:
    loaded = load_registry(registry_text)
    assert loaded.registry is not None, loaded.problems
    assert loaded.ok, [str(p) for p in loaded.problems]
    return scan(root, loaded.registry, read_config(registry_text), skip=("ports.yaml",))


def sources_text(result: ScanResult) -> str:
    """One line per place: where, the port, what it does, how, and whose it is."""
    lines = []
    for located in sorted(result.sources, key=lambda s: (s.place.file, s.place.line,
                                                         s.place.column, s.place.port)):
        p = located.place
        owner = located.entry.service if located.entry else "-"
        variable = f" ${p.variable}" if p.variable else ""
        lines.append(f"{p.file}:{p.line}:{p.column} {p.port}/{p.protocol} {p.role.value} "
                     f"{p.what}{variable} -> {owner}\n")
    return "".join(lines)


def everything(result: ScanResult) -> dict[str, str]:
    accepted = "".join(f"{f.place.file}:{f.place.line} {f.code}: {f.accepted}\n"
                       for f in result.findings if f.accepted is not None)
    return {"findings": render_findings(result, "text"), "sources": sources_text(result),
            "accepted": accepted, "notices": render_notices(result.notices)}
