"""Claims with roles: a name in another's place, two names exchanged, a hedge dropped."""

from __future__ import annotations

import pytest

from newsdesk.model import Article, Sentence
from newsdesk.verify import check_sentences

SOURCE = Article.create(
    url="https://example.org/final",
    title="Smith beats Jones in the final",
    paragraphs=(
        "Anna Smith defeated Maria Jones in the final at Wimbledon on Sunday.",
        "Jones beat the defending champion Clara Weber in the semi-final.",
        "The tournament director, Peter Hall, said the roof may stay closed next year.",
        "Weber denied taking money from a betting company.",
        "He praised both players.",
        "Donovan Hall, a fan from Leeds, Yorkshire, said the match was the best he had seen.",
        "The new roof was built by Keller Group.",
        "Peter Donovan umpired the final.",
    ),
)


def kinds(text: str) -> list[str]:
    [problems] = check_sentences([Sentence(text, (SOURCE.id,))], [SOURCE])
    return [p.kind for p in problems]


@pytest.mark.parametrize(
    "text",
    [
        "Anna Smith defeated Maria Jones in the final at Wimbledon on Sunday.",
        "Smith beat Jones in the Wimbledon final on Sunday.",
        "Maria Jones was defeated by Anna Smith in the final at Wimbledon on Sunday.",
        "In the semi-final, Jones had beaten Clara Weber, the defending champion.",
        "Peter Hall said the roof may stay closed next year.",
        "The roof could stay closed next year, the tournament director said.",
        "Weber denied taking money from a betting company.",
    ],
)
def test_faithful_roles_pass(text: str):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a name the source has, put in another's place
        ("Anna Smith defeated Clara Weber in the final at Wimbledon on Sunday.", "name"),
        ("Jones beat the defending champion Anna Smith in the semi-final.", "name"),
        # two names exchanged around the same verb
        ("Maria Jones defeated Anna Smith in the final at Wimbledon on Sunday.", "name"),
        # what the source hedges or denies, stated as fact
        (
            "The tournament director, Peter Hall, said the roof will stay closed next year.",
            "unsupported",
        ),
        ("Weber took money from a betting company.", "unsupported"),
        # a place in a "town, county" pair is no list: its slot still counts
        (
            "Donovan Hall, a fan from Wimbledon, Yorkshire, said the match was the best he had seen.",
            "name",
        ),
        # a name ending like a demonym ("Donovan") is a name, not a qualifier
        ("Donovan beat the defending champion Clara Weber in the semi-final.", "name"),
        # two names run together into one that no source gives
        ("The new roof was built by Keller Weber.", "name"),
    ],
)
def test_role_errors_are_flagged(text: str, kind: str):
    assert kind in kinds(text)
