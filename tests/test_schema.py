"""schema/ports.schema.json and `portplan check` give the same verdict on every fixture.

The verdict is "has errors" (warnings do not fail either side). Where JSON Schema cannot express
a rule, the fixture is listed in SCHEMA_BLIND with the reason, and the test asserts the
disagreement is exactly that one: the checker rejects, the schema accepts. A fixture that
`yaml.safe_load` cannot read at all (syntax, tabs, control characters, bad UTF-8, several
documents, unknown tags) counts as rejected on the schema side, as an editor shows it as broken.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from portplan.problems import Severity
from portplan.registry.entries import (
    DEPRECATION_KEYS,
    ENTRY_KEYS,
    EXTERNAL_KEYS,
    RANGE_KEYS,
    TOP_KEYS,
)
from portplan.registry.load import load_registry

ROOT = Path(__file__).parents[1]
SCHEMA = json.loads((ROOT / "schema" / "ports.schema.json").read_text(encoding="utf-8"))
CORPUS = Path(__file__).parent / "corpus"

SCHEMA_BLIND = {
    "anchor-only.yaml": "anchors are a YAML feature; the loaded data is fine",
    "merge-key.yaml": "'<<' is merged before the schema sees the data",
    "duplicate-keys.yaml": "yaml.safe_load silently keeps the last duplicate key",
    "port-notation.yaml": "010, 0x1F90 and 8_080 load as integers; the notation is gone",
    "range-backwards.yaml": "LOW <= HIGH inside a 'LOW-HIGH' string",
    "conflict-port.yaml": "conflicts compare entries with each other",
    "conflict-environments.yaml": "conflicts compare entries with each other",
    "conflict-block.yaml": "conflicts compare entries with each other",
    "conflict-blocks.yaml": "conflicts compare entries with each other",
    "conflict-deprecated.yaml": "conflicts compare entries with each other",
    "conflict-ranges.yaml": "overlapping ranges compare entries with each other",
    "crlf.yaml": "a conflict: entries compared with each other",
    "flow-style.yaml": "a conflict: entries compared with each other",
    "replaced-by-unknown.yaml": "replaced_by must name a port held by another entry",
    "replaced-by-itself.yaml": "replaced_by must name a port held by another entry",
    "port-float.yaml": "8080.0 is an integer to JSON Schema (no fractional part)",
}
# The list is exact: a fixture listed here where the schema does reject, or a fixture missing
# from it where the two disagree, fails test_schema_and_checker_agree.


class _NoDates(yaml.SafeLoader):
    """safe_load without timestamp resolution: dates stay strings, as in JSON."""


_NoDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema_rejects(data: bytes) -> bool:
    try:
        document: Any = yaml.load(data.decode("utf-8-sig"), Loader=_NoDates)  # noqa: S506
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError, ValueError):
        # ValueError: PyYAML itself fails on integers of over 4,300 digits.
        return True
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return any(True for _ in validator.iter_errors(document))


def checker_rejects(data: bytes) -> bool:
    loaded = load_registry(data)
    return loaded.registry is None or any(
        p.severity is Severity.ERROR for p in loaded.problems)


FIXTURES = sorted([*CORPUS.glob("invalid/*.yaml"), *CORPUS.glob("valid/*.yaml"),
                   ROOT / "ports.yaml"])


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", FIXTURES, ids=_id)
def test_schema_and_checker_agree(path: Path) -> None:
    data = path.read_bytes()
    checker, schema = checker_rejects(data), schema_rejects(data)
    if path.name in SCHEMA_BLIND and path.parent.name == "invalid":
        assert (checker, schema) == (True, False), SCHEMA_BLIND[path.name]
    else:
        assert checker == schema
    if path.parent.name == "valid" or path == ROOT / "ports.yaml":
        assert not checker


def test_bundled_registry_names_the_schema() -> None:
    first = (ROOT / "ports.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/ports.schema.json"


def test_every_entry_key_is_described() -> None:
    # Editors show these descriptions on completion; an undocumented key is a gap.
    entry = SCHEMA["$defs"]["entry"]["properties"]
    missing = [key for key, spec in entry.items() if "description" not in spec]
    assert missing == []


def test_schema_and_loader_know_the_same_keys() -> None:
    defs = SCHEMA["$defs"]
    assert list(SCHEMA["properties"]) == list(TOP_KEYS)
    assert list(defs["entry"]["properties"]) == list(ENTRY_KEYS)
    assert list(defs["range"]["properties"]) == list(RANGE_KEYS)
    assert list(defs["entry"]["properties"]["external"]["properties"]) == list(EXTERNAL_KEYS)
    assert list(defs["entry"]["properties"]["deprecation"]["properties"]) == list(
        DEPRECATION_KEYS)


def test_schema_accepts_the_warnings_an_entry_may_accept() -> None:
    from portplan.registry.acceptance import ACCEPTABLE  # noqa: PLC0415 - only this test needs it

    accept = SCHEMA["$defs"]["entry"]["properties"]["accept"]
    assert accept["propertyNames"]["enum"] == list(ACCEPTABLE)
