"""Read every source file under a root and hold what they set against the registry.

>>> from portplan.model import Registry
>>> result = scan(Path("."), Registry(), ScanConfig(), only=("no-such-dir",))
>>> result.files_read, result.findings
(0, ())
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from portplan.model import Registry
from portplan.scan import (
    compose,
    dockerfile,
    dotenv_file,
    environment_files,
    files,
    kubernetes,
    nginx,
    node,
    procfile,
    shell,
    systemd,
)
from portplan.scan.config import ScanConfig
from portplan.scan.matcher import Located, directories_of, match
from portplan.scan.places import FileScan, Finding, Notice
from portplan.scan.yamldocs import YamlProblem

MAX_BYTES = 2_000_000  # a source a person wrote is far smaller; bigger files are data
_BINARY_PROBE = 8192

Reader = Callable[[FileScan, str, frozenset[str]], None]
READERS: dict[str, Reader] = {
    "systemd": systemd.read,
    "dotenv": dotenv_file.read,
    "compose": compose.read,
    "kubernetes": kubernetes.read,
    "dockerfile": dockerfile.read,
    "shell": shell.read,
    "procfile": procfile.read,
    "package.json": node.read_package,
    "dev-server": node.read_dev_server,
}


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    sources: tuple[Located, ...]
    notices: tuple[Notice, ...]
    files_read: int


def scan(root: Path, registry: Registry, config: ScanConfig, *,
         only: Sequence[str] = (), exclude: Sequence[str] = (),
         skip: Sequence[str] = ()) -> ScanResult:
    """Scan ``root``; ``only`` limits it to paths (root-relative), ``exclude`` adds globs to
    the configured ones, ``skip`` names files that are never sources (the registry)."""
    listed = files.listing(root)
    wanted = tuple(only) or config.paths
    patterns = (*config.exclude, *exclude)
    env_vars = frozenset(a.env_var for a in registry.ports if a.env_var)
    scans: list[FileScan] = []
    for path in listed:
        if path in skip or (wanted and not files.matches(path, wanted)) \
                or files.matches(path, patterns):
            continue
        kind = files.kind_of(path)
        if kind is not None and (found := read_file(root, path, kind, env_vars,
                                                    listed)) is not None:
            scans.append(found)
    # One place once, though merge keys may bring it into several Compose services.
    places = list(dict.fromkeys(p for s in scans for p in s.places))
    matched = match(registry, places, config, directories_of(listed))
    notices = tuple(n for s in scans for n in s.notices)
    return ScanResult(matched.findings, matched.sources, notices, len(scans))


def read_file(root: Path, path: str, kind: str, env_vars: frozenset[str],
              listed: Sequence[str] = ()) -> FileScan | None:
    """What one file sets; None when it turns out to be no source (no shell ``#!`` line).

    ``listed`` (the files of the scan) is where a unit's ``EnvironmentFile=`` is looked for.
    """
    found = FileScan(path, kind)
    data = _read_bytes(found, root / path)
    if data is None:
        return found if found.notices else None
    if kind == "shebang":
        if not files.is_shell_script(data[:256]):
            return None
        found = FileScan(path, kind := "shell")
    if b"\0" in data[:_BINARY_PROBE]:
        found.notice(1, "a binary file (it holds NUL bytes); not read")
        return found
    text = _decode(found, data)
    if (kind == "kubernetes" and not kubernetes.is_manifest(text)) or (
            kind == "nginx" and not nginx.looks_like_nginx(path, text)):
        return None
    if kind == "systemd":
        found.variables.update(environment_files.variables(
            root, path, systemd.environment_files(text), listed))
    try:
        if kind == "nginx":
            nginx.read(found, root / path, text)
        else:
            READERS[kind](found, text, env_vars)
    except YamlProblem as exc:
        found.notice(1, f"YAML that does not parse ({exc}); the file is skipped")
    except UnicodeDecodeError:
        found.notice(1, "not UTF-8, which the nginx parser needs; the file is skipped")
    return found


def _read_bytes(found: FileScan, file: Path) -> bytes | None:
    try:
        if file.is_symlink() or not file.is_file():
            return None  # links are not followed (no loops, nothing outside the tree)
        if file.stat().st_size > MAX_BYTES:
            found.notice(1, f"larger than {MAX_BYTES} bytes; not read")
            return None
        return file.read_bytes()
    except OSError as exc:
        found.notice(1, f"cannot be read: {exc.strerror}")
        return None


def _decode(found: FileScan, data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        found.notice(line, f"not UTF-8 (byte 0x{data[exc.start]:02x}); read with the "
                           "undecodable bytes replaced")
        return data.decode("utf-8", "replace").removeprefix("\ufeff")
