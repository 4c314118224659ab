"""How `portplan import` reads a Markdown plan: the options it takes and records.

Apart from the importer so that reading a history (which replays those options on older
versions of the plan) does not load the Markdown parser until a version needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SECTION_MODES = ("ignore", "environments", "meta")
ORDERS = ("source", "port")


@dataclass(frozen=True)
class ImportOptions:
    overrides: Mapping[str, str] = field(default_factory=dict)  # normalised header -> target
    sections: str = "ignore"  # what a table's heading becomes: ignore | environments | meta
    order: str = "source"  # source | port
