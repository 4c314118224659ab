"""Ports that blocks and ranges cover (docs/site.md, "Blocks and ranges").

A port inside a block that an entry holds, or inside a declared range, is never free: its page
says who holds it or what it is kept for. A port of a held block with no page of its own gets a
small page that sends the reader to the block's page.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from portplan.model import Assignment, PortSpan, Range, Registry
from portplan.site.event_text import port_link
from portplan.site.inline import render_inline
from portplan.site.markup import Html
from portplan.site.urls import SiteLinks, page_url, port_page_src


@dataclass(frozen=True, eq=False)
class _Same:
    """A registry as a cache key: compared by identity, so hashing it costs nothing."""

    registry: Registry

    def __hash__(self) -> int:
        return id(self.registry)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.registry is self.registry


# A cached key keeps its registry alive, so no other registry can take its id meanwhile.
@functools.lru_cache(maxsize=4)
def _blocks(key: _Same) -> tuple[tuple[PortSpan, Assignment], ...]:
    """The entries holding a block, once per registry: every port page asks (3,906 at L)."""
    return tuple((a.port, a) for a in key.registry.ports if a.port is not None and a.port.is_block)


def covering_entries(registry: Registry, span: PortSpan) -> list[Assignment]:
    """Entries holding a block that contains ``span`` (not ``span`` itself), smallest first."""
    found = [(block, a) for block, a in _blocks(_Same(registry))
             if block != span and block.contains(span)]
    return [a for block, a in sorted(found, key=lambda pair: (len(pair[0]), pair[0]))]


def covering_ranges(registry: Registry, span: PortSpan) -> list[Range]:
    return sorted((r for r in registry.ranges if r.span.contains(span)), key=lambda r: r.span)


def _holder(a: Assignment) -> Html:
    where = f" in {', '.join(a.environments)}" if a.environments is not None else ""
    return Html("<strong>{}</strong> ({}, {})").format(a.service, "/".join(a.protocols) + where,
                                                       a.status.value)


def cover_title(registry: Registry, span: PortSpan) -> str | None:
    """What a page title says instead of "free" for a covered port, or None."""
    blocks = covering_entries(registry, span)
    if blocks:
        return f"part of {blocks[0].port} ({blocks[0].service})"
    ranges = covering_ranges(registry, span)
    if ranges:
        return f"in range {ranges[0].span} ({ranges[0].purpose})"
    return None


def render_cover(registry: Registry, span: PortSpan, links: SiteLinks, *,
                 held: bool) -> Html:
    """Who holds ``span`` through a block, and, when nobody holds it, the range it is kept in."""
    out = Html()
    for block in covering_entries(registry, span):
        out += Html('<p class="pp-covered">{} is inside the block {}, held by {}: it is not '
                    "free.</p>").format(span, port_link(block.port, links), _holder(block))
    if held or out:
        return out
    for rng in covering_ranges(registry, span):
        owner = f", owner {rng.owner}" if rng.owner else ""
        out += Html('<p class="pp-in-range">{} lies in the range {} ({}{}), set aside for {}: '
                    "it is not free; ask the range's owner before using it.</p>").format(
                        span, rng.span, "/".join(rng.protocols), owner,
                        render_inline(rng.purpose))
    return out


def covered_ports(registry: Registry, pages: frozenset[PortSpan]) -> Iterator[PortSpan]:
    """Each port of a held block that has no page of its own, once, in port order."""
    blocks = sorted({block for block, _ in _blocks(_Same(registry))})
    seen: set[int] = set()
    for block in blocks:
        for port in block:
            single = PortSpan.single(port)
            if port not in seen and single not in pages:
                seen.add(port)
                yield single


def redirect_src(span: PortSpan) -> str:
    """Where a covered port's page lands on the site: ``ports/8021/index.html``."""
    return port_page_src(span).removesuffix(".md") + ".html"


def render_redirect(registry: Registry, span: PortSpan, *, directory_urls: bool,
                    pages: frozenset[PortSpan]) -> Html:
    """A small page for a port inside a held block: who holds it, then on to the block's page."""
    links = SiteLinks.for_page(page_url(port_page_src(span), directory_urls=directory_urls),
                               directory_urls=directory_urls, pages=pages)
    blocks = covering_entries(registry, span)
    if not blocks or blocks[0].port is None:
        raise ValueError(f"{span} is inside no held block")
    block, block_span = blocks[0], blocks[0].port
    return Html('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                '<title>Port {span}: part of {block_span} ({service})</title>'
                '<link rel="canonical" href="{target}">'
                '<meta http-equiv="refresh" content="0; url={target}">'
                '<meta name="robots" content="noindex"></head><body>'
                '<p class="pp-covered">Port {span} is inside the block '
                '<a href="{target}">{block_span}</a>, held by {holder}: it is not free.</p>'
                "</body></html>\n").format(span=span, block_span=block_span,
                                            service=block.service,
                                            target=links.port(block_span),
                                            holder=_holder(block))
