"""What a pull request changes in the registry, for a reviewer: the core of `portplan diff`.

The changes come from the history's own derivation (:func:`diff_registries`), so a move or a
swap reads the same in a pull request as on the site. Rendering is pure: changes in, text out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from portplan.history.cycles import change_rings, ring_text
from portplan.history.events import diff_registries
from portplan.history.model import Change, EventKind
from portplan.model import Assignment, PortSpan, meta_text
from portplan.site.urls import page_url, port_page_src

# Section order and titles of the Markdown; undeprecations are listed with the other changes.
SECTIONS = (
    ("Added", (EventKind.ADDED,)),
    ("Changed", (EventKind.CHANGED, EventKind.UNDEPRECATED)),
    ("Deprecated", (EventKind.DEPRECATED,)),
    ("Moved", (EventKind.MOVED,)),
    ("Removed", (EventKind.REMOVED,)),
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
_ARROW = " → "


@dataclass(frozen=True)
class Comparison:
    """Two registry versions and what to call them."""

    base_label: str
    head_label: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()  # what the reader must know to trust the changes


def compare(base: Sequence[Assignment], head: Sequence[Assignment], base_label: str,
            head_label: str, *, notes: tuple[str, ...] = ()) -> Comparison:
    return Comparison(base_label, head_label, tuple(diff_registries(base, head)), notes)


# --- Markdown -----------------------------------------------------------------------------------

def md_escape(text: str) -> str:
    """Registry text shown literally in Markdown: no markup, links or HTML from ports.yaml."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")


def _md_value(value: object) -> str:
    if value is None or value == []:
        return "*(none)*"
    if isinstance(value, list):
        return ", ".join(md_escape(str(v)) for v in value)
    if isinstance(value, bool):
        return meta_text(value)
    return md_escape(str(value))


def port_url(site_url: str, span: PortSpan) -> str:
    """The port's page on the published site, where the site's own renderers put it."""
    return f"{site_url.rstrip('/')}/{page_url(port_page_src(span))}"


def _md_port(span: PortSpan | None, site_url: str | None, *, struck: bool = False) -> str:
    if span is None:
        return "no port"
    label = f"~~{span}~~" if struck else str(span)
    return f"[{label}]({port_url(site_url, span)})" if site_url else label


def _scope(a: Assignment) -> str:
    if a.port is None:
        return ""
    envs = f" in {', '.join(a.environments)}" if a.environments else ""
    return "/".join(a.protocols) + envs


def _md_headline(change: Change, site_url: str | None) -> str:
    a = change.current
    if change.kind is EventKind.MOVED and change.before and change.after:
        ports = (f"{_md_port(change.before.port, site_url)}{_ARROW}"
                 f"{_md_port(change.after.port, site_url)}")
        return f"- **{md_escape(a.service)}**: {ports} ({_scope(a)})"
    struck = change.kind in (EventKind.REMOVED, EventKind.DEPRECATED)
    scope = f" {_scope(a)}" if a.port else ""
    line = f"- **{_md_port(a.port, site_url, struck=struck)}**{scope} · {md_escape(a.service)}"
    if change.kind is EventKind.ADDED and a.status.value != "active":
        line += f" ({a.status.value})"
    if change.kind is EventKind.REMOVED and a.status.value != "active":
        line += f" (was {a.status.value})"
    if change.kind is EventKind.UNDEPRECATED:
        line += " (no longer deprecated)"
    return line


def _md_change(change: Change, site_url: str | None) -> list[str]:
    lines = [_md_headline(change, site_url)]
    a = change.current
    if change.kind is EventKind.ADDED and a.description:
        lines.append(f"  {md_escape(a.description)}")
    if change.kind is EventKind.DEPRECATED and a.deprecation:
        d = a.deprecation
        if d.replaced_by:
            lines.append(f"  - replaced by {_md_port(d.replaced_by, site_url)}")
        if d.remove_after:
            lines.append(f"  - remove after {d.remove_after.isoformat()}")
        lines.append(f"  > {md_escape(d.note)}")
    shown_elsewhere = {"status", "deprecation.note", "deprecation.replaced_by",
                       "deprecation.remove_after"} if change.kind is EventKind.DEPRECATED else set()
    if change.kind in (EventKind.CHANGED, EventKind.UNDEPRECATED, EventKind.DEPRECATED,
                       EventKind.MOVED):
        for name, (old, new) in change.changes.items():
            if name not in shown_elsewhere:
                lines.append(f"  - `{name}`: {_md_value(old)}{_ARROW}{_md_value(new)}")
    return lines


def _counts(changes: Sequence[Change]) -> str:
    counted = [f"{sum(c.kind in kinds for c in changes)} {title.lower()}"
               for title, kinds in SECTIONS if any(c.kind in kinds for c in changes)]
    total = len(changes)
    return f"{total} change{'s' if total != 1 else ''}: {', '.join(counted)}."


def _named_rings(changes: Sequence[Change]) -> dict[int, str]:
    """``id`` of each move of ``changes`` that swaps or rotates ports -> "swapped with 8200"."""
    return {id(changes[i]): ring_text(ring) for i, ring in change_rings(changes).items()}


def render_markdown(comparison: Comparison, *, site_url: str | None = None) -> str:
    """The reviewer's summary, one section per kind of change, ports linked to their pages."""
    title = (f"## Port plan changes: {md_escape(comparison.base_label)}{_ARROW}"
             f"{md_escape(comparison.head_label)}")
    changes = comparison.changes
    notes = [line for note in comparison.notes for line in ("", f"> **Note:** {md_escape(note)}")]
    if not changes:
        return "\n".join([title, *notes, "", "No assignment changes."]) + "\n"
    out = [title, *notes, "", _counts(changes)]
    rings = _named_rings(changes)
    for heading, kinds in SECTIONS:
        picked = [c for c in changes if c.kind in kinds]
        if picked:
            out += ["", f"### {heading}", ""]
            for change in picked:
                out += _md_change(change, site_url)
                if id(change) in rings:  # a swap or a rotation, named (docs/history.md)
                    out.append(f"  - {md_escape(rings[id(change)])}")
    return "\n".join(out) + "\n"


# --- text and JSON ------------------------------------------------------------------------------

def _text_value(value: object) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def render_text(comparison: Comparison) -> str:
    """One line per change, field changes indented under it; for terminals."""
    lines = [f"{comparison.base_label}{_ARROW}{comparison.head_label}"]
    notes = [f"note: {note}" for note in comparison.notes]
    if not comparison.changes:
        return "\n".join([lines[0] + ": no assignment changes", *notes]) + "\n"
    lines += notes
    rings = _named_rings(comparison.changes)
    for change in comparison.changes:
        a = change.current
        port = str(a.port) if a.port else "-"
        if change.kind is EventKind.MOVED and change.before:
            port = f"{change.before.port}{_ARROW}{port}"
        lines.append(" ".join(w for w in (f"{change.kind.value:<12}", port, _scope(a), a.service)
                              if w))
        if change.kind is EventKind.DEPRECATED and a.deprecation:
            lines.append(f"{'':14}note: {a.deprecation.note}")
        if id(change) in rings:
            lines.append(f"{'':14}{rings[id(change)]}")
        for name, (old, new) in change.changes.items():
            if not (change.kind is EventKind.DEPRECATED and name == "deprecation.note"):
                lines.append(f"{'':14}{name}: {_text_value(old)}{_ARROW}{_text_value(new)}")
    return "\n".join(lines) + "\n"


def render_json(comparison: Comparison) -> str:
    out: dict[str, object] = {"base": comparison.base_label, "head": comparison.head_label,
                              "changes": [c.as_json() for c in comparison.changes]}
    if comparison.notes:
        out["notes"] = list(comparison.notes)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
