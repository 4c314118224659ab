"""The site shows where the code sets each port (row and page) and the drift (plan page).

One real `mkdocs build --strict` of the bundled project, committed with a few files that set
ports, and `repo_url` set, so that each place links to its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import commit_all
from portplan.model import Assignment, PortSpan
from portplan.problems import Severity
from portplan.scan.matcher import Located
from portplan.scan.places import Finding, Place, Role
from portplan.site.code_places import CodeView, plan_drift, port_section
from portplan.site.urls import SiteLinks
from scanning import lay_out
from test_site_support import ROOT, Html, build, copy_project, rows

REPO = "https://github.com/example/devnet"
CODE = {
    "apps/coordinator-api/deploy/coordinator.service":
        "[Service]\nEnvironment=LOG_LEVEL=info\nExecStart=/opt/venv/bin/uvicorn app:api "
        "--port 8011\n",
    "apps/blockchain-node/scripts/devnet_up.sh":
        "#!/usr/bin/env bash\nuvicorn mock:app --port 8090 &\npython3 -m http.server 8085 &\n",
}
SERVICE_LINK = f"{REPO}/blob/HEAD/apps/coordinator-api/deploy/coordinator.service#L3"
DRIFT_LINK = f"{REPO}/blob/HEAD/apps/blockchain-node/scripts/devnet_up.sh#L3"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "# repo_url: https://github.com/OWNER/REPO", f"repo_url: {REPO}")
    project = copy_project(tmp_path_factory.mktemp("scan-site"), mkdocs_yml=mkdocs_yml)
    lay_out(project, CODE)
    commit_all(project, "Port plan and the code that sets the ports")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    return project / "site"


def test_each_row_says_where_the_code_sets_its_port(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    table = rows(Html.of(site / "index.html"))
    assert "set in apps/coordinator-api/deploy/coordinator.service:3" in table["8011"]["location"]
    assert "set in apps/blockchain-node/scripts/devnet_up.sh:2" in table["8090"]["location"]
    assert "set in" not in table["9090"]["location"]
    assert f'href="{SERVICE_LINK}"' in page


def test_the_port_page_lists_the_places(site: Path) -> None:
    page = (site / "ports" / "8011" / "index.html").read_text(encoding="utf-8")
    assert "Set in the code" in page
    assert f'<a class="pp-code-link" href="{SERVICE_LINK}"><code>apps/coordinator-api/deploy/' \
           "coordinator.service:3</code></a>: listener (<code>--port</code>)" in page
    quiet = (site / "ports" / "9090" / "index.html").read_text(encoding="utf-8")
    assert "No file in the repository sets this port." in quiet


def test_the_plan_page_lists_the_drift(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "1 place where the code disagrees with the plan" in page
    assert (f'<li class="pp-drift-error"><a class="pp-code-link" href="{DRIFT_LINK}"><code>'
            "apps/blockchain-node/scripts/devnet_up.sh:3</code></a>: error: this script listens "
            "on 8085 (http.server) in the location of &#x27;Blockchain RPC API (FastAPI)&#x27;"
            ) in page
    # The same finding on the page of the entry it concerns.
    assert DRIFT_LINK in (site / "ports" / "8080" / "index.html").read_text(encoding="utf-8")


def test_the_scan_can_be_switched_off(tmp_path: Path) -> None:
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "    registry: ports.yaml\n", "    registry: ports.yaml\n    scan: false\n")
    project = copy_project(tmp_path / "off", mkdocs_yml=mkdocs_yml)
    lay_out(project, CODE)
    commit_all(project, "Port plan")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "set in" not in page and "disagrees with the plan" not in page
    assert "Set in the code" not in (project / "site" / "ports" / "8011" / "index.html"
                                     ).read_text(encoding="utf-8")


def test_wrong_scan_settings_stop_the_build(tmp_path: Path) -> None:
    registry = (ROOT / "ports.yaml").read_text(encoding="utf-8") + "scan: [apps]\n"
    project = copy_project(tmp_path / "bad", ports_yaml=registry)
    done = build(project)
    assert done.returncode == 1
    lines = registry.count("\n")
    assert f"ports.yaml:{lines}:7: error: scan must be a mapping" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr


def test_the_drift_section_in_each_state() -> None:
    place = Place("run.sh", 2, 5, PortSpan.single(8000), Role.LISTENER, "shell", "--port")
    entry = Assignment("API", PortSpan.single(8000))
    links = SiteLinks()
    assert plan_drift(CodeView(), links) == ""  # the scan is off
    assert "No file in this repository sets a port" in plan_drift(CodeView(scanned=True), links)
    agrees = CodeView((Located(place, entry),), scanned=True)
    assert "The code agrees with the plan: 1 place in 1 file set" in plan_drift(agrees, links)
    drift = Finding(place, Severity.ERROR, "unregistered-listener", "a <b> message")
    shown = plan_drift(CodeView((Located(place, None),), (drift,), scanned=True), links)
    assert shown == ('<p class="pp-drift-count">1 place where the code disagrees with the plan '
                     "(<code>portplan scan</code>):</p>"
                     '<ul class="pp-drift"><li class="pp-drift-error"><code>run.sh:2</code>: '
                     "error: a &lt;b&gt; message</li></ul>")


def test_a_port_page_shows_accepted_findings_with_their_reason() -> None:
    place = Place("dev.env", 1, 1, PortSpan.single(8001), Role.SETTING, "dotenv", "API_PORT=",
                  variable="API_PORT")
    entry = Assignment("API", PortSpan.single(8000), env_var="API_PORT",
                       accepts=(("env-var-port", "shows <how> to move it"),))
    finding = Finding(place, Severity.ERROR, "env-var-port", "set to 8001", entry,
                      accepted="shows <how> to move it")
    view = CodeView((Located(place, entry),), (), scanned=True, accepted=(finding,))
    section = port_section(PortSpan.single(8000), view, SiteLinks())
    assert section.endswith('<p>Accepted:</p><ul class="pp-code-accepted"><li><code>dev.env:1'
                            "</code>: <code>env-var-port</code>, accepted: shows &lt;how&gt; to "
                            "move it</li></ul>")
