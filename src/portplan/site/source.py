"""What a site is built from: the checked registry and its git history, read once per build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portplan.history import read_history
from portplan.model import Registry
from portplan.problems import PortplanError, Problem, Severity
from portplan.registry import check_file
from portplan.site.code_places import NO_CODE, CodeView, read_code
from portplan.site.history_view import HistoryView, NoHistory
from portplan.site.options import Options
from portplan.site.table import choose_columns


class SiteError(PortplanError):
    """The site cannot be built; ``problems`` are the registry's, to report before the error."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class SiteSource:
    registry: Registry
    history: HistoryView
    warnings: tuple[Problem, ...]  # the registry's warnings (errors stop the build)
    code: CodeView = NO_CODE  # where the code sets the ports (docs/scan.md)


def read_source(root: Path, options: Options) -> SiteSource:
    """Read and check the registry under ``root``, then its history; SiteError if unusable."""
    registry, warnings = read_registry(root, options)
    return SiteSource(registry, load_history(root, options.registry), warnings,
                      read_site_code(root, registry, options))


def read_site_code(root: Path, registry: Registry, options: Options) -> CodeView:
    """The scan of the repository, when ``extra.portplan.scan`` is on; SiteError on bad
    ``scan:`` settings, which `portplan scan` reports the same way."""
    if not options.scan:
        return NO_CODE
    try:
        return read_code(root, registry, root / options.registry)
    except PortplanError as exc:
        raise SiteError(f"{exc}\n(set extra.portplan.scan: false to build without the scan)"
                        ) from None


def read_registry(root: Path, options: Options) -> tuple[Registry, tuple[Problem, ...]]:
    """The checked registry and its warnings; SiteError (with every problem) on errors."""
    path = root / options.registry
    if not path.is_file():
        raise SiteError(f"{options.registry}: the registry file does not exist; "
                        "create it, or set extra.portplan.registry in mkdocs.yml")
    loaded = check_file(path, display=options.registry)
    errors = sum(p.severity is Severity.ERROR for p in loaded.problems)
    if errors or loaded.registry is None:
        raise SiteError(f"{options.registry}: {errors} error(s) in the registry; "
                        "fix them and rebuild (`portplan check` gives the same report)",
                        tuple(loaded.problems))
    try:
        choose_columns(loaded.registry, options.columns)
    except ValueError as exc:
        raise SiteError(f"mkdocs.yml: extra.portplan.columns: {exc}") from None
    return loaded.registry, tuple(loaded.problems)


def load_history(root: Path, registry: str) -> HistoryView:
    """The registry's git history; NoHistory with the reason if git fails."""
    try:
        return read_history(root, Path(registry))
    except PortplanError as exc:
        return NoHistory(f"history is unavailable: {exc}")
