"""Shared test set-up: warnings from portplan's loggers must be asserted, never ignored."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

OUR_LOGGERS = ("portplan", "mkdocs.plugins.portplan")


@pytest.fixture(autouse=True)
def unasserted_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Fail a test that leaves a portplan warning unasserted.

    A test that expects warnings reads them from ``caplog`` and then calls ``caplog.clear()``.
    """
    yield caplog
    left = [r for r in caplog.get_records("call")
            if r.levelno >= logging.WARNING and r.name.startswith(OUR_LOGGERS)]
    if left:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in left)
        pytest.fail(f"unasserted log warnings:\n{lines}")
