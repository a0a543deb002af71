"""Settings with safe defaults, overridable by environment variables (NEWSDESK_*)."""

from __future__ import annotations

import os


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Pages larger than this are refused before parsing (bytes). 10 MB covers real news pages.
MAX_PAGE_BYTES: int = _int_env("NEWSDESK_MAX_PAGE_BYTES", 10 * 1024 * 1024)
