"""systemd units: server flags in ``ExecStart=``, ``Environment=``, ``.socket`` listen lines."""

from __future__ import annotations

from portplan.model import PortSpan
from portplan.scan import commandline, values
from portplan.scan.places import FileScan, Role
from portplan.scan.textlines import logical_lines

EXEC_KEYS = frozenset({"ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload"})
LISTEN_KEYS = {"ListenStream": "tcp", "ListenDatagram": "udp",
               "ListenSequentialPacket": "tcp"}


def read(found: FileScan, text: str, env_vars: frozenset[str]) -> None:
    lines = list(logical_lines(found, text, comments=("#", ";")))
    # ExecStart= expands $VAR and ${VAR} from the unit's environment, wherever in the unit
    # Environment= sets it; EnvironmentFile= values (already in found.variables) win.
    for logical in lines:
        key, _, value = logical.text.partition("=")
        if key.strip() == "Environment":
            for name, setting in _settings(value.strip()):
                found.variables.setdefault(name, setting)
    for logical in lines:
        since = len(found.places)
        _line(found, logical.number, logical.text, env_vars)
        found.relocate(since, logical.where)


def environment_files(text: str) -> list[str]:
    """The paths the unit's ``EnvironmentFile=`` lines name (a leading ``-``: optional)."""
    out: list[str] = []
    for raw in text.splitlines():
        key, eq, value = raw.partition("=")
        if eq and key.strip() == "EnvironmentFile" and value.strip():
            out.append(value.strip().removeprefix("-"))
    return out


def _settings(value: str) -> list[tuple[str, str]]:
    try:
        words = commandline.words(value)
    except ValueError:
        return []
    return [(name, setting) for name, has, setting in (w.partition("=") for w in words)
            if has and values.NAME.fullmatch(name)]


def _line(found: FileScan, line: int, raw: str, env_vars: frozenset[str]) -> None:
    key, eq, value = raw.partition("=")
    key, value = key.strip(), value.strip()
    if not eq or key.startswith("["):
        return
    if key in EXEC_KEYS:
        _exec_start(found, line, raw, value, env_vars)
    elif key == "Environment":
        try:
            words = commandline.words(value)
        except ValueError:
            found.notice(line, "unterminated quote in Environment=; the line is skipped")
            return
        for word in words:
            name, has, setting = word.partition("=")
            if has:
                values.assignment(found, line, values.column_of(raw, name), name,
                                  setting, env_vars=env_vars)
    elif key in LISTEN_KEYS and (number := values.host_port(value)) is not None:
        found.add(line, values.column_of(raw, value), PortSpan.single(number),
                  Role.LISTENER, f"{key}=", protocol=LISTEN_KEYS[key])


def _exec_start(found: FileScan, line: int, raw: str, value: str,
                env_vars: frozenset[str]) -> None:
    command = value.lstrip("@-:+!")  # systemd's prefixes: ignore failure, run privileged, ...
    try:
        words = commandline.words(command)
    except ValueError:
        found.notice(line, "unterminated quote in ExecStart=; the line is skipped: close the "
                           "quote")
        return
    commandline.read_command(found, line, raw, words, env_vars)
