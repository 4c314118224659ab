"""A docs page that builds to the URL of a page portplan generates (docs/site.md).

With directory URLs, ``docs/ports.md`` and the generated ``ports/index.md`` are both
``ports/``: MkDocs keeps one of them without a word, Zensical stops with a traceback. The
Markdown plan that ``ports.yaml`` was imported from (``imported_from``, docs/adopting.md) is
superseded by the registry, so it is left out of the site, with a line that says so; any
other such page is an error that says what to rename.

>>> from pathlib import Path
>>> shadows = Shadows.of({"ports.md": Path("/r/docs/ports.md")}, Path("/r/docs/ports.md"))
>>> shadows.left_out("ports/index.md")
'ports.md'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from portplan.model import Registry
from portplan.site.source import SiteError
from portplan.site.urls import page_url


def imported_plan(registry_path: Path, registry: Registry) -> Path | None:
    """The Markdown plan the registry was imported from, when it names one."""
    if not registry.imported_from:
        return None
    return registry_path.parent / registry.imported_from


@dataclass(frozen=True)
class Shadows:
    urls: Mapping[str, str]  # the URL of each docs page -> its path in docs/
    plan: str | None  # the imported plan's path in docs/, when it is there
    directory_urls: bool = True

    @classmethod
    def of(cls, docs: Mapping[str, Path], plan: Path | None, *,
           directory_urls: bool = True) -> Shadows:
        pages = {src: path for src, path in docs.items() if src.endswith(".md")}
        wanted = plan.resolve() if plan is not None else None
        mine = next((src for src, path in pages.items() if path.resolve() == wanted), None)
        return cls({page_url(src, directory_urls=directory_urls): src for src in pages}, mine,
                   directory_urls)

    def left_out(self, generated: str) -> str | None:
        """The docs page that the generated page ``generated`` replaces: the imported plan.

        Raises SiteError when another docs page has the generated page's URL.
        """
        if not generated.endswith(".md"):
            return None
        url = page_url(generated, directory_urls=self.directory_urls)
        theirs = self.urls.get(url)
        if theirs is None or theirs == generated:  # the same file: a clash of its own
            return None
        if theirs == self.plan:
            return theirs
        raise SiteError(f"docs/{theirs} and the page portplan generates, docs/{generated}, "
                        f"would both be the page {url}; rename docs/{theirs} (git mv) or "
                        "remove it")

    @staticmethod
    def message(plan: str, generated: str) -> str:
        return (f"docs/{plan} is the Markdown plan the registry was imported from; the "
                f"generated docs/{generated} takes its page, so it is left out of the site "
                "(the history reads its versions from git; remove it when you like)")
