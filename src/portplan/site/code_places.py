"""Where the code sets each port, and the drift, for the site (docs/scan.md, docs/site.md).

The scan (:mod:`portplan.scan`) runs once per build; this module turns its result into the
table cell, the port pages' "Set in the code" section and the plan page's drift list. A
place links to its line when ``repo_url`` is set (GitHub's ``blob/HEAD/FILE#LN`` form).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from portplan.model import Assignment, PortSpan, Registry
from portplan.problems import GitError
from portplan.scan.config import read_config
from portplan.scan.matcher import Located
from portplan.scan.places import Finding, Place
from portplan.scan.report import reported
from portplan.scan.scanner import scan
from portplan.site.markup import Html
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


def place_link(place: Place, links: SiteLinks) -> Html:
    """``file:line`` as code, linked to the line when the site knows the repository."""
    text = Html("<code>{}:{}</code>").format(place.file, place.line)
    if not links.repo_url:
        return text
    href = f"{links.repo_url.rstrip('/')}/blob/HEAD/{place.file}#L{place.line}"
    return Html('<a class="pp-code-link" href="{}">{}</a>').format(href, text)


def cell_html(entry: Assignment, view: CodeView, links: SiteLinks) -> Html:
    """The table's note of where the code sets an entry's port; empty when nowhere."""
    places = view.of_entry(entry)
    if not places:
        return Html()
    shown = Html(", ").join(place_link(p, links) for p in places[:CELL_PLACES])
    more = len(places) - CELL_PLACES
    if more > 0 and entry.port is not None:
        shown += Html(', <a href="{}">{} more</a>').format(links.port(entry.port), more)
    return Html('<span class="pp-code" title="where the code sets it">set in {}</span>').format(
        shown)


def port_section(span: PortSpan, view: CodeView, links: SiteLinks) -> Html:
    """The "Set in the code" list of a port page, with the drift about its entries."""
    located = view.of_span(span)
    drift = [f for f in view.drift if f.entry is not None and f.entry.port == span]
    accepted = [f for f in view.accepted if f.entry is not None and f.entry.port == span]
    if not located and not drift:
        return Html('<p class="pp-code-none">No file in the repository sets this port.</p>')
    items = Html("").join(Html("<li>{}: {} (<code>{}</code>)</li>").format(
        place_link(s.place, links), s.place.role.value, s.place.what) for s in located)
    out = Html('<ul class="pp-code-places">{}</ul>').format(items) if items else Html()
    if drift:
        out += drift_list(drift, links)
    if accepted:
        items = Html("").join(Html("<li>{}: <code>{}</code>, accepted: {}</li>").format(
            place_link(f.place, links), f.code, f.accepted or "") for f in accepted)
        out += Html('<p>Accepted:</p><ul class="pp-code-accepted">{}</ul>').format(items)
    return out


def drift_list(drift: list[Finding] | tuple[Finding, ...], links: SiteLinks) -> Html:
    items = Html("").join(Html('<li class="pp-drift-{0}">{1}: {0}: {2}</li>').format(
        f.severity.value, place_link(f.place, links), f.message) for f in drift)
    return Html('<ul class="pp-drift">{}</ul>').format(items)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def plan_drift(view: CodeView, links: SiteLinks) -> Html:
    """The plan page's list of every place where the code and the plan disagree."""
    if not view.scanned:
        return Html()
    if not view.places:
        return Html('<p class="pp-drift-none">No file in this repository sets a port that '
                    "<code>portplan scan</code> reads (systemd units, dotenv, Compose, "
                    "Kubernetes, Dockerfiles, nginx, scripts), so there is nothing to hold "
                    "the plan against.</p>")
    if not view.drift:
        files = len({s.place.file for s in view.places})
        return Html('<p class="pp-drift-none">The code agrees with the plan: {} in {} set the '
                    "ports it lists (<code>portplan scan</code>).</p>").format(
                        _count(len(view.places), "place"), _count(files, "file"))
    count = len(view.drift)
    return Html('<p class="pp-drift-count">{} {} where the code disagrees with the plan '
                "(<code>portplan scan</code>):</p>").format(
                    count, "place" if count == 1 else "places") + drift_list(view.drift, links)
