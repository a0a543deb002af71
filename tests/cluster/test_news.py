"""Clustering news as it comes: times that fit news, one event across languages, coherence.

The stream around the hand-written items below is the multilingual fixture of
tests/data/cluster_languages.json (German, French, Spanish and Russian events of March 2026);
the month replay uses the Multi-News pool from ../shared, each gold story given a day.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.cluster import ClusterConfig, StoryClusterer, cluster_articles
from newsdesk.cluster.news_time import article_time, url_date
from newsdesk.model import Article
from newsdesk.pipeline.clustering import cluster_into_store
from newsdesk.store import open_store
from newsdesk.text.dates import epoch_seconds
from tests.cluster.conftest import printed_objects, write_jsonl
from tests.cluster.test_languages import load, partition


def _article(aid: str, title: str, text: str, **kwargs) -> Article:
    return Article(id=aid, url=kwargs.pop("url", None), title=title, paragraphs=(text,), **kwargs)


# One event (a cargo ship aground off Klaipėda) reported in English, Russian and German.
SHIP = [
    _article(
        "ship-en",
        "Cargo ship Marisol Dawn runs aground off Klaipeda, 18 crew taken off",
        "The cargo ship Marisol Dawn ran aground on Saturday two kilometres off the "
        "Lithuanian port of Klaipeda, and the navy took all 18 crew members off the vessel. "
        "Captain Andrius Petrauskas told the port authority that the ship lost engine power "
        "in a storm. The Marisol Dawn carries 240 tonnes of fuel; no leak has been seen, "
        "said Vytautas Grubliauskas, head of the Klaipeda port authority.",
        language="en",
        published="2026-03-14T09:00:00+00:00",
    ),
    _article(
        "ship-ru",
        "У Клайпеды сел на мель сухогруз Marisol Dawn, 18 моряков эвакуированы",
        "Сухогруз Marisol Dawn в субботу сел на мель в двух километрах от порта Клайпеда. "
        "Военные моряки Литвы сняли с судна всех 18 членов экипажа. Капитан Андрюс "
        "Петраускас сообщил, что судно потеряло ход во время шторма. На борту 240 тонн "
        "топлива, утечки нет, заявил глава администрации порта Клайпеда Витаутас "
        "Грублиаускас.",
        language="ru",
        published="2026-03-14T11:30:00+03:00",
    ),
    _article(
        "ship-de",
        "Frachter Marisol Dawn vor Klaipėda auf Grund gelaufen",
        "Der Frachter Marisol Dawn ist am Samstag zwei Kilometer vor dem litauischen Hafen "
        "Klaipėda auf Grund gelaufen. Die Marine holte alle 18 Besatzungsmitglieder von "
        "Bord. Kapitän Andrius Petrauskas sagte, das Schiff habe im Sturm den Antrieb "
        "verloren. An Bord sind 240 Tonnen Treibstoff; ausgelaufen ist nach Angaben von "
        "Hafenchef Vytautas Grubliauskas nichts.",
        language="de",
        published="2026-03-14T12:10:00+01:00",
    ),
]

# A story on NASA's lunar lander program, and an unrelated NASA article on Europa's water.
LANDER = [
    _article(
        "lander-1",
        "NASA adds five companies to commercial lunar lander program",
        "NASA on Monday added five companies to its Commercial Lunar Payload Services "
        "program, which buys rides to the Moon for science instruments. Blue Origin, Ceres "
        "Robotics, Sierra Nevada Corporation, SpaceX and Tyvak Nano-Satellite Systems may now "
        "bid on lunar delivery contracts, said Thomas Zurbuchen, head of NASA's science "
        "directorate. Landers could carry instruments to study water ice near the lunar "
        "south pole ahead of the Artemis crewed landing.",
        language="en",
        published="2026-03-16T15:00:00+00:00",
    ),
    _article(
        "lander-2",
        "SpaceX and Blue Origin among new bidders for NASA Moon deliveries",
        "Blue Origin and SpaceX joined the pool of companies that can bid to fly payloads to "
        "the Moon under NASA's Commercial Lunar Payload Services contracts, bringing the "
        "pool to 14 companies. Thomas Zurbuchen said the larger landers of Sierra Nevada "
        "Corporation and Ceres Robotics would let NASA send heavier instruments to the lunar "
        "surface, including rovers to look for water ice.",
        language="en",
        published="2026-03-16T18:20:00+00:00",
    ),
]
EUROPA = _article(
    "europa",
    "Water vapour plumes confirmed on Jupiter's moon Europa",
    "Astronomers using the Keck Observatory in Hawaii have found water vapour above the "
    "surface of Europa, the icy moon of Jupiter, confirming plumes first glimpsed by the "
    "Hubble Space Telescope. Lucas Paganini of NASA's Goddard Space Flight Center said the "
    "team measured about 2,360 kilograms of water a second escaping from the moon's ocean "
    "beneath its ice shell. The Europa Clipper mission will fly through such plumes.",
    language="en",
    published="2026-03-17T10:00:00+00:00",
)


def _stream(*extra: Article) -> list[Article]:
    articles, _ = load()
    return [*articles, *extra]


def test_one_event_in_english_russian_and_german_is_one_story():
    stories = dict(cluster_articles(_stream(*SHIP)))
    assert stories["ship-en"] == stories["ship-ru"] == stories["ship-de"]
    # ... and nothing else of the stream joins it.
    ship = stories["ship-en"]
    assert {a for a, s in stories.items() if s == ship} == {"ship-en", "ship-ru", "ship-de"}
    # With languages kept apart (the option), each language is a story of its own.
    apart = dict(cluster_articles(_stream(*SHIP), ClusterConfig(separate_languages=True)))
    assert len({apart["ship-en"], apart["ship-ru"], apart["ship-de"]}) == 3


def test_names_are_compared_across_scripts():
    from newsdesk.cluster.features import name_key

    assert name_key("Wagner") == name_key("Вагнер") == name_key("Вагнера")
    assert name_key("Klaipėda") == name_key("Клайпеда") == name_key("Klaipeda")
    assert name_key("Selenskyj") == name_key("Зеленский") == name_key("Zelensky")
    assert name_key("Wagner") != name_key("Europa")


def test_places_have_one_key_in_every_language():
    """Countries and cities named in each language's own way (CLDR's names), in their
    case forms too: transliteration alone gave Russia ~rusia and Россия ~rosia."""
    from newsdesk.cluster.features import name_key

    russia = {name_key(w) for w in ("Russia", "Россия", "России", "Russland", "Rosja", "Russie")}
    moscow = {name_key(w) for w in ("Moscow", "Москва", "Москве", "Moskau", "Moscou")}
    germany = {name_key(w) for w in ("Germany", "Германии", "Deutschland", "Allemagne")}
    kyiv = {name_key(w) for w in ("Kyiv", "Киев", "Києві", "Kiew")}
    assert all(len(keys) == 1 for keys in (russia, moscow, germany, kyiv))
    assert len(russia | moscow | germany | kyiv) == 4
    assert name_key("Ukraine") == name_key("Украины") != name_key("Russia")
    # People keep their spelling keys.
    assert name_key("Putin") == name_key("Путина") != name_key("Paris")


# A gas deal reported in English and Russian: the places are its shared names, each
# language naming them its own way.
GAS = [
    _article(
        "gas-en",
        "Russia and Germany sign Baltic gas deal in Moscow",
        "Russia and Germany signed a deal in Moscow on Tuesday to ship 55 billion cubic "
        "metres of gas a year through a new Baltic pipeline to Greifswald. Officials said "
        "the first deliveries would reach Germany next winter.",
        language="en",
        published="2026-03-17T09:00:00+00:00",
    ),
    _article(
        "gas-ru",
        "Россия и Германия подписали газовое соглашение в Москве",
        "Россия и Германия во вторник подписали в Москве соглашение о поставках 55 "
        "миллиардов кубометров газа в год по новому балтийскому газопроводу в Грайфсвальд. "
        "Первые поставки в Германию ожидаются следующей зимой.",
        language="ru",
        published="2026-03-17T11:30:00+00:00",
    ),
]


def test_one_event_named_by_its_places_in_two_languages_is_one_story():
    stories = dict(cluster_articles(_stream(*GAS)))
    assert stories["gas-en"] == stories["gas-ru"]
    assert {a for a, s in stories.items() if s == stories["gas-en"]} == {"gas-en", "gas-ru"}


def test_undated_and_dated_articles_of_one_event_join():
    undated = [replace(SHIP[0], published=None), replace(LANDER[1], published=None)]
    articles = _stream(undated[0], *SHIP[1:], LANDER[0], undated[1])
    for order in (articles, list(reversed(articles))):
        stories = dict(cluster_articles(order))
        assert stories["ship-en"] == stories["ship-ru"] == stories["ship-de"]
        assert stories["lander-1"] == stories["lander-2"]
    # An undated story keeps no time; one with a dated article takes that article's time.
    clusterer = StoryClusterer()
    clusterer.add(undated[1])
    (alone,) = clusterer.active_stories()
    assert alone.first_seen is None and alone.last_seen is None
    clusterer.add(LANDER[0])
    (story,) = clusterer.active_stories()
    assert story.first_seen == story.last_seen == "2026-03-16T15:00:00+00:00"


def test_an_unrelated_article_with_a_generic_overlap_does_not_join():
    stories = dict(cluster_articles(_stream(*LANDER, EUROPA)))
    assert stories["lander-1"] == stories["lander-2"]
    assert stories["europa"] != stories["lander-1"]


def test_the_headline_comes_from_the_most_central_article():
    furniture = _article(
        "furniture",
        "The Water Coolest is the preferred bathroom stall reading material",
        "NASA added five companies to its Commercial Lunar Payload Services program on "
        "Monday: Blue Origin, Ceres Robotics, Sierra Nevada Corporation, SpaceX and Tyvak. "
        "Subscribe to The Water Coolest, the newsletter for your morning coffee.",
        published="2026-03-16T14:00:00+00:00",
    )
    clusterer = StoryClusterer()
    clusterer.add_many([furniture, *LANDER])
    (story,) = clusterer.active_stories()
    assert set(story.article_ids) == {"furniture", "lander-1", "lander-2"}
    assert story.id == StoryClusterer().add(furniture).story_id  # the id stays the first's
    assert story.headline in {a.title for a in LANDER}


def test_news_time_comes_from_the_best_evidence():
    now = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    base = _article("t", "A title", "Some text.")
    assert article_time(base, now=now).seconds is None  # no time: never an epoch
    dated = replace(base, published="2019-03-14T10:00:00Z")
    assert article_time(dated, now=now).source == "published"
    in_url = replace(base, url="https://example.org/world/2004/nov/14/story.html")
    assert article_time(in_url, now=now).seconds == url_date(in_url.url)
    assert article_time(in_url, now=now).source == "url"
    assert article_time(base, evidence="2021-05-01", now=now).source == "evidence"
    archived = "https://web.archive.org/web/20160310103320/http://example.org/a/2004/11/16/x"
    assert url_date(archived) == datetime(2004, 11, 16, tzinfo=UTC).timestamp()


def test_bad_times_are_reported_and_the_articles_clustered_on_content():
    future = replace(SHIP[0], published="2099-01-01T00:00:00Z")
    epoch = replace(SHIP[1], published="1970-01-01T00:00:00Z")
    untitled = replace(LANDER[1], title="")
    clusterer = StoryClusterer()
    out = {a.article_id: a for a in clusterer.add_many([LANDER[0], future, epoch, SHIP[2]])}
    out[untitled.id] = clusterer.add(untitled)
    assert "in the future" in (out["ship-en"].time_problem or "")
    assert "before 1990" in (out["ship-ru"].time_problem or "")
    assert out["lander-1"].time_problem is None and out["ship-de"].time_problem is None
    # Nothing lost: each one clustered, on content, with its event.
    assert out["ship-en"].story_id == out["ship-ru"].story_id == out["ship-de"].story_id
    assert clusterer.resolve(out["lander-2"].story_id) == clusterer.resolve(
        out["lander-1"].story_id
    )
    ship = clusterer.get_story(out["ship-en"].story_id)
    assert ship is not None and ship.first_seen is not None  # the good time only:
    assert epoch_seconds(ship.first_seen) == epoch_seconds(SHIP[2].published)
    assert ship.headline in {a.title for a in SHIP}


def test_the_cluster_command_reports_bad_times_and_loses_nothing(tmp_path):
    rows = [
        {**_row(SHIP[0]), "published": "2099-01-01T00:00:00Z"},
        {**_row(SHIP[1]), "published": "1970-01-01T00:00:00Z"},
        {**_row(SHIP[2]), "published": "next Tuesday or so"},
        _row(LANDER[0]),
        {**_row(LANDER[1]), "title": ""},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    result = CliRunner().invoke(app, ["cluster", str(source), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.output
    assert "in.jsonl:1: note: published time 2099-01-01" in result.stderr
    assert "in the future: clustered on content alone" in result.stderr
    assert "in.jsonl:2: note:" in result.stderr and "before 1990" in result.stderr
    assert "in.jsonl:3: note: unreadable date 'next Tuesday or so'" in result.stderr
    stories = {p["article_id"]: p["story_id"] for p in printed_objects(result.stdout)}
    assert set(stories) == {r["id"] for r in rows}
    assert stories["ship-en"] == stories["ship-ru"] == stories["ship-de"]
    assert stories["lander-1"] == stories["lander-2"] != stories["ship-en"]


def _row(article: Article) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "published": article.published_iso,
    }


def _month(rows: list[dict]) -> list[Article]:
    """The Multi-News pool as a month of dated pages: each gold story on a day of March
    2019, its articles within two days of it (a CC-NEWS month in miniature)."""
    rng = random.Random(7)
    start = datetime(2019, 3, 1, tzinfo=UTC)
    day: dict[str, datetime] = {}
    out = []
    for row in rows:
        first = day.setdefault(row["cluster"], start + timedelta(days=rng.uniform(0, 30)))
        when = first + timedelta(hours=rng.uniform(0, 48))
        out.append(
            Article.from_dict(
                {"id": row["id"], "title": "", "text": row["text"], "published": when.isoformat()}
            )
        )
    return out


def test_a_shuffled_month_gives_the_stories_of_the_live_stream(multinews_rows, tmp_path):
    month = _month(multinews_rows)
    ordered = sorted(month, key=lambda a: epoch_seconds(a.published) or 0.0)
    shuffled = list(month)
    random.Random(13).shuffle(shuffled)
    archive = dict(cluster_articles(shuffled))
    assert archive == dict(cluster_articles(ordered))  # the same ids too
    # Live: a day's pages at a time into a store, the clusterer saved and loaded between.
    with open_store(str(tmp_path / "live.db")) as store:
        for day in range(33):
            start = datetime(2019, 3, 1, tzinfo=UTC) + timedelta(days=day)
            end = start + timedelta(days=1)
            batch = [a for a in ordered if a.published and start <= a.published < end]
            cluster_into_store(store, batch)
        live = {a.id: store.resolve_story_id(store.story_for_article(a.id)) for a in month}
    assert live == archive
    assert len(partition(list(archive.items()))) < len(month)  # stories, not singletons


def test_a_story_page_shows_the_news_times_not_the_write_time():
    from newsdesk.model import Draft, Sentence
    from newsdesk.publish.pages import render_html

    lead = (Sentence(SHIP[0].paragraphs[0].split(". ")[0] + ".", ("ship-en", "ship-de")),)
    draft = Draft(
        story_id="s",
        headline=SHIP[0].title,
        standfirst=(),
        lead=lead,
        body=(),
        summary=(),
        written_at="2026-12-06T05:00:00+00:00",
    )
    page = render_html(draft, [SHIP[0], SHIP[2]])
    assert "2026-03-14 09:00" in page and "2026-03-14 11:10" in page  # first and last
    assert "2026-12-06" not in page


def test_a_run_notes_a_page_dated_in_the_future_and_keeps_it(tmp_path):
    from newsdesk.pipeline import RunOptions, run_pipeline

    pages = tmp_path / "pages"
    pages.mkdir()
    for article, published in ((SHIP[0], "2099-05-01T10:00:00Z"), (SHIP[2], None)):
        meta = (
            f'<meta property="article:published_time" content="{published}">' if published else ""
        )
        paragraphs = "".join(f"<p>{s}.</p>" for s in article.text.split(". "))
        (pages / f"{article.id}.html").write_text(
            f"<html lang={article.language}><head><title>{article.title}</title>{meta}</head>"
            f"<body><article><h1>{article.title}</h1>{paragraphs}</article></body></html>",
            encoding="utf-8",
        )
    with open_store(str(tmp_path / "n.db")) as store:
        summary = run_pipeline(store, RunOptions(sources=(str(pages),), out_dir=None))
        assert summary.articles_new == 2 and summary.stories_new == 1
    assert any("ship-en.html" in n and "in the future" in n for n in summary.notes), summary.notes
