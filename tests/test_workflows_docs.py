"""docs/proposing-changes.md shows real output: replay its walk-through and compare.

The registry is frozen in tests/golden/proposing-changes/ports.yaml (the bundled one when the
page was written), so editing the bundled plan does not invalidate the page. Commit ids are
normalised. When the page's commands or outputs are meant to change, rerun the walk-through in
a clone and paste the new output into the page.
"""

from __future__ import annotations

import re
import shlex
from collections import defaultdict
from pathlib import Path

import pytest

from gitrepo import Version, git, make_repo
from portplan.cli import main

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "proposing-changes.md"
FROZEN = Path(__file__).parent / "golden" / "proposing-changes" / "ports.yaml"
NOTE = "Moved to 8020 with the other mock services; point MOCK_URL at :8020."
NEW_ENTRY = """\
  - port: 8020
    service: Mock Coordinator API
    location: apps/blockchain-node/scripts/devnet_up.sh
    command: uvicorn mock_coordinator:app --port 8020
    role: metrics
    description: Synthetic coordinator/miner telemetry, next to the other mock services.

"""


def transcripts() -> dict[str, list[str]]:
    """Command line -> the outputs the page shows for it, in page order."""
    found: dict[str, list[str]] = defaultdict(list)
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        command, output = None, []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command:
                    found[command].append("\n".join(output))
                command, output = line[2:], []
            else:
                output.append(line)
    return found


def normalise(text: str) -> str:
    return re.sub(r"\(([0-9a-f]{7})\)", "(SHA)", text).strip()


class Walkthrough:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.shown = transcripts()
        self.seen: dict[str, int] = defaultdict(int)

    def run(self, command: str, *, problems_only: bool = False) -> int:
        argv = shlex.split(command)
        assert argv[0] == "portplan"
        code = main(argv[1:])
        captured = self.capsys.readouterr()
        got = captured.out + captured.err
        nth = self.seen[command]
        self.seen[command] += 1
        assert command in self.shown, f"the page does not show `{command}`"
        expected = self.shown[command][nth]
        if problems_only:  # the check's summary line is the checker's business, not this page's
            keep = re.compile(r"^(ports\.yaml:\d+:\d+: |::)")
            got = "\n".join(line for line in got.splitlines() if keep.match(line))
            expected = "\n".join(line for line in expected.splitlines() if keep.match(line))
        assert normalise(got) == normalise(expected), command
        return code


def test_every_portplan_command_on_the_page_parses() -> None:
    from portplan.cli import cli  # noqa: PLC0415

    for command in transcripts():
        argv = shlex.split(command)
        if argv[0] == "portplan":
            cli.commands[argv[1]].make_context(argv[1], argv[2:])


def test_the_walkthrough_output_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    upstream = make_repo(tmp_path / "upstream", [Version(FROZEN.read_text(encoding="utf-8"))])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "config", "user.name", "Aiko Tanaka")
    git(clone, "config", "user.email", "aiko@example.org")
    git(clone, "config", "commit.gpgsign", "false")
    git(clone, "switch", "-q", "-c", "move-mock-coordinator")
    monkeypatch.chdir(clone)
    page = Walkthrough(capsys)
    registry = clone / "ports.yaml"

    assert page.run("portplan free --in 8000-8099") == 0
    assert page.run("portplan free --in 8020-8029 --count 3") == 0
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("  - port: 8080\n", NEW_ENTRY + "  - port: 8080\n", 1))

    before = registry.read_bytes()
    assert page.run(f'portplan deprecate 8090 --note "{NOTE}" --replaced-by 8021') == 1
    assert registry.read_bytes() == before
    assert page.run(f'portplan deprecate 8090 --note "{NOTE}" --replaced-by 8020 '
                    "--remove-after 2027-03-01") == 0
    assert page.run("portplan check --base origin/main", problems_only=True) == 0
    assert page.run("portplan diff origin/main") == 0
    assert page.run("portplan diff --format text") == 0

    git(clone, "commit", "-qam", "Move the mock coordinator to 8020 with the other mocks")
    git(clone, "switch", "-q", "main")
    git(clone, "merge", "-q", "--no-ff", "move-mock-coordinator", "-m",
        "Merge pull request #7 from aiko/move-mock-coordinator")

    git(clone, "switch", "-q", "-c", "drop-prometheus")
    text = registry.read_text(encoding="utf-8")
    prometheus, grafana = text.index("  - port: 9090\n"), text.index("  - port: 3000\n")
    registry.write_text(text[:prometheus] + text[grafana:])
    assert page.run("portplan check --base main", problems_only=True) == 1
    assert page.run("portplan check --base main --format github", problems_only=True) == 1

    registry.write_text(text[:text.index("  - port: 8090\n")]
                        + "  - port: 8090\n    service: Faucet API\n    location: apps/faucet/\n\n"
                        + text[text.index("  - port: 8100\n"):])
    assert page.run("portplan check --base main", problems_only=True) == 0
    assert page.run("portplan export --format services") == 0
