"""`portplan import` on Markdown plans in the styles teams use, against tests/golden/import/.

Each golden names its plan (tests/fixtures/import/), the options, the registry printed and the
report on stderr (column mapping, notes, conflicts). Regenerate with
``PORTPLAN_UPDATE_GOLDENS=1 pytest tests/test_import_golden.py`` and read the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from golden_files import settled
from portplan.cli import main
from portplan.problems import Severity
from portplan.registry.load import load_registry

FIXTURES = Path(__file__).parent / "fixtures" / "import"
GOLDEN = Path(__file__).parent / "golden" / "import"



def run_import(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_import_matches_golden(golden: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    doc = yaml.safe_load(golden.read_text(encoding="utf-8"))
    monkeypatch.chdir(FIXTURES)
    code, registry, report = run_import([doc["input"], *doc["args"]], capsys)
    assert code == 0, report
    doc = settled(golden, doc, output=registry, report=report)
    assert registry == doc["output"]
    assert report == doc["report"]
    # What the importer writes is a registry `check` reads; only conflicts of the plan remain.
    problems = load_registry(registry).problems
    assert {p.code for p in problems if p.severity is Severity.ERROR} <= {"port-conflict"}


def test_golden_plans_cover_every_fixture() -> None:
    inputs = {yaml.safe_load(g.read_text("utf-8"))["input"] for g in GOLDEN.glob("*.yaml")}
    assert inputs == {p.name for p in FIXTURES.glob("*.md")}
