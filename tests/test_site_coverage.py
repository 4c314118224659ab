"""Which held blocks cover a port: the blocks are read once per registry, never mixed up."""

from __future__ import annotations

from portplan.model import Assignment, PortSpan, Registry
from portplan.site.coverage import cover_title, covered_ports, covering_entries


def _registry(*entries: tuple[str, int, int]) -> Registry:
    return Registry(ports=tuple(Assignment(name, PortSpan(low, high))
                                for name, low, high in entries))


def test_the_smallest_covering_block_comes_first_and_a_block_does_not_cover_itself() -> None:
    registry = _registry(("wide", 8000, 8099), ("api", 8010, 8010), ("mocks", 8020, 8029))
    assert [a.service for a in covering_entries(registry, PortSpan.single(8025))] == \
        ["mocks", "wide"]
    assert [a.service for a in covering_entries(registry, PortSpan(8020, 8029))] == ["wide"]
    assert covering_entries(registry, PortSpan.single(9000)) == []


def test_equal_registries_and_later_registries_get_their_own_blocks() -> None:
    # Two registries that compare equal, then one that differs: each answers for itself.
    first = _registry(("mocks", 8020, 8029))
    same = _registry(("mocks", 8020, 8029))
    moved = _registry(("mocks", 9020, 9029))
    for registry in (first, same):
        assert cover_title(registry, PortSpan.single(8021)) == "part of 8020-8029 (mocks)"
    assert cover_title(moved, PortSpan.single(8021)) is None
    assert cover_title(moved, PortSpan.single(9021)) == "part of 9020-9029 (mocks)"
    assert cover_title(_registry(), PortSpan.single(8021)) is None


def test_each_port_of_a_held_block_without_a_page_is_listed_once() -> None:
    registry = _registry(("mocks", 8020, 8023), ("inner", 8021, 8022))
    pages = frozenset({PortSpan(8020, 8023), PortSpan(8021, 8022), PortSpan.single(8023)})
    assert [str(s) for s in covered_ports(registry, pages)] == ["8020", "8021", "8022"]
