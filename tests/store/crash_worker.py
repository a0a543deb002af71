"""A small pipeline run over the store, for the crash test: it can stop itself to be killed.

    python -m tests.store.crash_worker URL SCHEMA|- [--pause-at N --pause-where WHERE]

Batches of real articles: each batch adds its articles (one call, one transaction), then
in one ``store.transaction()`` grows the stories, marks the batch done and moves a cursor.
Batches already done are skipped (as an incremental run does). Then it merges some
stories, writes a draft per story and finishes the run. With ``--pause-at N`` it prints
``paused`` and sleeps at batch N, either between the two steps (``between``) or inside
the open transaction (``inside``), so the test can SIGKILL it there.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable

from newsdesk.model import Draft, Page, Sentence, Story
from newsdesk.store import Store
from tests.store.data import uci_sample

BATCH = 12
ARTICLES = 96
STEP = 25  # spread over the file, so batches touch many stories


def run(
    store: Store,
    pause_at: int | None = None,
    pause_where: str = "inside",
    on_pause: Callable[[], None] | None = None,
) -> None:
    """The whole run; at batch ``pause_at`` call ``on_pause`` (default: print) and sleep."""
    run_id = store.start_run("crash-test")
    sample = uci_sample(ARTICLES, step=STEP)
    for number, start in enumerate(range(0, len(sample), BATCH)):
        batch = sample[start : start + BATCH]
        source = f"batch-{number:03d}"
        state = store.get_page_state(source)
        if state is not None and state.status == "done":
            continue
        store.add_articles(a for a, _ in batch)
        if pause_at == number and pause_where == "between":
            _pause(on_pause)
        with store.transaction():
            grouped: dict[str, list[str]] = defaultdict(list)
            for article, key in batch:
                grouped[key].append(article.id)
            for key, ids in grouped.items():
                known = store.get_story(key)
                members = list(known.article_ids) if known else []
                members += [i for i in ids if i not in members]
                store.save_story(Story(id=key, article_ids=tuple(members), headline=key))
            content = "\n".join(a.id for a, _ in batch).encode()
            store.add_page(Page(source=source, content=content), "done")
            store.set_state("cursor", str(number))
            if pause_at == number and pause_where == "inside":
                _pause(on_pause)
        print(f"committed {number}", flush=True)
    keys = sorted({key for _, key in sample})
    for keep, gone in zip(keys[0:4:2], keys[1:4:2], strict=True):
        store.merge_stories(keep, gone)
    for story in store.list_stories(limit=None):
        draft = Draft(
            story_id=story.id,
            headline=story.headline,
            standfirst=(Sentence(story.headline, story.article_ids[:1]),),
            lead=(),
            body=(),
            summary=(),
            written_at="2026-11-22T00:00:00+00:00",
        )
        store.save_draft(draft, "published", store.story_signature(story.id) or "")
    store.finish_run(run_id, "ok", {"batches": number + 1})
    print("done", flush=True)


def _pause(on_pause: Callable[[], None] | None) -> None:
    if on_pause is not None:
        on_pause()
    print("paused", flush=True)
    time.sleep(120)  # the test kills us here; the sleep only bounds a forgotten child
    raise SystemExit("pause was not interrupted")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("schema")
    parser.add_argument("--pause-at", type=int)
    parser.add_argument("--pause-where", choices=["between", "inside"], default="inside")
    args = parser.parse_args()
    store = Store(args.url, schema=None if args.schema == "-" else args.schema)
    try:
        run(store, args.pause_at, args.pause_where)
    finally:
        store.close()


if __name__ == "__main__":
    main()
