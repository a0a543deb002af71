"""Cluster stage: articles into stories, folding syndicated copies and near-duplicates.

    from newsdesk.cluster import cluster_articles, StoryClusterer
    pairs = cluster_articles(articles)          # [(article id, story id), ...]

``StoryClusterer`` is the incremental form: feed it articles in time order, keep its
state (``to_state`` / ``from_state``) between runs.
"""

from newsdesk.cluster.metrics import bcubed
from newsdesk.cluster.stream import (
    Assignment,
    ClusterConfig,
    StoryClusterer,
    cluster_articles,
    story_id_for,
    time_ordered,
)

__all__ = [
    "Assignment",
    "ClusterConfig",
    "StoryClusterer",
    "bcubed",
    "cluster_articles",
    "story_id_for",
    "time_ordered",
]
