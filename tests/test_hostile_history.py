"""Issue 8: history from commits git accepts, as an attacker would write them.

Each test builds a real repository with the commit objects that reproduce one problem.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gitrepo import git, init_repo
from hostile import registry, write_commit
from portplan.cli import main
from portplan.history import cache
from portplan.history.timeline import read_history
from portplan.site.feed import render_feed
from portplan.site.sections import render_notices


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache.forget()
    root = init_repo(tmp_path / "r")
    monkeypatch.chdir(root)
    return root


def history_json(capsys: pytest.CaptureFixture[str]) -> tuple[list[dict[str, object]], str]:
    cache.forget()  # each run reads the disk cache, as a new process would
    assert main(["history", "--json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def test_separators_and_a_forged_record_in_a_message_stay_data(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = (b"Add Grafana\x1f\x1e" + b"f" * 40 + b"\x1f\x1fMallory\x1f2020-01-01T00:00:00+00:00"
              b"\x1f2020-01-01T00:00:00+00:00\x1fMerge pull request #666 from x\x1f\n")
    real = write_commit(repo, message=forged, author=b"Eve \x1e\x1f <e@x>",
                        text=registry((3000, "Grafana")))
    events, _ = history_json(capsys)
    assert [(e["commit"], e["kind"], e["author"], e["pr"]) for e in events] == [
        (real, "added", "Eve \x1e\x1f", None)]  # JSON escapes them
    assert str(events[0]["subject"]).startswith("Add Grafana\x1f\x1e" + "f" * 40)


def test_dates_python_cannot_hold_are_read_with_a_notice(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_commit(repo, message=b"Year 10000\n", when=b"253402300800 +0000",
                 text=registry((3000, "Grafana")))
    write_commit(repo, message=b"Offset +2400\n", when=b"1772704800 +2400",
                 text=registry((3000, "Grafana"), (9090, "Prometheus")))
    events, err = history_json(capsys)
    assert [e["subject"] for e in events] == ["Year 10000", "Offset +2400"]
    assert str(events[0]["date"]).startswith("9999-12-")
    assert str(events[1]["date"]).endswith("+23:59")
    assert "is outside what can be shown" in err


def test_a_clamped_date_is_a_notice_not_an_incomplete_history(repo: Path) -> None:
    write_commit(repo, message=b"Year 10000\n", when=b"253402300800 +0000",
                 text=registry((3000, "Grafana")))
    history = read_history(repo, repo / "ports.yaml")
    assert history.complete and history.available and history.notices
    box = render_notices(history)
    assert "History notes" in box and "outside what can be shown" in box
    assert "History incomplete" not in box and "History unavailable" not in box


def test_the_pull_request_gate_reads_hostile_metadata(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `check --base` reads when entries left the base line, from the same commits.
    write_commit(repo, message=b"Add\x1e\x1f" + b"f" * 40 + b"\x1f\xff\n",
                 author=b"Eve \x1e\x1f\xff <e@x>", when=b"253402300800 +2400",
                 text=registry((3000, "Grafana"), (9090, "Prometheus")))
    write_commit(repo, message=b"Drop Prometheus \x1b]0;t\x07\n", when=b"253402300800 +0000",
                 text=registry((3000, "Grafana")))
    (repo / "ports.yaml").write_text(registry((9090, "Loki")), encoding="utf-8")
    assert main(["check", "--base", "HEAD~1"]) == 1
    out, err = capsys.readouterr()
    assert "'Grafana' (3000/tcp) was active at HEAD~1 and is removed" in out
    assert "9090" in out and "Traceback" not in err and "\x1b" not in out + err
    # Prometheus left in a commit dated (clamped) 9999-12-31: a reuse, not an OverflowError.
    (repo / "ports.yaml").write_text(registry((3000, "Grafana"), (9090, "Loki")),
                                     encoding="utf-8")
    assert main(["check", "--base", "HEAD"]) == 0
    out, err = capsys.readouterr()
    assert "reuses a port that 'Prometheus' left on a date after today (removed on 9999-12-" \
        in out and "wait until 9999-12-31" in out and "internal error" not in err


def test_git_accepts_the_year_10000_from_the_environment_too(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "ports.yaml").write_text(registry((3000, "Grafana")), encoding="utf-8")
    git(repo, "add", "ports.yaml")
    git(repo, "commit", "-qm", "Far future", env={"GIT_COMMITTER_DATE": "@253402300800 +0000",
                                                  "GIT_AUTHOR_DATE": "@253402300800 +0000"})
    events, err = history_json(capsys)
    assert events[0]["subject"] == "Far future" and "outside what can be shown" in err


def test_metadata_that_is_not_utf8_is_replaced_with_a_notice(
        repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_commit(repo, message=b"Caf\xe9 \xff\n", author=b"Ren\xff <r@x>",
                 text=registry((3000, "Grafana")))
    write_commit(repo, message=b"Latin-1 \xe9t\xe9\n", author=b"Ren\xe9 <r@x>",
                 extra_headers=b"encoding ISO-8859-1\n",
                 text=registry((3000, "Grafana"), (9090, "Prometheus")))
    git(repo, "config", "i18n.logOutputEncoding", "latin1")
    events, err = history_json(capsys)
    assert [(e["author"], e["subject"]) for e in events] == [
        ("Ren\ufffd", "Caf\ufffd \ufffd"), ("René", "Latin-1 été")]
    assert "not valid utf-8" in err
    history = read_history(repo, repo / "ports.yaml")
    feed = render_feed(history, title="t", site_url=None, repo_url=None)
    ET.fromstring(feed.encode("utf-8"))  # noqa: S314 - our feed; raises if ill-formed


def test_feed_is_well_formed_with_controls_in_subjects_and_old_registry_text(
        repo: Path) -> None:
    write_commit(repo, message=b"Form\x0cfeed \x01\n",
                 text='version: 1\nports:\n  - port: 3000\n    service: "Gra\\x01fana"\n')
    history = read_history(repo, repo / "ports.yaml")
    feed = render_feed(history, title="t", site_url=None, repo_url=None)
    root = ET.fromstring(feed.encode("utf-8"))  # noqa: S314 - the feed we made
    titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Form\ufffdfeed \ufffd" in titles


def test_terminal_gets_no_escape_sequences_or_workflow_commands(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_commit(repo, message=b"\x1b]0;owned\x07\x1b[2J\n", author=b"\x1b[31mRed <r@x>",
                 text='version: 1\nports:\n  - port: 3000\n'
                      '    service: "G\\n::error file=ports.yaml::forged"\n')
    # Today's registry must pass check to be read at all; the hostile text is in the past.
    write_commit(repo, message=b"Clean\n", text=registry((3000, "Grafana")))
    cache.forget()
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert not [line for line in (out + err).splitlines() if line.startswith("::")]
    assert "(Red)" in out  # click drops colour codes off a terminal; SafeStream the rest


def test_a_crafted_cache_file_runs_nothing_and_is_rebuilt(
        repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str, ...]]:
            return (subprocess.call, (f"touch {marker}",))  # what an attacker would write

    events, _ = history_json(capsys)
    files = list((repo / ".git" / "portplan").glob("history-*.json"))
    assert len(files) == 1
    for content in (pickle.dumps(Payload()),
                    files[0].read_bytes().split(b"\n")[0] + b"\n" + pickle.dumps(Payload()),
                    files[0].read_bytes()[:-40], b"\xff" * 100):
        files[0].write_bytes(content)
        (files[0].parent / files[0].name.replace(".json", ".pickle")).write_bytes(content)
        again, _ = history_json(capsys)
        assert again == events
        assert not marker.exists()
    assert files[0].read_bytes().startswith(b'["portplan-history"')


def test_directory_and_gitlink_versions_are_skipped(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    git(repo, "rm", "-q", "ports.yaml")
    (repo / "ports.yaml").mkdir()
    (repo / "ports.yaml" / "x").write_text("x\n", encoding="utf-8")
    git(repo, "add", "ports.yaml/x")
    git(repo, "commit", "-qm", "A directory")
    git(repo, "rm", "-rq", "ports.yaml")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{head},ports.yaml")
    git(repo, "commit", "-qm", "A gitlink")
    git(repo, "rm", "-q", "--cached", "ports.yaml")
    (repo / "ports.yaml").write_text(registry((3000, "Grafana"), (9090, "Prometheus")),
                                     encoding="utf-8")
    git(repo, "add", "ports.yaml")
    git(repo, "commit", "-qm", "Back")
    events, err = history_json(capsys)
    assert [(e["subject"], e["kind"], e["service"]) for e in events] == [
        ("Start", "added", "Grafana"), ("Back", "added", "Prometheus")]
    assert "ports.yaml is a directory there" in err
    assert "ports.yaml is a submodule (gitlink) there" in err
    cache.forget()
    assert main(["diff", "HEAD~2", "HEAD", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert "could not be read" in json.loads(out)["notes"][0]


def test_a_rename_git_cannot_follow_is_said_and_incomplete(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "old.yaml").write_text(registry(*((p, f"S{p}") for p in range(3000, 3010))),
                                   encoding="utf-8")
    git(repo, "add", "old.yaml")
    git(repo, "commit", "-qm", "Start")
    git(repo, "mv", "old.yaml", "ports.yaml")
    (repo / "ports.yaml").write_text(registry(*((p, f"T{p}") for p in range(4000, 4010))),
                                     encoding="utf-8")
    git(repo, "commit", "-qam", "Rename and rewrite")
    history = read_history(repo, repo / "ports.yaml")
    assert not history.complete and history.available
    assert any("which also deleted old.yaml" in n for n in history.notices)


def test_mistyped_paths_are_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    write_commit(repo, message=b"Two\n", text=registry((3000, "Grafana"), (9090, "Prom")))
    assert main(["diff", "HEAD~1", "HEAD", "--registry", "prots.yaml"]) == 2
    assert "prots.yaml is in neither HEAD~1 nor HEAD" in capsys.readouterr().err
    (repo / "some_dir").mkdir()
    assert main(["history", "--registry", "some_dir/"]) == 2
    assert "it is a directory" in capsys.readouterr().err
    (repo / "loop").symlink_to("loop")
    assert main(["diff", "HEAD", "--registry", "loop"]) == 2
    assert "portplan: error:" in capsys.readouterr().err
    for command in (["check"], ["history"], ["export", "--format", "json"], ["free"],
                    ["deprecate", "3000", "--note", "n"], ["diff", "HEAD~1", "HEAD"]):
        code = main([*command, "--registry", "loop"])
        err = capsys.readouterr().err
        assert code == 2 and err.startswith("portplan: error:"), (command, err)
        assert "symbolic links" in err or "symlink loop" in err.lower(), (command, err)


def test_text_revisions_resolve(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    write_commit(repo, message=b"Add Prometheus\n",
                 text=registry((3000, "Grafana"), (9090, "Prom")))
    assert main(["diff", ":/Start", ":/Add Prom", "--format", "text"]) == 0
    assert "9090" in capsys.readouterr().out
    assert main(["diff", ":/no such words", "--format", "text"]) == 2


def test_sha256_worktree_and_subdirectory(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cache.forget()
    repo = tmp_path / "s"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", "--object-format=sha256")
    git(repo, "config", "user.name", "T")
    git(repo, "config", "user.email", "t@x")
    (repo / "ports.yaml").write_text(registry((3000, "Grafana")), encoding="utf-8")
    (repo / "sub").mkdir()
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Start")
    git(repo, "worktree", "add", "-q", str(tmp_path / "wt"))
    for where in (repo / "sub", tmp_path / "wt"):
        history = read_history(where, Path("../ports.yaml") if where.name == "sub"
                               else Path("ports.yaml"))
        assert [(len(e.commit.sha), e.service) for e in history.events] == [(64, "Grafana")]
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    found = read_history(bare, Path("ports.yaml"))
    assert not found.available and "bare repository" in found.notices[0]


def test_a_shallow_clone_missing_a_merged_tip_still_reads(tmp_path: Path) -> None:
    from gitrepo import Version, make_repo  # noqa: PLC0415

    origin = make_repo(tmp_path / "o", [
        Version(registry((3000, "Grafana")), message="Start"),
        Version(registry((3000, "Grafana"), (9090, "Prom")), branch="topic", message="Prom"),
        Version(merge="topic", message="Merge pull request #3 from x/topic"),
    ])
    clone = tmp_path / "c"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)],
                   check=True)
    history = read_history(clone, clone / "ports.yaml", cache_dir=tmp_path / "cache")
    assert history.available and not history.complete
    assert [c.subject for c in history.commits] == ["Merge pull request #3 from x/topic"]


def test_mkdocs_build_reads_hostile_metadata(tmp_path: Path) -> None:
    from gitrepo import commit_all  # noqa: PLC0415
    from test_site_support import build, copy_project  # noqa: PLC0415

    project = copy_project(tmp_path)
    commit_all(project, "Port plan from the seed", date="2026-01-05T09:30:00+09:00")
    text = (project / "ports.yaml").read_text("utf-8").replace(
        "Scrapes blockchain node", "Scrapes the node")
    write_commit(project, message=b"Form\x0cfeed \x1b]0;t\x07 \xff\n", author=b"Ren\xff <r@x>",
                 when=b"253402300800 +2400", text=text)
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if line.startswith("::")]
    feed = (project / "site" / "changes.xml").read_bytes()
    root = ET.fromstring(feed)  # noqa: S314 - the feed we built
    names = [n.text for n in root.iter("{http://www.w3.org/2005/Atom}name")]
    assert "Ren\ufffd" in names
    data = json.loads((project / "site" / "ports.json").read_text("utf-8"))
    assert any("outside what can be shown" in n for n in data["history"]["notices"])


def test_dubious_ownership_is_gits_own_message(repo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for this
    found = read_history(repo, repo / "ports.yaml")
    assert not found.available
    assert "dubious ownership" in found.notices[0]


def test_a_version_larger_than_the_limit_is_skipped(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import portplan.registry.file_bytes  # noqa: PLC0415

    write_commit(repo, message=b"Start\n", text=registry((3000, "Grafana")))
    write_commit(repo, message=b"Huge\n", text=registry((3000, "Grafana")) + "#" * 5000 + "\n")
    write_commit(repo, message=b"Back\n", text=registry((3000, "Grafana"), (9090, "Prom")))
    monkeypatch.setattr(portplan.registry.file_bytes, "MAX_BYTES", 4096)  # a small limit, same rule
    history = read_history(repo, repo / "ports.yaml")
    assert [(e.commit.subject, e.service) for e in history.events] == [
        ("Start", "Grafana"), ("Back", "Prom")]
    assert "(Huge): it is larger than 0 MiB" in history.skipped[0]
