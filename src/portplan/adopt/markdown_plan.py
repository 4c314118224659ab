"""A Markdown port plan read with markdown-it-py: its tables, bullet lists and HTML tables.

Only structure comes from the parser (GFM tables, strike-through, headings, lists); a cell
becomes plain text with its markup dropped, and remembers whether it was struck through
(``~~8080~~`` or ``<del>8080</del>``).

>>> plan = read_markdown("## Dev\\n\\n| Port | Service |\\n|---|---|\\n| ~~8080~~ | `api` |\\n")
>>> table = plan.tables[0]
>>> table.section, table.header, table.rows[0].cells
('Dev', ('Port', 'Service'), (Cell(text='8080', struck=True), Cell(text='api', struck=False)))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_STRIKE_OPEN = {"<del>", "<s>", "<strike>"}
_STRIKE_CLOSE = {"</del>", "</s>", "</strike>"}
_BREAKS = {"<br>", "<br/>", "<br />"}


@dataclass(frozen=True)
class Cell:
    text: str  # the cell's text without markup, whitespace collapsed
    struck: bool  # every letter of it is struck through


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line in the Markdown file
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    line: int
    section: str | None  # the nearest heading above the table
    header: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ListItem:
    """A bullet that names a service in bold: ``- **Miner Node** - no default port``."""

    line: int
    section: str | None
    name: str
    text: str  # what follows the name and its dash or colon


@dataclass(frozen=True)
class MarkdownPlan:
    tables: tuple[Table, ...]
    items: tuple[ListItem, ...]
    html_tables: tuple[int, ...]  # lines of ``<table>`` blocks, which are not read


def read_markdown(text: str) -> MarkdownPlan:
    tokens = _PARSER.parse(text)
    tables: list[Table] = []
    items: list[ListItem] = []
    html_tables: list[int] = []
    section: str | None = None
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token.type == "heading_open":
            section = plain_text(tokens[at + 1].children or []).text or None
        elif token.type == "table_open":
            table, at = _table(tokens, at, section)
            tables.append(table)
            continue
        elif token.type == "list_item_open" and token.markup in "-*+":
            item = _list_item(tokens, at, section)
            if item is not None:
                items.append(item)
        elif token.type == "html_block" and "<table" in token.content.lower():
            html_tables.append(_line(token))
        at += 1
    return MarkdownPlan(tuple(tables), tuple(items), tuple(html_tables))


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _table(tokens: Sequence[Token], start: int, section: str | None) -> tuple[Table, int]:
    header: list[str] = []
    rows: list[Row] = []
    cells: list[Cell] = []
    row_line = 0
    at = start
    while tokens[at].type != "table_close":
        token = tokens[at]
        if token.type == "tr_open":
            cells, row_line = [], _line(token)
        elif token.type == "inline":
            cells.append(plain_text(token.children or []))
        elif token.type == "tr_close":
            if not header:
                header = [cell.text for cell in cells]
            else:
                rows.append(Row(row_line, tuple(cells)))
        at += 1
    return Table(_line(tokens[start]), section, tuple(header), tuple(rows)), at + 1


def _list_item(tokens: Sequence[Token], start: int, section: str | None) -> ListItem | None:
    """The bullet's service when its paragraph opens with bold text, else None."""
    if start + 2 >= len(tokens) or tokens[start + 1].type != "paragraph_open":
        return None
    children = [c for c in tokens[start + 2].children or [] if c.type != "text" or c.content]
    if len(children) < 3 or children[0].type != "strong_open":
        return None
    close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
    if close is None:
        return None
    name = plain_text(children[1:close]).text
    rest = plain_text(children[close + 1:]).text.lstrip(" -\u2013\u2014:").strip()
    if not name:
        return None
    return ListItem(_line(tokens[start]), section, name.rstrip(":").strip(), rest)


def plain_text(children: Sequence[Token]) -> Cell:
    """The text of inline tokens without their markup, and whether all of it is struck."""
    parts: list[str] = []
    struck_letters = plain_letters = 0
    depth = 0
    for child in children:
        kind = child.type
        if kind == "s_open":
            depth += 1
        elif kind == "s_close":
            depth = max(depth - 1, 0)
        elif kind == "html_inline":
            tag = child.content.strip().lower()
            if tag in _STRIKE_OPEN:
                depth += 1
            elif tag in _STRIKE_CLOSE:
                depth = max(depth - 1, 0)
            elif tag in _BREAKS:
                parts.append(" ")
            # any other inline HTML is markup: its text is dropped
        elif kind in ("text", "code_inline"):
            parts.append(child.content)
            letters = sum(not ch.isspace() for ch in child.content)
            if depth:
                struck_letters += letters
            else:
                plain_letters += letters
        elif kind == "image":
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = " ".join("".join(parts).split())
    return Cell(text, struck_letters > 0 and plain_letters == 0)
