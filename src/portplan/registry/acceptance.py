"""Accepted warnings: an entry's ``accept:`` key (docs/registry-format.md, "Accepting a warning").

An entry names the warnings it knows about by code, each with the reason it is fine::

    - port: 50051
      service: Legacy gRPC gateway
      accept:
        ephemeral-port: Clients pin 50051; moving it needs every device re-flashed.

An accepted warning is not reported and does not fail ``--strict``; the site shows it with
its reason. Errors cannot be accepted. Other checkers (``check --base``, ``scan``) reuse the
same key: add their warning codes to :data:`ACCEPTABLE`, and filter with
:func:`accept_warnings` or ask :func:`accepted_reason`.

>>> accepted_reason(Assignment("gRPC", accepts=(("ephemeral-port", "pinned"),)), "ephemeral-port")
'pinned'
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portplan.model import Assignment, Position, Registry
from portplan.problems import Problem, Severity

if TYPE_CHECKING:
    import yaml

    from portplan.registry.entries import EntryReader

# The warnings an entry may accept: code -> what it says (for messages and the docs).
ACCEPTABLE: dict[str, str] = {
    "ephemeral-port": "the port lies in an ephemeral (client) port range",
    "range-protocol-mismatch": "the port lies in a declared range for other protocols",
    "invalid-service-name": "name is not an RFC 6335 service name",
    "invalid-env-var": "env_var is not a shell variable name",
    "remove-after-passed": "the deprecation's remove_after date has passed",
    "duplicate-env-var": "env_var also configures another entry in the same environments",
    "port-reuse": "`check --base`: the port was freed recently or deprecated at the base",
    "moved-without-deprecation": "`check --base`: the service moved without a deprecation",
    "env-var-port": "`scan`: an assignment of the entry's env_var sets another port",
    "location-port": "`scan`: a listener in the entry's location binds another port",
}

# Errors, named so that accepting one gets its own message: they cannot be accepted.
ERRORS_NOT_ACCEPTABLE = frozenset({
    "port-conflict", "range-conflict", "unknown-replacement", "self-replacement",
    "removed-without-deprecation", "missing-deprecation", "unexpected-deprecation",
})


@dataclass(frozen=True)
class AcceptedWarning:
    """A warning an entry accepted, and the entry's reason."""

    problem: Problem
    reason: str


def refusal(code: str) -> str | None:
    """Why ``code`` cannot be accepted, or None when it can.

    >>> refusal("ephemeral-port") is None
    True
    >>> refusal("port-conflict").startswith("'port-conflict' is an error")
    True
    """
    if code in ACCEPTABLE:
        return None
    if code in ERRORS_NOT_ACCEPTABLE:
        return (f"'{code}' is an error, and errors cannot be accepted: fix it in the registry "
                "instead")
    close = difflib.get_close_matches(code, ACCEPTABLE, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(ACCEPTABLE)
    return f"'{code}' is not a warning an entry can accept; {hint}"


def read_accepts(reader: EntryReader, node: yaml.Node, what: str
                 ) -> tuple[tuple[str, str], ...] | None:
    """An entry's ``accept: {CODE: reason}``, every wrong code or empty reason reported."""
    parts = reader.mapping(node, what, None)
    if parts is None:
        return None
    if not parts:
        reader.error(node, "empty-value", f"{what} is empty; name a warning code and why it "
                     "is fine, e.g. ephemeral-port: <reason>, or remove the key")
    out = []
    for code, (key_node, value) in parts.items():
        refused = refusal(code)
        if refused is not None:
            reader.error(key_node, "unacceptable-code", f"{what}: {refused}")
            continue
        reason = reader.required_text(value, f"the reason in {what} for {code}")
        if reason is not None:
            out.append((code, reason))
    return tuple(out)


def accepted_reason(entry: Assignment, code: str) -> str | None:
    """The reason ``entry`` gives for accepting warning ``code``, or None."""
    return dict(entry.accepts).get(code)


def accept_warnings(problems: Sequence[Problem], registry: Registry
                    ) -> tuple[list[Problem], list[AcceptedWarning]]:
    """The problems still reported, and the warnings their entries accepted.

    A warning belongs to the entry at ``problem.entry``, or else to the entry whose port is
    where the warning points (the rules place entry warnings there).
    """
    by_position: dict[Position, Assignment] = {a.position: a for a in registry.ports
                                               if a.accepts}
    if not by_position:
        return list(problems), []
    kept: list[Problem] = []
    accepted: list[AcceptedWarning] = []
    for problem in problems:
        entry = by_position.get(problem.entry or problem.position)
        reason = (accepted_reason(entry, problem.code)
                  if entry is not None and problem.severity is Severity.WARNING else None)
        if reason is None:
            kept.append(problem)
        else:
            accepted.append(AcceptedWarning(problem, reason))
    return kept, accepted
