"""The site at real size in headless Chromium: a generated plan of 129 entries with long
descriptions, several environments and owners, on a wide screen, a phone and paper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from big_plan import big_registry
from browser_support import TabFactory, browser, serving, tabs
from test_site_support import ROOT, build, commit_all, copy_project

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the shared Chromium, a fixture

REPO = "https://github.com/aitbc/ports"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace(
        "# repo_url: https://github.com/OWNER/REPO\n",
        f"repo_url: {REPO}\nedit_uri: edit/main/docs/\n")
    project = copy_project(tmp_path_factory.mktemp("plan"), ports_yaml=big_registry(),
                           mkdocs_yml=config)
    commit_all(project, "Port plan at real size", date="2026-01-05T09:30:00+09:00")
    registry = project / "ports.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("    owner: edge\n", "    owner: edge-team\n", 3), "utf-8")
    commit_all(project, "Edge team renamed (#21)", date="2026-03-05T10:00:00-05:00")
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[TabFactory]:
    with tabs(browser, base_url) as open_tab:
        yield open_tab
