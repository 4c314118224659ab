"""How portplan shows a moment, on the site and in the terminal: ``2026-03-05 10:00 +09:00``.

Dates are shown in the offset they were recorded with (the committer's own clock), never
converted to the reader's zone, so the same commit reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt


def display_date(when: dt.datetime) -> str:
    """``2026-03-05 10:00 +09:00``; refuses naive datetimes, which would hide their zone.

    >>> display_date(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    '2026-03-05 10:00 +09:00'
    """
    offset = when.utcoffset()
    if offset is None:
        raise ValueError(f"naive datetime {when!r}: history dates must carry their offset")
    return when.strftime("%Y-%m-%d %H:%M ") + _offset(offset)


def _offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
