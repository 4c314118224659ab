"""Every text field of an entry, attacked: the site never lets markup or a quote through.

The entry is built from ``dataclasses.fields(Assignment)`` (and of the records nested in it), so
a text field added later is filled with hostile text automatically; a field of another kind
fails here until ``SHAPED`` says what a valid value of it is. The checker must accept the
entry (hostile text is valid registry text), and then no rendered part may hold a ``<script``,
an element or attribute the text made up, or a quote that ends an attribute early.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitrepo import Version, make_repo
from portplan.history import History, read_history
from portplan.model import Assignment, Range, Registry
from portplan.registry.load import check_file
from portplan.site.changes_page import changes_pages
from portplan.site.feed import render_feed
from portplan.site.plan_problems import PlanProblems
from portplan.site.port_map import port_map_parts
from portplan.site.port_page import PortPages, page_spans
from portplan.site.ports_index import ports_index_parts
from portplan.site.sections import render_ranges
from portplan.site.table import COLUMNS, render_table
from portplan.site.urls import SiteLinks

# Markup, both quotes (each would end an attribute and start an event handler), an ampersand,
# and a right-to-left override: all of it valid text in ports.yaml.
HOSTILE = ("<script>alert(1)</script> & &amp; x\"onmouseover=\"alert(2) y'onfocus='alert(3) "
           "</td><img src=x onerror=alert(4)> \u202e")
REPO = "https://github.com/aitbc/devnet"
# Keys in ports.yaml that are not the field's name.
YAML_KEY = {"protocols": "protocol", "accepts": "accept", "span": "range"}
# Fields whose value has a shape (numbers, dates, enumerations, mappings): a valid value, with
# hostile text wherever the shape allows text.
SHAPED: dict[tuple[type, str], Any] = {
    (Assignment, "port"): 8090,
    (Assignment, "protocols"): ["tcp", "udp"],
    (Assignment, "status"): "deprecated",
    (Assignment, "environments"): [HOSTILE, "dev"],
    (Assignment, "links"): {HOSTILE: "https://wiki.example.org/a?b=1&c=\"2\"<script>"},
    (Assignment, "meta"): {"team-note": HOSTILE, "tier": 2, "ok": True},
    (Assignment, "accepts"): {"ephemeral-port": HOSTILE},
    (Assignment, "position"): None,
    ("External", "port"): 443,
    ("Deprecation", "replaced_by"): 8020,
    ("Deprecation", "since"): "2026-03-05",
    ("Deprecation", "remove_after"): "2030-06-01",
    ("Deprecation", "replaced_by_position"): None,
    (Range, "span"): "7000-7009",
    (Range, "protocols"): ["tcp"],
    (Range, "position"): None,
}
TEXT = (str, str | None)


def _record(hint: Any) -> type | None:
    """The dataclass a field holds (``External | None`` -> ``External``), or None."""
    options = [a for a in typing.get_args(hint) if a is not type(None)] \
        if isinstance(hint, types.UnionType) else [hint]
    return options[0] if len(options) == 1 and dataclasses.is_dataclass(options[0]) else None


def hostile_mapping(cls: type) -> dict[str, Any]:
    """The YAML mapping of one record, every field filled: text with ``HOSTILE``."""
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        shaped = SHAPED.get((cls, f.name), SHAPED.get((cls.__name__, f.name), ...))
        if shaped is ...:
            if hints[f.name] in TEXT:
                shaped = HOSTILE
            elif (record := _record(hints[f.name])) is not None:
                shaped = hostile_mapping(record)
            else:
                pytest.fail(f"{cls.__name__}.{f.name} ({hints[f.name]}): add a valid value "
                            "to SHAPED in this test")
        if shaped is not None:
            out[YAML_KEY.get(f.name, f.name)] = shaped
    return out


def text_fields(cls: type, value: object) -> list[tuple[str, object]]:
    """Every text field of a loaded record and of the records in it, with its value."""
    hints = typing.get_type_hints(cls)
    found: list[tuple[str, object]] = []
    for f in dataclasses.fields(cls):
        inner = getattr(value, f.name)
        if hints[f.name] in TEXT and (cls, f.name) not in SHAPED:
            found.append((f"{cls.__name__}.{f.name}", inner))
        elif (record := _record(hints[f.name])) is not None and inner is not None:
            found += text_fields(record, inner)
    return found


class Tags(HTMLParser):
    """The elements and attributes of a piece of HTML, as a browser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs


def assert_safe(name: str, html: str) -> None:
    assert "<script" not in html.lower(), name
    assert "<img" not in html.lower(), name
    found = Tags(html)
    assert not {"script", "img"} & set(found.tags), name
    made_up = [a for a, _ in found.attributes if a.startswith("on") or a in ("y'onfocus", "src")]
    assert not made_up, (name, made_up)
    # Where the text sits in an attribute, it is all there: no quote ended the value early.
    for attr, value in found.attributes:
        if value and "alert(2)" in value:
            assert "x\"onmouseover=\"alert(2) y'onfocus='alert(3)" in value, (name, attr, value)


def plan_text(entry: dict[str, Any], rng: dict[str, Any]) -> str:
    return yaml.safe_dump({"version": 1, "ranges": [rng],
                           "ports": [entry, {"port": 8020, "service": "Mock services"}]},
                          sort_keys=False, allow_unicode=True, width=1000)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, History, PlanProblems]:
    entry, rng = hostile_mapping(Assignment), hostile_mapping(Range)
    plain = {"version": 1, "ports": [{"port": 8090, "service": "Mock"},
                                     {"port": 8020, "service": "Mock services"}]}
    repo = make_repo(tmp_path_factory.mktemp("hostile-fields") / "plan", [
        Version(yaml.safe_dump(plain, sort_keys=False), message="Start"),
        Version(plan_text(entry, rng), message=HOSTILE, author="Eve <eve@example.org>",
                date="2026-03-06T10:00:00+00:00"),
    ])
    result = check_file(repo / "ports.yaml")
    errors = [p.message for p in result.problems if p.severity.value == "error"]
    assert result.registry is not None and not errors, f"check refuses the entry: {errors}"
    history = read_history(repo, Path("ports.yaml"))
    plan = PlanProblems.find(result.registry, result.between_entries, history.events,
                             result.accepted)
    return result.registry, history, plan


def test_every_text_field_holds_the_hostile_text(
        loaded: tuple[Registry, History, PlanProblems]) -> None:
    registry = loaded[0]
    entry = next(a for a in registry.ports if a.port is not None and a.port.low == 8090)
    fields = text_fields(Assignment, entry) + text_fields(Range, registry.ranges[0])
    assert {"Assignment.service", "Assignment.description", "Deprecation.note",
            "External.via", "Range.purpose"} <= {name for name, _ in fields}
    assert [name for name, value in fields if value != HOSTILE] == []


PARTS: dict[str, Callable[[Registry, History, PlanProblems], str]] = {
    "table": lambda r, h, p: render_table(r, h, SiteLinks(repo_url=REPO),
                                          [*COLUMNS, "meta.team-note"], plan=p),
    "port pages": lambda r, h, p: "".join(
        PortPages(r, h, p).render(span, SiteLinks.for_page("ports/x/", repo_url=REPO))
        for span in page_spans(r, h)),
    "ports index": lambda r, h, p: ports_index_parts(r, h, SiteLinks()).markdown(),
    "map": lambda r, h, p: port_map_parts(r, SiteLinks()).markdown(),
    "ranges": lambda r, h, p: render_ranges(r, SiteLinks()),
    "changes": lambda r, h, p: "".join(
        parts.markdown() for _, parts in changes_pages(h, lambda _: SiteLinks(repo_url=REPO))),
}


@pytest.mark.parametrize("part", PARTS)
def test_no_markup_or_quote_gets_through(part: str,
                                         loaded: tuple[Registry, History, PlanProblems]) -> None:
    html = PARTS[part](*loaded)
    assert "alert(1)" in html  # the hostile text is shown, escaped
    assert_safe(part, html)


def test_the_feed_carries_the_hostile_text_as_escaped_html(
        loaded: tuple[Registry, History, PlanProblems]) -> None:
    feed = ET.fromstring(render_feed(loaded[1], title=HOSTILE, site_url=None,  # noqa: S314
                                     repo_url=REPO))
    contents = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}content")]
    assert any("alert(1)" in c for c in contents)
    for content in contents:
        assert_safe("feed", content)
