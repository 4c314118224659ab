"""What a scan finds: places in the code that set a port, findings, and notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from portplan.model import Assignment, PortSpan
from portplan.problems import Severity


class Role(StrEnum):
    """What a place does with its port."""

    LISTENER = "listener"  # this process binds the port
    REFERENCE = "reference"  # it connects to the port
    SETTING = "setting"  # a variable set to a port: neither, until an entry's env_var names it


@dataclass(frozen=True)
class Place:
    """One place in a file that sets or names a port.

    ``file`` is relative to the scanned root, ``/``-separated; ``line`` and ``column`` are
    1-based. ``variable`` is the environment variable the port is assigned to or defaults for
    (``${API_PORT:-8080}``), which ties the place to the entry whose ``env_var`` it is.
    """

    file: str
    line: int
    column: int
    port: PortSpan
    role: Role
    source: str  # the source kind: systemd, dotenv, compose, ...
    what: str  # how the file sets it, for messages: "--port", "listen", "ports:"
    protocol: str = "tcp"
    variable: str | None = None


@dataclass(frozen=True)
class Notice:
    """A file the scan could not read, or read only in part; never a failure."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: notice: {self.message}"


@dataclass(frozen=True)
class Finding:
    """A place where the code and the registry disagree."""

    place: Place
    severity: Severity
    code: str
    message: str
    entry: Assignment | None = None
    accepted: str | None = field(default=None, compare=False)  # the reason, when accepted


@dataclass
class FileScan:
    """Collects what one reader finds in one file."""

    path: str
    source: str
    places: list[Place] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # What the file (or a unit's EnvironmentFile=) has set so far, for ``--port "$PORT"``.
    variables: dict[str, str] = field(default_factory=dict)

    def add(self, line: int, column: int, port: PortSpan, role: Role, what: str, *,
            protocol: str = "tcp", variable: str | None = None) -> None:
        self.places.append(Place(self.path, line, column, port, role, self.source, what,
                                 protocol, variable))

    def relocate(self, since: int, where: Callable[[int], tuple[int, int]]) -> None:
        """Move the places added since ``since`` from a joined line to the physical lines."""
        for at in range(since, len(self.places)):
            place = self.places[at]
            line, column = where(place.column)
            self.places[at] = replace(place, line=line, column=column)

    def notice(self, line: int, message: str) -> None:
        self.notices.append(Notice(self.path, line, message))
