"""Spell a string as a one-line YAML scalar that reads back as the same string."""

from __future__ import annotations

import re

import yaml

from portplan.problems import PortplanError
from portplan.registry.source import YamlLoader as _Loader  # with the pure loader, both must agree


def yaml_scalar(value: str) -> str:
    """Spell ``value`` as a one-line YAML scalar that loads back as the same string.

    Plain when that is unambiguous in both block and flow context, double-quoted otherwise.

    >>> yaml_scalar("Moved to 8020")
    'Moved to 8020'
    >>> yaml_scalar("see: #ops")
    '"see: #ops"'
    """
    if _plain_is_safe(value):
        return value
    return '"' + "".join(_escape(ch) for ch in value) + '"'


_PLAIN_FIRST = re.compile(r"[\w(/$.+=]")
_PLAIN_NEVER = re.compile(r"[,\[\]{}#\"\\\x85\u2028\u2029\ufeff]")


def _plain_is_safe(value: str) -> bool:
    # Conservative: plain only for ordinary text, and only when the resolver keeps it a string
    # in block and in flow context (so "yes", "1.0", "null" and dates get quoted).
    if not value or value != value.strip() or not value.isprintable():
        return False
    if not _PLAIN_FIRST.match(value) or _PLAIN_NEVER.search(value):
        return False
    if ": " in value or value.endswith(":"):
        return False
    # libyaml and the pure loader disagree on a few corners ("{k: 0?}"); both must agree.
    source = f"k: {value}\nf: {{k: {value}}}\n"
    loaders: tuple[type[yaml.CSafeLoader] | type[yaml.SafeLoader], ...] = (_Loader, yaml.SafeLoader)
    for loader in loaders:
        try:
            loaded = yaml.load(source, Loader=loader)  # noqa: S506 - safe loaders only
        except yaml.YAMLError:
            return False
        if loaded != {"k": value, "f": {"k": value}}:
            return False
    return True


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        raise PortplanError("the text contains bytes that are not valid UTF-8; retype it")
    printable = (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFFFD or code >= 0x10000)
    if printable and code not in (0x2028, 0x2029, 0xFEFF):
        return ch
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
