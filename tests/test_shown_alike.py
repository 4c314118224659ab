"""Values shown alike everywhere: meta values as text, and the deprecation block of the site."""

from __future__ import annotations

import csv
import datetime as dt
import io

from portplan.exporting import to_csv
from portplan.model import Assignment, Deprecation, PortSpan, Registry, Status, meta_text
from portplan.registry.load import assignments_from_text
from portplan.review import compare, render_markdown
from portplan.site.event_text import render_deprecation
from portplan.site.history_view import NoHistory
from portplan.site.port_page import render_port_page
from portplan.site.table import render_table
from portplan.site.urls import SiteLinks


def test_the_rule() -> None:
    assert [meta_text(v) for v in (True, False, 2, 1.5, "yes")] == [
        "true", "false", "2", "1.5", "yes"]


def test_every_renderer_spells_booleans_alike() -> None:
    a = Assignment("Web", PortSpan.single(8080), meta=(("public", True), ("beta", False)))
    registry = Registry(ports=(a,))
    row = next(csv.DictReader(io.StringIO(to_csv(registry))))
    assert (row["meta.public"], row["meta.beta"]) == ("true", "false")
    page = render_port_page(PortSpan.single(8080), registry, NoHistory("none"), SiteLinks())
    assert "<td>true</td>" in page and "<td>false</td>" in page
    table = render_table(registry, NoHistory("none"), SiteLinks(), ["port", "meta.public"])
    assert ">true<" in table and "True" not in table
    base = assignments_from_text("version: 1\nports:\n  - {port: 8080, service: Web}\n")
    head = assignments_from_text(
        "version: 1\nports:\n  - {port: 8080, service: Web, meta: {public: true}}\n")
    markdown = render_markdown(compare(base, head, "main", "feature"))
    assert "true" in markdown and "True" not in markdown


def test_table_and_port_page_show_one_deprecation_block() -> None:
    # One renderer (event_text.render_deprecation): the table only adds its lead word.
    deprecation = Deprecation("Use *8020* <now>.", PortSpan.single(8020),
                              remove_after=dt.date(2027, 3, 1))
    gone = Assignment("Mock", PortSpan.single(8090), status=Status.DEPRECATED,
                      deprecation=deprecation)
    registry = Registry(ports=(gone, Assignment("Mocks", PortSpan.single(8020))))
    links = SiteLinks()
    block = str(render_deprecation(deprecation, links))  # str: Html.replace would escape
    assert "<em>8020</em> &lt;now&gt;." in block and "2027-03-01" in block
    page = render_port_page(PortSpan.single(8090), registry, NoHistory("none"), links)
    table = render_table(registry, NoHistory("none"), links)
    assert block in page
    assert block.replace('">', '"><strong>Deprecated:</strong> ', 1) in table
