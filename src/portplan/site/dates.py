"""Dates in HTML: a ``<time>`` element around portplan's one display form (portplan.dates)."""

from __future__ import annotations

import datetime as dt
import functools
import html

from portplan.dates import display_date


@functools.lru_cache(maxsize=4096)
def time_element(when: dt.datetime) -> str:
    """A ``<time>`` element: machine-readable ISO 8601 plus the display form."""
    # Cached: a commit's date is shown once per event, on the port pages and the changes.
    iso = html.escape(when.isoformat())
    return f'<time datetime="{iso}">{html.escape(display_date(when))}</time>'


@functools.lru_cache(maxsize=4096)
def day_element(when: dt.datetime) -> str:
    """The date alone (the table's form); the time and its offset in ``title``, on hover."""
    return (f'<time datetime="{html.escape(when.isoformat())}" '
            f'title="{html.escape(display_date(when))}">{when.date().isoformat()}</time>')
