"""Incremental clustering: stable ids, joining, merges with aliases, state, time window, quality."""

from __future__ import annotations

import random
from dataclasses import replace

from newsdesk.cluster import (
    ClusterConfig,
    StoryClusterer,
    bcubed,
    cluster_articles,
    story_id_for,
)
from newsdesk.model import Article


def test_same_input_gives_the_same_ids(uci_sample):
    articles, _ = uci_sample
    assert cluster_articles(articles[:300]) == cluster_articles(articles[:300])


def test_story_id_comes_from_its_first_article_and_stays_as_articles_join(uci_sample):
    articles, _ = uci_sample
    clusterer = StoryClusterer()
    first_of: dict[str, str] = {}
    for article in articles[:300]:
        assignment = clusterer.add(article)
        if assignment.new_story:
            assert assignment.story_id == story_id_for(article.id)
            first_of[assignment.story_id] = article.id
        else:
            # Joining never renames: the id is the one its first article gave it.
            assert assignment.story_id in first_of
    joined = [s for s in clusterer.active_stories() if len(s.article_ids) > 1]
    assert joined, "some headlines of one event must have joined a story"


def test_a_shuffled_batch_gives_the_same_stories(uci_sample):
    articles, _ = uci_sample
    batch = articles[:250]
    shuffled = batch[:]
    random.Random(7).shuffle(shuffled)
    assert dict(cluster_articles(batch)) == dict(cluster_articles(shuffled))


def test_merge_keeps_the_older_id_and_the_other_as_alias(uci_sample):
    articles, _ = uci_sample
    clusterer = StoryClusterer()
    created: dict[str, int] = {}
    merges = []
    for index, article in enumerate(articles):
        assignment = clusterer.add(article)
        if assignment.new_story:
            created[assignment.story_id] = index
        merges.extend((assignment.story_id, gone) for gone in assignment.merged)
    assert merges, "the sample holds events first seen as two stories"
    for kept, gone in merges:
        assert created[kept] < created[gone]  # the older story keeps its id
        assert clusterer.resolve(gone) == clusterer.resolve(kept)
        survivor = clusterer.get_story(kept)
        if survivor is not None and survivor.id == kept:
            assert gone in survivor.aliases


def test_merged_stories_report_their_members_under_the_survivor(uci_sample):
    articles, _ = uci_sample
    pairs = cluster_articles(articles)
    clusterer = StoryClusterer()
    clusterer.add_many(articles)
    for article_id, story_id in pairs:
        assert story_id not in clusterer.aliases  # answers are resolved ids
        assert clusterer.story_of(article_id) == story_id


def test_state_round_trip_goes_on_as_if_never_stopped(uci_sample):
    articles, _ = uci_sample
    whole = StoryClusterer()
    expected = [(a.article_id, whole.resolve(a.story_id)) for a in whole.add_many(articles[:400])]
    expected = [(a, whole.resolve(s)) for a, s in expected]

    first = StoryClusterer()
    first.add_many(articles[:200])
    state = first.to_state()
    assert isinstance(state, bytes)
    second = StoryClusterer.from_state(state)
    second.add_many(articles[200:400])
    got = {a.id: second.story_of(a.id) or "" for a in articles[:400]}
    for article_id, story_id in expected:
        assert got[article_id] == story_id


def test_old_stories_leave_the_active_index(uci_sample):
    articles, _ = uci_sample
    clusterer = StoryClusterer(ClusterConfig(window_hours=6.0))
    clusterer.add_many(articles[:200])
    assert clusterer.active_count > 0
    assert any(s.titles_direction is not None for s in clusterer._active.values())
    later = Article(
        id="much-later",
        url=None,
        title="Unrelated event ten days on",
        paragraphs=(),
        published="2014-03-22T00:00:00+00:00",
    )
    assignment = clusterer.add(later)
    assert assignment.new_story
    assert clusterer.active_count == 1  # only the new story is still active
    # The archive keeps ids and times, not the headlines' title vectors (two of 256 numbers
    # a story; read again if a copy revives the story).
    archived = list(clusterer._archive.values())
    assert archived
    assert all(s.titles_embedding is None and s.titles_direction is None for s in archived)


def test_a_story_not_seen_for_long_is_not_joined_again(uci_sample):
    articles, _ = uci_sample
    first = articles[0]
    again = replace(first, id="same-words-a-month-later", published="2014-04-20T00:00:00+00:00")
    pairs = dict(cluster_articles([first, replace(again, title=again.title + " again")]))
    # The window is 72 hours: a month on, the same event words start a new story
    # (exact copies are the one exception, tested in test_dedup).
    assert pairs[first.id] != pairs[again.id]


def test_uci_headlines_bcubed_f1_above_floor(uci_sample):
    articles, gold = uci_sample
    precision, recall, f1 = bcubed(dict(cluster_articles(articles)), gold)
    # Measured 0.8+ on this sample; a broken feature, threshold or merge falls well below.
    assert f1 >= 0.70, (precision, recall, f1)
    assert precision >= 0.70 and recall >= 0.60


def test_bcubed_on_a_known_case():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y", "d": "y"}, gold) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed({"a": "x", "b": "x", "c": "x", "d": "x"}, gold)
    assert (precision, recall) == (0.5, 1.0)


def test_stories_of_untitled_articles_are_named_after_their_first_sentence(multinews_rows):
    """Bare texts (no titles, as in the Multi-News pool) still give stories a readable
    headline: the start of a member's first sentence; a title wins when there is one."""
    rows = multinews_rows[:40]
    articles = [Article.from_dict({"id": r["id"], "title": "", "text": r["text"]}) for r in rows]
    clusterer = StoryClusterer()
    clusterer.add_many(articles)
    by_id = {a.id: a for a in articles}
    stories = clusterer.active_stories()
    assert stories
    for story in stories:
        # Named after one of its articles (the most central of its first ones).
        words = story.headline.removesuffix(" …").split()
        assert 1 <= len(words) <= 12
        openings = [by_id[a].paragraphs[0].split() for a in story.article_ids]
        assert any(words == opening[: len(words)] for opening in openings)
    titled = replace(articles[0], id="titled", title="Occupy Philadelphia stays put")
    fresh = StoryClusterer()
    fresh.add(titled)
    assert fresh.active_stories()[0].headline == "Occupy Philadelphia stays put"


class _EveryCandidateRanked(StoryClusterer):
    """The clusterer as it was before scores below any threshold were left unranked."""

    def _ranked(self, candidates, when, language, floor):  # type: ignore[no-untyped-def]
        return super()._ranked(candidates, when, language, float("-inf"))


def test_candidates_below_every_threshold_change_nothing(uci_sample, multinews_rows):
    """Leaving the stories scored below the join threshold and ``merge_score`` unranked
    gives the same stories, merges and state as ranking them all (real headlines and
    articles, several hundred stories)."""
    headlines, _ = uci_sample
    rows = multinews_rows[:200]
    articles = [Article.from_dict({"id": r["id"], "title": "", "text": r["text"]}) for r in rows]
    for batch in (headlines[:600], articles):
        ranked_all, floored = _EveryCandidateRanked(), StoryClusterer()
        expected = [ranked_all.add(a) for a in batch]
        assert [floored.add(a) for a in batch] == expected
        assert floored.to_state() == ranked_all.to_state()
        assert len({a.story_id for a in expected}) > 30
