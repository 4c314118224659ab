"""Real `mkdocs build` runs of the site project, read back as HTML, JSON and XML.

What the plan holds is tested without MkDocs in test_site_plan.py; these prove the adapter.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gitrepo import commit_all
from portplan.registry.load import check_file
from test_site_support import ROOT, Html, build, copy_project, rows

SEED_PORTS = {
    "3000": ("Grafana", "apps/blockchain-node/observability/", "Visualizes metrics dashboards"),
    "4173": ("Explorer Web", "apps/explorer-web/", "Vite dev server for blockchain explorer"),
    "5173": ("Marketplace Web", "apps/marketplace-web/", "Vite dev server for marketplace"),
    "8011": ("Coordinator API", "apps/coordinator-api/", "Development coordinator API"),
    "8071": ("Wallet Daemon API", "apps/wallet-daemon/", "REST and JSON-RPC wallet service"),
    "8080": ("Blockchain RPC API (FastAPI)", "apps/blockchain-node/scripts/devnet_up.sh",
             "Exposes REST/WebSocket RPC endpoints"),
    "8090": ("Mock Coordinator API", "apps/blockchain-node/scripts/devnet_up.sh",
             "Generates synthetic coordinator/miner telemetry"),
    "8100": ("Pool Hub API", "apps/pool-hub/", "FastAPI service for miner registry"),
    "8900": ("Coordinator API", "apps/coordinator-api/", "Production-style deployment port."),
    "9090": ("Prometheus", "apps/blockchain-node/observability/", "Scrapes blockchain node"),
}

DEPRECATED = """\
version: 1
ranges:
  - range: 8020-8029
    purpose: Mock & test services
    owner: chain-team
ports:
  - port: 8090
    service: Mock Coordinator API
    status: deprecated
    description: Old mock. <script>alert('desc')</script> [click](javascript:alert(1))
    deprecation:
      note: Moved to 8020 with the other mock services; point `MOCK_URL` at :8020.
      replaced_by: 8020
  - port: 8020
    service: Mock Services
    description: "[runbook](https://wiki.example.org/mock) and <img src=x onerror=alert(2)>"
  - port: 3000
    service: Grafana
    meta:
      tier: gold
"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project, committed to a fresh git repo, built once for this module."""
    project = copy_project(tmp_path_factory.mktemp("bundled"))
    commit_all(project, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


def test_bundled_table_has_the_seed_plan(bundled: Path) -> None:
    page = Html.of(bundled / "index.html")
    table = rows(page)
    assert list(table) == sorted(SEED_PORTS, key=int)
    for port, (service, location, notes) in SEED_PORTS.items():
        assert table[port]["service"].startswith(service)
        assert location in table[port]["location"].replace("/ ", "/")
        assert notes in table[port]["description"]
    assert table["8100"]["status"] == "planned"
    assert all(table[p]["status"] == "active" for p in SEED_PORTS if p != "8100")
    assert table["8011"]["service"] == "Coordinator API dev"
    assert table["8900"]["service"] == "Coordinator API production"


def test_command_is_its_own_field(bundled: Path) -> None:
    commands = Html.of(bundled / "index.html").all("span", class_="pp-command")
    assert sorted(t for _, t in commands) == ["→ python -m uvicorn aitbc_chain.app:app",
                                             "→ uvicorn mock_coordinator:app"]
    fields = [t for _, t in Html.of(bundled / "ports" / "8080" / "index.html").all("tr")]
    assert "Commandpython -m uvicorn aitbc_chain.app:app" in fields
    assert "Locationapps/blockchain-node/scripts/devnet_up.sh" in fields


def test_portless_services_and_guidance(bundled: Path) -> None:
    page = Html.of(bundled / "index.html")
    portless = [t for _, t in page.all("ul", class_="pp-portless")]
    assert len(portless) == 1
    assert "Miner Node" in portless[0] and "JavaScript/Python SDKs" in portless[0]
    text = " ".join(page.text().split())
    assert "Avoid reusing the same port across services in devnet scripts" in text
    assert "place HTTP services behind a reverse proxy (nginx/Traefik)" in text
    assert "note both the scrape port (Prometheus) and any UI port (Grafana/others)" in text
    assert "If a port is deprecated, strike it through" in text


def test_every_port_links_to_its_page_which_stays_out_of_the_nav(bundled: Path) -> None:
    page = Html.of(bundled / "index.html")
    hrefs = [a.get("href") for a, _ in page.all("a", class_="pp-port-link")]
    assert hrefs == [f"ports/{p}/" for p in sorted(SEED_PORTS, key=int)]
    for href in hrefs:
        assert (bundled / str(href) / "index.html").is_file()
    nav_links = [a.get("href") for a, _ in page.all("a", class_="md-nav__link")]
    assert "ports/" in nav_links and "changes/" in nav_links
    assert not any(re.match(r"(\.\./)*ports/\d", str(h)) for h in nav_links)
    port_page = Html.of(bundled / "ports" / "3000" / "index.html")
    assert not [a for a, _ in port_page.all("a", class_="md-nav__link")
                if re.match(r"(\.\./)*ports/\d", str(a.get("href")))]


def test_search_finds_grafana_and_port_pages(bundled: Path) -> None:
    index = json.loads((bundled / "search" / "search_index.json").read_text("utf-8"))
    pages = {d["location"].split("#")[0] for d in index["docs"] if "Grafana" in d["text"]}
    assert "" in pages  # the plan page itself
    assert "ports/3000/" in pages  # port pages are out of the nav, yet found by search


def test_search_index_has_ports_and_words_but_no_timelines(bundled: Path) -> None:
    docs = json.loads((bundled / "search" / "search_index.json").read_text("utf-8"))["docs"]
    by_page: dict[str, list[dict[str, str]]] = {}
    for doc in docs:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    for port, (service, _, notes) in SEED_PORTS.items():
        page = by_page[f"ports/{port}/"]
        assert page[0]["title"].startswith(f"Port {port}: ")
        words = " ".join(d["text"] for d in page)
        assert port in words and service in words and notes in words
    titles = {d["title"] for d in docs}
    assert not titles & {"Timeline", "Holders"}  # excluded with data-search-exclude
    # Events stay out (docs/history.md quotes some on purpose: leave the docs pages aside).
    generated = json.dumps([d for d in docs if d["location"].startswith(("ports/", "changes/"))])
    assert "Added Grafana" not in generated and "Aiko Tanaka" not in generated
    assert "pp-event" not in generated and "<table" not in generated
    plan = " ".join(d["text"] for d in by_page[""])
    assert "3000 Grafana" in plan and "Guidance" in {d["title"] for d in by_page[""]}


def test_generated_html_is_all_put_back(bundled: Path) -> None:
    pages = list(bundled.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        text = page.read_text("utf-8")
        assert "portplan-slot" not in text and "data-search-exclude" not in text, page
    index = Html.of(bundled / "index.html")
    assert len(index.all("table", id="pp-ports")) == 1
    assert len(Html.of(bundled / "ports" / "index.html").all("table", id="pp-ports-index")) == 1


def test_changes_in_pages_out_of_nav_and_search(tmp_path: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace(
        "    registry: ports.yaml\n", "    registry: ports.yaml\n    changes_per_page: 1\n")
    project = copy_project(tmp_path, mkdocs_yml=config)
    commit_all(project, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    registry = project / "ports.yaml"
    for n, (old, new) in enumerate([("Vite dev server", "Vite server"),
                                    ("Scrapes blockchain node", "Scrapes the node")], start=2):
        registry.write_text(registry.read_text("utf-8").replace(old, new), encoding="utf-8")
        commit_all(project, f"Reword {n}", date=f"2026-0{n}-01T08:00:00-05:00")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    site = project / "site"
    pages = [site / "changes" / "index.html", site / "changes" / "page" / "2" / "index.html",
             site / "changes" / "page" / "3" / "index.html"]
    titles = [[t for _, t in Html.of(p).all("h3", class_="pp-change-title")] for p in pages]
    assert titles == [["Reword 3"], ["Reword 2"], ["Port plan from the seed"]]
    assert not (site / "changes" / "page" / "4").exists()
    for page in pages:
        html = Html.of(page)
        for attrs, _ in html.all("a"):
            href = str(attrs.get("href"))
            if "changes/" in href and not href.startswith("http"):
                assert (page.parent / href / "index.html").resolve().is_file(), (page, href)
        nav = [a.get("href") for a, _ in html.all("a", class_="md-nav__link")]
        assert not [h for h in nav if "page/" in str(h)]
    locations = {d["location"] for d in json.loads(
        (site / "search" / "search_index.json").read_text("utf-8"))["docs"]}
    assert "changes/" in locations and not [x for x in locations if "changes/page" in x]


def test_port_page_has_timeline_from_git(bundled: Path) -> None:
    page = Html.of(bundled / "ports" / "8090" / "index.html")
    events = [t for a, t in page.all("tr") if "pp-event" in str(a.get("class"))]
    assert len(events) == 1
    assert "2026-01-05 09:30 +09:00" in events[0]
    assert "Aiko Tanaka" in events[0] and "Added Mock Coordinator API" in events[0]
    since = rows(Html.of(bundled / "index.html"))["8090"]["since"]
    assert since == "2026-01-05"  # the date in the table, the time and offset on hover
    assert ('<time datetime="2026-01-05T09:30:00+09:00" title="2026-01-05 09:30 +09:00">'
            "2026-01-05</time>") in (bundled / "index.html").read_text("utf-8")


def test_feed_is_announced_in_every_page(bundled: Path) -> None:
    pages = {"index.html": "changes.xml", "ports/3000/index.html": "../../changes.xml"}
    for page, href in pages.items():
        links = Html.of(bundled / page).all("link", rel="alternate")
        assert [a.get("href") for a, _ in links
                if a.get("type") == "application/atom+xml"] == [href]


def test_ports_json_and_feed(bundled: Path) -> None:
    doc = json.loads((bundled / "ports.json").read_text("utf-8"))
    assert len(doc["ports"]) == 12
    grafana = next(p for p in doc["ports"] if p["service"] == "Grafana")
    assert grafana["since"]["date"] == "2026-01-05T09:30:00+09:00"
    assert grafana["page"] == "ports/3000/"
    feed = ET.parse(bundled / "changes.xml").getroot()  # noqa: S314 (our own output)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["Port plan from the seed"]
    changes = Html.of(bundled / "changes" / "index.html")
    titles = [t for _, t in changes.all("h3", class_="pp-change-title")]
    assert len(titles) == 1 and titles[0].startswith("Port plan from the seed")


def test_strict_build_passes_on_the_bundled_registry(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the seed")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr


def test_script_and_javascript_links_are_inert_in_the_built_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ports_yaml=DEPRECATED)
    commit_all(project, "Hostile text")
    assert build(project).returncode == 0
    for path in [project / "site" / "index.html",
                 *(project / "site" / "ports").glob("*/index.html"),
                 project / "site" / "changes" / "index.html"]:
        page = Html.of(path)
        assert not [t for _, t in page.all("script") if "alert" in t], path
        assert not [a for a, _ in page.all("img") if a.get("onerror")], path
        assert not [a for a, _ in page.all("a") if "javascript" in str(a.get("href")).lower()]
    cell = rows(Html.of(project / "site" / "index.html"))["8090"]["description"]
    assert "<script>alert('desc')</script>" in cell  # shown as text, not run
    assert "[click](javascript:alert(1))" in cell
    runbook = Html.of(project / "site" / "index.html").all("a", href="https://wiki.example.org/mock")
    assert [t for _, t in runbook] == ["runbook"]


def test_bad_registry_fails_the_build_with_the_checkers_messages(tmp_path: Path) -> None:
    bad = ("version: 1\nports:\n  - port: 70000\n    service: Too high\n"
           "  - port: 8080\n    service: A\n  - port: 8080\n    service: B\n    colour: red\n")
    project = copy_project(tmp_path, ports_yaml=bad)
    done = build(project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    expected = [str(p) for p in check_file(project / "ports.yaml", display="ports.yaml").problems]
    assert len(expected) >= 3
    for message in expected:
        assert f"portplan: {message}" in done.stderr
    assert "error(s) in the registry" in done.stderr
    # ... and `portplan check` prints exactly these lines.
    check = subprocess.run([sys.executable, "-m", "portplan", "check"], cwd=project,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 1
    printed = [line for line in (check.stdout + check.stderr).splitlines()
               if line.startswith("ports.yaml:")]
    assert printed == expected


def test_registry_warnings_fail_strict_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ports_yaml=(
        "version: 1\nports:\n  - port: 50000\n    service: Ephemeral\n"))
    commit_all(project, "Ephemeral port")
    assert build(project).returncode == 0
    done = build(project, "--strict")
    assert done.returncode == 1
    problems = check_file(project / "ports.yaml", display="ports.yaml").problems
    assert problems and all(p.severity.value == "warning" for p in problems)
    for problem in problems:
        assert f"WARNING -  portplan: {problem}" in done.stderr


def test_without_git_the_site_says_so_and_strict_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    done = build(project)
    assert done.returncode == 0, done.stderr
    notice = Html.of(project / "site" / "index.html").all("div", class_="pp-history-notice")
    assert len(notice) == 1 and "History unavailable" in notice[0][1]
    port_page = Html.of(project / "site" / "ports" / "3000" / "index.html")
    assert port_page.all("div", class_="pp-history-notice")
    assert rows(Html.of(project / "site" / "index.html"))["3000"]["since"] == "—"
    strict = build(project, "--strict")
    assert strict.returncode == 1 and "history is unavailable" in strict.stderr


def test_an_unreadable_past_version_is_named_but_strict_still_passes(tmp_path: Path) -> None:
    # A past commit cannot be mended: it must not fail every --strict build from then on.
    project = copy_project(tmp_path)
    commit_all(project, "Start")
    registry = project / "ports.yaml"
    good = registry.read_text("utf-8")
    registry.write_text(good + "  - port: [unclosed\n", encoding="utf-8")
    broken = commit_all(project, "Break the file")
    registry.write_text(good, encoding="utf-8")
    commit_all(project, "Mend it")
    strict = build(project, "--strict")
    assert strict.returncode == 0, strict.stderr
    assert f"skipped the registry at commit {broken[:12]} (Break the file)" in strict.stderr
    page = Html.of(project / "site" / "index.html")
    assert not page.all("div", class_="pp-history-notice")
    [note] = page.all("div", class_="pp-history-skipped")
    assert "Versions skipped" in note[1] and broken[:12] in note[1]
    doc = json.loads((project / "site" / "ports.json").read_text("utf-8"))
    assert doc["history"]["complete"] is True
    assert [broken[:12] in s for s in doc["history"]["skipped"]] == [True]


def test_links_work_without_directory_urls(tmp_path: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text("utf-8") + "\nuse_directory_urls: false\n"
    project = copy_project(tmp_path, ports_yaml=DEPRECATED, mkdocs_yml=config)
    commit_all(project, "Flat URLs")
    assert build(project).returncode == 0
    site = project / "site"
    for page_path in [site / "index.html", site / "ports" / "8090" / "index.html",
                      site / "changes.html", site / "ports" / "index.html"]:
        for attrs, _ in Html.of(page_path).all("a", class_="pp-port-link"):
            target = (page_path.parent / str(attrs["href"])).resolve()
            assert target.is_file(), (page_path, attrs["href"])


def test_shallow_clone_says_history_is_incomplete_and_strict_fails(tmp_path: Path) -> None:
    origin = copy_project(tmp_path / "origin")
    commit_all(origin, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    registry = origin / "ports.yaml"
    registry.write_text(registry.read_text("utf-8").replace("Vite dev server", "Vite server"),
                        encoding="utf-8")
    commit_all(origin, "Reword the web apps", date="2026-02-01T08:00:00-05:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)],
                   check=True, capture_output=True)
    done = build(clone)
    assert done.returncode == 0, done.stderr
    notice = Html.of(clone / "site" / "index.html").all("div", class_="pp-history-notice")
    assert len(notice) == 1 and "History incomplete" in notice[0][1]
    assert Html.of(clone / "site" / "ports" / "4173" / "index.html").all(
        "div", class_="pp-history-notice")
    doc = json.loads((clone / "site" / "ports.json").read_text("utf-8"))
    assert doc["history"]["complete"] is False
    strict = build(clone, "--strict")
    assert strict.returncode == 1 and "incomplete" in strict.stderr


def test_port_page_headings_are_in_its_contents_and_its_anchors(tmp_path: Path) -> None:
    # The headings of a port page's body are converted once for all port pages: MkDocs must
    # still list them in the page's table of contents and know them as anchors of the page.
    config = (ROOT / "mkdocs.yml").read_text("utf-8") + "validation:\n  anchors: warn\n"
    project = copy_project(tmp_path, mkdocs_yml=config)
    (project / "docs" / "links.md").write_text(
        "# Links\n\n[timeline](ports/3000/index.md#timeline), "
        "[now](ports/3000/index.md#current-assignment)\n", encoding="utf-8")
    commit_all(project, "Seed")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    page = Html.of(project / "site" / "ports" / "3000" / "index.html")
    contents = [href for attrs, _ in page.all("a", class_="md-nav__link")
                if (href := attrs.get("href", "")).startswith("#")]
    assert contents[:3] == ["#current-assignment", "#holders", "#timeline"], contents
    # A link to an anchor the page lacks still warns, so the check above was a real one.
    (project / "docs" / "links.md").write_text(
        "# Links\n\n[nowhere](ports/3000/index.md#no-such-heading)\n", encoding="utf-8")
    broken = build(project, "--strict")
    assert broken.returncode == 1 and "no-such-heading" in broken.stderr


def test_text_the_markdown_adds_to_every_page_shows_once_on_port_pages(tmp_path: Path) -> None:
    # pymdownx.snippets' auto_append adds a file to every page it converts: a body converted
    # once for all port pages would carry it a second time, so such a site converts each whole.
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace(
        "  - pymdownx.superfences\n", "  - pymdownx.superfences\n  - pymdownx.snippets:\n"
        "      auto_append: [includes/footer.md]\n      base_path: [.]\n")
    project = copy_project(tmp_path, mkdocs_yml=config)
    (project / "includes").mkdir()
    (project / "includes" / "footer.md").write_text("Footer of every page.\n", encoding="utf-8")
    commit_all(project, "Seed")
    done = build(project, "--strict")
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "ports" / "3000" / "index.html").read_text("utf-8")
    assert page.count("Footer of every page.") == 1
    assert 'id="timeline"' in page and 'href="#timeline"' in page  # heading and contents
