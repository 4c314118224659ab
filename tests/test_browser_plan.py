"""The site at real size in headless Chromium: a generated plan of 129 entries with long
descriptions, several environments and owners, on a wide screen, a phone and paper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from big_plan import big_registry
from browser_support import TabFactory, browser, serving, tabs
from gitrepo import commit_all
from test_site_support import ROOT, build, copy_project

pytestmark = pytest.mark.browser

__all__ = ["browser"]  # the shared Chromium, a fixture

REPO = "https://github.com/aitbc/ports"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace(
        "# repo_url: https://github.com/OWNER/REPO\n",
        f"repo_url: {REPO}\nedit_uri: edit/main/docs/\n")
    project = copy_project(tmp_path_factory.mktemp("plan"), ports_yaml=big_registry(),
                           mkdocs_yml=config)
    commit_all(project, "Port plan at real size", date="2026-01-05T09:30:00+09:00")
    registry = project / "ports.yaml"
    text = registry.read_text("utf-8")
    registry.write_text(text.replace("    owner: edge\n", "    owner: edge-team\n", 3), "utf-8")
    commit_all(project, "Edge team renamed (#21)", date="2026-03-05T10:00:00-05:00")
    done = build(project)
    assert done.returncode == 0, done.stderr
    return project / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[TabFactory]:
    with tabs(browser, base_url, theme_fetches=("https://api.github.com/",)) as open_tab:
        yield open_tab


def row_heights(page: object) -> list[float]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined,no-any-return]
        "#pp-ports tbody tr:not([hidden])",
        "rows => rows.map(r => r.getBoundingClientRect().height)")


def test_rows_are_one_line_at_1400px(tab: TabFactory, tmp_path: Path) -> None:
    page = tab()
    heights = sorted(row_heights(page))
    assert len(heights) == 129
    line = page.eval_on_selector("#pp-ports td[data-pp-col='port']",
                                 "td => parseFloat(getComputedStyle(td).lineHeight)")
    one_line = [h for h in heights if h < 2 * line]
    assert len(one_line) >= 0.8 * len(heights), heights  # most entries take one line
    assert heights[-1] < 4 * line  # the tallest (deprecated, with its note) take two
    # Narrow columns keep one width whatever their text: every "tcp" cell is as wide.
    widths = page.eval_on_selector_all(
        "#pp-ports td[data-pp-col='protocol']", "tds => tds.map(td => td.offsetWidth)")
    assert len(set(widths)) == 1
    page.screenshot(path=str(tmp_path / "plan-1400.png"))


def test_long_text_is_clamped_and_shown_in_full_on_demand(tab: TabFactory) -> None:
    page = tab()
    clamp = page.locator("#pp-ports tr[data-port='1156'] td[data-pp-col='description'] .pp-clamp")
    closed = clamp.bounding_box()
    assert closed is not None
    assert clamp.evaluate("el => el.scrollHeight > el.clientHeight")  # there is more
    clamp.click()
    opened = clamp.bounding_box()
    assert opened is not None and opened["height"] > 2 * closed["height"]
    assert "several dashboards depend on it" in clamp.inner_text()


def test_dates_are_dates_with_the_full_time_on_hover(tab: TabFactory) -> None:
    page = tab()
    when = page.locator("#pp-ports tr[data-port='22'] td[data-pp-col='since'] time")
    assert when.inner_text() == "2026-01-05"
    assert when.get_attribute("title") == "2026-01-05 09:30 +09:00"
    assert when.evaluate("t => t.getBoundingClientRect().height < 30")  # one line


def test_the_header_stays_visible_after_scrolling(tab: TabFactory, tmp_path: Path) -> None:
    page = tab()
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_function("window.scrollY >= 2999")
    top = page.eval_on_selector("#pp-ports thead th[data-pp-col='since']",
                                "th => th.getBoundingClientRect().top")
    header = page.eval_on_selector(".md-header", "h => h.getBoundingClientRect().bottom")
    assert top > 0 and abs(top - header) < 2  # right below Material's header
    # The header is on top: what the eye meets there is the header cell, not a row.
    hit = page.evaluate("""() => {
        const th = document.querySelector("#pp-ports th[data-pp-col='since']");
        const box = th.getBoundingClientRect();
        return document.elementFromPoint(box.left + 5, box.top + box.height / 2).closest('th')
            === th; }""")
    assert hit
    page.screenshot(path=str(tmp_path / "scrolled.png"))


def test_the_plan_page_takes_the_width_and_the_sidebar_gives_way(tab: TabFactory) -> None:
    page = tab()
    def sidebar_right() -> float:
        return page.eval_on_selector(  # type: ignore[no-any-return]
            ".md-sidebar--primary", "s => s.getBoundingClientRect().right")
    assert sidebar_right() <= 0  # out of the way, in the drawer
    table = page.eval_on_selector("#pp-ports", "t => t.getBoundingClientRect().width")
    assert table > 1300
    page.click(".md-header__button[for='__drawer']")
    page.wait_for_function(
        "document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    assert sidebar_right() > 100
    page.click(".md-sidebar--primary .md-nav__link >> text=Changes")
    page.wait_for_url("**/changes/")


def test_a_phone_never_scrolls_sideways_and_opens_a_card(tab: TabFactory,
                                                         tmp_path: Path) -> None:
    for dark in (False, True):
        page = tab(width=390, height=844)
        if dark:
            page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        right = page.eval_on_selector_all(
            "#pp-ports, #pp-ports tr, #pp-ports td",
            "els => Math.max(...els.map(e => e.getBoundingClientRect().right))")
        assert right <= 390
        row = page.locator("#pp-ports tr[data-port='1156']")
        row.scroll_into_view_if_needed()
        assert row.locator("td[data-pp-col='service']").inner_text().startswith(
            "Exporter service 3")
        assert row.locator("td[data-pp-col='status']").is_visible()
        assert row.locator(".pp-env").inner_text() == "production"
        owner = row.locator("td[data-pp-col='owner']")
        assert not owner.is_visible()  # the rest is a tap away
        row.locator("td[data-pp-col='service']").click()
        assert owner.is_visible() and owner.inner_text() == "observability"
        tops = [row.locator(f"td[data-pp-col='{c}']").bounding_box()["y"]  # type: ignore[index]
                for c in ("port", "service", "status", "protocol", "owner")]
        assert tops[0] == tops[1] == tops[2] < tops[3] < tops[4]  # the card's line, then the rest
        assert not row.locator("td[data-pp-col='role']").is_visible()  # empty: not listed
        label = owner.evaluate("td => getComputedStyle(td, '::before').content")
        assert label == '"Owner: "'
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / f"phone{'-dark' if dark else ''}.png"))


def test_print_fits_the_whole_table_and_hides_the_controls(tab: TabFactory,
                                                           tmp_path: Path) -> None:
    page = tab(width=794, height=1123)  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert not page.is_visible(".pp-tools")
    arrow = page.eval_on_selector("th .pp-sort", "b => getComputedStyle(b, '::after').content")
    assert arrow == "none"
    fits = page.eval_on_selector("#pp-ports", """t => {
        const box = t.parentElement.getBoundingClientRect();
        const cells = [...t.querySelectorAll('th, td')];
        return t.scrollWidth <= t.parentElement.clientWidth
            && cells.every(c => c.getBoundingClientRect().right <= box.right + 0.5); }""")
    assert fits
    last = page.locator("#pp-ports th[data-pp-col='last_change']")
    assert last.is_visible() and last.inner_text() == "Last change"
    clamp = page.locator("#pp-ports tr[data-port='1156'] td[data-pp-col='description']")
    assert "several dashboards depend on it" in clamp.inner_text()
    page.pdf(path=str(tmp_path / "plan.pdf"), width="210mm", height="297mm")
    assert (tmp_path / "plan.pdf").stat().st_size > 10_000


def test_the_map_links_every_port_to_its_page(tab: TabFactory, tmp_path: Path) -> None:
    page = tab("map/")
    links = page.eval_on_selector_all(
        "svg.pp-map a.pp-map-port", "as => as.map(a => [a.dataset.port, a.getAttribute('href')])")
    assert len(links) == 129  # every port and the one block
    assert all(href == f"../ports/{port}/" for port, href in links)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    page.click("svg.pp-map a.pp-map-port[data-port='8025']")
    page.wait_for_url("**/ports/8025/")
    assert page.inner_text("h1").startswith("Port 8025:")


def test_the_ports_index_has_the_filter(tab: TabFactory) -> None:
    page = tab("ports/")
    page.click(".pp-filter")
    page.keyboard.type("successor")
    shown = page.eval_on_selector_all("#pp-ports-index tbody tr:not([hidden])",
                                      "rows => rows.length")
    assert 5 <= shown < 20
    assert page.inner_text(".pp-count") == f"{shown} of 129 ports"
    assert all("successor" in text.lower() for text in page.locator(
        "#pp-ports-index tbody tr:not([hidden])").all_inner_texts())
    page.fill(".pp-filter", "")
    assert page.inner_text(".pp-count") == "129 of 129 ports"


def test_a_port_page_links_its_line_in_ports_yaml(tab: TabFactory) -> None:
    page = tab("ports/22/")
    source = page.locator(".pp-source a").first
    line = big_registry().splitlines().index("  - port: 22") + 1
    assert source.get_attribute("href") == f"{REPO}/blob/main/ports.yaml#L{line}"
    assert page.locator(".pp-source a >> text=Propose a change").get_attribute(
        "href") == f"{REPO}/edit/main/ports.yaml"
    assert "2026-01-05 09:30 +09:00" in page.inner_text(".pp-fields")  # full time, offset
