"""On real news (a few Multi-News clusters): source sentences pass, a changed number fails."""

from __future__ import annotations

import json
import re

import pytest

from newsdesk.model import Article, Sentence
from newsdesk.text.sentences import split_sentences
from newsdesk.verify import check_sentences
from tests.conftest import BENCH, require_shared

CLUSTERS = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    out = []
    with require_shared(CLUSTERS).open(encoding="utf-8") as stream:
        for _, line in zip(range(8), stream, strict=False):
            for doc in json.loads(line)["documents"]:
                if not doc["boilerplate"]:
                    paragraphs = [p for p in doc["text"].split("\n") if p.strip()]
                    out.append(Article.create(url=None, title="", paragraphs=paragraphs))
    return out


def _sentences(article: Article, limit: int = 12) -> list[str]:
    found = [
        s
        for p in article.paragraphs
        for s in split_sentences(p)
        if 8 <= len(s.split()) <= 60 and s[-1] in '.!?"”'
    ]
    return found[:limit]


def test_source_sentences_cited_to_their_article_pass(articles: list[Article]):
    checked = failed = 0
    for article in articles:
        sentences = [Sentence(s, (article.id,)) for s in _sentences(article)]
        for sentence, problems in zip(
            sentences, check_sentences(sentences, [article]), strict=True
        ):
            checked += 1
            if problems:
                failed += 1
                print(sentence.text, problems)
    assert checked > 100
    assert failed == 0


def test_a_changed_number_is_caught(articles: list[Article]):
    tried = caught = 0
    for article in articles:
        numbers = {m for m in re.findall(r"\d+", article.text)}
        for sentence in _sentences(article, limit=40):
            match = re.search(r"(?<![\w.,$:/-])(\d{1,3})(?![\w.,:/%]|,\d)", sentence)
            if not match:
                continue
            new = str(int(match.group(1)) + 7)
            if new in numbers:
                continue
            changed = sentence[: match.start()] + new + sentence[match.end() :]
            tried += 1
            [problems] = check_sentences([Sentence(changed, (article.id,))], [article])
            caught += any(p.kind in ("number", "date") for p in problems)
    assert tried >= 10
    assert caught == tried
