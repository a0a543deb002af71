"""A sentence may credit a claim to the outlet it cites; any other outlet is a name to check."""

from __future__ import annotations

import pytest

from newsdesk.model import Article, Sentence
from newsdesk.verify import check_sentences
from newsdesk.verify.outlets import names_outlet, outlet_keys

POLITICO = Article.create(
    url="https://www.politico.com/news/2024/05/02/senate-vote",
    title="Senate passes the farm bill",
    paragraphs=(
        "The Senate passed the farm bill on Thursday by a vote of 68 to 31. "
        "The measure now goes to the House, where its fate is uncertain.",
    ),
    site_name="Politico",
)
GUARDIAN = Article.create(
    url="https://www.theguardian.com/world/2024/may/02/flood-warning",
    title="Flood warnings issued for the river Severn",
    paragraphs=(
        "The Environment Agency issued 14 flood warnings for the river Severn on Thursday. "
        "Residents of Shrewsbury were told to move valuables upstairs.",
    ),
)
BBC = Article.create(
    url="https://news.bbc.co.uk/1/hi/uk/4081635.stm",
    title="Rail strike called off",
    paragraphs=("The union called off Monday's rail strike after talks with the operator.",),
    site_name="BBC News",
)


def problems(text: str, cited: list[Article], all_articles: list[Article] | None = None):
    sources = all_articles or cited
    [found] = check_sentences([Sentence(text, tuple(a.id for a in cited))], sources)
    return found


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("The Senate passed the farm bill by 68 votes to 31, Politico reports.", POLITICO),
        ("According to Politico, the measure now goes to the House.", POLITICO),
        ("The Guardian reports that 14 flood warnings were issued for the Severn.", GUARDIAN),
        ("According to the BBC, the union called off Monday's rail strike.", BBC),
        ("The BBC's report says the union called off Monday's rail strike.", BBC),
    ],
)
def test_a_cited_outlet_named_as_the_source_passes(text: str, article: Article):
    assert problems(text, [article]) == []


def test_an_outlet_the_sentence_does_not_cite_is_flagged():
    # Politico is among the draft's sources, but this sentence cites only the Guardian.
    found = problems(
        "Politico reports that 14 flood warnings were issued for the Severn.",
        [GUARDIAN],
        [GUARDIAN, POLITICO],
    )
    assert [p.kind for p in found] == ["name"]
    assert "Politico" in found[0].why


def test_another_outlet_is_flagged():
    found = problems(
        "The Senate passed the farm bill by 68 votes to 31, Reuters reports.", [POLITICO]
    )
    assert "name" in [p.kind for p in found]


def test_the_rest_of_the_sentence_is_still_checked():
    found = problems(
        "The Senate passed the farm bill by 70 votes to 31, Politico reports.", [POLITICO]
    )
    assert [p.kind for p in found] == ["number"]


def test_outlet_keys_from_site_names_and_addresses():
    keys = outlet_keys([POLITICO, GUARDIAN, BBC])
    for name in ("Politico", "The Guardian", "Guardian", "BBC", "BBC News", "the BBC's"):
        assert names_outlet(name, keys), name
    latimes = Article.create(
        url="http://articles.latimes.com/2004/nov/14/x", title="t", paragraphs=["p"]
    )
    assert names_outlet("LA Times", outlet_keys([latimes]))
    assert names_outlet("The LA Times", outlet_keys([latimes]))
    assert not names_outlet("Times", outlet_keys([latimes]))  # a word of the name is not the name
    abc = Article.create(url="https://abcnews.go.com/US/story", title="t", paragraphs=["p"])
    assert names_outlet("ABC", outlet_keys([abc]))
    assert not names_outlet("Go", outlet_keys([abc]))
