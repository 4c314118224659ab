"""Time the site's renderers on a generated plan, without git or MkDocs.

    python benchmarks/render.py 2000 5

renders the table, every port page, the ports index and the map of a plan of 2000 entries
(tests/big_plan.py) five times each and prints the best time of each. Run it with two
installs (or PYTHONPATH=OTHER/src) to compare the renderers before and after a change.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from big_plan import big_registry
from portplan.history import read_history
from portplan.registry.load import load_registry
from portplan.site.port_map import port_map_parts
from portplan.site.port_page import PortPages, page_spans
from portplan.site.ports_index import ports_index_parts
from portplan.site.table import render_table
from portplan.site.urls import SiteLinks


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(entries: int, repeat: int) -> None:
    registry = load_registry(big_registry(entries)).registry
    assert registry is not None
    with tempfile.TemporaryDirectory() as no_git:  # no repository: the history is unavailable
        history = read_history(Path(no_git), Path("ports.yaml"))
    links = SiteLinks()
    pages = PortPages(registry, history)
    spans = page_spans(registry, history)
    parts: dict[str, Callable[[], object]] = {
        "table": lambda: render_table(registry, history, links),
        f"port pages ({len(spans)})": lambda: [pages.parts(s, links) for s in spans],
        "ports index": lambda: ports_index_parts(registry, history, links),
        "map": lambda: port_map_parts(registry, links),
    }
    for name, work in parts.items():
        print(f"{name:24} {best(repeat, work) * 1000:8.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
