"""The clusterer's busiest loops (``cluster.scoring``): what they work out, and the
compiled ones equal to the Python ones on real streams (the same floats, so the same
stories)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from newsdesk.cluster import ClusterConfig, StoryClusterer, scoring, stream
from newsdesk.settings import compiled_module
from tests.cluster.test_languages import load


def story(norm: float) -> SimpleNamespace:
    return SimpleNamespace(norm=norm)


def compiled_scoring():
    """The compiled module, or a skip where it is not built."""
    compiled = compiled_module("newsdesk.cluster._scoring")
    if compiled is None:
        pytest.skip("cluster/_scoring is not built (or NEWSDESK_PURE_PYTHON is set)")
    return compiled


def both(python_function):
    """The compiled sums and the Python ones."""
    return compiled_scoring().posting_scores, python_function


def real_streams(multinews_rows) -> list[list]:
    """400 real Multi-News articles, and the hand-written stream in five languages (where
    names and numbers are summed apart)."""
    from newsdesk.model import Article

    articles = [
        Article(id=row["id"], url=None, title=row.get("title") or "", paragraphs=(row["text"],))
        for row in multinews_rows[:400]
    ]
    return [articles, load()[0]]


def test_the_sums_are_cosines_over_shared_terms():
    weighted = {"rocket": 0.6, "launch": 0.8, "#nasa": 0.0}
    idfs = {"rocket": 2.0, "launch": 1.0, "#nasa": 3.0}
    index = {
        "rocket": {"a": 0.5, "b": 0.25},
        "launch": {"a": 1.0},
        "#nasa": {"b": 1.0},
        "unrelated": {"c": 1.0},
    }
    active = {"a": story(2.0), "b": story(0.5), "c": story(1.0)}
    candidates, keys = scoring.python_posting_scores(
        weighted, idfs, index, active, 2, frozenset({"#nasa"})
    )
    # a: (0.6 x 2 x 0.5 + 0.8 x 1 x 1.0) / 2; b shares two terms, one of weight 0.
    assert candidates == {"a": pytest.approx(0.7), "b": pytest.approx(0.6 * 2 * 0.25 / 0.5)}
    assert keys == [("b", 0.0, 1)]
    # One shared term is too thin where two are needed; a story of no length scores none.
    candidates, _ = scoring.python_posting_scores(
        {"rocket": 1.0}, idfs, index, {"a": story(2.0), "b": story(0.0)}, 2, frozenset()
    )
    assert candidates == {}


def test_compiled_sums_equal_the_python_ones_on_a_real_stream(multinews_rows, monkeypatch):
    """Every article of 400 real Multi-News articles and of the hand-written stream in
    five languages (where names and numbers are summed apart) is scored both ways: the
    same stories with the same floats, in the same order."""
    compiled, python = both(scoring.python_posting_scores)
    calls = []

    def checked(*arguments):
        mine, theirs = compiled(*arguments), python(*arguments)
        assert list(mine[0].items()) == list(theirs[0].items())
        assert sorted(mine[1]) == sorted(theirs[1])
        calls.append((len(mine[0]), len(mine[1])))
        return mine

    monkeypatch.setattr(stream, "posting_scores", checked)
    for articles in real_streams(multinews_rows):
        StoryClusterer(ClusterConfig()).add_many(articles)
    # Stories met, names and numbers summed apart: not empty streams (copies are not scored).
    assert len(calls) >= 300 and sum(n for n, _ in calls) > 10_000
    assert sum(k for _, k in calls) > 50


def test_compiled_sums_refuse_what_python_refuses():
    compiled, python = both(scoring.python_posting_scores)
    index = {"rocket": {"a": 0.5}}
    for function in (compiled, python):
        with pytest.raises(KeyError):  # a posting of a story no longer active
            function({"rocket": 1.0}, {"rocket": 1.0}, index, {}, 1, frozenset())
        candidates, keys = function(
            {"rocket": 1.0}, {"rocket": 2.0}, index, {"a": story(4.0)}, 1, ()
        )
        assert candidates == {"a": 0.25} and keys == []
        assert math.isclose(candidates["a"], 1.0 * 2.0 * 0.5 / 4.0)


def test_the_idf_table_works_each_term_out_once_as_python_does():
    compiled = compiled_scoring()
    counts = SimpleNamespace(documents=10, prior_documents=300, df={"a": 3}, pseudo={"a": 1.5})
    table, twin = compiled.IdfTable(counts), scoring.PythonIdfTable(counts)
    assert table["a"] == twin["a"] == math.log(311 / 4.5) + 1.0
    assert table["new"] == twin["new"] == math.log(311 / 1.0) + 1.0
    assert dict(table) == dict(twin) and len(table) == 2  # kept until cleared
    counts.documents = 11
    assert table["a"] == math.log(311 / 4.5) + 1.0  # the owner clears it when counts move
    table.clear()
    assert table["a"] == math.log(312 / 4.5) + 1.0


def _stories(clusterer: StoryClusterer) -> list[tuple]:
    """Every story of a clusterer with its floats: id, members, centroid length."""
    return sorted(
        (sid, tuple(story.article_ids), story.norm, story.headline)
        for sid, story in clusterer._active.items()
    )


def test_compiled_and_python_scoring_give_the_same_stories(multinews_rows, monkeypatch):
    compiled_scoring()
    from newsdesk.cluster import features

    for articles in real_streams(multinews_rows):
        fast = StoryClusterer(ClusterConfig())
        fast.add_many(articles)
        with monkeypatch.context() as python:
            python.setattr(stream, "posting_scores", scoring.python_posting_scores)
            python.setattr(stream, "core_terms", scoring.python_core_terms)
            python.setattr(stream, "centroid_dot", scoring.python_centroid_dot)
            python.setattr(stream, "add_to_centroid", scoring.python_add_to_centroid)
            python.setattr(features, "IdfTable", scoring.PythonIdfTable)
            slow = StoryClusterer(ClusterConfig())
            assert type(slow.features.idf_table) is scoring.PythonIdfTable
            slow.add_many(articles)
        assert type(fast.features.idf_table) is not scoring.PythonIdfTable
        assert _stories(fast) == _stories(slow)
        assert len(_stories(fast)) >= 8


def test_core_terms_are_the_heaviest_the_earlier_of_equals_first():
    compiled = compiled_scoring()
    idf = {"a": 1.0, "b": 2.0, "c": 1.0, "d": 0.5, "~key": 9.0, "e": 2.0}
    vector = {"a": 1.0, "b": 1.0, "c": 2.0, "d": 4.0, "~key": 1.0, "e": 1.0}
    # weights: a 1, b 2, c 2, d 2, e 2; the name key left out
    for function in (compiled.core_terms, scoring.python_core_terms):
        assert function(vector, idf, 1, "~") == {"b"}
        assert function(vector, idf, 3, "~") == {"b", "c", "d"}
        assert function(vector, idf, 5, "~") == {"a", "b", "c", "d", "e"}
        assert function(vector, idf, 9, "~") == {"a", "b", "c", "d", "e"}
        assert function({}, idf, 3, "~") == set()


def test_centroid_dot_sums_the_shared_terms_idf_applied_twice():
    compiled = compiled_scoring()
    idf = {"a": 2.0, "b": 3.0, "c": 0.5}
    small, large = {"a": 0.5, "b": 0.25, "z": 1.0}, {"a": 1.0, "b": 2.0, "c": 9.0}
    for function in (compiled.centroid_dot, scoring.python_centroid_dot):
        assert function(small, large, idf) == 0.5 * 1.0 * 4.0 + 0.25 * 2.0 * 9.0
        assert function({}, large, idf) == 0.0
        assert function(small, {"q": 1.0}, idf) == 0.0


def test_adding_to_a_centroid_updates_it_and_the_postings_and_says_how_it_grew():
    compiled = compiled_scoring()
    idf = {"a": 2.0, "b": 3.0}
    for function in (compiled.add_to_centroid, scoring.python_add_to_centroid):
        centroid = {"a": 1.0}
        postings = {"a": {"s1": 1.0, "s0": 5.0}}
        grown = function(centroid, postings, "s1", {"a": 0.5, "b": 2.0}, idf)
        assert grown == (1.5**2 - 1.0) * 4.0 + (2.0**2 - 0.0) * 9.0
        assert centroid == {"a": 1.5, "b": 2.0}
        assert postings == {"a": {"s1": 1.5, "s0": 5.0}, "b": {"s1": 2.0}}
        assert function(centroid, postings, "s1", {}, idf) == 0.0
        # Without the growth (the length is recomputed whole): the same update, 0.0.
        assert function(centroid, postings, "s2", {"b": 1.0}, idf, False) == 0.0
        assert centroid["b"] == 3.0 and postings["b"] == {"s1": 2.0, "s2": 3.0}
