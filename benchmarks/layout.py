"""Measure the plan page of a built site in headless Chromium: row heights and page height.

    python benchmarks/layout.py SITE_DIR [--chromium /usr/bin/chromium]

Serves SITE_DIR (the output of ``mkdocs build``) on a free local port and prints, for a
1400x1000 screen and a 390x844 phone, the number of rows of the port table, the median and
largest row height, the page height and the widest thing on the page (more than the screen's
width means something scrolls sideways). On demand, never in CI; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENS = {"desktop 1400x1000": (1400, 1000), "phone 390x844": (390, 844)}
MEASURE = """() => {
  const rows = [...document.querySelectorAll('#pp-ports tbody tr')]
    .map(r => r.getBoundingClientRect().height).sort((a, b) => a - b);
  const table = document.querySelector('#pp-ports');
  return {rows: rows.length, median_row_px: rows[Math.floor(rows.length / 2)],
          max_row_px: rows[rows.length - 1], page_px: document.documentElement.scrollHeight,
          page_width_px: document.documentElement.scrollWidth,
          table_width_px: table ? table.scrollWidth : null};
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(args.site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, args=ARGS)
            for name, (width, height) in SCREENS.items():
                tab = browser.new_page(viewport={"width": width, "height": height})
                tab.goto(f"http://127.0.0.1:{port}/")
                print(name, json.dumps(tab.evaluate(MEASURE)))
                tab.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
