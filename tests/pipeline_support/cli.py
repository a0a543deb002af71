"""Running ``newsdesk run`` in a test: a CLI runner set up for it, and its summary read back.

The summary is a rich table; ``summary_row`` reads one count from it by its row's name.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner


def cli_runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner with no politeness delay or retries against the test's own server, and a
    console wide enough that no table cell wraps."""
    monkeypatch.setenv("NEWSDESK_HOST_INTERVAL", "0")
    monkeypatch.setenv("NEWSDESK_HTTP_RETRIES", "0")
    monkeypatch.setenv("COLUMNS", "250")
    return CliRunner()


def summary_row(output: str, name: str) -> int:
    """The number on the summary table's row called ``name``."""
    match = re.search(rf"{re.escape(name)}\s*│\s*(\d+)", output)
    assert match, f"no {name!r} row in:\n{output}"
    return int(match.group(1))


def drafts_written(output: str) -> int:
    """The drafts the run wrote: published ones and those held for review."""
    return summary_row(output, "drafts published") + summary_row(output, "drafts held for review")
