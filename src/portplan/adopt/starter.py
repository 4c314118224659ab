"""The files `portplan init` writes into a repository that has no registry yet.

A pure plan: paths and texts from the templates shipped in the package; the command writes
them, and never over a file that exists (docs/adopting.md).

>>> [f.path for f in starter_files("Payments port plan")][:3]
['ports.yaml', 'schema/ports.schema.json', 'mkdocs.yml']
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import metadata, resources
from string import Template

from portplan import __version__
from portplan.registry.scalar import yaml_scalar

# The reference pages, named as the starter page lists them: portplan's own docs, not a copy.
REFERENCE = (("the registry format", "registry-format.md"),
             ("proposing a change", "proposing-changes.md"),
             ("how the history is read", "history.md"), ("publishing the site", "site.md"),
             ("holding the plan against the code", "scan.md"))


@dataclass(frozen=True)
class StarterFile:
    path: str  # relative to the repository root, '/'-separated
    text: str
    purpose: str  # what it is for, as `init` prints it
    # When the file exists without one of these texts, `init` prints the file's text to add
    # by hand.
    needs: tuple[str, ...] = ()


def docs_url() -> str | None:
    """portplan's documentation, from the package's ``Documentation`` project URL, if any."""
    try:
        urls = metadata.metadata("portplan").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        urls = []
    for url in urls:
        label, _, where = str(url).partition(",")
        if label.strip().lower() == "documentation" and where.strip():
            return where.strip().rstrip("/")
    return None


def reference_text(docs: str | None) -> str:
    """The starter page's pointer to portplan's reference pages: links when the package names
    where its docs are published, else where they are and how to ask the command itself."""
    if docs is None:
        names = ", ".join(f"`docs/{page}` ({name})" for name, page in REFERENCE)
        return ("portplan's own reference pages come with its source, in its `docs/` folder: "
                f"{names}. Each command also explains itself: `portplan --help`, "
                "`portplan scan --help`, ...")
    links = ", ".join(f"[{name}]({docs}/{page})" for name, page in REFERENCE)
    return f"portplan's own documentation explains the tools behind this page: {links}."


def _template(name: str) -> str:
    return str(resources.files("portplan.adopt").joinpath("templates", name)
               .read_text("utf-8"))


def starter_files(title: str) -> list[StarterFile]:
    docs = docs_url()
    words = {"title": title, "version": __version__, "site_name": yaml_scalar(title),
             "reference": reference_text(docs),
             "format": f"{docs}/registry-format.md" if docs else
             "docs/registry-format.md in portplan's source; schema/ports.schema.json"}
    page_words = {**words, "title": html.escape(title, quote=False)}

    def fill(name: str, values: dict[str, str] = words) -> str:
        return Template(_template(name)).safe_substitute(values)

    return [
        StarterFile("ports.yaml", fill("ports.yaml"), "the registry (empty; or portplan import)"),
        StarterFile("schema/ports.schema.json", _template("ports.schema.json"),
                    "the JSON schema the modeline in ports.yaml names, for editors"),
        StarterFile("mkdocs.yml", fill("mkdocs.yml"), "the site, with the portplan plugin"),
        StarterFile("docs/index.md", fill("index.md", page_words), "the site's front page"),
        StarterFile(".github/workflows/pages.yml", fill("pages.yml"),
                    "publishes the site on every push to main"),
        StarterFile(".github/workflows/pr.yml", fill("pr.yml"),
                    "checks and summarises each pull request"),
        StarterFile(".pre-commit-config.yaml", _template("pre-commit-config.yaml"),
                    "runs portplan check and portplan scan before each commit",
                    needs=("portplan-check", "portplan-scan")),
        StarterFile(".gitignore", _template("gitignore"),
                    "keeps the built site and the staged Zensical docs out of git",
                    needs=("/site/", "/build/", "/mkdocs.portplan.yml")),
    ]
