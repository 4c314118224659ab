"""The registry's history from git: records, pure event derivation, and the reader."""

from portplan.history.events import diff_registries
from portplan.history.model import Change, Commit, EventKind, History, PortEvent
from portplan.history.timeline import read_history

__all__ = ["Change", "Commit", "EventKind", "History", "PortEvent", "diff_registries",
           "read_history"]
