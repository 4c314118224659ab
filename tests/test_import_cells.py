"""How single cells of a Markdown plan read: ports, statuses, protocols, qualifiers."""

from __future__ import annotations

import pytest

from portplan.adopt.cell_values import (
    read_environments,
    read_ports,
    read_protocols,
    read_status,
    split_qualifiers,
)
from portplan.adopt.columns import map_columns
from portplan.model import PortSpan, Status


@pytest.mark.parametrize(("cell", "spans", "protocols", "status", "unread"), [
    ("8080", ["8080"], (), None, ""),
    (":8080", ["8080"], (), None, ""),
    ("10300-10313", ["10300-10313"], (), None, ""),
    ("6000 \u2013 6009", ["6000-6009"], (), None, ""),  # an en dash
    ("9100, 9101", ["9100", "9101"], (), None, ""),
    ("8125/udp", ["8125"], ("udp",), None, ""),
    ("53 TCP/UDP", ["53"], ("tcp", "udp"), None, ""),
    ("8100 (planned)", ["8100"], (), Status.PLANNED, ""),
    ("N/A", [], (), None, ""),
    ("—", [], (), None, ""),
    ("TBD", [], (), Status.PLANNED, ""),
    ("reserved", [], (), Status.RESERVED, ""),
    ("Varies", [], (), None, "Varies"),
    ("in the 8400s", [], (), None, "in the 8400s"),
    ("70000", [], (), None, "70000"),
    ("v2", [], (), None, "v2"),
])
def test_port_cells(cell: str, spans: list[str], protocols: tuple[str, ...],
                    status: Status | None, unread: str) -> None:
    read = read_ports(cell)
    assert [str(s) for s in read.spans] == spans
    assert (read.protocols, read.status, read.unread) == (protocols, status, unread)


@pytest.mark.parametrize(("cell", "status"), [
    ("In use", Status.ACTIVE), ("Planned", Status.PLANNED), ("RESERVED", Status.RESERVED),
    ("Legacy", Status.DEPRECATED), ("retired (2023)", Status.DEPRECATED),
    ("Retiring in Q3", None), ("", None),
])
def test_status_words(cell: str, status: Status | None) -> None:
    assert read_status(cell) == status


def test_protocols_environments_and_qualifiers() -> None:
    assert read_protocols("TCP") == ("tcp",)
    assert read_protocols("both") == ("tcp", "udp")
    assert read_protocols("udp, tcp") == ("tcp", "udp")
    assert read_protocols("HTTP") is None
    assert read_environments("prod, Staging") == ("production", "staging")
    assert read_environments("all") is None
    assert read_environments("Host A") == ("host-a",)
    assert split_qualifiers("Pool Hub API (planned)") == ("Pool Hub API", Status.PLANNED, ())
    assert split_qualifiers("Coordinator API (dev)") == ("Coordinator API", None, ("dev",))
    assert split_qualifiers("Blockchain RPC API (FastAPI)") == (
        "Blockchain RPC API (FastAPI)", None, ())
    assert split_qualifiers("Web (prod) (reserved)") == ("Web", Status.RESERVED, ("production",))


def test_columns_map_by_header_and_a_field_is_filled_once() -> None:
    columns = map_columns(("Port", "Service", "Name", "Owning team", "External port", ""),
                          {"name": "skip"})
    assert [(c.target, c.why) for c in columns] == [
        ("port", "header"), ("service", "header"), ("skip", "--map"), ("owner", "header"),
        ("external.port", "header"), ("meta.column-6", "header")]
    twice = map_columns(("Port", "Notes", "Description"), {})
    assert twice[2].target == "meta.description"
    assert twice[2].why == "description is taken by column 2"
    assert PortSpan(1, 1) == read_ports("1").spans[0]
