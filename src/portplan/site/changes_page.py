"""The registry's whole history, newest first, one section per commit or PR."""

from __future__ import annotations

import html

from portplan.history.model import Commit
from portplan.site.dates import time_element
from portplan.site.event_text import commit_ref, describe
from portplan.site.history_view import HistoryView, group_by_commit
from portplan.site.sections import render_notices
from portplan.site.urls import CHANGES_FEED, SiteLinks


def commit_heading(commit: Commit) -> str:
    if commit.uncommitted:
        return "Uncommitted changes in the working tree"
    return html.escape(commit.subject)


def render_changes_page(history: HistoryView, links: SiteLinks, title: str = "Changes") -> str:
    """Markdown source of the changes page; commit groups are HTML sections."""
    parts = [f"# {title}\n",
             f'<p class="pp-feed">Every change to the port plan, newest first. '
             f'Subscribe: <a href="{html.escape(links.file(CHANGES_FEED))}" '
             f'type="application/atom+xml">Atom feed</a>.</p>\n',
             render_notices(history.notices, available=history.available), "\n"]
    groups = group_by_commit(history.events)
    if not groups:
        parts.append("<p>No changes recorded.</p>\n")
    sections = []
    for commit, events in groups:
        items = "".join(
            f'<li class="pp-event pp-event-{e.kind.value}">{describe(e, links)}</li>'
            for e in events)
        sections.append(
            f'<section class="pp-change">'
            f'<h3 class="pp-change-title">{commit_heading(commit)}</h3>'
            f'<p class="pp-change-meta">{time_element(commit.date)} · '
            f"{html.escape(commit.author)} · {commit_ref(commit, links)}</p>"
            f'<ul class="pp-change-events">{items}</ul></section>')
    parts.append("\n".join(sections))
    return "\n".join(parts) + "\n"
