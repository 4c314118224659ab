"""A Markdown plan's bytes to registry text: the one path `portplan import` and the history share.

>>> converted = convert_plan(b"| Port | Service |\\n|---|---|\\n| 3000 | Grafana |\\n", "ports.md")
>>> converted.text.splitlines()[-2:]
['  - port: 3000', '    service: Grafana']
"""

from __future__ import annotations

from dataclasses import dataclass

from portplan.adopt.importer import Imported, import_plan
from portplan.adopt.markdown_plan import read_markdown
from portplan.adopt.options import ImportOptions
from portplan.adopt.options_comment import options_comment
from portplan.adopt.registry_text import registry_text
from portplan.problems import PortplanError

# A port plan is a page or two; this is hundreds of times that, and keeps a stray file (a log,
# a dump) from holding the parser for minutes.
MAX_BYTES = 4 * 1024 * 1024


class PlanUnreadable(PortplanError):
    """A Markdown file that is no port plan portplan can read."""


@dataclass(frozen=True)
class Converted:
    imported: Imported
    text: str  # the registry, as `portplan import` writes it


def convert_plan(data: bytes, source: str, options: ImportOptions | None = None,
                 imported_from: str | None = None) -> Converted:
    """Read the plan ``data`` (named ``source`` in messages) into registry text.

    Raises `PlanUnreadable` for a file that is too big, not UTF-8, or has no port table.
    """
    if len(data) > MAX_BYTES:
        raise PlanUnreadable(
            f"{source}: the file is {len(data) / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_BYTES // 1024 // 1024} MB a port plan can be; import the page that holds "
            "the port tables")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanUnreadable(
            f"{source}:{line}:{column}: byte 0x{data[exc.start]:02x} is not UTF-8; save the "
            "file as UTF-8 (e.g. iconv -f latin1 -t utf-8) and import it again") from None
    plan = read_markdown(text)
    options = options or ImportOptions()
    imported = import_plan(plan, options)
    if not imported.entries:
        looked = ("a Markdown (GFM pipe) table whose header has a port column (Port, Ports, "
                  "Port number, ...), or a bullet list of services in bold under a heading "
                  "about ports or services")
        found = f"; it has {len(plan.tables)} table(s) without a port column" \
            if plan.tables else ""
        if imported.tables:
            lines = ", ".join(str(t.table.line) for t in imported.tables)
            rows = sum(len(t.table.rows) for t in imported.tables)
            found = (f"; the port table(s) at line {lines} have no row that names a service"
                     if rows else f"; the port table(s) at line {lines} have a header and "
                     "no rows")
        if plan.html_tables:
            lines = ", ".join(str(n) for n in plan.html_tables)
            found += (f"; the HTML table(s) at line {lines} are not read: write them as "
                      "Markdown pipe tables")
        raise PlanUnreadable(f"{source}: no port plan found: looked for {looked}{found}")
    return Converted(imported, registry_text(imported.entries, imported_from or source,
                                             options_comment(options)))
