"""The extractive writer on real data: Multi-News clusters, the seed page, Russian and
Japanese articles, headline cleaning, and `newsdesk write` on good and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import extract
from newsdesk.cli import app
from newsdesk.errors import InputError
from newsdesk.model import Article, Draft
from newsdesk.text.sentences import split_sentences
from newsdesk.write import WriterUnavailable, write_extractive, write_story
from newsdesk.write.headline import (
    choose_headline,
    clean_headline,
    headline_from_sentence,
    is_usable_headline,
    reads_as_headline,
    repeats_sentence,
)
from newsdesk.write.sentences import (
    article_sentences,
    is_reporting_sentence,
    strip_dateline,
    whole_quotations,
)
from tests.conftest import BENCH, require_shared

CLUSTERS = BENCH / "synthesis" / "multinews-longbench" / "clusters.jsonl"
GROUND_TRUTH = BENCH / "extraction" / "scrapinghub" / "ground-truth.json"
RUSSIAN_PAGE = "3c6d3381ef52ca26be2fbde19c1b0fe17d85682b726dfecf5e300c1ca34546b1"
JAPANESE_PAGE = "85439e26c41c75901820d01a13e8cea7836abb58635ea3986f71a163ab0311d3"


def _clusters(count: int) -> list[tuple[str, list[Article]]]:
    out = []
    with require_shared(CLUSTERS).open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles = [
                Article.create(
                    url=f"http://www.example.org/{doc['doc_id'].replace('#', '/')}",
                    title="",
                    paragraphs=[p for p in doc["text"].split("\n") if p.strip()],
                    language="en",
                )
                for doc in record["documents"]
                if not doc["boilerplate"]
            ]
            if len(articles) >= 3:
                out.append((record["id"], articles))
            if len(out) == count:
                break
    return out


def _ground_truth_article(page_id: str, paragraphs: int = 12) -> Article:
    truth = json.loads(require_shared(GROUND_TRUTH).read_text(encoding="utf-8"))[page_id]
    body = [p.strip() for p in truth["articleBody"].split("\n") if p.strip()][:paragraphs]
    return Article.create(url=truth["url"], title=body[0], paragraphs=body[1:])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _supports(article: Article, sentence: str) -> bool:
    """Independent of the writer: the article holds the sentence, or nearly all its longer
    words within one of its paragraphs and every one of its numbers."""
    if sentence in article.text:
        return True
    numbers = set(re.findall(r"\d+", sentence))
    if not numbers <= set(re.findall(r"\d+", article.text)):
        return False
    words = {w for w in _words(sentence) if len(w) > 3}
    return any(len(words & set(_words(p))) >= 0.6 * len(words) for p in article.paragraphs)


def _check_draft(draft: Draft, articles: list[Article], max_words: int) -> None:
    by_id = {a.id: a for a in articles}
    sentences = draft.sentences()
    assert sentences, "the draft has no sentences"
    texts = [s.text for s in sentences]
    assert len(texts) == len(set(texts)), "a sentence is repeated"
    for s in sentences:
        assert s.citations, f"uncited: {s.text}"
        # copied verbatim from the first article it cites
        assert s.text in by_id[s.citations[0]].text, f"not verbatim: {s.text}"
        for cited in s.citations:
            assert _supports(by_id[cited], s.text), f"{cited} does not support: {s.text}"
    paragraphs = [tuple(s.text for s in p) for p in draft.body]
    assert len(paragraphs) == len(set(paragraphs))
    lead_body = [*draft.lead, *(s for p in draft.body for s in p)]
    assert sum(len(s.text.split()) for s in lead_body) <= max_words
    assert draft.headline and all(draft.headline != t for t in texts)
    cited = {c for s in sentences for c in s.citations}
    assert cited == {source.id for source in draft.sources}


def test_real_clusters_are_written_verbatim_cited_and_without_repeats():
    stories = _clusters(3)
    assert len(stories) == 3
    for story_id, articles in stories:
        draft = write_extractive(articles, story_id, max_words=220)
        _check_draft(draft, articles, 220)
        assert draft.lead and draft.body and draft.standfirst
        assert draft.story_id == story_id and draft.writer == "extractive"
        assert draft.language == "en"


def test_a_sentence_cites_every_article_that_reports_it():
    story_id, articles = _clusters(1)[0]
    first = articles[0]
    copy = Article.create(url="https://example.net/copy", title="", paragraphs=first.paragraphs)
    draft = write_extractive([first, copy, *articles[1:]], story_id)
    from_first = [s for s in draft.sentences() if first.id in s.citations]
    assert from_first, "the test needs sentences from the copied article"
    assert all(copy.id in s.citations for s in from_first)


def test_a_web_archive_capture_of_a_source_is_that_source_cited_once():
    story_id, articles = _clusters(1)[0]
    first = articles[0]
    assert first.url is not None
    capture = Article.create(
        # captured over https from the bare host, linked over http with "www."
        url="https://web.archive.org/web/20041209223649/https://"
        + first.url.split("://", 1)[1].removeprefix("www."),
        title="",
        paragraphs=first.paragraphs,
    )
    draft = write_extractive([capture, *articles], story_id)
    cited = {c for s in draft.sentences() for c in s.citations}
    assert first.id in cited, "the test needs sentences from the captured article"
    assert capture.id not in cited
    assert capture.id not in {source.id for source in draft.sources}
    # A capture of a page the story does not hold is a source of its own.
    alone = write_extractive([capture, *articles[1:]], story_id)
    assert capture.id in {source.id for source in alone.sources}


def test_word_cap_applies_to_lead_and_body():
    story_id, articles = _clusters(2)[1]
    for cap in (60, 150):
        draft = write_extractive(articles, story_id, max_words=cap)
        words = sum(len(s.text.split()) for s in [*draft.lead, *(x for p in draft.body for x in p)])
        assert 0 < words <= cap


def test_draft_passes_the_verifier_when_it_is_installed():
    verify = pytest.importorskip("newsdesk.verify")
    story_id, articles = _clusters(1)[0]
    draft = write_extractive(articles, story_id)
    report = verify.verify_draft(draft, articles)
    assert report.passed, report.problems


def test_seed_page_alone(seed_page: bytes):
    article = extract(seed_page, input_format="text")
    draft = write_extractive([article], "seed")
    _check_draft(draft, [article], 220)
    text = " ".join(s.text for s in draft.sentences())
    # the page's furniture never reaches the draft
    for junk in ("Ссылка скопирована", "Views:", "Caliber.az ©", "Liked the story"):
        assert junk not in text
    assert "Wagner" in draft.headline and "Mali" in draft.headline


def test_headlines_lose_site_names():
    assert clean_headline("Wagner leaves Mali - Reuters") == "Wagner leaves Mali"
    assert clean_headline("Wagner leaves Mali | BBC News") == "Wagner leaves Mali"
    assert clean_headline("Wagner leaves Mali – Caliber.Az", "Caliber") == "Wagner leaves Mali"
    assert clean_headline("Mali: Wagner Group Announces Withdrawal") == (
        "Mali: Wagner Group Announces Withdrawal"
    )


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        (
            "Story highlights A ship picked up a signal on Friday",
            "A ship picked up a signal on Friday",
        ),
        ("CLOSE Actor is accused of assault on set", "Actor is accused of assault on set"),
        ("September 5, 2014: Harbour board keeps its chair", "Harbour board keeps its chair"),
        ("Watch dogs rescue a man from the river", "Watch dogs rescue a man from the river"),
    ],
)
def test_headlines_lose_a_first_lines_labels(title: str, cleaned: str):
    assert clean_headline(title) == cleaned


def test_a_title_of_the_wrong_form_is_not_even_a_last_resort():
    # the writer's last resort for a story whose every cut repeats its text takes a
    # source title about anything, but only one of a headline's form
    for title in ("Accueil", "*** Join it LIVE here ! ***", "CHRISTCHURCH, New Zealand"):
        assert not reads_as_headline(title)
    assert reads_as_headline("Council passes the budget")


def test_a_line_leading_in_to_what_follows_is_no_headline():
    assert not is_usable_headline("Ann Lee (the harbour show host, 1999-2015):", lambda t: True)
    assert is_usable_headline("Mali: Wagner Group Announces Withdrawal", lambda t: True)


def test_source_title_becomes_the_headline_without_its_site_name():
    story_id, articles = _clusters(1)[0]
    titled = [
        Article.create(url=a.url, title=title, paragraphs=a.paragraphs, language="en")
        for a, title in zip(
            articles,
            ["Occupy LA protesters defy eviction deadline - Reuters", "Police wait | BBC News"],
            strict=False,
        )
    ]
    draft = write_extractive([*titled, *articles[len(titled) :]], story_id)
    assert draft.headline in {"Occupy LA protesters defy eviction deadline", "Police wait"}


def test_a_two_word_headline_is_kept_rather_than_a_cut_sentence():
    """ "„Unermüdlicher Einsatz“", a South Tyrolean paper's headline: with no title of three
    words the writer cut the German lead to "Die Südtiroler Gesellschaft für
    Allgemeinmedizin hat"."""
    article = Article.create(
        url="https://example.it/einsatz",
        title="„Unermüdlicher Einsatz“",
        paragraphs=[
            "Die Südtiroler Gesellschaft für Allgemeinmedizin hat in Klausen ihr 30-jähriges "
            "Bestehen gefeiert. Die Präsidentin lobt den unermüdlichen Einsatz der Kolleginnen "
            "und Kollegen.",
            "Das Hauptziel des Vereins ist die Fortbildung seiner 216 Mitglieder. Der Einsatz "
            "der Ärzte bleibt groß.",
        ],
        language="de",
    )
    assert write_extractive([article], "s1").headline == "„Unermüdlicher Einsatz“"


def test_a_source_title_beats_a_lead_cut_where_no_clause_rules_end_the_cut():
    """Kommersant's "Легкий троннинг" shares no word with its text; the writer cut the lead
    to "14 мая президент России Владимир Путин встретился", a clause without its object. A
    Japanese headline ending in "！？" was refused as a sentence the same way."""
    russian = Article.create(
        url="https://example.ru/tronning",
        title="Легкий троннинг",
        paragraphs=[
            "14 мая президент России Владимир Путин встретился с премьер-министром Малайзии "
            "Анваром Ибрагимом в Кремле.",
            "Стороны обсудили торговлю и поставки пальмового масла.",
            "После переговоров лидеры сделали заявления для прессы.",
        ],
        language="ru",
    )
    assert write_extractive([russian], "s1").headline == "Легкий троннинг"
    assert is_usable_headline("商品の改造が商標法違反に！？", lambda title: True)
    assert not is_usable_headline("商品の改造が商標法違反になった。", lambda title: True)


def test_no_question_stands_first_or_sums_up():
    """A reader poll ("QUICK VOTE What do you expect...?") or a subhead question was picked as
    the standfirst or a summary sentence: a question says nothing on its own."""
    kmart = Article.create(
        url="https://example.org/kmart",
        title="Kmart to buy Sears",
        paragraphs=[
            "Kmart will buy Sears in an $11.5 billion deal announced on Wednesday, creating "
            "the third-largest retailer in the country.",
            "QUICK VOTE What do you expect from the Kmart-Sears merger?",
            "The new company, Sears Holdings, will have $55 billion in annual revenue and "
            "nearly 3,500 retail stores.",
            "Analysts said the deal could cost jobs in the short term as stores close.",
            "Kmart emerged from bankruptcy protection in May 2003 and has since returned to "
            "profit.",
        ],
        language="en",
    )
    sears = Article.create(
        url="https://example.net/sears",
        title="Sears and Kmart merge",
        paragraphs=[
            "Sears and Kmart agreed to merge on Wednesday in an $11.5 billion deal.",
            "Will the merger save the two chains?",
            "The combined company will be led by Kmart chairman Edward Lampert.",
            "Shares of both companies rose on the news.",
        ],
        language="en",
    )
    draft = write_extractive([kmart, sears], "s1")
    assert draft.standfirst
    for sentence in [*draft.standfirst, *draft.summary]:
        assert not sentence.text.endswith("?"), sentence.text


@pytest.mark.parametrize(
    "text",
    [
        "Hide Caption 3 of 13 Photos: Notable moments of the International Space Station The "
        "first crew of the International Space Station, seen on board in December 2000.",
        "Continue reading the main story The final stage of the vote covers nine provinces.",
        # page navigation, a row of labelled fields, a teaser trailing off
        "12.03.2005 09:15 << Previous | Next >> The final stage of the vote covers nine provinces.",
        "Range: 4,000 km. Payload: 1,200 kg. Engines : 2.",
        "Cary Joseph Heath (Photo: Courtesy - Fort Worth Police Dept.)",
        "You can unsubscribe at any time and we'll never share your details.",
        # a note on a chart, a form or the comments
        "Note: Titles in grey are cameo or bit parts and not counted in totals and averages.",
        "NOTE: We only request your email address so that the person you recommend it to knows.",
        # a reference page's rows: a term glued to its definition, a numbered footnote
        "Impact Probability The probability that the tabulated impact will occur.",
        "(2) Data for users in individual countries may be found by clicking each name.",
        "More reports by the Harbour Collective, River Voices and the Valley Wire . . .",
        # captions
        "In this still image from video, firefighters work at the scene on Main Street.",
        "Buy Photo Firefighters work at the scene of the fire on Main Street on Monday.",
        "Share this article with your friends on Facebook and on Twitter today.",
        "A firefighter sprays water on the roof in Springfield, Ohio, Tuesday, Sept. 25, 2012.",
        "Crowds gather outside the Harbour Hall on Sunday, March 3, 2019.",
        "The minister speaks outside the police station, Harbour Town, Friday, May, 2 2014.",
        # a gallery's or a credit's label, an embedded player's
        "Photos: The harbour fire Photos: The harbour fire Firefighters work at the scene.",
        "(Photo: Ann Lee / The Harbour Times)Buy Photo Story Highlights The hall opened in 1935.",
        "EMBED More News Videos Firefighters work at the scene of the fire on Main Street.",
        "Enlarge Image Close coming Ann Lee as Nora in the harbour film 'Tides.'",
        "Ann Lee, before and after she fell ill with a disease much like polio. (Family photos)",
        "You must enter the characters with black color that stand out from the others.",
        '"Harbour" redirects here. For other uses, see Harbour (disambiguation).',
        # a fragment picked up after an ellipsis
        "...to the harbour hotel three nights in a row around New Year's Eve, she said.",
    ],
)
def test_gallery_and_ad_labels_flattened_into_text_are_no_reporting(text: str):
    assert not is_reporting_sentence(text)
    assert is_reporting_sentence("The final stage of the vote covers nine provinces in Egypt.")


@pytest.mark.parametrize(
    "text",
    [
        "Jetzt abonnieren und von der Vorlesefunktion profitieren.",
        "Folgen Sie uns auf Facebook und Instagram, um keine Nachricht zu verpassen.",
        "Abonnez-vous à notre lettre d'information pour recevoir les dernières nouvelles.",
        "Suscríbete a nuestro boletín y recibe las noticias del día en tu correo.",
        "Receba em seu email nosso ebook com as cinco etapas para alfabetizar seus filhos.",
        "Coloque nos seus favoritos e venha sempre conferir a classificação do campeonato!",
        "ATENÇÃO: Comentários ofensivos ao usuário não serão aprovados pelo moderador.",
        "Comments are moderated and will appear once a member of our team approves them.",
        "Iscriviti alla newsletter per ricevere ogni mattina le notizie della giornata.",
        "Подпишитесь на наш канал в Telegram, чтобы первыми узнавать новости.",
        "Download the BBC News app for the latest updates from across the country.",
        "※「iPhone」は、Apple Inc.の商標です。",
        # newsletters, alerts and paywall notices
        "Get daily updates directly to your inbox + Subscribe Thank you for subscribing!",
        "Breaking News Emails Get breaking news alerts and special reports.",
        "Add Ann Lee as an interest to stay up to date on the latest Ann Lee news and video.",
        "I am already a subscriber to the Review. Subscribers to the Review can view this article.",
    ],
)
def test_calls_to_action_and_notices_in_any_language_are_no_reporting(text: str):
    assert not is_reporting_sentence(text)


@pytest.mark.parametrize(
    "text",
    [
        "The assassin was caught after a three-day search by the police.",
        "Subscribers to the service rose by 5% in the third quarter, the company said.",
        "Videos posted online show the officer pushing the man to the ground near the station.",
        "Photos of the crash were shared widely on social media by witnesses on Sunday.",
        "Police released a photo (below) of the man they are looking for on Monday.",
        "The scam e-mails landed in your inbox as invoices from a courier, police said.",
        # a censored word is no rule of stars or dashes
        "A man on a motorbike shouted 'f*** the council' at the crowd, police said.",
        "Die Kommentare des Ministers wurden von der Opposition scharf kritisiert.",
        "Users who download the app are asked to share their location, the report found.",
        "Moderators of the debate asked the candidates about the state of the economy.",
        "O presidente assinou o decreto na segunda-feira, segundo o governo.",
        "„Es war gut, dass mich niemand zu den Favoriten gezählt hat“, sagte Mengesha.",
        "His comments create an opening for moderates Buttigieg and Biden to attack.",
        # colons that are no field list: a quotation, a clock, a long label
        'He said: "We will win this: there is no doubt about it."',
        "The score: 2:1 after extra time in Madrid on Sunday night.",
        "Sie hat weitere Pläne: 2022 gründete sie eine eigene Firma: Moss & Co.",
        # an ellipsis after a finished sentence, arrows that are no navigation
        "Traffic stalled at every darkened intersection in the city. . . .",
        "WOODLAND HILLS >> Detectives are investigating a stabbing in the shopping district.",
        "In this case the public image of the company was badly damaged by the report.",
        "The mayor made her first speech to the council on Monday, January 11, 1999.",
        "Note that the report was published before the vote on Monday evening.",
        "Members can unsubscribe from the scheme if they move away, the council said.",
        # "The" after capitals that are no term: a dateline, a title
        "WASHINGTON The president signed the bill into law on Monday, aides said.",
        "Reading The Times on the train, she saw the advert for the job in Harbour Town.",
        "Share prices fell 5% in early trading in Frankfurt on Monday, dealers said.",
    ],
)
def test_reporting_sentences_with_the_same_words_are_kept(text: str):
    assert is_reporting_sentence(text)


def test_a_story_of_one_short_line_still_gets_a_headline():
    """Its only line is its title and every cut of it repeats the draft: the headline may
    repeat it, but is never empty (an untitled page and feed entry)."""
    line = "jane doe retweeted Harbour Daily"
    post = Article.create(
        url="https://social.example.com/jane/status/1",
        title=line,
        paragraphs=[line, "honestly the worst photo of all time https://t.example/x …"],
    )
    draft = write_extractive([post], "s1")
    assert draft.sentences()
    assert draft.headline.strip()


@pytest.mark.parametrize(
    ("lead", "limit", "want"),
    [
        # never ends on a modal, an auxiliary or a contraction
        (
            "A last-minute ticket buying frenzy could make the weekend jackpot the biggest "
            "lottery prize in the history of the state.",
            5,
            "Last-minute ticket buying frenzy",
        ),
        (
            "Dramatic shifts in the regional climate may have driven the early farmers out of "
            "the valley, scientists say.",
            7,
            "Dramatic shifts in regional climate",
        ),
        (
            "A senior council member has been named as the new head of the harbour authority, "
            "officials said.",
            5,
            "Senior council member",
        ),
        # a quoted phrase keeps both its quotation marks
        (
            "The words “writ of habeas corpus” have been struck out of the order, lawyers said.",
            5,
            "Words “writ of habeas corpus”",
        ),
        # an opening phrase is cut where a noun phrase follows it
        (
            "After passing over the islands on Thursday, the storm first fell on the coast.",
            7,
            "Storm first fell on coast",
        ),
        # an apposition between the subject and its verb is left out
        (
            "Ann Lee, one half of the cookery duo Two Chefs with the late Jo Hart, has died "
            "in Edinburgh aged 66.",
            7,
            "Ann Lee has died",
        ),
        (
            "Craig Hall, 33, of Flint, was arrested on Tuesday after a chase.",
            7,
            "Craig Hall was arrested on Tuesday",
        ),
        (
            "Jo Hart, 16, followed a trail to the road, near the east entrance.",
            7,
            "Jo Hart followed trail to road",
        ),
        # a dash a dateline left before the sentence
        (
            "— A dispatcher talked a father through saving his baby.",
            7,
            "Dispatcher talked father through saving his baby",
        ),
        # a subordinate clause whose main clause cannot be reached is no headline
        (
            "While the singer may be the most admired artist of his time, at least by "
            "himself, he is still in debt.",
            7,
            "",
        ),
    ],
)
def test_a_headline_cut_from_the_lead_ends_on_a_whole_phrase(lead: str, limit: int, want: str):
    assert headline_from_sentence(lead, limit) == want


def test_a_source_title_that_is_page_furniture_is_no_headline():
    titles = [
        ("Photo Advertisement Continue reading the main story", None),
        ("Council passes the budget", None),
    ]
    chosen = choose_headline(titles, lambda title: 1.0, lambda title: True)
    assert chosen == "Council passes the budget"


def test_a_label_in_brackets_is_no_headline():
    assert not is_usable_headline("(News 12 at 11)", lambda title: True)
    assert is_usable_headline("Council (finally) passes the budget", lambda title: True)


@pytest.mark.parametrize(
    ("title", "usable"),
    [
        ("Salt Lake Tribune Home Page", False),
        ("Harbour Institute for Security Cooperation Homepage", False),
        ("Le Monde - Accueil", False),
        ("Startseite", False),
        ("The Harbour Times - Home", False),
        ("Soldier comes home after ten years", True),
        ("Man returns home", True),
        # layout, and a dateline alone
        ("*** Join it LIVE here ! ***", False),
        ("...to the harbour hotel three nights", False),
        ("CHRISTCHURCH, New Zealand", False),
        ("NATO, Russia Hold Talks", True),
        ("민주당 도입 또다시 불발··· 친청계 반발", True),
    ],
)
def test_front_pages_layout_and_datelines_are_no_headline(title: str, usable: bool):
    assert is_usable_headline(title, lambda title: True) is usable


def test_a_date_stamp_glued_before_a_sentence_is_cut_like_a_dateline():
    assert (
        strip_dateline("March 14, 2005 Over the past week, astronomers searched old plates.")
        == "Over the past week, astronomers searched old plates."
    )
    # a date that is the sentence's subject stays
    text = "March 14, 2005 was the day the markets fell by a third in one session."
    assert strip_dateline(text) == text
    assert (
        strip_dateline("September 5, 2014: Strong ties with customers are a crucial part of it.")
        == "Strong ties with customers are a crucial part of it."
    )


def test_a_sentence_leaning_on_the_one_before_neither_stands_first_nor_sums_up():
    """ "Otherwise, they risk getting stuck ..." was a summary: it answers a sentence the
    reader of the summary never saw."""
    storm = Article.create(
        url="https://example.org/storm",
        title="City orders evacuation before the storm",
        paragraphs=[
            "The city ordered residents of low-lying areas to leave on Friday before the "
            "storm arrives, the mayor said on Thursday.",
            "Otherwise, they risk getting stuck because the trains may stop on Saturday.",
            "Therefore shelters will open in twelve schools across the city on Friday.",
            "Hospitals near the coast began moving patients to other buildings.",
            "Forecasters expect winds of up to 115 mph when the storm reaches the coast.",
        ],
        language="en",
    )
    draft = write_extractive([storm], "s1", max_words=40)
    assert draft.standfirst or draft.summary
    for sentence in [*draft.standfirst, *draft.summary]:
        assert not sentence.text.startswith(("Otherwise", "Therefore")), sentence.text


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # a live blog's clock before its entry
        ("11am: The official music starts to play before the draw.", True),
        ("11.03am: Uefa's official takes a swipe at the big clubs.", True),
        ("14:05 - Police say the road will stay closed until the evening.", True),
        # a figure, a score or a time zone that is the sentence's own
        ("2.5 million people voted in the first round of the election.", False),
        ("10.30 GMT is when the polls open across the country.", False),
        ("3:2 was the final score after extra time in Madrid.", False),
    ],
)
def test_a_live_blogs_clock_before_an_entry_is_cut(text: str, cut: bool):
    assert (strip_dateline(text) != text) is cut
    if cut:
        assert strip_dateline(text)[:1].isupper()


def test_a_dateline_with_a_state_and_a_stations_credit_is_cut():
    for text in (
        "AUGUSTA, Ga. (WRDW/WAGT) – Two young boys are recovering in the hospital tonight.",
        "NEW YORK (CNN/Money) - Kmart is buying Sears, Roebuck & Co. for $11 billion.",
    ):
        (sentence,) = split_sentences(text)
        assert strip_dateline(sentence).startswith(("Two young boys", "Kmart is buying"))


def test_a_gallery_label_glued_before_a_sentence_is_cut():
    assert (
        strip_dateline("View Images Originally the two planets held the same share of water.")
        == "Originally the two planets held the same share of water."
    )
    text = "View counts of the video rose to a million within a day, the company said."
    assert strip_dateline(text) == text


def test_sentence_splitting_in_several_scripts():
    assert split_sentences("Dr. Smith arrived in the U.S. on Monday. He left on Friday.") == [
        "Dr. Smith arrived in the U.S. on Monday.",
        "He left on Friday.",
    ]
    assert split_sentences("Москва, т.е. столица. Он приехал в 10 ч. Вечером уехал!") == [
        "Москва, т.е. столица.",
        "Он приехал в 10 ч.",
        "Вечером уехал!",
    ]
    assert split_sentences("東京で地震があった。被害は小さい！「大丈夫」と話した。") == [
        "東京で地震があった。",
        "被害は小さい！",
        "「大丈夫」と話した。",
    ]


def test_story_in_russian_and_english_is_written_in_the_majority_language():
    russian = _ground_truth_article(RUSSIAN_PAGE)
    _, english = _clusters(1)[0]
    articles = [russian, *english[:2]]
    draft = write_extractive(articles, "mixed")
    assert draft.language == "en"
    english_ids = {a.id for a in english[:2]}
    assert all(s.citations[0] in english_ids for s in draft.sentences())
    # a language no article is in: the draft says what it is really written in
    assert write_extractive(english[:2], "en-only", language="fr").language == "en"
    forced = write_extractive(articles, "mixed", language="ru")
    assert forced.language == "ru"
    _check_draft(forced, articles, 220)
    assert all(s.citations == (russian.id,) for s in forced.sentences())
    assert any(re.search("[а-я]{4}", s.text) for s in forced.sentences())


def test_japanese_story():
    article = _ground_truth_article(JAPANESE_PAGE)
    draft = write_extractive([article], "ja")
    assert draft.language == "ja"
    _check_draft(draft, [article], 220)
    assert all(s.text.endswith(("。", "！", "？", "」")) for s in draft.sentences())


def test_background_paragraphs_come_from_earlier_coverage_and_are_cited():
    stories = _clusters(2)
    story_id, articles = stories[0]
    earlier = stories[0][1][-1]
    draft = write_extractive(articles[:-1], story_id, background=[earlier, *stories[1][1][:1]])
    assert draft.background
    for paragraph in draft.background:
        for s in paragraph:
            assert s.citations and s.text in (earlier.text + stories[1][1][0].text)
    cited = {s.citations[0] for p in draft.background for s in p}
    assert cited <= {source.id for source in draft.sources}
    assert cited == {earlier.id}, "an article about another story was used as background"
    texts = [s.text for s in draft.sentences()]
    assert len(texts) == len(set(texts))


def test_nothing_to_write_from_is_an_input_error():
    with pytest.raises(InputError):
        write_extractive([], "none")
    empty = Article.create(url=None, title="", paragraphs=[])
    with pytest.raises(InputError):
        write_extractive([empty], "empty")
    story_id, articles = _clusters(1)[0]
    with pytest.raises(InputError, match="max_words"):
        write_extractive(articles, story_id, max_words=3)
    with pytest.raises(WriterUnavailable):
        write_story([empty], "x", writer="nonsense")


def test_cli_writes_good_stories_and_reports_bad_lines(tmp_path: Path, seed_page: bytes):
    article = extract(seed_page, input_format="text")
    _, cluster = _clusters(1)[0]
    lines = [
        json.dumps({"id": "seed", "articles": [article.to_dict()]}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "no-articles", "articles": []}),
        json.dumps({"id": "bad-articles", "articles": "text"}),
        json.dumps({"articles": [article.to_dict()]}),
        json.dumps({"id": "cluster", "articles": [a.to_dict() for a in cluster]}),
    ]
    stories = tmp_path / "stories.jsonl"
    stories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["write", str(stories), "--max-words", "120"])
    assert result.exit_code == 1
    drafts = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [d["story_id"] for d in drafts] == ["seed", "cluster"]
    for d in drafts:
        assert set(d) >= {"headline", "standfirst", "lead", "body", "summary", "sources", "checks"}
        assert d["writer"] == "extractive"
        draft = Draft.from_dict(d)
        words = sum(len(s.text.split()) for s in [*draft.lead, *(x for p in draft.body for x in p)])
        assert words <= 120
        if d["checks"] is not None:  # the verifier is installed: its report rides along
            assert d["checks"]["story_id"] == d["story_id"]
    for number in (2, 3, 4, 5):
        assert f"stories.jsonl:{number}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_markdown_format(tmp_path: Path, seed_page: bytes):
    pytest.importorskip("newsdesk.publish.markdown")
    article = extract(seed_page, input_format="text")
    stories = tmp_path / "one.jsonl"
    stories.write_text(json.dumps({"id": "seed", "articles": [article.to_dict()]}) + "\n")
    result = CliRunner().invoke(app, ["write", str(stories), "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ") and "Wagner" in result.stdout


def test_cli_html_format_links_sources(tmp_path: Path, seed_page: bytes):
    pytest.importorskip("newsdesk.publish.pages")
    article = extract(seed_page, url="https://caliber.az/en/post/wagner-mali", input_format="text")
    stories = tmp_path / "one.jsonl"
    stories.write_text(json.dumps({"id": "seed", "articles": [article.to_dict()]}) + "\n")
    result = CliRunner().invoke(app, ["write", str(stories), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert "<html" in result.stdout and "https://caliber.az/en/post/wagner-mali" in result.stdout


def test_cli_llm_writer_without_a_server_is_a_clear_error(tmp_path: Path, seed_page: bytes):
    article = extract(seed_page, input_format="text")
    stories = tmp_path / "one.jsonl"
    stories.write_text(json.dumps({"id": "seed", "articles": [article.to_dict()]}) + "\n")
    env = {"NEWSDESK_LLM_BASE_URL": "", "NEWSDESK_LLM_MODEL": ""}
    result = CliRunner().invoke(app, ["write", str(stories), "--writer", "llm"], env=env)
    assert result.exit_code == 2
    assert "--llm-url" in result.output and "Traceback" not in result.output


def test_a_page_of_menus_gives_no_draft_where_headlines_alone_still_do():
    menu = Article.create(
        url="https://example.net/m/white_noise/",
        title="White Noise",
        paragraphs=[
            "Select Movie ... ( Fresh * Rotten ) BOX OFFICE --------------- * Ocean's Twelve "
            "* Blade: Trinity * National Treasure * The Polar Express * Christmas with th...",
            "OPENING --------------- Lemony Snicket's ... * Spanglish Million Dollar Baby - "
            "Santa Smokes The Aviator UPCOMING --------------- - Star Wars: Episod...",
            "0 / 10 05/03/2016 - A piglet painted in the colours of the flag for a campai...",
        ],
        language="en",
    )
    with pytest.raises(InputError, match="no sentences"):
        write_extractive([menu], "s1")
    headlines = [
        Article.create(
            url=f"https://example.net/{n}", title=title, paragraphs=[title], language="en"
        )
        for n, title in enumerate(["Apple unveils new iPhone", "Apple shows off the new iPhone"])
    ]
    draft = write_extractive(headlines, "s2")
    assert draft.lead and "iPhone" in draft.lead[0].text


def test_two_sentences_a_page_ran_together_are_read_as_two():
    (paragraph,) = [
        "Five toddlers were injured with hot glue.Lizandra Cosme, 32, was charged on Friday "
        "with battery, police in Chicago said. In a SciDev.Net editorial, the group agreed."
    ]
    assert [s.text for s in article_sentences([paragraph], 0)] == [
        "Five toddlers were injured with hot glue.",
        "Lizandra Cosme, 32, was charged on Friday with battery, police in Chicago said.",
        "In a SciDev.Net editorial, the group agreed.",
    ]


def test_a_quotation_running_over_sentences_is_one_unit():
    said = split_sentences(
        "The mayor spoke first. “We will rebuild. We will not leave,” she said. Crews began."
    )
    assert whole_quotations(said) == [
        "The mayor spoke first.",
        "“We will rebuild. We will not leave,” she said.",
        "Crews began.",
    ]
    # A quotation that never closes within a few sentences leaves them as they were.
    unclosed = ["“One.", "Two.", "Three.", "Four.", "Five."]
    assert whole_quotations(unclosed) == unclosed
    # Straight quotes count by pairs; a balanced sentence stays alone.
    assert whole_quotations(['"Go," he said.', "Next."]) == ['"Go," he said.', "Next."]


def test_one_fact_in_two_outlets_words_is_written_once():
    """Two reports give the same figure in different words; the draft takes one of them."""
    first = Article.create(
        url="https://a.example/1",
        title="Hoard of coins found",
        paragraphs=[
            "Builders laying a gas pipe near the village found a hoard of 312 silver coins.",
            "The oldest coin in the hoard was struck in the year 913, the museum said.",
            "Police called archaeologists from the regional museum to the site.",
        ],
    )
    second = Article.create(
        url="https://b.example/2",
        title="Silver hoard unearthed by pipeline crew",
        paragraphs=[
            "A pipeline crew unearthed a pot holding 312 coins on the edge of the village.",
            "According to the museum, the earliest of the coins dates from 913.",
            "The contractor stopped work at the site for two weeks.",
        ],
    )
    draft = write_extractive([first, second], "hoard", max_words=200)
    texts = [s.text for s in (*draft.lead, *(s for p in draft.body for s in p))]
    assert sum("913" in t for t in texts) == 1, texts
    assert sum("312" in t for t in texts) == 1, texts


def test_the_standfirst_and_summary_come_from_the_storys_central_articles():
    """Real pages of one week: two reports of NASA's new moon-lander companies and a page on
    the SLS rocket, which the clusterer joined through "NASA", "moon" and "Artemis". The
    rocket page's opening, said by no other page, stood first ("Earlier this month, NASA
    announced the newest milestone ... Space Launch System") and its engines ended the
    summary. The lead was a lander report's; so must the standfirst and the summary be."""
    folder = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    pages = {
        "rocket": "c00962aabe7bdd1fca78f5360ea7fa93cd7674863b05157e00827506a7aa58c4",
        "landers": "c50845a7158af12ee75acea301a3ea0dad1e848d6b9dbdb43ba7f2d825b2528b",
        "companies": "d1c57d7821e5a5b27fb468c59489601bb2a042b1c05221166e3221d2b5dc217f",
    }
    articles = {
        name: extract((folder / f"{page}.html.gz").read_bytes()) for name, page in pages.items()
    }
    draft = write_extractive(list(articles.values()), "moon-landers")
    rocket = articles["rocket"].id
    assert draft.standfirst and draft.summary
    assert all(rocket not in s.citations for s in [*draft.standfirst, *draft.summary])
    assert all(rocket not in s.citations for s in draft.lead)


def test_a_title_that_sums_up_a_long_lead_is_the_headline_not_a_cut_of_it():
    """A real page whose title names what its lead of 40 words says ("Milan Design Week
    2018 | Anastassiades' light installation for FLOS"): the title was taken for the lead
    printed twice, and the headline was cut from the lead, ending on its verb ("Flos
    Showroom in Corso Monforte 15 features")."""
    folder = require_shared(BENCH / "extraction" / "scrapinghub" / "html")
    page = "94fbcc26772088646cb977cecf1abc4012847a1f6927d09505cbf0c3d417ba07"
    article = extract((folder / f"{page}.html.gz").read_bytes())
    assert len(article.paragraphs[0].split()) >= 35  # the lead holds every word of the title
    draft = write_extractive([article], "flos")
    assert draft.headline == "Milan Design Week 2018 - Anastassiades' light installation for FLOS"
    # A title that is its lead in other words is still a repeat (the reason for the rule).
    assert repeats_sentence(
        "New York man pleads guilty to threatening to kill Rep. Ilhan Omar",
        "A New York man pleaded guilty Monday to threatening to kill Rep. Ilhan Omar.",
    )
