"""Golden files (``input:`` / ``output:`` YAML): compare, or rewrite them when asked.

``PORTPLAN_UPDATE_GOLDENS=1 pytest ...`` rewrites each golden file with what the code gives;
review the change in git before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

UPDATE = os.environ.get("PORTPLAN_UPDATE_GOLDENS") == "1"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def settled(golden: Path, doc: dict[str, Any], **got: Any) -> dict[str, Any]:
    """``doc`` as it is on disk, or with ``got`` written into it under PORTPLAN_UPDATE_GOLDENS."""
    if UPDATE:
        doc.update(got)
        golden.write_text(yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                    width=1000), encoding="utf-8")
    missing = [key for key in got if key not in doc]
    assert not missing, f"{golden.name} has no {missing} yet: run with PORTPLAN_UPDATE_GOLDENS=1"
    return doc
