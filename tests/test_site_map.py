"""The port map: every port a link, statuses told apart, ranges filled, conflicts marked, and
legible from 22 to 60000 and at 2,000 entries."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

from portplan.model import Assignment, Deprecation, PortSpan, Position, Range, Registry, Status
from portplan.site.port_map import (
    CELL,
    ROW_WIDTH,
    Axis,
    conflicting_spans,
    gap_width,
    port_map_parts,
    render_port_map,
    stretch_width,
)
from portplan.site.urls import SiteLinks

SVG = "{http://www.w3.org/2000/svg}"
LINKS = SiteLinks.for_page("map/")


def one(port: int | tuple[int, int], service: str, **kw: object) -> Assignment:
    span = PortSpan(*port) if isinstance(port, tuple) else PortSpan.single(port)
    return Assignment(service, span, **kw)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def ports_of(svg: str) -> dict[str, ET.Element]:
    root = parse(svg)
    return {a.get("data-port", ""): a for a in root.iter(f"{SVG}a")}


def rects(element: ET.Element) -> list[ET.Element]:
    return list(element.iter(f"{SVG}rect"))


def test_every_port_and_block_links_to_its_page_with_its_holders() -> None:
    registry = Registry(ports=(
        one(22, "SSH"), one(8090, "Mock", status=Status.DEPRECATED,
                            deprecation=Deprecation("Moved.")),
        one(8011, "Coordinator", environments=("dev",)),
        one(8011, "Coordinator", environments=("production",)),
        one((10000, 10009), "Workers"), one(60000, "Far away", status=Status.PLANNED)))
    found = ports_of(render_port_map(registry, LINKS))
    assert set(found) == {"22", "8011", "8090", "10000-10009", "60000"}
    assert found["8090"].get("href") == "../ports/8090/"
    assert found["10000-10009"].get("href") == "../ports/10000-10009/"
    title = found["8011"].findtext(f"{SVG}title")
    assert title == "8011: Coordinator (dev), active; Coordinator (production), active"


def test_statuses_are_told_apart_by_class() -> None:
    registry = Registry(ports=(
        one(1000, "A"), one(1001, "B", status=Status.PLANNED),
        one(1002, "C", status=Status.RESERVED),
        one(1003, "D", status=Status.DEPRECATED, deprecation=Deprecation("Gone."))))
    found = ports_of(render_port_map(registry, LINKS))
    assert [found[p].get("class") for p in ("1000", "1001", "1002", "1003")] == [
        "pp-map-port pp-map-active", "pp-map-port pp-map-planned",
        "pp-map-port pp-map-reserved", "pp-map-port pp-map-deprecated"]


def test_conflicts_are_marked() -> None:
    first = one(8080, "Blockchain RPC", position=Position(5, 5))
    second = one(8080, "Explorer", position=Position(9, 5))
    elsewhere = one(8081, "Other", position=Position(13, 5))
    registry = Registry(ports=(first, second, elsewhere))
    conflicted = conflicting_spans(registry)
    assert conflicted == frozenset({PortSpan.single(8080)})
    found = ports_of(render_port_map(registry, LINKS, conflicted))
    assert "pp-map-conflict" in (found["8080"].get("class") or "")
    assert found["8080"].find(f"{SVG}path") is not None  # the mark above it
    assert "pp-map-conflict" not in (found["8081"].get("class") or "")
    assert found["8080"].findtext(f"{SVG}title", "").endswith("CONFLICT")


def test_a_range_is_a_band_filled_as_far_as_it_is_used() -> None:
    registry = Registry(ports=(one(8020, "A"), one(8021, "B")),
                        ranges=(Range(PortSpan(8020, 8029), "Mock & test services"),))
    root = parse(render_port_map(registry, LINKS))
    band = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "pp-map-range")
    assert band.findtext(f"{SVG}title") == (
        "range 8020-8029: Mock & test services — 2 of 10 ports used (20%)")
    whole, used = (float(r.get("width", "0")) for r in rects(band))
    assert used == round(whole * 0.2, 1)


def test_gaps_are_squeezed_and_blocks_grow_slowly() -> None:
    assert stretch_width(1) == CELL and stretch_width(4) == 4 * CELL
    assert stretch_width(1000) < 25 * CELL  # a 1000-port block stays on one row
    assert gap_width(1) < CELL and gap_width(50_000) < 3 * CELL
    axis = Axis([PortSpan.single(22), PortSpan.single(60000)])
    (only,) = axis.gaps()
    assert only[1:] == (23, 59999)
    assert axis.rows == 1  # 59,977 free ports in between take a narrow break


def test_two_thousand_entries_spread_from_22_to_60000_stay_legible() -> None:
    ports = sorted({22 + (i * 7919) % 59978 for i in range(2000)})
    registry = Registry(ports=tuple(one(p, f"Service {p}") for p in ports))
    svg = render_port_map(registry, LINKS)
    found = ports_of(svg)
    assert len(found) == len(ports)
    widths = [float(r.get("width", "0")) for a in found.values() for r in rects(a)]
    assert min(widths) >= CELL  # every port is a cell one can aim at
    xs = [float(r.get("x", "0")) + float(r.get("width", "0"))
          for a in found.values() for r in rects(a)]
    assert max(xs) <= ROW_WIDTH
    height = float(parse(svg).get("height", "0"))
    assert height < 60 * 56  # about 30 rows, not 60000 ports' worth of pixels
    labels = re.findall(r'<text class="pp-map-label" x="([\d.]+)" y="([\d.]+)">(\d+)</text>', svg)
    assert len(labels) > 500  # many ports are named on the map itself
    by_row: dict[str, list[tuple[float, str]]] = {}
    for x, y, text in labels:
        by_row.setdefault(y, []).append((float(x), text))
    for row in by_row.values():  # labels never overlap
        row.sort()
        for (x1, t1), (x2, _) in itertools.pairwise(row):
            assert x2 >= x1 + 5.6 * len(t1)


def test_the_page_has_a_legend_and_a_summary() -> None:
    registry = Registry(ports=(one(8080, "A"),))
    page = port_map_parts(registry, LINKS).markdown()
    assert page.startswith("---\nhide:\n  - toc\n---\n\n# Port map")
    for label in ("active", "planned", "reserved", "deprecated", "conflict", "declared range"):
        assert label in page
    assert "1 port or block, 0 declared ranges, 0 in conflict." in page
