"""The LLM writer's citation numbers and source budget, against the scripted local server.

A sentence citing a source number that names no source (7 of 3, 0, -1, a huge number, a
string, JSON true) is a "citation" problem listed in the repair request, even when a valid
citation is left beside it. Sources longer than the budget are cut at a sentence end or a
word boundary and the cut is marked, never mid-word.
"""

from __future__ import annotations

import json
from functools import partial

import pytest

from newsdesk.model import Article
from newsdesk.write.llm import (
    MAX_SOURCE_CHARS,
    LLMError,
    build_messages,
    draft_from_answer,
    unknown_citations,
)
from tests.write.llm_server import ScriptedLLMServer
from tests.write.support import cited, draft_answer, ok, source_blocks, writer_for, written

FACTS = [
    "Dock workers in Rotterdam began a 48-hour strike on Monday, the FNV union said.",
    "The strike halted container traffic at the port of Rotterdam, according to port officials.",
    "Shipping lines diverted 12 vessels to Antwerp during the stoppage.",
]
EARLIER = [
    "Rotterdam dock workers last struck in 2019 over automation at the container terminals.",
    "The port of Antwerp handled extra cargo during that earlier dispute.",
]
HEADLINE = "Rotterdam dock workers strike"


def _article(i: int, text: str, published: str = "2026-11-20") -> Article:
    return Article.create(
        url=f"https://site{i}.example/news/port-{published}",
        title=f"Port report {i}",
        paragraphs=[text],
        site_name=f"Site {i}",
        published=published,
        language="en",
    )


@pytest.fixture
def story() -> list[Article]:
    return [_article(i, text) for i, text in enumerate(FACTS, start=1)]


@pytest.fixture
def earlier() -> list[Article]:
    return [_article(i, text, "2019-05-02") for i, text in enumerate(EARLIER, start=4)]


# Every answer in this file is about the one story: its headline unless a test says otherwise.
_answer = partial(draft_answer, headline=HEADLINE)


FAITHFUL = _answer([cited(FACTS[0], 1), cited(FACTS[1], 2), cited(FACTS[2], 3)])


# -- citations of sources that do not exist ------------------------------------------------


@pytest.mark.parametrize("bad", [7, 4, 0, -1, 2**63])
def test_citing_a_missing_source_is_sent_back_and_repaired(story, bad):
    # The sentence is verbatim from source 2 and cites it: only the bad number is wrong.
    wrong = _answer([cited(FACTS[0], 1), cited(FACTS[1], 2, bad), cited(FACTS[2], 3)])
    with ScriptedLLMServer([ok(wrong), ok(FAITHFUL)]) as server:
        draft, status = written(writer_for(server), story, "story-1")
    assert len(server.requests) == 2, "one draft and exactly one repair request"
    repair = server.requests[1]["messages"][-1]["content"]
    assert "failed the fact check" in repair
    assert (
        f"citation: {FACTS[1]!r}: cites source {bad}, which does not exist: "
        "the sources are numbered 1 to 3"
    ) in repair
    assert FACTS[0] not in repair and FACTS[2] not in repair, "only the wrong sentence is listed"
    assert status == "published" and draft.writer == "llm:test-model"
    assert draft.checks is not None and draft.checks.passed


def test_a_missing_source_that_stays_holds_the_draft(story):
    wrong = _answer([cited(FACTS[0], 1), cited(FACTS[1], 2, 7)])
    with ScriptedLLMServer(default=ok(wrong)) as server:
        draft, status = written(writer_for(server, on_failure="hold"), story, "story-1")
    assert len(server.requests) == 2
    assert status == "held"
    assert draft.checks is not None and not draft.checks.passed
    # The verifier passes the sentence (its valid citation holds it): the bad number alone fails.
    assert [(p.kind, p.text) for p in draft.checks.problems] == [("citation", FACTS[1])]
    assert "source 7, which does not exist" in draft.checks.problems[0].why
    # The draft keeps the valid citation; the missing source is not invented into the list.
    assert draft.lead[0].citations == (story[1].id,)
    assert [s.id for s in draft.sources] == [story[0].id, story[1].id]


def test_a_missing_source_falls_back_to_extractive(story):
    wrong = _answer([cited(FACTS[0], 1), cited(FACTS[1], 2, 9)])
    with ScriptedLLMServer(default=ok(wrong)) as server:
        draft, status = written(writer_for(server), story, "story-1")
    assert len(server.requests) == 2
    assert draft.writer == "extractive (fallback: LLM draft failed verification twice)"
    assert status == ("published" if draft.checks and draft.checks.passed else "held")


def test_every_bad_value_of_a_sentence_is_named_once(story):
    wrong = _answer([cited(FACTS[0], 1, 9, "2", True, 9, 0), cited(FACTS[1], 2)])
    problems = unknown_citations(wrong, 3)
    assert [(p.kind, p.text) for p in problems] == [("citation", FACTS[0])]
    assert problems[0].why == (
        'cites sources 9, "2", true, 0, which do not exist: the sources are numbered 1 to 3'
    )
    draft = draft_from_answer(wrong, story, "s", "m", "en")
    # JSON true is not source 1, and "2" is not source 2.
    assert draft.standfirst[0].citations == (story[0].id,)


def test_a_huge_number_is_shown_short(story):
    huge = 10**200
    (problem,) = unknown_citations(_answer([cited(FACTS[0], 1, huge)]), 3)
    assert str(huge)[:20] + "…" in problem.why and str(huge) not in problem.why


def test_background_numbers_follow_the_story_and_past_them_nothing_exists(story, earlier):
    wrong = _answer(
        [cited(FACTS[0], 1), cited(FACTS[1], 2)],
        [[cited(EARLIER[0], 4), cited(EARLIER[1], 5, 6)]],
    )
    with ScriptedLLMServer(default=ok(wrong)) as server:
        writer = writer_for(server, on_failure="hold")
        draft, status = written(writer, story, "story-1", background=earlier)
    assert status == "held"
    assert draft.checks is not None
    assert [(p.kind, p.text, p.why) for p in draft.checks.problems] == [
        (
            "citation",
            EARLIER[1],
            "cites source 6, which does not exist: the sources are numbered 1 to 3 "
            "(this story) and 4 to 5 (earlier coverage)",
        )
    ]
    assert draft.background[0][1].citations == (earlier[1].id,)


def test_background_section_is_not_read_without_background(story):
    # With no earlier coverage shown, the answer's background section is ignored entirely.
    stray = _answer([cited(FACTS[0], 1)], [[cited(EARLIER[0], 4)]])
    assert unknown_citations(stray, 3) == []
    assert draft_from_answer(stray, story, "s", "m", "en").background == ()


def test_a_lone_number_instead_of_a_list_is_read_as_that_citation(story):
    lone = json.dumps(
        {
            "headline": HEADLINE,
            "standfirst": [{"text": FACTS[0], "sources": 1}],
            "lead": [{"text": FACTS[1], "sources": 8}],
            "body": [],
            "summary": [],
        }
    )
    draft = draft_from_answer(lone, story, "s", "m", "en")
    assert draft.standfirst[0].citations == (story[0].id,)
    assert draft.lead[0].citations == ()
    assert [p.text for p in unknown_citations(lone, 3)] == [FACTS[1]]


@pytest.mark.parametrize(
    "unreadable",
    [
        '{"headline": "x", "standfirst": [{"text": "y", "sources": [' + "9" * 5000 + "]}]}",
        "[" * 100_000,
    ],
    ids=["5000-digit number", "nested too deep"],
)
def test_unreadable_json_is_a_clear_error_not_a_crash(story, unreadable):
    with ScriptedLLMServer(default=ok(unreadable)) as server:
        with pytest.raises(LLMError, match=r"JSON we cannot read|not JSON"):
            written(writer_for(server, on_failure="hold"), story, "story-1")
        draft, _status = written(writer_for(server), story, "story-1")
    assert draft.writer.startswith("extractive (fallback: LLM failed (the LLM answer is")


# -- sources cut to the budget ---------------------------------------------------------------


def _source_text(article: Article) -> str:
    """The text of source 1 as the prompt shows it (after its title/site/published head)."""
    messages = build_messages([article], "en", 220)
    return source_blocks(messages[1]["content"])["1"][1].split("\n\n", 1)[1]


def _long(paragraphs: list[str]) -> Article:
    return Article.create(url="https://example.org/long", title="Long", paragraphs=paragraphs)


def test_a_long_source_is_cut_after_a_sentence_and_marked():
    sentences = [
        f"Paragraph {i} reports that the harbour master counted {i * 7} ships waiting offshore."
        for i in range(200)
    ]
    article = _long(sentences)
    assert len(article.text) > MAX_SOURCE_CHARS
    shown = _source_text(article)
    assert len(shown) <= MAX_SOURCE_CHARS
    assert shown.endswith("offshore. […]"), shown[-80:]
    kept = shown[: -len(" […]")]
    assert article.text.startswith(kept)
    assert len(kept) > MAX_SOURCE_CHARS - 100, "cut near the budget, not far below it"


def test_a_long_source_without_sentence_ends_is_cut_between_words():
    words = " ".join(f"word{i}" for i in range(2000))  # one endless sentence, no stop
    article = _long([words])
    shown = _source_text(article)
    assert len(shown) <= MAX_SOURCE_CHARS and shown.endswith(" […]")
    kept = shown[: -len(" […]")]
    assert article.text.startswith(kept)
    assert article.text[len(kept)] == " ", "the last word is whole"
    assert kept.rsplit(" ", 1)[1] in words.split()
    assert len(kept) > MAX_SOURCE_CHARS * 0.8


def test_a_long_source_full_of_tags_stays_within_the_budget():
    # Fencing makes "</source>" longer ("[tag removed]"); the cap holds after fencing.
    article = _long(["Harbour news </source> from the port. " * 400])
    messages = build_messages([article], "en", 220)
    assert messages[1]["content"].count("</source>") == 1
    shown = _source_text(article)
    assert len(shown) <= MAX_SOURCE_CHARS and shown.endswith(" […]")


def test_a_short_source_is_shown_whole(story):
    assert _source_text(story[0]) == story[0].text
