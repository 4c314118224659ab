"""The filter box above a sortable table; portplan.js shows it and narrows the rows."""

from __future__ import annotations

import html


def filter_box(table_id: str, count: int, hint: str) -> str:
    """The opening ``<div class="pp-table">`` and its filter box, shown by portplan.js; the
    caller closes the div after its table."""
    return (
        '<div class="pp-table"><div class="pp-tools" hidden>'
        '<label class="pp-filter-label">Filter '
        f'<input type="search" class="pp-filter" placeholder="{html.escape(hint)}" '
        f'aria-controls="{table_id}" autocomplete="off"></label> '
        f'<span class="pp-count" aria-live="polite">{count} of {count} ports</span></div>')
