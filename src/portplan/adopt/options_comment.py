"""The options of an import, kept as a comment in the registry it wrote.

The history reads the old versions of the Markdown plan through the importer
(docs/adopting.md); with the options of the import, it reads them the way the registry was made,
so a plan imported with ``--sections environments`` keeps its environments before the switch.

>>> line = options_comment(ImportOptions(sections="environments"))
>>> line
'# portplan import options: --sections environments'
>>> options_in(f"version: 1\\n{line}\\n").sections
'environments'
"""

from __future__ import annotations

import shlex

from portplan.adopt.columns import parse_overrides
from portplan.adopt.options import ORDERS, SECTION_MODES, ImportOptions
from portplan.problems import PortplanError

PREFIX = "# portplan import options: "


def options_comment(options: ImportOptions) -> str | None:
    """The comment line for ``options``, or None when they are the defaults."""
    args: list[str] = []
    if options.sections != "ignore":
        args += ["--sections", options.sections]
    if options.order != "source":
        args += ["--order", options.order]
    for header, target in sorted(options.overrides.items()):
        args += ["--map", f"{header}={target}"]
    return PREFIX + shlex.join(args) if args else None


def options_in(registry: str) -> ImportOptions:
    """The options a registry's comment records; the defaults when it records none or junk."""
    line = next((ln for ln in registry.splitlines() if ln.startswith(PREFIX)), None)
    if line is None:
        return ImportOptions()
    try:
        args = shlex.split(line[len(PREFIX):])
    except ValueError:
        return ImportOptions()
    sections, order, maps = "ignore", "source", []
    for name, value in zip(args[::2], args[1::2], strict=False):
        if name == "--sections" and value in SECTION_MODES:
            sections = value
        elif name == "--order" and value in ORDERS:
            order = value
        elif name == "--map":
            maps.append(value)
    try:
        overrides = parse_overrides(maps)
    except PortplanError:
        overrides = {}
    return ImportOptions(overrides, sections, order)
