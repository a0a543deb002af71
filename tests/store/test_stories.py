"""Stories: membership in joined order, merges and alias resolution, paging and filters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest

from newsdesk.model import Article, Draft, Sentence, Story
from newsdesk.store import Store, StoreError, story_signature
from newsdesk.store import schema as t
from tests.store.conftest import rows
from tests.store.data import small_articles, uci_sample


def _stories_from_uci(store: Store, limit: int = 200) -> dict[str, list[Article]]:
    """Store a UCI sample and one story per UCI story key, members in publication order."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article, key in uci_sample(limit):
        if article.id not in {a.id for a in groups[key]}:
            groups[key].append(article)
    store.add_articles(a for members in groups.values() for a in members)
    for key, members in groups.items():
        members.sort(key=lambda a: (a.published_iso or "", a.id))
        store.save_story(Story(id=key, article_ids=tuple(a.id for a in members), headline=key))
    return groups


def test_story_round_trip_in_joined_order(store: Store) -> None:
    articles = small_articles()
    store.add_articles(articles)
    ids = (articles[2].id, articles[0].id, articles[1].id)
    assert store.save_story(Story(id="s1", article_ids=ids, headline="Bamako talks")) == "s1"
    story = store.get_story("s1")
    assert story == Story(
        id="s1",
        article_ids=ids,
        headline="Bamako talks",
        first_seen="2026-11-20",  # taken from the members' dates, as ISO 8601 (date only kept)
        last_seen="2026-11-22T08:00:00+00:00",
        aliases=(),
    )
    assert store.story_articles("s1") == [articles[2], articles[0], articles[1]]
    assert store.story_signature("s1") == story_signature(reversed(ids))
    assert store.get_story("nope") is None and store.story_articles("nope") == []


def test_saving_again_is_idempotent_and_replaces_members(store: Store) -> None:
    a, b, c = small_articles()
    store.add_articles([a, b, c])
    story = Story(id="s1", article_ids=(a.id, b.id), headline="h")
    store.save_story(story)
    before = rows(store, t.story_articles)
    store.save_story(story)
    assert rows(store, t.story_articles) == before
    store.save_story(Story(id="s1", article_ids=(b.id, c.id), headline="h"))
    assert store.get_story("s1").article_ids == (b.id, c.id)
    assert store.story_for_article(a.id) is None


def test_an_article_moves_to_the_story_that_lists_it(store: Store) -> None:
    a, b, c = small_articles()
    store.add_articles([a, b, c])
    store.save_story(Story(id="s1", article_ids=(a.id, b.id)))
    store.save_story(Story(id="s2", article_ids=(c.id, b.id)))
    assert store.get_story("s1").article_ids == (a.id,)
    assert store.get_story("s2").article_ids == (c.id, b.id)
    assert store.story_for_article(b.id) == "s2"


def test_unknown_member_is_refused_and_nothing_written(store: Store) -> None:
    a = small_articles()[0]
    store.add_article(a)
    with pytest.raises(StoreError, match="not stored"):
        store.save_story(Story(id="s1", article_ids=(a.id, "ghost")))
    assert store.get_story("s1") is None


def test_existing_story_ids_answers_only_stored_ids(store: Store) -> None:
    a, b, _ = small_articles()
    store.add_articles([a, b])
    store.save_story(Story(id="one", article_ids=(a.id,), headline="first"))
    store.save_story(Story(id="two", article_ids=(b.id,), headline="second"))
    assert store.existing_story_ids(["two", "none", "one", "two"]) == {"one", "two"}
    assert store.existing_story_ids([]) == set()


def test_merge_keeps_the_older_story_and_resolves_aliases(store: Store) -> None:
    a, b, c = small_articles()  # published 20, 21 and 22 November
    store.add_articles([a, b, c])
    store.save_story(Story(id="old", article_ids=(a.id,), headline="first"))
    store.save_story(Story(id="new", article_ids=(b.id, c.id), headline="second"))
    store.save_draft(_draft("new"), "published", "sig")
    # Asked to keep the newer one: the older id survives anyway, so links stay stable.
    assert store.merge_stories("new", "old") == "old"
    merged = store.get_story("old")
    assert merged.article_ids == (a.id, b.id, c.id)
    assert merged.aliases == ("new",)
    assert (merged.first_seen, merged.last_seen) == ("2026-11-20", "2026-11-22T08:00:00+00:00")
    assert store.get_story("new") == merged  # an alias id returns the surviving story
    assert store.resolve_story_id("new") == "old"
    assert store.story_articles("new") == [a, b, c]
    assert store.get_draft("new") is None  # the merged-away draft is gone
    # Merging again (either way round) changes nothing.
    before = rows(store, t.stories), rows(store, t.story_aliases), rows(store, t.story_articles)
    assert store.merge_stories("old", "new") == "old"
    assert store.merge_stories("new", "old") == "old"
    after = rows(store, t.stories), rows(store, t.story_aliases), rows(store, t.story_articles)
    assert after == before
    with pytest.raises(StoreError, match="no story"):
        store.merge_stories("old", "ghost")


def test_aliases_follow_chains_of_merges(store: Store) -> None:
    a, b, c = small_articles()
    store.add_articles([a, b, c])
    for sid, art in (("s1", a), ("s2", b), ("s3", c)):
        store.save_story(Story(id=sid, article_ids=(art.id,)))
    store.merge_stories("s2", "s3")  # s3 -> s2
    store.merge_stories("s1", "s2")  # s2 (and so s3) -> s1
    for sid in ("s1", "s2", "s3"):
        assert store.get_story(sid).id == "s1"
    assert store.get_story("s1").aliases == ("s2", "s3")
    # Saving under an alias updates the survivor.
    assert store.save_story(Story(id="s3", article_ids=(c.id, a.id), headline="x")) == "s1"
    assert store.get_story("s1").article_ids == (c.id, a.id)
    assert store.count_stories() == 1


def test_story_aliases_given_by_the_clusterer_are_recorded(store: Store) -> None:
    a, b, _ = small_articles()
    store.add_articles([a, b])
    store.save_story(Story(id="s2", article_ids=(b.id,)))
    store.save_story(Story(id="s1", article_ids=(a.id,), aliases=("s2", "s9")))
    story = store.get_story("s2")
    assert story.id == "s1" and story.article_ids == (a.id, b.id)
    assert story.aliases == ("s2", "s9")


def test_list_stories_pages_and_filters(store: Store) -> None:
    groups = _stories_from_uci(store)
    total = len(groups)
    assert total > 5 and store.count_stories() == total
    everything = store.list_stories(limit=None)
    assert len(everything) == total
    # Most recently seen first; pages are disjoint slices of the same order.
    last_seen = [max(a.published for a in groups[s.id]) for s in everything]
    assert last_seen == sorted(last_seen, reverse=True)
    pages = [store.list_stories(limit=3, offset=o) for o in range(0, total, 3)]
    assert [s.id for page in pages for s in page] == [s.id for s in everything]
    assert store.list_stories(limit=3, offset=total) == []
    for story in everything[:3]:
        assert story.article_ids == tuple(a.id for a in groups[story.id])
    # A time window keeps the stories whose span overlaps it.
    spans = {
        k: (min(a.published for a in v), max(a.published for a in v)) for k, v in groups.items()
    }
    since, until = sorted(x for span in spans.values() for x in span)[total // 2 : total // 2 + 2]
    expected = {k for k, (first, last) in spans.items() if last >= since and first <= until}
    got = {s.id for s in store.list_stories(limit=None, since=since, until=until)}
    assert got == expected and 0 < len(got) < total
    assert store.count_stories(since=since, until=until) == len(expected)
    after = {k for k, (_, last) in spans.items() if last >= since}
    assert {s.id for s in store.list_stories(limit=None, since=since)} == after


def test_list_stories_by_language(store: Store) -> None:
    en, fr, de = small_articles()
    store.add_articles([en, fr, de])
    store.save_story(Story(id="en", article_ids=(en.id,)))
    store.save_story(Story(id="mixed", article_ids=(fr.id, de.id), headline="fr/de"))
    assert [s.id for s in store.list_stories(language="en")] == ["en"]
    # A tie between languages goes to the first in alphabetical order (de).
    assert [s.id for s in store.list_stories(language="de")] == ["mixed"]
    assert store.list_stories(language="fr") == []
    assert store.count_stories(language="en") == 1


def test_delete_story(store: Store) -> None:
    a, b, _ = small_articles()
    store.add_articles([a, b])
    store.save_story(Story(id="s1", article_ids=(a.id,)))
    store.save_story(Story(id="s2", article_ids=(b.id,)))
    store.merge_stories("s1", "s2")
    store.delete_story("s2")  # by alias
    assert store.get_story("s1") is None and store.get_story("s2") is None
    assert store.get_article(a.id) == a  # articles stay


def _draft(story_id: str) -> Draft:
    """A tiny draft, enough to see it deleted by a merge."""
    return Draft(
        story_id=story_id,
        headline="h",
        standfirst=(Sentence("s", ("x",)),),
        lead=(),
        body=(),
        summary=(),
    )


def test_a_story_emptied_by_moves_is_not_listed(store: Store) -> None:
    en, fr, de = small_articles()
    store.add_articles([en, fr, de])
    store.save_story(Story(id="s1", article_ids=(fr.id, de.id)))
    assert [s.id for s in store.list_stories(language="de")] == ["s1"]
    store.save_story(Story(id="s2", article_ids=(en.id, de.id)))
    # s1 lost its German article: its language follows what it has left.
    assert [s.id for s in store.list_stories(language="fr")] == ["s1"]
    store.save_story(Story(id="s3", article_ids=(fr.id,)))
    assert {s.id for s in store.list_stories()} == {"s2", "s3"}
    assert store.count_stories() == 2
    assert "s1" not in store.stories_needing_draft()


def test_unclustered_articles_in_the_order_added(store: Store) -> None:
    a, b, c = small_articles()
    store.add_articles([c])
    store.add_articles([a, b])
    assert store.unclustered_article_ids() == [c.id, *sorted([a.id, b.id])]
    store.save_story(Story(id="s1", article_ids=(a.id,)))
    assert store.unclustered_article_ids() == [c.id, b.id]


def _batches(groups: dict[str, list[Article]]) -> list[list[Story]]:
    """Batches of changed stories, as a clusterer saves them: stories growing batch by
    batch, articles moving between stories (a later batch lists an article another story
    held), a stored story's id given again, stories given aliases of stories saved before
    (merged into them), and an id that is an alias by then."""
    keys = sorted(groups)
    first = [Story(id=k, article_ids=tuple(a.id for a in groups[k][:1]), headline=k) for k in keys]
    second = [Story(id=k, article_ids=tuple(a.id for a in groups[k]), headline=k) for k in keys]
    # Two stories take articles from two others (which are not in the batch): those lose them.
    mover, thief = keys[0], keys[1]
    stolen = groups[keys[2]][0].id
    third = [
        Story(id=mover, article_ids=(*second[0].article_ids, stolen), headline="moved"),
        Story(id=thief, article_ids=(groups[keys[3]][0].id,), headline="thief"),
        Story(id=keys[4], article_ids=(), headline="emptied"),
        # merged: keys[5] absorbs keys[6], in the middle of the batch
        Story(
            id=keys[5],
            article_ids=tuple(a.id for a in groups[keys[5]]),
            headline="merged",
            aliases=(keys[6],),
        ),
        Story(id=keys[7], article_ids=tuple(a.id for a in groups[keys[7]][::-1]), headline="x"),
    ]
    # saved under an alias: the survivor is updated
    fourth = [
        Story(id=keys[6], article_ids=tuple(a.id for a in groups[keys[5]][:1]), headline="alias"),
        Story(id=keys[8], article_ids=tuple(a.id for a in groups[keys[8]]), headline="y"),
    ]
    return [first, second, third, fourth]


def test_saving_stories_together_stores_what_saving_them_one_by_one_does(targets) -> None:
    from tests.store.conftest import rows as table_rows

    stored = []
    for together in (False, True):
        store = targets.new().open()
        groups: dict[str, list[Article]] = defaultdict(list)
        for article, key in uci_sample(600):
            if article.id not in {a.id for a in groups[key]}:
                groups[key].append(article)
        groups = {k: v for k, v in groups.items() if len(v) >= 2}
        assert len(groups) >= 9
        # The story that loses an article to another then has another majority language.
        loser = sorted(groups)[2]
        groups[loser] = [groups[loser][0], replace(groups[loser][1], language="fr")]  # en, fr
        store.add_articles(a for members in groups.values() for a in members)
        for batch in _batches(groups):
            if together:
                ids = store.save_stories(batch)
            else:
                ids = [store.save_story(story) for story in batch]
            assert ids == [store.resolve_story_id(story.id) for story in batch]
        stored.append(
            [
                [row[:-1] for row in table_rows(store, t.stories)],  # updated_at left out
                table_rows(store, t.story_articles),
                table_rows(store, t.story_aliases),
            ]
        )
        keys = sorted(groups)
        # the batches did what they say: an article moved, a story merged
        assert store.story_for_article(groups[keys[2]][0].id) == keys[0]
        assert store.resolve_story_id(keys[6]) == keys[5]
        assert store.list_stories(limit=None, language="fr")[0].id == loser  # was "en"
        store.close()
    assert stored[0] == stored[1]


def test_saving_stories_together_refuses_an_unknown_member_and_writes_nothing(
    store: Store,
) -> None:
    a, b, c = small_articles()
    store.add_articles([a, b, c])
    batch = [Story(id="s1", article_ids=(a.id,)), Story(id="s2", article_ids=(b.id, "ghost"))]
    with pytest.raises(StoreError, match="not stored"):
        store.save_stories(batch)
    assert store.get_story("s1") is None and store.get_story("s2") is None
    # two stories listing one article: saved in turn, the later one keeps it
    assert store.save_stories(
        [Story(id="s1", article_ids=(a.id, c.id)), Story(id="s2", article_ids=(b.id, c.id))]
    ) == ["s1", "s2"]
    assert store.get_story("s1").article_ids == (a.id,)
    assert store.story_for_article(c.id) == "s2"
