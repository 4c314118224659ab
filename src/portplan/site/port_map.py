"""A map of the port space as inline SVG: every port and block in use, the declared ranges
with how full each is, the status of each port, and the conflicts.

The ports of a real plan spread from 22 to 60000 but sit in clusters, so the axis is not
linear. Its breakpoints are the ends of every port, block and range; the stretch between two
breakpoints is as wide as its length up to four ports and grows with the logarithm of its
length beyond, and a free stretch is a narrow break whose width grows with the logarithm of
the ports it skips. The axis then wraps into rows like text. A single port stays a clickable
cell whether the plan has ten entries or 2,000 (docs/site.md, "The port map").
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portplan.model import Assignment, PortSpan, Registry, Status
from portplan.registry.rules import conflicts
from portplan.site.markup import Html
from portplan.site.parts import PageParts, Part
from portplan.site.sections import used_ports
from portplan.site.urls import SiteLinks

PORT_MAP_PAGE = "map.md"

CELL = 8.0  # width of one port, in SVG units
ROW_WIDTH = 800.0
ROW_HEIGHT = 56.0
BAND_Y, BAND_H = 4.0, 7.0  # a declared range's band, above the ports it covers
ITEM_Y, ITEM_H = 14.0, 22.0
LABEL_Y = 48.0
DIGIT = 5.6  # the width of a digit of the labels (font-size 9.5)
# Which status a port held by several entries shows: the liveliest one.
_PRECEDENCE = (Status.ACTIVE, Status.RESERVED, Status.PLANNED, Status.DEPRECATED)


def conflicting_spans(registry: Registry) -> frozenset[PortSpan]:
    """The ports and blocks of the entries named by a port conflict (docs/registry-format.md)."""
    lines = {p.line for p in conflicts(registry, "") if p.code == "port-conflict"}
    return frozenset(a.port for a in registry.ports
                     if a.port is not None and a.position.line in lines)


@dataclass(frozen=True)
class Piece:
    """Part of a span drawn on one row: ``x`` and ``width`` in SVG units."""

    row: int
    x: float
    width: float


class Axis:
    """Where each port lands: breakpoints, the width of each stretch, the rows they wrap into."""

    def __init__(self, spans: Iterable[PortSpan]) -> None:
        deltas: dict[int, int] = {}
        for span in spans:
            deltas[span.low] = deltas.get(span.low, 0) + 1
            deltas[span.high + 1] = deltas.get(span.high + 1, 0) - 1
        self.points = sorted(deltas)
        self.covered: list[bool] = []
        depth = 0
        for point in self.points[:-1]:
            depth += deltas[point]
            self.covered.append(depth > 0)
        self.places: list[tuple[int, float, float]] = []  # per stretch: row, x, width
        row, x = 0, 0.0
        for i, covered in enumerate(self.covered):
            length = self.points[i + 1] - self.points[i]
            width = stretch_width(length) if covered else gap_width(length)
            if x > 0 and x + width > ROW_WIDTH:
                if covered:
                    row, x = row + 1, 0.0
                else:
                    width = ROW_WIDTH - x  # a break at the end of a row is cut short
            self.places.append((row, x, width))
            x += width
        self.rows = row + 1 if self.places else 0

    def pieces(self, span: PortSpan) -> list[Piece]:
        """The span's rectangles, one per row it lies on."""
        first = bisect.bisect_left(self.points, span.low)
        last = bisect.bisect_left(self.points, span.high + 1)
        out: list[Piece] = []
        for row, x, width in self.places[first:last]:
            if out and out[-1].row == row:
                out[-1] = Piece(row, out[-1].x, x + width - out[-1].x)
            else:
                out.append(Piece(row, x, width))
        return out

    def gaps(self) -> list[tuple[Piece, int, int]]:
        """The free stretches between two used ones: where, and the ports they skip."""
        return [(Piece(row, x, width), self.points[i], self.points[i + 1] - 1)
                for i, (row, x, width) in enumerate(self.places)
                if not self.covered[i] and 0 < i < len(self.places) - 1]


def stretch_width(length: int) -> float:
    """A used stretch: linear up to four ports, then logarithmic (a 1000-port block is ~20)."""
    return CELL * (length if length <= 4 else 4 + 2 * math.log2(length / 4))


def gap_width(length: int) -> float:
    """A free stretch: 3 units for one port, ~19 for 10,000."""
    return 3.0 + 4.0 * math.log10(length)


def _status(holders: Sequence[Assignment]) -> Status:
    return min((a.status for a in holders), key=_PRECEDENCE.index)


def _holder_text(a: Assignment) -> str:
    envs = f" ({', '.join(a.environments)})" if a.environments is not None else ""
    return f"{a.service}{envs}, {a.status.value}"


def render_port_map(registry: Registry, links: SiteLinks,
                    conflicted: frozenset[PortSpan] = frozenset()) -> Html:
    """The map's ``<svg>``: each port or block a link to its page, its holders in a tooltip."""
    held: dict[PortSpan, list[Assignment]] = {}
    for a in registry.with_port():
        if a.port is not None:
            held.setdefault(a.port, []).append(a)
    ranges = sorted(registry.ranges, key=lambda r: r.span)
    axis = Axis([*held, *(r.span for r in ranges)])
    shapes: list[Html] = []
    for rng in ranges:
        used = len(used_ports(registry, rng))
        title = (f"range {rng.span}: {rng.purpose} — {used} of {len(rng.span)} ports used "
                 f"({round(100 * used / len(rng.span))}%)")
        shapes.append(_range_band(axis.pieces(rng.span), used / len(rng.span), title))
    for piece, low, high in axis.gaps():
        if high - low >= 15:
            shapes.append(_gap_mark(piece, low, high))
    labels: dict[int, float] = {}  # row -> where its last label ends
    # Wider first, so a port inside a block is drawn over it and stays clickable.
    for span in sorted(held, key=lambda s: (-len(s), s)):
        holders = held[span]
        status = _status(holders).value
        conflict = span in conflicted
        title = f"{span}: " + "; ".join(_holder_text(a) for a in holders) + (
            " — CONFLICT" if conflict else "")
        cls = f"pp-map-port pp-map-{status}" + (" pp-map-conflict" if conflict else "")
        rects = Html("").join(
            Html('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.0f}"></rect>').format(
                p.x, p.row * ROW_HEIGHT + ITEM_Y, p.width, ITEM_H) for p in axis.pieces(span))
        mark = Html()
        if conflict:
            first = axis.pieces(span)[0]
            cx, top = first.x + first.width / 2, first.row * ROW_HEIGHT + ITEM_Y
            mark = Html('<path class="pp-map-conflict-mark" d="M{:.1f} {:.1f} l5 8 h-10 z">'
                        "</path>").format(cx, top - 9)
        shapes.append(Html('<a href="{}" class="{}" data-port="{}"><title>{}</title>{}{}</a>'
                           ).format(links.port(span), cls, span.slug, title, rects, mark))
    for span in sorted(held):
        first = axis.pieces(span)[0]
        text = str(span.low)
        end = first.x + DIGIT * len(text)
        if first.x >= labels.get(first.row, -1.0) and end <= ROW_WIDTH:
            shapes.append(Html('<text class="pp-map-label" x="{:.1f}" y="{:.1f}">{}</text>'
                               ).format(first.x, first.row * ROW_HEIGHT + LABEL_Y, text))
            labels[first.row] = end + 4
    height = max(axis.rows, 1) * ROW_HEIGHT
    return Html('<svg class="pp-map" xmlns="http://www.w3.org/2000/svg" role="group" '
                'aria-label="Map of the ports in use" viewBox="0 0 {0:.0f} {1:.0f}" '
                'width="{0:.0f}" height="{1:.0f}" preserveAspectRatio="xMinYMin meet">{2}{3}'
                "</svg>").format(ROW_WIDTH, height, _DEFS, Html("").join(shapes))


_DEFS = Html('<defs><pattern id="pp-map-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="4" height="4" class="pp-map-hatch-bg">'
         '</rect><line x1="0" y1="0" x2="0" y2="4" class="pp-map-hatch-line"></line>'
         "</pattern></defs>")


def _range_band(pieces: Sequence[Piece], fullness: float, title: str) -> Html:
    total = sum(p.width for p in pieces)
    left = total * fullness
    bands, fills = [], []
    for p in pieces:
        y = p.row * ROW_HEIGHT + BAND_Y
        bands.append(Html('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.0f}"></rect>'
                          ).format(p.x, y, p.width, BAND_H))
        part = min(left, p.width)
        if part > 0:
            fills.append(Html('<rect class="pp-map-range-used" x="{:.1f}" y="{:.1f}" '
                              'width="{:.1f}" height="{:.0f}"></rect>').format(p.x, y, part,
                                                                              BAND_H))
        left -= part
    return Html('<g class="pp-map-range"><title>{}</title>{}{}</g>').format(
        title, Html("").join(bands), Html("").join(fills))


def _gap_mark(piece: Piece, low: int, high: int) -> Html:
    x = piece.x + piece.width / 2
    y = piece.row * ROW_HEIGHT + ITEM_Y
    return Html('<path class="pp-map-gap" d="M{:.1f} {:.1f} L{:.1f} {:.1f}">'
                "<title>{}-{}: {} ports free</title></path>").format(
                    x - 2, y + ITEM_H, x + 2, y, low, high, high - low + 1)


_LEGEND = (
    ("pp-map-active", "active"), ("pp-map-reserved", "reserved"),
    ("pp-map-planned", "planned"), ("pp-map-deprecated", "deprecated"),
    ("pp-map-port pp-map-active pp-map-conflict", "conflict"),
)


def port_map_parts(registry: Registry, links: SiteLinks, title: str = "Port map",
                   conflicted: frozenset[PortSpan] = frozenset()) -> PageParts:
    """The map page: a legend, the map, and a note on how the axis is scaled."""
    swatches = Html("").join(
        Html('<li><svg class="pp-map-swatch" viewBox="0 0 14 14" width="14" height="14" '
             'aria-hidden="true"><g class="pp-map-port {}"><rect x="1" y="1" width="12" '
             'height="12"></rect></g></svg> {}</li>').format(cls, label) for cls, label in _LEGEND)
    swatches += Html('<li><svg class="pp-map-swatch" viewBox="0 0 14 14" width="14" height="14" '
                 'aria-hidden="true"><g class="pp-map-range"><rect x="1" y="4" width="12" '
                 'height="6"></rect><rect class="pp-map-range-used" x="1" y="4" width="5" '
                 'height="6"></rect></g></svg> declared range, filled as far as it is used</li>')
    intro = Html("<p>Every port and block in use, left to right and row by row. Each one links to "
             "its page; hover for who holds it. Free stretches are squeezed into narrow breaks "
             "and long blocks grow with the logarithm of their length, so that ports from 22 to "
             "65535 fit on one page: the distance between two ports is not to scale.</p>")
    legend = Html('<ul class="pp-map-legend">{}</ul>').format(swatches)
    count = len({a.port for a in registry.with_port()})
    things = "port or block" if count == 1 else "ports and blocks"
    ranges = "declared range" if len(registry.ranges) == 1 else "declared ranges"
    summary = Html('<p class="pp-map-summary">{} {}, {} {}, {} in conflict.</p>').format(
        count, things, len(registry.ranges), ranges, len(conflicted))
    svg = render_port_map(registry, links, conflicted)
    # The map wants the width a table of contents would take.
    head = f"---\nhide:\n  - toc\n---\n\n# {title}"
    return PageParts.of([Part.markdown(head), Part.html(
        Html('<div class="pp-map-intro">{}{}{}</div>').format(intro, legend, summary)),
                         Part.unindexed(Html('<div class="pp-map-box">{}</div>').format(svg))])
