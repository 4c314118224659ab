"""The hook's wiring: history read once per build, `mkdocs serve` watching ports.yaml, options."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.pages import Page

import portplan.site.source
from gitrepo import commit_all
from portplan.mkdocs_site import PortplanSite, options_from_extra
from portplan.registry.load import check_file
from portplan.site.options import OPTIONS, Options, SiteSettings
from test_site_support import ROOT, Html, build, copy_project, rows


def test_history_is_read_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the seed")
    calls: list[tuple[Path, Path]] = []
    real = portplan.site.source.read_history

    def counting(root: Path, registry: Path) -> object:
        calls.append((root, registry))
        return real(root, registry)

    monkeypatch.setattr(portplan.site.source, "read_history", counting)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    mkdocs_build(config)
    assert calls == [(project.resolve(), Path("ports.yaml"))]
    assert len(list((project / "site" / "ports").glob("*/index.html"))) == 10


def test_uncommitted_edits_show_as_uncommitted(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the seed")
    with (project / "ports.yaml").open("a", encoding="utf-8") as registry:
        registry.write("\n  - port: 8020\n    service: Mock Services\n")
    assert build(project).returncode == 0
    page = Html.of(project / "site" / "ports" / "8020" / "index.html")
    assert any("uncommitted" in t for _, t in page.all("tr", class_="pp-event"))
    changes = Html.of(project / "site" / "changes" / "index.html")
    titles = [t for _, t in changes.all("h3", class_="pp-change-title")]
    assert titles[0] == "Uncommitted changes in the working tree"
    # In the table too: the date is the file's, not a change on the main line.
    table = rows(Html.of(project / "site" / "index.html"))
    assert table["8020"]["since"].endswith(" uncommitted")
    assert table["8020"]["last_change"].endswith(" uncommitted")
    assert not table["3000"]["since"].endswith("uncommitted")


@pytest.mark.parametrize(("extra", "message"), [
    ({"portplan": {"registy": "x"}}, "unknown option(s) extra.portplan.registy"),
    ({"portplan": {"columns": "port"}}, "columns must be a list"),
    ({"portplan": {"feed_limit": 0}}, "feed_limit must be a positive integer"),
    ({"portplan": {"changes_per_page": True}}, "changes_per_page must be a positive integer"),
    ({"portplan": ["ports.yaml"]}, "extra.portplan must be a mapping"),
])
def test_bad_options_are_plugin_errors(extra: dict[str, object], message: str) -> None:
    with pytest.raises(PluginError, match=message.replace("(", r"\(").replace(")", r"\)")):
        options_from_extra(extra)


def test_options_default_and_read() -> None:
    assert options_from_extra({}) == Options("ports.yaml", None, 100)
    assert options_from_extra({"portplan": {"registry": "plan/ports.yaml", "columns": ["service"],
                                            "feed_limit": 5, "changes_per_page": 20}}) == Options(
        "plan/ports.yaml", ("service",), 5, 20)


def test_missing_registry_fails_without_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "ports.yaml").unlink()
    done = build(project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "ports.yaml: the registry file does not exist" in done.stderr


def test_a_site_without_the_table_marker_warns(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text("utf-8").replace("<!-- portplan:table -->",
                                                      "<!-- portplan:tabel -->"), "utf-8")
    done = build(project)
    assert done.returncode == 0
    assert "no docs page contains <!-- portplan:table -->" in done.stderr
    assert "index.md: unknown marker <!-- portplan:tabel -->; known: notices, table" in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost only)
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} not served at {url} within {seconds}s")


def test_serve_rebuilds_when_the_registry_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    commit_all(project, "Port plan from the seed")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.DEVNULL, stderr=sink)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_for(url, "Marketplace Web", 60)
        registry = project / "ports.yaml"
        good = registry.read_text("utf-8").replace(
            "    command: uvicorn mock_coordinator:app\n",
            "    command: uvicorn mock_coordinator:app\n    status: deprecated\n"
            "    deprecation:\n      note: Use the Wallet Daemon mock instead.\n"
            "      replaced_by: 8071\n")
        registry.write_text(good, encoding="utf-8")
        page = _wait_for(url, "Use the Wallet Daemon mock instead.", 60)
        assert "<del>" in page
        port_page = _wait_for(url + "ports/8090/", "pp-uncommitted", 10)
        assert "Deprecated <strong>Mock Coordinator API</strong>" in port_page
        # A broken edit is reported with its position; the server keeps running, and the
        # next good edit is served again.
        registry.write_text(good.replace("port: 8100", "port: 81000"), encoding="utf-8")
        problems = check_file(registry, display="ports.yaml").problems
        assert len(problems) == 1
        deadline = time.monotonic() + 60
        while ("error(s) in the registry" not in log.read_text("utf-8")
               and time.monotonic() < deadline):
            time.sleep(0.3)
        assert f"ERROR   -  portplan: {problems[0]}" in log.read_text("utf-8")
        registry.write_text(good.replace("Pool Hub API", "Pool Hub Service"), encoding="utf-8")
        _wait_for(url, "Pool Hub Service", 60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text("utf-8")


def test_the_docs_name_every_option() -> None:
    docs = (ROOT / "docs" / "site.md").read_text("utf-8")
    for name in OPTIONS:
        assert f"| `{name}` |" in docs, name
    assert "- Publishing the site: site.md" in (ROOT / "mkdocs.yml").read_text("utf-8")


def test_the_adapter_hands_mkdocs_settings_to_the_plan(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config_text = (ROOT / "mkdocs.yml").read_text("utf-8") + (
        "\nrepo_url: https://github.com/aitbc/ports\nsite_url: https://aitbc.example.org/ports/\n"
        "use_directory_urls: false\n")
    project = copy_project(tmp_path, mkdocs_yml=config_text)
    commit_all(project, "Seed")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = PortplanSite.from_config(load_config(str(project / "mkdocs.yml")))
    site.load()
    assert site.site.settings == SiteSettings(
        "AITBC devnet port plan", "https://aitbc.example.org/ports/",
        "https://github.com/aitbc/ports", directory_urls=False,
        edit_uri="edit/master/docs/")  # MkDocs' default for a GitHub repo_url
    assert len(site.site.registry.ports) == 12 and site.site.history.available


def test_a_docs_file_in_the_way_of_a_generated_one_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    (project / "docs" / "ports.json").write_text("{}\n", encoding="utf-8")
    done = build(project)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "docs/ports.json exists, but portplan generates that file; remove it" in done.stderr


def test_an_empty_registry_option_is_a_plugin_error() -> None:
    with pytest.raises(PluginError, match=r"extra\.portplan\.registry must be a file path"):
        options_from_extra({"portplan": {"registry": ""}})
    with pytest.raises(PluginError, match=r"extra\.portplan\.registry must be a file path"):
        options_from_extra({"portplan": {"registry": 3}})


def test_the_plan_is_kept_from_the_garbage_collector_only_while_mkdocs_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the seed")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    seen: list[tuple[bool, int]] = []
    real = PortplanSite.page_markdown

    def watching(self: PortplanSite, markdown: str, page: Page) -> str:
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        return real(self, markdown, page)

    monkeypatch.setattr(PortplanSite, "page_markdown", watching)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    # While MkDocs renders the pages, collection runs, without walking the plan again.
    assert seen and all(enabled and frozen > 0 for enabled, frozen in seen)
    assert gc.isenabled() and gc.get_freeze_count() == 0  # mkdocs serve builds again

    (project / "ports.yaml").write_text("ports: [\n", encoding="utf-8")
    with pytest.raises(Abort):
        mkdocs_build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    assert "YAML syntax error" in caplog.text
    caplog.clear()
    assert gc.isenabled() and gc.get_freeze_count() == 0
