"""Several threads (a server reading while a pipeline writes) share one store safely."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from newsdesk.model import Story
from newsdesk.store import Store
from tests.store.conftest import Target
from tests.store.data import uci_sample


def test_threads_write_and_read_at_once(store: Store) -> None:
    sample = [a for a, _ in uci_sample(160, step=7)]
    unique = list({a.id: a for a in sample}.values())
    parts = [unique[i::4] for i in range(4)]

    def writer(number: int) -> int:
        new = 0
        for start in range(0, len(parts[number]), 5):
            batch = parts[number][start : start + 5]
            with store.transaction():
                new += store.add_articles(batch)
                store.save_story(
                    Story(id=f"t{number}-{start}", article_ids=tuple(a.id for a in batch))
                )
            store.set_state(f"cursor-{number}", str(start))
        return new

    def reader(_: int) -> int:
        seen = 0
        for _ in range(20):
            seen = max(seen, len(store.list_stories(limit=None)))
            store.get_articles(a.id for a in unique[:20])
        return seen

    with ThreadPoolExecutor(max_workers=6) as pool:
        written = pool.map(writer, range(4))
        read = pool.map(reader, range(2))
        assert sum(written) == len(unique)
        assert all(0 <= n <= len(unique) for n in read)
    assert store.count_articles() == len(unique)
    stories = store.list_stories(limit=None)
    assert sorted(a for s in stories for a in s.article_ids) == sorted(a.id for a in unique)


# Children fork from a single-threaded server (see test_crash): no lock held by a thread.
CONTEXT = multiprocessing.get_context("forkserver")


def _open_and_write(target: Target, number: int, start: Any) -> None:
    start.wait(timeout=60)
    with target.open() as store:
        store.set_state(f"opener-{number}", str(number))


def test_processes_opening_a_new_store_at_once_all_succeed(target: Target) -> None:
    """Each opener migrates the empty database or waits for the one that does."""
    start = CONTEXT.Barrier(3)
    children = [CONTEXT.Process(target=_open_and_write, args=(target, n, start)) for n in range(3)]
    for process in children:
        process.start()
    for process in children:
        process.join(timeout=120)
    assert [p.exitcode for p in children] == [0, 0, 0]
    with target.open() as store:
        assert [store.get_state(f"opener-{n}") for n in range(3)] == ["0", "1", "2"]
