"""Rendered site parts against golden files in tests/golden/site/.

``story.yaml`` holds the input: the registry as it stands after each commit of a real git
history, with text that needs escaping everywhere. Each other file names the part it renders
(``part:``) and holds its HTML (``output:``). Regenerate with
``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_site_golden.py`` and review the change in git
before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitrepo import Version, make_repo
from golden_files import settled
from portplan.history import History, read_history
from portplan.model import PortSpan, Registry
from portplan.registry.load import check_file
from portplan.site.changes_page import changes_pages
from portplan.site.feed import render_feed
from portplan.site.plan_problems import PlanProblems
from portplan.site.port_map import render_port_map
from portplan.site.port_page import PortPages
from portplan.site.problem_notes import render_banner
from portplan.site.table import render_table
from portplan.site.urls import SiteLinks

GOLDEN = Path(__file__).parent / "golden" / "site"
REPO = "https://github.com/aitbc/devnet"
SITE = "https://ports.example.org/plan/"



@dataclass(frozen=True)
class Story:
    registry: Registry
    history: History
    plan: PlanProblems


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    spec = yaml.safe_load((GOLDEN / "story.yaml").read_text(encoding="utf-8"))
    repo = make_repo(tmp_path_factory.mktemp("site-golden") / "plan",
                     [Version(**v) for v in spec["versions"]])
    cwd = Path.cwd()
    os.chdir(repo)  # problems name the registry as given: ports.yaml, not a temporary path
    try:
        loaded = check_file(Path("ports.yaml"))
    finally:
        os.chdir(cwd)
    assert loaded.registry is not None
    history = read_history(repo, Path("ports.yaml"))
    plan = PlanProblems.find(loaded.registry, loaded.between_entries, history.events,
                             loaded.accepted)
    return Story(loaded.registry, history, plan)


def _table(s: Story) -> str:
    return render_table(s.registry, s.history, SiteLinks(repo_url=REPO), plan=s.plan)


def _port_page(s: Story) -> str:
    links = SiteLinks.for_page("ports/8090/", repo_url=REPO)
    return PortPages(s.registry, s.history, s.plan).render(PortSpan.single(8090), links)


def _changes(s: Story) -> str:
    pages = changes_pages(s.history, lambda src: SiteLinks.for_page("changes/", repo_url=REPO))
    return "".join(parts.markdown() for _, parts in pages)


def _map(s: Story) -> str:
    return render_port_map(s.registry, SiteLinks(), frozenset({PortSpan.single(8100)}))


def _banner(s: Story) -> str:
    return render_banner(s.plan, SiteLinks(repo_url=REPO))


def _feed(s: Story) -> str:
    return render_feed(s.history, title='Devnet "ports" & <plans>', site_url=SITE,
                       repo_url=REPO)


PARTS: dict[str, Callable[[Story], str]] = {
    "table": _table, "port-page": _port_page, "changes": _changes, "map": _map,
    "banner": _banner, "feed": _feed,
}


def _goldens() -> list[Path]:
    return sorted(p for p in GOLDEN.glob("*.yaml") if p.name != "story.yaml")


@pytest.mark.parametrize("golden", _goldens(), ids=lambda p: p.stem)
def test_site_part_matches_golden(golden: Path, story: Story) -> None:
    doc: dict[str, Any] = yaml.safe_load(golden.read_text(encoding="utf-8"))
    got = PARTS[doc["part"]](story)
    assert got == settled(golden, doc, output=got)["output"]


def test_every_part_has_a_golden() -> None:
    parts = {yaml.safe_load(p.read_text(encoding="utf-8"))["part"] for p in _goldens()}
    assert parts == set(PARTS)
