"""Random bytes as author names, emails and messages: history stays valid, true JSON.

Each example writes hand-made commit objects with the bytes hypothesis draws (controls, the
old record separators, invalid UTF-8, long lines), then checks that `history --json` is valid
UTF-8 JSON whose records match `git cat-file commit`, and that the feed parses as XML.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitrepo import git, init_repo
from hostile import registry, write_commit
from portplan.cli import main
from portplan.history import cache
from portplan.history.timeline import read_history
from portplan.site.feed import render_feed

SPICE = [b"\x1e", b"\x1f", b"\x00", b"\x1b]0;x\x07", b"\xff", b"\xc3", b"\xe9", b"\r", b"\x0c",
         b"\xc2\x85", b"\xe2\x80\xae", b"::error file=x::y", b"Merge pull request #9 from x"]
ident = st.lists(st.one_of(st.sampled_from(SPICE), st.binary(max_size=8)), max_size=6).map(
    lambda parts: b"".join(parts).replace(b"\n", b" ").replace(b"<", b"").replace(b">", b""))
message = st.lists(st.one_of(st.sampled_from([*SPICE, b"\n", b"\n\n"]), st.binary(max_size=20),
                             st.just(b"x" * 5000)), max_size=8).map(b"".join)


def expected(repo: Path, sha: str) -> tuple[str, str]:
    """(author name, subject) as `git cat-file commit` has them, decoded as UTF-8."""
    raw = git_bytes(repo, "cat-file", "commit", sha)
    head, _, body = raw.partition(b"\n\n")
    author = next(line for line in head.split(b"\n") if line.startswith(b"author "))
    name = author[len(b"author "):].rpartition(b" <")[0].strip()
    text = body.decode("utf-8", errors="replace").strip("\n")
    return name.decode("utf-8", errors="replace"), text.split("\n", 1)[0].strip()


def git_bytes(repo: Path, *args: str) -> bytes:
    import subprocess  # noqa: PLC0415 - only this helper needs raw bytes

    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True).stdout


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ident, ident, message), min_size=1, max_size=3))
def test_random_metadata_gives_valid_json_matching_git_and_a_well_formed_feed(
        commits: list[tuple[bytes, bytes, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as where:
        repo = init_repo(Path(where) / "r")
        shas = []
        for number, (name, email, text) in enumerate(commits):
            shas.append(write_commit(
                repo, message=text, author=name + b" <" + email + b">",
                text=registry(*((3000 + n, f"S{n}") for n in range(number + 1)))))
        cache.forget()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.chdir(repo), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            assert main(["history", "--json"]) == 0
        events = json.loads(out.getvalue().encode("utf-8"))  # strict UTF-8, then JSON
        assert [e["commit"] for e in events] == shas
        for event, sha in zip(events, shas, strict=True):
            assert (event["author"], event["subject"]) == expected(repo, sha)
        history = read_history(repo, repo / "ports.yaml")
        feed = render_feed(history, title="t", site_url=None, repo_url=None)
        ET.fromstring(feed.encode("utf-8"))  # noqa: S314 - our feed; raises if ill-formed
        assert git(repo, "rev-parse", "HEAD").strip() == shas[-1]


@pytest.mark.parametrize("name", [b"\xff\xfe", b"a\x1fb\x1ec", b""])
def test_odd_names_one_by_one(tmp_path: Path, name: bytes) -> None:
    repo = init_repo(tmp_path / "r")
    sha = write_commit(repo, message=b"m\n", author=name + b" <e>",
                       text=registry((3000, "A")))
    history = read_history(repo, repo / "ports.yaml", cache_dir=tmp_path / "c")
    assert (history.events[0].commit.author, history.events[0].commit.subject) == \
        expected(repo, sha)
