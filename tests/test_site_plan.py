"""The site plan without MkDocs: which files a build adds and what they hold, from a real repo.

Pages are read as any Python-Markdown engine would see them: a generated page as
``PageParts.markdown()``, a docs page with each marker replaced by its part's HTML.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import markdown
import pytest

from gitrepo import commit_all
from portplan.model import Registry
from portplan.site.history_view import NoHistory
from portplan.site.markers import drop_unbuilt, find_markers
from portplan.site.options import Options, SiteSettings
from portplan.site.parts import PageParts
from portplan.site.plan import ASSETS, GeneratedFile, Site, generated_files, marker_parts
from portplan.site.source import SiteError, read_source
from portplan.site.staging import fill_markers
from portplan.site.urls import page_url
from test_site_build import DEPRECATED
from test_site_support import ROOT, Html, copy_project, rows

REPO = "https://github.com/aitbc/ports"


def plan(project: Path, options: Options | None = None,
         settings: SiteSettings | None = None) -> tuple[Site, dict[str, GeneratedFile]]:
    options = options or Options()
    source = read_source(project, options)
    site = Site.of(source.registry, source.history, options, settings)
    return site, {f.src: f for f in generated_files(site)}


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["toc", "tables", "attr_list"])


def docs_page(site: Site, project: Path, src: str) -> Html:
    """A docs page with its markers filled in, converted by Python-Markdown."""
    text, unknown = fill_markers(site, src, (project / "docs" / src).read_text("utf-8"))
    assert unknown == []
    return Html(to_html(text))


def page(files: dict[str, GeneratedFile], src: str) -> Html:
    content = files[src].content
    assert isinstance(content, PageParts)
    return Html(to_html(content.markdown()))


@pytest.fixture(scope="module")
def deprecated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("deprecated"), ports_yaml=DEPRECATED)
    commit_all(project, "Deprecate the mock (#12)")
    return project


def test_the_plan_lists_every_generated_file_once(deprecated: Path) -> None:
    site, files = plan(deprecated)
    assert list(files) == [
        "assets/portplan/portplan.css", "assets/portplan/portplan.js",
        "ports/3000/index.md", "ports/8020/index.md", "ports/8090/index.md",
        "ports/index.md", "changes.md", "ports.json", "changes.xml"]
    assert len(files) == len(generated_files(site))
    assert {src for src, f in files.items() if not f.in_nav} == {
        "ports/3000/index.md", "ports/8020/index.md", "ports/8090/index.md"}
    assert files["assets/portplan/portplan.js"].content == ASSETS / "portplan.js"
    assert Path(str(files["assets/portplan/portplan.css"].content)).is_file()
    assert isinstance(files["ports.json"].content, str)
    assert set(marker_parts(site, "")) == {"notices", "table", "portless", "ranges", "drift"}


def test_older_changes_pages_stay_out_of_the_nav(deprecated: Path) -> None:
    registry = deprecated / "ports.yaml"
    good = registry.read_text("utf-8")
    try:
        registry.write_text(good.replace("Grafana", "Grafana UI"), encoding="utf-8")
        commit_all(deprecated, "Rename Grafana")
        _, files = plan(deprecated, Options(changes_per_page=1))
    finally:
        registry.write_text(good, encoding="utf-8")
        commit_all(deprecated, "Back to Grafana")
    changes = {src: f.in_nav for src, f in files.items() if src.startswith("changes")}
    assert changes == {"changes.md": True, "changes/page/2/index.md": False,
                       "changes.xml": True}


def test_deprecated_entry_struck_through_with_note_and_link(deprecated: Path) -> None:
    site, files = plan(deprecated)
    index = docs_page(site, deprecated, "index.md")
    dels = [t for _, t in index.all("del")]
    assert dels == ["8090"]
    cell = rows(index)["8090"]["description"]
    assert "Moved to 8020 with the other mock services; point MOCK_URL at :8020." in cell
    assert "Replaced by 8020." in cell
    replacement = [a.get("href") for a, t in index.all("a", class_="pp-port-link") if t == "8020"]
    assert "ports/8020/" in replacement
    assert "ports/8020/index.md" in files
    ranges = [t for _, t in index.all("tr") if t.startswith("8020-8029")]
    assert ranges == ["8020-8029tcpMock & test serviceschain-team 1 of 10 used (10%)8020"]


def test_a_replacement_inside_a_block_links_to_the_block_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ports_yaml=(
        "version: 1\nports:\n  - port: 8090\n    service: Old mock\n    status: deprecated\n"
        "    deprecation:\n      note: Moved into the mock block.\n      replaced_by: 8025\n"
        "  - port: 8020-8029\n    service: Mock services\n"))
    commit_all(project, "Deprecate into a block")
    site, files = plan(project)
    index = docs_page(site, project, "index.md")
    links = [(a.get("href"), t) for a, t in index.all("a", class_="pp-port-link")]
    assert ("ports/8020-8029/", "8025") in links
    assert "ports/8020-8029/index.md" in files


def test_configured_columns_with_meta_and_bad_column(deprecated: Path) -> None:
    options = Options(columns=("port", "service", "meta.tier", "command"))
    site, _ = plan(deprecated, options)
    index = docs_page(site, deprecated, "index.md")
    headers = [t for a, t in index.all("th") if a.get("data-pp-col")]
    assert headers == ["Port", "Service", "meta.tier", "Command"]  # never read as built-in
    assert rows(index)["3000"]["meta.tier"] == "gold"
    with pytest.raises(SiteError, match=r"unknown table column\(s\): colour"):
        read_source(deprecated, Options(columns=("port", "colour")))


def test_repo_url_links_dates_to_commits_and_prs(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    first = commit_all(project, "Port plan from the seed")
    (project / "ports.yaml").write_text((project / "ports.yaml").read_text("utf-8").replace(
        "Visualizes metrics dashboards", "Shows metrics dashboards"), encoding="utf-8")
    commit_all(project, "Reword Grafana (#7)", date="2026-02-01T08:00:00-05:00")
    site, _ = plan(project, settings=SiteSettings(repo_url=REPO))
    index = docs_page(site, project, "index.md")
    links = {t.strip(): a.get("href") for a, t in index.all("a") if "2026-" in t}
    assert links["2026-03-05 10:00 +09:00"] == f"{REPO}/commit/{first}"
    assert links["2026-02-01 08:00 -05:00"] == f"{REPO}/pull/7"
    assert rows(index)["3000"]["last_change"] == "2026-02-01 08:00 -05:00"
    assert rows(index)["3000"]["since"] == "2026-03-05 10:00 +09:00"


def test_links_work_without_directory_urls(deprecated: Path) -> None:
    site, files = plan(deprecated, settings=SiteSettings(directory_urls=False))
    urls = {page_url(src, directory_urls=False) for src in files if src.endswith(".md")}
    pages = {"index.md": docs_page(site, deprecated, "index.md"),
             **{src: page(files, src) for src in ("ports/8090/index.md", "changes.md",
                                                  "ports/index.md")}}
    checked = 0
    for src, html in pages.items():
        here = page_url(src, directory_urls=False)
        for attrs, _ in html.all("a", class_="pp-port-link"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(here),
                                                       str(attrs["href"])))
            assert target in urls, (src, attrs["href"])
            checked += 1
    assert checked > 5


def test_a_missing_registry_or_errors_stop_the_plan(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ports_yaml="version: 1\nports:\n  - port: 70000\n")
    with pytest.raises(SiteError, match=r"ports.yaml: \d error\(s\) in the registry") as caught:
        read_source(project, Options())
    assert caught.value.problems
    with pytest.raises(SiteError, match="the registry file does not exist"):
        read_source(project, Options(registry="nowhere.yaml"))


def test_the_bundled_docs_use_known_markers_only() -> None:
    known = set(marker_parts(Site.of(Registry(), NoHistory("none")), ""))
    for doc in (ROOT / "docs").glob("*.md"):
        assert set(find_markers(drop_unbuilt(doc.read_text("utf-8")))) <= known, doc
