"""The registry's whole history, newest first, one section per commit or PR, in pages.

The first page (``changes/``) holds the newest commits and is in the nav; older ones follow
at ``changes/page/2/`` and on, kept out of the nav and out of search, each linked from the
others. A registry with 10,000 commits would otherwise make one page of several megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portplan.history.model import Commit, PortEvent
from portplan.site.dates import time_element
from portplan.site.event_text import Descriptions, commit_ref
from portplan.site.history_view import HistoryView, group_by_commit
from portplan.site.markup import Html
from portplan.site.parts import PageParts, Part
from portplan.site.sections import render_notices
from portplan.site.urls import CHANGES_FEED, CHANGES_PAGE, SiteLinks, changes_page_src

CHANGES_PER_PAGE = 100  # commits (or PRs) per page; about 80 KB of HTML

Group = tuple[Commit, list[PortEvent]]


def commit_heading(commit: Commit) -> Html:
    """The pull request's title where the merge message has it, else the commit's subject."""
    if commit.uncommitted:
        return Html("Uncommitted changes in the working tree")
    return Html.escape(commit.headline)


def change_anchor(commit: Commit) -> str:
    """The id of a commit's section on the changes pages, the feed's link target:
    ``change-1a2b3c4d5e6f`` (stable across builds), ``change-uncommitted`` for the work tree."""
    return "change-uncommitted" if commit.uncommitted else f"change-{commit.sha[:12]}"


def page_of(index: int, per_page: int | None) -> int:
    """The page number that the ``index``-th commit (0 = newest) lands on."""
    return 1 if not per_page else index // per_page + 1


def _section(commit: Commit, events: Sequence[PortEvent], links: SiteLinks,
             texts: Descriptions) -> Html:
    items = Html("").join(Html('<li class="pp-event pp-event-{}">{}</li>').format(
        e.kind.value, texts.of(e, links)) for e in events)
    return Html('<section class="pp-change" id="{}"><h3 class="pp-change-title">{}</h3>'
                '<p class="pp-change-meta">{} · {} · {}</p>'
                '<ul class="pp-change-events">{}</ul></section>').format(
                    change_anchor(commit), commit_heading(commit), time_element(commit.date),
                    commit.author, commit_ref(commit, links), items)


def _pager(number: int, total: int, links: SiteLinks, *, numbers: bool = True) -> Html:
    """Newer / older links and (``numbers``) every page number, the current one marked."""
    def href(n: int) -> str:
        return links.page(changes_page_src(n))
    items = Html("").join(
        Html('<li><a href="{}" aria-current="page">{}</a></li>').format(href(n), n)
        if n == number else Html('<li><a href="{}">{}</a></li>').format(href(n), n)
        for n in range(1, total + 1)) if numbers else Html()
    newer = Html('<a class="pp-newer" href="{}">← Newer changes</a>').format(
        href(number - 1)) if number > 1 else ""
    older = Html('<a class="pp-older" href="{}">Older changes →</a>').format(
        href(number + 1)) if number < total else ""
    pages = Html('<ol class="pp-pages">{}</ol>').format(items) if items else ""
    return Html('<nav class="pp-pager" aria-label="Pages of changes">{} '
                "<span>Page {} of {}</span> {}{}</nav>").format(newer, number, total, older,
                                                                 pages)


def changes_pages(history: HistoryView, links_for: Callable[[str], SiteLinks], *,
                  per_page: int | None = CHANGES_PER_PAGE,
                  title: str = "Changes", texts: Descriptions | None = None
                  ) -> list[tuple[str, PageParts]]:
    """Every page of changes as ``(source path, parts)``, newest first.

    ``links_for(src)`` gives the links as seen from that page; ``per_page=None`` puts every
    commit on one page; ``texts``: the build's descriptions, shared with the port pages.
    """
    groups = group_by_commit(history.events)
    texts = texts or Descriptions(history.events, links_for(CHANGES_PAGE))
    size = per_page or max(len(groups), 1)
    chunks = [groups[i:i + size] for i in range(0, len(groups), size)] or [[]]
    total = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        src = changes_page_src(number)
        links = links_for(src)
        feed = Html('<p class="pp-feed">Every change to the port plan, newest first. '
                    'Subscribe: <a href="{}" type="application/atom+xml">Atom feed</a>.</p>'
                    ).format(links.file(CHANGES_FEED))
        notices = render_notices(history)
        pager = _pager(number, total, links) if total > 1 else Html()
        bottom = _pager(number, total, links, numbers=False) if total > 1 else Html()
        body = Html("\n").join(_section(c, evs, links, texts) for c, evs in chunk) if chunk \
            else Html("<p>No changes recorded.</p>")
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
