"""How long `portplan import` takes on large Markdown plans (run on demand, never in CI).

    python benchmarks/import_plan.py 2000 20000

Each argument is a row count: a table of that many rows (Port, Service, Location, Notes)
is imported once, through the same function as `portplan import`, and timed.
"""

from __future__ import annotations

import sys
import time

from portplan.adopt.conversion import convert_plan

ROW = "| {port} | Service {port} | `apps/s{port}/` | Notes for {port} |\n"


def main(counts: list[int]) -> None:
    for rows in counts:
        text = "| Port | Service | Location | Notes |\n|---|---|---|---|\n" + "".join(
            ROW.format(port=1 + i % 65535) for i in range(rows))
        start = time.perf_counter()
        converted = convert_plan(text.encode(), "plan.md")
        took = time.perf_counter() - start
        print(f"{rows} rows ({len(text) / 1e6:.2f} MB): {took:.2f} s, "
              f"{len(converted.imported.entries)} entries")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000])
