"""Ports in one command line: server flags, ``VAR=N`` prefixes, URLs (docs/scan.md).

Shared by systemd ``ExecStart=``, shell scripts, Procfiles and package.json scripts. Words are
split by :mod:`shlex`, which follows the POSIX shell's quoting; systemd's own quoting is close
enough for the server flags we look for.

>>> from portplan.scan.places import FileScan
>>> found = FileScan("run.sh", "shell")
>>> read_command(found, 1, "uvicorn app:api --port 8001", words("uvicorn app:api --port 8001"))
>>> [(p.port.low, p.role.value, p.what) for p in found.places]
[(8001, 'listener', '--port')]
"""

from __future__ import annotations

import shlex
from pathlib import PurePosixPath

from portplan.model import PortSpan
from portplan.scan import values
from portplan.scan.places import FileScan, Role

PORT_FLAGS = frozenset({
    "--port", "--listen-port", "--http-port", "--https-port", "--grpc-port", "--metrics-port",
    "--rpc-port", "--p2p-port", "--ws-port", "--admin-port", "--bind-port", "--web-port",
})
BIND_FLAGS = frozenset({"--bind", "-b", "--listen", "--listen-address", "--bind-address",
                        "--web.listen-address", "--http-address", "--addr"})
# Servers whose -p is the port to listen on (elsewhere -p means many things: mkdir -p).
P_SERVERS = frozenset({"next", "flask", "http-server", "serve", "live-server", "hugo",
                       "webpack-dev-server", "jupyter", "streamlit"})
# Clients: their port flags name a port they connect to.
CLIENTS = frozenset({"ssh", "scp", "sftp", "psql", "pg_isready", "mysql", "mysqladmin",
                     "redis-cli", "mongo", "mongosh", "nc", "ncat", "telnet", "curl", "wget",
                     "grpcurl", "rsync", "websocat"})
CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl"})
# Words that run the next word as the command.
WRAPPERS = frozenset({"exec", "sudo", "nohup", "env", "time", "setsid", "nice", "ionice",
                      "command", "npx", "pnpx", "bunx", "uv", "poetry", "pipenv", "run",
                      "tini", "dumb-init", "gosu", "su-exec", "chpst", "--"})
WRAPPER_VALUES = frozenset({"-u", "-g", "-C", "-n", "--user", "--group"})
SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", "{", "}", ";;", "|&"})
DECLARE = frozenset({"export", "local", "readonly", "declare", "typeset"})


def words(text: str) -> list[str]:
    """The shell words of ``text``; comments dropped. Raises ValueError on an open quote."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    return list(lexer)


def commands(tokens: list[str]) -> list[list[str]]:
    """The simple commands of a word list, split at ``;``, ``&&``, ``|`` and the like."""
    out: list[list[str]] = [[]]
    for token in tokens:
        if token in SEPARATORS:
            out.append([])
        else:
            out[-1].append(token)
    return [c for c in out if c]


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and values.NAME.fullmatch(name) is not None


def read_command(found: FileScan, line: int, text: str, tokens: list[str],
                 env_vars: frozenset[str] = frozenset()) -> None:
    """Every port that the commands in ``tokens`` (one line of ``text``) set or name."""
    for command in commands(tokens):
        _read_simple(found, line, text, command, env_vars)


def _read_simple(found: FileScan, line: int, text: str, command: list[str],
                 env_vars: frozenset[str]) -> None:
    at = 0
    while at < len(command) and _is_assignment(command[at]):  # A=1 B=2 cmd
        _assign(found, line, text, command[at], env_vars)
        at += 1
    if at == len(command):  # A=1 alone sets A for the lines after it; A=1 cmd only for cmd
        _remember(found, command)
        return
    if command[at] in DECLARE:  # export A=1 B=2
        for word in command[at + 1:]:
            if _is_assignment(word):
                _assign(found, line, text, word, env_vars)
        _remember(found, [w for w in command[at + 1:] if _is_assignment(w)])
        return
    while at < len(command) and PurePosixPath(command[at]).name in WRAPPERS:
        at += 1
        while at < len(command) and (command[at].startswith("-") or _is_assignment(command[at])):
            if _is_assignment(command[at]):  # env A=1 cmd
                _assign(found, line, text, command[at], env_vars)
            at += 2 if command[at] in WRAPPER_VALUES else 1  # sudo -u app
    if at >= len(command):
        return
    program = PurePosixPath(command[at]).name
    _read_arguments(found, line, text, program, command[at + 1:])


def _remember(found: FileScan, assignments: list[str]) -> None:
    """Keep what ``A=1`` sets, so that a later ``--port "$A"`` reads 1 (docs/scan.md)."""
    for word in assignments:
        name, _, value = word.partition("=")
        expanded, _ = values.expand(value, found.variables)
        if expanded is None:
            found.variables.pop(name, None)  # set to something unknown: no longer 1
        else:
            found.variables[name] = expanded


def _assign(found: FileScan, line: int, text: str, word: str, env_vars: frozenset[str]) -> None:
    name, _, value = word.partition("=")
    values.assignment(found, line, values.column_of(text, name), name, value, env_vars=env_vars)


def _read_arguments(found: FileScan, line: int, text: str, program: str,
                    args: list[str]) -> None:
    role = Role.REFERENCE if program in CLIENTS else Role.LISTENER
    if program.startswith("python") and args[:2] == ["-m", "http.server"]:
        rest = [a for a in args[2:] if not a.startswith("-")]
        if rest and (number := values.port(rest[0])) is not None:
            found.add(line, values.column_of(text, rest[0]), PortSpan.single(number),
                      Role.LISTENER, "http.server")
    for index, arg in enumerate(args):
        flag, eq, inline = arg.partition("=")
        value = inline if eq else (args[index + 1] if index + 1 < len(args) else "")
        if not arg.startswith("-"):
            url = values.expand(arg, found.variables)[0] if "$" in arg else arg
            for number in values.url_ports(url or ""):
                at = values.column_of(text, str(number)) if str(number) in text \
                    else values.column_of(text, arg)
                found.add(line, at, PortSpan.single(number), Role.REFERENCE, "URL")
            continue
        if flag in PORT_FLAGS or (flag in ("-p", "-P") and (
                program in P_SERVERS or program in CLIENTS)):
            _flag(found, line, text, flag, value, role=role, parse=values.port)
        elif flag in BIND_FLAGS and program not in CLIENTS:
            _flag(found, line, text, flag, value, role=Role.LISTENER, parse=values.host_port)
        elif flag in ("-p", "--publish") and program in CONTAINER_RUNNERS:
            published = value.split(":")
            if len(published) >= 2:  # [IP:]HOST:CONTAINER[/proto]
                _flag(found, line, text, flag, published[-2], role=Role.LISTENER, parse=values.span)


def _flag(found: FileScan, line: int, text: str, flag: str, value: str, *, role: Role,
          parse: values.PortParser) -> None:
    expanded, variable = values.expand(value, found.variables)
    if expanded is None:
        return
    parsed = parse(expanded)
    if parsed is None:
        return
    spanned = parsed if isinstance(parsed, PortSpan) else PortSpan.single(parsed)
    after = values.column_of(text, flag) - 1
    what = flag
    if variable is not None and variable in found.variables:
        # "$PORT" from an assignment the file made: that assignment is a place of its own
        # (tied to an entry's env_var there), this one is the server listening on its value.
        what, variable = f"{flag} ${variable}", None
        column = values.column_of(text, value, after)
    else:
        column = values.column_of(text, str(spanned.low), after)
    found.add(line, column, spanned, role, what, variable=variable)
