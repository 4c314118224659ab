"""``ports.json``: the registry as published, with since and last-change dates."""

from __future__ import annotations

import json

from portplan.history.model import PortEvent
from portplan.model import Registry
from portplan.site.history_view import HistoryView
from portplan.site.urls import page_url, port_page_src


def _when(event: PortEvent | None) -> dict[str, object] | None:
    if event is None:
        return None
    c = event.commit
    return {"date": c.date.isoformat(), "commit": c.sha or None, "pr": c.pr,
            "uncommitted": c.uncommitted}


def render_ports_json(registry: Registry, history: HistoryView, *,
                      directory_urls: bool = True) -> str:
    """JSON text; each entry is ``Assignment.as_json()`` plus ``since``, ``last_change``, ``page``.

    ``since``/``last_change`` are ``{"date", "commit", "pr", "uncommitted"}`` or null when the
    history does not know (see ``history.available`` and ``history.complete``).
    """
    ports = []
    for a in sorted(registry.ports, key=lambda a: (a.port is None, a.port, a.service)):
        entry = a.as_json()
        entry["since"] = _when(history.since(a))
        entry["last_change"] = _when(history.last_change(a))
        entry["page"] = (page_url(port_page_src(a.port), directory_urls=directory_urls)
                         if a.port is not None else None)
        ports.append(entry)
    ranges = [{"range": str(r.span), "purpose": r.purpose,
               "protocol": r.protocols[0] if len(r.protocols) == 1 else list(r.protocols)}
              | ({"owner": r.owner} if r.owner else {})
              for r in sorted(registry.ranges, key=lambda r: r.span)]
    doc = {"version": registry.version,
           "history": {"available": history.available, "complete": history.complete,
                       "notices": list(history.notices),
                       "skipped": list(history.skipped)},
           "ranges": ranges}
    # One entry per line: readable, diffable, and written by json's C encoder (``indent``
    # would switch to the pure-Python one, five times slower for a big registry).
    head = json.dumps(doc, indent=2, ensure_ascii=False).removesuffix("\n}")
    lines = ",\n".join(f"    {json.dumps(p, ensure_ascii=False)}" for p in ports)
    return f'{head},\n  "ports": [\n{lines}\n  ]\n}}\n' if ports else \
        f'{head},\n  "ports": []\n}}\n'

