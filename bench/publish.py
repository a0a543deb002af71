"""Publish benchmark: what `newsdesk run`'s publish step costs on a site that has run for months.

A SQLite store in a temporary folder is filled with ``--stories`` synthetic stories (two
articles of six paragraphs each from different outlets, a draft of eight sentences citing
them, latest sources one hour apart). Then ``Pipeline.publish`` (the step of ``newsdesk
run``) is timed, side by side in one run:

- ``first publish``: into an empty folder, every story rendered (the anchor);
- ``nothing changed``: published again with the same drafts, best of ``--rounds``;
- ``N changed``: ``--changed`` drafts rewritten (new headline), then published again;
  best of ``--rounds`` (each round changes other stories).

Each row counts the stories whose articles were read from the store and the files written
(inode or mtime changed), and gives its time as a ratio of the first publish.

    python bench/publish.py [--stories 5000] [--changed 10] [--rounds 3]

Run the same script with ``PYTHONPATH`` set to another checkout's ``src`` to compare
versions of the publisher.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.model import Article, Draft, Report, Sentence, Source, Story
from newsdesk.pipeline import Pipeline, RunOptions
from newsdesk.store import Store, open_store, story_signature

START = datetime(2026, 6, 1, tzinfo=UTC)
WORDS = [
    "council",
    "budget",
    "minister",
    "river",
    "election",
    "harbour",
    "court",
    "museum",
    "railway",
    "hospital",
    "strike",
    "festival",
    "drought",
    "bridge",
    "school",
    "airport",
    "treaty",
    "vaccine",
    "market",
    "storm",
]


def _paragraph(story: int, outlet: int, n: int) -> str:
    w = [WORDS[(story * 7 + outlet * 3 + n + k) % len(WORDS)] for k in range(6)]
    return (
        f"The {w[0]} of district {story} said on day {n} that the {w[1]} would cost "
        f"{story * 13 + n} thousand. Officials from the {w[2]} office met {w[3]} "
        f"representatives. Outlet {outlet} reports that the {w[4]} and {w[5]} plans continue."
    )


def _story(i: int) -> tuple[list[Article], Story, Draft]:
    when = START + timedelta(hours=i)
    articles = [
        Article.create(
            url=f"https://outlet{(i + k) % 40}.example/news/{i}-{k}",
            title=f"District {i} report {k}",
            paragraphs=tuple(_paragraph(i, k, n) for n in range(6)),
            site_name=f"Outlet {(i + k) % 40}",
            published=(when - timedelta(minutes=30 * k)).isoformat(),
            language="en",
        )
        for k in range(2)
    ]
    sentences = [
        Sentence(p.split(". ")[0] + ".", (a.id,)) for a in articles for p in a.paragraphs[:4]
    ]
    story_id = f"story-{i:05d}"
    draft = Draft(
        story_id=story_id,
        headline=f"District {i} weighs the cost of its {WORDS[i % len(WORDS)]}",
        standfirst=(sentences[0],),
        lead=(sentences[1], sentences[4]),
        body=((sentences[2], sentences[5]), (sentences[3], sentences[6])),
        summary=(sentences[7],),
        sources=tuple(Source.from_article(a) for a in articles),
        language="en",
        checks=Report(story_id, True, ()),
        written_at=(when + timedelta(minutes=5)).isoformat(),
    )
    story = Story(story_id, tuple(a.id for a in articles), draft.headline)
    return articles, story, draft


def fill(store: Store, count: int) -> None:
    with store.transaction():
        for i in range(count):
            articles, story, draft = _story(i)
            store.add_articles(articles)
            store.save_story(story)
            store.save_draft(draft, "published", story_signature(story.article_ids))


def _stamps(out: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


class _Counting:
    """Counts the stories whose member articles the publish step reads."""

    def __init__(self, store: Store) -> None:
        self.reads = 0
        real = store.story_articles

        def story_articles(story_id: str) -> list[Article]:
            self.reads += 1
            return real(story_id)

        store.story_articles = story_articles  # type: ignore[method-assign]


def timed_publish(store: Store, out: Path, counter: _Counting) -> tuple[float, int, int]:
    before = _stamps(out) if out.exists() else {}
    counter.reads = 0
    pipeline = Pipeline(store, RunOptions([], out_dir=out))
    started = time.perf_counter()
    pipeline.publish()
    elapsed = time.perf_counter() - started
    assert not pipeline.summary.failures, pipeline.summary.failures
    after = _stamps(out)
    written = sum(1 for p, stamp in after.items() if before.get(p) != stamp)
    return elapsed, counter.reads, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        fill(store, args.stories)
        print(f"store filled with {args.stories} stories in {time.perf_counter() - started:.1f} s")
        counter = _Counting(store)
        out = Path(tmp) / "site"
        rows = [("first publish", *timed_publish(store, out, counter))]
        same = min(timed_publish(store, out, counter) for _ in range(args.rounds))
        rows.append((f"nothing changed (best of {args.rounds})", *same))
        best: tuple[float, int, int] | None = None
        for r in range(args.rounds):
            with store.transaction():
                for k in range(args.changed):
                    i = (r * 997 + k * 389) % args.stories
                    stored = store.get_draft(f"story-{i:05d}")
                    assert stored is not None
                    draft = replace(stored.draft, headline=f"{stored.draft.headline} (round {r})")
                    store.save_draft(draft, "published", stored.story_signature)
            result = timed_publish(store, out, counter)
            best = result if best is None or result[0] < best[0] else best
        assert best is not None
        rows.append((f"{args.changed} changed (best of {args.rounds})", *best))

    anchor = rows[0][1]
    print(
        f"\n{'publish':<28} {'seconds':>8} {'stories read':>13} {'files written':>14} {'ratio':>6}"
    )
    for name, seconds, reads, written in rows:
        print(f"{name:<28} {seconds:8.2f} {reads:13d} {written:14d} {seconds / anchor:6.3f}")


if __name__ == "__main__":
    main()
