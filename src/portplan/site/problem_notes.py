"""Errors between entries and accepted warnings as HTML (docs/site.md, "A plan with problems").

The plan page gets a banner naming each problem, each flagged table row a short note, and each
port page the entries that collide on it, with the commit where their collision began.
"""

from __future__ import annotations

import html

from portplan.history.model import Commit
from portplan.model import Assignment, PortSpan
from portplan.site.event_text import commit_ref, dated_ref, port_link
from portplan.site.inline import render_inline
from portplan.site.plan_problems import Collision, PlanProblems
from portplan.site.urls import SiteLinks


def _holder(entry: Assignment, links: SiteLinks) -> str:
    where = f" in {', '.join(entry.environments)}" if entry.environments is not None else ""
    return (f"<strong>{html.escape(entry.service)}</strong> "
            f"({port_link(entry.port, links)}/{html.escape('/'.join(entry.protocols))}"
            f"{html.escape(where)}, line {entry.position.line})")


def _began(commit: Commit | None, links: SiteLinks) -> str:
    if commit is None:
        return "since before the recorded history"
    subject = html.escape(commit.subject)
    return (f"since {commit_ref(commit, links)} on {dated_ref(commit, links)} "
            f"(<q>{subject}</q>)")


def _collision_text(c: Collision, links: SiteLinks) -> str:
    found = c.conflict
    scope = "/".join(found.protocols)
    if found.environments is not None:
        scope += " in " + ", ".join(found.environments)
    return (f"{port_link(found.shared, links)}/{html.escape(scope)} is held by both "
            f"{_holder(found.earlier, links)} and {_holder(found.later, links)}, "
            f"{_began(c.began, links)}")


def render_banner(plan: PlanProblems, links: SiteLinks) -> str:
    """The plan page's banner: every error between entries, or nothing when there is none."""
    if not plan.problems:
        return ""
    items = [f"<li>{_collision_text(c, links)}.</li>" for c in plan.collisions]
    items += [f"<li><code>{html.escape(p.file)}:{p.line}:{p.column}</code> "
              f"{html.escape(p.message)}</li>"
              for p in plan.problems if p.code != "port-conflict"]
    count = len(plan.problems)
    title = f"This plan has {count} error{'' if count == 1 else 's'} between entries"
    return (f'<div class="admonition danger pp-problems" role="alert">'
            f'<p class="admonition-title">{title}</p>'
            "<p>The site shows the plan as it is in the registry, so everyone can see the "
            "problem; the flagged rows below are the entries concerned. "
            "<code>portplan check</code> fails until they are fixed.</p>"
            f'<ul>{"".join(items)}</ul></div>')


def render_row_flag(plan: PlanProblems, entry: Assignment) -> str:
    """A short warning in a flagged row's port cell; empty for a row with no problem."""
    notes = plan.row_notes(entry)
    if not notes:
        return ""
    title = html.escape("; ".join(notes), quote=True)
    return (f' <span class="pp-flag" title="{title}" role="img" '
            f'aria-label="problem: {title}">⚠</span>')


def render_port_collisions(plan: PlanProblems, span: PortSpan, links: SiteLinks) -> str:
    """A port page's warning: which entries collide on it, since which commit."""
    collisions = plan.on_port(span)
    items = [f"<li>{_collision_text(c, links)}.</li>" for c in collisions]
    if not items:
        return ""
    return (f'<div class="admonition danger pp-collisions" role="alert">'
            f'<p class="admonition-title">Conflict on {span}</p>'
            f'<ul>{"".join(items)}</ul>'
            "<p>Give one of them another port, or split them by protocol or environments.</p>"
            "</div>")


def render_entry_problems(plan: PlanProblems, entry: Assignment) -> str:
    """An entry's other errors between entries (a replaced_by naming no entry)."""
    problems = plan.entry_problems(entry)
    if not problems:
        return ""
    body = "".join(f"<p>{html.escape(p.message)}</p>" for p in problems)
    return (f'<div class="admonition danger pp-entry-problems">'
            f'<p class="admonition-title">Problem</p>{body}</div>')


def accepted_row(plan: PlanProblems, entry: Assignment) -> str:
    """The "Accepted warnings" row of an entry's fields: each code with its reason."""
    accepted = plan.accepted_by(entry)
    if not accepted:
        return ""
    items = "".join(
        f"<li><code>{html.escape(w.problem.code)}</code>: {render_inline(w.reason)} "
        f'<span class="pp-accepted-warning" title="{html.escape(w.problem.message, quote=True)}">'
        "(accepted)</span></li>" for w in accepted)
    return (f'<tr class="pp-accepted"><th scope="row">Accepted warnings</th>'
            f'<td><ul class="pp-accepted-list">{items}</ul></td></tr>')
