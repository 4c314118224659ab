"""The registry's whole history, newest first, one section per commit or PR, in pages.

The first page (``changes/``) holds the newest commits and is in the nav; older ones follow
at ``changes/page/2/`` and on, kept out of the nav and out of search, each linked from the
others. A registry with 10,000 commits would otherwise make one page of several megabytes.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from portplan.history.cycles import Rings, find_rings
from portplan.history.model import Commit, PortEvent
from portplan.site.dates import time_element
from portplan.site.event_text import commit_ref, describe
from portplan.site.history_view import HistoryView, group_by_commit
from portplan.site.parts import PageParts, Part
from portplan.site.sections import render_notices
from portplan.site.urls import CHANGES_FEED, SiteLinks, changes_page_src

CHANGES_PER_PAGE = 100  # commits (or PRs) per page; about 80 KB of HTML

Group = tuple[Commit, list[PortEvent]]


def commit_heading(commit: Commit) -> str:
    """The pull request's title where the merge message has it, else the commit's subject."""
    if commit.uncommitted:
        return "Uncommitted changes in the working tree"
    return html.escape(commit.headline)


def _section(commit: Commit, events: Sequence[PortEvent], links: SiteLinks,
             rings: Rings) -> str:
    items = "".join(f'<li class="pp-event pp-event-{e.kind.value}">'
                    f"{describe(e, links, rings.of(e))}</li>" for e in events)
    return (f'<section class="pp-change">'
            f'<h3 class="pp-change-title">{commit_heading(commit)}</h3>'
            f'<p class="pp-change-meta">{time_element(commit.date)} · '
            f"{html.escape(commit.author)} · {commit_ref(commit, links)}</p>"
            f'<ul class="pp-change-events">{items}</ul></section>')


def _pager(number: int, total: int, links: SiteLinks, *, numbers: bool = True) -> str:
    """Newer / older links and (``numbers``) every page number, the current one marked."""
    def href(n: int) -> str:
        return html.escape(links.page(changes_page_src(n)))
    items = "".join(
        f'<li><a href="{href(n)}" aria-current="page">{n}</a></li>' if n == number else
        f'<li><a href="{href(n)}">{n}</a></li>' for n in range(1, total + 1)) if numbers else ""
    newer = (f'<a class="pp-newer" href="{href(number - 1)}">← Newer changes</a>'
             if number > 1 else "")
    older = (f'<a class="pp-older" href="{href(number + 1)}">Older changes →</a>'
             if number < total else "")
    return (f'<nav class="pp-pager" aria-label="Pages of changes">{newer} '
            f'<span>Page {number} of {total}</span> {older}'
            + (f'<ol class="pp-pages">{items}</ol>' if items else "") + "</nav>")


def changes_pages(history: HistoryView, links_for: Callable[[str], SiteLinks], *,
                  per_page: int | None = CHANGES_PER_PAGE,
                  title: str = "Changes") -> list[tuple[str, PageParts]]:
    """Every page of changes as ``(source path, parts)``, newest first.

    ``links_for(src)`` gives the links as seen from that page; ``per_page=None`` puts every
    commit on one page.
    """
    groups = group_by_commit(history.events)
    rings = find_rings(history.events)
    size = per_page or max(len(groups), 1)
    chunks = [groups[i:i + size] for i in range(0, len(groups), size)] or [[]]
    total = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        src = changes_page_src(number)
        links = links_for(src)
        feed = (f'<p class="pp-feed">Every change to the port plan, newest first. '
                f'Subscribe: <a href="{html.escape(links.file(CHANGES_FEED))}" '
                f'type="application/atom+xml">Atom feed</a>.</p>')
        notices = render_notices(history)
        pager = _pager(number, total, links) if total > 1 else ""
        bottom = _pager(number, total, links, numbers=False) if total > 1 else ""
        body = "\n".join(_section(c, evs, links, rings) for c, evs in chunk) if chunk else \
            "<p>No changes recorded.</p>"
        if number == 1:
            head = [Part.markdown(f"# {title}"), Part.html(feed + notices)]
        else:
            # Older pages stay out of search: the first page is the way in.
            head = [Part.markdown(f"---\nsearch:\n  exclude: true\n---\n\n"
                                  f"# {title}, page {number} of {total}"),
                    Part.unindexed(feed + notices)]
        pages.append((src, PageParts.of([*head, Part.unindexed(pager),
                                         Part.unindexed(body), Part.unindexed(bottom)])))
    return pages


def render_changes_page(history: HistoryView, links: SiteLinks, title: str = "Changes") -> str:
    """The whole history as one page of Markdown (tests, other generators)."""
    return changes_pages(history, lambda _: links, per_page=None, title=title)[0][1].markdown()
