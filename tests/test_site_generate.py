"""`portplan site generate`: the staged docs and config for an engine without hooks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import markdown
import pytest
import yaml

from gitrepo import commit_all
from portplan.cli import main
from portplan.site.engine_config import read_config
from portplan.site.options import Options, SiteSettings
from portplan.site.parts import PageParts, PartKind
from portplan.site.plan import Site, generated_files, marker_parts
from portplan.site.source import read_source
from portplan.site.staging import as_block, docs_files, staged_docs
from test_site_support import ROOT, copy_project

HOSTILE = """\
version: 1
ports:
  - port: 8090
    service: "Mock *not em* <b>x</b>"
    description: |
      First line.
      ```
      --8<-- "secret.txt"
      ```
          indented <script>alert(1)</script>
    deprecation:
      note: "Moved.\\n--8<-- \\"secret.txt\\""
      replaced_by: 8020
    status: deprecated
  - port: 8020
    service: Mock Services
    description: "[runbook](https://wiki.example.org/mock)\\n~~~\\nnot code"
"""
EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition", "def_list",
              "pymdownx.superfences", "pymdownx.snippets", "pymdownx.details"]


def test_staged_html_reaches_the_page_as_it_was_made(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # No Markdown preprocessor (fenced code, snippets) may read registry text in the HTML.
    project = copy_project(tmp_path / "p", ports_yaml=HOSTILE)
    commit_all(project, "Hostile text")
    (project / "secret.txt").write_text("SECRET-FILE-CONTENT\n", "utf-8")
    monkeypatch.chdir(project)  # where pymdownx.snippets looks
    source = read_source(project, Options())
    site = Site.of(source.registry, source.history, Options(),
                   SiteSettings(links_from_source=True))
    files, warnings, _ = staged_docs(site, docs_files(project / "docs"))
    assert warnings == []
    parts = [(f.src, p) for f in generated_files(site) if isinstance(f.content, PageParts)
             for p in f.content.parts if p.kind is not PartKind.MARKDOWN]
    parts += [("index.md", make()) for make in marker_parts(site, "").values()]
    assert any("\n" in p.text and "```" in p.text for _, p in parts)  # the attack is there
    for src, part in parts:
        html = markdown.markdown(str(files[src]), extensions=EXTENSIONS)
        assert as_block(part.text) in html, (src, part.text[:80])
        assert "SECRET-FILE-CONTENT" not in html and "<script>alert" not in html


def test_as_block_keeps_the_text() -> None:
    made = '<p title="a\nb">x\n```\ny</p>\n<p>z</p>'
    block = as_block(made)
    assert all(line.startswith("<") for line in block.splitlines())
    assert block.replace("&#10;", "\n") == made


CONFIG = """\
site_name: Tags kept
docs_dir: docs
theme:
  name: material
hooks:
  - hooks/portplan_hook.py
extra_css:
  - extra.css
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
  portplan:
    registry: ports.yaml
"""


def test_the_staged_config_keeps_the_users_lines_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(CONFIG, "utf-8")
    config = read_config(path)
    assert config.docs_dir == tmp_path / "docs" and config.settings().site_name == "Tags kept"
    staged = config.staged("build/portplan/docs", ("a.css",), ("a.js",))
    assert "!!python/name:material.extensions.emoji.twemoji" in staged
    assert "!ENV [ANALYTICS_KEY, none]" in staged
    assert "hooks" not in staged.replace("no hooks", "")
    values = read_config_text(tmp_path, staged)
    assert values["docs_dir"] == "build/portplan/docs"
    assert values["extra_css"] == ["extra.css", "a.css"]
    assert values["extra_javascript"] == ["a.js"]
    assert values["theme"] == {"name": "material"}
    assert values["extra"]["portplan"] == {"registry": "ports.yaml"}


def read_config_text(folder: Path, text: str) -> dict[str, object]:
    path = folder / "staged.yml"
    path.write_text(text, "utf-8")
    return read_config(path).values


def test_a_broken_config_is_named_with_its_position(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nnav: [unclosed\n", "utf-8")
    assert main(["site", "generate", "--config", str(tmp_path / "mkdocs.yml")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'mkdocs.yml'}:3:1: not valid YAML" in err and "Traceback" not in err
    assert main(["site", "generate", "--config", str(tmp_path / "nowhere.yml")]) == 2
    assert "the site config does not exist" in capsys.readouterr().err


def test_registry_errors_are_reported_like_check(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path, ports_yaml="version: 1\nports:\n  - port: 70000\n")
    assert main(["site", "generate", "--config", str(project / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "ports.yaml:3:" in err and "error(s) in the registry" in err
    assert not (project / "build").exists()


def test_a_docs_file_in_the_way_and_bad_options_fail(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    (project / "docs" / "ports.json").write_text("{}", "utf-8")
    assert main(["site", "generate", "--config", str(project / "mkdocs.yml")]) == 2
    assert "docs/ports.json exists, but portplan generates that file" in capsys.readouterr().err
    (project / "docs" / "ports.json").unlink()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "    registry: ports.yaml\n", "    registry: ports.yaml\n    feed_limit: 0\n"), "utf-8")
    assert main(["site", "generate", "--config", str(config)]) == 2
    assert "extra.portplan.feed_limit must be a positive integer" in capsys.readouterr().err


def test_without_git_it_warns_and_strict_fails(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    config = str(project / "mkdocs.yml")
    assert main(["site", "generate", "--config", config]) == 0
    assert "portplan: warning: history is unavailable" in capsys.readouterr().err
    assert main(["site", "generate", "--strict", "--config", config]) == 1
    err = capsys.readouterr().err
    assert re.search(r"portplan: 0 of \d+ files changed in build/portplan/docs", err)  # same
    assert (project / "mkdocs.portplan.yml").is_file()


def test_stale_staged_files_are_removed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    config = str(project / "mkdocs.yml")
    registry = project / "ports.yaml"
    seed = registry.read_text("utf-8")
    registry.write_text(seed.replace("  - port: 8100\n",
                                     "  - port: 8095\n    service: Temp\n  - port: 8100\n"),
                        "utf-8")
    assert main(["site", "generate", "--config", config]) == 0
    staged = project / "build" / "portplan" / "docs"
    assert (staged / "ports" / "8095" / "index.md").is_file()
    registry.write_text(seed, "utf-8")  # never committed: no page left
    assert main(["site", "generate", "--config", config]) == 0
    assert not (staged / "ports" / "8095").exists()
    assert (staged / "ports" / "8090" / "index.md").is_file()


def test_watch_regenerates_when_the_registry_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    log = tmp_path / "watch.log"
    with log.open("w", encoding="utf-8") as sink:
        watcher = subprocess.Popen([sys.executable, "-m", "portplan", "site", "generate",
                                    "--watch"], cwd=project, stdout=sink, stderr=sink,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    ports_json = project / "build" / "portplan" / "docs" / "ports.json"
    try:
        wait_for(lambda: ports_json.is_file() and "Pool Hub API" in ports_json.read_text("utf-8"))
        registry = project / "ports.yaml"
        registry.write_text(registry.read_text("utf-8").replace("Pool Hub API", "Pool Hub X"),
                            "utf-8")
        wait_for(lambda: "Pool Hub X" in ports_json.read_text("utf-8"))
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    assert "Traceback" not in log.read_text("utf-8")


def wait_for(condition: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError("the staged docs did not change")


def test_the_core_loads_no_site_engine() -> None:
    code = ("import sys, portplan.cli, portplan.site.plan, portplan.site.staging, "
            "portplan.site.engine_config, portplan.history, portplan.registry.load\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'mkdocs', 'properdocs', 'zensical', 'material'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"


def test_the_staged_config_parses_as_yaml(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    commit_all(project, "Seed")
    assert main(["site", "generate", "--config", str(project / "mkdocs.yml")]) == 0
    node = yaml.compose((project / "mkdocs.portplan.yml").read_text("utf-8"))
    keys = [k.value for k, _ in node.value]
    assert keys.count("docs_dir") == 1 and "hooks" not in keys
