"""Drafts: save/load round trip through Draft.to_dict/from_dict, status, signatures."""

from __future__ import annotations

import pytest

from newsdesk.model import Draft, Problem, Report, Sentence, Source, Story
from newsdesk.store import Store, StoreError, story_signature
from tests.store.data import uci_sample


def _draft_for(story_id: str, articles: list) -> Draft:
    """A full draft over real headlines: every field filled, every sentence cited."""
    cite = tuple(a.id for a in articles[:2])
    return Draft(
        story_id=story_id,
        headline=articles[0].title,
        standfirst=(Sentence(articles[1].title, cite[1:]),),
        lead=(Sentence(articles[0].title, cite[:1]),),
        body=(
            (Sentence("First paragraph, «quoted» — 42 %.", cite),),
            (Sentence("Second paragraph.", cite[:1]), Sentence("And more.", cite[1:])),
        ),
        summary=(Sentence("In short.", cite),),
        background=((Sentence("Earlier coverage.", cite[:1]),),),
        sources=tuple(Source.from_article(a) for a in articles),
        writer="extractive",
        language="en",
        checks=Report(
            story_id=story_id,
            passed=False,
            problems=(Problem("number", "42 %", "not found in any cited source"),),
        ),
        written_at="2026-11-22T04:00:00+00:00",
    )


def test_draft_round_trip(store: Store) -> None:
    articles = [a for a, _ in uci_sample(4)]
    draft = _draft_for("story-1", articles)
    signature = story_signature(a.id for a in articles)
    assert store.get_draft("story-1") is None
    store.save_draft(draft, "held", signature)
    stored = store.get_draft("story-1")
    assert stored is not None
    assert stored.draft == draft
    assert stored.draft.to_dict() == draft.to_dict()
    assert Draft.from_dict(stored.draft.to_dict()) == draft
    assert (stored.status, stored.story_signature, stored.story_id) == (
        "held",
        signature,
        "story-1",
    )
    # Saving again replaces it: one draft per story.
    store.save_draft(draft, "published", signature)
    assert [d.status for d in store.list_drafts()] == ["published"]


def test_status_must_be_published_or_held(store: Store) -> None:
    draft = _draft_for("s", [a for a, _ in uci_sample(2)])
    with pytest.raises(StoreError, match="status"):
        store.save_draft(draft, "draft", "sig")


def test_list_drafts_filters(store: Store) -> None:
    articles = [a for a, _ in uci_sample(3)]
    store.save_draft(_draft_for("a", articles), "published", "1")
    store.save_draft(_draft_for("b", articles), "held", "2")
    store.save_draft(_draft_for("c", articles), "published", "3")
    assert {d.story_id for d in store.list_drafts(status="published")} == {"a", "c"}
    assert [d.story_id for d in store.list_drafts(status="held")] == ["b"]
    assert len(store.list_drafts(limit=2)) == 2
    assert store.list_drafts(language="fr") == []


def test_stories_needing_a_draft_follow_their_members(store: Store) -> None:
    articles = [a for a, _ in uci_sample(3)]
    store.add_articles(articles)
    ids = tuple(a.id for a in articles)
    store.save_story(Story(id="s1", article_ids=ids[:2]))
    store.save_story(Story(id="s2", article_ids=ids[2:]))
    assert store.stories_needing_draft() == ["s1", "s2"]
    store.save_draft(_draft_for("s1", articles), "published", store.story_signature("s1"))
    assert store.stories_needing_draft() == ["s2"]
    # A new member changes the signature: s1 needs rewriting; s2, now empty, needs nothing.
    store.save_story(Story(id="s1", article_ids=ids))
    assert store.story_signature("s1") == story_signature(ids)
    assert store.stories_needing_draft() == ["s1"]


def test_get_drafts_for_a_page_of_stories(store: Store) -> None:
    articles = [a for a, _ in uci_sample(3)]
    store.add_articles(articles)
    store.save_story(Story(id="s1", article_ids=(articles[0].id,)))
    store.save_story(Story(id="s2", article_ids=(articles[1].id,)))
    store.save_draft(_draft_for("s1", articles), "published", "1")
    store.merge_stories("s1", "s2")
    found = store.get_drafts(["s1", "s2", "nope"])
    assert set(found) == {"s1", "s2"}  # s2 is an alias of s1, so it has s1's draft
    assert found["s2"].draft == found["s1"].draft == _draft_for("s1", articles)


def test_content_version_moves_with_every_story_and_draft_change(store: Store) -> None:
    articles = [a for a, _ in uci_sample(6)]
    store.add_articles(articles)
    last = [store.content_version()]

    def changed() -> bool:
        version = store.content_version()
        new = version != last[-1]
        last.append(version)
        return new

    store.save_story(Story(id="s1", article_ids=tuple(a.id for a in articles[:2]), headline="a"))
    assert changed()
    store.save_story(Story(id="s2", article_ids=tuple(a.id for a in articles[2:4]), headline="b"))
    assert changed()
    store.save_draft(_draft_for("s1", articles[:2]), "published", "sig")
    assert changed()
    store.set_state("anything", "else")  # neither a story nor a draft
    assert not changed()
    store.save_story(Story(id="s2", article_ids=tuple(a.id for a in articles[2:5]), headline="b"))
    assert changed()  # a story grew
    store.merge_stories("s1", "s2")
    assert changed()
    store.delete_story("s1")
    assert changed()


def test_drafts_saved_together_are_stored_as_one_by_one(targets) -> None:
    """A batch of a run's drafts: an alias id rewritten to its story, a story given twice
    (the later draft kept), an unknown status refusing the whole batch."""
    from newsdesk.store import schema as t
    from tests.store.conftest import rows

    articles = [a for a, _ in uci_sample(8)]
    batch = [
        (_draft_for("s1", articles[0:2]), "published", "sig-1"),
        (_draft_for("gone", articles[2:4]), "held", "sig-2"),  # an alias of s2 by now
        (_draft_for("s3", articles[4:6]), "held", "sig-3"),
        (_draft_for("s1", articles[6:8]), "held", "sig-1b"),  # s1 again: this one stays
    ]
    stored = []
    for together in (False, True):
        store = targets.new().open()
        store.add_articles(articles)
        for sid, members in (("s1", articles[0:2]), ("s2", articles[2:4]), ("gone", [])):
            store.save_story(Story(id=sid, article_ids=tuple(a.id for a in members)))
        store.merge_stories("s2", "gone")
        if together:
            store.save_drafts(batch)
        else:
            for draft, status, signature in batch:
                store.save_draft(draft, status, signature)
        stored.append([row[:-1] for row in rows(store, t.drafts)])  # updated_at left out
        assert store.get_draft("gone").story_id == "s2"
        assert store.get_draft("s1").story_signature == "sig-1b"
        with pytest.raises(StoreError, match="status"):
            store.save_drafts([(batch[0][0], "published", "x"), (batch[2][0], "draft", "y")])
        assert store.get_draft("s1").story_signature == "sig-1b"  # nothing written
        store.close()
    assert stored[0] == stored[1]
