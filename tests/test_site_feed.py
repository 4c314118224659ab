"""The Atom feed against RFC 4287, from a real git history: ids unique and stable, updated
dates, one alternate link per entry, and each entry linking to its own change."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gitrepo import Version, make_repo
from portplan.history import read_history
from portplan.site.changes_page import changes_pages
from portplan.site.feed import ATOM, render_feed
from portplan.site.history_view import HistoryView
from portplan.site.urls import SiteLinks, page_url

A = "{%s}" % ATOM  # noqa: UP031 (a namespace prefix, braces included)
REPO = "https://github.com/aitbc/ports"
SITE = "https://ports.example.org/plan/"
# RFC 3339 date-time (RFC 4287 §3.3): a full date, a time and an offset or Z.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def plan(*entries: tuple[int, str]) -> str:
    body = "".join(f"  - port: {port}\n    service: {service}\n" for port, service in entries)
    return f"version: 1\nports:\n{body}"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> HistoryView:
    repo = tmp_path_factory.mktemp("feed")
    entries: list[tuple[int, str]] = []
    versions = []
    for n in range(5):
        entries.append((8000 + n, f"Service {n}"))
        versions.append(Version(plan(*entries), date=f"2026-03-0{n + 1}T10:00:00-05:00",
                                message=f"Add service {n}" + (" (#7)" if n == 3 else "")))
    make_repo(repo, versions)
    return read_history(repo, Path("ports.yaml"))


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml)  # noqa: S314 (our own output)


def alternates(entry: ET.Element) -> list[ET.Element]:
    # A link without rel is an alternate link (RFC 4287 §4.2.7.2).
    return [link for link in entry.findall(f"{A}link")
            if link.get("rel", "alternate") == "alternate"]


def test_the_feed_keeps_the_rules_of_rfc_4287(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="AITBC devnet port plan", site_url=SITE,
                             repo_url=None, per_page=2))
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}title") == "AITBC devnet port plan"  # the site's name
    assert feed.findtext(f"{A}id") == SITE + "changes.xml"
    assert RFC3339.match(feed.findtext(f"{A}updated", ""))
    assert [link.get("href") for link in feed.findall(f"{A}link") if link.get("rel") == "self"
            ] == [SITE + "changes.xml"]
    # §4.1.1: an author on the feed, or on every entry.
    assert feed.find(f"{A}author/{A}name") is not None
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 5
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{A}title")
        assert RFC3339.match(entry.findtext(f"{A}updated", ""))
        assert len(alternates(entry)) == 1  # §4.1.2: at most one per type and language
        assert entry.find(f"{A}content") is not None
        assert entry.find(f"{A}content").get("type") == "html"  # type: ignore[union-attr]
    assert max(e.findtext(f"{A}updated", "") for e in entries) == feed.findtext(f"{A}updated")


def test_ids_are_stable_across_builds_and_site_urls(history: HistoryView) -> None:
    def ids(xml: str) -> list[str | None]:
        return [e.findtext(f"{A}id") for e in parse(xml).findall(f"{A}entry")]
    first = render_feed(history, title="Plan", site_url=SITE, repo_url=None)
    assert first == render_feed(history, title="Plan", site_url=SITE, repo_url=None)
    assert ids(first) == ids(render_feed(history, title="Plan", site_url=None, repo_url=REPO))
    assert all(i and re.fullmatch(r"urn:portplan:commit:[0-9a-f]{40}", i) for i in ids(first))


def test_each_entry_links_to_its_own_section_of_the_changes(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="Plan", site_url=SITE, repo_url=None, per_page=2))
    hrefs = [alternates(e)[0].get("href", "") for e in feed.findall(f"{A}entry")]
    assert len(set(hrefs)) == 5 and all(h.startswith(SITE) for h in hrefs)
    # The anchors are the ids of the sections, on the page each commit is on.
    pages = changes_pages(history, lambda src: SiteLinks(), per_page=2)
    anchors = {page_url(src): re.findall(r'<section class="pp-change" id="([^"]+)"',
                                         parts.markdown()) for src, parts in pages}
    for href in hrefs:
        page, _, anchor = href.removeprefix(SITE).partition("#")
        assert anchor in anchors[page], href
    assert hrefs[0].removeprefix(SITE).startswith("changes/#change-")
    assert hrefs[-1].removeprefix(SITE).startswith("changes/page/3/#change-")


def test_with_repo_url_entries_link_to_the_commit_or_pr(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="Plan", site_url=None, repo_url=REPO))
    hrefs = [alternates(e)[0].get("href", "") for e in feed.findall(f"{A}entry")]
    assert hrefs[1] == f"{REPO}/pull/7"
    assert re.fullmatch(rf"{REPO}/commit/[0-9a-f]{{40}}", hrefs[0])


def test_without_site_url_links_are_relative_to_the_feed(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="Plan", site_url=None, repo_url=None))
    href = alternates(feed.findall(f"{A}entry")[0])[0].get("href", "")
    assert href.startswith("changes/#change-")
    assert feed.findtext(f"{A}id") == "urn:portplan:feed:plan"


def test_the_text_reads_without_styles(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="Plan", site_url=SITE, repo_url=None))
    content = feed.findall(f"{A}entry")[0].findtext(f"{A}content", "")
    text = re.sub(r"<[^>]+>", "", content)
    assert text == "Added Service 4 on 8004 (active)."
    assert "pp-kind" not in content
    assert f'href="{SITE}ports/8004/"' in content


def test_updated_dates_keep_their_offset(history: HistoryView) -> None:
    feed = parse(render_feed(history, title="Plan", site_url=SITE, repo_url=None))
    newest = feed.findall(f"{A}entry")[0].findtext(f"{A}updated", "")
    assert dt.datetime.fromisoformat(newest) == dt.datetime(
        2026, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
