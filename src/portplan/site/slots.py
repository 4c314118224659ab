"""Pre-rendered HTML kept aside while Markdown runs, then put back: pure ``str -> str`` steps.

Python-Markdown re-parses every raw HTML block it meets, and a search plugin parses every
page's HTML again; for thousands of generated pages with tables of events, that dominated the
build. So a page's Markdown holds only a placeholder comment per HTML part
(``<!-- portplan-slot:7 -->``), which Markdown passes through untouched.

- ``fill_indexed`` runs on the converted page (MkDocs' ``on_page_content``): searchable parts go
  in, and the heading of an unindexed ``whole_section`` part is marked ``data-search-exclude``
  (Material's search honours it), so search lists no empty "Timeline" sections.
- ``fill_unindexed`` runs on the finished page (``on_post_page``), after search has read it.

An HTML part with a ``search`` text goes in as that text first (between two placeholder
comments), and is swapped for the full HTML in the finished page: search indexes the words of
a 2,000-row table without parsing its markup.
"""

from __future__ import annotations

import re

from portplan.site.parts import PageParts, PartKind

_HEADING_END = re.compile(r"</h([1-6])>\s*\Z")


class Slots:
    """The HTML parts of one build's pages, by page, until they are put back."""

    def __init__(self) -> None:
        self._indexed: dict[str, dict[str, str]] = {}
        self._unindexed: dict[str, dict[str, str]] = {}
        self._heading_hidden: set[str] = set()
        self._swaps: dict[str, dict[str, tuple[str, str]]] = {}
        self._count = 0

    def source(self, page: str, parts: PageParts) -> str:
        """The Markdown of ``page`` (any key, e.g. its source path) with HTML parts set aside."""
        out = []  # the title (``parts.title``) is the generator's to set: it holds registry text
        for part in parts.parts:
            if part.kind is PartKind.MARKDOWN:
                out.append(part.text.strip("\n"))
                continue
            key = self.hold(page, part.text, indexed=part.kind is PartKind.HTML,
                            search=part.search)
            if part.whole_section:
                self._heading_hidden.add(key)
            out.append(key)
        return "\n\n".join(out) + "\n"

    def hold(self, page: str, html: str, *, indexed: bool = True,
             search: str | None = None) -> str:
        """Keep ``html`` for ``page``; returns the placeholder to put in its Markdown.

        With ``search``, the page's content carries that text until the finished page.
        """
        self._count += 1
        key = f"<!-- portplan-slot:{self._count} -->"
        if not indexed:
            self._unindexed.setdefault(page, {})[key] = html
        elif search is None:
            self._indexed.setdefault(page, {})[key] = html
        else:
            end = f"<!-- /portplan-slot:{self._count} -->"
            self._indexed.setdefault(page, {})[key] = key + search + end
            self._swaps.setdefault(page, {})[key] = (end, html)
        return key

    def fill_indexed(self, page: str, content: str) -> str:
        """Put back the searchable parts; mark headings that only introduce unindexed ones."""
        for key, html in self._indexed.pop(page, {}).items():
            content = content.replace(key, html, 1)
        for key in self._unindexed.get(page, {}):
            at = content.find(key) if key in self._heading_hidden else -1
            if at >= 0:
                content = _exclude_heading_before(content, at)
        return content

    def fill_unindexed(self, page: str, output: str) -> str:
        """Put back the parts kept out of search, into the finished page."""
        for key, html in self._unindexed.pop(page, {}).items():
            output = output.replace(key, html, 1)
        for key, (end, html) in self._swaps.pop(page, {}).items():
            start = output.find(key)
            stop = output.find(end, start)
            if start >= 0 and stop >= 0:
                output = output[:start] + html + output[stop + len(end):]
        return output


def _exclude_heading_before(content: str, at: int) -> str:
    """Add ``data-search-exclude`` to a heading that ends right before offset ``at``."""
    end = _HEADING_END.search(content, max(0, at - 200), at)
    if end is None:
        return content
    tag = f"<h{end.group(1)}"
    start = content.rfind(tag, 0, end.start())
    if start < 0 or content[start + len(tag)] not in " >":
        return content
    cut = start + len(tag)
    return content[:cut] + ' data-search-exclude="portplan"' + content[cut:]
