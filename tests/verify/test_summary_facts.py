"""Facts summaries state in their own way: seasons, a caption's label, ordinals of a unit."""

from __future__ import annotations

import pytest

from newsdesk.model import Article, Sentence
from newsdesk.verify import check_sentences

SOURCE = Article.create(
    url="https://example.org/transfer",
    title="Origi completes his move",
    paragraphs=(
        "Divock Origi joined Liverpool in a £10million deal from Lille in July.",
        "Rejected: Charlotte Briggs was refused a place at Lydgate Junior School.",
        "Cesc Fabregas scored an 87 minute winner at Loftus Road.",
        "The club may appoint a new coach before the winter break.",
    ),
)


def kinds(text: str) -> list[str]:
    [problems] = check_sentences([Sentence(text, (SOURCE.id,))], [SOURCE])
    return [p.kind for p in problems]


@pytest.mark.parametrize(
    "text",
    [
        # July is summer: the season follows from the month the source gives
        "Divock Origi joined Liverpool in a £10million deal from Lille this summer.",
        # a caption's label ("Rejected:") hedges nothing
        "Charlotte Briggs was refused a place at Lydgate Junior School.",
        # "87th minute" for "87 minute": the same minute
        "Cesc Fabregas scored an 87th minute winner at Loftus Road.",
    ],
)
def test_summary_wording_of_source_facts_passes(text: str):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a season the source never gives, nor any month of it
        ("Divock Origi joined Liverpool in a £10million deal from Lille last winter.", "date"),
        # another minute, as an ordinal
        ("Cesc Fabregas scored an 88th minute winner at Loftus Road.", "number"),
        # a real hedge dropped still is one
        ("The club will appoint a new coach before the winter break.", "unsupported"),
    ],
)
def test_summary_fact_errors_are_flagged(text: str, kind: str):
    assert kind in kinds(text)
