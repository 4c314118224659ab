"""Each source kind against golden files in tests/golden/scan/.

Each file holds ``registry:`` (ports.yaml), ``input:`` (the files of a repository) and
``output:`` (the findings as `portplan scan` prints them, every place found, accepted findings
and notices). Regenerate with ``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_scan_golden.py``
and review the change in git before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from golden_files import UPDATE
from scanning import everything, lay_out, scan_tree

GOLDEN = Path(__file__).parent / "golden" / "scan"
KINDS = ("systemd", "dotenv", "compose", "kubernetes", "dockerfile", "nginx", "shell", "node",
         "procfile")


def _literal(value: str) -> str:
    if not value:
        return ' ""\n'
    return " |\n" + "".join(f"    {line}\n" for line in value.splitlines())


def _write_output(golden: Path, got: dict[str, str]) -> None:
    text = golden.read_text(encoding="utf-8").split("\noutput:\n", 1)[0].rstrip("\n")
    body = "".join(f"  {key}:{_literal(value)}" for key, value in got.items())
    golden.write_text(f"{text}\noutput:\n{body}", encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_scan_matches_golden(kind: str, tmp_path: Path) -> None:
    golden = GOLDEN / f"{kind}.yaml"
    doc = yaml.safe_load(golden.read_text(encoding="utf-8"))
    got = everything(scan_tree(lay_out(tmp_path, doc["input"]), doc["registry"]))
    if UPDATE:
        _write_output(golden, got)
    assert "output" in doc, f"{golden.name} has no output yet: run with PORTPLAN_UPDATE_GOLDENS=1"
    assert got == doc["output"]


def test_every_golden_is_run() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == sorted(KINDS)
