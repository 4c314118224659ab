"""The Zensical-built site in headless Chromium: the table sorts and filters, timelines show."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from test_browser import CHROMIUM, CHROMIUM_ARGS, chromium_or_skip, ports_in_order
from test_site_engines import engine_blocks, run, two_commit_project

pytestmark = pytest.mark.browser

PORTS = ["3000", "4173", "5173", "8011", "8020", "8071", "8080", "8090", "8100", "8900", "9090"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = two_commit_project(tmp_path_factory.mktemp("zensical"))
    done = run(project, engine_blocks()["zensical"])
    assert done.returncode == 0, done.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(project / "site")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Page]:
    """One browser for the module; every test starts on the plan page."""
    chromium_or_skip()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            remote: list[str] = []
            tab.on("request", lambda request: remote.append(request.url)
                   if not request.url.startswith((base_url, "data:", "blob:")) else None)
            yield tab
            assert errors == [], errors
            assert remote == [], remote
        finally:
            browser.close()


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
