"""Names replaced or exchanged in a sentence that otherwise copies its source passage,
where the words beside the name are punctuation, numbers, a possessive or other names."""

from __future__ import annotations

import pytest

from newsdesk.model import Article, Sentence
from newsdesk.verify import check_sentences

SOURCE = Article.create(
    url="https://example.org/hearing",
    title="Hearing on the naming bill",
    paragraphs=(
        "The bill, sponsored by Majority Whip Kevin McCarthy (R-Calif.), was taken up on "
        "Tuesday by the committee.",
        "Since the release of Cheryl Strayed's Wild, the number of hikers has doubled.",
        "Officials said the North has shared weapons technology with Syria, Iran and others.",
        "Lisa Moore met Tom Baker in Geneva on Monday to discuss the treaty.",
        "The delegates came from Chile, Peru and Bolivia, the organisers said.",
        "Congress passed a similar bill last year with support from the United Nations.",
    ),
)


def kinds(text: str) -> list[str]:
    [problems] = check_sentences([Sentence(text, (SOURCE.id,))], [SOURCE])
    return [p.kind for p in problems]


@pytest.mark.parametrize(
    "text",
    [
        # a list in another order, a meeting is mutual
        "The delegates came from Bolivia, Peru and Chile, the organisers said.",
        "Tom Baker met Lisa Moore in Geneva on Monday to discuss the treaty.",
        # a phrase moved, not two names exchanged
        "On Monday, Lisa Moore met Tom Baker in Geneva to discuss the treaty.",
    ],
)
def test_faithful_edits_pass(text: str):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a name of the source in another's place, the neighbours punctuation
        "The bill, sponsored by Majority Whip Kevin McCarthy (R-Congress.), was taken up on "
        "Tuesday by the committee.",
        # two names exchanged around a possessive, and around a verb phrase
        "Since the release of Wild's Cheryl Strayed, the number of hikers has doubled.",
        "Officials said the Syria has shared weapons technology with North, Iran and others.",
    ],
)
def test_replaced_or_exchanged_names_are_flagged(text: str):
    assert "name" in kinds(text)
