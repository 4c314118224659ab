"""Hold the places found in the code against the registry (docs/scan.md, "Findings").

An entry's ``env_var`` ties every assignment of that variable to the entry, and its
``location`` ties the listeners in the files under that directory to it. A tied place that sets
another port than the entry's is drift; a listener that no entry holds is unregistered; so is a
reference, as a warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from portplan.model import Assignment, Registry
from portplan.problems import Severity
from portplan.registry.acceptance import accepted_reason
from portplan.scan import files
from portplan.scan.config import ScanConfig
from portplan.scan.places import Finding, Place, Role

FIX_ACCEPT = "or accept it with a reason (docs/scan.md, 'Accepting a finding')"
# What each source kind is called in a message: "this unit listens on 8001/tcp (--port)".
NOUNS = {"systemd": "unit", "dotenv": "env file", "compose": "Compose file",
         "kubernetes": "manifest", "dockerfile": "Dockerfile", "nginx": "nginx config",
         "shell": "script", "package.json": "package.json script",
         "dev-server": "dev-server config", "procfile": "Procfile"}


def _this(place: Place) -> str:
    return f"this {NOUNS.get(place.source, 'file')}"


@dataclass(frozen=True)
class Located:
    """A place and the entry it belongs to (None when no entry holds its port)."""

    place: Place
    entry: Assignment | None


@dataclass(frozen=True)
class Matched:
    findings: tuple[Finding, ...]
    sources: tuple[Located, ...]


def _label(entry: Assignment) -> str:
    port = f"{entry.port}" if entry.port else "no port"
    return f"'{entry.service}' ({port})"


def location_directory(location: str, directories: frozenset[str]) -> str | None:
    """The directory an entry's ``location`` names: itself, or the file's directory."""
    cleaned = location.strip().removeprefix("./").rstrip("/")
    if not cleaned or " " in cleaned or cleaned.startswith(("/", "..")):
        return None
    if cleaned in directories:
        return cleaned
    parent = PurePosixPath(cleaned).parent.as_posix()
    return parent if parent != "." else None


class Matcher:
    def __init__(self, registry: Registry, config: ScanConfig,
                 directories: frozenset[str]) -> None:
        self.config = config
        self.held = registry.with_port()
        self.by_variable: dict[str, list[Assignment]] = defaultdict(list)
        self.by_directory: dict[str, list[Assignment]] = defaultdict(list)
        for entry in registry.ports:
            if entry.env_var:
                self.by_variable[entry.env_var].append(entry)
            if entry.location and (where := location_directory(entry.location, directories)):
                self.by_directory[where].append(entry)

    def holders(self, place: Place) -> list[Assignment]:
        """Entries holding the place's port (all of a block) for its protocol."""
        return [e for e in self.held if e.port is not None and e.port.contains(place.port)
                and place.protocol in e.protocols]

    def beside(self, path: str) -> list[Assignment]:
        """The entries whose location is the deepest directory holding ``path``."""
        for parent in PurePosixPath(path).parents:
            if (found := self.by_directory.get(parent.as_posix())) is not None:
                return found
        return []

    def match(self, place: Place) -> tuple[Finding | None, Assignment | None]:
        holders = self.holders(place)
        tied = self.by_variable.get(place.variable or "", [])
        if tied:
            return self._tied(place, tied, holders, f"{place.variable} is set to {place.port} "
                              "here", "env-var-port")
        if place.role is Role.LISTENER and (beside := self.beside(place.file)):
            return self._tied(place, beside, holders, f"{_this(place)} listens on {place.port} "
                              f"({place.what}) in the location of '{beside[0].service}'",
                              "location-port")
        if holders:
            return None, holders[0]
        port = f"{place.port}/{place.protocol}"
        if place.role is Role.LISTENER:
            return Finding(place, Severity.ERROR, "unregistered-listener",
                           f"{_this(place)} listens on {port} ({place.what}), but no entry in "
                           f"the registry holds it; add an entry for it to the registry, "
                           f"{FIX_ACCEPT}"), None
        if place.role is Role.REFERENCE:
            return Finding(place, Severity.WARNING, "unregistered-reference",
                           f"{_this(place)} connects to {port} ({place.what}), but no entry in "
                           "the registry holds it; add the entry it points at, correct the port, "
                           f"{FIX_ACCEPT}"), None
        return None, None

    @staticmethod
    def _tied(place: Place, tied: list[Assignment], holders: list[Assignment], said: str,
              code: str) -> tuple[Finding | None, Assignment | None]:
        for entry in tied:
            if entry.port is not None and entry.port.contains(place.port):
                return None, entry
        entry = next((e for e in tied if e.port is not None), tied[0])
        others = [h for h in holders if h not in tied]
        taken = f"; {place.port} is held by {_label(others[0])}" if others else \
            f"; no entry holds {place.port}"
        want = f"port {entry.port}" if entry.port else "no port"
        # The location's message has named the service already.
        who = "it" if code == "location-port" else f"'{entry.service}'"
        message = (f"{said}, but the registry gives {who} {want}{taken}. "
                   f"Set it to {entry.port or 'the registered port'} here, or change the "
                   f"entry in the registry, {FIX_ACCEPT}")
        return Finding(place, Severity.ERROR, code, message, entry), entry

    def accepted(self, finding: Finding) -> str | None:
        if finding.entry is not None and (
                reason := accepted_reason(finding.entry, finding.code)):
            return reason
        for known in self.config.ignore:
            if files.matches(finding.place.file, [known.file]) \
                    and (known.port is None or known.port.contains(finding.place.port)) \
                    and (known.code is None or known.code == finding.code):
                return known.reason
        return None


def match(registry: Registry, places: Iterable[Place], config: ScanConfig,
          directories: frozenset[str]) -> Matched:
    """Every finding (accepted ones carry their reason) and every place with its entry."""
    matcher = Matcher(registry, config, directories)
    findings: list[Finding] = []
    sources: list[Located] = []
    for place in places:
        finding, entry = matcher.match(place)
        sources.append(Located(place, entry))
        if finding is not None:
            findings.append(replace(finding, accepted=matcher.accepted(finding)))
    return Matched(tuple(findings), tuple(sources))


def directories_of(paths: Sequence[str]) -> frozenset[str]:
    """Every directory that holds one of ``paths``."""
    out: set[str] = set()
    for path in paths:
        parent = path.rpartition("/")[0]
        while parent and parent not in out:
            out.add(parent)
            parent = parent.rpartition("/")[0]
    return frozenset(out)
