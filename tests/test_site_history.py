"""What the site shows of a history told in tests/histories/: PR titles, named swaps and
rotations, environments beside every holder, "Since" that agrees with the holders list, and
former names found by search. One real `mkdocs build` of the six-years story for the module.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from gitrepo import make_repo
from portplan.history import History, read_history
from portplan.history import cache as history_cache
from portplan.model import PortSpan
from portplan.site.changes_page import render_changes_page
from portplan.site.feed import ATOM, render_feed
from portplan.site.urls import SiteLinks
from test_history_stories import versions
from test_site_support import Html, build, copy_project, rows

STORIES = Path(__file__).parent / "histories"


def story_repo(name: str, dest: Path) -> Path:
    story = yaml.safe_load((STORIES / f"{name}.yaml").read_text(encoding="utf-8"))
    return make_repo(dest, versions(story))


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six-years story in the bundled site project, built once: the site directory."""
    history_cache.forget()
    project = copy_project(tmp_path_factory.mktemp("years"))
    story_repo("years-of-prs", project)  # the project's own files stay untracked
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def rotations(tmp_path_factory: pytest.TempPathFactory) -> History:
    history_cache.forget()
    tmp = tmp_path_factory.mktemp("rotations")
    repo = story_repo("swap-and-rotation", tmp / "repo")
    return read_history(repo, repo / "ports.yaml", cache_dir=tmp / "cache")


def section_titles(page: Html) -> list[str]:
    return [text for _, text in page.all("h3", class_="pp-change-title")]


def test_changes_page_shows_the_pr_title_not_the_merge_line(years: Path) -> None:
    titles = section_titles(Html.of(years / "changes" / "index.html"))
    assert "Retire the legacy network plugin" in titles
    assert "Hand Prometheus to platform" in titles
    assert "Swap Grafana and Prometheus (#12)" in titles  # a squash merge: its subject
    assert not [t for t in titles if t.startswith("Merge pull request")]


def test_feed_entries_carry_the_pr_title(years: Path) -> None:
    feed = ET.parse(years / "changes.xml").getroot()  # noqa: S314 (our own output)
    titles = [e.findtext(f"{{{ATOM}}}title") for e in feed.iter(f"{{{ATOM}}}entry")]
    assert "Retire the legacy network plugin (#31)" in titles
    assert not [t for t in titles if t and t.startswith("Merge pull request")]


def test_reuse_with_a_new_scope_shows_both_holders_with_environments(years: Path) -> None:
    page = Html.of(years / "ports" / "4789" / "index.html")
    holders = [text for _, text in page.all("li", class_="pp-holder")]
    assert any(h.startswith("legacy-sdn [legacy-sdn]: 2019-04-01") and "(removed)" in h
               for h in holders)
    assert any(h.startswith("flannel [flannel]: 2019-04-01") for h in holders)
    assert any(h.startswith("overlay-node: 2022-06-02") and h.endswith("now") for h in holders)
    timeline = " ".join(text for _, text in page.all("tr", class_="pp-event"))
    assert "Removed legacy-sdn [legacy-sdn] from 4789" in timeline
    assert "Added overlay-node on 4789" in timeline


def test_since_is_when_the_current_holder_began(years: Path) -> None:
    # 10250: kubelet (2019), renamed in place to "kubelet API" (2021), and back (2023).
    page = Html.of(years / "ports" / "10250" / "index.html")
    since = next(t for _, t in page.all("tr") if t.startswith("Since"))
    assert "2023-11-20" in since
    holders = [text for _, text in page.all("li", class_="pp-holder")]
    assert holders[0].startswith("kubelet: 2019-04-01")
    assert "(renamed to kubelet API)" in holders[0]
    assert holders[1].startswith("kubelet API: 2021-02-02")
    assert "(renamed from kubelet)" in holders[1] and "(renamed to kubelet)" in holders[1]
    assert holders[2].startswith("kubelet: 2023-11-20") and holders[2].endswith("now")
    table_since = rows(Html.of(years / "index.html"))["10250"]["since"]
    assert table_since.startswith("2023-11-20")


def test_search_finds_a_port_by_a_former_service_name(years: Path) -> None:
    docs = json.loads((years / "search" / "search_index.json").read_text("utf-8"))["docs"]
    found = {d["location"].split("#")[0] for d in docs if "legacy-sdn" in d["text"]}
    assert "ports/4789/" in found
    # Prometheus left 9090 in the swap: 9090's page is found by that name, and 3000's too.
    found = {d["location"].split("#")[0] for d in docs if "Prometheus" in d["text"]}
    assert {"ports/9090/", "ports/3000/"} <= found


def test_the_swap_is_named_on_both_port_pages(years: Path) -> None:
    for port in ("3000", "9090"):
        page = Html.of(years / "ports" / port / "index.html")
        rings = [t for _, t in page.all("span", class_="pp-ring")]
        assert sorted(rings) == ["(swapped with 3000)", "(swapped with 9090)"]


def test_rotation_and_swap_named_on_the_changes_page(rotations: History) -> None:
    page = Html(render_changes_page(rotations, SiteLinks.for_page("changes/")))
    rings = [t for _, t in page.all("span", class_="pp-ring")]
    assert rings.count("(rotated 8105 → 8103 → 8104)") == 1
    assert rings.count("(rotated 8103 → 8104 → 8105)") == 1
    assert "(swapped with 8200)" in rings and "(swapped with 8100)" in rings
    # The container gateway swapped alone, its environments beside it.
    events = [t for _, t in page.all("li", class_="pp-event")]
    assert any(t.startswith("moved Moved Gateway [container] from 8301 to 8302") for t in events)
    assert len(rings) == 7


def test_feed_names_rotations_too(rotations: History) -> None:
    feed = render_feed(rotations, title="Plan", site_url=None, repo_url=None)
    assert "rotated" in feed and "swapped with" in feed
    assert PortSpan.single(8105) in {e.from_port for e in rotations.events}
