"""A story in several languages: its draft is written in one, and cites the articles in the
others on the sentences whose facts they report (names across scripts, numbers), beside a
source in the draft's language; the verifier passes it. An article of another language
sharing only the story's topic names is not cited on a sentence it does not report."""

from __future__ import annotations

from newsdesk.model import Article
from newsdesk.verify import verify_draft
from newsdesk.write.extractive import write_extractive
from tests.cluster.test_news import SHIP

# A Russian article on the same ship and port, but another fact (a visit a year earlier).
VISIT = Article(
    id="ship-visit-ru",
    url=None,
    title="Marisol Dawn в прошлом году заходил в Клайпеду",
    paragraphs=(
        "Сухогруз Marisol Dawn в прошлом году заходил в порт Клайпеда. "
        "Судно простояло у причала две недели.",
    ),
    language="ru",
)


def test_the_english_draft_cites_the_russian_and_german_reports_beside_an_english_one():
    english = [
        SHIP[0],
        Article(
            id="ship-en-2",
            url=None,
            title="Navy takes 18 crew off Marisol Dawn aground near Klaipeda",
            paragraphs=(
                "The Lithuanian navy took all 18 crew members off the cargo ship Marisol Dawn, "
                "which ran aground on Saturday off Klaipeda. Captain Andrius Petrauskas said "
                "the ship lost engine power in a storm.",
            ),
            language="en",
        ),
    ]
    articles = [*english, SHIP[1], SHIP[2], VISIT]
    draft = write_extractive(articles, "ship", max_words=120)
    assert draft.language == "en"
    english_ids = {a.id for a in english}
    foreign_cited = set()
    for sentence in draft.sentences():
        assert sentence.citations[0] in english_ids  # every sentence is an English one's
        foreign_cited |= set(sentence.citations) - english_ids
    assert foreign_cited >= {"ship-ru", "ship-de"}
    assert "ship-visit-ru" not in foreign_cited  # shares the topic's names, not the facts
    assert {"ship-ru", "ship-de"} <= {s.id for s in draft.sources}
    report = verify_draft(draft, articles)
    assert report.passed, report.problems


def test_a_foreign_article_is_cited_only_where_its_numbers_agree():
    def cited_on_the_fuel(russian: Article) -> bool:
        draft = write_extractive([SHIP[0], russian], "ship", max_words=200)
        (fuel,) = [s for s in draft.sentences() if "240 tonnes" in s.text]
        return russian.id in fuel.citations

    assert cited_on_the_fuel(SHIP[1])
    wrong = Article(
        id="ship-ru-wrong",
        url=None,
        title=SHIP[1].title,
        paragraphs=(SHIP[1].text.replace("240", "420"),),
        language="ru",
    )
    assert not cited_on_the_fuel(wrong)
