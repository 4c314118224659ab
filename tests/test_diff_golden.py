"""`portplan diff` renderings against golden files in tests/golden/diff/.

Each file holds ``input:`` (two registry versions, optional site_url) and ``output:`` (the
Markdown, text and JSON). Regenerate with ``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_diff*``
and review the change in git before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from portplan.registry.load import assignments_from_text
from portplan.review import compare, render_json, render_markdown, render_text

GOLDEN = Path(__file__).parent / "golden" / "diff"
UPDATE = os.environ.get("PORTPLAN_UPDATE_GOLDENS") == "1"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render_all(spec: dict[str, Any]) -> dict[str, str]:
    comparison = compare(assignments_from_text(spec["base"]), assignments_from_text(spec["head"]),
                         "main", "feature")
    return {
        "markdown": render_markdown(comparison, site_url=spec.get("site_url")),
        "text": render_text(comparison),
        "json": render_json(comparison),
    }


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_diff_matches_golden(golden: Path) -> None:
    doc = yaml.safe_load(golden.read_text(encoding="utf-8"))
    got = render_all(doc["input"])
    if UPDATE:
        doc["output"] = got
        golden.write_text(yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                    width=1000), encoding="utf-8")
    assert "output" in doc, f"{golden.name} has no output yet: run with PORTPLAN_UPDATE_GOLDENS=1"
    assert got == doc["output"]


def test_goldens_exist() -> None:
    assert len(list(GOLDEN.glob("*.yaml"))) >= 4
