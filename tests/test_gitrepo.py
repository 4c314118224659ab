"""The one helper that makes test repositories pins who, when, and no outside configuration."""

from __future__ import annotations

from pathlib import Path

from gitrepo import Version, commit_all, git, make_repo


def test_commit_all_and_make_repo_pin_identity_and_dates(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ports.yaml").write_text("version: 1\nports: []\n")
    sha = commit_all(tmp_path / "a", "Start", date="2026-01-05T09:30:00+09:00")
    shown = git(tmp_path / "a", "show", "-s", "--format=%an <%ae>|%aI|%cn|%cI", sha).strip()
    assert shown == ("Aiko Tanaka <aiko@example.org>|2026-01-05T09:30:00+09:00|Aiko Tanaka|"
                     "2026-01-05T09:30:00+09:00")
    repo = make_repo(tmp_path / "b", [Version("version: 1\nports: []\n", author="B <b@x.org>",
                                              date="2026-02-01T00:00:00+00:00")])
    assert git(repo, "show", "-s", "--format=%an|%cI").strip() == "B|2026-02-01T00:00:00+00:00"
    assert git(repo, "config", "--show-origin", "--get-regexp", "^user\\.").count(
        "file:.git/config") == 2
