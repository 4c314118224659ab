"""Dates in HTML: a ``<time>`` element around portplan's one display form (portplan.dates)."""

from __future__ import annotations

import datetime as dt
import functools

from portplan.dates import display_date
from portplan.site.markup import Html


@functools.cache
def time_element(when: dt.datetime) -> Html:
    """A ``<time>`` element: machine-readable ISO 8601 plus the display form."""
    # Cached: a commit's date is shown once per event, on the port pages and the changes. One
    # per commit, unbounded: 4,096 made a history of 7,836 commits miss nearly every time.
    return Html('<time datetime="{}">{}</time>').format(when.isoformat(), display_date(when))


@functools.cache
def day_element(when: dt.datetime) -> Html:
    """The date alone (the table's form); the time and its offset in ``title``, on hover."""
    return Html('<time datetime="{}" title="{}">{}</time>').format(
        when.isoformat(), display_date(when), when.date().isoformat())
