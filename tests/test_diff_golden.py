"""`portplan diff` renderings against golden files in tests/golden/diff/.

Each file holds ``input:`` (two registry versions, optional site_url) and ``output:`` (the
Markdown, text and JSON). Regenerate with ``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_diff*``
and review the change in git before committing it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from golden_files import settled
from portplan.registry.load import assignments_from_text
from portplan.review import compare, render_json, render_markdown, render_text

GOLDEN = Path(__file__).parent / "golden" / "diff"



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
    assert got == settled(golden, doc, output=got)["output"]


def test_goldens_exist() -> None:
    assert len(list(GOLDEN.glob("*.yaml"))) >= 4
