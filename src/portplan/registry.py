"""Read ``ports.yaml`` into a :class:`Registry`, reporting every problem with its position.

>>> loaded = load_registry("version: 1\\nports:\\n  - {port: 3000, service: Grafana}\\n")
>>> [str(a.port) for a in loaded.registry.ports], loaded.problems
(['3000'], [])
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from portplan.model import (
    PROTOCOLS,
    TEXT_FIELDS,
    Assignment,
    Deprecation,
    External,
    MetaValue,
    PortSpan,
    Position,
    Range,
    Registry,
    Status,
)
from portplan.problems import PortplanError, Problem, Severity, sort_problems
from portplan.rules import check_rules
from portplan.yamlsource import YamlLoader, compose, error_at, problem_at

T = TypeVar("T")

TOP_KEYS = ("version", "ranges", "ports")
ENTRY_KEYS = ("port", "protocol", "service", "name", "status", "location", "command",
              "description", "owner", "contact", "environments", "role", "bind", "env_var",
              "external", "links", "deprecation", "meta")
RANGE_KEYS = ("range", "purpose", "protocol", "owner")
EXTERNAL_KEYS = ("port", "via", "host", "path")
DEPRECATION_KEYS = ("note", "replaced_by", "since", "remove_after")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SPAN = re.compile(r"^(\d+)-(\d+)$")
_DECIMAL = re.compile(r"^[0-9]+$")
_SERVICE_NAME = re.compile(r"^(?=.*[a-z])(?!-)(?!.*--)[a-z0-9-]{1,15}(?<!-)$")
_TYPE_NAMES = {
    _STR: "text", _INT: "an integer", "tag:yaml.org,2002:float": "a number with a fraction",
    "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}
_constructor = SafeConstructor()


@dataclass
class Loaded:
    """The outcome of reading a registry: the records (None if unusable) and every problem."""

    registry: Registry | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.registry is not None and not any(
            p.severity is Severity.ERROR for p in self.problems)


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, node.tag)


def scalar(node: yaml.ScalarNode) -> object:
    """The Python value of a plain scalar node, as YAML 1.1 (PyYAML) resolves it."""
    return _constructor.construct_object(node, deep=True)


class EntryReader:
    """Turns nodes into records; collects problems instead of stopping at the first."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def error(self, node: yaml.Node | None, code: str, message: str) -> None:
        self.problems.append(error_at(self.path, node.start_mark if node else None, code, message))

    def warn(self, node: yaml.Node, code: str, message: str) -> None:
        self.problems.append(problem_at(self.path, node.start_mark, Severity.WARNING, code,
                                        message))

    def position(self, node: yaml.Node) -> Position:
        return Position(node.start_mark.line + 1, node.start_mark.column + 1)

    # -- shapes ---------------------------------------------------------------------------------
    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...] | None
                ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """Keys to (key node, value node); reports duplicates and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "wrong-type",
                       f"{what} must be a mapping of keys to values, not {kind_of(node)}")
            return None
        seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.error(key_node, "wrong-type",
                           f"keys in {what} must be text, not {kind_of(key_node)}")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key][0].start_mark.line + 1
                self.error(key_node, "duplicate-key",
                           f"duplicate key '{key}' in {what} (first given on line {first}); "
                           "YAML would silently keep only the last one: remove one of them")
                continue
            if allowed is not None and key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "allowed keys: " + ", ".join(allowed))
                self.error(key_node, "unknown-key", f"unknown key '{key}' in {what}; {hint}")
                continue
            seen[key] = (key_node, value_node)
        return seen

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "wrong-type", f"{what} must be a list, not {kind_of(node)}")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            self.error(node, "wrong-type",
                       f"{what} must be text, not {kind_of(node)}; quote it: \"{node.value}\"")
        else:
            self.error(node, "wrong-type", f"{what} must be text, not {kind_of(node)}")
        return None

    def required_text(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not value.strip():
            self.error(node, "empty-value", f"{what} is empty; write what it is")
            return None
        return value

    def port_number(self, node: yaml.Node, what: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT:
            if not _DECIMAL.match(node.value):
                self.error(node, "wrong-type",
                           f"{what} '{node.value}' must be written as a plain decimal number")
                return None
            number = int(node.value)
            if not 1 <= number <= 65535:
                self.error(node, "port-out-of-range",
                           f"{what} is {number}, out of range; ports run from 1 to 65535")
                return None
            return number
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and _DECIMAL.match(node.value):
            self.error(node, "wrong-type",
                       f"{what} must be an integer, not the text \"{node.value}\"; "
                       "remove the quotes")
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:float":
            self.error(node, "wrong-type",
                       f"{what} must be a whole number, not {node.value}; write it without a "
                       "fraction")
        else:
            self.error(node, "wrong-type",
                       f"{what} must be a port number from 1 to 65535, not {kind_of(node)}")
        return None

    def span(self, node: yaml.Node, what: str, *, block_only: bool = False) -> PortSpan | None:
        """A port (``8090``) or a block (``"8020-8029"``)."""
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR and "-" in node.value:
            match = _SPAN.match(node.value.strip())
            if not match:
                self.error(node, "malformed-range",
                           f"{what} is '{node.value}', which is not a range; write it as LOW-HIGH, "
                           "e.g. 8020-8029")
                return None
            low, high = int(match[1]), int(match[2])
            if not (1 <= low <= 65535 and 1 <= high <= 65535):
                self.error(node, "port-out-of-range",
                           f"{what} is '{node.value}', out of range; ports run from 1 to 65535")
                return None
            if low > high:
                self.error(node, "malformed-range",
                           f"{what} is '{node.value}', which runs backwards; write the low "
                           f"port first: {high}-{low}")
                return None
            return PortSpan(low, high)
        if block_only:
            self.error(node, "malformed-range",
                       f"{what} must be a block written LOW-HIGH, e.g. 8020-8029")
            return None
        number = self.port_number(node, what)
        return PortSpan.single(number) if number is not None else None

    def protocols(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        items = [node] if isinstance(node, yaml.ScalarNode) else self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.error(node, "empty-value",
                       f"{what} is an empty list; name at least one of {', '.join(PROTOCOLS)}")
            return None
        found: list[str] = []
        for item in items:
            value = self.text(item, what)
            if value is None:
                return None
            if value.lower() not in PROTOCOLS:
                close = difflib.get_close_matches(value.lower(), PROTOCOLS, n=1)
                hint = (f"did you mean '{close[0]}'?" if close
                        else f"use one of {', '.join(PROTOCOLS)}")
                self.error(item, "unknown-protocol", f"unknown {what} '{value}'; {hint}")
                return None
            if value.lower() in found:
                self.error(item, "duplicate-value", f"{what} '{value}' is listed twice")
                continue
            found.append(value.lower())
        return tuple(p for p in PROTOCOLS if p in found)

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (_STR, _TIMESTAMP):
            try:
                value = dt.date.fromisoformat(node.value.strip())
            except ValueError:
                value = None
            if value is not None and len(node.value.strip()) == 10:
                return value
        self.error(node, "invalid-date",
                   f"{what} '{getattr(node, 'value', '')}' is not a valid date; write it as "
                   "YYYY-MM-DD, e.g. 2026-06-01")
        return None

    def url(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not re.match(r"^https?://[^\s/]+", value, re.IGNORECASE):
            self.error(node, "bad-link",
                       f"{what} '{value}' is not an http(s) URL; links must start with "
                       "https:// or http://")
            return None
        return value

    def each(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str,
             read: Callable[[yaml.Node, str], T | None], what: str) -> T | None:
        if key not in fields:
            return None
        return read(fields[key][1], what)

    # -- records --------------------------------------------------------------------------------
    def assignment(self, node: yaml.Node, index: int) -> Assignment | None:
        what = f"ports entry {index + 1}"
        fields = self.mapping(node, what, ENTRY_KEYS)
        if fields is None:
            return None
        if "service" not in fields:
            self.error(node, "missing-key",
                       f"{what} has no 'service'; add service: <display name>")
            return None
        service = self.required_text(fields["service"][1], "service")
        if service is None:
            return None
        label = f"'{service}'"
        port = self.each(fields, "port", self.span, f"port of {label}")
        protocols = self.each(fields, "protocol", self.protocols, f"protocol of {label}")
        status = self.status(fields, label)
        texts = {name: self.each(fields, name, self.text, f"{name} of {label}")
                 for name in TEXT_FIELDS}
        if texts["name"] is not None and not _SERVICE_NAME.match(texts["name"]):
            self.warn(fields["name"][1], "invalid-service-name",
                      f"name '{texts['name']}' of {label} is not a valid RFC 6335 service name; "
                      "use 1-15 characters a-z, 0-9 and '-', with at least one letter and no "
                      "leading, trailing or double '-'")
        environments = self.each(fields, "environments", self.environments,
                                 f"environments of {label}")
        deprecation = self.deprecation(fields, status, label, node)
        position = self.position(fields["port"][1] if "port" in fields else node)
        return Assignment(
            service=service,
            port=port,
            protocols=protocols or ("tcp",),
            status=status,
            environments=environments,
            external=self.each(fields, "external", self.external, f"external of {label}"),
            links=self.each(fields, "links", self.links, f"links of {label}") or (),
            deprecation=deprecation,
            meta=self.each(fields, "meta", self.meta, f"meta of {label}") or (),
            position=position,
            **texts,
        )

    def status(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], label: str) -> Status:
        if "status" not in fields:
            return Status.ACTIVE
        node = fields["status"][1]
        value = self.text(node, f"status of {label}")
        if value is None:
            return Status.ACTIVE
        try:
            return Status(value)
        except ValueError:
            names = [s.value for s in Status]
            close = difflib.get_close_matches(value, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(names)
            self.error(node, "unknown-status", f"unknown status '{value}' of {label}; {hint}")
            return Status.ACTIVE

    def environments(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.error(node, "empty-value",
                       f"{what} is an empty list; remove the key to mean every environment")
            return None
        names = [self.required_text(item, what) for item in items]
        return tuple(sorted({n for n in names if n is not None})) or None

    def deprecation(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], status: Status,
                    label: str, entry: yaml.Node) -> Deprecation | None:
        if "deprecation" not in fields:
            if status is Status.DEPRECATED:
                node = fields["status"][1]
                self.error(node, "missing-deprecation",
                           f"{label} is deprecated but has no deprecation note; add "
                           "deprecation: {note: <how to migrate>}")
            return None
        key_node, node = fields["deprecation"]
        what = f"deprecation of {label}"
        if status is not Status.DEPRECATED:
            self.error(key_node, "unexpected-deprecation",
                       f"{label} has a deprecation but its status is {status.value}; set "
                       "status: deprecated, or remove the deprecation")
        parts = self.mapping(node, what, DEPRECATION_KEYS)
        if parts is None:
            return None
        if "note" not in parts:
            self.error(node, "missing-key",
                       f"{what} has no 'note'; add note: <how clients migrate>")
            return None
        note = self.required_text(parts["note"][1], f"note of {label}")
        if note is None:
            return None
        return Deprecation(
            note=note,
            replaced_by=self.each(parts, "replaced_by", self.span, f"replaced_by of {label}"),
            since=self.each(parts, "since", self.date, f"since of {label}"),
            remove_after=self.each(parts, "remove_after", self.date,
                                   f"remove_after of {label}"),
        )

    def external(self, node: yaml.Node, what: str) -> External | None:
        parts = self.mapping(node, what, EXTERNAL_KEYS)
        if parts is None:
            return None
        return External(
            port=self.each(parts, "port", self.port_number, f"port of {what}"),
            via=self.each(parts, "via", self.text, f"via of {what}"),
            host=self.each(parts, "host", self.text, f"host of {what}"),
            path=self.each(parts, "path", self.text, f"path of {what}"),
        )

    def links(self, node: yaml.Node, what: str) -> tuple[tuple[str, str], ...] | None:
        parts = self.mapping(node, what, None)
        if parts is None:
            return None
        out = []
        for label, (_, value) in parts.items():
            url = self.url(value, f"link '{label}'")
            if url is not None:
                out.append((label, url))
        return tuple(out)

    def meta(self, node: yaml.Node, what: str) -> tuple[tuple[str, MetaValue], ...] | None:
        parts = self.mapping(node, what, None)
        if parts is None:
            return None
        out: list[tuple[str, MetaValue]] = []
        for key, (_, value) in parts.items():
            if isinstance(value, yaml.ScalarNode) and value.tag in (
                    _STR, _INT, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"):
                out.append((key, scalar_value(value)))
            else:
                self.error(value, "wrong-type",
                           f"meta value '{key}' must be text, a number or a boolean, not "
                           f"{kind_of(value)}")
        return tuple(out)

    def range(self, node: yaml.Node, index: int) -> Range | None:
        what = f"ranges entry {index + 1}"
        fields = self.mapping(node, what, RANGE_KEYS)
        if fields is None:
            return None
        missing = [key for key in ("range", "purpose") if key not in fields]
        if missing:
            self.error(node, "missing-key",
                       f"{what} has no '{missing[0]}'; add {missing[0]}: "
                       + ("LOW-HIGH" if missing[0] == "range" else "<what the block is for>"))
            return None
        span = self.span(fields["range"][1], f"range of {what}", block_only=False)
        purpose = self.required_text(fields["purpose"][1], f"purpose of {what}")
        if span is None or purpose is None:
            return None
        return Range(
            span=span,
            purpose=purpose,
            protocols=self.each(fields, "protocol", self.protocols, f"protocol of {what}")
            or ("tcp",),
            owner=self.each(fields, "owner", self.text, f"owner of {what}"),
            position=self.position(fields["range"][1]),
        )


def scalar_value(node: yaml.ScalarNode) -> MetaValue:
    try:
        value = scalar(node)
    except (ConstructorError, ValueError):
        return str(node.value)
    return value if isinstance(value, str | int | float | bool) else str(node.value)


def read_registry(node: yaml.Node | None, path: str, problems: list[Problem]) -> Registry | None:
    """The registry in a composed document, or None when its top level is unusable."""
    reader = EntryReader(path, problems)
    if node is None:
        reader.error(None, "empty-registry",
                     "the registry is empty; start it with 'version: 1' and 'ports: []'")
        return None
    top = reader.mapping(node, "the registry", TOP_KEYS)
    if top is None:
        return None
    version = 1
    if "version" not in top:
        reader.error(node, "missing-key",
                     "the registry has no 'version'; add version: 1 at the top")
    else:
        version_node = top["version"][1]
        if not (isinstance(version_node, yaml.ScalarNode) and version_node.tag == _INT
                and version_node.value == "1"):
            reader.error(version_node, "unsupported-version",
                         f"unsupported registry version '{getattr(version_node, 'value', '')}'; "
                         "this portplan reads version: 1")
    if "ports" not in top:
        reader.error(node, "missing-key", "the registry has no 'ports'; add ports: [] or a list "
                     "of entries")
        entries: list[yaml.Node] | None = []
    else:
        entries = reader.sequence(top["ports"][1], "ports")
    ranges_nodes = reader.sequence(top["ranges"][1], "ranges") if "ranges" in top else []
    if entries is None or ranges_nodes is None:
        return None
    ports = tuple(a for i, n in enumerate(entries) if (a := reader.assignment(n, i)) is not None)
    ranges = tuple(r for i, n in enumerate(ranges_nodes) if (r := reader.range(n, i)) is not None)
    return Registry(version=version, ports=ports, ranges=ranges)


def load_registry(source: str | bytes, path: str = "ports.yaml", *,
                  today: dt.date | None = None) -> Loaded:
    """Read a registry and check every rule of SPEC §1; problems come sorted by position."""
    parsed = compose(source, path)
    problems = list(parsed.problems)
    registry = None
    if not any(p.severity is Severity.ERROR for p in problems):
        registry = read_registry(parsed.node, path, problems)
    if registry is not None:
        problems += check_rules(registry, path, today=today)
    return Loaded(registry, sort_problems(problems))


def check_file(path: Path | str, *, display: str | None = None,
               today: dt.date | None = None) -> Loaded:
    """Load the registry file at ``path``; an unreadable file is a :class:`PortplanError`."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise PortplanError(f"cannot read the registry {file}: {exc.strerror}; "
                            "pass its path with --registry") from None
    return load_registry(data, display or str(path), today=today)


def assignment_from_node(node: yaml.Node, path: str, problems: list[Problem]) -> Assignment | None:
    """One ``ports:`` entry from its node (the history reads changed entries one at a time)."""
    return EntryReader(path, problems).assignment(node, 0)


def assignment_from_text(chunk: str, path: str = "ports.yaml") -> Assignment | None:
    """One entry from the text of a block-sequence item (``- port: ...``), or None if unusable."""
    try:
        node = yaml.compose(chunk, Loader=YamlLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
        return None
    problems: list[Problem] = []
    return assignment_from_node(node.value[0], path, problems)


def assignments_from_text(source: str | bytes,
                          path: str = "ports.yaml") -> tuple[Assignment, ...]:
    """The entries of a registry version, leniently: entry-level mistakes drop only that field.

    Raises :class:`PortplanError` when the version cannot be read at all.
    """
    parsed = compose(source, path)
    problems = list(parsed.problems)
    if parsed.node is None:
        first = next((p for p in problems if p.severity is Severity.ERROR), None)
        raise PortplanError(str(first) if first else f"{path}: the registry is empty")
    registry = read_registry(parsed.node, path, problems)
    if registry is None:
        raise PortplanError(str(problems[0]))
    return registry.ports
