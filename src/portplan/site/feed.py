"""An Atom feed (RFC 4287) of the changes page: one entry per commit or PR."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from portplan.history.cycles import change_rings
from portplan.site.changes_page import CHANGES_PER_PAGE, change_anchor, page_of
from portplan.site.event_text import field_changes, headline
from portplan.site.history_view import HistoryView, group_by_commit
from portplan.site.urls import CHANGES_FEED, CHANGES_PAGE, SiteLinks, changes_page_src, page_url

ATOM = "http://www.w3.org/2005/Atom"
# With no history there is no honest "updated" date; the epoch says "unknown" rather than
# pretending the build time is when the plan changed.
_UNKNOWN = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_feed(history: HistoryView, *, title: str, site_url: str | None,
                repo_url: str | None, limit: int = 100,
                per_page: int | None = CHANGES_PER_PAGE, directory_urls: bool = True) -> str:
    """The feed's XML, titled with the site's name. Entry ids are stable across rebuilds
    (``urn:portplan:commit:<sha>``); each entry links to its commit or PR when ``repo_url`` is
    known, else to its own section of the changes pages (``changes/#change-<sha12>``, or the
    older page it is on with ``per_page`` commits a page).

    Links are absolute when ``site_url`` is known and relative to the feed otherwise.
    """
    ET.register_namespace("", ATOM)
    base = (site_url.rstrip("/") + "/") if site_url else ""
    links = SiteLinks(root=base, directory_urls=directory_urls, repo_url=repo_url)
    changes_url = base + page_url(CHANGES_PAGE, directory_urls=directory_urls)
    feed = ET.Element(f"{{{ATOM}}}feed")
    groups = group_by_commit(history.events)
    committed = [(i, c, evs) for i, (c, evs) in enumerate(groups) if not c.uncommitted]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "site"
    _text(feed, "id", f"{base}{CHANGES_FEED}" if base else f"urn:portplan:feed:{slug}")
    _text(feed, "title", title)
    if history.notices:
        _text(feed, "subtitle", " ".join(history.notices))
    updated = max((c.date for _, c, _ in committed), default=_UNKNOWN)
    _text(feed, "updated", updated.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=changes_url)
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=base + CHANGES_FEED)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "portplan")
    for index, commit, events in committed[:limit]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"urn:portplan:commit:{commit.sha}")
        # The PR's title where the merge message carries it (docs/history.md, "Pull requests").
        _text(entry, "title", commit.headline + (f" (#{commit.pr})" if commit.pr and
                                                 f"#{commit.pr}" not in commit.headline else ""))
        _text(entry, "updated", commit.date.isoformat())
        who = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(who, "name", commit.author)
        page = links.page(changes_page_src(page_of(index, per_page)))
        href = links.commit(commit) or f"{page}#{change_anchor(commit)}"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href)
        # The headline only, not the coloured kind badge of the pages: without styles the
        # badge would read "added Added ...".
        # A ring closes within one commit, so the entry's own events are enough to find it.
        rings = change_rings([e.change for e in events])
        body = "<ul>" + "".join(f"<li>{headline(e, links, rings.get(i))}{field_changes(e)}</li>"
                                for i, e in enumerate(events)) + "</ul>"
        content = _text(entry, "content", body)
        content.set("type", "html")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    child.text = xml_text(text)
    return child


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold (most C0 controls, lone surrogates, U+FFFE/F)
    replaced by U+FFFD, so a commit subject with a form feed still gives a well-formed feed."""
    return _NOT_XML.sub("\ufffd", text)
