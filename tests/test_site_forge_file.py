"""Port pages link to the line of ports.yaml that defines each entry, and to its edit page."""

from __future__ import annotations

import pytest

from portplan.model import Assignment, PortSpan, Position, Registry
from portplan.site.forge_file import ForgeFile
from portplan.site.history_view import NoHistory
from portplan.site.port_page import PortPages
from portplan.site.urls import SiteLinks

GITHUB = "https://github.com/aitbc/ports"


@pytest.mark.parametrize("case", [
    (GITHUB, "edit/main/docs/", "docs", "ports.yaml",
     f"{GITHUB}/blob/main/ports.yaml", f"{GITHUB}/edit/main/ports.yaml"),
    (GITHUB + "/", "blob/trunk/site/docs/", "docs", "plan/ports.yaml",
     f"{GITHUB}/blob/trunk/site/plan/ports.yaml", f"{GITHUB}/edit/trunk/site/plan/ports.yaml"),
    (GITHUB, f"{GITHUB}/edit/dev/docs/", "docs", "./ports.yaml",
     f"{GITHUB}/blob/dev/ports.yaml", f"{GITHUB}/edit/dev/ports.yaml"),
    ("https://gitlab.example.org/g/p", "-/edit/main/docs/", "docs", "ports.yaml",
     "https://gitlab.example.org/g/p/-/blob/main/ports.yaml",
     "https://gitlab.example.org/g/p/-/edit/main/ports.yaml"),
    ("https://gitlab.com/g/p", "edit/main/documentation/", "documentation", "ports.yaml",
     "https://gitlab.com/g/p/-/blob/main/ports.yaml",
     "https://gitlab.com/g/p/-/edit/main/ports.yaml"),
])
def test_the_file_on_the_forge_from_repo_url_and_edit_uri(case: tuple[str, ...]) -> None:
    repo_url, edit_uri, docs_dir, registry, view, edit = case
    source = ForgeFile.from_config(repo_url, edit_uri, docs_dir=docs_dir, registry=registry)
    assert source == ForgeFile(view, edit)
    assert source.line(42) == view + "#L42"


@pytest.mark.parametrize(("repo_url", "edit_uri"), [
    (None, "edit/main/docs/"), (GITHUB, None), (GITHUB, ""), (GITHUB, "docs/"),
    (GITHUB, "https://elsewhere.example.org/edit/main/docs/")])
def test_no_links_without_both_or_without_a_branch(repo_url: str | None,
                                                    edit_uri: str | None) -> None:
    assert ForgeFile.from_config(repo_url, edit_uri, docs_dir="docs",
                                      registry="ports.yaml") is None


ENTRY = Assignment("Grafana", PortSpan.single(3000), position=Position(17, 5))


def test_the_port_page_links_the_line_next_to_propose_a_change() -> None:
    source = ForgeFile.from_config(GITHUB, "edit/main/docs/", docs_dir="docs",
                                        registry="ports.yaml")
    page = PortPages(Registry(ports=(ENTRY,)), NoHistory("x"), source=source).render(
        PortSpan.single(3000), SiteLinks.for_page("ports/3000/"))
    assert (f'<p class="pp-source">Defined in <a href="{GITHUB}/blob/main/ports.yaml#L17">'
            f'ports.yaml, line 17</a> · <a href="{GITHUB}/edit/main/ports.yaml">'
            "Propose a change</a></p>") in page


def test_without_a_forge_the_page_still_names_the_line() -> None:
    page = PortPages(Registry(ports=(ENTRY,)), NoHistory("x"),
                     registry_name="plan/ports.yaml").render(
        PortSpan.single(3000), SiteLinks.for_page("ports/3000/"))
    assert '<p class="pp-source">Defined in plan/ports.yaml, line 17.</p>' in page
    assert "Propose a change" not in page
