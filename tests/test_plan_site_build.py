"""Real `mkdocs build` runs of a plan with errors between entries (tests/conflict_story.py):
the site is built and shows them, `--strict` fails on them, the deploy workflow publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conflict_story import GRPC, HEAD, Story, make_story, registry_at
from gitrepo import commit_all
from test_site_support import ROOT, Html, copy_project, rows


def mkdocs(project: Path, *args: str, publish: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PORTPLAN_PUBLISH_PROBLEMS", None)
    if publish:
        env["PORTPLAN_PUBLISH_PROBLEMS"] = "1"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site", *args],
                          cwd=project, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return make_story(tmp_path_factory.mktemp("story") / "plan")


@pytest.fixture(scope="module")
def published(story: Story) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The story's site as the deploy workflow builds it: --strict, problems published."""
    done = mkdocs(story.project, "--strict", publish=True)
    assert done.returncode == 0, done.stderr
    return story.project / "site", done


def test_strict_build_fails_on_errors_between_entries(story: Story) -> None:
    done = mkdocs(story.project, "--strict")
    assert done.returncode != 0
    for message in ("port 8100/tcp is held by both 'Ledger API' (line 17) and 'Explorer'",
                    "port 9100/tcp in dev is held by both 'Node exporter'",
                    "'Grafana' is replaced_by port 3001, which is not in the registry"):
        line = next(line for line in done.stderr.splitlines() if message in line)
        assert line.startswith("WARNING"), line
    assert "ephemeral" not in done.stderr  # accepted by its entry, so never logged


def test_plain_build_succeeds_and_logs_them(story: Story, tmp_path: Path) -> None:
    done = mkdocs(story.project, "-d", str(tmp_path / "plain"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("is held by both") == 2


def test_deploy_publishes_with_the_problems_shown(
        published: tuple[Path, subprocess.CompletedProcess[str]], story: Story) -> None:
    site, done = published
    assert "WARNING" not in done.stderr
    assert "is held by both" in done.stderr  # still said, as information
    page = Html.of(site / "index.html")
    [banner] = page.all("div", class_="pp-problems")
    assert "This plan has 3 errors between entries" in banner[1]
    assert "Ledger API" in banner[1] and "Explorer" in banner[1] and "#7" in banner[1]
    assert story.metrics_collide[:7] in banner[1]
    table = rows(page)
    assert "8100" in table and "3000" in table


def test_flagged_rows_in_the_built_table(
        published: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    site, _ = published
    page = Html.of(site / "index.html")
    flagged = [attrs.get("data-port") for attrs, _ in page.all("tr")
               if "pp-row-problem" in (attrs.get("class") or "")]
    assert flagged == ["3000", "8100", "8100", "9100", "9100"]


def test_port_pages_in_the_built_site(
        published: tuple[Path, subprocess.CompletedProcess[str]], story: Story) -> None:
    site, _ = published
    ledger = (site / "ports" / "8100" / "index.html").read_text(encoding="utf-8")
    assert "Conflict on 8100" in ledger
    assert "since <span class=\"pp-commit\"" in ledger and ">#7</span>" in ledger
    covered = (site / "ports" / "8025" / "index.html").read_text(encoding="utf-8")
    assert "<title>Port 8025: part of 8020-8029 (Mock &amp; test services)" in covered
    assert "No entry holds" not in covered
    redirect = (site / "ports" / "8021" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../../ports/8020-8029/"' in redirect
    assert not (site / "ports" / "8030").exists()
    grafana = (site / "ports" / "3000" / "index.html").read_text(encoding="utf-8")
    assert "<caption>Team fields</caption>" in grafana and "<code>meta.since</code>" in grafana


def test_unreadable_registry_still_fails_the_deploy(tmp_path: Path, story: Story) -> None:
    broken = registry_at(5).replace("    service: Explorer\n", "    servce: Explorer\n")
    (story.project / "ports.yaml").write_text(broken, encoding="utf-8")
    try:
        done = mkdocs(story.project, "-d", str(tmp_path / "broken"), publish=True)
    finally:
        (story.project / "ports.yaml").write_text(registry_at(5), encoding="utf-8")
    assert done.returncode != 0
    assert "unknown key 'servce'" in done.stderr


def test_deploy_workflow_publishes_and_pull_requests_still_block() -> None:
    workflows = ROOT / ".github" / "workflows"
    templates = ROOT / "src" / "portplan" / "adopt" / "templates"  # what `portplan init` writes
    for folder in (workflows, templates):
        pages = yaml.safe_load((folder / "pages.yml").read_text(encoding="utf-8"))
        build = pages["jobs"]["build"]
        assert build["env"]["PORTPLAN_PUBLISH_PROBLEMS"] == "1"
        check = next(s for s in build["steps"] if s.get("run", "").startswith("portplan check"))
        assert check["continue-on-error"] is True
        assert any(s.get("run") == "mkdocs build --strict" for s in build["steps"])
        pr = (folder / "pr.yml").read_text(encoding="utf-8")
        assert "PORTPLAN_PUBLISH_PROBLEMS" not in pr and "continue-on-error" not in pr
        assert "mkdocs build --strict" in pr


def test_strict_build_passes_with_an_accepted_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "accepted", ports_yaml=HEAD + GRPC)
    commit_all(project, "A gateway on an ephemeral port, accepted")
    done = mkdocs(project, "--strict")
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "ports" / "50051" / "index.html").read_text(encoding="utf-8")
    assert "Accepted warnings" in page and "Field devices pin 50051" in page
    (project / "ports.yaml").write_text(HEAD + GRPC.replace("ephemeral-port", "port-reuse"),
                                        encoding="utf-8")
    assert mkdocs(project, "--strict").returncode != 0  # that warning is no longer accepted


def test_covered_ports_are_ready_files_and_search_finds_their_block(
        published: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    # The small pages are copied as they are (no theme, no Markdown, not in search); the
    # block's own page is a full page that search finds by its holder.
    site, _ = published
    redirect = (site / "ports" / "8021" / "index.html").read_text(encoding="utf-8")
    assert redirect.startswith("<!doctype html>")
    assert '<link rel="canonical" href="../../ports/8020-8029/">' in redirect
    assert ('Port 8021 is inside the block <a href="../../ports/8020-8029/">8020-8029</a>, '
            "held by <strong>Mock &amp; test services</strong>") in redirect
    assert "md-header" not in redirect  # not run through the theme's template
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "ports/8021/" not in locations
    block = {doc["title"]: doc["text"] for doc in index["docs"]
             if doc["location"].startswith("ports/8020-8029/")}
    assert "Port 8020-8029: Mock &amp; test services" in block
    assert "8020-8029 Mock &amp; test services active" in block["Current assignment"]
