"""What a site is built from: the checked registry and its git history, read once per build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portplan.history import read_history
from portplan.model import Registry
from portplan.problems import PortplanError, Problem, Severity, unreadable
from portplan.registry.load import Loaded, check_file
from portplan.site.code_places import NO_CODE, CodeView, read_code
from portplan.site.history_view import HistoryView, NoHistory
from portplan.site.options import Options, SiteSettings
from portplan.site.plan import Site
from portplan.site.plan_problems import PlanProblems
from portplan.site.table import choose_columns


class SiteError(PortplanError):
    """The site cannot be built; ``problems`` are the registry's, to report before the error."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


# Set by the deploy workflow: errors between entries are published as they are (docs/site.md).
PUBLISH_PROBLEMS = "PORTPLAN_PUBLISH_PROBLEMS"


@dataclass(frozen=True)
class BuildMessages:
    """What a build says about its source: ``warnings`` fail ``--strict``, ``infos`` never do."""

    warnings: tuple[str, ...]
    infos: tuple[str, ...]


@dataclass(frozen=True)
class SiteSource:
    registry: Registry
    history: HistoryView
    # The registry's warnings and its errors between entries (conflicts): the site is still
    # built and shows them (docs/site.md, "A plan with problems"); an engine logs them.
    warnings: tuple[Problem, ...]
    problems: PlanProblems = field(default_factory=PlanProblems)
    code: CodeView = NO_CODE  # where the code sets the ports (docs/scan.md)

    @property
    def between_entries(self) -> tuple[Problem, ...]:
        return self.problems.problems

    def messages(self, *, publish: bool) -> BuildMessages:
        """The registry's warnings and errors between entries, and the history's notices, as
        every engine reports them (docs/site.md, "A plan with problems").

        Errors between entries are warnings, unless the deploy workflow publishes them
        (``publish``). A whole history's notices (a clamped date) and its skipped versions are
        infos: no one can mend a past commit, and --strict would fail every build from then on.
        An incomplete or missing history is a warning (docs/history.md).
        """
        warnings = [str(p) for p in self.warnings]
        infos: list[str] = []
        for problem in self.between_entries:
            if publish:
                infos.append(f"{problem} (published: {PUBLISH_PROBLEMS}=1)")
            else:
                warnings.append(str(problem))
        whole = self.history.available and self.history.complete
        (infos if whole else warnings).extend(self.history.notices)
        infos.extend(self.history.skipped)
        return BuildMessages(tuple(warnings), tuple(infos))

    def site(self, options: Options, settings: SiteSettings) -> Site:
        """The site this source makes: what the hook and `portplan site generate` both build."""
        return Site.of(self.registry, self.history, options, settings, self.problems,
                       code=self.code)


def read_source(root: Path, options: Options) -> SiteSource:
    """Read and check the registry under ``root``, then its history; SiteError if unusable."""
    loaded = read_registry(root, options)
    if loaded.registry is None:  # read_registry raises first; this narrows the type
        raise SiteError(f"{options.registry}: the registry cannot be read")
    history = load_history(root, options.registry)
    plan = PlanProblems.find(loaded.registry, loaded.between_entries, history.events,
                             loaded.accepted)
    warnings = tuple(p for p in loaded.problems if p.severity is not Severity.ERROR)
    return SiteSource(loaded.registry, history, warnings, plan,
                      read_site_code(root, loaded.registry, options))


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


def read_registry(root: Path, options: Options) -> Loaded:
    """The checked registry; SiteError (with every problem) when it cannot be read.

    Errors between entries do not stop the build: the loaded registry carries them.
    """
    path = root / options.registry
    if not path.is_file():
        raise SiteError(f"{options.registry}: the registry file does not exist; "
                        "create it, or set extra.portplan.registry.load in mkdocs.yml")
    loaded = check_file(path, display=options.registry)
    errors = len(unreadable(loaded.problems))
    if errors or loaded.registry is None:
        raise SiteError(f"{options.registry}: {errors} error(s) in the registry; "
                        "fix them and rebuild (`portplan check` gives the same report)",
                        tuple(loaded.problems))
    try:
        choose_columns(loaded.registry, options.columns)
    except ValueError as exc:
        raise SiteError(f"mkdocs.yml: extra.portplan.columns: {exc}") from None
    return loaded


def load_history(root: Path, registry: str) -> HistoryView:
    """The registry's git history; NoHistory with the reason if git fails."""
    try:
        return read_history(root, Path(registry))
    except PortplanError as exc:
        return NoHistory(f"history is unavailable: {exc}")
