"""Clustering into the store: stories, merges and the clusterer's state kept between runs.

``cluster_into_store`` stores the articles, clusters those not yet in a story (in time
order) with the clusterer the last run left (its state under the ``"clusterer"`` key, the
same key the pipeline uses), saves changed stories and merges and the new state in one
transaction, and answers each article's current story id. Articles already in a story
are not clustered again, so a second run over the same input changes nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from newsdesk.cluster.stream import ClusterConfig, StoryClusterer, time_ordered
from newsdesk.model import Article, Story
from newsdesk.store import Store

STATE_KEY = "clusterer"


def load_clusterer(store: Store, config: ClusterConfig | None = None) -> StoryClusterer:
    """The clusterer as the last run left it; a new one when there is none or it is unreadable."""
    state = store.get_state(STATE_KEY)
    if isinstance(state, bytes):
        try:
            return StoryClusterer.from_state(state)
        except (ValueError, KeyError, TypeError, zlib.error):
            pass  # another version's state (or a damaged one): start afresh; stored stories keep their ids
    return StoryClusterer(config)


def cluster_into_store(
    store: Store, articles: Sequence[Article], config: ClusterConfig | None = None
) -> list[tuple[str, str]]:
    """``(article id, story id)`` for each article, in the order given, after clustering."""
    store.add_articles(articles)
    unique: dict[str, Article] = {}
    for article in articles:
        unique.setdefault(article.id, article)  # the first copy of an id wins
    pending = [a for a in unique.values() if store.story_for_article(a.id) is None]
    if pending:
        clusterer = load_clusterer(store, config)
        changed: dict[str, Story] = {}
        merges: list[tuple[str, str]] = []
        for article in time_ordered(pending):
            clusterer.add(article)
            # Collected after each article: a story may leave the active index later on.
            stories, merged = clusterer.take_changes()
            changed.update((story.id, story) for story in stories)
            merges.extend(merged)
        with store.transaction():
            for story in changed.values():
                # A story merged away since it was collected lives on in its survivor.
                if clusterer.resolve(story.id) == story.id:
                    store.save_story(story)
            for keep, gone in merges:
                if store.resolve_story_id(keep) and store.resolve_story_id(gone):
                    store.merge_stories(keep, gone)
            store.set_state(STATE_KEY, clusterer.to_state())
    out = []
    for article in articles:
        story_id = store.story_for_article(article.id)
        out.append((article.id, store.resolve_story_id(story_id) or story_id if story_id else ""))
    return out
