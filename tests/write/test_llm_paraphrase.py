"""The LLM writer's faithful paraphrase is published; a wrong number, a swapped name or an
added fact is not (the real verifier, a scripted OpenAI-compatible server on 127.0.0.1)."""

from __future__ import annotations

import pytest

from newsdesk.model import Article
from tests.write.llm_server import ScriptedLLMServer
from tests.write.support import cited, draft_answer, ok, writer_for, written

HEADLINE = "Wagner group announces withdrawal from Mali"
# Every sentence reworded from the seed page: other words, other order, nothing added.
PARAPHRASE = [
    "Wagner, the Russian paramilitary group, said it is leaving Mali because its main "
    "mission in the West African country is complete.",
    "It had fought alongside Mali's army against Islamist insurgents since 2021 and announced "
    "the move on its Telegram channel.",
    "According to the group, it killed four terrorist ringleaders and thousands of militants "
    "over three and a half years.",
    "Malian soldiers left a major army base in central Mali after the second deadly attack "
    "there in under a week.",
    "JNIM, a group linked to al-Qaeda, said it attacked the Boulikessi base on June 1 and "
    "killed more than 30 soldiers, Reuters reported.",
    "Africa Corps, a new Russian paramilitary group, will take over Wagner's operations in "
    "Africa and keep operating in Mali.",
]
ERRORS = {
    # (sentence index, wrong sentence, problem kind, words the repair request must quote)
    "wrong number": (
        4,
        "JNIM, a group linked to al-Qaeda, said it attacked the Boulikessi base on June 1 and "
        "killed more than 50 soldiers, Reuters reported.",
        "number",
        "50",
    ),
    "swapped name": (
        5,
        "Africa Corps, a new Russian paramilitary group, will take over JNIM's operations in "
        "Africa and keep operating in Mali.",
        "name",
        "JNIM",
    ),
    "added fact": (
        0,
        "Wagner, the Russian paramilitary group, said it is leaving Mali because it ran out "
        "of money.",
        "unsupported",
        "money",
    ),
}


def answer(sentences: list[str]) -> str:
    return draft_answer([cited(s, 1) for s in sentences], headline=HEADLINE)


def test_a_faithful_paraphrase_is_published(seed_article: Article):
    with ScriptedLLMServer([ok(answer(PARAPHRASE))]) as server:
        draft, status = written(writer_for(server), [seed_article], "story-1")
    assert status == "published", draft.checks
    assert draft.writer == "llm:test-model"
    assert [s.text for s in draft.sentences()] == PARAPHRASE
    assert len(server.requests) == 1  # no repair asked


@pytest.mark.parametrize("error", list(ERRORS))
def test_a_paraphrase_with_an_error_is_sent_back_then_replaced(seed_article: Article, error):
    at, wrong, kind, quoted = ERRORS[error]
    sentences = [wrong if k == at else s for k, s in enumerate(PARAPHRASE)]
    with ScriptedLLMServer(default=ok(answer(sentences))) as server:
        draft, _status = written(writer_for(server), [seed_article], "story-1")
        held, status = written(writer_for(server, on_failure="hold"), [seed_article], "story-2")
    repair = server.requests[1]["messages"][-1]["content"]
    assert "failed the fact check" in repair and quoted in repair
    assert draft.writer.startswith("extractive (fallback")
    assert wrong not in [s.text for s in draft.sentences()]
    assert status == "held"
    assert (wrong, kind) in {(p.text, p.kind) for p in held.checks.problems}


# A report whose text never names its outlet (as most pages' body text does not).
FARM_BILL = Article.create(
    url="https://www.politico.com/news/2024/05/02/senate-farm-bill",
    title="Senate passes the farm bill",
    paragraphs=(
        "The Senate passed the farm bill on Thursday by a vote of 68 to 31. "
        "The measure now goes to the House, where its fate is uncertain.",
    ),
    site_name="Politico",
)


@pytest.mark.parametrize(("outlet", "published"), [("Politico", True), ("Reuters", False)])
def test_a_sentence_may_credit_the_outlet_it_cites(outlet: str, published: bool):
    sentences = [
        f"The farm bill passed the Senate on Thursday, 68 votes to 31, {outlet} reports.",
        "It now goes to the House, where its fate is uncertain.",
    ]
    reply = draft_answer([cited(s, 1) for s in sentences], headline="Senate passes farm bill")
    with ScriptedLLMServer(default=ok(reply)) as server:
        draft, status = written(writer_for(server, on_failure="hold"), [FARM_BILL], "story-1")
    if published:
        assert status == "published", draft.checks
        assert [s.text for s in draft.sentences()] == sentences
    else:  # another outlet's name: a name the source does not give
        assert status == "held"
        assert (sentences[0], "name") in {(p.text, p.kind) for p in draft.checks.problems}
