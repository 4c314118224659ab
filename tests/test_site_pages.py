"""Generated pages as parts, and the slots that keep their HTML away from Markdown and search."""

from __future__ import annotations

import markdown

from portplan.model import PortSpan
from portplan.site.changes_page import changes_pages, render_changes_page
from portplan.site.event_text import Descriptions, describe
from portplan.site.parts import PageParts, Part, PartKind
from portplan.site.port_page import PortPages
from portplan.site.slots import Slots
from portplan.site.urls import SiteLinks, page_url
from test_site_render import C1, C2, C3, HISTORY, NOW, REPO
from test_site_support import Html


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["toc"])


def test_parts_as_one_markdown_text() -> None:
    page = PageParts.of([Part.markdown("# Port 80"), Part.html("<p>HTTP</p>"),
                         Part.unindexed(""), Part.unindexed("<table></table>")])
    assert [p.kind for p in page.parts] == [PartKind.MARKDOWN, PartKind.HTML, PartKind.UNINDEXED]
    assert page.markdown() == "# Port 80\n\n<p>HTTP</p>\n\n<table></table>\n"


def test_slots_put_html_back_after_markdown_and_after_search() -> None:
    slots = Slots()
    source = slots.source("ports/80/index.md", PageParts.of([
        Part.markdown("# Port 80"),
        Part.html("<p>*not emphasis*</p>", search="<p>80 HTTP</p>"),
        Part.markdown("## Timeline"),
        Part.unindexed("<table id='t'><tr><td>_x_</td></tr></table>", whole_section=True),
    ]))
    # Markdown never sees the HTML, nor any markup to parse as HTML: a word per part.
    assert "<" not in source and len(source.split("\n\n")) == 4
    converted = convert(source)
    assert converted.count("<p>portplanslot") == 2
    content = slots.fill_indexed("ports/80/index.md", converted)
    assert "portplanslot" not in content  # search reads no placeholder word
    # What search reads: the short text, and the Timeline heading marked as excluded.
    assert "<p>80 HTTP</p>" in content and "not emphasis" not in content
    assert '<h2 data-search-exclude="portplan" id="timeline">Timeline</h2>' in content
    assert '<h1 id="port-80">Port 80</h1>' in content  # the title stays searchable
    assert "<table" not in content
    page = slots.fill_unindexed("ports/80/index.md", f"<html>{content}</html>")
    assert "<p>*not emphasis*</p>" in page and "80 HTTP" not in page
    assert "<table id='t'><tr><td>_x_</td></tr></table>" in page
    assert "portplan-slot" not in page
    # The parts sit where Markdown would have put raw HTML blocks, blank lines included.
    assert page == "<html>" + convert("# Port 80\n\n<p>*not emphasis*</p>\n\n## Timeline\n\n"
                                      "<table id='t'><tr><td>_x_</td></tr></table>\n").replace(
        '<h2 id="timeline">', '<h2 data-search-exclude="portplan" id="timeline">') + "</html>"
    # Another page's placeholders are not this page's.
    assert slots.fill_unindexed("other.md", "<!-- portplan-slot:1 -->") == \
        "<!-- portplan-slot:1 -->"


def test_port_page_parts_keep_timelines_out_of_search() -> None:
    parts = PortPages(NOW, HISTORY).parts(PortSpan.single(8090), SiteLinks.for_page("ports/8090/"))
    kinds = [(p.kind, p.text.split("\n")[0][:24]) for p in parts.parts]
    assert kinds[0] == (PartKind.MARKDOWN, "# Port 8090: Audit Log")
    searched = [p for p in parts.parts if p.kind is PartKind.HTML]
    # The mock coordinator held 8090 before it moved: search finds the port by that name too.
    assert len(searched) == 1 and searched[0].search == (
        "<p>8090 Audit Log planned</p><p>Formerly: Mock Coordinator API</p>")
    timeline = parts.parts[-1]
    assert timeline.kind is PartKind.UNINDEXED and timeline.whole_section
    assert timeline.text.count('<tr class="pp-event ') == 3


def test_changes_in_pages_newest_first_each_commit_once() -> None:
    pages = changes_pages(HISTORY, lambda src: SiteLinks.for_page(page_url(src), repo_url=REPO),
                          per_page=2)
    assert [src for src, _ in pages] == ["changes.md", "changes/page/2/index.md"]
    first, second = (parts.markdown() for _, parts in pages)
    titles = [[t for _, t in Html(page).all("h3")] for page in (first, second)]
    assert titles == [["change 3", "Merge pull request #12 from bob/move-mock"], ["change 1"]]
    assert first.startswith("# Changes\n")
    assert second.startswith("---\nsearch:\n  exclude: true\n---\n\n# Changes, page 2 of 2\n")
    # Links between the pages, relative to each page.
    older = [a.get("href") for a, _ in Html(first).all("a", class_="pp-older")]
    newer = [a.get("href") for a, _ in Html(second).all("a", class_="pp-newer")]
    assert older == ["../changes/page/2/"] * 2 and newer == ["../../../changes/"] * 2
    numbers = [(a.get("href"), a.get("aria-current"), t)
               for a, t in Html(second).all("a") if t in ("1", "2")]
    assert numbers == [("../../../changes/", None, "1"), ("../../../changes/page/2/", "page", "2")]
    assert f"{C1.sha[:7]}" in second and f"{C3.sha[:7]}" in first and f"#{C2.pr}" in first


def test_one_page_of_changes_has_no_pager() -> None:
    page = render_changes_page(HISTORY, SiteLinks())
    assert "pp-pager" not in page and page.count('class="pp-change"') == 3


def test_one_description_per_event_reads_as_if_rendered_for_each_page() -> None:
    pages = frozenset({PortSpan.single(8090), PortSpan.single(8020)})
    build = SiteLinks.for_page("", repo_url=REPO, pages=pages)
    texts = Descriptions(HISTORY.events, build)
    for url in ("ports/8090/", "changes/", "changes/page/2/", ""):
        links = SiteLinks.for_page(url, repo_url=REPO, pages=pages)
        for event in HISTORY.events:
            assert texts.of(event, links) == describe(event, links)
    moved = HISTORY.events[2]
    assert 'href="../../ports/8020/"' in texts.of(moved, SiteLinks.for_page(
        "ports/8090/", repo_url=REPO, pages=pages))
    # Links of another build (no repo_url here) are rendered afresh, not taken from the first.
    other = SiteLinks.for_page("ports/8090/", pages=pages)
    assert texts.of(moved, other) == describe(moved, other)
    assert REPO not in texts.of(HISTORY.events[0], other)


def test_unindexed_parts_go_back_in_whatever_order_the_page_has_them() -> None:
    slots = Slots()
    first = slots.hold("p.md", "<b>1</b>", indexed=False)
    second = slots.hold("p.md", "<b>2</b>", search="two")
    shown = slots.fill_indexed("p.md", f"<p>{first}</p>")  # the searchable one is not here
    assert shown == f"<p>{first}</p>"
    # A theme that moved the second part above the first: both still go back, once each.
    second_text = f"{second}two<!-- /portplan-slot:2 -->"
    page = slots.fill_unindexed("p.md", f"<main>{second_text}|{first}|{first}</main>")
    assert page == f"<main><b>2</b>|<b>1</b>|{first}</main>"


def test_pages_of_one_shape_share_one_body_and_read_as_before() -> None:
    bodies: list[str] = []

    def convert_body(text: str) -> str:
        bodies.append(text)
        return convert(text)

    def page(port: int, holder: str) -> PageParts:
        return PageParts.of([
            Part.markdown(f"# Port {port}"),
            Part.html(f"<p>{holder}</p>", search=f"<p>{port} {holder}</p>"),
            Part.markdown("## Timeline"),
            Part.unindexed(f"<table><tr><td>{holder}</td></tr></table>", whole_section=True)])

    shared, alone = Slots(), Slots()
    for port, holder in ((80, "HTTP"), (443, "HTTPS")):
        src, parts = f"ports/{port}/index.md", page(port, holder)
        source = shared.source(src, parts, convert_body)
        # Only the title is left to Markdown: the heading went into the shared body.
        assert source.startswith(f"# Port {port}\n\n") and "Timeline" not in source
        assert source.count("\n\n") == 1 and "<" not in source
        filled = shared.fill_unindexed(src, shared.fill_indexed(src, convert(source)))
        by_part = alone.fill_unindexed(src, alone.fill_indexed(src, convert(
            alone.source(src, parts))))
        assert filled == by_part  # the same page to the byte, either way
        assert f"<p>{holder}</p>" in filled and f"<td>{holder}</td>" in filled
        assert '<h2 data-search-exclude="portplan" id="timeline">Timeline</h2>' in filled
        assert shared.body(src) == bodies[0]
    assert len(set(bodies)) == 1 and "## Timeline" in bodies[0]  # one body for both pages
