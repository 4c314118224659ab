"""What search indexes for an entry: its words, without the markup around them.

The table and the port pages hand search this text instead of their HTML (see
``portplan.site.parts``): the port, the service and what describes it are what people look for.
"""

from __future__ import annotations

from collections.abc import Iterable

from portplan.model import Assignment
from portplan.site.markup import Html


def entry_words(a: Assignment) -> Html:
    """``8090 Mock Coordinator API deprecated: Generates ...; apps/...``, escaped for HTML."""
    words = [str(a.port) if a.port is not None else "", a.service, a.name or "",
             a.status.value, ", ".join(a.environments or ()), a.role or "", a.owner or ""]
    text = " ".join(w for w in words if w)
    details = [a.description, a.location, a.command,
               a.deprecation.note if a.deprecation is not None else None]
    shown = "; ".join(d for d in details if d)
    return Html.escape(f"{text}: {shown}" if shown else text)


def search_text(entries: Iterable[Assignment], former: Iterable[str] = ()) -> Html:
    """One paragraph per entry, and one naming the services that held the port before
    (``former``), so a search for last year's name finds the port (docs/history.md)."""
    text = Html("").join(Html("<p>{}</p>").format(entry_words(a)) for a in entries)
    names = ", ".join(former)
    return text + (Html("<p>Formerly: {}</p>").format(names) if names else "")
