"""Earlier coverage in other languages than English: each article read by its language's
rules, and no background in another language than the story's unless asked for.

Fixtures: the hand-written items of tests/data/cluster_languages.json. Each event becomes a
story; two events are split in two, the later reports two days after the earlier ones:
the German minimum wage (``de-mindestlohn``: the Bundestag's vote, then the employers'
and the minister's reactions) and the ECB's rate rise, reported first in Spanish
(``es-bce``), later in French (``fr-bce``): the same subject in another language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.cluster.related import CoverageSettings
from newsdesk.model import Article, Story
from newsdesk.pipeline.coverage import EarlierCoverage, earlier_coverage
from newsdesk.store import Store
from newsdesk.text.dates import epoch_seconds, iso_from_epoch
from tests.cluster.test_languages import article_from_row, fixture_rows

LATER = {"de-mindestlohn-3", "de-mindestlohn-4", "fr-bce-1", "fr-bce-2"}
WAGE_BEFORE, WAGE_AFTER = "de-mindestlohn", "de-mindestlohn-later"
ECB_SPANISH, ECB_FRENCH = "es-bce", "fr-bce"
# The German reports share one name-like term (the figure 14,60): the gate asks for one.
GERMAN = CoverageSettings(min_shared_names=1)


def _store(path: Path, *, labels: bool = True) -> Store:
    """The fixtures as stories: one per event, the minimum wage in two, ECB's French later."""
    store = Store(path)
    articles, members = [], {}
    for row in fixture_rows():
        later = row["id"] in LATER
        published = epoch_seconds(row["published"]) + (2 * 86_400 if later else 0)
        story = row["story"] + ("-later" if later and row["story"] == WAGE_BEFORE else "")
        articles.append(article_from_row(row, labels=labels, published=iso_from_epoch(published)))
        members.setdefault(story, []).append(row["id"])
    store.add_articles(articles)
    for story_id, ids in members.items():
        store.save_story(Story(id=story_id, article_ids=tuple(ids)))
    return store


@pytest.fixture
def store(tmp_path: Path):
    opened = _store(tmp_path / "labelled.db")
    yield opened
    opened.close()


def _stories_of(found: list[Article]) -> set[str]:
    return {article.id.rsplit("-", 1)[0] for article in found}


def test_a_german_story_finds_its_earlier_german_coverage(store: Store) -> None:
    found = EarlierCoverage(store, GERMAN).find(WAGE_AFTER)
    assert found and _stories_of(found) == {WAGE_BEFORE}
    assert all(a.language == "de" for a in found)
    # The earlier story has nothing before it; unrelated German stories get nothing.
    assert EarlierCoverage(store, GERMAN).find(WAGE_BEFORE) == []
    assert EarlierCoverage(store, GERMAN).find("de-streik") == []


def test_german_rules_keep_function_words_from_linking_unrelated_stories(
    store: Store, tmp_path: Path
) -> None:
    # Scores of every earlier story, with no threshold and no name gate.
    everything = CoverageSettings(min_similarity=0.0, min_shared_names=0, limit=20)
    german = dict(
        (_stories_of([a]).pop(), score)
        for a, score in EarlierCoverage(store, everything).find_scored(WAGE_AFTER)
    )
    # Read as English (no label, no guess: the rules of no known language), "der", "die",
    # "und" are words like any other, and unrelated German stories look alike.
    unlabelled = _store(tmp_path / "unlabelled.db", labels=False)
    as_english = dict(
        (_stories_of([a]).pop(), score)
        for a, score in EarlierCoverage(
            unlabelled, CoverageSettings(min_similarity=0.0, min_shared_names=0, limit=20)
        ).find_scored(
            WAGE_AFTER,
            CoverageSettings(
                min_similarity=0.0, min_shared_names=0, limit=20, guess_languages=False
            ),
        )
    )
    unlabelled.close()
    unrelated = ("de-streik", "de-hochwasser")
    assert max(german.get(s, 0.0) for s in unrelated) < 0.05
    assert max(as_english.get(s, 0.0) for s in unrelated) > 0.1
    assert german[WAGE_BEFORE] > as_english[WAGE_BEFORE]
    # Unlabelled but guessed: the same as labelled (the guess says German).
    unlabelled = _store(tmp_path / "guessed.db", labels=False)
    guessed = EarlierCoverage(unlabelled, everything).find_scored(WAGE_AFTER)
    unlabelled.close()
    assert {a.id: round(s, 6) for a, s in guessed} == {
        a.id: round(s, 6) for a, s in EarlierCoverage(store, everything).find_scored(WAGE_AFTER)
    }


def test_background_in_another_language_only_when_configured(store: Store) -> None:
    # The Spanish reports of the same rate rise share names and figures with the French
    # story (BCE, Lagarde, 4,5 %, 2001), not its words: a low bar lets them compete.
    low = CoverageSettings(min_similarity=0.2)
    assert EarlierCoverage(store, low).find(ECB_FRENCH) == []
    assert earlier_coverage(store, ECB_FRENCH, min_similarity=0.2) == []
    mixed = EarlierCoverage(store, CoverageSettings(min_similarity=0.2, same_language=False))
    found = mixed.find(ECB_FRENCH)
    assert found and _stories_of(found) == {ECB_SPANISH}
    assert all(a.language == "es" for a in found)
    # No setting makes a German story's background French or Spanish at the default bar.
    assert all(a.language == "de" for a in EarlierCoverage(store, GERMAN).find(WAGE_AFTER))


def test_a_story_of_several_languages_takes_its_most_common_one(
    store: Store, tmp_path: Path
) -> None:
    # A mixed story (clustered with --mix-languages): a Spanish report, then two French.
    store.save_story(Story(id="mixed", article_ids=("es-bce-2", "fr-bce-1", "fr-bce-2")))
    store.save_story(Story(id=ECB_SPANISH, article_ids=("es-bce-1",)))
    store.save_story(Story(id=ECB_FRENCH, article_ids=()))
    settings = CoverageSettings(min_similarity=0.2)
    # French story: the earlier Spanish report is not offered; with languages allowed it is.
    assert EarlierCoverage(store, settings).find("mixed") == []
    allowed = CoverageSettings(min_similarity=0.2, same_language=False)
    assert [a.id for a in EarlierCoverage(store, allowed).find("mixed")] == ["es-bce-1"]


def test_articles_of_unknown_language_are_not_taken_for_foreign(tmp_path: Path) -> None:
    # No labels and no guessing: nothing is known to be another language, so the Spanish
    # reports compete for the French story (nothing shows they are foreign).
    unlabelled = _store(tmp_path / "unlabelled.db", labels=False)
    no_guess = CoverageSettings(min_similarity=0.2, guess_languages=False)
    found = EarlierCoverage(unlabelled, no_guess).find(ECB_FRENCH)
    assert _stories_of(found) == {ECB_SPANISH}
    # Guessed, they are Spanish, and left out again.
    assert EarlierCoverage(unlabelled, CoverageSettings(min_similarity=0.2)).find(ECB_FRENCH) == []
    unlabelled.close()
