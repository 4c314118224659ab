"""Whatever the cells hold, `import` gives a registry `check` reads, or a clear refusal.

Cells are drawn from Markdown and YAML specials, port-like words, status words and any text;
the result must load with no error but the conflicts the plan itself has, and importing twice
must give the same bytes.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from portplan.adopt.conversion import PlanUnreadable, convert_plan
from portplan.adopt.registry_text import _scalar
from portplan.problems import Severity
from portplan.registry.load import load_registry

WORDS = ["8080", "~~8090~~", "<del>5000</del>", "10300-10313", "9100, 9101", "N/A", "TBD",
         "Varies", "planned", "reserved", "(dev)", "(planned)", "`a` → `b`", "**x**", "yes",
         "null", "- item", "#1", ": colon", "'quote'", '"dq"', "&amp;", "<br>", "0", "70000",
         "8125/udp", "tcp/udp", "all", "prod, staging", "\u00e9", "\u202e", "[l](u)", "\\|"]
CELL = st.one_of(st.sampled_from(WORDS),
                 st.text(st.characters(blacklist_categories=("Cs",),
                                       blacklist_characters="|\n\r"), max_size=12),
                 st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join))
HEADERS = st.lists(st.sampled_from(["Port", "Service", "Status", "Host", "Protocol", "Notes",
                                    "Location", "Owner", "Since", "Tier", "Name", "Env var",
                                    "Bind", "External port", ""]),
                   min_size=1, max_size=6)


@settings(max_examples=120, deadline=None)
@given(HEADERS, st.integers(0, 6), st.lists(st.lists(CELL, min_size=1, max_size=7), max_size=6))
def test_any_table_imports_to_a_checkable_registry_or_a_clear_refusal(
        header: list[str], port_at: int, rows: list[list[str]]) -> None:
    header.insert(port_at, "Port")  # most tables have a port column, somewhere
    text = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n" + "".join(
        "| " + " | ".join(cells) + " |\n" for cells in rows)
    try:
        converted = convert_plan(text.encode("utf-8"), "plan.md")
    except PlanUnreadable as exc:
        assert str(exc).startswith("plan.md: no port plan found")
        return
    assert convert_plan(text.encode("utf-8"), "plan.md").text == converted.text
    problems = load_registry(converted.text).problems
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert {p.code for p in errors} <= {"port-conflict"}, (text, converted.text, errors)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZy0 _./()+;'-:#,[]{}\"!&*?|>%@`"), min_size=1, max_size=10))
def test_the_writers_plain_text_reads_back_as_the_same_text(value: str) -> None:
    written = _scalar(value)
    loaded = yaml.safe_load(f"k: {written}\nf: [{written}]\n")
    assert loaded == {"k": value, "f": [value]}
