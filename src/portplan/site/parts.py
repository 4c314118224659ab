"""A generated page as parts: Markdown for headings, pre-rendered HTML for everything else.

The renderers build HTML themselves, so a site generator need not run it through Markdown
again. A generator that can (the MkDocs hook, see ``portplan.site.slots``) inserts the HTML
after Markdown has run, and inserts the bulky, unindexed parts (timelines, the changes) after
the search plugin has indexed the page. ``PageParts.markdown()`` gives the page as one
Markdown text with the HTML inline, for any other generator and for tests.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass

from portplan.site.markup import Html


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

    # The HTML factories take ``Html`` (escaped by construction, portplan.site.markup) and keep
    # it as a plain ``str``: a generator then splices it with its own placeholders, and
    # ``"<!-- key -->" + part.text`` must not escape the key as ``Html`` concatenation would.
    @classmethod
    def html(cls, text: Html, *, search: Html | None = None) -> Part:
        return cls(PartKind.HTML, str(text), search=None if search is None else str(search))

    @classmethod
    def unindexed(cls, text: Html, *, whole_section: bool = False) -> Part:
        return cls(PartKind.UNINDEXED, str(text), whole_section)


@dataclass(frozen=True)
class PageParts:
    """One generated page, its parts in reading order.

    >>> page = PageParts.of([Part.markdown("# Port 80"), Part.html(Html("<p>HTTP</p>"))])
    >>> page.markdown()
    '# Port 80\\n\\n<p>HTTP</p>\\n'
    """

    parts: tuple[Part, ...]
    # The page title as plain text, when it holds registry text (a service name). A generator
    # must set it escaped, outside Markdown: see ``front_matter``.
    title: str | None = None

    @classmethod
    def of(cls, parts: Iterable[Part], *, title: str | None = None) -> PageParts:
        return cls(tuple(p for p in parts if p.text), title)

    def markdown(self) -> str:
        """The whole page as Markdown, the HTML parts as raw HTML blocks."""
        body = "\n\n".join(p.text.strip("\n") for p in self.parts) + "\n"
        return front_matter(self.title) + body


def front_matter(title: str | None) -> str:
    """YAML front matter setting the page title, HTML-escaped.

    Themes print a title from front matter as it is (Material: ``{{ page.meta.title }}``), while
    a title taken from the first heading passes through ``striptags``, which un-escapes it:
    ``<title>`` would then carry a service name's raw markup. So registry text in a title comes
    escaped, through front matter.

    >>> front_matter("Port 80: <b>")
    '---\\ntitle: "Port 80: &lt;b&gt;"\\n---\\n\\n'
    """
    if title is None:
        return ""
    return f"---\ntitle: {json.dumps(Html.escape(title), ensure_ascii=False)}\n---\n\n"

