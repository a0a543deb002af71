"""The same tricky sentences and dates through every stage's path give the same answer.

A page is read by the HTML reader and by the flattened-text reader; its article then goes
through clustering, the extractive writer, the verifier, the store and the publish view.
Every stage must split "option b. The" in two and keep "U.S. officials" whole, and read the
page's date ("12 марта 2019", "7 juin 2025", "2025-06-07T14:01", "3 hours ago" against the
fetch time) as the same moment.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.cluster.stream import StoryClusterer, story_headline
from newsdesk.extract import extract
from newsdesk.model import Article
from newsdesk.publish.view import build_story_view
from newsdesk.store import Store
from newsdesk.text.dates import as_utc
from newsdesk.verify import verify_draft
from newsdesk.verify.sources import index_article
from newsdesk.write import write_extractive
from newsdesk.write.sentences import article_sentences

FETCHED = datetime(2025, 6, 7, 17, 1, tzinfo=UTC)
TITLE = "Board settles the harbour dispute after a long night of talks"
TRICKY = [
    "The committee said he picked option b. The rest of the board followed him on Tuesday.",
    "U.S. officials confirmed the agreement in Geneva late on Monday night.",
]
SENTENCES = [
    "The committee said he picked option b.",
    "The rest of the board followed him on Tuesday.",
    "U.S. officials confirmed the agreement in Geneva late on Monday night.",
]
PROSE = [
    "The harbour authority and the shipping companies had argued over berth fees for two "
    "years before the board met again this week to settle the matter for good.",
    "Negotiators worked through the night, and by the morning both sides had signed a text "
    "that sets new fees for the coming five years and creates a joint review panel.",
    "Dock workers, who had threatened to strike over the summer, welcomed the deal and said "
    "they expected the first ships to use the new berths before the end of the month.",
]
# As the page writes its date -> the ISO 8601 text every stage must agree on.
DATES = [
    ("12 марта 2019", "2019-03-12"),
    ("7 juin 2025", "2025-06-07"),
    ("2025-06-07T14:01", "2025-06-07T14:01:00"),
    ("3 hours ago", "2025-06-07T14:01:00+00:00"),
]


def _html(written: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in [*TRICKY, *PROSE])
    return (
        "<html lang='en'><head><title>" + TITLE + "</title></head><body><main><article>"
        f"<h1>{TITLE}</h1><time itemprop='datePublished'>{written}</time>"
        f"{paragraphs}</article></main></body></html>"
    )


def _text(written: str) -> str:
    return "\n\n".join(["Home", "News", TITLE, written, *TRICKY, *PROSE, "Share this"])


@pytest.fixture(params=["html", "text"])
def reader(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.parametrize(("written", "expected"), DATES, ids=[d for d, _ in DATES])
def test_every_stage_reads_the_same_sentences_and_date(
    reader: str, written: str, expected: str, tmp_path
) -> None:
    page = _html(written) if reader == "html" else _text(written)
    url = "https://example.org/news/harbour-deal"
    article = extract(page, url=url, input_format=reader, fetched_at=FETCHED)  # type: ignore[arg-type]

    # extract: the date read once, typed; the paragraphs as written.
    assert article.published_iso == expected, (reader, written)
    assert article.to_dict()["published"] == expected
    assert all(paragraph in article.paragraphs for paragraph in TRICKY)
    moment = as_utc(expected)

    # write: its source sentences, and the draft built from them.
    written_sentences = [s.text for s in article_sentences(article.paragraphs, 0)]
    assert written_sentences[:3] == SENTENCES
    draft = write_extractive([article], "story-1", max_words=400)
    drafted = [s.text for s in draft.sentences()]
    assert set(SENTENCES) & set(drafted)
    assert not any("option b. The" in text for text in drafted)

    # verify: the same sentences in its index of the source, the same date among its facts,
    # and the draft's sentences found there.
    index = index_article(article)
    assert index.sentences[1:4] == SENTENCES  # after the title
    day = datetime.fromisoformat(expected).date()
    assert ("date", day.year, day.month, day.day) in index.facts.date_facts
    assert verify_draft(draft, [article]).passed

    # cluster: the story starts at the article's moment.
    clusterer = StoryClusterer()
    clusterer.add_many([article])
    (story,) = clusterer.active_stories()
    assert as_utc(story.first_seen) == moment

    # store: the article comes back with the same date, date-only kept.
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    store.add_article(article)
    again = store.get_article(article.id)
    assert again is not None and again.published == article.published
    assert again.published_iso == expected

    # publish: the source's date shown as the page gave it.
    view = build_story_view(draft, [article])
    assert [s.published for s in view.sources] == [expected]


def test_a_copied_article_reads_its_date_in_any_form_the_same() -> None:
    """An article handed over as JSON (``newsdesk extract`` output) keeps the same moment."""
    for written, expected in DATES[:3]:
        copied = Article.from_dict(
            {"title": TITLE, "text": "\n\n".join(TRICKY), "published": written}
        )
        assert copied.published_iso == expected


def test_an_untitled_story_is_named_after_its_whole_first_sentence() -> None:
    article = Article.create(url=None, title="", paragraphs=[f"{SENTENCES[2]} Talks went on."])
    assert story_headline(article) == SENTENCES[2]
