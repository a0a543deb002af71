"""Pages from local files, folders (recursively) and standard input.

Yields one ``Page`` or one ``Failure`` per file, so a caller can report a bad file and go on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsdesk import settings
from newsdesk.model import Page, now_utc

# Names a folder walk skips: hidden files, editor droppings, our own outputs.
_SKIP_SUFFIXES = {
    ".db",
    ".db-journal",
    ".pyc",
    ".swp",
    ".jsonl",
    ".json",
    ".md",
    ".toml",
    ".gitkeep",
}


@dataclass(frozen=True)
class Failure:
    """A source that could not be read, with the reason in words."""

    source: str
    reason: str


def _read_file(path: Path, max_bytes: int) -> Page | Failure:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            # Over the cap: refuse without reading it into memory.
            return Failure(str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        return Failure(str(path), f"cannot read file: {exc.strerror or exc}")
    return Page(source=str(path), content=data, fetched_at=now_utc())


def iter_path_pages(path: Path, max_bytes: int | None = None) -> Iterator[Page | Failure]:
    """Every page under a file or folder, folders walked recursively in name order."""
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    if not path.exists():
        yield Failure(str(path), "no such file or folder")
        return
    if path.is_file():
        yield _read_file(path, limit)
        return
    for child in sorted(path.rglob("*")):
        if not child.is_file() or any(
            part.startswith(".") for part in child.relative_to(path).parts
        ):
            continue
        if child.suffix.lower() in _SKIP_SUFFIXES or child.name.upper().startswith(
            ("ATTRIBUTION", "LICENSE", "README")
        ):
            continue
        yield _read_file(child, limit)


def read_stdin(max_bytes: int | None = None) -> Page | Failure:
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        return Failure("-", f"standard input is over the {limit:,}-byte limit")
    return Page(source="-", content=data, fetched_at=now_utc())
