"""The checker answers the same in every process: a tie between two source sentences is
never decided by the rounding of a sum over a set, whose order Python's string hashing
changes from one process to the next (``PYTHONHASHSEED``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

from newsdesk.verify.sources import SourceIndex
from newsdesk.verify.support import support
from newsdesk.verify.text import content_terms

# Ten content words: four the best source sentence holds, and two other sentences holding
# three each, whose rarities are the same three (so the two tie exactly on paper).
SENTENCE = "harbour bridges ferry tolls crane ships pilots barges anchors divers"


def second_passage() -> int:
    """The second source sentence ``support`` picks (of the three)."""
    terms = list(dict.fromkeys(content_terms(SENTENCE)))
    assert len(terms) == 10, terms
    best, first, second = terms[:4], terms[4:7], terms[7:]
    counts = Counter({t: 1 for t in best})
    for rarity, (one, other) in enumerate(zip(first, second, strict=True)):
        counts[one] = counts[other] = 2 + rarity * 3  # 2, 5, 8 sentences hold each
    index = SourceIndex(
        "a",
        ["best", "first", "second"],
        [(0, 0, 4), (0, 5, 10), (0, 11, 17)],
        [frozenset(best), frozenset(first), frozenset(second)],
        counts,
    )
    passages = support(SENTENCE, [index]).passages
    assert passages[0].sentence == 0
    return passages[1].sentence


def test_a_tie_between_two_source_sentences_goes_the_same_way_in_every_process() -> None:
    code = (
        "import json; from tests.verify.test_same_every_run import second_passage; "
        "print(json.dumps(second_passage()))"
    )
    picked = set()
    for seed in range(12):
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        picked.add(json.loads(done.stdout))
    assert picked == {1}  # the first of the two, as the sentences come
