"""Clustering into the store: the one rule to load, check and save the clusterer's state.

The store keeps the clusterer between runs (its state under ``STATE_KEY``, with the
``ClusterConfig`` it was first clustered with). ``SavedClusterer.read`` reads and
decompresses that state once; a run (``newsdesk run``, ``newsdesk cluster``) asks it for
the stored config (to check options against), checks the config given
(``cluster.persist.agreed_config``) and builds the clusterer from it. A state that cannot
be read (another version's, or damaged) is not lost work: the clusterer is rebuilt by
replaying the articles already in stories, so stored stories keep their ids.

``cluster_pending`` clusters articles in time order, in batches: each batch's changed
stories, its merges and the clusterer's new state land in one transaction. An article the
clusterer fails on is reported and left unclustered; the rest go on.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from newsdesk.cluster import ClusterConfig, StoryClusterer, time_ordered
from newsdesk.cluster.persist import agreed_config, saved_config
from newsdesk.cluster.stream import decode_state
from newsdesk.model import Article
from newsdesk.pipeline.blocks import cluster_batch, prepare_for_clustering
from newsdesk.store import Store

if TYPE_CHECKING:
    from newsdesk.cluster.related import ReadDoc
    from newsdesk.cluster.stream import PreparedArticle
    from newsdesk.pipeline.processes import ProcessExecutor

STATE_KEY = "clusterer"
BATCH = 256  # articles clustered in the first transaction (later ones: see growing_batches)


class SavedClusterer:
    """The clusterer state a store holds, read and decompressed once."""

    def __init__(self, state: dict[str, Any] | None, problem: str | None = None) -> None:
        self.state = state  # decoded; None when there is none or it is unreadable
        self.problem = problem  # why a saved state could not be read
        self.config = saved_config(state) if state is not None else None

    @classmethod
    def read(cls, store: Store) -> SavedClusterer:
        data = store.get_state(STATE_KEY)
        if not isinstance(data, bytes):
            return cls(None)
        try:
            return cls(decode_state(data))
        except (ValueError, TypeError, UnicodeDecodeError, zlib.error) as exc:
            return cls(None, f"{type(exc).__name__}: {exc}")

    def check(self, config: ClusterConfig | None) -> ClusterConfig | None:
        """The config clustering goes on with (see ``agreed_config``), or ConfigMismatchError."""
        return agreed_config(self.config, config)

    def clusterer(
        self, store: Store, config: ClusterConfig | None = None
    ) -> tuple[StoryClusterer, str | None]:
        """The clusterer as the last run left it, and a note when it had to be rebuilt.

        None saved: a new one with ``config``. Saved but unreadable: rebuilt from the
        store's stories. A ``config`` that differs from the saved one: ConfigMismatchError.
        """
        problem = self.problem
        if self.state is not None:
            try:
                clusterer = StoryClusterer.from_saved(self.state)
            except Exception as exc:  # written by another version, or damaged
                problem = f"{type(exc).__name__}: {exc}"
            else:
                self.state = None  # built: its memory can go
                agreed_config(clusterer.config, config)  # ConfigMismatchError if they differ
                return clusterer, None
        if problem is None:
            return StoryClusterer(config), None
        note = f"clusterer state unreadable ({problem}); rebuilt from the stored stories"
        return _rebuilt(store, config), note


def _rebuilt(store: Store, config: ClusterConfig | None) -> StoryClusterer:
    """Replay the articles already in stories, in the order they were clustered."""
    clusterer = StoryClusterer(config)
    pending = set(store.unclustered_article_ids())
    done = [a for a in store.iter_articles() if a.id not in pending]
    for article in time_ordered(done):
        clusterer.add(article)
    clusterer.take_changes()  # the store holds these stories already
    return clusterer


def stored_config(store: Store) -> ClusterConfig | None:
    """The config of the clusterer saved in the store; None when none is saved or readable."""
    return SavedClusterer.read(store).config


def check_config(store: Store, config: ClusterConfig | None) -> ClusterConfig | None:
    """``agreed_config`` against the store's saved config; the store is only read."""
    return SavedClusterer.read(store).check(config)


@dataclass
class Clustered:
    """What clustering a set of articles into the store did."""

    stories_new: int = 0
    stories_updated: int = 0
    failures: list[tuple[Article, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # With ``keep_terms``: the earlier-coverage finder's terms of the articles clustered,
    # as the clusterer read them (``cluster.related.doc_of``), by article id, the latest
    # ``KEPT_TERMS``.
    coverage_terms: dict[str, ReadDoc] = field(default_factory=dict)


# Articles whose coverage terms a run keeps at most (the earlier-coverage finder's cache).
KEPT_TERMS = 50_000


def growing_batches(articles: Sequence[Article], first: int) -> Iterator[list[Article]]:
    """``first`` articles, then batches as large as all those before them together.

    Each batch's transaction ends with the clusterer's whole state (every story it holds,
    so its size grows with the articles clustered): batches of a fixed size would write it
    n / size times, a cost growing with the square of the run's articles; doubling batches
    write it about log2(n / first) times, twice the final state's size in all. A run
    killed meanwhile loses at most the batch in flight, as before (clustered again next
    time).
    """
    start, size = 0, max(1, first)
    while start < len(articles):
        yield list(articles[start : start + size])
        start += size
        size = start


def cluster_pending(
    store: Store,
    articles: Sequence[Article],
    config: ClusterConfig | None = None,
    *,
    saved: SavedClusterer | None = None,
    on_batch: Callable[[int], None] | None = None,
    workers: ProcessExecutor | None = None,
    keep_terms: bool = False,
) -> Clustered:
    """Cluster ``articles`` (not yet in a story) into the store, in time order.

    ``config`` follows ``agreed_config`` and is checked before anything is written.
    ``saved``: the store's clusterer state if the caller read it already (one read a run).
    ``on_batch(n)`` is told after each batch of ``n`` articles is stored. ``workers``:
    worker processes that read the articles' languages, terms and MinHashes ahead of the
    clusterer, which adds them one by one in this process (the same stories: see
    ``cluster.stream.prepare``). ``keep_terms``: what the clusterer read (there, or here
    with no workers) is also kept for the earlier-coverage finder
    (``Clustered.coverage_terms``), so the write stage does not read the articles again.
    """
    saved = saved or SavedClusterer.read(store)
    if config is not None:
        saved.check(config)
    done = Clustered()
    if not articles:
        return done
    clusterer, note = saved.clusterer(store, config)
    if note:
        done.notes.append(note)
    ordered = time_ordered(articles)
    prepared: Iterator[PreparedArticle | None] | None = None
    if workers is not None:
        prepared = iter(
            workers.map(partial(prepare_for_clustering, config=clusterer.config), ordered)
        )
    elif keep_terms:
        # Read here, each as the clusterer takes it (what it would read itself), so that
        # the terms are kept for the finder too: it would otherwise read every article again.
        prepared = (prepare_for_clustering(a, clusterer.config) for a in ordered)
    if prepared is not None and keep_terms:
        lead_words = clusterer.config.lead_words
        prepared = _keeping_terms(ordered, prepared, done.coverage_terms, lead_words)
    for batch in growing_batches(ordered, BATCH):
        result = cluster_batch(clusterer, batch, prepared)
        done.failures.extend(result.failures)
        done.notes.extend(result.notes)
        # Stories, merges and the clusterer's state land together or not at all.
        with store.transaction():
            known = store.existing_story_ids(s.id for s in result.stories)
            store.save_stories(result.stories)
            for story in result.stories:
                if story.id in known:
                    done.stories_updated += 1
                else:
                    done.stories_new += 1
                    known.add(story.id)
            for keep, gone in result.merges:
                if store.resolve_story_id(keep) and store.resolve_story_id(gone):
                    store.merge_stories(keep, gone)
            store.set_state(STATE_KEY, clusterer.to_state())
        if on_batch is not None:
            on_batch(len(batch))
    return done


def _keeping_terms(
    articles: Sequence[Article],
    prepared: Iterator[PreparedArticle | None],
    kept: dict[str, ReadDoc],
    lead_words: int,
) -> Iterator[PreparedArticle | None]:
    """``prepared`` as it is, each article's terms kept on the way as the earlier-coverage
    finder reads them (the latest ``KEPT_TERMS`` articles')."""
    from newsdesk.cluster.related import doc_of

    for article, ready in zip(articles, prepared, strict=False):
        if ready is not None and ready.terms is not None and ready.language is not None:
            kept[article.id] = (
                ready.language,
                lead_words,
                doc_of(article, ready.terms, ready.language),
            )
            if len(kept) > KEPT_TERMS:
                del kept[next(iter(kept))]
        yield ready


def cluster_into_store(
    store: Store,
    articles: Sequence[Article],
    config: ClusterConfig | None = None,
    *,
    saved: SavedClusterer | None = None,
    on_failure: Callable[[Article, str], None] | None = None,
) -> list[tuple[str, str]]:
    """Store ``articles``, cluster those not yet in a story, and answer ``(article id, story
    id)`` for each, in the order given ("" for one the clusterer failed on: ``on_failure``
    is told the article and the reason).

    Articles already in a story are not clustered again, so a second call with the same
    articles changes nothing. ``config``: as in ``cluster_pending``; a refused config
    raises ``ConfigMismatchError`` before anything is stored.
    """
    saved = saved or SavedClusterer.read(store)
    if config is not None:
        saved.check(config)  # before add_articles: a refused call writes nothing
    store.add_articles(articles)
    unique: dict[str, Article] = {}
    for article in articles:
        unique.setdefault(article.id, article)  # the first copy of an id wins
    pending = [a for a in unique.values() if store.story_for_article(a.id) is None]
    done = cluster_pending(store, pending, config, saved=saved)
    for article, reason in done.failures if on_failure is not None else ():
        on_failure(article, reason)
    out = []
    for article in articles:
        story_id = store.story_for_article(article.id)
        out.append((article.id, store.resolve_story_id(story_id) or story_id if story_id else ""))
    return out
