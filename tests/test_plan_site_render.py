"""The site's view of the conflict story, rendered without MkDocs: banner, flagged rows, port
pages with collisions and covers, team fields, accepted warnings (tests/conflict_story.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conflict_story import Story, make_story
from portplan.history import History, read_history
from portplan.model import PortSpan, Registry
from portplan.registry.load import check_file
from portplan.site.coverage import covered_ports, render_redirect
from portplan.site.parts import PageParts
from portplan.site.plan import Site, generated_files, marker_parts
from portplan.site.plan_problems import PlanProblems
from portplan.site.port_page import PortPages, page_spans
from portplan.site.ports_index import render_ports_index
from portplan.site.problem_notes import render_banner
from portplan.site.table import render_table
from portplan.site.urls import SiteLinks

REPO = "https://github.com/aitbc/devnet"


@dataclass(frozen=True)
class Built:
    story: Story
    registry: Registry
    history: History
    plan: PlanProblems

    def page(self, port: str) -> str:
        return self.parts(port).markdown()

    def title(self, port: str) -> str | None:
        return self.parts(port).title

    def parts(self, port: str) -> PageParts:
        low, _, high = port.partition("-")
        span = PortSpan(int(low), int(high or low))
        links = SiteLinks.for_page(f"ports/{port}/", repo_url=REPO)
        return PortPages(self.registry, self.history, self.plan).parts(span, links)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    story = make_story(tmp_path_factory.mktemp("story") / "plan")
    loaded = check_file(story.project / "ports.yaml")
    assert loaded.registry is not None
    history = read_history(story.project, Path("ports.yaml"))
    plan = PlanProblems.find(loaded.registry, loaded.between_entries, history.events,
                             loaded.accepted)
    return Built(story, loaded.registry, history, plan)


def test_banner_names_each_problem_and_where_it_began(built: Built) -> None:
    banner = render_banner(built.plan, SiteLinks(repo_url=REPO))
    assert "This plan has 3 errors between entries" in banner
    assert "<strong>Ledger API</strong>" in banner and "<strong>Explorer</strong>" in banner
    assert f'href="{REPO}/pull/7"' in banner  # the 8100 conflict began with PR #7
    assert f'href="{REPO}/commit/{built.story.metrics_collide}"' in banner
    assert "9100</a>/tcp in dev is held by both" in banner
    assert "replaced_by port 3001, which is not in the registry" in banner


def test_no_banner_without_problems() -> None:
    assert render_banner(PlanProblems(), SiteLinks()) == ""


def test_flagged_rows(built: Built) -> None:
    markup = render_table(built.registry, built.history, SiteLinks(), plan=built.plan)
    rows = {chunk.split('data-port="', 1)[1].split('"', 1)[0] + "/" +
            chunk.split('class="pp-service">', 1)[1].split("<", 1)[0]: chunk
            for chunk in markup.split("<tr ")[1:] if 'data-port="' in chunk}
    flagged = sorted(k for k, row in rows.items() if "pp-row-problem" in row.split(">", 1)[0])
    assert flagged == ["3000/Grafana", "8100/Explorer", "8100/Ledger API",
                       "9100/Host metrics", "9100/Node exporter"]
    assert 'title="conflicts with Explorer (line 28) on 8100/tcp"' in rows["8100/Ledger API"]
    assert "pp-flag" not in rows["8020-8029/Mock &amp; test services"]
    clean = render_table(built.registry, built.history, SiteLinks())
    assert "pp-row-problem" not in clean and "pp-flag" not in clean


def test_port_page_says_who_collides_since_which_commit(built: Built) -> None:
    page = built.page("8100")
    assert 'class="admonition danger pp-collisions"' in page
    assert "Conflict on 8100" in page
    assert f'<a class="pp-commit" href="{REPO}/pull/7"' in page
    assert "Merge pull request #7 from bob/explorer" in page
    metrics = built.page("9100")
    assert built.story.metrics_collide[:7] in metrics.split("pp-collisions")[1]
    assert "Host metrics run in dev too" in metrics
    assert "pp-collisions" not in built.page("8020-8029")


def test_unknown_replacement_shows_on_its_entry(built: Built) -> None:
    page = built.page("3000")
    assert "pp-entry-problems" in page
    assert "replaced_by port 3001, which is not in the registry" in page


def test_port_inside_a_held_block_is_never_free(built: Built) -> None:
    page = built.page("8025")  # held on its own in the first commit, by the block since
    assert built.title("8025") == "Port 8025: part of 8020-8029 (Mock & test services)"
    assert "pp-free" not in page and "No entry holds" not in page
    assert "8025 is inside the block" in page and "Mock &amp; test services" in page
    assert 'href="../../ports/8020-8029/"' in page
    index = render_ports_index(built.registry, built.history, SiteLinks())
    row = index.split('data-sort="8025"')[1].split("</tr>")[0]
    assert "free" not in row and "part of 8020-8029" in row


def test_port_inside_a_declared_range_is_never_free(built: Built) -> None:
    page = built.page("7005")  # the prototype left; the gateway team's range keeps it
    assert built.title("7005") == "Port 7005: in range 7000-7009 (Gateway team's reserved block)"
    assert "No entry holds" not in page
    assert "7005 lies in the range 7000-7009" in page and "gateway-team" in page


def test_every_other_port_of_a_held_block_gets_a_page(built: Built) -> None:
    pages = frozenset(page_spans(built.registry, built.history))
    covered = [str(s) for s in covered_ports(built.registry, pages)]
    assert covered == ["8020", "8021", "8022", "8023", "8024", "8026", "8027", "8028", "8029"]
    redirect = render_redirect(built.registry, PortSpan.single(8021), directory_urls=True,
                               pages=pages)
    assert '<meta http-equiv="refresh" content="0; url=../../ports/8020-8029/">' in redirect
    assert "Port 8021 is inside the block" in redirect
    assert "<strong>Mock &amp; test services</strong>" in redirect
    flat = render_redirect(built.registry, PortSpan.single(8021), directory_urls=False,
                           pages=pages)
    assert 'url=../../ports/8020-8029/index.html">' in flat


def test_team_fields_are_apart_from_built_in_ones(built: Built) -> None:
    page = built.page("3000")
    fields, team = page.split('<table class="pp-fields pp-team-fields">')
    assert "<caption>Team fields</caption>" in team
    assert '<th scope="row"><code>meta.protocol</code></th><td>HTTPS</td>' in team
    assert '<th scope="row"><code>meta.since</code></th><td>4.7</td>' in team
    assert "HTTPS" not in fields and "4.7" not in fields
    assert '<th scope="row">Protocol</th><td>tcp</td>' in fields


def test_accepted_warning_is_shown_with_its_reason(built: Built) -> None:
    page = built.page("50051")
    row = page.split('<tr class="pp-accepted">')[1].split("</tr>")[0]
    assert "<th scope=\"row\">Accepted warnings</th>" in row
    assert "<code>ephemeral-port</code>: Field devices pin 50051" in row
    assert "(accepted)" in row


def test_site_plan_adds_covered_ports_and_places_the_banner(built: Built) -> None:
    site = Site.of(built.registry, built.history, problems=built.plan)
    files = {f.src: f for f in generated_files(site)}
    assert "ports/8021/index.html" in files and "ports/8025/index.md" in files
    assert not files["ports/8021/index.html"].in_nav
    assert "ports/8030/index.html" not in files
    both = marker_parts(site, "", used=["notices", "table"])
    assert "pp-problems" in both["notices"]().text
    assert "pp-problems" not in both["table"]().text
    # A page with the table but no notices marker still shows the banner, above the table.
    alone = marker_parts(site, "", used=["table"])["table"]().text
    assert alone.index("pp-problems") < alone.index('id="pp-ports"')
    clean = Site.of(built.registry, built.history)
    assert "pp-problems" not in marker_parts(clean, "", used=["table"])["table"]().text


def test_a_replacement_no_entry_holds_is_not_a_dead_link(built: Built) -> None:
    pages = frozenset(page_spans(built.registry, built.history))
    links = SiteLinks.for_page("ports/3000/", pages=pages)
    page = PortPages(built.registry, built.history, built.plan).render(
        PortSpan.single(3000), links)
    assert 'Replaced by <span class="pp-port-nopage">3001</span>.' in page
    assert "ports/3001/" not in page
    assert 'href="../../ports/8020-8029/"' in PortPages(
        built.registry, built.history, built.plan).render(PortSpan.single(8025), links)
