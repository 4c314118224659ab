"""The built site in headless Chromium: what only a browser shows (styles, scripts, toggles)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from gitrepo import commit_all
from test_site_support import ROOT, build, copy_project

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# The bundled plan plus what makes sorting and deprecation visible: a port with three digits
# and a five-digit block (lexicographic order would misplace both), and 8090 deprecated in
# favour of 8020 in a second commit, so 8090's page has a timeline of two events.
EXTRA = """
  - port: 443
    service: Edge proxy
    location: deploy/nginx/
    description: TLS front door for the web apps.

  - port: 10000-10009
    service: Load test workers
    description: One port per worker.
"""
MOCK_SERVICES = """
  - port: 8020
    service: Mock Services
    location: apps/blockchain-node/scripts/devnet_up.sh
    description: All mock services on one port.
"""
DEPRECATION = """    status: deprecated
    deprecation:
      note: Moved to 8020 with the other mock services; point `MOCK_URL` at :8020.
      replaced_by: 8020
"""


def chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One commit per page of changes, so the two commits make two pages.
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace(
        "    registry: ports.yaml\n", "    registry: ports.yaml\n    changes_per_page: 1\n")
    project = copy_project(tmp_path_factory.mktemp("browser"), mkdocs_yml=config)
    registry = project / "ports.yaml"
    seed = (ROOT / "ports.yaml").read_text("utf-8")
    head, tail = seed.split("  # Services without a port of their own.")
    registry.write_text(head + EXTRA.lstrip("\n") + "\n  # Services without a port.", "utf-8")
    registry.write_text(registry.read_text("utf-8") + tail, "utf-8")
    commit_all(project, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    text = registry.read_text("utf-8").replace(
        "    command: uvicorn mock_coordinator:app\n",
        "    command: uvicorn mock_coordinator:app\n" + DEPRECATION)
    registry.write_text(text.replace("\n  # Services without a port.",
                                     MOCK_SERVICES + "\n  # Services without a port."), "utf-8")
    commit_all(project, "Move the mock coordinator to 8020 (#12)",
               date="2026-03-05T10:00:00-05:00")
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


@pytest.fixture
def page(base_url: str) -> Iterator[Page]:
    chromium_or_skip()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            # Everything must work offline: every request goes to the local server.
            remote: list[str] = []
            tab.on("request", lambda request: remote.append(request.url)
                   if not request.url.startswith((base_url, "data:", "blob:")) else None)
            tab.goto(base_url)
            yield tab
            assert errors == [], errors
            assert remote == [], remote
        finally:
            browser.close()


def ports_in_order(tab: Page) -> list[str]:
    return tab.eval_on_selector_all(
        "#pp-ports tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.port)")


def test_deprecated_port_is_struck_through(page: Page) -> None:
    tab = page
    decoration = tab.eval_on_selector(
        "#pp-ports del", "el => getComputedStyle(el).textDecorationLine")
    assert "line-through" in decoration
    assert tab.inner_text("#pp-ports del") == "8090"
    row = tab.inner_text("#pp-ports tr[data-port='8090']")
    assert "Moved to 8020 with the other mock services" in row


def test_sorting_is_numeric_and_keyboard_accessible(page: Page, tmp_path: Path) -> None:
    tab = page
    numeric = ["443", "3000", "4173", "5173", "8011", "8020", "8071", "8080", "8090", "8100",
               "8900", "9090", "10000-10009"]
    assert ports_in_order(tab) == numeric  # as built
    tab.click("th[data-pp-col='service'] button")
    by_service = ports_in_order(tab)
    assert by_service[:2] == ["8080", "8011"]  # Blockchain RPC..., Coordinator API (dev)
    assert tab.get_attribute(
        "th[data-pp-col='service']", "aria-sort") == "ascending"
    tab.focus("th[data-pp-col='port'] button")
    tab.keyboard.press("Enter")
    assert ports_in_order(tab) == numeric
    tab.click("th[data-pp-col='port'] button")
    assert ports_in_order(tab) == numeric[::-1]
    assert tab.get_attribute(
        "th[data-pp-col='port']", "aria-sort") == "descending"
    tab.screenshot(path=str(tmp_path / "sorted-descending.png"), full_page=True)
    tab.click("th[data-pp-col='since'] button")  # dates sort by their instant, not their text
    assert ports_in_order(tab)[-1] == "8020"


def test_filter_narrows_rows(page: Page) -> None:
    tab = page
    tab.click(".pp-filter")
    tab.keyboard.type("Prometheus")  # real keys: Material's "s" search shortcut must not fire
    assert ports_in_order(tab) == ["9090"]
    assert tab.evaluate("document.activeElement.classList.contains('pp-filter')")
    tab.fill(".pp-filter", "wallet")
    assert ports_in_order(tab) == ["8071"]
    assert tab.inner_text(".pp-count") == "1 of 13 ports"
    tab.fill(".pp-filter", "coordinator production")
    assert ports_in_order(tab) == ["8900"]  # every word must match
    tab.fill(".pp-filter", "")
    assert len(ports_in_order(tab)) == 13


def test_palette_toggle_switches_to_dark(page: Page, tmp_path: Path) -> None:
    tab = page
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert tab.evaluate(scheme) == "default"
    tab.click("label[title='Switch to dark mode']")
    assert tab.evaluate(scheme) == "slate"
    tab.screenshot(path=str(tmp_path / "dark.png"), full_page=True)
    assert (tmp_path / "dark.png").stat().st_size > 10_000


def test_from_the_table_to_a_port_page_and_back(page: Page, tmp_path: Path) -> None:
    tab = page
    tab.click("#pp-ports tr[data-port='8090'] a.pp-port-link")
    tab.wait_for_url("**/ports/8090/")
    events = tab.locator("#pp-timeline tbody tr")
    assert events.count() == 2
    assert "Added Mock Coordinator API" in events.nth(0).inner_text()
    deprecation = events.nth(1).inner_text()
    assert "Deprecated Mock Coordinator API on 8090. Replaced by 8020." in deprecation
    assert "2026-03-05 10:00 -05:00" in deprecation
    tab.screenshot(path=str(tmp_path / "port-8090.png"), full_page=True)
    tab.click("#pp-timeline a.pp-port-link >> text=8020")
    tab.wait_for_url("**/ports/8020/")
    tab.click("text=← Port plan")
    tab.wait_for_selector("#pp-ports")
    tab.click("th[data-pp-col='port'] button")
    tab.click("th[data-pp-col='port'] button")
    assert ports_in_order(tab)[0] == "10000-10009"  # the script runs again after navigating


def test_search_finds_grafana(page: Page) -> None:
    tab = page
    tab.click(".md-search__input")
    tab.keyboard.type("Grafana")  # key events, as Material's search listens for them
    results = tab.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert "matching documents" in tab.inner_text(".md-search-result__meta")
    texts = results.all_inner_texts()
    assert any(text.startswith("Port 3000: Grafana") for text in texts)
    assert any(text.startswith("AITBC devnet port plan") for text in texts)


def test_search_finds_a_port_page_by_its_number(page: Page) -> None:
    tab = page
    tab.click(".md-search__input")
    tab.keyboard.type("8020")
    results = tab.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert any(text.startswith("Port 8020: Mock Services") for text in results.all_inner_texts())


def test_older_changes_are_a_click_away(page: Page, tmp_path: Path) -> None:
    tab = page
    tab.click(".md-nav__link >> text=Changes")
    tab.wait_for_url("**/changes/")
    titles = tab.locator(".pp-change-title")
    assert titles.all_inner_texts() == ["Move the mock coordinator to 8020 (#12)"]
    tab.click(".pp-pager .pp-older >> nth=0")
    tab.wait_for_url("**/changes/page/2/")
    assert titles.all_inner_texts() == ["Port plan from the seed"]
    current = tab.locator(".pp-pages a[aria-current='page']")
    assert current.inner_text() == "2" and current.evaluate(
        "a => getComputedStyle(a).fontWeight") == "700"
    tab.screenshot(path=str(tmp_path / "changes-page-2.png"), full_page=True)
    tab.click(".pp-pages a >> text=1")
    tab.wait_for_url("**/changes/")
