"""Support for the browser tests (no tests here): one Chromium per module, a local server.

Modules import the fixtures ``browser``, ``serve`` and ``new_tab`` from here. Under CI=true a
missing Chromium fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for every test of a module; each test opens its own tab."""
    chromium_or_skip()
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """The built site over HTTP on a free local port: ``http://127.0.0.1:PORT/``."""
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


TabFactory = Callable[..., Page]


@contextmanager
def tabs(browser: Browser, base_url: str, *,
         theme_fetches: tuple[str, ...] = ()) -> Iterator[TabFactory]:
    """Open tabs on the site; on leaving, assert no script error and no request left the
    machine (the site must work offline), then close them.

    ``theme_fetches`` are URL prefixes the theme itself may ask for and that are refused
    quietly: with a GitHub ``repo_url`` Material asks the GitHub API for the repository's stars.
    """
    opened: list[tuple[Page, list[str], list[str]]] = []

    def open_tab(path: str = "", *, width: int = 1400, height: int = 1000,
                 dark: bool = False) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      color_scheme="dark" if dark else "light")
        for prefix in theme_fetches:
            context.route(f"{prefix}**", lambda route: route.abort())
        tab = context.new_page()
        errors: list[str] = []
        remote: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("request", lambda request: remote.append(request.url)
               if not request.url.startswith((base_url, "data:", "blob:", *theme_fetches))
               else None)
        opened.append((tab, errors, remote))
        tab.goto(base_url + path)
        return tab

    try:
        yield open_tab
        for _, errors, remote in opened:
            assert errors == [], errors
            assert remote == [], remote
    finally:
        for tab, _, _ in opened:
            tab.context.close()
