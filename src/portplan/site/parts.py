"""A generated page as parts: Markdown for headings, pre-rendered HTML for everything else.

The renderers build HTML themselves, so a site generator need not run it through Markdown
again. A generator that can (the MkDocs hook, see ``portplan.site.slots``) inserts the HTML
after Markdown has run, and inserts the bulky, unindexed parts (timelines, the changes) after
the search plugin has indexed the page. ``PageParts.markdown()`` gives the page as one
Markdown text with the HTML inline, for any other generator and for tests.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class PartKind(enum.Enum):
    MARKDOWN = "Markdown source (headings, so they reach the table of contents)"
    HTML = "finished HTML that search indexes"
    UNINDEXED = "finished HTML kept out of the search index (bulky, repeated on many pages)"


@dataclass(frozen=True)
class Part:
    kind: PartKind
    text: str
    # An unindexed part that is the whole section under the heading before it: search gets
    # neither (no empty "Timeline" hit on every port page).
    whole_section: bool = False
    # For an HTML part: a short text that search indexes instead of the full HTML (a table's
    # words without its markup), so indexing costs what the words cost.
    search: str | None = None

    @classmethod
    def markdown(cls, text: str) -> Part:
        return cls(PartKind.MARKDOWN, text)

    @classmethod
    def html(cls, text: str, *, search: str | None = None) -> Part:
        return cls(PartKind.HTML, text, search=search)

    @classmethod
    def unindexed(cls, text: str, *, whole_section: bool = False) -> Part:
        return cls(PartKind.UNINDEXED, text, whole_section)


@dataclass(frozen=True)
class PageParts:
    """One generated page, its parts in reading order.

    >>> page = PageParts.of([Part.markdown("# Port 80"), Part.html("<p>HTTP</p>")])
    >>> page.markdown()
    '# Port 80\\n\\n<p>HTTP</p>\\n'
    """

    parts: tuple[Part, ...]

    @classmethod
    def of(cls, parts: Iterable[Part]) -> PageParts:
        return cls(tuple(p for p in parts if p.text))

    def markdown(self) -> str:
        """The whole page as Markdown, the HTML parts as raw HTML blocks."""
        return "\n\n".join(p.text.strip("\n") for p in self.parts) + "\n"

