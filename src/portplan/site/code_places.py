"""Where the code sets each port, and the drift, for the site (docs/scan.md, docs/site.md).

The scan (:mod:`portplan.scan`) runs once per build; this module turns its result into the
table cell, the port pages' "Set in the code" section and the plan page's drift list. A
place links to its line when ``repo_url`` is set (GitHub's ``blob/HEAD/FILE#LN`` form).
"""

from __future__ import annotations

import contextlib
import html
from dataclasses import dataclass
from pathlib import Path

from portplan.model import Assignment, PortSpan, Registry
from portplan.problems import GitError
from portplan.scan.config import read_config
from portplan.scan.matcher import Located
from portplan.scan.places import Finding, Place
from portplan.scan.report import reported
from portplan.scan.scanner import scan
from portplan.site.urls import SiteLinks

CELL_PLACES = 3  # places shown in a table cell; the port page has them all


@dataclass(frozen=True)
class CodeView:
    """What the scan found: every place with its entry, and the drift not accepted."""

    places: tuple[Located, ...] = ()
    drift: tuple[Finding, ...] = ()
    scanned: bool = False
    accepted: tuple[Finding, ...] = ()  # findings an entry accepted, with the reason

    def of_entry(self, entry: Assignment) -> list[Place]:
        return [s.place for s in self.places if s.entry == entry]

    def of_span(self, span: PortSpan) -> list[Located]:
        return [s for s in self.places if s.entry is not None and s.entry.port == span]


NO_CODE = CodeView()  # the scan is off, or not run yet


def read_code(root: Path, registry: Registry, registry_file: Path) -> CodeView:
    """Scan the repository holding ``root`` against ``registry``; PortplanError on bad settings."""
    from portplan.git import toplevel  # noqa: PLC0415 - only when the scan is on

    try:
        top = toplevel(root)
    except GitError:
        top = root
    config = read_config(registry_file.read_bytes(), registry_file.name)
    skip: tuple[str, ...] = ()
    with contextlib.suppress(ValueError):  # a registry outside the scanned tree is not in it
        skip = (registry_file.resolve().relative_to(top.resolve()).as_posix(),)
    result = scan(top, registry, config, skip=skip)
    accepted = tuple(f for f in result.findings if f.accepted is not None)
    return CodeView(result.sources, tuple(reported(result)), scanned=True, accepted=accepted)


def place_link(place: Place, links: SiteLinks) -> str:
    """``file:line`` as code, linked to the line when the site knows the repository."""
    text = f"<code>{html.escape(place.file)}:{place.line}</code>"
    if not links.repo_url:
        return text
    href = f"{links.repo_url.rstrip('/')}/blob/HEAD/{place.file}#L{place.line}"
    return f'<a class="pp-code-link" href="{html.escape(href, quote=True)}">{text}</a>'


def cell_html(entry: Assignment, view: CodeView, links: SiteLinks) -> str:
    """The table's note of where the code sets an entry's port; empty when nowhere."""
    places = view.of_entry(entry)
    if not places:
        return ""
    shown = ", ".join(place_link(p, links) for p in places[:CELL_PLACES])
    more = len(places) - CELL_PLACES
    if more > 0 and entry.port is not None:
        shown += (f', <a href="{html.escape(links.port(entry.port))}">'
                  f"{more} more</a>")
    return f'<span class="pp-code" title="where the code sets it">set in {shown}</span>'


def port_section(span: PortSpan, view: CodeView, links: SiteLinks) -> str:
    """The "Set in the code" list of a port page, with the drift about its entries."""
    located = view.of_span(span)
    drift = [f for f in view.drift if f.entry is not None and f.entry.port == span]
    accepted = [f for f in view.accepted if f.entry is not None and f.entry.port == span]
    if not located and not drift:
        return '<p class="pp-code-none">No file in the repository sets this port.</p>'
    items = "".join(f"<li>{place_link(s.place, links)}: {html.escape(s.place.role.value)} "
                    f"(<code>{html.escape(s.place.what)}</code>)</li>" for s in located)
    out = f'<ul class="pp-code-places">{items}</ul>' if items else ""
    if drift:
        out += drift_list(drift, links)
    if accepted:
        items = "".join(
            f"<li>{place_link(f.place, links)}: <code>{html.escape(f.code)}</code>, accepted: "
            f"{html.escape(f.accepted or '')}</li>" for f in accepted)
        out += f'<p>Accepted:</p><ul class="pp-code-accepted">{items}</ul>'
    return out


def drift_list(drift: list[Finding] | tuple[Finding, ...], links: SiteLinks) -> str:
    items = "".join(
        f'<li class="pp-drift-{f.severity.value}">{place_link(f.place, links)}: '
        f"{html.escape(f.severity.value)}: {html.escape(f.message)}</li>" for f in drift)
    return f'<ul class="pp-drift">{items}</ul>'


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plan_drift(view: CodeView, links: SiteLinks) -> str:
    """The plan page's list of every place where the code and the plan disagree."""
    if not view.scanned:
        return ""
    if not view.places:
        return ('<p class="pp-drift-none">No file in this repository sets a port that '
                "<code>portplan scan</code> reads (systemd units, dotenv, Compose, Kubernetes, "
                "Dockerfiles, nginx, scripts), so there is nothing to hold the plan against."
                "</p>")
    if not view.drift:
        files = len({s.place.file for s in view.places})
        return (f'<p class="pp-drift-none">The code agrees with the plan: '
                f"{_count(len(view.places), 'place')} in {_count(files, 'file')} set the ports "
                "it lists (<code>portplan scan</code>).</p>")
    count = len(view.drift)
    return (f'<p class="pp-drift-count">{count} {"place" if count == 1 else "places"} where '
            "the code disagrees with the plan (<code>portplan scan</code>):</p>"
            + drift_list(view.drift, links))
