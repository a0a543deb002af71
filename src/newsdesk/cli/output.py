"""Shared helpers for commands: JSON lines out, errors to stderr."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json_line(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def report_failure(source: str, reason: str) -> None:
    sys.stderr.write(f"newsdesk: {source}: {reason}\n")
