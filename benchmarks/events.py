"""Where one `mkdocs build` spends its time, by plugin event, inside one process.

    cd SITE && python /path/to/benchmarks/events.py [-d OUTPUT]

builds the site in SITE (its mkdocs.yml) once and prints the seconds spent in each plugin's
handler of each event (the portplan hook's ``on_files`` is where the registry, the history and
every generated page are made), the seconds spent collecting garbage (``gc.callbacks``) and
the whole build. Build a plain site the same way to compare: what is left after the hook's
own rows and the garbage collection is MkDocs and the theme working on the pages.

The wall clock of whole builds on a shared machine varies by several seconds from one run to
the next; these in-process figures vary less, so they show where a change saves time.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from typing import Any

from mkdocs.__main__ import cli
from mkdocs.plugins import PluginCollection

spent: defaultdict[tuple[str, str], float] = defaultdict(float)
collecting = [0.0, 0.0]  # seconds in all, start of the current collection


def run_event(self: PluginCollection, name: str, item: Any = None, **kwargs: Any) -> Any:
    """MkDocs' own ``PluginCollection.run_event``, each handler timed."""
    pass_item = item is not None
    for method in self.events[name]:
        origin = self._event_origins.get(method, "<unknown>")
        self._current_plugin = origin
        start = time.perf_counter()
        result = method(item, **kwargs) if pass_item else method(**kwargs)
        spent[(name, origin)] += time.perf_counter() - start
        if result is not None:
            item = result
    self._current_plugin = None
    return item


def on_gc(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        collecting[1] = time.perf_counter()
    else:
        collecting[0] += time.perf_counter() - collecting[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--site-dir", default="site", help="where the site is written")
    args = parser.parse_args()
    PluginCollection.run_event = run_event  # type: ignore[method-assign,assignment]
    gc.callbacks.append(on_gc)
    start, cpu = time.perf_counter(), time.process_time()
    cli(["build", "-q", "-d", args.site_dir], standalone_mode=False)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"| {'event, plugin':<60} | seconds |")
    print(f"|{'-' * 62}|--------:|")
    for (event, origin), seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.001:
            print(f"| {f'{event}, {origin}':<60} | {seconds:7.3f} |")
    print(f"| {'garbage collection':<60} | {collecting[0]:7.3f} |")
    print(f"| {'the whole build (wall clock)':<60} | {wall:7.3f} |")
    print(f"| {'the whole build (CPU time)':<60} | {cpu:7.3f} |")


if __name__ == "__main__":
    main()
