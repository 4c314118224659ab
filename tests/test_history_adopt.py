"""The history survives adopting portplan: a Markdown plan's versions come before ports.yaml.

The story: a team kept its plan as a Markdown table for ten commits (moves, a deprecation, a
rename of the file, a reuse of a port), then adopted portplan with `portplan import`. Its
`history --json` must be the history the same ten versions give when written as YAML, and
the adoption commit must add no events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitrepo import Version, git, make_repo
from portplan.adopt.conversion import convert_plan
from portplan.cli import main
from portplan.history.snapshots import imported_from

HEAD = "| Port | Service | Location | Notes |\n| --- | --- | --- | --- |\n"
GRAFANA = "| 3000 | Grafana | `observability/` | Dashboards |\n"
PROM = "| 9090 | Prometheus | `observability/` | Scrapes the API |\n"
API = "| 8080 | Orders API | `apps/api/` → `uvicorn api:app` | REST |\n"
MOCK = "| 8090 | Mock API | `scripts/dev.sh` | Synthetic data |\n"
WALLET = "| 8071 | Wallet | `apps/wallet/` | Keys |\n"


def plan(*rows: str, portless: str = "") -> str:
    return f"# Our ports\n\n## In use\n\n{HEAD}{''.join(rows)}{portless}"


@dataclass(frozen=True)
class Step:
    date: str
    message: str
    text: str
    path: str = "ports.md"
    rename_from: str | None = None


STORY = [
    Step("2024-01-10T09:00:00+01:00", "Start the port plan", plan(GRAFANA, PROM, API, MOCK)),
    Step("2024-02-01T09:00:00+01:00", "Add the wallet", plan(GRAFANA, PROM, API, MOCK, WALLET)),
    Step("2024-03-05T09:00:00+01:00", "Move the mock next to the API (#3)",
         plan(GRAFANA, PROM, API, MOCK.replace("8090", "8081"), WALLET)),
    Step("2024-04-01T09:00:00+01:00", "Say what the API serves",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"), WALLET)),
    Step("2024-05-01T09:00:00+01:00", "Deprecate the wallet port",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"),
              "| ~~8071~~ | Wallet | `apps/wallet/` | Moved into the API; use 8080 |\n")),
    Step("2024-06-01T09:00:00+01:00", "Keep the plan with the docs",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"),
              "| ~~8071~~ | Wallet | `apps/wallet/` | Moved into the API; use 8080 |\n"),
         path="docs/ports.md", rename_from="ports.md"),
    Step("2024-07-01T09:00:00+01:00", "Drop the wallet",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081")), path="docs/ports.md"),
    Step("2024-09-01T09:00:00+01:00", "Reuse 8071 for the metrics gateway",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"),
              "| 8071 | Metrics gateway | `apps/gateway/` | Pushes to Prometheus |\n"),
         path="docs/ports.md"),
    Step("2024-10-01T09:00:00+01:00", "Plan the pool hub",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"),
              "| 8071 | Metrics gateway | `apps/gateway/` | Pushes to Prometheus |\n",
              "| 8100 | Pool hub (planned) | `apps/pool/` | Matching |\n"),
         path="docs/ports.md"),
    Step("2024-11-01T09:00:00+01:00", "List the SDKs",
         plan(GRAFANA, PROM, API.replace("REST", "REST and WebSocket"),
              MOCK.replace("8090", "8081"),
              "| 8071 | Metrics gateway | `apps/gateway/` | Pushes to Prometheus |\n",
              "| 8100 | Pool hub (planned) | `apps/pool/` | Matching |\n",
              portless="\n## Services without a port\n\n- **SDKs** - client libraries\n"),
         path="docs/ports.md"),
]
ADOPTED = convert_plan(STORY[-1].text.encode(), "docs/ports.md").text
AFTER = ADOPTED.replace("    status: planned\n", "")  # the pool hub goes live, in ports.yaml
ADOPT = "2024-12-01T09:00:00+01:00"
LIVE = "2025-01-15T09:00:00+01:00"


def markdown_repo(repo: Path) -> Path:
    versions = [Version(s.text, date=s.date, message=s.message, path=s.path,
                        rename_from=s.rename_from) for s in STORY]
    return make_repo(repo, [
        *versions,
        Version(ADOPTED, date=ADOPT, message="Adopt portplan (#20)"),
        Version(AFTER, date=LIVE, message="The pool hub is live"),
    ])


def yaml_repo(repo: Path) -> Path:
    """The same versions, written as the registry from the start."""
    versions = []
    previous = None
    for step in STORY:
        text = convert_plan(step.text.encode(), "docs/ports.md").text
        versions.append(Version(text if text != previous else None, date=step.date,
                                message=step.message))
        previous = text
    return make_repo(repo, [
        *versions,
        Version(ADOPTED, date=ADOPT, message="Adopt portplan (#20)"),
        Version(AFTER, date=LIVE, message="The pool hub is live"),
    ])


def history_json(repo: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    events: list[dict[str, object]] = json.loads(out.out)
    return events


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("adopt-story")
    return markdown_repo(root / "markdown"), yaml_repo(root / "yaml")


def _without_sha(events: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in e.items() if k != "commit"} for e in events]


def test_history_through_the_markdown_equals_the_history_as_yaml(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    through_markdown = history_json(repos[0], capsys, monkeypatch)
    as_yaml = history_json(repos[1], capsys, monkeypatch)
    assert _without_sha(through_markdown) == _without_sha(as_yaml)
    kinds = [(e["subject"], e["kind"], e["port"]) for e in through_markdown]
    assert ("Move the mock next to the API (#3)", "moved", 8081) in kinds
    assert ("Deprecate the wallet port", "deprecated", 8071) in kinds
    assert ("Drop the wallet", "removed", 8071) in kinds
    assert ("Reuse 8071 for the metrics gateway", "added", 8071) in kinds
    assert not [k for k in kinds if k[0] == "Keep the plan with the docs"]  # a rename only


def test_the_adoption_commit_adds_no_events_and_since_is_the_first_assignment(
        repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    events = history_json(repos[0], capsys, monkeypatch)
    assert not [e for e in events if e["subject"] == "Adopt portplan (#20)"]
    grafana = [e for e in events if e["port"] == 3000]
    assert [(e["kind"], e["date"]) for e in grafana] == [("added", "2024-01-10T09:00:00+01:00")]
    last = events[-1]
    assert (last["subject"], last["kind"], last["port"], last["changes"]) == (
        "The pool hub is live", "changed", 8100, {"status": ["planned", "active"]})


def test_port_pages_show_the_holders_from_before_the_switch(repos: tuple[Path, Path]) -> None:
    repo = repos[0]
    assert main(["init", "--title", "Story ports", "-C", str(repo)]) == 0
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=repo,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    page = (repo / "site" / "ports" / "8071" / "index.html").read_text("utf-8")
    assert "Metrics gateway" in page and "Wallet" in page and "Add the wallet" in page
    assert "2024-02-01" in page


def test_without_imported_from_the_history_starts_at_the_registry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    plain = ADOPTED.replace("imported_from: docs/ports.md\n", "")
    repo = make_repo(tmp_path / "repo", [
        Version(STORY[0].text, date=STORY[0].date, path="docs/ports.md"),
        Version(plain, date=ADOPT, message="Write the registry by hand"),
    ])
    events = history_json(repo, capsys, monkeypatch)
    assert {e["subject"] for e in events} == {"Write the registry by hand"}
    assert all(e["kind"] == "added" for e in events)


def test_an_unreadable_old_plan_version_is_skipped_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", [
        Version("# Ports\n\nTo be written.\n", date=STORY[0].date, path="docs/ports.md",
                message="Stub the plan"),
        Version(STORY[-1].text, date=STORY[1].date, path="docs/ports.md"),
        Version(ADOPTED, date=ADOPT, message="Adopt portplan"),
    ])
    monkeypatch.chdir(repo)
    assert main(["history", "--json"]) == 0
    out = capsys.readouterr()
    assert "portplan: warning: skipped docs/ports.md at commit" in out.err
    assert "(Stub the plan): it cannot be read: docs/ports.md: no port plan found" in out.err
    events = json.loads(out.out)
    assert {e["subject"] for e in events} == {"Update the port plan"}


@pytest.mark.parametrize(("registry", "path", "plan_path"), [
    (b"version: 1\nimported_from: ports.md\nports: []\n", "ports.yaml", "ports.md"),
    (b"version: 1\nimported_from: ../docs/ports.md\nports: []\n", "infra/ports.yaml",
     "docs/ports.md"),
    (b"version: 1\nimported_from: ../../elsewhere.md\nports: []\n", "infra/ports.yaml", None),
    (b"version: 1\nports: []\n", "ports.yaml", None),
    (b"version: [1\n", "ports.yaml", None),
    (b"\xff\xfe", "ports.yaml", None),
])
def test_where_the_plan_is_read_from(registry: bytes, path: str, plan_path: str | None) -> None:
    assert imported_from(registry, path) == plan_path


def test_the_history_reads_the_old_plan_with_the_options_of_the_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = "## app-01\n\n{head}| 8080 | Orders API |\n\n## app-02\n\n{head}| 8080 | Orders API |\n"
    head = "| Port | Service |\n|---|---|\n"
    first = hosts.format(head=head)
    second = first + "\n## db-01\n\n" + head + "| 5432 | PostgreSQL |\n"
    repo = make_repo(tmp_path / "repo", [
        Version(first, date="2024-01-01T00:00:00+00:00", path="docs/ports.md",
                message="Ports per host"),
        Version(second, date="2024-02-01T00:00:00+00:00", path="docs/ports.md",
                message="Add the database host"),
    ])
    monkeypatch.chdir(repo)
    assert main(["import", "docs/ports.md", "-o", "ports.yaml", "--sections",
                 "environments"]) == 0
    assert "# portplan import options: --sections environments\n" in \
        (repo / "ports.yaml").read_text("utf-8")
    git(repo, "add", "ports.yaml")
    git(repo, "commit", "-qm", "Adopt portplan")
    events = history_json(repo, capsys, monkeypatch)
    assert [(e["subject"], e["kind"], e["port"], e["environments"]) for e in events] == [
        ("Ports per host", "added", 8080, ["app-01"]),
        ("Ports per host", "added", 8080, ["app-02"]),
        ("Add the database host", "added", 5432, ["db-01"]),
    ]
