"""A published plan with conflicts, in headless Chromium: the banner and a flagged row."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from browser_support import browser, serving
from conflict_story import make_story

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the shared Chromium, a fixture


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    story = make_story(tmp_path_factory.mktemp("browser-problems") / "plan")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTPLAN_PUBLISH_PROBLEMS": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
                          cwd=story.project, env=env, capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    with serving(story.project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def tab(browser: Browser, base_url: str) -> Iterator[Page]:
    """The module's browser; each test starts from the plan page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert errors == [], errors


@pytest.fixture
def plan(tab: Page, base_url: str) -> Page:
    tab.goto(base_url)
    return tab


def test_banner_is_shown_above_the_table_naming_each_problem(plan: Page) -> None:
    banner = plan.locator(".pp-problems")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "This plan has 3 errors between entries" in text
    assert "Ledger API" in text and "Explorer" in text and "#7" in text
    assert "replaced_by port 3001" in text
    table_top = plan.locator("#pp-ports").bounding_box()
    box = banner.bounding_box()
    assert box is not None and table_top is not None and box["y"] < table_top["y"]
    # Material's "danger" admonition: a red left border the reader cannot miss.
    border = banner.evaluate("el => getComputedStyle(el).borderLeftColor")
    red, green, blue = (int(v.strip(" )")) for v in border[border.index("(") + 1:].split(",")[:3])
    assert red > 200 and green < 100 and blue < 100, border


def test_flagged_row_is_marked_and_explains_itself(plan: Page) -> None:
    rows = plan.locator("#pp-ports tr.pp-row-problem[data-port='8100']")
    assert rows.count() == 2
    row = rows.first
    background = row.locator("td").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    flag = row.locator(".pp-flag")
    assert flag.is_visible()
    assert flag.get_attribute("title") == "conflicts with Explorer (line 28) on 8100/tcp"
    # The flag stays with its row when the table is filtered.
    plan.fill(".pp-filter", "Explorer")
    shown = plan.locator("#pp-ports tbody tr:not([hidden])")
    assert shown.count() == 1
    assert "pp-row-problem" in (shown.first.get_attribute("class") or "")
    unflagged = plan.locator("#pp-ports tr[data-port='8020-8029']")
    assert "pp-row-problem" not in (unflagged.get_attribute("class") or "")


def test_a_port_inside_a_block_leads_to_the_block(tab: Page, base_url: str) -> None:
    tab.goto(base_url + "ports/8021/")
    tab.wait_for_url(base_url + "ports/8020-8029/")
    assert "Mock & test services" in tab.locator("h1").inner_text()
