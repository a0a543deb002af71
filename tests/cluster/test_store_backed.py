"""Clustering into a SQLite store: stories, aliases of merged stories, state between runs."""

from __future__ import annotations

import pytest

from newsdesk.cluster import StoryClusterer, cluster_articles
from newsdesk.pipeline.clustering import STATE_KEY, cluster_into_store
from newsdesk.store import open_store


@pytest.fixture
def store(tmp_path):
    with open_store(str(tmp_path / "stories.db")) as opened:
        yield opened


def test_store_holds_the_same_stories_as_memory(store, uci_sample):
    articles, _ = uci_sample
    in_memory = cluster_articles(articles)
    stored = cluster_into_store(store, articles)
    assert stored == in_memory
    for article_id, story_id in stored[:50]:
        assert store.story_for_article(article_id) == story_id
    assert isinstance(store.get_state(STATE_KEY), bytes)


def test_merged_story_ids_live_on_as_aliases(store, uci_sample):
    articles, _ = uci_sample
    clusterer = StoryClusterer()
    merges = [(a.story_id, gone) for a in clusterer.add_many(articles) for gone in a.merged]
    assert merges
    cluster_into_store(store, articles)
    aliased = 0
    for kept, gone in merges:
        survivor = store.get_story(gone)  # an alias id still finds its story
        if survivor is None:
            continue  # merged before it was ever saved: nobody has seen that id
        aliased += 1
        assert survivor.id == clusterer.resolve(kept)
        assert gone in survivor.aliases
    assert aliased


def test_second_run_changes_nothing(store, uci_sample):
    articles, _ = uci_sample
    first = cluster_into_store(store, articles[:300])
    stories = store.list_stories(limit=None)
    state = store.get_state(STATE_KEY)
    assert cluster_into_store(store, articles[:300]) == first
    assert store.list_stories(limit=None) == stories
    assert store.get_state(STATE_KEY) == state
