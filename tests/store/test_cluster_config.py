"""A ClusterConfig given to the library for a store clustered before: the store keeps the
config of its first clustering; a different one is refused (ConfigMismatchError naming the
fields, both values) before anything is written, none or an equal one goes on, and a fresh
store takes the one given. On SQLite and PostgreSQL, through ``cluster_into_store``,
``run_pipeline`` and ``Pipeline``.

Articles: UCI News Aggregator headlines (../shared); pipeline pages: Multi-News clusters.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.cli.options import ClusterOptionsError
from newsdesk.cluster import ClusterConfig, cluster_articles
from newsdesk.cluster.persist import config_differences
from newsdesk.errors import ConfigMismatchError, NewsdeskError
from newsdesk.model import Article
from newsdesk.pipeline import Pipeline, RunOptions, run_pipeline
from newsdesk.pipeline.clustering import (
    STATE_KEY,
    check_config,
    cluster_into_store,
    stored_config,
)
from newsdesk.store import Store
from tests.pipeline_support.corpus import base_time, cluster_docs, story_clusters, write_docs
from tests.store.conftest import dump
from tests.store.data import uci_sample

# Not the defaults, so a store made with it is told apart from one made with none.
CUSTOM = ClusterConfig(
    threshold=0.22,
    headline_threshold=0.3,
    title_embedding_threshold=0.3,
    separate_languages=True,
    num_perm=32,
)


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [a for a, _ in uci_sample(limit=120)]


def test_a_different_config_is_refused_naming_the_fields_and_nothing_is_written(
    store: Store, articles: list[Article]
) -> None:
    cluster_into_store(store, articles[:60], CUSTOM)
    before = dump(store)
    other = replace(CUSTOM, threshold=0.3, guess_languages=False)
    with pytest.raises(ConfigMismatchError) as caught:
        cluster_into_store(store, articles[60:], other)
    assert caught.value.differences == {
        "threshold": (CUSTOM.threshold, 0.3),
        "guess_languages": (True, False),
    }
    said = str(caught.value)
    assert "threshold: stored 0.22, given 0.3" in said
    assert "guess_languages: stored True, given False" in said
    assert "pass no config" in said and "new store" in said
    assert "num_perm" not in said  # equal fields are not named
    assert dump(store) == before  # no article, story or state of the refused call


def test_no_config_goes_on_with_the_stored_one(store: Store, articles: list[Article]) -> None:
    first = cluster_into_store(store, articles[:60], CUSTOM)
    with pytest.raises(ConfigMismatchError):
        cluster_into_store(store, articles[60:], ClusterConfig())
    rest = cluster_into_store(store, articles[60:])
    assert stored_config(store) == CUSTOM
    # The same stories as one pass over all of them with the stored config.
    assert first + rest == cluster_articles(articles, CUSTOM)
    assert first + rest != cluster_articles(articles)  # the config matters for this sample


def test_an_equal_config_goes_on(store: Store, articles: list[Article]) -> None:
    first = cluster_into_store(store, articles[:60], CUSTOM)
    equal = ClusterConfig(**{**vars(CUSTOM)})  # another object, the same values
    assert equal is not CUSTOM
    assert check_config(store, equal) == CUSTOM
    rest = cluster_into_store(store, articles[60:], equal)
    assert first + rest == cluster_articles(articles, CUSTOM)


def test_a_fresh_store_takes_the_config_given(store: Store, articles: list[Article]) -> None:
    assert stored_config(store) is None
    assert check_config(store, CUSTOM) == CUSTOM
    assert check_config(store, None) is None  # nothing stored, nothing given: the defaults
    cluster_into_store(store, articles[:20], CUSTOM)
    assert stored_config(store) == CUSTOM


def test_an_unreadable_state_takes_the_config_given(store: Store, articles: list[Article]) -> None:
    # Another version's (or a damaged) state is started afresh: no config to contradict.
    store.set_state(STATE_KEY, b"not a clusterer state")
    assert stored_config(store) is None
    cluster_into_store(store, articles[:20], CUSTOM)
    assert stored_config(store) == CUSTOM


def test_every_field_counts() -> None:
    base = ClusterConfig()
    for name, value in vars(base).items():
        changed = replace(base, **{name: (not value) if isinstance(value, bool) else value + 1})
        assert list(config_differences(base, changed)) == [name]
    assert config_differences(base, ClusterConfig()) == {}


def test_the_errors_survive_pickling() -> None:
    # Executors may carry an error across processes (Ray pickles exceptions).
    for error in (
        ConfigMismatchError({"threshold": (0.18, 0.3)}),
        ClusterOptionsError({"separate_languages": (False, True)}),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and isinstance(back, NewsdeskError)
        assert back.differences == error.differences and str(back) == str(error)
    assert "(--mix-languages)" in str(ClusterOptionsError({"separate_languages": (False, True)}))


# -- the pipeline ---------------------------------------------------------------------------


def _pages(folder: Path, first: int, count: int) -> list[str]:
    docs = []
    for i, texts in enumerate(story_clusters(count, skip=first)):
        when = base_time() + timedelta(hours=6 * (first + i))
        docs += cluster_docs(first + i, texts, 0, min(3, len(texts)), when)
    return [str(write_docs(folder, docs))]


def test_run_pipeline_refuses_a_different_config_before_any_work(
    store: Store, tmp_path: Path
) -> None:
    made = run_pipeline(
        store, RunOptions(_pages(tmp_path / "a", 0, 2), out_dir=None, cluster=CUSTOM)
    )
    assert made.stories_new > 0 and stored_config(store) == CUSTOM
    before = dump(store)
    later = _pages(tmp_path / "b", 2, 1)
    with pytest.raises(ConfigMismatchError) as caught:
        run_pipeline(store, RunOptions(later, out_dir=None, cluster=ClusterConfig()))
    assert set(caught.value.differences) == {
        "threshold",
        "headline_threshold",
        "title_embedding_threshold",
        "separate_languages",
        "num_perm",
    }
    assert dump(store) == before  # no run recorded, no page read

    # Equal: goes on; none: goes on with the stored config.
    same = run_pipeline(store, RunOptions(later, out_dir=None, cluster=replace(CUSTOM)))
    assert same.articles_new > 0
    more = run_pipeline(store, RunOptions(_pages(tmp_path / "c", 3, 1), out_dir=None))
    assert more.articles_new > 0
    assert stored_config(store) == CUSTOM
    assert store.unclustered_article_ids() == []


def test_the_pipelines_cluster_stage_alone_refuses_too(
    store: Store, articles: list[Article]
) -> None:
    cluster_into_store(store, articles[:20], CUSTOM)
    store.add_articles(articles[20:40])
    before = dump(store)
    pipeline = Pipeline(store, RunOptions([], out_dir=None, cluster=ClusterConfig()))
    with pytest.raises(ConfigMismatchError, match="separate_languages: stored True, given False"):
        pipeline.cluster()
    assert dump(store) == before
    Pipeline(store, RunOptions([], out_dir=None)).cluster()
    assert store.unclustered_article_ids() == []
