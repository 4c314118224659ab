"""The same site built by MkDocs, ProperDocs and Zensical, with the commands docs/site.md shows.

Each engine's ``sh`` block (after ``<!-- engine: NAME -->``) runs as it is, from the project
root; the portplan-made parts of the three sites must be the same, apart from theme chrome.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gitrepo import commit_all
from test_site_support import ROOT, Html, copy_project, rows
from test_workflows import WORKFLOWS, commands, load

ENGINE_BLOCK = re.compile(r"^<!-- engine: (\w+) -->\n```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
ENGINES = ("mkdocs", "properdocs", "zensical")
# Generated pages and docs pages with markers, compared across engines.
PAGES = ("index.html", "ports/index.html", "ports/3000/index.html", "ports/8090/index.html",
         "ports/8020/index.html", "changes/index.html")
DEPRECATION = """    status: deprecated
    deprecation:
      note: Moved to 8020 with the other mock services; point `MOCK_URL` at :8020.
      replaced_by: 8020
"""
MOCK_SERVICES = """
  - port: 8020
    service: Mock Services
    description: "All mocks <b>here</b> [runbook](https://wiki.example.org/mock)"
"""


def engine_blocks() -> dict[str, str]:
    return dict(ENGINE_BLOCK.findall((ROOT / "docs" / "site.md").read_text("utf-8")))


def run(project: Path, script: str) -> subprocess.CompletedProcess[str]:
    """A docs block in bash, with this environment's commands first on PATH."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=project, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def two_commit_project(dest: Path) -> Path:
    """The bundled plan, then 8090 deprecated in favour of a new 8020 in a second commit."""
    project = copy_project(dest)
    commit_all(project, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    registry = project / "ports.yaml"
    text = registry.read_text("utf-8").replace(
        "    command: uvicorn mock_coordinator:app\n",
        "    command: uvicorn mock_coordinator:app\n" + DEPRECATION)
    registry.write_text(text.replace("\n  # Services without a port",
                                     MOCK_SERVICES + "\n  # Services without a port", 1), "utf-8")
    commit_all(project, "Move the mock coordinator to 8020 (#12)",
               date="2026-03-05T10:00:00-05:00")
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each engine's site, built by its docs block, moved to sites/ENGINE."""
    project = two_commit_project(tmp_path_factory.mktemp("engines"))
    out = {}
    for engine, script in engine_blocks().items():
        done = run(project, script)
        assert done.returncode == 0, (engine, done.stdout, done.stderr)
        out[engine] = project / "sites" / engine
        out[engine].parent.mkdir(exist_ok=True)
        shutil.move(project / "site", out[engine])
    return out


class PortplanParts(HTMLParser):
    """Every element portplan made (a ``pp-`` class or id) and all inside it, with its text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[list[str] | None] = []  # per open element: its text, if portplan's
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = f"{dict(attrs).get('class') or ''} {dict(attrs).get('id') or ''}".split()
        texts: list[str] | None = None
        if any(t is not None for t in self.open) or any(m.startswith("pp-") for m in marks):
            texts = []
            self.found.append((tag, dict(attrs), texts))
        if tag not in Html.VOID:
            self.open.append(texts)

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag not in Html.VOID:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for texts in self.open:
            if texts is not None:
                texts.append(data)


def portplan_parts(page: Path) -> list[tuple[str, dict[str, str | None], str]]:
    parsed = PortplanParts(page.read_text("utf-8"))
    return [(tag, attrs, " ".join("".join(texts).split())) for tag, attrs, texts in parsed.found]


def test_the_docs_show_each_engine_once() -> None:
    assert tuple(engine_blocks()) == ENGINES


def test_each_engine_builds_every_generated_file(sites: dict[str, Path]) -> None:
    def generated(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
                and p.relative_to(site).as_posix().startswith(
                    ("ports/", "changes/", "ports.json", "changes.xml", "assets/portplan/"))}
    expected = generated(sites["mkdocs"])
    assert len([p for p in expected if p.startswith("ports/")]) == 12  # 11 ports + the index
    for engine in ENGINES:
        assert generated(sites[engine]) == expected, engine


def test_the_portplan_parts_are_the_same_with_each_engine(sites: dict[str, Path]) -> None:
    for page in PAGES:
        parts = portplan_parts(sites["mkdocs"] / page)
        assert len(parts) > 2, page
        for engine in ENGINES[1:]:
            assert portplan_parts(sites[engine] / page) == parts, (engine, page)
    for data in ("ports.json", "changes.xml"):
        texts = {e: (sites[e] / data).read_text("utf-8") for e in ENGINES}
        assert texts["properdocs"] == texts["mkdocs"] == texts["zensical"], data


def test_the_zensical_site_has_the_table_timeline_and_titles(sites: dict[str, Path]) -> None:
    site = sites["zensical"]
    table = rows(Html.of(site / "index.html"))
    assert table["8090"]["status"] == "deprecated" and "Replaced by 8020." in table[
        "8090"]["description"]
    events = [t for a, t in Html.of(site / "ports" / "8090" / "index.html").all("tr")
              if "pp-event" in str(a.get("class"))]
    assert len(events) == 2 and "Added Mock Coordinator API" in events[0]
    [(_, title)] = Html.of(site / "ports" / "8020" / "index.html").all("title")
    assert title.startswith("Port 8020: Mock Services")
    index = Html.of(site / "index.html")
    assert [a.get("src") for a, _ in index.all("script") if "portplan" in str(a.get("src"))] \
        == ["./assets/portplan/portplan.js"]
    assert (site / "assets" / "portplan" / "portplan.css").is_file()


def test_search_finds_a_port_page_by_service_with_each_engine(sites: dict[str, Path]) -> None:
    for engine in ("mkdocs", "properdocs"):
        docs = json.loads((sites[engine] / "search" / "search_index.json").read_text("utf-8"))
        assert any(d["location"].startswith("ports/3000/") and "Grafana" in d["text"]
                   for d in docs["docs"]), engine
    items = json.loads((sites["zensical"] / "search.json").read_text("utf-8"))["items"]
    assert any("ports/3000/" in json.dumps(i) and "Grafana" in i["text"] for i in items)


def test_no_site_says_it_was_built_without_portplan(sites: dict[str, Path]) -> None:
    for engine in ENGINES:
        text = (sites[engine] / "index.html").read_text("utf-8")
        assert "built without portplan" not in text and "portplan:unbuilt" not in text, engine


def test_an_engine_that_ignored_the_hook_says_how_to_generate(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    done = run(project, "zensical build -f mkdocs.yml")
    assert done.returncode == 0, done.stderr
    page = Html.of(project / "site" / "index.html")
    assert not page.all("table", id="pp-ports")
    text = " ".join(page.text().split())
    assert "The port table is missing: this site was built without portplan" in text
    assert "portplan site generate && zensical build -f mkdocs.portplan.yml" in text


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_a_hostile_service_name_stays_text_in_the_page_title(tmp_path: Path,
                                                             engine: str) -> None:
    # Material runs a heading-derived <title> through striptags, which un-escapes it; Zensical
    # builds the title from the staged page.
    hostile = "]]></title><script>alert(17)</script> & <b>x</b>"
    project = copy_project(tmp_path, ports_yaml=(
        f"version: 1\nports:\n  - port: 8081\n    service: {json.dumps(hostile)}\n"))
    commit_all(project, "Hostile name")
    done = run(project, engine_blocks()[engine])
    assert done.returncode == 0, done.stderr
    page = Html.of(project / "site" / "ports" / "8081" / "index.html")
    assert not [t for _, t in page.all("script") if "alert" in t]
    [(_, title)] = page.all("title")
    assert title == f"Port 8081: {hostile} - AITBC devnet port plan"
    [(_, heading)] = page.all("h1")
    assert heading.startswith(f"Port 8081: {hostile}")


def test_each_engine_has_a_pages_workflow_with_its_docs_commands() -> None:
    files = {"mkdocs": "pages.yml", "properdocs": "pages-properdocs.yml",
             "zensical": "pages-zensical.yml"}
    for engine, script in engine_blocks().items():
        build = load(WORKFLOWS / files[engine])["jobs"]["build"]
        runs = [argv for step in build["steps"] for argv in commands(step.get("run", ""))]
        for argv in commands(script):
            assert argv in runs, (engine, argv)
        assert ["pip", "install", "." if engine == "mkdocs" else f".[{engine}]"] in runs
        checkout = next(s for s in build["steps"] if s.get("uses", "").startswith(
            "actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0  # the history is the site's


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_a_clamped_commit_date_is_a_note_and_strict_still_passes(tmp_path: Path,
                                                                 engine: str) -> None:
    # One rule for every engine (SiteSource.messages): no one can mend a past commit's date.
    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the far future", date="@253402300800 +0000")
    strict = run(project, engine_blocks()[engine])
    assert strict.returncode == 0, strict.stderr
    assert "outside what can be shown" in strict.stderr  # said, as information
    notice = Html.of(project / "site" / "index.html").all("div", class_="pp-history-notice")
    assert len(notice) == 1 and "History notes" in notice[0][1]
    doc = json.loads((project / "site" / "ports.json").read_text("utf-8"))
    assert doc["history"]["complete"] is True
