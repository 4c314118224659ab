"""The git adapter: the log it reads, the blobs it streams, and the errors it raises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gitrepo import Version, git, make_repo
from portplan import git as pgit
from portplan.problems import GitError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "r", [
        Version("version: 1\nports: []\n", message="Start", date="2026-03-05T10:00:00+09:00"),
        Version("version: 1\nports: []\n# two\n", branch="topic", author="Zoe Ng <z@x.org>",
                message="Topic work"),
        Version(merge="topic", message="Merge pull request #7 from zoe/topic",
                date="2026-03-07T10:00:00-05:00"),
    ])


def test_log_is_first_parent_oldest_first_with_dates_in_their_zones(repo: Path) -> None:
    log = pgit.registry_log(repo, "ports.yaml")
    assert [e.subject for e in log] == ["Start", "Merge pull request #7 from zoe/topic"]
    assert log[0].committer_date.utcoffset() == dt.timedelta(hours=9)
    assert log[1].committer_date.utcoffset() == dt.timedelta(hours=-5)
    assert len(log[1].parents) == 2
    tip = git(repo, "rev-parse", "topic").strip()
    assert pgit.authors(repo, [log[1].parents[1]]) == {tip: "Zoe Ng"}
    assert log[1].blob == git(repo, "rev-parse", "HEAD:ports.yaml").strip()


def test_object_reader_streams_and_closes_even_when_abandoned(repo: Path) -> None:
    blob = git(repo, "rev-parse", "HEAD:ports.yaml").strip()
    with pgit.ObjectReader(repo) as reader:
        stream = reader.read([blob] * 50)
        sha, data = next(stream)
        assert (sha, data) == (blob, b"version: 1\nports: []\n# two\n")
        proc = reader._proc  # the test checks the process really ends
        assert proc is not None
    assert proc.returncode is not None
    assert pgit.blob_id(data) == blob


def test_errors_carry_gits_message(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        pgit.toplevel(tmp_path)
    with pytest.raises(GitError, match="Invalid revision range"):
        pgit.registry_log(make_repo(tmp_path / "r", [Version("x: 1\n")]), "ports.yaml",
                          since="0" * 40)


def test_missing_git_is_a_git_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "r", [Version("x: 1\n")])
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GitError, match="git is not installed"):
        pgit.toplevel(repo)
    with pytest.raises(GitError, match="git is not installed"), \
            pgit.ObjectReader(repo) as reader:
        list(reader.read(["0" * 40]))


def test_missing_directory_is_not_reported_as_missing_git(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="is not a directory"):
        pgit.toplevel(tmp_path / "gone" / "sub")


def test_revision_helpers(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    topic = git(repo, "rev-parse", "topic").strip()
    assert pgit.commit_sha(repo, "main") == head
    assert pgit.commit_sha(repo, "no-such-branch") is None
    assert pgit.commit_sha(repo, "--all") is None
    assert pgit.file_at(repo, "topic", "ports.yaml") == b"version: 1\nports: []\n# two\n"
    assert pgit.file_at(repo, head, "missing.yaml") is None
    assert pgit.merge_base(repo, head, topic) == topic
    line = pgit.first_parent_shas(repo)
    assert line[0] == head and topic not in line
    assert pgit.first_parent_shas(repo, "topic")[0] == topic
