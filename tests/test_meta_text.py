"""One spelling of meta values as text: the site, the diff and the CSV export agree."""

from __future__ import annotations

import csv
import io

from portplan.exporting import to_csv
from portplan.model import Assignment, PortSpan, Registry, meta_text
from portplan.registry import assignments_from_text
from portplan.review import compare, render_markdown
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
