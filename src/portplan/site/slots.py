"""Pre-rendered HTML kept aside while Markdown runs, then put back: pure ``str -> str`` steps.

Python-Markdown re-parses every raw HTML block it meets, and a search plugin parses every
page's HTML again; for thousands of generated pages with tables of events, that dominated the
build. So a page's Markdown holds only a placeholder per HTML part: on a docs page, a comment
(``<!-- portplan-slot:7 -->``) where the marker was, which Markdown passes through untouched;
on a generated page, a word of letters and digits in a paragraph of its own, so Markdown meets
no HTML at all there (MkDocs and Python-Markdown each run an HTML parser over a page that has
some), and the paragraph it becomes is swapped for the HTML, or for the comment until later.

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
import secrets
from collections.abc import Callable

from portplan.site.parts import PageParts, PartKind

_HEADING_END = re.compile(r"</h([1-6])>\s*\Z")


class Slots:
    """The HTML parts of one build's pages, by page, until they are put back."""

    def __init__(self) -> None:
        self._indexed: dict[str, dict[str, str]] = {}  # page -> placeholder -> what goes in
        # page -> placeholder -> (where the part ends, its HTML), in page order: a part shown to
        # search as a short text ends at its end comment, the others are the placeholder alone.
        self._unindexed: dict[str, dict[str, tuple[str, str]]] = {}
        self._heading_hidden: set[str] = set()
        self._bodies: dict[str, str] = {}  # page -> the Markdown of its body, converted once
        self._count = 0
        self._word = f"portplanslot{secrets.token_hex(4)}x"  # no registry text holds it

    def source(self, page: str, parts: PageParts,
               convert: Callable[[str], str] | None = None) -> str:
        """The Markdown of ``page`` (any key, e.g. its source path) with HTML parts set aside.

        With ``convert`` (the site's own Markdown to HTML, cached by text), only the page's
        first part (its title) stays Markdown. The rest, the body, becomes one word, and
        ``convert`` turns the body's headings and a word per part into HTML, once for every
        page of the same shape: all port pages have the same headings.
        """
        # The title (``parts.title``) is the generator's to set: it holds registry text.
        titled = bool(parts.parts) and parts.parts[0].kind is PartKind.MARKDOWN
        shared = convert if titled else None  # a page without a title is converted whole
        head = [parts.parts[0].text.strip("\n")] if shared else []
        rest = parts.parts[len(head):]
        body: list[str] = []
        for at, part in enumerate(rest, start=1 - len(rest)):
            if part.kind is PartKind.MARKDOWN:
                body.append(part.text.strip("\n"))
                continue
            self._count += 1
            # A shared body numbers its words by place, the same on every page of its shape.
            word = f"{self._word}{len(body) if shared else self._count}"
            key = self._keep(page, part.text, indexed=part.kind is PartKind.HTML,
                             search=part.search, shown_as=f"<p>{word}</p>", last=at == 0)
            if part.whole_section:
                self._heading_hidden.add(key)
            body.append(word)
        text = "\n\n".join(body) + "\n"
        if shared is None:
            return text
        self._bodies[page] = text
        self._indexed[page] = {f"<p>{self._word}body</p>": shared(text),
                               **self._indexed.get(page, {})}
        return "\n\n".join([*head, f"{self._word}body"]) + "\n"

    def body(self, page: str) -> str | None:
        """The Markdown converted once for ``page``'s body (see `source`), if it has one."""
        return self._bodies.get(page)

    def hold(self, page: str, html: str, *, indexed: bool = True,
             search: str | None = None) -> str:
        """Keep ``html`` for ``page``; returns the placeholder to put in its Markdown.

        With ``search``, the page's content carries that text until the finished page.
        """
        self._count += 1
        return self._keep(page, html, indexed=indexed, search=search)

    def _keep(self, page: str, html: str, *, indexed: bool, search: str | None,
              shown_as: str | None = None, last: bool = False) -> str:
        """``shown_as``: the placeholder as the converted page shows it, when not the comment.

        Markdown puts two newlines after a raw HTML block, one after a paragraph, except at the
        end of the page (``last``): the missing one goes in, so the page reads the same.
        """
        key = f"<!-- portplan-slot:{self._count} -->"
        at, tail = (key, "") if shown_as is None else (shown_as, "" if last else "\n")
        if not indexed:
            self._unindexed.setdefault(page, {})[key] = (key, html)
            if shown_as is not None:  # the comment stands in, out of search's sight
                self._indexed.setdefault(page, {})[at] = key + tail
        elif search is None:
            self._indexed.setdefault(page, {})[at] = html + tail
        else:
            end = f"<!-- /portplan-slot:{self._count} -->"
            self._indexed.setdefault(page, {})[at] = key + search + end + tail
            self._unindexed.setdefault(page, {})[key] = (end, html)
        return key

    def fill_indexed(self, page: str, content: str) -> str:
        """Put back the searchable parts; mark headings that only introduce unindexed ones."""
        for placeholder, html in self._indexed.pop(page, {}).items():
            content = content.replace(placeholder, html, 1)
        for key in self._unindexed.get(page, {}):
            at = content.find(key) if key in self._heading_hidden else -1
            if at >= 0:
                content = _exclude_heading_before(content, at)
        return content

    def fill_unindexed(self, page: str, output: str) -> str:
        """Put back the parts kept out of search, into the finished page.

        One copy of the page, whatever the number of parts: each is found from where the one
        before it ended, as they come in page order (a part out of order is found from the top).
        """
        cuts: list[tuple[int, int, str]] = []
        at = 0
        for key, (end, html) in self._unindexed.pop(page, {}).items():
            start = output.find(key, at)
            if start < 0:
                start = output.find(key)
            stop = output.find(end, start) if start >= 0 else -1
            if stop >= 0:
                at = stop + len(end)
                cuts.append((start, at, html))
        if not cuts:
            return output
        pieces: list[str] = []
        done = 0
        for start, stop, html in sorted(cuts):
            pieces += (output[done:start], html)
            done = stop
        pieces.append(output[done:])
        return "".join(pieces)


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
