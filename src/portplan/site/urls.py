"""Where things live on the site, and where commits and pull requests live on the forge."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from portplan.history.model import Commit
from portplan.model import PortSpan

PORTS_INDEX = "ports/index.md"
CHANGES_PAGE = "changes.md"
PORTS_JSON = "ports.json"
CHANGES_FEED = "changes.xml"


def changes_page_src(number: int) -> str:
    """Page ``number`` of the changes: ``changes.md``, then ``changes/page/2/index.md``..."""
    return CHANGES_PAGE if number == 1 else f"changes/page/{number}/index.md"


def port_page_src(span: PortSpan) -> str:
    """The generated Markdown source of a port's page: ``ports/8090/index.md``."""
    return f"ports/{span.slug}/index.md"


def page_url(src_uri: str, *, directory_urls: bool = True) -> str:
    """The site URL of a Markdown source, as MkDocs computes it (relative to the site root).

    >>> page_url("ports/8090/index.md"), page_url("changes.md", directory_urls=False)
    ('ports/8090/', 'changes.html')
    """
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        folder = stem.removesuffix("index")
        return folder if directory_urls else folder + "index.html"
    return stem + "/" if directory_urls else stem + ".html"


@dataclass(frozen=True)
class SiteLinks:
    """Links from one page: ``root`` is the relative way back to the site root (``../../``).

    ``repo_url`` (MkDocs' own setting) turns commits and PRs into links; without it, none.
    ``pages`` are the ports and blocks that have a page, when known: a port inside a block then
    links to the block's page.
    """

    root: str = ""
    directory_urls: bool = True
    repo_url: str | None = None
    pages: frozenset[PortSpan] | None = None

    @classmethod
    def for_page(cls, url: str, *, directory_urls: bool = True, repo_url: str | None = None,
                 pages: frozenset[PortSpan] | None = None) -> SiteLinks:
        """Links as seen from the page whose site URL is ``url`` (``""``, ``ports/8090/``)."""
        return cls("../" * url.count("/"), directory_urls, repo_url, pages)

    def page(self, src_uri: str) -> str:
        return self.root + page_url(src_uri, directory_urls=self.directory_urls) or "./"

    def port(self, span: PortSpan) -> str:
        if self.pages is not None and span not in self.pages:
            # e.g. replaced_by 8025, held by the block 8020-8029: that block's page
            span = min((p for p in self.pages if p.contains(span)), key=len, default=span)
        return self.page(port_page_src(span))

    def file(self, path: str) -> str:
        return self.root + path

    def commit(self, commit: Commit) -> str | None:
        """The PR when the commit names one, else the commit; None without repo_url."""
        if not self.repo_url or commit.uncommitted or not commit.sha:
            return None
        base = self.repo_url.rstrip("/")
        # GitLab spells both paths differently; GitHub's form also serves Gitea and Forgejo.
        gitlab = "gitlab" in urlsplit(base).netloc
        if commit.pr is not None:
            return f"{base}/-/merge_requests/{commit.pr}" if gitlab else f"{base}/pull/{commit.pr}"
        return f"{base}/-/commit/{commit.sha}" if gitlab else f"{base}/commit/{commit.sha}"
