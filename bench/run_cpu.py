"""CPU time of ``newsdesk run``'s own steps: one run in this process, on one worker.

``bench/speed.py --only e2e`` times whole processes, which move with the machine's load by
more than a change to the pipeline's store reads or writes is worth. This runs the pipeline
here (``NEWSDESK_WORKERS=1``: every block runs in this process, so its CPU time is the
run's) on the pages ``bench/speed.py`` writes, fresh store, and prints the CPU seconds
spent in each stage and in the pipeline's own steps around the blocks (storing pages,
reading articles, the clusterer's state, saving stories and drafts, building the write
jobs). ``--digest FILE`` writes what the run produced (stories, members, aliases, drafts,
site files; the run's clock taken out) to compare two trees' results with ``diff``.

    python bench/run_cpu.py [--kind text|html] [--pages 1000] [--digest FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["NEWSDESK_WORKERS"] = "1"

from speed import write_html_pages, write_text_pages

from newsdesk.cluster import StoryClusterer
from newsdesk.pipeline import run as pipeline
from newsdesk.store import open_store
from newsdesk.store.store import Store

# (owner, method, what it is): the steps timed, each counted once however it nests.
STEPS: list[tuple[Any, str, str]] = [
    (pipeline.Pipeline, "ingest", "stage ingest+extract"),
    (pipeline.Pipeline, "_keep_all", "storing pages"),
    (pipeline.Pipeline, "cluster", "stage cluster"),
    (pipeline.Pipeline, "_unclustered", "reading articles to cluster"),
    (Store, "save_stories", "saving stories"),
    (StoryClusterer, "to_state", "clusterer state"),
    (pipeline.Pipeline, "write", "stage write+verify"),
    (pipeline.Pipeline, "_job", "write jobs (with earlier coverage)"),
    (Store, "save_drafts", "saving drafts"),
    (pipeline.Pipeline, "publish", "stage publish"),
    (pipeline.Pipeline, "_draft_articles", "articles shown on story pages"),
    (Store, "story_articles", "Store.story_articles"),
    (Store, "get_articles", "Store.get_articles"),
]


def _timed(function: Callable[..., Any], name: str, spent: dict[str, float]) -> Any:
    inside = [False]

    def timed(*args: Any, **kwargs: Any) -> Any:
        if inside[0]:
            return function(*args, **kwargs)
        inside[0] = True
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            inside[0] = False
            spent[name] = spent.get(name, 0.0) + time.process_time() - started

    return timed


DAY = 86400.0
_CLOCK = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(\+00:00|Z)?")


def digest(db: Path, site: Path, started: float) -> list[Any]:
    """What a run produced, its own clock taken out: times from 40 days before the run to
    a day after it (an undated article's time is the run's, "yesterday" is read from it)
    read as "<now>"; the index pages compared as the lines they hold (their order and the
    feed's choice follow those times)."""

    def plain(value: Any) -> Any:
        if not isinstance(value, str):
            return value

        def now(match: re.Match[str]) -> str:
            from newsdesk.text.dates import epoch_seconds

            seconds = epoch_seconds(match.group(0))
            recent = seconds is not None and started - 40 * DAY <= seconds <= started + DAY
            return "<now>" if recent else match.group(0)

        return _CLOCK.sub(now, value)

    conn = sqlite3.connect(db)
    lines: list[Any] = []
    for query in (
        "select 'story', id, headline, first_seen, last_seen, language from stories order by id",
        "select 'member', story_id, article_id, position from story_articles"
        " order by story_id, position, article_id",
        "select 'alias', alias_id, story_id from story_aliases order by alias_id",
        "select 'draft', story_id, status, signature, headline, language, writer, data"
        " from drafts order by story_id",
    ):
        lines.extend([plain(v) for v in row] for row in conn.execute(query))
    conn.close()
    listed: list[str] = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = str(path.relative_to(site))
        text = plain(path.read_text(encoding="utf-8", errors="replace"))
        if name.startswith("stories/"):
            lines.append(["file", name, hashlib.sha1(text.encode()).hexdigest()])
        elif name != "feed.atom":
            lines.append(["file", name])
            tags = text.replace("><", ">\n<").split("\n")
            listed += [line.strip().replace("../", "") for line in tags]
    lines.append(["index lines", hashlib.sha1("\n".join(sorted(listed)).encode()).hexdigest()])
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=["text", "html"], default="text")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--digest", type=Path, default=None)
    args = parser.parse_args()
    spent: dict[str, float] = {}
    for owner, method, name in STEPS:
        setattr(owner, method, _timed(getattr(owner, method), name, spent))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "pages"
        (write_html_pages if args.kind == "html" else write_text_pages)(folder, args.pages)
        db, site = work / "run.db", work / "site"
        started_cpu, started = time.process_time(), time.time()
        with open_store(db) as store:
            pipeline.run_pipeline(store, pipeline.RunOptions([str(folder)], out_dir=site))
        total = time.process_time() - started_cpu
        if args.digest is not None:
            found = digest(db, site, started)
            args.digest.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in found))
    print(f"{args.kind}, {args.pages} pages, one worker: run {total:.2f} CPU s")
    for _, _, name in STEPS:
        print(f"  {name:38s} {spent.get(name, 0.0):6.3f}")


if __name__ == "__main__":
    main()
