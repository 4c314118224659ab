"""A devnet plan that ends with two conflicts, each starting at a known commit (as data).

Read top to bottom, it is the plan's story:

1. The plan starts: Grafana, the ledger on 8100, a fixture server on 8025, a gateway
   prototype on 7005 inside the gateway team's range, and node metrics on 9100 split by
   environment (dev and prod: alternatives, no conflict).
2. A mock block 8020-8029 replaces the fixture server; the prototype leaves 7005; the
   explorer arrives on 8200.
3. PR #7 moves the explorer onto 8100, where the ledger is: **the 8100 conflict begins**.
4. The ledger gets a description: the conflict goes on, it does not begin again.
5. Host metrics run in dev too: **the 9100 conflict begins** (both now run in dev).
6. Grafana is deprecated for 3001, which no entry holds (an error between entries); it gets
   team fields named like built-in ones, and a gRPC gateway on an ephemeral port accepts that
   warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitrepo import commit_all
from test_site_support import copy_project

HEAD = """\
# yaml-language-server: $schema=schema/ports.schema.json
version: 1
ranges:
  - range: 7000-7009
    purpose: Gateway team's reserved block
    owner: gateway-team
ports:
"""

GRAFANA = """\
  - port: 3000
    service: Grafana
"""
GRAFANA_DEPRECATED = """\
  - port: 3000
    service: Grafana
    status: deprecated
    deprecation:
      note: The new dashboards take over.
      replaced_by: 3001
    meta:
      protocol: HTTPS
      since: "4.7"
"""
LEDGER = """\
  - port: 8100
    service: Ledger API
"""
LEDGER_DESCRIBED = """\
  - port: 8100
    service: Ledger API
    description: Balances and transfers.
"""
FIXTURE = """\
  - port: 8025
    service: Old fixture server
"""
PROTOTYPE = """\
  - port: 7005
    service: Gateway prototype
"""
MOCK_BLOCK = """\
  - port: 8020-8029
    service: Mock & test services
"""
NODE_EXPORTER = """\
  - port: 9100
    service: Node exporter
    environments: [dev]
"""
HOST_METRICS = """\
  - port: 9100
    service: Host metrics
    environments: [prod]
"""
HOST_METRICS_WIDE = """\
  - port: 9100
    service: Host metrics
    environments: [dev, prod]
"""
EXPLORER_8200 = """\
  - port: 8200
    service: Explorer
"""
EXPLORER_8100 = """\
  - port: 8100
    service: Explorer
"""
GRPC = """\
  - port: 50051
    service: Legacy gRPC gateway
    accept:
      ephemeral-port: Field devices pin 50051; moving it means re-flashing every device.
"""

STEPS = (
    ("Start the devnet plan", "2026-01-05T09:00:00+01:00",
     (GRAFANA, LEDGER, FIXTURE, PROTOTYPE, NODE_EXPORTER, HOST_METRICS)),
    ("Add the explorer; a mock block replaces the fixture server", "2026-02-10T09:00:00+01:00",
     (GRAFANA, LEDGER, MOCK_BLOCK, NODE_EXPORTER, HOST_METRICS, EXPLORER_8200)),
    ("Merge pull request #7 from bob/explorer\n\nMove the explorer next to the ledger",
     "2026-03-01T09:00:00+01:00",
     (GRAFANA, LEDGER, MOCK_BLOCK, NODE_EXPORTER, HOST_METRICS, EXPLORER_8100)),
    ("Describe the ledger", "2026-03-15T09:00:00+01:00",
     (GRAFANA, LEDGER_DESCRIBED, MOCK_BLOCK, NODE_EXPORTER, HOST_METRICS, EXPLORER_8100)),
    ("Host metrics run in dev too", "2026-04-01T09:00:00+02:00",
     (GRAFANA, LEDGER_DESCRIBED, MOCK_BLOCK, NODE_EXPORTER, HOST_METRICS_WIDE, EXPLORER_8100)),
    ("Deprecate Grafana; accept the gRPC gateway's port", "2026-04-20T09:00:00+02:00",
     (GRAFANA_DEPRECATED, LEDGER_DESCRIBED, MOCK_BLOCK, NODE_EXPORTER, HOST_METRICS_WIDE,
      EXPLORER_8100, GRPC)),
)


@dataclass(frozen=True)
class Story:
    project: Path
    shas: tuple[str, ...]  # one per step, in order

    @property
    def explorer_collides(self) -> str:
        return self.shas[2]

    @property
    def metrics_collide(self) -> str:
        return self.shas[4]


def registry_at(step: int) -> str:
    return HEAD + "".join(STEPS[step][2])


def make_story(dest: Path) -> Story:
    """The bundled site project with the story committed, one commit per step."""
    project = copy_project(dest, ports_yaml=registry_at(0))
    shas = []
    for step, (message, date, _) in enumerate(STEPS):
        (project / "ports.yaml").write_text(registry_at(step), encoding="utf-8")
        shas.append(commit_all(project, message, date=date))
    return Story(project, tuple(shas))
