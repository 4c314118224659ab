"""The schema of ``ports.yaml``: the keys of each part and what each value must be.

:class:`EntryReader` reads a composed document into a :class:`Registry` (see
docs/registry-format.md), through the typed readers of :mod:`portplan.registry.nodes` and
:mod:`portplan.registry.port_nodes`, and collects every problem on the way with the message
that says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import replace
from functools import partial

import yaml

from portplan.model import (
    ENV_VAR_NAME,
    NOWHERE,
    TEXT_FIELDS,
    Assignment,
    Deprecation,
    External,
    MetaValue,
    Position,
    Range,
    Registry,
    Status,
)
from portplan.problems import Problem
from portplan.registry.acceptance import read_accepts
from portplan.registry.nodes import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    STR_TAG,
    kind_of,
    scalar_value,
    shorten,
)
from portplan.registry.port_nodes import PortReader

TOP_KEYS = ("version", "imported_from", "ranges", "ports", "scan")  # scan: portplan.scan.config

ENTRY_KEYS = ("port", "protocol", "service", "name", "status", "location", "command",
              "description", "owner", "contact", "environments", "role", "bind", "env_var",
              "external", "links", "deprecation", "meta", "accept")
RANGE_KEYS = ("range", "purpose", "protocol", "owner")
EXTERNAL_KEYS = ("port", "via", "host", "path")
DEPRECATION_KEYS = ("note", "replaced_by", "since", "remove_after")
# RFC 6335 §5.1: 1-15 of A-Z a-z 0-9 '-', a letter somewhere, no '-' at either end or doubled.
_SERVICE_NAME = re.compile(r"(?=.*[A-Za-z])(?!-)(?!.*--)[A-Za-z0-9-]{1,15}(?<!-)")


class EntryReader(PortReader):
    """Turns the nodes of a registry into records.

    ``today``, when given, enables the ``remove-after-passed`` warning. ``lenient`` keeps an
    entry without a usable service (named ``?``), so that an edit can still find it by port.
    """

    def __init__(self, path: str, problems: list[Problem], *,
                 today: dt.date | None = None, lenient: bool = False) -> None:
        super().__init__(path, problems)
        self.today = today
        self.lenient = lenient
        self._entry_at: Position | None = None  # the entry being read, for its warnings

    def warn(self, node: yaml.Node, code: str, message: str) -> None:
        """A warning, tagged with the entry it belongs to (an entry can accept it by code)."""
        super().warn(node, code, message)
        self.problems[-1] = replace(self.problems[-1], entry=self._entry_at)

    # -- records --------------------------------------------------------------------------------
    def registry(self, node: yaml.Node | None) -> Registry | None:
        """The registry in a composed document, or None when its top level is unusable."""
        top = self._top(node)
        if node is None or top is None:
            return None
        if "version" not in top:
            self.error(node, "missing-key",
                       "the registry has no 'version'; add version: 1 at the top")
        else:
            self._version(top["version"][1])
        if "ports" not in top:
            self.error(node, "missing-key", "the registry has no 'ports'; add ports: [] or a "
                       "list of entries")
        entries = self.sequence(top["ports"][1], "ports") if "ports" in top else []
        ranges_nodes = self.sequence(top["ranges"][1], "ranges") if "ranges" in top else []
        ports = tuple(a for i, n in enumerate(entries or ())
                      if (a := self.assignment(n, i)) is not None)
        ranges = tuple(r for i, n in enumerate(ranges_nodes or ())
                       if (r := self.range(n, i)) is not None)
        # Where the plan was imported from (docs/adopting.md): its history comes before ours.
        imported_from = self.text(top["imported_from"][1], "imported_from") \
            if "imported_from" in top else None
        if entries is None or ranges_nodes is None:
            return None
        return Registry(version=1, ports=ports, ranges=ranges, imported_from=imported_from)

    def entry_nodes(self, node: yaml.Node | None) -> list[yaml.Node] | None:
        """The nodes of the ``ports:`` entries, or None when there is no such list."""
        top = self._top(node)
        if top is None or "ports" not in top:
            return None
        return self.sequence(top["ports"][1], "ports")

    def _top(self, node: yaml.Node | None) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG):
            self.error(node, "empty-registry",
                       "the registry is empty; start it with 'version: 1' and 'ports: []'")
            return None
        return self.mapping(node, "the registry", TOP_KEYS)

    def _version(self, node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode) and node.tag == INT_TAG and node.value == "1":
            return
        if isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and node.value.strip() == "1":
            self.error(node, "wrong-type",
                       'version must be the number 1, not the text "1"; remove the quotes')
        elif isinstance(node, yaml.ScalarNode) and node.tag in (INT_TAG, FLOAT_TAG):
            self.error(node, "unsupported-version",
                       f"unsupported registry version {shorten(node.value)}; this portplan reads "
                       "version: 1")
        else:
            shown = f" '{shorten(node.value)}'" if isinstance(node, yaml.ScalarNode) else ""
            self.error(node, "wrong-type",
                       f"version must be the number 1, not {kind_of(node)}{shown}; write "
                       "version: 1")

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
        accepts = self.each(fields, "accept", partial(read_accepts, self),
                            f"accept of {label}") or ()
        self._entry_at = None
        if service is None and not self.lenient:
            return None
        return Assignment(
            service="?" if service is None else service,
            port=port,
            protocols=protocols or ("tcp",),
            status=status,
            environments=environments,
            external=external,
            links=links,
            deprecation=deprecation,
            meta=meta,
            accepts=accepts,
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
        if env_var is not None and not ENV_VAR_NAME.fullmatch(env_var):
            # A warning, not an error: docs/registry-format.md allows it, but no shell can set it.
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
        since = self.each(parts, "since", self.date, f"since of {label}")
        remove_after = self.each(parts, "remove_after", self.date, f"remove_after of {label}")
        if remove_after is not None and self.today is not None and remove_after < self.today:
            self.warn(parts["remove_after"][1], "remove-after-passed",
                      f"{label} was to be removed after {remove_after.isoformat()}; remove the "
                      "entry, or push remove_after back")
        # Without a usable note the entry is already an error; the rest is still read so that
        # every other problem (an unknown replaced_by, say) is reported too.
        return Deprecation(note=note or "", replaced_by=replaced_by, since=since,
                           remove_after=remove_after,
                           replaced_by_position=self.position(parts["replaced_by"][1])
                           if replaced_by is not None else NOWHERE)

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
                    STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG):
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
