"""Read YAML nodes into registry records, collecting every problem on the way.

:class:`EntryReader` knows the shape of each part of ``ports.yaml`` (SPEC §1): the keys an entry
may have, the type of each value, and the message that says how to fix a wrong one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from functools import partial
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
    Status,
)
from portplan.problems import Problem, Severity
from portplan.terminal import printable
from portplan.yamlsource import error_at, problem_at

T = TypeVar("T")

TOP_KEYS = ("version", "ranges", "ports")
ENTRY_KEYS = ("port", "protocol", "service", "name", "status", "location", "command",
              "description", "owner", "contact", "environments", "role", "bind", "env_var",
              "external", "links", "deprecation", "meta")
RANGE_KEYS = ("range", "purpose", "protocol", "owner")
EXTERNAL_KEYS = ("port", "via", "host", "path")
DEPRECATION_KEYS = ("note", "replaced_by", "since", "remove_after")

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SPAN = re.compile(r"([0-9]+)-([0-9]+)")
_DECIMAL = re.compile(r"[1-9][0-9]*|0")
_SIGNED = re.compile(r"[-+]?[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 6335 §5.1: 1-15 of A-Z a-z 0-9 '-', a letter somewhere, no '-' at either end or doubled.
_SERVICE_NAME = re.compile(r"(?=.*[A-Za-z])(?!-)(?!.*--)[A-Za-z0-9-]{1,15}(?<!-)")
_ENV_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
NULL_TAG = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_TYPE_NAMES = {
    STR_TAG: "text", INT_TAG: "an integer", "tag:yaml.org,2002:float": "a number with a fraction",
    "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}
_constructor = SafeConstructor()


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TYPE_NAMES.get(node.tag, node.tag)


def scalar(node: yaml.ScalarNode) -> object:
    """The Python value of a plain scalar node, as YAML 1.1 (PyYAML) resolves it."""
    # Not construct_object(): it caches every node it sees, and the constructor lives as long
    # as the process (a leak across `mkdocs serve` rebuilds).
    construct = SafeConstructor.yaml_constructors.get(node.tag)
    return node.value if construct is None else construct(_constructor, node)


class EntryReader:
    """Turns nodes into records; collects problems instead of stopping at the first.

    ``today``, when given, enables the ``remove-after-passed`` warning.
    """

    def __init__(self, path: str, problems: list[Problem], *,
                 today: dt.date | None = None) -> None:
        self.path = path
        self.problems = problems
        self.today = today
        # Where each entry's replaced_by is written, by the entry's position: rules point there.
        self.replaced_by_at: dict[Position, Position] = {}
        self._entry_at = Position(0, 0)

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
                       f"{what} must be a mapping of keys to values, not {kind_of(node)}"
                       + _mapping_hint(node))
            return None
        seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                self.error(key_node, "yaml-merge-key",
                           f"the merge key '<<' is not allowed in {what}; write the keys out "
                           "in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                shown = (f" {shorten(key_node.value)}" if isinstance(key_node, yaml.ScalarNode)
                         else "")
                self.error(key_node, "wrong-type",
                           f"keys in {what} must be text, not {kind_of(key_node)}{shown}; "
                           "use a name such as 'port'")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key][0].start_mark
                self.error(key_node, "duplicate-key",
                           f"duplicate key '{shorten(key)}' in {what} (first at line "
                           f"{first.line + 1}, column {first.column + 1}); YAML would silently "
                           "keep only the last one: remove one of them")
                continue
            if allowed is not None and key not in allowed:
                close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "allowed keys: " + ", ".join(allowed))
                self.error(key_node, "unknown-key",
                           f"unknown key '{shorten(key)}' in {what}; {hint}")
                continue
            seen[key] = (key_node, value_node)
        return seen

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "wrong-type", f"{what} must be a list, not {kind_of(node)}"
                       + ("; write it as [a, b] or as '- item' lines"
                          if isinstance(node, yaml.ScalarNode)
                          else "; start each item with '- '"))
            return None
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            self.characters(node, what)
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag != NULL_TAG:
            quoted = shorten(node.value).replace("\\", "\\\\").replace('"', '\\"')
            self.error(node, "wrong-type",
                       f"{what} must be text, not {kind_of(node)}; quote it: \"{quoted}\"")
        elif isinstance(node, yaml.ScalarNode):
            self.error(node, "wrong-type",
                       f"{what} is empty; write a value, or remove the key")
        else:
            self.error(node, "wrong-type", f"{what} must be text, not {kind_of(node)}")
        return None

    def characters(self, node: yaml.ScalarNode, what: str) -> None:
        """Control characters are errors, and line breaks in a one-line field; bidi: a warning."""
        value = node.value
        block = node.style in ("|", ">")
        found = _CONTROL.search(value.replace("\t", "") if block else value)
        one_line = what.split(" ", 1)[0] in ONE_LINE_FIELDS
        if found is None and one_line:
            found = _LINE_BREAK.search(value)
        if found is not None:
            char = found.group()
            kind = "a line break" if char in "\n\u2028\u2029" else "a control character"
            fix = ("keep it on one line" if kind == "a line break" and one_line
                   else "remove it (a tab is allowed only in a | or > block)" if char == "\t"
                   else "remove it")
            self.error(node, "control-character",
                       f"{what} contains {kind} (U+{ord(char):04X}) at character "
                       f"{found.start() + 1}; {fix}")
        elif (bidi := _BIDI.search(value)) is not None:
            self.warn(node, "bidi-control",
                      f"{what} contains the bidirectional control U+{ord(bidi.group()):04X}, "
                      "which can make the text read differently from what it is; remove it "
                      "unless the text needs it")

    def required_text(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not value.strip():
            self.error(node, "empty-value", f"{what} is empty; write what it is")
            return None
        return value

    def port_number(self, node: yaml.Node, what: str) -> int | None:
        """A port: a plain decimal integer from 1 to 65535."""
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG:
            if _SIGNED.fullmatch(node.value) and not _DECIMAL.fullmatch(node.value.lstrip("+-")):
                self.error(node, "wrong-type",
                           f"{what} is {shorten(node.value)}, with a leading zero that YAML "
                           f"reads as octal; write it as {shorten(node.value.lstrip('+-0'))}")
                return None
            if not _SIGNED.fullmatch(node.value):
                self.error(node, "wrong-type",
                           f"{what} is {shorten(node.value)}; write it as a plain decimal "
                           "number such as 8080")
                return None
            number = _bounded_int(node.value)
            if not 1 <= number <= 65535:
                self.error(node, "port-out-of-range",
                           f"{what} is {shorten(node.value)}, out of range; ports run from 1 "
                           "to 65535")
                return None
            return number
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and _SIGNED.fullmatch(
                node.value):
            self.error(node, "wrong-type",
                       f"{what} must be a number, not the text \"{shorten(node.value)}\"; "
                       "remove the quotes")
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:float":
            self.error(node, "wrong-type",
                       f"{what} must be a whole number, not {shorten(node.value)}; write it "
                       "without a fraction")
        elif isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
            self.error(node, "wrong-type",
                       f"{what} is empty; write a port from 1 to 65535, or remove the key for "
                       "a service without a port")
        else:
            shown = f" '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else ""
            self.error(node, "wrong-type",
                       f"{what} must be a port number from 1 to 65535, not {kind_of(node)}"
                       f"{shown}")
        return None

    def span(self, node: yaml.Node, what: str, *, block_only: bool = False) -> PortSpan | None:
        """A port (``8090``) or a block (``8020-8029``); ``block_only`` wants a block."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and "-" in node.value[1:]:
            return self._block(node, what)
        if block_only:
            shown = (f"is {shorten(node.value)}, not a block" if isinstance(node, yaml.ScalarNode)
                     else f"must be a block, not {kind_of(node)}")
            self.error(node, "malformed-range",
                       f"{what} {shown}; write it as LOW-HIGH, e.g. 8020-8029 (one port: "
                       "8020-8020)")
            return None
        number = self.port_number(node, what)
        return PortSpan.single(number) if number is not None else None

    def _block(self, node: yaml.ScalarNode, what: str) -> PortSpan | None:
        """A ``LOW-HIGH`` block."""
        match = _SPAN.fullmatch(node.value)
        if not match:
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}', which is not a range; write it as "
                       "LOW-HIGH, e.g. 8020-8029")
            return None
        if not (_DECIMAL.fullmatch(match[1]) and _DECIMAL.fullmatch(match[2])):
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}'; write each end as a plain decimal "
                       "number without leading zeros: "
                       f"{_bounded_int(match[1])}-{_bounded_int(match[2])}")
            return None
        low, high = _bounded_int(match[1]), _bounded_int(match[2])
        if not (1 <= low <= 65535 and 1 <= high <= 65535):
            self.error(node, "port-out-of-range",
                       f"{what} is '{shorten(node.value)}', out of range; ports run from 1 "
                       "to 65535")
            return None
        if low > high:
            self.error(node, "malformed-range",
                       f"{what} is '{shorten(node.value)}', which runs backwards; write "
                       f"the low port first: {high}-{low}")
            return None
        return PortSpan(low, high)

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
            if value not in PROTOCOLS:
                close = difflib.get_close_matches(value.lower(), PROTOCOLS, n=1)
                hint = (f"did you mean '{close[0]}'? (protocols are lower case)" if close
                        else "use one of them")
                self.error(item, "unknown-protocol",
                           f"{what} is '{shorten(value)}', which is not tcp, udp or sctp; {hint}")
                return None
            if value in found:
                self.error(item, "duplicate-value",
                           f"{what} lists '{shorten(value)}' twice; remove one")
                continue
            found.append(value)
        return tuple(p for p in PROTOCOLS if p in found)

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in (STR_TAG, _TIMESTAMP):
            value = None
            if _ISO_DATE.fullmatch(node.value):
                try:
                    value = dt.date.fromisoformat(node.value)
                except ValueError:
                    self.error(node, "invalid-date",
                               f"{what} is '{shorten(node.value)}', which is not a day of the "
                               "calendar; write a real date as YYYY-MM-DD")
                    return None
            if value is not None:
                return value
        shown = f"is '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else \
            f"is {kind_of(node)}"
        self.error(node, "invalid-date",
                   f"{what} {shown}, not a date; write it as YYYY-MM-DD, e.g. 2026-06-01")
        return None

    def url(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not _URL.fullmatch(value):
            self.error(node, "bad-link",
                       f"{what} is '{shorten(value, 80)}', not an http(s) URL; links must "
                       "start with https:// or http:// and contain no spaces")
            return None
        return value

    def each(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str,
             read: Callable[[yaml.Node, str], T | None], what: str) -> T | None:
        if key not in fields:
            return None
        return read(fields[key][1], what)

    # -- records --------------------------------------------------------------------------------
    def assignment(self, node: yaml.Node, index: int) -> Assignment | None:
        """One ``ports:`` entry; None when it has no usable service (problems say why)."""
        what = f"ports entry {index + 1}"
        fields = self.mapping(node, what, ENTRY_KEYS)
        if fields is None:
            return None
        position = self.position(fields["port"][1] if "port" in fields else node)
        self._entry_at = position
        service = None
        if "service" not in fields:
            self.error(node, "missing-key",
                       f"{what} has no 'service'; add service: <display name>")
        else:
            service = self.required_text(fields["service"][1], f"service of {what}")
        # Without a service the entry is dropped, but its other fields are still checked.
        label = f"'{shorten(service, 60)}'" if service is not None else what
        port = self.each(fields, "port", self.span, f"port of {label}")
        protocols = self.each(fields, "protocol", self.protocols, f"protocol of {label}")
        status = self.status(fields, label)
        texts = {name: self.each(fields, name, self.text, f"{name} of {label}")
                 for name in TEXT_FIELDS}
        self._check_names(fields, texts, label)
        environments = self.each(fields, "environments", self.environments,
                                 f"environments of {label}")
        deprecation = self.deprecation(fields, status, label)
        external = self.each(fields, "external", self.external, f"external of {label}")
        links = self.each(fields, "links", self.links, f"links of {label}") or ()
        meta = self.each(fields, "meta", self.meta, f"meta of {label}") or ()
        if service is None:
            return None
        return Assignment(
            service=service,
            port=port,
            protocols=protocols or ("tcp",),
            status=status,
            environments=environments,
            external=external,
            links=links,
            deprecation=deprecation,
            meta=meta,
            position=position,
            **texts,
        )

    def _check_names(self, fields: dict[str, tuple[yaml.Node, yaml.Node]],
                     texts: dict[str, str | None], label: str) -> None:
        name, env_var = texts["name"], texts["env_var"]
        if name is not None and not _SERVICE_NAME.fullmatch(name):
            self.warn(fields["name"][1], "invalid-service-name",
                      f"name '{shorten(name)}' of {label} is not a valid RFC 6335 service name; "
                      "use 1-15 letters, digits and '-' (lower case by convention), with at "
                      "least one letter and no leading, trailing or double '-'")
        if env_var is not None and not _ENV_VAR.fullmatch(env_var):
            # A warning, not an error: SPEC §1 does not forbid it, but no shell can set it.
            self.warn(fields["env_var"][1], "invalid-env-var",
                      f"env_var '{shorten(env_var)}' of {label} is not a variable name; use "
                      "letters, digits and '_', not starting with a digit, e.g. "
                      "MOCK_COORDINATOR_PORT")

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
            close = difflib.get_close_matches(value.lower(), names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of them"
            self.error(node, "unknown-status",
                       f"status of {label} is '{shorten(value)}', which is not one of "
                       f"{', '.join(names)}; {hint}")
            return Status.ACTIVE

    def environments(self, node: yaml.Node, what: str) -> tuple[str, ...] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG:
            self.error(node, "wrong-type",
                       f"{what} must be a list, not text; write [{shorten(node.value)}]")
            return None
        items = self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.error(node, "empty-value",
                       f"{what} is an empty list; remove the key to mean every environment")
            return None
        names: list[str] = []
        for item in items:
            name = self.required_text(item, what)
            if name is not None and name in names:
                self.error(item, "duplicate-value",
                           f"{what} lists '{shorten(name)}' twice; remove one")
            elif name is not None:
                names.append(name)
        return tuple(sorted(names)) or None

    def deprecation(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], status: Status,
                    label: str) -> Deprecation | None:
        if "deprecation" not in fields:
            if status is Status.DEPRECATED:
                self.error(fields["status"][1], "missing-deprecation",
                           f"{label} is deprecated but has no deprecation note; add "
                           "deprecation: {note: <how clients migrate>}")
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
        note = None
        if "note" not in parts:
            self.error(node, "missing-key",
                       f"{what} has no 'note'; add note: <how clients migrate>")
        else:
            note = self.required_text(parts["note"][1], f"note of {label}")
        replaced_by = self.each(parts, "replaced_by", self.span, f"replaced_by of {label}")
        if replaced_by is not None:
            self.replaced_by_at[self._entry_at] = self.position(parts["replaced_by"][1])
        since = self.each(parts, "since", self.date, f"since of {label}")
        remove_after = self.each(parts, "remove_after", self.date, f"remove_after of {label}")
        if remove_after is not None and self.today is not None and remove_after < self.today:
            self.warn(parts["remove_after"][1], "remove-after-passed",
                      f"{label} was to be removed after {remove_after.isoformat()}; remove the "
                      "entry, or push remove_after back")
        # Without a usable note the entry is already an error; the rest is still read so that
        # every other problem (an unknown replaced_by, say) is reported too.
        return Deprecation(note=note or "", replaced_by=replaced_by, since=since,
                           remove_after=remove_after)

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
            url = self.url(value, f"link '{shorten(label)}' of {what.removeprefix('links of ')}")
            if url is not None:
                out.append((label, url))
        return tuple(out)

    def meta(self, node: yaml.Node, what: str) -> tuple[tuple[str, MetaValue], ...] | None:
        parts = self.mapping(node, what, None)
        if parts is None:
            return None
        out: list[tuple[str, MetaValue]] = []
        for key, (key_node, value) in parts.items():
            if isinstance(key_node, yaml.ScalarNode):
                self.characters(key_node, f"meta key '{shorten(key)}' of {what}")
            if isinstance(value, yaml.ScalarNode) and value.tag == STR_TAG:
                self.characters(value, f"value of {what}.{shorten(key)}")
            if isinstance(value, yaml.ScalarNode) and value.tag in (
                    STR_TAG, INT_TAG, "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"):
                number = scalar_value(value)
                if isinstance(number, float) and not math.isfinite(number):
                    self.error(value, "wrong-type",
                               f"meta value '{shorten(key)}' is {shorten(value.value)}, which JSON "
                               "cannot carry; write a finite number, or quote it as text")
                    continue
                out.append((key, number))
            else:
                fix = ("write a value, or remove the key" if isinstance(value, yaml.ScalarNode)
                       and value.tag == NULL_TAG else "write it as one text value")
                self.error(value, "wrong-type",
                           f"meta value '{shorten(key)}' must be text, a number or a boolean, not "
                           f"{kind_of(value)}; {fix}")
        return tuple(out)

    def range(self, node: yaml.Node, index: int) -> Range | None:
        what = f"ranges entry {index + 1}"
        fields = self.mapping(node, what, RANGE_KEYS)
        if fields is None:
            return None
        for key, hint in (("range", "LOW-HIGH"), ("purpose", "<what the block is for>")):
            if key not in fields:
                self.error(node, "missing-key", f"{what} has no '{key}'; add {key}: {hint}")
        span = self.each(fields, "range", partial(self.span, block_only=True),
                         f"range of {what}")
        purpose = self.each(fields, "purpose", self.required_text, f"purpose of {what}")
        protocols = self.each(fields, "protocol", self.protocols, f"protocol of {what}")
        owner = self.each(fields, "owner", self.text, f"owner of {what}")
        if span is None or purpose is None:
            return None
        return Range(span=span, purpose=purpose, protocols=protocols or ("tcp",), owner=owner,
                     position=self.position(fields["range"][1]))


# docs/registry-format.md, control-character: the fields that are one line of text.
ONE_LINE_FIELDS = frozenset(("service", "name", "location", "command", "owner", "contact",
                             "role", "bind", "environments", "env_var", "meta"))
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all of C0 and C1 but \n
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _bounded_int(text: str) -> int:
    """A decimal string's value; past six digits, 10**6 stands for "too big".

    Python refuses to convert over 4,300 digits (a ValueError), and no port needs more than 5.
    """
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").lstrip("0") or "0"
    return sign * (int(digits) if len(digits) <= 6 else 10**6)


def shorten(value: str, limit: int = 60) -> str:
    """A value as quoted in a message, cut short when it is long, control characters escaped."""
    value = printable(value, one_line=True)
    return value if len(value) <= limit else f"{value[:limit]}... ({len(value)} characters)"


def _mapping_hint(node: yaml.Node) -> str:
    if node.start_mark.line == 0 and node.start_mark.column == 0:
        return "; start the file with 'version: 1' and 'ports:'"
    if isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG:
        return "; fill it in, or remove it"
    return ""


def scalar_value(node: yaml.ScalarNode) -> MetaValue:
    try:
        value = scalar(node)
    except (ConstructorError, ValueError):
        return str(node.value)
    return value if isinstance(value, str | int | float | bool) else str(node.value)
