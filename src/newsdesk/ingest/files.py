"""Pages from local files, folders (recursively) and standard input.

Yields one ``Page`` or one ``Failure`` per file, so a caller can report a bad file and go on.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
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


# A file changed this recently may change again within the same tick of the file system's
# clock, unseen by its modification time: it gets no validator (read again next time).
_SETTLE_SECONDS = 2.0


def file_validator(stat: os.stat_result, now: float | None = None) -> str | None:
    """A file's validator, as a web server's ETag for a static file: its modification time
    and size. A run that finds them as an earlier run recorded them skips the file unread
    (rsync's quick check); None for a file modified in the last couple of seconds."""
    if (time.time() if now is None else now) - stat.st_mtime < _SETTLE_SECONDS:
        return None
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def read_file(path: Path, max_bytes: int | None = None) -> Page | Failure:
    """One file as a page, or why it cannot be one (over the size cap, unreadable). The
    page carries the file's validator as its ``etag`` header (``file_validator``)."""
    limit = settings.MAX_PAGE_BYTES if max_bytes is None else max_bytes
    try:
        stat = path.stat()
        if stat.st_size > limit:
            # Over the cap: refuse without reading it into memory.
            return Failure(
                str(path), f"file is {stat.st_size:,} bytes, over the {limit:,}-byte limit"
            )
        data = path.read_bytes()
    except OSError as exc:
        return Failure(str(path), f"cannot read file: {exc.strerror or exc}")
    validator = file_validator(stat)
    headers = {"etag": validator} if validator else {}
    return Page(source=str(path), content=data, fetched_at=saved_at(stat), headers=headers)


# Modification times before this are no page's save time (a file system's or an
# archive's placeholder: 1970, 1980).
_EARLIEST_SAVE = datetime(1995, 1, 1, tzinfo=UTC).timestamp()


def saved_at(stat: os.stat_result, now: datetime | None = None) -> datetime:
    """When a page file was saved: its modification time, which reads the page's "3 hours
    ago" as of the save, the same in every run; now where that time is implausible (before
    1995, or later than now). Not evidence of the news' time (``Page.fetched_by`` None)."""
    current = now or now_utc()
    mtime = stat.st_mtime
    if not _EARLIEST_SAVE <= mtime <= current.timestamp():
        return current
    return datetime.fromtimestamp(mtime, UTC)


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
