"""Support for the site tests (no tests here): project copies, real `mkdocs build`, HTML.

Repositories are made with :mod:`gitrepo`, as for every other test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(dest: Path, *, ports_yaml: str | None = None,
                 mkdocs_yml: str | None = None) -> Path:
    """The bundled site project (mkdocs.yml, hooks/, docs/, ports.yaml), optionally altered."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", dest / "docs")
    (dest / "mkdocs.yml").write_text(
        mkdocs_yml if mkdocs_yml is not None else (ROOT / "mkdocs.yml").read_text("utf-8"),
        encoding="utf-8")
    (dest / "ports.yaml").write_text(
        ports_yaml if ports_yaml is not None else (ROOT / "ports.yaml").read_text("utf-8"),
        encoding="utf-8")
    return dest


def build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` in a subprocess, as a user runs it; never raises on failure."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site", *extra],
                          cwd=project, env=env, capture_output=True, text=True, check=False,
                          timeout=300)


class Html(HTMLParser):
    """Every element of a page with its attributes and the text inside it."""

    VOID = frozenset({"br", "wbr", "input", "meta", "link", "img", "hr", "source"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.found: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.feed(text)

    @classmethod
    def of(cls, path: Path) -> Html:
        return cls(path.read_text("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        texts: list[str] = []
        self.found.append((tag, dict(attrs), texts))
        if tag not in self.VOID:
            self.open.append((tag, texts))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data: str) -> None:
        for _, texts in self.open:
            texts.append(data)

    def all(self, tag: str, **attrs: str) -> list[tuple[dict[str, str | None], str]]:
        """Elements by tag whose attributes contain the given values (class: one of the words)."""
        out = []
        for g, a, t in self.found:
            if g != tag:
                continue
            if all((v in (a.get("class") or "").split()) if k == "class_" else a.get(k) == v
                   for k, v in attrs.items()):
                out.append((a, "".join(t)))
        return out

    def text(self) -> str:
        return " ".join("".join(t) for g, _, t in self.found if g == "html")


def rows(page: Html) -> dict[str, dict[str, str]]:
    """The port table: port -> column -> cell text."""
    out: dict[str, dict[str, str]] = {}
    for attrs, _ in page.all("tr"):
        port = attrs.get("data-port")
        if port:
            out[port] = {}
    current = None
    for tag, attrs, texts in page.found:
        if tag == "tr":
            current = attrs.get("data-port")
        elif tag == "td" and current and attrs.get("data-pp-col"):
            out[current][str(attrs["data-pp-col"])] = " ".join("".join(texts).split())
    return out
