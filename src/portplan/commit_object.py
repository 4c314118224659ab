"""A git commit object's bytes to a record, whatever bytes it holds (docs/history.md).

Git accepts commits that Python's types do not: a date in the year 10000, an offset of +2400,
an author that is not UTF-8, a header line without a date. Each is read anyway, with a notice
that says what was replaced, so a history never crashes on what git let in.

>>> c = parse_commit("ab" * 20, b"tree 1\\nauthor A <a@x> 0 +0000\\n"
...                  b"committer C <c@x> 86400 +0100\\n\\nSubject\\n\\nBody\\n")
>>> (c.author, c.committer_date.isoformat(), c.subject, c.notices)
('A', '1970-01-02T01:00:00+01:00', 'Subject', ())
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

_TZ = re.compile(rb"([+-])(\d\d)(\d\d)")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# One day inside what datetime can hold, so that any offset still gives a valid date.
_LATEST = int((dt.datetime(9999, 12, 30, tzinfo=dt.UTC) - _EPOCH).total_seconds())
_EARLIEST = int((dt.datetime(1, 1, 2, tzinfo=dt.UTC) - _EPOCH).total_seconds())
_MAX_OFFSET = 24 * 60 - 1  # minutes: Python refuses a UTC offset of a whole day or more


@dataclass(frozen=True)
class CommitObject:
    """What the history needs of one commit; ``notices`` say what could not be read as is."""

    sha: str
    parents: tuple[str, ...]
    author: str
    author_date: dt.datetime
    committer_date: dt.datetime
    message: str
    notices: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()


def parse_commit(sha: str, data: bytes) -> CommitObject:
    """The record of commit ``sha`` from its raw object ``data`` (``git cat-file commit``)."""
    head, _, body = data.partition(b"\n\n")
    parents: list[str] = []
    people: dict[bytes, bytes] = {}
    encoding = "utf-8"
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"parent":
            parents.append(value.decode("ascii", errors="replace"))
        elif key in (b"author", b"committer") and key not in people:
            people[key] = value
        elif key == b"encoding":
            encoding = _codec(value)
    notices: list[str] = []
    short = sha[:12]
    author, author_date = _person(people.get(b"author", b""), encoding, f"{short} author",
                                  notices)
    _, committer_date = _person(people.get(b"committer", b""), encoding,
                                f"{short} committer", notices)
    message = _decode(body, encoding, f"commit {short}: its message", notices)
    return CommitObject(sha, tuple(parents), author, author_date, committer_date,
                        message.strip("\n"), tuple(notices))


def _codec(name: bytes) -> str:
    try:
        return codecs.lookup(name.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return "utf-8"  # an encoding Python does not know: read as UTF-8, with a notice


def _decode(raw: bytes, encoding: str, what: str, notices: list[str]) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        notices.append(f"{what} is not valid {encoding}; it is shown with replacement "
                       "characters (\ufffd)")
        return raw.decode(encoding, errors="replace")


def _person(value: bytes, encoding: str, what: str,
            notices: list[str]) -> tuple[str, dt.datetime]:
    """The name and date of an ``author`` or ``committer`` header: ``Name <email> TS TZ``."""
    ident, stamp, zone = value, b"", b""
    parts = value.rsplit(b" ", 2)
    if len(parts) == 3 and parts[0].endswith(b">"):
        ident, stamp, zone = parts
    name = ident.rpartition(b"<")[0].strip() if b"<" in ident else ident.strip()
    shown = _decode(name, encoding, f"commit {what} name", notices)
    return shown, _date(stamp, zone, what, notices)


def _date(stamp: bytes, zone: bytes, what: str, notices: list[str]) -> dt.datetime:
    found = _TZ.fullmatch(zone)
    if not stamp.lstrip(b"-").isdigit() or found is None:
        notices.append(f"commit {what} date {_shown(stamp + b' ' + zone)} cannot be read; "
                       "1970-01-01 is shown instead")
        return _EPOCH
    sign, hours, minutes = found.groups()
    offset = int(hours) * 60 + int(minutes)
    seconds = int(stamp)
    clamped_offset = min(offset, _MAX_OFFSET)
    clamped = min(max(seconds, _EARLIEST), _LATEST)
    if clamped_offset != offset or clamped != seconds:
        notices.append(f"commit {what} date @{seconds} {zone.decode()} is outside what can be "
                       "shown; it is read as the nearest date that can")
    zone_info = dt.timezone(dt.timedelta(minutes=clamped_offset * (-1 if sign == b"-" else 1)))
    return (_EPOCH + dt.timedelta(seconds=clamped)).astimezone(zone_info)


def _shown(raw: bytes) -> str:
    return repr(raw.decode("utf-8", errors="replace").strip())
