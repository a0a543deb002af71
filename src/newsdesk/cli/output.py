"""Shared helpers for commands: JSON lines out, errors to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsdesk.errors import InputError

# Characters that JSON leaves raw but line splitters (Python's str.splitlines, some
# JSON-lines readers) take for line ends: escaped, so one record stays one line.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def print_json_line(obj: Any) -> None:
    """One JSON record on one line, whatever line-break characters its strings hold."""
    line = json.dumps(obj, ensure_ascii=False)
    for char, escaped in _LINE_BREAKS.items():
        if char in line:  # rare: a search in C, where str.translate costs a lookup a character
            line = line.replace(char, escaped)
    sys.stdout.write(line + "\n")


def report_failure(source: str, reason: str) -> None:
    sys.stderr.write(f"newsdesk: {source}: {reason}\n")


def to_minute(value: str | None) -> str:
    """An ISO 8601 time as a table shows it: ``2026-11-22 08:25`` (empty for none)."""
    return (value or "")[:16].replace("T", " ")


def numbered_lines(source: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a JSON-lines file, or of standard input for ``-``."""
    if source == "-":
        yield from enumerate(sys.stdin, start=1)
        return
    try:
        with Path(source).open(encoding="utf-8", errors="replace") as stream:
            yield from enumerate(stream, start=1)
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc


def json_object(line: str, expected: str) -> dict[str, Any]:
    """One JSON object from a line, or InputError saying what is wrong (``expected`` names it)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object ({expected})")
    return data
