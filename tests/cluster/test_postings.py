"""The clusterer's sums over postings: what they are, and the compiled sums equal to the
Python ones on real streams (the same floats, so the same stories)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from newsdesk.cluster import ClusterConfig, StoryClusterer, postings, stream
from newsdesk.settings import compiled_module
from tests.cluster.test_languages import load


def story(norm: float) -> SimpleNamespace:
    return SimpleNamespace(norm=norm)


def both(python_function):
    """The compiled sums, or a skip where they are not built."""
    compiled = compiled_module("newsdesk.cluster._postings")
    if compiled is None:
        pytest.skip("cluster/_postings is not built (or NEWSDESK_PURE_PYTHON is set)")
    return compiled.posting_scores, python_function


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
    candidates, keys = postings.python_posting_scores(
        weighted, idfs, index, active, 2, frozenset({"#nasa"})
    )
    # a: (0.6 x 2 x 0.5 + 0.8 x 1 x 1.0) / 2; b shares two terms, one of weight 0.
    assert candidates == {"a": pytest.approx(0.7), "b": pytest.approx(0.6 * 2 * 0.25 / 0.5)}
    assert keys == [("b", 0.0, 1)]
    # One shared term is too thin where two are needed; a story of no length scores none.
    candidates, _ = postings.python_posting_scores(
        {"rocket": 1.0}, idfs, index, {"a": story(2.0), "b": story(0.0)}, 2, frozenset()
    )
    assert candidates == {}


def test_compiled_sums_equal_the_python_ones_on_a_real_stream(multinews_rows, monkeypatch):
    """Every article of 400 real Multi-News articles and of the hand-written stream in
    five languages (where names and numbers are summed apart) is scored both ways: the
    same stories with the same floats, in the same order."""
    compiled, python = both(postings.python_posting_scores)
    calls = []

    def checked(*arguments):
        mine, theirs = compiled(*arguments), python(*arguments)
        assert list(mine[0].items()) == list(theirs[0].items())
        assert sorted(mine[1]) == sorted(theirs[1])
        calls.append((len(mine[0]), len(mine[1])))
        return mine

    monkeypatch.setattr(stream, "posting_scores", checked)
    from newsdesk.model import Article

    articles = [
        Article(id=row["id"], url=None, title=row.get("title") or "", paragraphs=(row["text"],))
        for row in multinews_rows[:400]
    ]
    StoryClusterer().add_many(articles)
    languages, _ = load()
    StoryClusterer(ClusterConfig()).add_many(languages)
    # Stories met, names and numbers summed apart: not empty streams (copies are not scored).
    assert len(calls) >= 300 and sum(n for n, _ in calls) > 10_000
    assert sum(k for _, k in calls) > 50


def test_compiled_sums_refuse_what_python_refuses():
    compiled, python = both(postings.python_posting_scores)
    index = {"rocket": {"a": 0.5}}
    for function in (compiled, python):
        with pytest.raises(KeyError):  # a posting of a story no longer active
            function({"rocket": 1.0}, {"rocket": 1.0}, index, {}, 1, frozenset())
        candidates, keys = function(
            {"rocket": 1.0}, {"rocket": 2.0}, index, {"a": story(4.0)}, 1, ()
        )
        assert candidates == {"a": 0.25} and keys == []
        assert math.isclose(candidates["a"], 1.0 * 2.0 * 0.5 / 4.0)
