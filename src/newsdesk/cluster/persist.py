"""Clustering into the store: stories, merges and the clusterer's state kept between runs.

``cluster_into_store`` stores the articles, clusters those not yet in a story (in time
order) with the clusterer the last run left (its state under the ``"clusterer"`` key, the
same key the pipeline uses), saves changed stories and merges and the new state in one
transaction, and answers each article's current story id. Articles already in a story
are not clustered again, so a second run over the same input changes nothing.

The store keeps the ``ClusterConfig`` it was first clustered with (inside the saved state).
``check_config`` is the one rule every entry point shares (this module, the pipeline, the
CLI): no config goes on with the stored one, a config equal to it goes on, a different one
is refused with ``ConfigMismatchError`` before anything is written, and a store with no
(readable) state takes the config given.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import astuple, fields

from newsdesk.cluster.stream import (
    READABLE_STATE_VERSIONS,  # the versions from_state reads: any other state starts afresh
    ClusterConfig,
    StoryClusterer,
    time_ordered,
)
from newsdesk.errors import ConfigMismatchError
from newsdesk.model import Article, Story
from newsdesk.store import Store

STATE_KEY = "clusterer"


def stored_config(store: Store) -> ClusterConfig | None:
    """The config of the clusterer saved in the store; None when none is saved or it is
    unreadable (then clustering starts afresh, or the pipeline rebuilds, with the config given)."""
    state = store.get_state(STATE_KEY)
    if not isinstance(state, bytes):
        return None
    try:
        # StoryClusterer.to_state's format; only the config is read (from_state would build
        # the whole clusterer, and load the embedding model if the config asks for it).
        saved = json.loads(zlib.decompress(state).decode("utf-8"))
        if saved.get("version") not in READABLE_STATE_VERSIONS:
            return None
        return ClusterConfig(**saved["config"])
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error):
        return None


def config_differences(
    stored: ClusterConfig, given: ClusterConfig
) -> dict[str, tuple[object, object]]:
    """``{field: (stored value, given value)}`` for each field that differs, in field order.

    Every field counts: each one is a knob of the clustering itself (thresholds, weights,
    windows, the dedup signature's size, embeddings, languages), so articles clustered under
    two values of any of them would not be grouped by one rule.
    """
    return {
        f.name: (old, new)
        for f, old, new in zip(fields(ClusterConfig), astuple(stored), astuple(given), strict=True)
        if old != new
    }


def check_config(store: Store, config: ClusterConfig | None) -> ClusterConfig | None:
    """The config clustering into ``store`` goes on with, or ``ConfigMismatchError``.

    - ``config`` None: the stored one (None for a store not clustered yet: the defaults).
    - a store with no readable clusterer state: ``config``, which the new state will keep.
    - ``config`` equal to the stored one: it.
    - ``config`` different: ``ConfigMismatchError`` naming each differing field with both
      values. The store is only read, so nothing is written by a refused call.
    """
    stored = stored_config(store)
    if config is None or stored is None:
        return config if stored is None else stored
    differences = config_differences(stored, config)
    if differences:
        raise ConfigMismatchError(differences)
    return stored


def load_clusterer(store: Store, config: ClusterConfig | None = None) -> StoryClusterer:
    """The clusterer as the last run left it; a new one (with ``config``) when there is none
    or it is unreadable. A ``config`` that differs from the saved clusterer's raises
    ``ConfigMismatchError`` (see ``check_config``); None goes on with the saved one."""
    state = store.get_state(STATE_KEY)
    if isinstance(state, bytes):
        try:
            clusterer = StoryClusterer.from_state(state)
        except (ValueError, KeyError, TypeError, zlib.error):
            pass  # another version's state (or a damaged one): start afresh; stored stories keep their ids
        else:
            if config is not None:
                differences = config_differences(clusterer.config, config)
                if differences:
                    raise ConfigMismatchError(differences)
            return clusterer
    return StoryClusterer(config)


def cluster_into_store(
    store: Store, articles: Sequence[Article], config: ClusterConfig | None = None
) -> list[tuple[str, str]]:
    """``(article id, story id)`` for each article, in the order given, after clustering.

    ``config`` chooses the clusterer's config for a store not clustered yet, which keeps it.
    For a store clustered before, leave it None to go on with the stored config; a config
    that differs from the stored one raises ``ConfigMismatchError`` (naming the fields, both
    values) before anything is stored. An equal config goes on as None does.
    """
    if config is not None:
        check_config(store, config)  # before add_articles: a refused call writes nothing
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
