"""Earlier coverage on real data: Multi-News clusters given dates, UCI headline stories.

All 116 Multi-News clusters go into the store as stories over five weeks (a window of
many stories, as a real store has: TF-IDF needs it to tell common words from rare). Two
clusters report the 2012 Mali coup (the coup itself, then its aftermath a
week on), two report O. J. Simpson's 2017 parole hearing (the day before, then the
hearing); the other clusters used are about unrelated things. UCI gives two GM recall
stories a day apart and a Chrysler recall story between them (same kind of news, another
company: not background for the GM story).
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.cluster.related import CoverageFinder, CoverageSettings
from newsdesk.model import Article, Story
from newsdesk.pipeline import RunOptions, run_pipeline
from newsdesk.pipeline.coverage import EarlierCoverage, StoryWindows, earlier_coverage
from newsdesk.store import Store
from newsdesk.text.dates import epoch_seconds
from tests.cluster.conftest import load_uci
from tests.conftest import BENCH, require_shared

CLUSTERS = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"
START = datetime(2026, 3, 2, 8, tzinfo=UTC)

MALI_COUP = "b098061a"  # soldiers storm the palace in Bamako
MALI_AFTER = "5021490f"  # a week on: shortages, sanctions, the junta
OJ_BEFORE = "e9aca7cf"  # the parole hearing will be broadcast tomorrow
OJ_HEARING = "60497232"  # the hearing is under way
UNRELATED = {
    "11612bf9": 1,  # a monument near Stonehenge
    "9be57ba6": 4,  # NASA's probe to the sun
    "8b4c90da": 5,  # an icy world beyond Pluto
    "d85214d7": 6,  # cigarette smoke and MRSA
    "e614f7f5": 7,  # the Mega Millions jackpot
    "1f080355": 8,  # Egypt's elections
}
# Cluster prefix -> days after START its first article appeared; the others get a day
# from a seeded draw in the same five weeks.
DAYS = {MALI_COUP: 12, MALI_AFTER: 19, OJ_BEFORE: 13, OJ_HEARING: 14, **UNRELATED}


def _clusters(only: set[str] | None = None) -> dict[str, tuple[dict, int]]:
    """Multi-News clusters by id prefix, each with its day."""
    path = require_shared(CLUSTERS)
    draw = random.Random(2026)
    out = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            prefix = cluster["id"][:8]
            day = DAYS.get(prefix, draw.randrange(0, 35))
            if only is None or prefix in only:
                out[prefix] = (cluster, day)
    assert set(DAYS) <= set(out) or only, "the Multi-News clusters this test names are missing"
    return out


def _articles(prefix: str, cluster: dict, day: int) -> list[Article]:
    """The cluster's documents (not the ones marked boilerplate) as dated articles."""
    out = []
    for k, doc in enumerate(cluster["documents"]):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc["text"]) if p.strip()]
        if doc.get("boilerplate") or not paragraphs:
            continue
        published = START + timedelta(days=day, hours=k)
        out.append(
            Article.create(
                url=f"https://news.example/{prefix}/{k}",
                title="",
                paragraphs=paragraphs,
                site_name=f"outlet {k}",
                published=published.isoformat(),
                language="en",
            )
        )
    return out


def _multinews_store(
    path: Path, only: set[str] | None = None
) -> tuple[Store, dict[str, list[Article]]]:
    store = Store(path)
    by_story: dict[str, list[Article]] = {}
    for prefix, (cluster, day) in _clusters(only).items():
        articles = _articles(prefix, cluster, day)
        if not articles:
            continue
        store.add_articles(articles)
        store.save_story(Story(id=prefix, article_ids=tuple(a.id for a in articles)))
        by_story[prefix] = articles
    return store, by_story


@pytest.fixture
def multinews(tmp_path: Path) -> tuple[Store, dict[str, list[Article]]]:
    store, by_story = _multinews_store(tmp_path / "newsdesk.db")
    yield store, by_story
    store.close()


def _story_of(by_story: dict[str, list[Article]], article: Article) -> str:
    return next(prefix for prefix, members in by_story.items() if article in members)


def test_the_earlier_story_on_the_same_subject_is_found(multinews) -> None:
    store, by_story = multinews
    found = earlier_coverage(store, MALI_AFTER)
    assert found, "the coup story, a week earlier, should be background for its aftermath"
    assert {_story_of(by_story, a) for a in found} == {MALI_COUP}
    found = earlier_coverage(store, OJ_HEARING)
    assert {_story_of(by_story, a) for a in found} == {OJ_BEFORE}


def test_nothing_later_nothing_own_nothing_unrelated(multinews) -> None:
    store, by_story = multinews
    for prefix in DAYS:
        story = store.get_story(prefix)
        assert story is not None
        start = epoch_seconds(story.first_seen)
        for article in earlier_coverage(store, story):
            assert article.id not in story.article_ids, f"{prefix}: its own article returned"
            assert epoch_seconds(article.published) < start, f"{prefix}: a later article returned"
            assert _story_of(by_story, article) in {MALI_COUP, OJ_BEFORE}, (
                f"{prefix}: background from unrelated story {_story_of(by_story, article)}"
            )
    # The first report of each subject has nothing before it about the same thing.
    assert earlier_coverage(store, MALI_COUP) == []
    assert earlier_coverage(store, OJ_BEFORE) == []
    for prefix in UNRELATED:
        assert earlier_coverage(store, prefix) == [], prefix


def test_window_and_limit(multinews) -> None:
    store, _ = multinews
    # The coup was reported seven days before its aftermath: out of a five-day window.
    assert earlier_coverage(store, MALI_AFTER, max_age_days=5) == []
    assert len(earlier_coverage(store, MALI_AFTER, limit=1)) == 1
    several = CoverageSettings(per_story=3, limit=2)
    assert len(EarlierCoverage(store).find(MALI_AFTER, several)) == 2
    assert earlier_coverage(store, "no-such-story") == []


def test_uci_gm_recall_stories(tmp_path: Path) -> None:
    articles, gold = load_uci()
    store = Store(tmp_path / "uci.db")
    store.add_articles(articles)
    members: dict[str, list[str]] = {}
    for article in articles:
        members.setdefault(gold[article.id], []).append(article.id)
    for story_id, ids in members.items():
        store.save_story(Story(id=story_id, article_ids=tuple(ids)))
    criminal_probe = next(s for s in members if s.startswith("d9U18-Fb"))  # GM, 12 March
    internal_probe = next(s for s in members if s.startswith("d6oHu5Pf"))  # GM, 11 March
    chrysler = next(s for s in members if s.startswith("dbq9DXWM"))  # Chrysler recall, 11 March
    found = {gold[a.id] for a in earlier_coverage(store, criminal_probe)}
    assert found == {internal_probe}
    assert chrysler not in found
    assert earlier_coverage(store, internal_probe) == []  # the later GM story is never returned
    store.close()


def _background_citations(draft) -> set[str]:
    return {c for paragraph in draft.background for s in paragraph for c in s.citations}


def test_pipeline_draft_cites_earlier_coverage(tmp_path: Path) -> None:
    # A small store (fewer drafts to write keeps the test quick): the two Mali stories and
    # the unrelated ones.
    store, by_story = _multinews_store(
        tmp_path / "newsdesk.db", {MALI_AFTER, MALI_COUP, *UNRELATED}
    )
    site = tmp_path / "site"
    run_pipeline(store, RunOptions(sources=(), out_dir=site))

    after = store.get_draft(MALI_AFTER)
    assert after is not None
    coup_ids = {a.id for a in by_story[MALI_COUP]}
    cited = _background_citations(after.draft)
    assert after.draft.background, "earlier coverage exists: the draft needs a background"
    assert cited and cited <= coup_ids
    assert cited <= {s.id for s in after.draft.sources}
    # The verifier checked the background against the earlier articles it cites.
    problems = after.draft.checks.problems if after.draft.checks else ()
    background_text = {s.text for p in after.draft.background for s in p}
    assert not [p for p in problems if p.text in background_text], problems

    for prefix in (MALI_COUP, *UNRELATED):  # nothing earlier about them: no background
        stored = store.get_draft(prefix)
        assert stored is not None
        assert stored.draft.background == ()

    # Published, its page lists the earlier article and shows its text beside the story.
    assert after.status == "published", problems
    page = (site / "stories" / f"{MALI_AFTER}.html").read_text(encoding="utf-8")
    earlier = next(a for a in by_story[MALI_COUP] if a.id in cited)
    assert earlier.url in page
    assert earlier.paragraphs[0][:40] in page
    store.close()


def test_windows_cut_from_stories_read_once_are_the_stores(multinews) -> None:
    """A run reads every story once and cuts each story's window of earlier ones from
    them: the same stories, in the same order, as the store's query for that window."""
    store, _ = multinews
    stories = store.list_stories(limit=None)
    windows = StoryWindows(stories)
    coverage = EarlierCoverage(store)
    draw = random.Random(7)
    checked = 0
    for story in stories:
        coverage._give(CoverageFinder.own_ids(story, coverage.settings))  # its own articles
        window = coverage.finder.window(story)  # the span before it that find() searches
        assert window is not None
        since, until = window
        for limit in (300, 5, 1):
            expected = [s.id for s in store.list_stories(limit=limit, since=since, until=until)]
            assert [s.id for s in windows.between(since, until, limit)] == expected
            checked += 1
        # and windows of other spans, some with no story in them
        start = START + timedelta(days=draw.uniform(-5, 40))
        end = start + timedelta(days=draw.uniform(0, 6))
        expected = [s.id for s in store.list_stories(limit=50, since=start, until=end)]
        assert [s.id for s in windows.between(start.isoformat(), end.isoformat(), 50)] == (expected)
    assert checked >= 3 * 100


def test_earlier_coverage_from_stories_read_once_finds_the_same(multinews) -> None:
    store, _ = multinews
    stories = store.list_stories(limit=None)
    from_store = EarlierCoverage(store)
    from_memory = EarlierCoverage(store, stories=stories)
    found = 0
    for story in stories:
        expected = from_store.find_scored(story)
        assert from_memory.find_scored(story) == expected, story.id
        found += bool(expected)
    assert found >= 2  # the Mali aftermath and the O. J. hearing at least


def test_terms_the_clusterer_read_serve_the_finder_as_its_own(multinews) -> None:
    """The write stage takes each article's terms from the clusterer's reading of it
    (``doc_of``), not reading it again: the same terms, so the same earlier coverage."""
    from newsdesk.cluster import ClusterConfig
    from newsdesk.cluster.features import terms
    from newsdesk.cluster.related import _doc, doc_of
    from newsdesk.cluster.stream import prepare

    store, by_story = multinews
    config, settings = ClusterConfig(), CoverageSettings()
    assert settings.lead_words == config.lead_words  # else the clusterer's terms are not taken
    headline = "Rebels seize the airport in Mali's north"
    odd = [
        Article.create(url="https://x.example/1", title=headline, paragraphs=[], language="en"),
        Article.create(  # the text opens with the title: the clusterer reads it as the text
            url="https://x.example/2",
            title=headline,
            paragraphs=[headline, "Soldiers left the base on Sunday.", "More followed."],
            language="en",
        ),
    ]
    read = {}
    for article in [*(a for members in by_story.values() for a in members), *odd]:
        prepared = prepare(article, config)
        assert prepared.terms is not None and prepared.language == "en"
        doc = doc_of(article, prepared.terms, prepared.language)
        assert doc == _doc(article, settings.lead_words, "en")
        # what a plain reading of the title and the first words of the text gives
        title = terms(article.title, None, "en")
        text = " ".join(article.paragraphs)
        lead = terms(text, settings.lead_words, "en") if article.paragraphs else []
        assert doc.terms == tuple([t for t, _ in title] * 2 + [t for t, _ in lead]), article.url
        assert set(doc.names) <= {t for t, named in [*title, *lead] if named}
        read[article.id] = (prepared.language, config.lead_words, doc)
    given, plain = EarlierCoverage(store, read=read), EarlierCoverage(store)
    found = 0
    for story in store.list_stories(limit=None):
        expected = plain.find_scored(story)
        assert given.find_scored(story) == expected
        found += bool(expected)
    assert found >= 2
    # terms read with another lead length are not taken for this finder's
    other = {i: (language, 120, doc) for i, (language, _, doc) in read.items()}
    finder = EarlierCoverage(store, read=other).finder
    finder.add(odd, other)
    assert all(not entry.docs for entry in finder._entries([a.id for a in odd]))
