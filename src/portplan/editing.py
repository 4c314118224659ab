"""Byte-preserving edits of ports.yaml, for `portplan deprecate`.

The document is composed (not loaded) so that every node keeps its offsets in the original text;
new text is spliced in at those offsets, the last edit first, as pre-commit's ``migrate_config``
does. Nothing outside the edited entry changes: comments, blank lines, quoting, key order and
line endings stay exactly as they were. Load, mutate and dump would lose all of that.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portplan import yamlsource
from portplan.model import PortSpan
from portplan.problems import PortplanError, Severity
from portplan.yamlscalar import yaml_scalar

BOM = "\ufeff"
_PORT_RE = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")
_STATUS_ANCHORS = ("port", "protocol", "service", "name")


@dataclass(frozen=True)
class Target:
    """Which entry: ``8090``, ``8090/udp`` or ``8020-8029/tcp``, maybe in one environment."""

    port: PortSpan
    protocol: str | None = None
    environment: str | None = None

    @classmethod
    def parse(cls, text: str, environment: str | None = None) -> Target:
        port_text, _, protocol = text.partition("/")
        return cls(parse_span(port_text), protocol.lower() or None, environment)

    def __str__(self) -> str:
        return f"{self.port}/{self.protocol}" if self.protocol else str(self.port)


@dataclass(frozen=True)
class DeprecationEdit:
    note: str
    replaced_by: PortSpan | None = None
    remove_after: dt.date | None = None


@dataclass(frozen=True)
class Splice:
    start: int
    end: int
    text: str


def parse_span(text: str) -> PortSpan:
    """``"8090"`` or ``"8020-8029"`` as a span; PortplanError when it is neither."""
    match = _PORT_RE.match(text.strip())
    if not match:
        raise PortplanError(f"{text!r} is not a port; give a number such as 8090 or a block "
                            "such as 8020-8029")
    low = int(match[1])
    high = int(match[2]) if match[2] else low
    if not 1 <= low <= high <= 65535:
        raise PortplanError(f"{text!r} is not a port; ports run from 1 to 65535, LOW <= HIGH")
    return PortSpan(low, high)


# --- finding the entry --------------------------------------------------------------------------

def compose(text: str, path: str) -> Node | None:
    """The node tree of ``text`` (a leading BOM must already be stripped).

    Through portplan's own composer, which stops at absurd nesting instead of recursing (and
    crashing) as PyYAML's does, with the same node offsets.
    """
    source = yamlsource.compose(text, path)
    if source.node is None:
        first = next((p for p in source.problems if p.severity is Severity.ERROR), None)
        if first is not None:
            raise PortplanError(f"{first.file}:{first.line}:{first.column}: {first.message}")
    return source.node


def _where(path: str, node: Node) -> str:
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def _pairs(mapping: MappingNode) -> dict[str, tuple[ScalarNode, Node]]:
    return {k.value: (k, v) for k, v in mapping.value if isinstance(k, ScalarNode)}


def _scalar_words(node: Node | None) -> tuple[str, ...] | None:
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return (str(node.value).lower(),)
    if isinstance(node, SequenceNode):
        return tuple(str(n.value).lower() for n in node.value if isinstance(n, ScalarNode))
    return ()


def _node_span(node: Node) -> PortSpan | None:
    if not isinstance(node, ScalarNode):
        return None
    try:
        return parse_span(str(node.value))
    except PortplanError:
        return None


@dataclass(frozen=True)
class _Entry:
    index: int
    node: MappingNode
    span: PortSpan | None
    protocols: tuple[str, ...]
    environments: tuple[str, ...] | None
    service: str

    def describe(self, path: str) -> str:
        scope = "/".join(self.protocols)
        envs = f" in {', '.join(self.environments)}" if self.environments else ""
        return f"{self.service} ({self.span}/{scope}{envs}) at {_where(path, self.node)}"


def _entries(root: Node | None, path: str) -> list[_Entry]:
    if not isinstance(root, MappingNode):
        raise PortplanError(f"{path}:1:1: the top level is not a mapping with `ports:`; "
                            "run `portplan check` to see what is wrong")
    ports = _pairs(root).get("ports")
    if ports is None or not isinstance(ports[1], SequenceNode):
        raise PortplanError(f"{path}:1:1: there is no `ports:` list; run `portplan check`")
    found = []
    for index, node in enumerate(ports[1].value):
        if not isinstance(node, MappingNode):
            continue
        pairs = _pairs(node)
        port = pairs.get("port")
        service = pairs.get("service")
        found.append(_Entry(
            index=index,
            node=node,
            span=_node_span(port[1]) if port else None,
            protocols=(_scalar_words(pairs["protocol"][1]) or ()) if "protocol" in pairs
            else ("tcp",),
            environments=_scalar_words(pairs["environments"][1]) if "environments" in pairs
            else None,
            service=str(service[1].value) if service and isinstance(service[1], ScalarNode)
            else "?",
        ))
    return found


def find_entry(entries: Sequence[_Entry], target: Target, path: str) -> _Entry:
    """The one entry ``target`` names; PortplanError saying how to narrow it down otherwise."""
    exact = [e for e in entries if e.span == target.port]
    if not exact:
        around = [e for e in entries if e.span is not None and e.span.overlaps(target.port)]
        hint = (f"; it lies in {around[0].describe(path)}: name the whole block "
                f"({around[0].span})" if around else "")
        raise PortplanError(f"{path}: no entry holds port {target.port}{hint}")
    matches = exact
    if target.protocol:
        matches = [e for e in matches if target.protocol in e.protocols]
    if target.environment:
        matches = [e for e in matches
                   if e.environments is None or target.environment in e.environments]
    if not matches:
        listed = "; ".join(e.describe(path) for e in exact)
        raise PortplanError(f"{path}: no entry on {target} matches; the port is held by {listed}")
    if len(matches) > 1:
        listed = "; ".join(e.describe(path) for e in matches)
        protocols = {p for e in matches for p in e.protocols}
        how = (f"name the protocol, e.g. {target.port}/{sorted(protocols)[-1]}"
               if len(protocols) > 1 and not target.protocol
               else "name the environment with --environment")
        raise PortplanError(f"{path}: port {target} is held by {len(matches)} entries: {listed}; "
                            f"{how}")
    return matches[0]


# --- planning the splices -----------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _eol(text: str) -> str:
    """The file's line ending: the first one in it (LF, CRLF, or even a lone CR)."""
    first = _LINE_BREAK.search(text)
    return first.group(0) if first else "\n"


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one where a value ending at ``index`` ends.

    Block scalars already end at the start of a line; ``len(text)`` when there is no next line.
    """
    if index > 0 and text[index - 1] in "\r\n" and not text.startswith("\r\n", index - 1):
        return index
    newline = _LINE_BREAK.search(text, index)
    return len(text) if newline is None else newline.end()


def _insert_lines(text: str, index: int, lines: Sequence[str], eol: str) -> Splice:
    at = _after_line(text, index)
    if at == len(text) and not text.endswith(("\n", "\r")):
        # The entry is the file's last line and it has no newline: keep it that way.
        return Splice(at, at, "".join(eol + line for line in lines))
    return Splice(at, at, "".join(line + eol for line in lines))


def _deprecation_values(edit: DeprecationEdit) -> list[tuple[str, str]]:
    values = [("note", yaml_scalar(edit.note))]
    if edit.replaced_by is not None:
        values.append(("replaced_by", str(edit.replaced_by)))
    if edit.remove_after is not None:
        values.append(("remove_after", edit.remove_after.isoformat()))
    return values


def _status_anchor(entry: MappingNode) -> Node:
    """The value after which a new ``status:`` goes: after port/protocol/service/name."""
    anchor: Node = entry.value[0][1]
    for key, value in entry.value:
        if isinstance(key, ScalarNode) and key.value in _STATUS_ANCHORS:
            anchor = value
    return anchor


def _value_text(text: str, value: Node, new: str) -> Splice:
    start, end = value.start_mark.index, value.end_mark.index
    if isinstance(value, ScalarNode) and value.style in ("|", ">"):
        # A block scalar's span ends after its line breaks; they belong to the layout, keep them.
        end = start + len(text[start:end].rstrip())
    if start == end and start > 0 and text[start - 1] == ":":
        new = " " + new  # `status:` with nothing after it
    return Splice(start, end, new)


def _flow_mapping(text: str, mapping: MappingNode, values: Sequence[tuple[str, str]]) -> str:
    """A flow mapping with ``values`` set and every other pair kept as it was spelled."""
    wanted = dict(values)
    parts = []
    for key, value in mapping.value:
        name = key.value if isinstance(key, ScalarNode) else None
        if name in wanted:
            parts.append(f"{name}: {wanted.pop(name)}")
        else:
            parts.append(text[key.start_mark.index:value.end_mark.index])
    parts.extend(f"{k}: {v}" for k, v in wanted.items())
    return "{" + ", ".join(parts) + "}"


def _block_deprecation(text: str, mapping: MappingNode, values: Sequence[tuple[str, str]],
                       eol: str) -> list[Splice]:
    """Set ``values`` in a block mapping: replace the ones it has, add the rest after the note."""
    pairs = _pairs(mapping)
    indent = " " * mapping.value[0][0].start_mark.column
    splices = []
    missing = []
    for name, new in values:
        if name in pairs:
            splices.append(_value_text(text, pairs[name][1], new))
        else:
            missing.append(f"{indent}{name}: {new}")
    if missing:
        last = pairs["note"][1] if "note" in pairs else mapping.value[-1][1]
        splices.append(_insert_lines(text, last.end_mark.index, missing, eol))
    return splices


def _edit_deprecation(text: str, existing: Node, values: Sequence[tuple[str, str]], eol: str,
                      path: str) -> list[Splice]:
    if not isinstance(existing, MappingNode):
        raise PortplanError(f"{_where(path, existing)}: `deprecation` is not a mapping; make it "
                            "one (or remove it) by hand, then run `portplan deprecate` again")
    if existing.flow_style or not existing.value:  # `{}` is flow style even in a block
        flow = _flow_mapping(text, existing, values)
        return [Splice(existing.start_mark.index, existing.end_mark.index, flow)]
    return _block_deprecation(text, existing, values, eol)


def plan_deprecation(text: str, entry: MappingNode, edit: DeprecationEdit,
                     path: str = "ports.yaml") -> list[Splice]:
    """The splices that make ``entry`` deprecated, in the entry's own style."""
    eol = _eol(text)
    pairs = _pairs(entry)
    values = _deprecation_values(edit)
    status = pairs.get("status")
    existing = pairs.get("deprecation")
    splices: list[Splice] = []
    if existing is not None:
        splices += _edit_deprecation(text, existing[1], values, eol, path)

    if entry.flow_style:
        new_status = "" if status else ", status: deprecated"
        new_dep = "" if existing else (
            ", deprecation: {" + ", ".join(f"{k}: {v}" for k, v in values) + "}")
        if status:
            splices.append(_value_text(text, status[1], "deprecated"))
            if new_dep:
                splices.append(Splice(status[1].end_mark.index, status[1].end_mark.index, new_dep))
        else:
            at = _status_anchor(entry).end_mark.index
            splices.append(Splice(at, at, new_status + new_dep))
        return _checked(splices)

    indent = " " * entry.value[0][0].start_mark.column
    lines = [] if status else [f"{indent}status: deprecated"]
    if not existing:
        lines.append(f"{indent}deprecation:")
        lines += [f"{indent}  {k}: {v}" for k, v in values]
    if status:
        splices.append(_value_text(text, status[1], "deprecated"))
        if lines:
            splices.append(_insert_lines(text, status[1].end_mark.index, lines, eol))
    else:
        splices.append(_insert_lines(text, _status_anchor(entry).end_mark.index, lines, eol))
    return _checked(splices)


def _checked(splices: list[Splice]) -> list[Splice]:
    ordered = sorted(splices, key=lambda s: (s.start, s.end), reverse=True)
    for later, earlier in itertools.pairwise(ordered):
        if earlier.end > later.start:  # pragma: no cover - a bug in the planner, not user input
            raise AssertionError(f"overlapping edits {earlier} and {later}")
    return ordered


def apply_splices(text: str, splices: Sequence[Splice]) -> str:
    """Apply non-overlapping splices, the last first, so earlier offsets stay valid."""
    for splice in sorted(splices, key=lambda s: (s.start, s.end), reverse=True):
        text = text[:splice.start] + splice.text + text[splice.end:]
    return text


# --- the whole edit -----------------------------------------------------------------------------

def deprecate_in_text(text: str, target: Target, edit: DeprecationEdit,
                      path: str = "ports.yaml") -> str:
    """``text`` with the entry ``target`` names deprecated; every other byte unchanged.

    Raises PortplanError when the entry cannot be found or named unambiguously.
    """
    return deprecate_entry(text, target, edit, path)[0]


def deprecate_entry(text: str, target: Target, edit: DeprecationEdit,
                    path: str = "ports.yaml") -> tuple[str, str]:
    """Like :func:`deprecate_in_text`, also returning which entry was edited, for messages."""
    if not edit.note.strip():
        raise PortplanError("the note is empty; say what replaces the port and how to migrate")
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom):]
    entry = find_entry(_entries(compose(body, path), path), target, path)
    new_body = apply_splices(body, plan_deprecation(body, entry.node, edit, path))
    _verify(body, new_body, entry.index, edit)
    return bom + new_body, entry.describe(path)


def _verify(old: str, new: str, index: int, edit: DeprecationEdit) -> None:
    # A safety net for the splicing: the new document must load as the old one with exactly
    # this entry changed. A mismatch is a bug here, and the file must not be written.
    def load(source: str) -> object:
        return yaml.load(source, Loader=yamlsource.YamlLoader)  # noqa: S506 - a safe loader

    expected = load(old)
    try:
        got = load(new)
    except yaml.YAMLError as exc:  # pragma: no cover - a bug in the planner, not user input
        raise PortplanError("internal error: the edit would make the file invalid YAML, so "
                            f"it was left untouched; please report it with the file ({exc})"
                            ) from exc
    if not isinstance(expected, dict):  # pragma: no cover - compose already found `ports:`
        raise PortplanError("internal error: the registry did not load as a mapping")
    entry = expected["ports"][index]
    entry["status"] = "deprecated"
    deprecation = entry.get("deprecation")
    if not isinstance(deprecation, dict):
        deprecation = entry["deprecation"] = {}
    deprecation["note"] = edit.note
    if edit.replaced_by is not None:
        span = edit.replaced_by
        deprecation["replaced_by"] = span.low if not span.is_block else str(span)
    if edit.remove_after is not None:
        deprecation["remove_after"] = edit.remove_after
    if got != expected:
        raise PortplanError("internal error: the edit did not give the expected YAML, so the "
                            "file was left untouched; please report this with the file")


# --- the file -----------------------------------------------------------------------------------

def read_registry_text(path: str) -> str:
    """The registry file as text, line endings and BOM untouched."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PortplanError(f"{path}: cannot read the registry ({exc.strerror}); "
                            "pass its path with --registry") from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PortplanError(f"{path}:{line}:{column}: byte 0x{raw[exc.start]:02x} is not valid "
                            "UTF-8; save the file as UTF-8") from exc


def write_atomically(path: str, text: str) -> None:
    """Replace the file's content in one rename, so a crash never leaves half a file.

    The temporary file sits in the same directory (a rename across file systems is a copy) and
    takes the original's mode; a symlinked registry is written through the link.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise PortplanError(f"{path}: cannot write next to the registry ({exc.strerror}); "
                            "the file was left unchanged") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PortplanError(f"{path}: cannot write the registry ({exc.strerror}); "
                                "the file was left unchanged") from exc
        raise
