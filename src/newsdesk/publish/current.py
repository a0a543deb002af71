"""Whether a published site is still current, told without rendering it.

A run that changed no story and no draft would publish the same site again: its index
pages and feed rendered anew only to be found unchanged, most of an unchanged re-run's
time. A publish therefore leaves a mark (kept by the caller, in the store): what the site
was made from (``Store.content_version`` of its stories and drafts, the page size, the
site URL, the time of the templates and rendering code), the files it wrote and a hash of
its front page and feed. While all of that still holds and every one of those files is
there, the site is current and need not be published again. This module imports no
template engine, so a run that finds its site current never loads one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

_HERE = Path(__file__).parent
_HASHED = ("index.html", "feed.atom")  # rewritten by every publish: another writer shows here


@functools.lru_cache(maxsize=1)
def templates_mtime() -> float:
    """When the templates, assets or rendering code last changed (an upgrade re-renders)."""
    files = [*_HERE.glob("templates/*"), *_HERE.glob("static/*"), *_HERE.glob("*.py")]
    return max(path.stat().st_mtime for path in files)


def site_token(content_version: str, page_size: int, site_url: str | None) -> str:
    """What a site is made from: the store's stories and drafts, and how they are shown (an
    install or upgrade writes the templates and this package anew: their time changes)."""
    return json.dumps([content_version, page_size, site_url, templates_mtime()])


def site_mark(out_dir: Path, token: str, files: Sequence[Path], stories: int) -> str:
    """The mark of a site just published into ``out_dir`` (``files``: every file it holds)."""
    listed = sorted(str(Path(path).relative_to(out_dir)) for path in files)
    return json.dumps(
        {"token": token, "files": listed, "stories": stories, "digest": _digest(out_dir)}
    )


def still_current(mark: str | bytes | None, out_dir: Path, token: str) -> tuple[int, int] | None:
    """(files, stories) of the site in ``out_dir`` when ``mark`` says it was published from
    ``token`` and it is as that publish left it; None when it must be published again."""
    if not mark:
        return None
    try:
        kept = json.loads(mark)
        if kept["token"] != token or kept["digest"] != _digest(out_dir):
            return None
        files: list[str] = kept["files"]
        if not all((out_dir / name).is_file() for name in files):
            return None
        return len(files), int(kept["stories"])
    except (ValueError, KeyError, TypeError, OSError):  # another version's mark, or damaged
        return None


def _digest(out_dir: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for name in _HASHED:
        try:
            digest.update((out_dir / name).read_bytes())
        except OSError:  # missing: a digest no publish left
            digest.update(b"\x00missing")
    return digest.hexdigest()
