"""The site's mkdocs.yml as an engine without hooks needs it: read, and staged.

``portplan site generate`` reads the few settings the generated files depend on, and writes a
copy of the config that points at the staged docs (docs/site.md, "Other engines"). The copy
keeps every other line as the user wrote it, tags (``!ENV``, ``!!python/name:``) included:
the lines to replace are found through the YAML parser's node positions, not by pattern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portplan.problems import PortplanError
from portplan.site.options import SiteSettings

# What the staged config sets itself; the user's lines for these keys are left out.
STAGED_KEYS = ("docs_dir", "hooks", "extra_css", "extra_javascript")


class _Lenient(yaml.SafeLoader):
    """Reads any tag as None: portplan needs none of the values that carry one."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class EngineConfig:
    path: Path
    text: str
    values: dict[str, Any]

    @property
    def root(self) -> Path:
        return self.path.resolve().parent

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.values.get("docs_dir") or "docs")

    @property
    def extra(self) -> Any:
        return self.values.get("extra") or {}

    def settings(self) -> SiteSettings:
        v = self.values
        return SiteSettings(str(v.get("site_name") or ""), v.get("site_url") or None,
                            v.get("repo_url") or None,
                            directory_urls=v.get("use_directory_urls", True) is not False)

    def staged(self, docs_dir: str, stylesheets: tuple[str, ...], scripts: tuple[str, ...]) -> str:
        """This config with ``docs_dir`` the staged docs, the assets loaded and no hooks."""
        kept = self.text
        for start, end in reversed(_spans(self.text, STAGED_KEYS)):
            kept = kept[:start] + kept[end:]
        css = [*(self.values.get("extra_css") or []), *stylesheets]
        js = [*(self.values.get("extra_javascript") or []), *scripts]
        return (f"# Written by `portplan site generate` from {self.path.name}: edit that file.\n"
                f"{kept.rstrip()}\n\n"
                "# Set by portplan: the staged docs with the generated pages, no hooks needed.\n"
                f"docs_dir: {json.dumps(docs_dir)}\n"
                f"extra_css: {json.dumps(css)}\nextra_javascript: {json.dumps(js)}\n")


def read_config(path: Path) -> EngineConfig:
    """The config at ``path``; a clear error if it is missing or not YAML."""
    if not path.is_file():
        raise PortplanError(f"{path}: the site config does not exist; pass --config FILE")
    text = path.read_text("utf-8")
    try:
        values = yaml.load(text, Loader=_Lenient)  # noqa: S506 (a SafeLoader: tags read as None)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise PortplanError(f"{path}{where}: not valid YAML "
                            f"({getattr(exc, 'problem', exc)}); fix the config") from None
    if not isinstance(values, dict):
        raise PortplanError(f"{path}: the site config must be a mapping of settings")
    return EngineConfig(path, text, values)


def _spans(text: str, keys: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each top-level ``key: value`` of ``keys`` is in ``text`` (whole lines)."""
    root = yaml.compose(text, Loader=_Lenient)  # composes nodes, constructs nothing
    spans = []
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value not in keys:
            continue
        end = value.end_mark.index
        if value.end_mark.column != 0:  # a block collection ends at the next line's start
            newline = text.find("\n", end)
            end = len(text) if newline < 0 else newline + 1
        spans.append((key.start_mark.index - key.start_mark.column, end))
    return spans
