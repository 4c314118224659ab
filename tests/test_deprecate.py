"""`portplan deprecate`: exact text before and after; nothing outside the entry moves."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.cli import main
from portplan.deprecation_edit import DeprecationEdit, Target, deprecate_in_text
from portplan.model import PortSpan
from portplan.port_arguments import parse_span
from portplan.problems import PortplanError
from portplan.registry.scalar import yaml_scalar

NOTE = "Moved to 8020 with the other mock services."


def run(tmp_path: Path, text: str | bytes, *args: str) -> tuple[int, bytes]:
    registry = tmp_path / "ports.yaml"
    registry.write_bytes(text.encode() if isinstance(text, str) else text)
    code = main(["deprecate", *args, "--registry", str(registry)])
    return code, registry.read_bytes()


BLOCK = """\
# The plan.
version: 1

ports:
  - port: 8020
    service: Mock services   # the new home
    description: All mocks.

  - port: 8090
    service: Mock Coordinator API
    # where it lives
    location: apps/blockchain-node/scripts/devnet_up.sh
    description: 'Generates telemetry: for Grafana.'   # quoted on purpose

  # Grafana follows.
  - port: 3000
    service: Grafana
"""


def test_block_entry_gets_status_and_deprecation_after_service(tmp_path: Path) -> None:
    code, after = run(tmp_path, BLOCK, "8090", "--note", NOTE, "--replaced-by", "8020")
    assert code == 0
    assert after.decode() == BLOCK.replace(
        "    service: Mock Coordinator API\n",
        "    service: Mock Coordinator API\n"
        "    status: deprecated\n"
        "    deprecation:\n"
        "      note: Moved to 8020 with the other mock services.\n"
        "      replaced_by: 8020\n")


def test_existing_status_is_replaced_in_place(tmp_path: Path) -> None:
    before = BLOCK.replace("    service: Grafana\n",
                           "    service: Grafana\n    status: active  # for now\n    role: ui\n")
    code, after = run(tmp_path, before, "3000", "--note", "Use 3001.", "--remove-after",
                      "2027-01-31")
    assert code == 0
    assert after.decode() == before.replace(
        "    status: active  # for now\n",
        "    status: deprecated  # for now\n"
        "    deprecation:\n"
        "      note: Use 3001.\n"
        "      remove_after: 2027-01-31\n")


def test_already_deprecated_entry_gets_its_note_replaced(tmp_path: Path) -> None:
    before = BLOCK.replace(
        "    service: Mock Coordinator API\n",
        "    service: Mock Coordinator API\n"
        "    status: deprecated\n"
        "    deprecation:\n"
        "      note: \"old note\"   # keep this comment\n"
        "      since: 2026-03-05\n")
    code, after = run(tmp_path, before, "8090", "--note", "new: note", "--replaced-by", "8020")
    assert code == 0
    assert after.decode() == before.replace(
        "      note: \"old note\"   # keep this comment\n",
        "      note: \"new: note\"   # keep this comment\n"
        "      replaced_by: 8020\n")


def test_existing_replaced_by_is_replaced(tmp_path: Path) -> None:
    before = BLOCK.replace(
        "    service: Grafana\n",
        "    service: Grafana\n    status: deprecated\n    deprecation:\n"
        "      replaced_by: 8090\n      note: x\n")
    code, after = run(tmp_path, before, "3000", "--note", "y", "--replaced-by", "8020")
    assert code == 0
    assert after.decode() == before.replace("replaced_by: 8090\n      note: x\n",
                                            "replaced_by: 8020\n      note: y\n")


FLOW = """\
version: 1
ports:
  - {port: 8020, service: Mock services}
  - {port: 8090, service: X, role: metrics}   # flow entry
  - port: 3000
    service: Grafana
"""


def test_flow_entry_stays_flow(tmp_path: Path) -> None:
    code, after = run(tmp_path, FLOW, "8090", "--note", NOTE, "--replaced-by", "8020")
    assert code == 0
    assert after.decode() == FLOW.replace(
        "{port: 8090, service: X, role: metrics}",
        "{port: 8090, service: X, status: deprecated, deprecation: "
        "{note: Moved to 8020 with the other mock services., replaced_by: 8020}, role: metrics}")


def test_flow_entry_with_flow_deprecation_keeps_other_keys(tmp_path: Path) -> None:
    before = FLOW.replace("{port: 8090, service: X, role: metrics}",
                          "{port: 8090, service: X, status: deprecated, "
                          "deprecation: {note: old, since: 2026-01-02}}")
    code, after = run(tmp_path, before, "8090", "--note", "a, b [c]")
    assert code == 0
    assert after.decode() == before.replace("{note: old, since: 2026-01-02}",
                                            '{note: "a, b [c]", since: 2026-01-02}')


@pytest.mark.parametrize(("note", "spelled"), [
    ("Point clients at :8020: see the runbook", '"Point clients at :8020: see the runbook"'),
    ("Ask in #chain-oncall", '"Ask in #chain-oncall"'),
    ("#chain-oncall knows", '"#chain-oncall knows"'),
    ("Use it # not this", '"Use it # not this"'),
    ('Say "moved"', '"Say \\"moved\\""'),
    ("It's moved", "It's moved"),
    ("'quoted'", "\"'quoted'\""),
    ("Ersetzt durch 8020 — Grüße", "Ersetzt durch 8020 — Grüße"),
    ("yes", '"yes"'),
    ("2026-06-01", '"2026-06-01"'),
    ("- not a list", '"- not a list"'),
    ("line one\nline two", '"line one\\nline two"'),
])
def test_notes_are_spelled_as_yaml_that_round_trips(tmp_path: Path, note: str,
                                                    spelled: str) -> None:
    code, after = run(tmp_path, BLOCK, "3000", "--note", note)
    assert code == 0
    assert after.decode() == BLOCK + (
        f"    status: deprecated\n    deprecation:\n      note: {spelled}\n")
    assert yaml.safe_load(after)["ports"][2]["deprecation"]["note"] == note


def test_crlf_file_keeps_crlf_everywhere(tmp_path: Path) -> None:
    before = BLOCK.replace("\n", "\r\n")
    code, after = run(tmp_path, before, "8090", "--note", NOTE)
    assert code == 0
    assert after.decode() == before.replace(
        "    service: Mock Coordinator API\r\n",
        "    service: Mock Coordinator API\r\n"
        "    status: deprecated\r\n"
        "    deprecation:\r\n"
        f"      note: {NOTE}\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")


def test_last_entry_without_trailing_newline_stays_without(tmp_path: Path) -> None:
    before = BLOCK.rstrip("\n")
    code, after = run(tmp_path, before, "3000", "--note", "Gone.")
    assert code == 0
    assert after.decode() == before + (
        "\n    status: deprecated\n    deprecation:\n      note: Gone.")


def test_comment_after_the_last_entry_stays_after_it(tmp_path: Path) -> None:
    before = BLOCK + "    # trailing comment in the entry\n# end of file\n"
    code, after = run(tmp_path, before, "3000", "--note", "Gone.")
    assert code == 0
    assert after.decode() == BLOCK + (
        "    status: deprecated\n    deprecation:\n      note: Gone.\n"
        "    # trailing comment in the entry\n# end of file\n")


def test_bom_is_kept(tmp_path: Path) -> None:
    code, after = run(tmp_path, "\ufeff" + FLOW, "3000", "--note", "Gone.")
    assert code == 0
    assert after.decode() == "\ufeff" + FLOW + (
        "    status: deprecated\n    deprecation:\n      note: Gone.\n")


def test_protocol_and_environment_pick_one_of_several_entries(tmp_path: Path) -> None:
    before = ("version: 1\nports:\n"
              "  - {port: 5353, protocol: udp, service: mDNS}\n"
              "  - {port: 5353, service: Admin}\n"
              "  - {port: 8011, service: Coordinator, environments: [dev]}\n"
              "  - {port: 8011, service: Coordinator prod, environments: [production]}\n")
    code, after = run(tmp_path, before, "5353/udp", "--note", "n")
    assert code == 0
    assert after.decode() == before.replace("service: mDNS}",
                                            "service: mDNS, status: deprecated, "
                                            "deprecation: {note: n}}")
    code, after2 = run(tmp_path, before, "8011", "--environment", "production", "--note", "n")
    assert code == 0
    assert after2.decode() == before.replace("Coordinator prod, environments",
                                             "Coordinator prod, status: deprecated, "
                                             "deprecation: {note: n}, environments")


def test_ambiguous_port_asks_for_the_protocol(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = ("version: 1\nports:\n"
              "  - {port: 5353, protocol: udp, service: mDNS}\n"
              "  - {port: 5353, service: Admin}\n")
    code, after = run(tmp_path, before, "5353", "--note", "n")
    assert code == 2
    assert after.decode() == before
    err = capsys.readouterr().err
    assert "port 5353 is held by 2 entries" in err
    assert "name the protocol, e.g. 5353/udp" in err
    assert "Traceback" not in err


def test_same_protocol_different_environments_asks_for_environment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = ("version: 1\nports:\n"
              "  - {port: 8011, service: A, environments: [dev]}\n"
              "  - {port: 8011, service: B, environments: [production]}\n")
    code, _ = run(tmp_path, before, "8011/tcp", "--note", "n")
    assert code == 2
    assert "--environment" in capsys.readouterr().err


def test_unknown_port_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, after = run(tmp_path, BLOCK, "8095", "--note", "n")
    assert code == 2
    assert after.decode() == BLOCK
    assert "no entry holds port 8095" in capsys.readouterr().err


def test_port_inside_a_block_names_the_block(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = "version: 1\nports:\n  - port: 8020-8029\n    service: Mocks\n"
    code, _ = run(tmp_path, before, "8025", "--note", "n")
    assert code == 2
    assert "name the whole block (8020-8029)" in capsys.readouterr().err
    code, after = run(tmp_path, before, "8020-8029", "--note", "n")
    assert code == 0
    assert after.decode() == before + "    status: deprecated\n    deprecation:\n      note: n\n"


def test_result_that_fails_check_leaves_file_byte_identical(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = BLOCK.replace("\n", "\r\n")
    registry = tmp_path / "ports.yaml"
    registry.write_bytes(before.encode())
    os.utime(registry, (1_000_000_000, 1_000_000_000))
    code = main(["deprecate", "8090", "--note", NOTE, "--replaced-by", "8021",
                 "--registry", str(registry)])
    assert code == 1
    assert registry.read_bytes() == before.encode()
    assert registry.stat().st_mtime == 1_000_000_000
    err = capsys.readouterr().err
    assert "8021" in err
    assert "left unchanged" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ports.yaml"]


def test_missing_registry_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deprecate", "8090", "--note", "n", "--registry", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert "cannot read the registry" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--replaced-by", "80x"], ["--remove-after", "June"],
                                  ["--replaced-by", "8090"]])
def test_bad_option_values_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    code, after = run(tmp_path, BLOCK, "8090", "--note", "n", *args)
    assert code == 2
    assert after.decode() == BLOCK


def test_the_bundled_registry_deprecation_example() -> None:
    text = (Path(__file__).parents[1] / "ports.yaml").read_text()
    text = text.replace("  - port: 8100\n", "  - port: 8020\n    service: Mock services\n\n"
                        "  - port: 8100\n")
    after = deprecate_in_text(text, Target.parse("8090"),
                              DeprecationEdit(NOTE, PortSpan.single(8020), dt.date(2026, 6, 1)))
    start = after.index("  - port: 8090")
    assert after[:start] == text[:start]
    old_entry_end = text.index("\n\n", text.index("  - port: 8090"))
    assert after.endswith(text[old_entry_end:])
    assert after[start:after.index("\n\n", start)] == (
        "  - port: 8090\n"
        "    service: Mock Coordinator API\n"
        "    status: deprecated\n"
        "    deprecation:\n"
        f"      note: {NOTE}\n"
        "      replaced_by: 8020\n"
        "      remove_after: 2026-06-01\n"
        "    location: apps/blockchain-node/scripts/devnet_up.sh\n"
        "    command: uvicorn mock_coordinator:app\n"
        "    role: metrics\n"
        "    description: Generates synthetic coordinator/miner telemetry consumed by Grafana "
        "dashboards.")


def test_parse_span() -> None:
    assert parse_span("8090") == PortSpan(8090, 8090)
    assert parse_span("8020-8029") == PortSpan(8020, 8029)
    for bad in ("0", "70000", "9-3", "x"):
        with pytest.raises(PortplanError):
            parse_span(bad)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1).filter(str.strip))
def test_any_note_round_trips_through_yaml(note: str) -> None:
    spelled = yaml_scalar(note)
    assert "\n" not in spelled
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(f"k: {spelled}\n", Loader=loader) == {"k": note}  # noqa: S506
        assert yaml.load(f"{{k: {spelled}}}", Loader=loader) == {"k": note}  # noqa: S506
    for text in (BLOCK, FLOW):
        after = deprecate_in_text(text, Target.parse("3000"), DeprecationEdit(note))
        assert yaml.safe_load(after)["ports"][-1]["deprecation"]["note"] == note


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(
        "version: 1\nports:\n- port: 8090\n  service: X\n- port: 1\n  service: Y\n",
        "version: 1\nports:\n- port: 8090\n  service: X\n  status: deprecated\n  deprecation:\n"
        "    note: n\n- port: 1\n  service: Y\n", id="sequence-at-column-0"),
    pytest.param(
        "version: 1\nports:\n    -   port: 8090\n        service: X\n",
        "version: 1\nports:\n    -   port: 8090\n        service: X\n        status: deprecated\n"
        "        deprecation:\n          note: n\n", id="four-space-indent"),
    pytest.param(
        "version: 1\nports:\n  -\n    port: 8090\n    service: X\n",
        "version: 1\nports:\n  -\n    port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: n\n", id="keys-on-the-next-line"),
    pytest.param(
        "version: 1\nports:\n  - port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: |\n        old\n        note\n\n      since: 2026-01-01\n"
        "  - port: 1\n    service: Y\n",
        "version: 1\nports:\n  - port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: n\n\n      since: 2026-01-01\n"
        "  - port: 1\n    service: Y\n", id="block-scalar-note-replaced"),
    pytest.param(
        "version: 1\nports:\n  - port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: >\n        old\n",
        "version: 1\nports:\n  - port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: n\n", id="folded-note-at-end-of-file"),
    pytest.param(
        "---\nversion: 1\nports:\n  - {port: 8090, service: X}\n...\n",
        "---\nversion: 1\nports:\n  - {port: 8090, service: X, status: deprecated, "
        "deprecation: {note: n}}\n...\n", id="document-markers"),
    pytest.param(
        "version: 1\nports:\n  - service: X   # first\n    port: 8090\n    owner: ops\n",
        "version: 1\nports:\n  - service: X   # first\n    port: 8090\n    status: deprecated\n"
        "    deprecation:\n      note: n\n    owner: ops\n", id="port-after-service"),
])
def test_layouts(before: str, after: str) -> None:
    assert deprecate_in_text(before, Target.parse("8090"), DeprecationEdit("n")) == after


def test_invalid_yaml_is_a_clear_error_with_position() -> None:
    with pytest.raises(PortplanError, match=r"^ports.yaml:4:1: YAML syntax error: did not find "):
        deprecate_in_text("version: 1\nports:\n  - {port: 8090\n", Target.parse("8090"),
                          DeprecationEdit("n"))


def test_absurd_nesting_is_an_error_not_a_crash() -> None:
    # PyYAML's own composer recurses once per level and takes the process down with it.
    text = ("version: 1\nports:\n  - port: 8090\n    service: X\n    meta: {deep: "
            + "[" * 200_000 + "]" * 200_000 + "}\n")
    with pytest.raises(PortplanError, match=r"^ports.yaml:5:\d+: the YAML nests more than"):
        deprecate_in_text(text, Target.parse("8090"), DeprecationEdit("n"))


def test_deprecation_that_is_not_a_mapping_is_a_clear_error() -> None:
    text = "version: 1\nports:\n  - port: 8090\n    service: X\n    deprecation: soon\n"
    with pytest.raises(PortplanError, match=r"ports.yaml:5:18: `deprecation` is not a mapping"):
        deprecate_in_text(text, Target.parse("8090"), DeprecationEdit("n"))


def test_empty_note_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, after = run(tmp_path, BLOCK, "8090", "--note", "  ")
    assert code == 2
    assert after.decode() == BLOCK
    assert "the note is empty" in capsys.readouterr().err


@st.composite
def registries(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], list[int]]:
    """A registry in mixed styles, with the character span of each entry's text."""
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    ports = draw(st.lists(st.integers(1, 30000), min_size=1, max_size=6, unique=True))
    text = f"# plan{eol}version: 1{eol}{eol}ports:{eol}"
    spans = []
    words = st.text("abc xyz:#'\"é-", min_size=1, max_size=12)
    for port in ports:
        service = yaml_scalar(draw(words))
        status = draw(st.sampled_from(["", "active", "planned", "deprecated"]))
        start = len(text)
        if draw(st.booleans()):
            extra = f", status: {status}" if status else ""
            if status == "deprecated":
                extra += f", deprecation: {{note: {yaml_scalar(draw(words))}}}"
            text += f"  - {{port: {port}, service: {service}{extra}}}"
            text += draw(st.sampled_from(["", "  # flow"])) + eol
        else:
            text += f"  - port: {port}{draw(st.sampled_from(['', '   # the port']))}{eol}"
            text += draw(st.sampled_from(["", f"    # about it{eol}"]))
            text += f"    service: {service}{eol}"
            if status:
                text += f"    status: {status}{eol}"
            if status == "deprecated":
                text += f"    deprecation:{eol}      note: {yaml_scalar(draw(words))}{eol}"
            if draw(st.booleans()):
                text += f"    owner: ops{eol}"
        spans.append((start, len(text)))
        text += draw(st.sampled_from(["", eol, f"  # between{eol}"]))
    if draw(st.booleans()):
        text += f"# the end{eol}"
    elif draw(st.booleans()):
        text = text.rstrip("\r\n")
        spans[-1] = (spans[-1][0], min(spans[-1][1], len(text)))
    return text, spans, ports


@settings(max_examples=300, deadline=None)
@given(registries(), st.data())
def test_only_the_chosen_entry_changes(case: tuple[str, list[tuple[int, int]], list[int]],
                                       data: st.DataObject) -> None:
    text, spans, ports = case
    index = data.draw(st.integers(0, len(ports) - 1))
    note = data.draw(st.text(st.characters(exclude_categories=("Cs",)), min_size=1)
                     .filter(str.strip))
    replaced_by = PortSpan.single(data.draw(st.sampled_from(ports)))
    after = deprecate_in_text(text, Target.parse(str(ports[index])),
                              DeprecationEdit(note, replaced_by))
    start, end = spans[index]
    assert after[:start] == text[:start]
    assert after.endswith(text[end:])
    entry = yaml.safe_load(after)["ports"][index]
    assert entry["status"] == "deprecated"
    assert entry["deprecation"]["note"] == note
    assert entry["deprecation"]["replaced_by"] == replaced_by.low
    if "\r\n" in text:
        assert "\n" not in after.replace("\r\n", "")


def test_classic_mac_line_endings_are_kept(tmp_path: Path) -> None:
    before = BLOCK.replace("\n", "\r")
    code, after = run(tmp_path, before, "8090", "--note", "n")
    assert code == 0
    assert after.decode() == before.replace(
        "    service: Mock Coordinator API\r",
        "    service: Mock Coordinator API\r    status: deprecated\r    deprecation:\r"
        "      note: n\r")


@pytest.mark.parametrize(("text", "message"), [
    ("- port: 8090\n", "ports.yaml:1:1: the top level is not a mapping with `ports:`"),
    ("version: 1\n", "ports.yaml:1:1: there is no `ports:` list"),
    ("version: 1\nports:\n  - {port: 8090, protocol: udp, service: A}\n",
     "no entry on 8090/tcp matches; the port is held by A (8090/udp) at ports.yaml:3:5"),
    ("version: 1\nports:\n  - {port: 8090, service: A, environments: [dev]}\n",
     "no entry on 8090 matches; the port is held by A (8090/tcp in dev)"),
])
def test_entries_that_cannot_be_found(text: str, message: str) -> None:
    target = Target.parse("8090/tcp" if "udp" in text else "8090",
                          "production" if "dev" in text else None)
    with pytest.raises(PortplanError) as raised:
        deprecate_in_text(text, target, DeprecationEdit("n"))
    assert message in str(raised.value)


def test_status_with_empty_value_gets_a_space() -> None:
    text = "version: 1\nports:\n  - port: 8090\n    service: X\n    status:\n"
    # An empty status is null: check rejects it, but deprecate can still repair the entry.
    assert deprecate_in_text(text, Target.parse("8090"), DeprecationEdit("n")) == (
        "version: 1\nports:\n  - port: 8090\n    service: X\n    status: deprecated\n"
        "    deprecation:\n      note: n\n")


def test_invalid_utf8_registry_is_exit_2(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, after = run(tmp_path, b"version: 1\nports:\n  - {port: 8090, service: \xff}\n",
                      "8090", "--note", "n")
    assert code == 2
    assert after == b"version: 1\nports:\n  - {port: 8090, service: \xff}\n"
    assert "ports.yaml:3:27: invalid UTF-8 byte 0xff" in capsys.readouterr().err


def test_check_and_deprecate_place_a_bad_byte_alike(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # One rule (yamlsource.invalid_utf8): columns count characters, so "é" before is one.
    text = "version: 1\nports:\n  - port: 8090\n    service: Café ".encode() + b"\xff\n"
    code, _ = run(tmp_path, text, "8090", "--note", "n")
    deprecate_err = capsys.readouterr().err
    assert main(["check", "--registry", str(tmp_path / "ports.yaml")]) == 1
    check_out = capsys.readouterr()
    assert code == 2
    assert "ports.yaml:4:19: invalid UTF-8 byte 0xff" in deprecate_err
    assert "ports.yaml:4:19: error: invalid UTF-8 byte 0xff" in check_out.out + check_out.err


def test_notes_with_unpaired_surrogates_are_refused() -> None:
    with pytest.raises(PortplanError, match="not valid UTF-8"):
        yaml_scalar("bad \udcff byte")


def test_astral_characters_are_kept_or_escaped() -> None:
    assert yaml_scalar("ship it 🚢") == "ship it 🚢"
    assert yaml.safe_load("k: " + yaml_scalar("\x7f")) == {"k": "\x7f"}
    assert yaml_scalar("\ufeffx") == '"\\ufeffx"'


def test_dry_run_prints_the_diff_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, after = run(tmp_path, BLOCK, "3000", "--note", "Gone.", "--dry-run")
    assert code == 0
    assert after.decode() == BLOCK
    out = capsys.readouterr().out
    assert out.endswith(" # Grafana follows.\n   - port: 3000\n     service: Grafana\n"
                        "+    status: deprecated\n+    deprecation:\n+      note: Gone.\n")
    assert "ports.yaml\n+++ b/" in out


def test_running_it_twice_changes_nothing_the_second_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, once = run(tmp_path, BLOCK, "3000", "--note", "Gone.")
    assert code == 0
    capsys.readouterr()
    code, twice = run(tmp_path, once, "3000", "--note", "Gone.")
    assert code == 0
    assert twice == once
    assert "already deprecated with that note; nothing changed" in capsys.readouterr().out
