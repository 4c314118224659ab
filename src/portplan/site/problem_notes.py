"""Errors between entries and accepted warnings as HTML (docs/site.md, "A plan with problems").

The plan page gets a banner naming each problem, each flagged table row a short note, and each
port page the entries that collide on it, with the commit where their collision began.
"""

from __future__ import annotations

from portplan.history.model import Commit
from portplan.model import Assignment, PortSpan
from portplan.site.event_text import commit_ref, dated_ref, port_link
from portplan.site.inline import render_inline
from portplan.site.markup import Html
from portplan.site.plan_problems import Collision, PlanProblems
from portplan.site.urls import SiteLinks


def _holder(entry: Assignment, links: SiteLinks) -> Html:
    where = f" in {', '.join(entry.environments)}" if entry.environments is not None else ""
    return Html("<strong>{}</strong> ({}/{}{}, line {})").format(
        entry.service, port_link(entry.port, links), "/".join(entry.protocols), where,
        entry.position.line)


def _began(commit: Commit | None, links: SiteLinks) -> Html:
    if commit is None:
        return Html("since before the recorded history")
    return Html("since {} on {} (<q>{}</q>)").format(
        commit_ref(commit, links), dated_ref(commit, links), commit.subject)


def _collision_text(c: Collision, links: SiteLinks) -> Html:
    found = c.conflict
    scope = "/".join(found.protocols)
    if found.environments is not None:
        scope += " in " + ", ".join(found.environments)
    return Html("{}/{} is held by both {} and {}, {}").format(
        port_link(found.shared, links), scope, _holder(found.earlier, links),
        _holder(found.later, links), _began(c.began, links))


def render_banner(plan: PlanProblems, links: SiteLinks) -> Html:
    """The plan page's banner: every error between entries, or nothing when there is none."""
    if not plan.problems:
        return Html()
    items = [Html("<li>{}.</li>").format(_collision_text(c, links)) for c in plan.collisions]
    items += [Html("<li><code>{}:{}:{}</code> {}</li>").format(p.file, p.line, p.column,
                                                               p.message)
              for p in plan.problems if p.code != "port-conflict"]
    count = len(plan.problems)
    title = f"This plan has {count} error{'' if count == 1 else 's'} between entries"
    return Html('<div class="admonition danger pp-problems" role="alert">'
                '<p class="admonition-title">{}</p>'
                "<p>The site shows the plan as it is in the registry, so everyone can see the "
                "problem; the flagged rows below are the entries concerned. "
                "<code>portplan check</code> fails until they are fixed.</p>"
                "<ul>{}</ul></div>").format(title, Html("").join(items))


def render_row_flag(plan: PlanProblems, entry: Assignment) -> Html:
    """A short warning in a flagged row's port cell; empty for a row with no problem."""
    notes = plan.row_notes(entry)
    if not notes:
        return Html()
    return Html(' <span class="pp-flag" title="{0}" role="img" aria-label="problem: {0}">⚠'
                "</span>").format("; ".join(notes))


def render_port_collisions(plan: PlanProblems, span: PortSpan, links: SiteLinks) -> Html:
    """A port page's warning: which entries collide on it, since which commit."""
    collisions = plan.on_port(span)
    if not collisions:
        return Html()
    items = Html("").join(Html("<li>{}.</li>").format(_collision_text(c, links))
                          for c in collisions)
    return Html('<div class="admonition danger pp-collisions" role="alert">'
                '<p class="admonition-title">Conflict on {}</p><ul>{}</ul>'
                "<p>Give one of them another port, or split them by protocol or "
                "environments.</p></div>").format(span, items)


def render_entry_problems(plan: PlanProblems, entry: Assignment) -> Html:
    """An entry's other errors between entries (a replaced_by naming no entry)."""
    problems = plan.entry_problems(entry)
    if not problems:
        return Html()
    body = Html("").join(Html("<p>{}</p>").format(p.message) for p in problems)
    return Html('<div class="admonition danger pp-entry-problems">'
                '<p class="admonition-title">Problem</p>{}</div>').format(body)


def accepted_row(plan: PlanProblems, entry: Assignment) -> Html:
    """The "Accepted warnings" row of an entry's fields: each code with its reason."""
    accepted = plan.accepted_by(entry)
    if not accepted:
        return Html()
    items = Html("").join(
        Html('<li><code>{}</code>: {} <span class="pp-accepted-warning" title="{}">(accepted)'
             "</span></li>").format(w.problem.code, render_inline(w.reason), w.problem.message)
        for w in accepted)
    return Html('<tr class="pp-accepted"><th scope="row">Accepted warnings</th>'
                '<td><ul class="pp-accepted-list">{}</ul></td></tr>').format(items)
