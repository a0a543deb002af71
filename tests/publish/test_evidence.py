"""The verifier's report carries, per sentence, the source passages its support check matched,
and a story page highlights exactly those: publish matches nothing again."""

from __future__ import annotations

import unicodedata

import lxml.html

from newsdesk.model import Draft
from newsdesk.publish.pages import render_html
from newsdesk.verify import verify_draft
from newsdesk.write import write_story
from tests.publish.samples import seed_article, wework_articles


def _verified(articles, story_id: str) -> Draft:
    draft = write_story(articles, story_id)
    return Draft(**{**draft.__dict__, "checks": verify_draft(draft, articles)})


def test_each_sentence_has_the_passages_the_check_matched_where_they_stand():
    articles = list(wework_articles())
    draft = _verified(articles, "wework")
    by_id = {a.id: a for a in articles}
    report = draft.checks
    assert report is not None and len(report.evidence) == len(draft.sentences())
    for sentence, found in zip(draft.sentences(), report.evidence, strict=True):
        assert found, sentence.text
        assert {e.article_id for e in found} <= set(sentence.citations)
        for e in found:
            assert 0 < e.score <= 1
            if e.paragraph >= 0 and e.start >= 0:
                where = by_id[e.article_id].paragraphs[e.paragraph][e.start : e.end]
                assert unicodedata.normalize("NFKC", where) == e.text
        # The extractive writer copies sentences: the best passage is the sentence itself.
        assert found[0].score == 1.0


def test_the_page_highlights_exactly_the_reported_evidence():
    articles = [seed_article()]
    draft = _verified(articles, "mali")
    doc = lxml.html.fromstring(render_html(draft, articles))
    spans = doc.cssselect(".sentence")
    sentences = [s for s in draft.sentences() if s.text.strip()]
    assert len(spans) == len(sentences)
    evidence = [
        e for s, e in zip(draft.sentences(), draft.checks.evidence, strict=True) if s.text.strip()
    ]
    for span, found in zip(spans, evidence, strict=True):
        wanted = {f"source-1-p{e.paragraph}" for e in found if e.paragraph >= 0}
        assert set(span.get("data-passages").split()) == wanted
        marked = {
            q.text_content()
            for p in wanted
            for q in doc.get_element_by_id(p).cssselect(".quoted")
            if span.get("id") in q.get("data-for").split()
        }
        paragraphs = articles[0].paragraphs
        passages = [paragraphs[e.paragraph][e.start : e.end] for e in found if e.start >= 0]
        # What is marked for the sentence is its evidence (or a part of it, where two overlap).
        assert marked and all(any(m in p for p in passages) for m in marked), span.text_content()
    # A draft whose report has no evidence (an old one) highlights nothing: nothing is guessed.
    bare = Draft(**{**draft.__dict__, "checks": draft.checks.__class__("mali", True, ())})
    bare_doc = lxml.html.fromstring(render_html(bare, articles))
    assert all(not s.get("data-passages") for s in bare_doc.cssselect(".sentence"))
