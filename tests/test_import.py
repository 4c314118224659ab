"""`portplan import`: the seed against the bundled registry, options, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.adopt.conversion import MAX_BYTES, convert_plan
from portplan.cli import main
from portplan.registry.load import check_file, load_registry

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).parent / "fixtures" / "import" / "seed.md"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _compared(path_or_text: Path | str) -> list[tuple[object, ...]]:
    loaded = check_file(path_or_text) if isinstance(path_or_text, Path) \
        else load_registry(path_or_text)
    assert loaded.registry is not None and loaded.ok, loaded.problems
    return [(str(a.port) if a.port else None, a.service, a.status.value, a.location, a.command)
            for a in loaded.registry.ports]


def test_the_seed_imports_to_the_bundled_registry() -> None:
    imported = convert_plan(SEED.read_bytes(), "docs/ports.md").text
    assert _compared(imported) == _compared(ROOT / "ports.yaml")
    environments = {a.service + str(a.port): a.environments
                    for a in load_registry(imported).registry.ports}  # type: ignore[union-attr]
    assert environments["Coordinator API8011"] == ("dev",)
    assert environments["Coordinator API8900"] == ("production",)


def test_import_is_byte_identical_twice_and_records_where_it_came_from(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ports.md").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert run(["docs/ports.md", "-o", "ports.yaml"], capsys)[0] == 0
    first = (tmp_path / "ports.yaml").read_bytes()
    code, _, err = run(["docs/ports.md", "-o", "ports.yaml"], capsys)
    assert code == 2 and "ports.yaml exists; pass --force" in err
    assert run(["docs/ports.md", "-o", "ports.yaml", "--force"], capsys)[0] == 0
    assert (tmp_path / "ports.yaml").read_bytes() == first
    assert b"\nimported_from: docs/ports.md\n" in first
    assert main(["check"]) == 0


def test_imported_from_is_relative_to_the_output(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "infra").mkdir()
    plan = tmp_path / "plan.md"
    plan.write_bytes(SEED.read_bytes())
    assert run([str(plan), "-o", str(tmp_path / "infra" / "ports.yaml")], capsys)[0] == 0
    assert "imported_from: ../plan.md" in (tmp_path / "infra" / "ports.yaml").read_text()


def test_order_by_port(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(SEED), "--order", "port"], capsys)
    assert code == 0
    ports = [line.split(": ")[1] for line in out.splitlines() if line.startswith("  - port:")]
    assert ports == sorted(ports, key=int)
    assert out.rstrip().endswith("service: JavaScript/Python SDKs\n    description: "
                                 '"Client libraries, no dedicated ports."')


def test_inline_markup_keeps_its_text(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "p.md"
    plan.write_text("| Port | Service | Notes |\n|---|---|---|\n"
                    "| `8080` | **Web** [API](https://x.example) | *Fast* `GET /` &amp; <b>more</b>"
                    " <script>x</script> |\n", encoding="utf-8")
    code, out, _ = run([str(plan)], capsys)
    assert code == 0
    assert "    service: Web API\n" in out
    assert '    description: Fast GET / & more x\n' in out


def test_map_override_and_bad_map(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(SEED), "--map", "Location=meta.where", "--map", "notes=skip"],
                         capsys)
    assert code == 0
    assert "'Location'               -> meta.where (--map)" in err
    assert "      where: apps/coordinator-api/\n" in out and "description: Dev" not in out
    code, _, err = run([str(SEED), "--map", "Location=wherever"], capsys)
    assert code == 2 and "unknown field 'wherever'" in err


def test_sections_become_environments_or_meta_only_by_option(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(SEED), "--sections", "meta"], capsys)
    assert code == 0 and out.count("section: Current Usage") == 10
    assert out.count("section: Reserved / Planned Ports") == 2
    _, out, _ = run([str(SEED)], capsys)
    assert "section" not in out


@pytest.mark.parametrize(("text", "message"), [
    ("# Plan\n\nNo tables here.\n",
     "no port plan found: looked for a Markdown (GFM pipe) table whose header has a port column"),
    ("| Service | Owner |\n|---|---|\n| Web | me |\n", "it has 1 table(s) without a port column"),
    ("| Port | Service |\n|---|---|\n", "the port table(s) at line 1 have a header and no rows"),
    ("<table><tr><th>Port</th></tr><tr><td>80</td></tr></table>\n",
     "the HTML table(s) at line 1 are not read: write them as Markdown pipe tables"),
])
def test_a_file_without_a_port_table_is_exit_1_naming_what_was_looked_for(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(text, encoding="utf-8")
    code, out, err = run([str(plan)], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"portplan: error: {plan}: ") and message in err
    assert "Traceback" not in err


def test_ragged_rows_read_without_a_crash(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("| Port | Service | Notes |\n|---|---|---|\n| 80 |\n"
                    "| 81 | Web | a | b | c |\n| | Nameless port-less | |\n| 82 | | |\n",
                    encoding="utf-8")
    code, out, err = run([str(plan)], capsys)
    assert code == 0
    assert "  - port: 81\n    service: Web\n    description: a\n" in out
    assert "\n  - service: Nameless port-less\n" in out
    assert "line 3: the row for 80 names no service" in err
    assert "line 6: the row for 82 names no service" in err


def test_non_utf8_and_huge_files_are_clear_errors(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes("| Port | Service |\n|---|---|\n| 80 | Caf\u00e9 |\n".encode("latin-1"))
    code, _, err = run([str(latin)], capsys)
    assert code == 1
    assert f"{latin}:3:11: byte 0xe9 is not UTF-8; save the file as UTF-8" in err
    huge = tmp_path / "huge.md"
    row = "| 8080 | Web | " + "x" * 80 + " |\n"
    huge.write_text("| Port | Service | Notes |\n|---|---|---|\n"
                    + row * (10 * 1024 * 1024 // len(row)), encoding="utf-8")
    assert huge.stat().st_size > MAX_BYTES
    code, _, err = run([str(huge)], capsys)
    assert code == 1 and "the file is 10.0 MB, more than the 4 MB a port plan can be" in err


def test_a_missing_plan_is_a_usage_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path / "nope.md")], capsys)
    assert code == 2 and "cannot read" in err and "No such file" in err


def test_rows_without_a_service_are_named_in_the_refusal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("| Port | Host |\n|---|---|\n| 80 | web-1 |\n", encoding="utf-8")
    code, _, err = run([str(plan)], capsys)
    assert code == 1
    assert "the port table(s) at line 1 have no row that names a service" in err


def test_a_plan_path_with_a_line_break_stays_one_comment_line() -> None:
    text = convert_plan(SEED.read_bytes(), "x", imported_from="odd\nname.md").text
    assert text.splitlines()[2].startswith("# Imported from odd?name.md by")
    loaded = load_registry(text)
    assert loaded.ok and loaded.registry is not None
    assert loaded.registry.imported_from == "odd\nname.md"


def test_an_html_table_beside_a_pipe_table_is_named_not_dropped_silently(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("# Ports\n\n| Port | Service |\n|---|---|\n| 8000 | API |\n\n"
                    "<table>\n<tr><th>Port</th><th>Service</th></tr>\n"
                    "<tr><td>6379</td><td>Redis</td></tr>\n</table>\n", encoding="utf-8")
    code, out, err = run([str(plan)], capsys)
    assert code == 0
    assert "  - port: 8000\n    service: API\n" in out and "6379" not in out
    assert "  note: line 7: an HTML table is not read; write it as a Markdown pipe table and " \
        "import again, or add its ports to the registry by hand\n" in err
