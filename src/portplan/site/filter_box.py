"""The filter box above a sortable table; portplan.js shows it and narrows the rows."""

from __future__ import annotations

from portplan.site.markup import Html


def filter_box(table_id: str, count: int, hint: str) -> Html:
    """The opening ``<div class="pp-table">`` and its filter box, shown by portplan.js; the
    caller closes the div after its table."""
    return Html(
        '<div class="pp-table"><div class="pp-tools" hidden>'
        '<label class="pp-filter-label">Filter '
        '<input type="search" class="pp-filter" placeholder="{hint}" '
        'aria-controls="{table_id}" autocomplete="off"></label> '
        '<span class="pp-count" aria-live="polite">{count} of {count} ports</span></div>'
    ).format(hint=hint, table_id=table_id, count=count)
