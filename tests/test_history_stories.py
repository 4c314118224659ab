"""Histories as data: each file in tests/histories/ is a story told as versions, turned into a
real repository, and the exact terminal output `portplan history` must give for it.

A story may name a ``port`` or a ``service`` to ask about (as `portplan history PORT` or
`portplan history NAME`), and give ``expect_json``: for each event of `history --json`, in
order, the fields to compare.

Commit shas in ``expect`` are written as ``0000000000``: they depend on git's object format,
not on portplan, so the test masks them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gitrepo import Version, make_repo
from portplan.commands.history import lines, select
from portplan.history import cache as history_cache
from portplan.history import read_history
from portplan.history.names import service_events
from portplan.port_arguments import parse_port

STORIES = sorted((Path(__file__).parent / "histories").glob("*.yaml"))
_SHA = re.compile(r"(?<=  )[0-9a-f]{10}(?=  )")


def versions(story: dict[str, object]) -> list[Version]:
    out = []
    for raw in story["versions"]:  # type: ignore[attr-defined]
        fields = dict(raw)
        fields["text"] = fields.pop("registry", None)
        out.append(Version(**fields))
    return out


@pytest.mark.parametrize("path", STORIES, ids=[p.stem for p in STORIES])
def test_story(path: Path, tmp_path: Path) -> None:
    history_cache.forget()
    story = yaml.safe_load(path.read_text(encoding="utf-8"))
    repo = make_repo(tmp_path / "repo", versions(story))
    registry = repo / story.get("registry", "ports.yaml")
    history = read_history(repo, registry, cache_dir=tmp_path / "cache")
    if "service" in story:
        events = service_events(history.events, story["service"])
    else:
        span, protocol = parse_port(story["port"]) if "port" in story else (None, None)
        events = select(history, span, protocol)
    text = "\n".join(lines(history, events)) + "\n"
    assert _SHA.sub("0000000000", text) == story["expect"]
    if "expect_json" in story:
        shown = [{k: e.as_json()[k] for k in wanted}
                 for e, wanted in zip(events, story["expect_json"], strict=True)]
        assert shown == story["expect_json"]
    warned = story.get("warnings", [])
    assert len(history.skipped) == len(warned)
    for notice, subject in zip(history.skipped, warned, strict=True):
        assert subject in notice
