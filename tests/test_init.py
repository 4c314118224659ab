"""`portplan init` in a fresh repository, then real `mkdocs build --strict` runs.

The build uses nothing but the installed package: the starter mkdocs.yml enables the
``portplan`` plugin (an entry point of the package), and no file of this repository is copied.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import git, init_repo
from portplan import __version__
from portplan.adopt.starter import docs_url, reference_text
from portplan.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).parent / "fixtures" / "import" / "seed.md"
WRITTEN = ["ports.yaml", "schema/ports.schema.json", "mkdocs.yml", "docs/index.md",
           ".github/workflows/pages.yml", ".github/workflows/pr.yml", ".pre-commit-config.yaml",
           ".gitignore"]


def build(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=repo,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.fixture(scope="module")
def adopted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A team repository with its Markdown plan, imported, then set up by init, committed."""
    repo = init_repo(tmp_path_factory.mktemp("team") / "repo")
    (repo / "docs").mkdir()
    (repo / "docs" / "ports.md").write_bytes(SEED.read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "The port plan, as we kept it")
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        assert main(["import", "docs/ports.md", "--output", "ports.yaml"]) == 0
        assert main(["init", "--title", "Payments port plan"]) == 0
    finally:
        os.chdir(cwd)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Adopt portplan")
    return repo


def test_init_writes_the_starter_files_and_what_to_do_next(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = init_repo(tmp_path / "repo")
    assert main(["init", "--title", "Payments & <Billing> port plan", "-C", str(repo)]) == 0
    out = capsys.readouterr().out
    assert [line.split(":")[0].removeprefix("wrote ") for line in out.splitlines()
            if line.startswith("wrote ")] == WRITTEN
    assert "next:\n  1. list your ports in ports.yaml, or import your Markdown plan" in out
    for name in WRITTEN:
        text = (repo / name).read_text("utf-8")
        assert "AITBC" not in text and "devnet" not in text.lower(), name
        assert "$title" not in text and "$docs" not in text and "$version" not in text, name
    config = yaml.safe_load((repo / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == "Payments & <Billing> port plan"
    assert config["plugins"] == ["search", "portplan"] and "hooks" not in config
    page = (repo / "docs" / "index.md").read_text("utf-8")
    assert "# Payments &amp; &lt;Billing&gt; port plan\n" in page
    # No published docs URL in the package metadata: the page names where the reference is,
    # and never links to a made-up address.
    assert docs_url() is None
    assert "`docs/registry-format.md` (the registry format)" in page and "OWNER" not in page
    assert reference_text("https://docs.example/portplan") == \
        "portplan's own documentation explains the tools behind this page: [the registry " \
        "format](https://docs.example/portplan/registry-format.md), [proposing a change]" \
        "(https://docs.example/portplan/proposing-changes.md), [how the history is read]" \
        "(https://docs.example/portplan/history.md), [publishing the site]" \
        "(https://docs.example/portplan/site.md), [holding the plan against the code]" \
        "(https://docs.example/portplan/scan.md)."
    assert sorted(p.name for p in (repo / "docs").iterdir()) == ["index.md"]
    # The modeline names a schema that init wrote, the same as portplan's own.
    assert (repo / "ports.yaml").read_text("utf-8").startswith(
        "# yaml-language-server: $schema=schema/ports.schema.json\n")
    assert (repo / "schema" / "ports.schema.json").read_bytes() == \
        (ROOT / "schema" / "ports.schema.json").read_bytes()
    assert main(["check", "--registry", str(repo / "ports.yaml")]) == 0
    workflow = yaml.safe_load((repo / ".github/workflows/pr.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["registry"]["steps"]]
    assert f'pip install "portplan=={__version__}"' in steps
    assert 'portplan check --base "$BASE" --format github' in steps
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text("utf-8"))
    assert [(h["id"], h["entry"]) for h in hooks["repos"][0]["hooks"]] == [
        ("portplan-check", "portplan check"), ("portplan-scan", "portplan scan")]
    assert hooks["repos"][0]["hooks"][1]["always_run"] is True
    assert (repo / ".gitignore").read_text("utf-8").splitlines()[-3:] == [
        "/site/", "/build/", "/mkdocs.portplan.yml"]


def test_a_fresh_init_builds_strict_with_the_installed_plugin(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    assert main(["init", "--title", "Edge team ports", "-C", str(repo)]) == 0
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "portplan init")
    done = build(repo)
    assert done.returncode == 0, done.stderr
    html = (repo / "site" / "index.html").read_text("utf-8")
    assert "<title>Edge team ports</title>" in html and "AITBC" not in html
    assert 'id="pp-ports"' in html and "built without portplan" not in html
    assert (repo / "site" / "ports.json").is_file()
    assert (repo / "site" / "changes.xml").is_file()


def test_a_second_run_overwrites_nothing_and_says_what_exists(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--title", "One", "-C", str(tmp_path)]) == 0
    (tmp_path / "docs" / "index.md").write_text("# Ours\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").unlink()
    capsys.readouterr()
    assert main(["init", "--title", "Two", "-C", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "wrote mkdocs.yml: the site, with the portplan plugin\n" in out
    assert "exists, left as it is: docs/index.md\n" in out
    assert (tmp_path / "docs" / "index.md").read_text("utf-8") == "# Ours\n"
    assert "site_name: Two\n" in (tmp_path / "mkdocs.yml").read_text("utf-8")
    assert main(["init", "--title", "Three", "-C", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("exists, left as it is: ") == len(WRITTEN)
    assert out.endswith("nothing to write: every file portplan init writes exists already\n")


def test_without_a_title_and_a_terminal_init_asks_for_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "-C", str(tmp_path)]) == 2
    assert "give the site's title with --title" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_an_imported_plan_keeps_its_ports_and_builds_strict(adopted: Path) -> None:
    assert "imported_from: docs/ports.md\n" in (adopted / "ports.yaml").read_text("utf-8")
    done = build(adopted)
    assert done.returncode == 0, done.stderr
    html = (adopted / "site" / "index.html").read_text("utf-8")
    assert "Mock Coordinator API" in html and "Miner Node" in html
    assert (adopted / "site" / "ports" / "8090" / "index.html").is_file()
    # docs/ports.md, the plan it came from, would be ports/ too: the generated page has it,
    # and the build says so instead of keeping one of the two without a word.
    assert "docs/ports.md is the Markdown plan the registry was imported from; the generated " \
        "docs/ports/index.md takes its page, so it is left out of the site" in done.stderr
    assert '<h1 id="all-ports">All ports' in \
        (adopted / "site" / "ports" / "index.html").read_text("utf-8")


def test_site_generate_leaves_the_imported_plan_out_and_stops_on_other_clashes(
        adopted: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(adopted)
    assert main(["site", "generate", "--strict"]) == 0
    staged = adopted / "build" / "portplan" / "docs"
    assert (staged / "ports" / "index.md").is_file() and not (staged / "ports.md").exists()
    assert "portplan: docs/ports.md is the Markdown plan the registry was imported from" in \
        capsys.readouterr().err
    (adopted / "docs" / "changes").mkdir()
    (adopted / "docs" / "changes" / "index.md").write_text("# Our changes\n", encoding="utf-8")
    try:
        assert main(["site", "generate"]) == 2
        assert capsys.readouterr().err == (
            "portplan: error: docs/changes/index.md and the page portplan generates, "
            "docs/changes.md, would both be the page changes/; rename docs/changes/index.md "
            "(git mv) or remove it\n")
        done = build(adopted)  # the same rule in the MkDocs build
        assert done.returncode == 1
        assert "docs/changes/index.md and the page portplan generates, docs/changes.md, " \
            "would both be the page changes/" in done.stderr and "Traceback" not in done.stderr
    finally:
        (adopted / "docs" / "changes" / "index.md").unlink()
        (adopted / "docs" / "changes").rmdir()


def test_an_existing_pre_commit_config_gets_the_entry_to_add(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos: []\n", encoding="utf-8")
    assert main(["init", "--title", "T", "-C", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "exists, left as it is: .pre-commit-config.yaml\n" \
        "  it has no portplan-check, portplan-scan; add this to it by hand:\n" in out
    assert "        entry: portplan check\n" in out
    assert config.read_text("utf-8") == "repos: []\n"


def test_an_existing_gitignore_is_told_what_it_lacks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".gitignore").write_text("/site/\n", encoding="utf-8")
    assert main(["init", "--title", "T", "-C", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "exists, left as it is: .gitignore\n" \
        "  it has no /build/, /mkdocs.portplan.yml; add this to it by hand:\n" in out
    assert (tmp_path / ".gitignore").read_text("utf-8") == "/site/\n"


def test_zensical_on_the_starter_config_says_how_to_generate(tmp_path: Path) -> None:
    """Zensical runs no plugin: the starter page says so rather than show an empty plan."""
    repo = init_repo(tmp_path / "repo")
    assert main(["init", "--title", "Edge team ports", "-C", str(repo)]) == 0
    done = subprocess.run([str(Path(sys.executable).with_name("zensical")), "build", "-f",
                           "mkdocs.yml"], cwd=repo, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    html = (repo / "site" / "index.html").read_text("utf-8")
    assert 'id="pp-ports"' not in html
    assert "The port table is missing: this site was built without portplan" in html
    assert "portplan site generate &amp;&amp; zensical build -f mkdocs.portplan.yml" in html
    assert main(["site", "generate", "--strict", "--config", str(repo / "mkdocs.yml")]) == 0
    done = subprocess.run([str(Path(sys.executable).with_name("zensical")), "build", "-f",
                           "mkdocs.portplan.yml"], cwd=repo, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    html = (repo / "site" / "index.html").read_text("utf-8")
    assert 'id="pp-ports"' in html and "built without portplan" not in html
