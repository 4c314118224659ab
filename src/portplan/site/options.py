"""What a site build is asked for: portplan's options and the engine's own settings.

Both are plain data, free of any site engine: the MkDocs adapter validates ``extra: portplan:``
and fills these in (see docs/site.md for each option).
"""

from __future__ import annotations

from dataclasses import dataclass

from portplan.site.changes_page import CHANGES_PER_PAGE

OPTIONS = ("registry", "columns", "feed_limit", "changes_per_page", "scan")


@dataclass(frozen=True)
class Options:
    """``extra: portplan:`` in mkdocs.yml."""

    registry: str = "ports.yaml"  # relative to mkdocs.yml
    columns: tuple[str, ...] | None = None  # None: the default columns
    feed_limit: int = 100  # entries in the Atom feed
    changes_per_page: int = CHANGES_PER_PAGE  # commits per page of changes/
    scan: bool = True  # hold the registry against the code (docs/scan.md) and show where


@dataclass(frozen=True)
class SiteSettings:
    """The engine's settings that the generated files depend on (MkDocs' names in comments)."""

    site_name: str = ""  # site_name
    site_url: str | None = None  # site_url
    repo_url: str | None = None  # repo_url: commits and pull requests become links
    directory_urls: bool = True  # use_directory_urls
    # Zensical reads a relative link in a page's HTML from the page's source file (as MkDocs
    # does a Markdown link), not from the page's URL: changes.md links as if from the root.
    links_from_source: bool = False
