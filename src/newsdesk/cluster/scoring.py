"""The clusterer's busiest loops (``StoryClusterer._score`` and everything that weighs a
term): an article's dot products with the active stories' centroids, summed over the
stories' postings (``posting_scores``); the heaviest terms of a vector or centroid, which
the coherence check compares (``core_terms``); two stories' centroids compared before a
merge (``centroid_dot``); an article's vector added to its story's centroid and to the
postings (``add_to_centroid``); and the table of each term's IDF under the counts as they are
now (``IdfTable``), worked out on a term's first look-up after each document.

Each is the compiled one (``_scoring.pyx``) where it is built from the source beside it,
else the Python one below: the same floats from the same operations in the same order, so
the same stories (``NEWSDESK_PURE_PYTHON`` picks the Python ones, to compare the two).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from operator import itemgetter
from typing import Any

from newsdesk.settings import compiled_module

# (story id, the dot product over names and numbers, how many of them it shares)
KeySums = list[tuple[str, float, int]]


def python_posting_scores(
    weighted: Mapping[str, float],
    idfs: Mapping[str, float],
    postings: Mapping[str, Mapping[str, float]],
    active: Mapping[str, Any],
    need: int,
    keyed: Collection[str],
) -> tuple[dict[str, float], KeySums]:
    """(story id -> cosine, for the stories sharing ``need`` terms or more; the sums over
    the ``keyed`` terms of every story sharing one): ``weighted`` is the article's
    normalised vector, each term's weight taken again by its IDF (``idfs``) on the
    centroid's side; ``postings`` term -> {story id: the term's weight in its centroid};
    ``active`` story id -> a story with its centroid's ``norm``. Stories are met in the
    order of the article's terms, then of each posting."""
    dots: defaultdict[str, float] = defaultdict(float)
    shared: Counter[str] = Counter()
    key_dots: defaultdict[str, float] = defaultdict(float)
    key_shared: defaultdict[str, int] = defaultdict(int)
    for term, weight in weighted.items():
        posting = postings.get(term)
        if not posting:
            continue
        weight *= idfs[term]
        if term in keyed:
            for sid, held in posting.items():
                product = weight * held
                dots[sid] += product
                shared[sid] += 1
                key_dots[sid] += product
                key_shared[sid] += 1
            continue
        # a defaultdict's ``+=`` costs less than ``.get``
        for sid, held in posting.items():
            dots[sid] += weight * held
        shared.update(posting.keys())  # an iterable, not a mapping: counted in C
    candidates = {
        sid: dot / active[sid].norm
        for sid, dot in dots.items()
        if active[sid].norm and shared[sid] >= need
    }
    keys = [(sid, key_dots[sid], key_shared[sid]) for sid in dots if sid in key_dots]
    return candidates, keys


def python_core_terms(
    vector: Mapping[str, float], idf: Mapping[str, float], count: int, key_prefix: str
) -> set[str]:
    """The ``count`` heaviest terms of a vector or centroid, ``idf`` applied, terms opening
    with ``key_prefix`` (name keys) left out; the earlier of equal weights first."""
    words = [(t, w) for t, w in vector.items() if not t.startswith(key_prefix)]
    if len(words) <= count:
        return {t for t, _ in words}
    weighed = [(t, w * idf[t]) for t, w in words]
    return {t for t, _ in heapq.nlargest(count, weighed, key=itemgetter(1))}


def python_add_to_centroid(
    centroid: dict[str, float],
    postings: dict[str, dict[str, float]],
    story_id: str,
    vector: Mapping[str, float],
    idf: Mapping[str, float],
    grow: bool = True,
) -> float:
    """Add ``vector`` to a story's ``centroid`` and its weights to the ``postings``; with
    ``grow``, answer how much the centroid's squared length grew, ``idf`` applied (worked
    out before the centroid changes, added in the vector's order), else 0.0."""
    grown = 0.0
    for term, weight in vector.items() if grow else ():
        held = centroid.get(term, 0.0)
        grown += ((held + weight) ** 2 - held**2) * idf[term] ** 2
    for term, weight in vector.items():
        held = centroid[term] = centroid.get(term, 0.0) + weight
        postings.setdefault(term, {})[story_id] = held
    return grown


def python_centroid_dot(
    small: Mapping[str, float], large: Mapping[str, float], idf: Mapping[str, float]
) -> float:
    """The dot product of two centroids, ``idf`` applied on both sides, over the terms of
    ``small`` that ``large`` holds, added in ``small``'s order."""
    dot = 0.0
    for term, weight in small.items():
        if term in large:
            dot += weight * large[term] * idf[term] ** 2
    return dot


class PythonIdfTable(dict[str, float]):
    """Smoothed IDF by term under ``features``' counts as they are now (its ``documents``,
    ``prior_documents``, ``df`` and ``pseudo``: a ``StreamingTfidf``), each worked out on
    its first look-up; the owner clears it whenever the counts change."""

    __slots__ = ("features",)

    def __init__(self, features: Any) -> None:
        super().__init__()
        self.features = features

    def __missing__(self, term: str) -> float:
        f = self.features
        value = (
            math.log(
                (1 + f.documents + f.prior_documents)
                / (f.df.get(term, 0) + f.pseudo.get(term, 1.0))
            )
            + 1.0
        )
        self[term] = value
        return value


_compiled = compiled_module("newsdesk.cluster._scoring")
posting_scores: Callable[..., tuple[dict[str, float], KeySums]] = (
    _compiled.posting_scores if _compiled is not None else python_posting_scores
)
add_to_centroid: Callable[..., float] = (
    _compiled.add_to_centroid if _compiled is not None else python_add_to_centroid
)
centroid_dot: Callable[..., float] = (
    _compiled.centroid_dot if _compiled is not None else python_centroid_dot
)
core_terms: Callable[..., set[str]] = (
    _compiled.core_terms if _compiled is not None else python_core_terms
)
IdfTable: type[dict[str, float]] = _compiled.IdfTable if _compiled is not None else PythonIdfTable
