"""The Zensical-built site in headless Chromium: the table sorts and filters, timelines show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browser_support import browser, serving
from test_browser import ports_in_order
from test_site_engines import engine_blocks, run, two_commit_project

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the shared Chromium, a fixture

PORTS = ["3000", "4173", "5173", "8011", "8020", "8071", "8080", "8090", "8100", "8900", "9090"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = two_commit_project(tmp_path_factory.mktemp("zensical"))
    done = run(project, engine_blocks()["zensical"])
    assert done.returncode == 0, done.stderr
    with serving(project / "site") as url:
        yield url


@pytest.fixture(scope="module")
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """The module's browser; every test starts on the plan page."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    remote: list[str] = []
    tab.on("request", lambda request: remote.append(request.url)
           if not request.url.startswith((base_url, "data:", "blob:")) else None)
    yield tab
    tab.close()
    assert errors == [], errors
    assert remote == [], remote


@pytest.fixture
def plan(page: Page, base_url: str) -> Page:
    page.goto(base_url)
    page.wait_for_selector("#pp-ports")
    return page


def test_the_table_sorts_numerically(plan: Page, tmp_path: Path) -> None:
    assert ports_in_order(plan) == PORTS
    plan.click("th[data-pp-col='service'] button")
    assert ports_in_order(plan)[:2] == ["8080", "8011"]
    assert plan.get_attribute("th[data-pp-col='service']", "aria-sort") == "ascending"
    plan.click("th[data-pp-col='port'] button")
    assert ports_in_order(plan) == PORTS
    plan.click("th[data-pp-col='port'] button")
    assert ports_in_order(plan) == PORTS[::-1]
    assert plan.get_attribute("th[data-pp-col='port']", "aria-sort") == "descending"
    plan.screenshot(path=str(tmp_path / "zensical-sorted.png"), full_page=True)


def test_the_filter_narrows_rows(plan: Page) -> None:
    plan.click(".pp-filter")
    plan.keyboard.type("Prometheus")
    assert ports_in_order(plan) == ["9090"]
    plan.fill(".pp-filter", "wallet")
    assert ports_in_order(plan) == ["8071"]
    assert plan.inner_text(".pp-count") == f"1 of {len(PORTS)} ports"
    plan.fill(".pp-filter", "")
    assert len(ports_in_order(plan)) == len(PORTS)


def test_a_port_page_shows_its_timeline(plan: Page, tmp_path: Path) -> None:
    plan.click("#pp-ports tr[data-port='8090'] a.pp-port-link")
    plan.wait_for_url("**/ports/8090/")
    events = plan.locator("#pp-timeline tbody tr")
    assert events.count() == 2
    assert "Added Mock Coordinator API" in events.nth(0).inner_text()
    assert "Deprecated Mock Coordinator API on 8090. Replaced by 8020." in events.nth(
        1).inner_text()
    assert plan.locator("#pp-timeline").is_visible()
    plan.screenshot(path=str(tmp_path / "zensical-8090.png"), full_page=True)
    plan.click("#pp-timeline a.pp-port-link >> text=8020")
    plan.wait_for_url("**/ports/8020/")
    plan.click("text=← Port plan")
    plan.wait_for_selector("#pp-ports")
    plan.click("th[data-pp-col='port'] button")
    plan.click("th[data-pp-col='port'] button")
    assert ports_in_order(plan)[0] == "9090"  # the script runs again after navigating
