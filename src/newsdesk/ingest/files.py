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


def read_file(path: Path, max_bytes: int | None = None) -> Page | Failure:
    """One file as a page, or why it cannot be one (over the size cap, unreadable)."""
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            # Over the cap: refuse without reading it into memory.
            return Failure(str(path), f"file is {size:,} bytes, over the {limit:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        return Failure(str(path), f"cannot read file: {exc.strerror or exc}")
    return Page(source=str(path), content=data, fetched_at=now_utc())


def iter_path_files(path: Path) -> Iterator[Path | Failure]:
    """Every file under a file or folder that may hold a page, folders walked recursively
    in name order, not yet read (a worker process may read it where it is extracted)."""
    if not path.exists():
        yield Failure(str(path), "no such file or folder")
        return
    if path.is_file():
        yield path
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
        yield child


def iter_path_pages(path: Path, max_bytes: int | None = None) -> Iterator[Page | Failure]:
    """Every page under a file or folder, folders walked recursively in name order."""
    for item in iter_path_files(path):
        yield item if isinstance(item, Failure) else read_file(item, max_bytes)


def read_stdin(max_bytes: int | None = None) -> Page | Failure:
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        return Failure("-", f"standard input is over the {limit:,}-byte limit")
    return Page(source="-", content=data, fetched_at=now_utc())
