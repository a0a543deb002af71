"""Cluster stage: articles into stories, folding syndicated copies and near-duplicates.

    from newsdesk.cluster import cluster_articles, StoryClusterer
    pairs = cluster_articles(articles)          # [(article id, story id), ...]

``StoryClusterer`` is the incremental form: feed it articles in time order, keep its
state (``to_state`` / ``from_state``) between runs.

Names are loaded on first use: importing ``newsdesk.cluster.news_time`` (a page's time
evidence, which extraction asks for) must not bring in the clusterer and scipy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.lazy import lazy_exports

if TYPE_CHECKING:
    from newsdesk.cluster.metrics import bcubed
    from newsdesk.cluster.stream import (
        Assignment,
        ClusterConfig,
        StoryClusterer,
        cluster_articles,
        story_id_for,
        time_ordered,
    )

_WHERE = {
    "bcubed": "metrics",
    **dict.fromkeys(
        (
            "Assignment",
            "ClusterConfig",
            "StoryClusterer",
            "cluster_articles",
            "story_id_for",
            "time_ordered",
        ),
        "stream",
    ),
}


__getattr__ = lazy_exports(__name__, _WHERE)


__all__ = [
    "Assignment",
    "ClusterConfig",
    "StoryClusterer",
    "bcubed",
    "cluster_articles",
    "story_id_for",
    "time_ordered",
]
