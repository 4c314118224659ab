"""The JSON cache carries every field of the records it holds, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from portplan.history import cache_format as fmt
from portplan.history.model import Commit
from portplan.model import Assignment, Deprecation, External, PortSpan, Position, Status

FULL = Assignment(
    service="Svc", port=PortSpan(8020, 8029), protocols=("tcp", "udp"), status=Status.DEPRECATED,
    name="svc", location="a/", command="run", description="d", owner="o", contact="c",
    environments=("dev", "prod"), role="rpc", bind="127.0.0.1", env_var="SVC_PORT",
    external=External(443, "nginx", "h.example.org", "/p/"), links=(("runbook", "https://x"),),
    deprecation=Deprecation("gone", PortSpan.single(8030), dt.date(2026, 1, 2),
                            dt.date(2026, 3, 4)),
    meta=(("tier", "gold"), ("n", 3), ("f", 1.5), ("b", True)),
    accepts=(("ephemeral-port", "why"),), position=Position(7, 5))


def test_every_assignment_field_round_trips() -> None:
    # A new field must be added to the cache format (and to this record) to pass.
    assert all(getattr(FULL, f.name) != f.default for f in dataclasses.fields(Assignment)
               if f.default is not dataclasses.MISSING)
    back = fmt.assignment_in(json.loads(json.dumps(fmt.assignment_out(FULL))))
    assert back == FULL and back.position == FULL.position


def test_every_commit_field_round_trips() -> None:
    commit = Commit("ab" * 20, dt.datetime(2026, 3, 5, 10, tzinfo=dt.timezone(dt.timedelta(
        hours=9))), "A", "Merge pull request #3 from x", 3, False, "The title")
    assert len(fmt.commit_out(commit)) == len(dataclasses.fields(Commit))
    assert fmt.commit_in(json.loads(json.dumps(fmt.commit_out(commit)))) == commit
