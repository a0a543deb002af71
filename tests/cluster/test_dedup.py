"""Near-duplicates: syndicated, lightly edited copies fold into the story of the original."""

from __future__ import annotations

import zlib
from dataclasses import replace

import pytest

from newsdesk.cluster import StoryClusterer, cluster_articles
from newsdesk.cluster.dedup import NearDuplicateIndex, content_key, content_words
from newsdesk.model import Article


def _wire_story(row: dict) -> tuple[Article, Article]:
    """An article and a lightly edited copy (new headline and byline, words changed, end cut)."""
    paragraphs = [p for p in row["text"].split("\n\n") if p.strip()]
    original = Article.from_dict(
        {
            "id": "wire-original",
            "title": "Original headline of the wire story",
            "text": "\n\n".join(paragraphs),
            "published": "2011-11-28T18:00:00Z",
            "site_name": "Wire",
        }
    )
    edited = [p.replace(" said ", " says ").replace("Sunday", "on Sunday") for p in paragraphs[:-1]]
    copy = Article.from_dict(
        {
            "id": "wire-copy",
            "title": "A different headline chosen by the second site",
            "text": "\n\n".join(["By Staff and wire reports", *edited]),
            "published": "2011-11-28T19:30:00Z",
            "site_name": "Regional Daily",
        }
    )
    return original, copy


def test_lightly_edited_copy_joins_the_original_story(multinews_rows):
    long_rows = [r for r in multinews_rows if len(r["text"].split()) > 300]
    original, copy = _wire_story(long_rows[0])
    others = [
        Article.from_dict({"id": r["id"], "text": r["text"], "published": "2011-11-28T18:30:00Z"})
        for r in long_rows[1:8]
        if r["cluster"] != long_rows[0]["cluster"]
    ]
    clusterer = StoryClusterer()
    first = clusterer.add(original)
    for other in others:
        assert clusterer.add(other).story_id != first.story_id
    assignment = clusterer.add(copy)
    assert assignment.duplicate_of == original.id
    assert assignment.story_id == first.story_id
    story = clusterer.get_story(first.story_id)
    assert story is not None
    assert set(story.article_ids) >= {original.id, copy.id}  # every source is kept


def test_copies_fold_even_when_the_threshold_would_split_them(multinews_rows):
    from newsdesk.cluster import ClusterConfig

    original, copy = _wire_story(multinews_rows[3])
    # A join threshold no article can reach: only the copy detection can put them together.
    impossible = ClusterConfig(threshold=2.0, headline_threshold=2.0)
    pairs = dict(cluster_articles([original, copy], impossible))
    assert pairs[original.id] == pairs[copy.id]


def test_exact_copy_on_another_site_is_one_story(multinews_rows):
    row = multinews_rows[5]
    a = Article.from_dict({"id": "site-a", "title": "Headline", "text": row["text"]})
    b = replace(a, id="site-b", site_name="Other site", url="https://other.example/x")
    c = Article.from_dict({"id": "unrelated", "text": multinews_rows[40]["text"]})
    pairs = dict(cluster_articles([a, c, b]))
    assert pairs["site-a"] == pairs["site-b"] != pairs["unrelated"]


def test_different_articles_are_not_duplicates(multinews_rows):
    index = NearDuplicateIndex(window=1e9)
    first = content_words("", multinews_rows[0]["text"])
    index.add("first", content_key(first), index.signature(first), 0.0)
    for row in multinews_rows[1:30]:
        words = content_words("", row["text"])
        if row["text"] == multinews_rows[0]["text"]:
            continue
        assert index.find(content_key(words), index.signature(words)) is None


def test_signatures_leave_the_index_after_the_window(multinews_rows):
    index = NearDuplicateIndex(window=3600.0)
    words = content_words("", multinews_rows[0]["text"])
    index.add("first", content_key(words), index.signature(words), 0.0)
    assert len(index) == 1
    index.expire(7200.0)
    assert len(index) == 0
    assert index.find(content_key(words), index.signature(words)) is None


def test_a_copy_after_the_story_left_the_window_joins_it_again(multinews_rows):
    from newsdesk.cluster import ClusterConfig

    original, copy = _wire_story(multinews_rows[0])
    week_later = replace(copy, published="2011-12-02T19:30:00+00:00")
    config = ClusterConfig(window_hours=24.0)
    clusterer = StoryClusterer(config)
    first = clusterer.add(original)
    filler = Article.from_dict(
        {"id": "filler", "text": multinews_rows[40]["text"], "published": "2011-12-01T00:00:00Z"}
    )
    clusterer.add(filler)
    assert clusterer.get_story(first.story_id) is not None
    assert first.story_id not in {s.id for s in clusterer.active_stories()}  # left the window
    again = clusterer.add(week_later)
    assert again.story_id == first.story_id and again.duplicate_of == original.id
    story = clusterer.get_story(first.story_id)
    assert story is not None and list(story.article_ids) == [original.id, copy.id]
    # The same holds across a saved and restored state.
    clusterer = StoryClusterer(config)
    clusterer.add(original)
    clusterer.add(filler)
    restored = StoryClusterer.from_state(clusterer.to_state())
    assert restored.add(week_later).story_id == first.story_id


def test_signatures_are_datasketchs_affine32_minhash(multinews_rows):
    """Our MinHash gives datasketch 2's values, so clusterer states stored when the project
    used datasketch keep finding the same copies."""
    datasketch = pytest.importorskip("datasketch", minversion="2.0")
    index = NearDuplicateIndex(window=1e9)
    for row in multinews_rows[:20]:
        words = content_words("", row["text"])
        ours = index.signature(words)
        assert ours is not None
        shingles = sorted({" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)})
        theirs = datasketch.MinHash(num_perm=64, hashfunc=zlib.crc32, scheme="affine32")
        theirs.update_batch(shingles)
        assert ours.dtype == theirs.hashvalues.dtype
        assert ours.tolist() == theirs.hashvalues.tolist()


def test_a_near_copy_is_found_and_leaves_every_band_when_it_expires(multinews_rows):
    original, copy = _wire_story(multinews_rows[0])
    index = NearDuplicateIndex(window=3600.0)
    words = content_words(original.title, original.text)
    index.add(original.id, content_key(words), index.signature(words), 0.0)
    near = content_words(copy.title, copy.text)
    assert index.find(content_key(near), index.signature(near)) == original.id
    index.expire(7200.0)
    assert index.find(content_key(near), index.signature(near)) is None
    assert all(not band for band in index._bands)
