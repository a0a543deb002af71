"""Clustering in other languages than English: per-language words, languages mixed in a story.

Fixtures: tests/data/cluster_languages.json, short news items written for these tests in
German, French, Spanish and Russian (three or four reports of each event, worded
differently, with inflected forms); ``fr-bce`` and ``es-bce`` are one event in two languages.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from newsdesk.cluster import ClusterConfig, StoryClusterer, cluster_articles
from newsdesk.cluster.features import terms
from newsdesk.cluster.languages import guess_language, normalise_code
from newsdesk.model import Article

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "cluster_languages.json"


def fixture_rows() -> list[dict]:
    """The hand-written items, as the fixture file lists them."""
    return json.loads(FIXTURES.read_text(encoding="utf-8"))["articles"]


def article_from_row(row: dict, *, labels: bool = True, published: str | None = None) -> Article:
    """One fixture item as an Article; without labels its language is left to be guessed."""
    return Article(
        id=row["id"],
        url=None,
        title=row["title"],
        paragraphs=(row["text"],) if row["text"] else (),
        published=row["published"] if published is None else published,
        language=row["language"] if labels else None,
    )


def load(labels: bool = True, languages: tuple[str, ...] = ()) -> tuple[list[Article], dict]:
    articles, gold = [], {}
    for row in fixture_rows():
        if languages and row["language"] not in languages:
            continue
        articles.append(article_from_row(row, labels=labels))
        gold[row["id"]] = row["story"]
    return articles, gold


def partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for article_id, story_id in pairs:
        groups[story_id].add(article_id)
    return {frozenset(ids) for ids in groups.values()}


def gold_partition(gold: dict[str, str], mixed: bool = True) -> set[frozenset[str]]:
    """The fixture's stories; ``mixed`` (the default config): the ECB's rate rise in French
    and in Spanish is one story."""
    if mixed:
        gold = {a: "bce" if s in ("fr-bce", "es-bce") else s for a, s in gold.items()}
    return partition(list(gold.items()))


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("de", ["Mindestlohn", "Mindestlohns", "Mindestlöhne", "Mindestlohnes"]),
        ("de", ["Streik", "Streiks"]),
        ("fr", ["retraite", "retraites"]),
        ("fr", ["l'incendie", "incendies", "Incendie"]),
        ("es", ["terremoto", "terremotos"]),
        ("es", ["desalojar", "desalojados", "desalojo"]),
        ("ru", ["землетрясение", "землетрясения", "землетрясении"]),
        ("ru", ["Камчатка", "Камчатке", "Камчатки"]),
    ],
)
def test_inflected_forms_are_one_term(language, forms):
    stems = {terms(form, language=language)[0][0] for form in forms}
    assert len(stems) == 1, stems


def test_each_language_drops_its_own_function_words():
    assert [t for t, _ in terms("die Mindestlöhne und der Streik", language="de")] == [
        "mindestlohn",
        "streik",
    ]
    assert [t for t, _ in terms("la réforme des retraites", language="fr")] == [
        "réform",
        "retrait",
    ]
    # English keeps its own rules: the words stay English words.
    assert [t for t, _ in terms("the strikes and the protests")] == ["strike", "protest"]


def test_german_capitals_do_not_mark_names_but_acronyms_and_numbers_do():
    german = dict(terms("Die Regierung will mit der GDL über 35 Stunden reden", language="de"))
    assert german["regier"] is False  # every German noun is capitalised
    assert german["gdl"] is True and german["35"] is True
    english = dict(terms("The strike called by Weselsky goes on", language="en"))
    assert english["weselski"] is True  # in English a capital mid-sentence still marks a name


def test_chinese_is_read_as_character_pairs_and_clusters():
    def article(aid: str, title: str, text: str, hour: int) -> Article:
        return Article(
            id=aid,
            url=None,
            title=title,
            paragraphs=(text,),
            published=f"2026-03-12T{hour:02d}:00:00+00:00",
            language="zh",
        )

    quake = [
        article(
            "zh-1",
            "日本东京发生6.8级地震",
            "据日本气象厅消息，东京时间周二上午发生6.8级地震，震中位于东京湾附近。"
            "目前尚无人员伤亡报告，部分地铁线路暂停运营。",
            9,
        ),
        article(
            "zh-2",
            "东京湾附近发生强烈地震 地铁一度停运",
            "日本气象厅表示，东京湾附近周二发生6.8级地震，东京多条地铁线路一度停运。"
            "当局称暂无伤亡报告。",
            10,
        ),
    ]
    bank = article(
        "zh-3",
        "中国人民银行宣布下调存款准备金率",
        "中国人民银行周五宣布，下调金融机构存款准备金率0.5个百分点，"
        "释放长期资金约1万亿元，以支持实体经济发展。",
        11,
    )
    assert "地震" in {t for t, _ in terms(quake[0].title, language="zh")}
    stories = dict(cluster_articles([*quake, bank]))
    assert stories["zh-1"] == stories["zh-2"]
    assert stories["zh-3"] != stories["zh-1"]


@pytest.mark.parametrize("language", ["de", "fr", "es", "ru"])
def test_reports_of_one_event_form_one_story_and_events_stay_apart(language):
    articles, gold = load(languages=(language,))
    assert len(set(gold.values())) >= 3
    assert partition(cluster_articles(articles)) == gold_partition(gold)


def test_all_languages_in_one_stream_give_one_story_per_event():
    articles, gold = load()
    assert partition(cluster_articles(articles)) == gold_partition(gold)
    separate = ClusterConfig(separate_languages=True)
    assert partition(cluster_articles(articles, separate)) == gold_partition(gold, mixed=False)


def test_the_same_event_in_two_languages_is_one_story_by_default():
    articles, gold = load(languages=("fr", "es"))
    # The reports share names and figures: one story.
    mixed = dict(cluster_articles(articles))
    assert {mixed[a] for a, s in gold.items() if s in ("fr-bce", "es-bce")} == {mixed["fr-bce-1"]}
    stories = dict(cluster_articles(articles, ClusterConfig(separate_languages=True)))
    french = {stories[a] for a, s in gold.items() if s == "fr-bce"}
    spanish = {stories[a] for a, s in gold.items() if s == "es-bce"}
    assert len(french) == 1 and len(spanish) == 1
    assert french != spanish


def test_unlabelled_articles_are_guessed_and_cluster():
    articles, gold = load(labels=False)
    guessed = {a.id: guess_language(a.title, a.text) for a in articles}
    known = {aid: language for aid, language in guessed.items() if language is not None}
    # Nearly all are guessed, and right; the rest are of unknown language.
    assert len(known) >= len(articles) - 2
    assert all(language == gold[aid][:2] for aid, language in known.items())
    stories = partition(cluster_articles(articles))
    for event in gold_partition(gold):
        if all(guessed[aid] is not None for aid in event):
            assert event in stories


def test_an_article_of_unknown_language_may_join_a_story_of_any_language():
    articles, _ = load(languages=("de",))
    headline = next(a for a in articles if a.id == "de-mindestlohn-4")
    # A headline with no function words: too little to tell its language.
    assert guess_language(headline.title, "") is None
    stories = dict(cluster_articles(articles))
    # Its story is German, its words follow the stream's language (German): it joins.
    assert stories["de-mindestlohn-4"] == stories["de-mindestlohn-1"]
    clusterer = StoryClusterer()
    clusterer.add_many(articles[:5])
    assert clusterer.stream_language == "de"


def test_unknown_languages_without_guessing_still_cluster():
    articles, gold = load(labels=False, languages=("ru",))
    config = ClusterConfig(guess_languages=False)
    clusterer = StoryClusterer(config)
    assignments = clusterer.add_many(articles)
    assert clusterer.stream_language is None
    stories = partition([(a.article_id, clusterer.resolve(a.story_id)) for a in assignments])
    # Unstemmed Russian links fewer reports, but no story mixes two events.
    assert all(len({gold[aid] for aid in story}) == 1 for story in stories)
    assert any(len(story) >= 2 for story in stories)


def test_odd_language_labels_are_normalised_or_treated_as_unknown():
    assert normalise_code("de-DE") == "de"
    assert normalise_code("FR_ca") == "fr"
    assert normalise_code("no") == "nb"
    assert normalise_code("") is None
    assert normalise_code("???") is None
    articles, gold = load(languages=("es",))
    labels = ["es-ES", "???", "ES", "es_MX", "", "Spanish!", "es", "es"]
    relabelled = [replace(a, language=label) for a, label in zip(articles, labels, strict=True)]
    assert partition(cluster_articles(relabelled)) == gold_partition(gold)
    # A language with no stemmer, stop words or frequency table: plain words, no error.
    assert terms("Hanoi công bố kế hoạch", language="vi")


def test_state_saved_mid_stream_goes_on_as_an_uninterrupted_run():
    articles, _ = load()
    # Some unlabelled: their guessed languages and the stream's language must carry over too.
    articles = [replace(a, language=None) if i % 3 == 0 else a for i, a in enumerate(articles)]
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    whole = StoryClusterer()
    expected = [whole.add(a) for a in ordered]
    for cut in (len(ordered) // 3, len(ordered) // 2):
        first = StoryClusterer()
        got = [first.add(a) for a in ordered[:cut]]
        resumed = StoryClusterer.from_state(first.to_state())
        got += [resumed.add(a) for a in ordered[cut:]]
        assert got == expected
        assert {s.id for s in resumed.active_stories()} == {s.id for s in whole.active_stories()}
    # A German stream stopped before its last headline, whose language is unknown: the
    # resumed clusterer still reads it as German (the stream's language) and it joins.
    german, _ = load(languages=("de",))
    assert german[-1].id == "de-mindestlohn-4"
    first = StoryClusterer()
    first.add_many(german[:-1])
    resumed = StoryClusterer.from_state(first.to_state())
    assert resumed.stream_language == "de"
    assert resumed.add(german[-1]).story_id == resumed.story_of("de-mindestlohn-1")


def test_a_version_2_state_still_loads():
    articles, _ = load(languages=("de",))
    clusterer = StoryClusterer()
    clusterer.add_many(articles[:5])
    state = json.loads(zlib.decompress(clusterer.to_state()))
    # What version 2 wrote: no languages anywhere.
    state["version"] = 2
    for key in ("languages", "stream_language"):
        del state[key]
    for key in ("separate_languages", "guess_languages"):
        del state["config"][key]
    for story in state["stories"]:
        del story["language"]
    old = StoryClusterer.from_state(zlib.compress(json.dumps(state).encode("utf-8")))
    assert old.stream_language is None
    assert all(len(s.article_ids) for s in old.active_stories())
    rest = old.add_many(articles[5:])
    assert len(rest) == len(articles) - 5
    state["version"] = 1
    with pytest.raises(ValueError, match="version 1"):
        StoryClusterer.from_state(zlib.compress(json.dumps(state).encode("utf-8")))
