"""The optional MiniLM path: runs when newsdesk[embeddings] is installed, skips cleanly when not."""

from __future__ import annotations

import pytest

from newsdesk.cluster import ClusterConfig, StoryClusterer, bcubed, cluster_articles
from newsdesk.cluster.embeddings import available

pytestmark = pytest.mark.skipif(
    not available(), reason="newsdesk[embeddings] (sentence-transformers + MiniLM) not installed"
)


@pytest.fixture(scope="module")
def encoder():
    from newsdesk.cluster.embeddings import MiniLMEncoder

    return MiniLMEncoder()


def test_encoder_loads_offline_from_the_package(encoder):
    vectors = encoder.encode(
        ["Edward Snowden speaks at SXSW", "NSA leaker addresses South by Southwest festival"]
    )
    assert vectors.shape == (2, 384)
    unrelated = encoder.encode(["Titanfall review roundup"])[0]
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ unrelated)


def test_embeddings_cluster_real_headlines(encoder, uci_sample):
    articles, gold = uci_sample
    sample = articles[:300]
    pairs = cluster_articles(sample, ClusterConfig(embeddings=True), encoder=encoder)
    precision, recall, f1 = bcubed(dict(pairs), gold)
    assert f1 >= 0.6, (precision, recall, f1)
    # The state keeps the story embeddings, so a resumed clusterer goes on with them.
    clusterer = StoryClusterer(ClusterConfig(embeddings=True), encoder=encoder)
    clusterer.add_many(sample[:100])
    resumed = StoryClusterer.from_state(clusterer.to_state(), encoder=encoder)
    assert resumed.config.embeddings
    resumed.add_many(sample[100:150])
