"""The seed pair: the old system's rewrite fails verification, a faithful draft passes."""

from __future__ import annotations

from dataclasses import replace

from newsdesk.model import Article, Draft, Sentence
from newsdesk.text.sentences import split_sentences
from newsdesk.verify import check_text, verify_draft


def _problems(report, kind: str, needle: str) -> list[str]:
    return [p.why for p in report.problems if p.kind == kind and needle in p.text + p.why]


def test_seed_rewrite_unsupported_facts_are_flagged(seed_article: Article, seed_rewrite: str):
    report = check_text(seed_rewrite, [seed_article])
    assert not report.passed
    # the 2022 French exit: a year and a nationality no source gives
    assert _problems(report, "date", "2022")
    assert _problems(report, "name", "French")
    # places the source never mentions
    assert _problems(report, "name", "Sikasso")
    assert _problems(report, "name", "Central African Republic")
    # the coup and the junta: a sentence the source does not support
    coup = [p for p in report.problems if p.kind == "unsupported" and "junta" in p.text]
    assert coup and any("coup" in p.why or "junta" in p.why for p in coup)


def test_seed_rewrite_repetitions_are_flagged(seed_article: Article, seed_rewrite: str):
    report = check_text(seed_rewrite, [seed_article])
    repeats = [p for p in report.problems if p.kind == "repetition"]
    headline = "Wagner Group Announces Withdrawal from Mali After Completing Its Mission"
    assert any(p.text == headline and "headline" in p.why for p in repeats)
    paragraphs = [p for p in repeats if p.why.startswith("paragraph")]
    # four body paragraphs and the "In summary" paragraph are printed twice
    assert len(paragraphs) == 5
    assert any(
        p.text.startswith("Mali has faced an ongoing Islamist insurgency") for p in paragraphs
    )
    assert any(p.text.startswith("In summary") for p in paragraphs)


def test_seed_rewrite_headline_given_separately(seed_article: Article, seed_rewrite: str):
    lines = [line for line in seed_rewrite.splitlines() if line.strip()]
    headline = lines[1]
    body = "\n".join(line for line in lines if line != headline)
    report = check_text(body + "\n" + headline, [seed_article], headline=headline)
    assert any(p.kind == "repetition" and "headline" in p.why for p in report.problems)


def test_draft_of_the_seed_pages_own_sentences_passes(seed_article: Article):
    cited = (seed_article.id,)
    paragraphs = [
        tuple(Sentence(s, cited) for s in split_sentences(p)) for p in seed_article.paragraphs
    ]
    draft = Draft(
        story_id="seed",
        headline=seed_article.title,
        standfirst=(),
        lead=paragraphs[0],
        body=tuple(paragraphs[1:]),
        summary=(),
    )
    report = verify_draft(draft, [seed_article])
    assert report.passed, report.problems
    assert report.story_id == "seed"


def test_seed_draft_with_one_changed_fact_fails(seed_article: Article):
    cited = (seed_article.id,)
    text = (
        "The paramilitary group claims that in four years it had eliminated "
        "“four terrorist ringleaders, thousands of militants and 11 of their strongholds.”"
    )
    draft = Draft(
        story_id="seed",
        headline=seed_article.title,
        standfirst=(),
        lead=(Sentence(text, cited),),
        body=(),
        summary=(),
    )
    report = verify_draft(draft, [seed_article])
    assert [p.kind for p in report.problems] == ["number"]
    assert "3.5" in report.problems[0].why


def test_copied_sentences_pass_without_reading_the_sources_facts(seed_article: Article):
    """A sentence the cited article writes word for word needs no fact check against it:
    the article's dates, numbers and names are found only for a sentence that changes
    something, and then that sentence is checked as any other."""
    from newsdesk.verify.sources import index_article

    cited = (seed_article.id,)
    copied = tuple(Sentence(s, cited) for s in split_sentences(seed_article.paragraphs[1]))
    index = index_article(seed_article)
    index.__dict__.pop("facts", None)  # cached from an earlier test: start afresh
    draft = Draft("seed", seed_article.title, (), copied, (), ())
    report = verify_draft(draft, [seed_article])
    assert report.passed, report.problems
    assert all(report.evidence), "copied sentences still carry their source passages"
    assert "facts" not in index.__dict__
    changed = Sentence(copied[0].text.replace("Wagner", "The Kremlin", 1), cited)
    report = verify_draft(replace(draft, lead=(changed, *copied[1:])), [seed_article])
    assert "facts" in index.__dict__
    assert any(p.kind == "name" and "Kremlin" in p.why for p in report.problems), report.problems
