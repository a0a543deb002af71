"""Each check on small texts: what must be flagged, and what must not."""

from __future__ import annotations

import pytest

from newsdesk.model import Article, Draft, Sentence
from newsdesk.verify import check_sentences, check_text, verify_draft

SOURCE = Article.create(
    url="https://example.org/mali",
    title="Wagner group announces withdrawal from Mali",
    paragraphs=(
        "The Russian paramilitary Wagner Group has announced its withdrawal from Mali. "
        "The group has been operating alongside the Malian military since 2021.",
        "In 3.5 years it had eliminated “four terrorist ringleaders, thousands of militants "
        "and 11 of their strongholds.”",
        "On June 1, the group said it carried out an assault on the base in Boulikessi, "
        "killing more than 30 soldiers. The attack cost $1.5 million, and turnout fell 12 per cent.",
        "Police did not find the suspect on Sunday at 5 p.m. "
        "It is the second attack this month, Reuters reported.",
    ),
    published="2025-06-07",
)


def kinds(text: str, article: Article = SOURCE) -> list[str]:
    [problems] = check_sentences([Sentence(text, (article.id,))], [article])
    return [p.kind for p in problems]


@pytest.mark.parametrize(
    "text",
    [
        "Wagner's forces killed over 30 soldiers in the assault on the base in Boulikessi on June 1.",
        "The Malian military has worked alongside the Russian group since 2021.",
        "The attack cost 1,500,000 dollars, and turnout fell 12%.",
        "Police did not find the suspect on Sunday at 5pm.",
        "It is the 2nd attack this month, Reuters reported.",
        'In 3.5 years it had eliminated "four terrorist ringleaders, thousands of militants and 11 of their strongholds".',
        "Wagner has announced its withdrawal from Mali, with Russia's paramilitaries leaving.",
    ],
)
def test_faithful_variants_pass(text: str):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The assault killed more than 40 soldiers in Boulikessi.", "number"),
        ("In four years it had eliminated many terrorist ringleaders.", "number"),
        ("The attack cost $2.5 million.", "number"),
        ("It is the third attack this month, Reuters reported.", "number"),
        ("On June 2, the group carried out an assault on the base in Boulikessi.", "date"),
        ("Police did not find the suspect on Monday.", "date"),
        ("Police did not find the suspect at 6 p.m.", "date"),
        ("The group has been operating alongside the Malian military since 2019.", "date"),
        ("The assault on the base in Timbuktu killed more than 30 soldiers.", "name"),
        ("The group, operating alongside the French military, announced a withdrawal.", "name"),
        (
            "It had eliminated “four terrorist leaders, thousands of militants and 11 of their strongholds.”",
            "quote",
        ),
        ("Police found the suspect on Sunday at 5 p.m.", "unsupported"),
        ("The Wagner Group has not announced its withdrawal from Mali.", "unsupported"),
        ("Heavy rain flooded vineyards across southern France, farmers said.", "unsupported"),
    ],
)
def test_errors_are_flagged_with_their_kind(text: str, kind: str):
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "quote",
    [
        "«fought terrorism side-by-side with the people of Mali»",
        "„fought terrorism side-by-side with the people of Mali“",
        "‚fought terrorism side-by-side with the people of Mali‘",
        "'fought terrorism side-by-side with the people of Mali'",
        '"Fought  terrorism side-by-side with the people of Mali,"',
    ],
)
def test_quotes_in_any_style_match_modulo_marks_spacing_and_case(quote: str):
    article = Article.create(
        url=None,
        title="",
        paragraphs=("Wagner said it had “fought terrorism side-by-side with the people of Mali.”",),
    )
    assert kinds(f"Wagner said it had {quote} for years.", article) == []
    altered = quote.replace("people", "army")
    assert "quote" in kinds(f"Wagner said it had {altered} for years.", article)


def test_citations_missing_or_unknown():
    draft = Draft(
        story_id="s",
        headline="",
        standfirst=(),
        lead=(
            Sentence("The Wagner Group has announced its withdrawal from Mali."),
            Sentence("The group has been operating alongside the Malian military.", ("nope",)),
        ),
        body=(),
        summary=(),
    )
    report = verify_draft(draft, [SOURCE])
    whys = [p.why for p in report.problems if p.kind == "citation"]
    assert not report.passed
    assert any("cites no source" in w for w in whys)
    assert any("'nope'" in w for w in whys)


def test_repetition_near_duplicates_and_headline():
    cited = (SOURCE.id,)
    first = "The Russian paramilitary Wagner Group has announced its withdrawal from Mali."
    near = "The Russian paramilitary Wagner Group has now announced its withdrawal from Mali."
    draft = Draft(
        story_id="s",
        headline="Wagner group announces withdrawal from Mali",
        standfirst=(Sentence("Wagner group announces withdrawal from Mali", cited),),
        lead=(Sentence(first, cited),),
        body=((Sentence(near, cited),),),
        summary=(),
    )
    report = verify_draft(draft, [SOURCE])
    repeats = [p for p in report.problems if p.kind == "repetition"]
    assert any("headline" in p.why for p in repeats)
    assert any(p.text == near for p in repeats)
    assert len(repeats) == 2


def test_no_articles_is_reported_not_raised():
    report = check_text("The Wagner Group has announced its withdrawal from Mali.", [])
    assert not report.passed
    assert any("no source articles" in p.why for p in report.problems)


@pytest.mark.parametrize(
    ("source", "draft"),
    [
        ("Группа Вагнера объявила о выходе из Мали. Погибли 30 солдат.", "Погибли 30 солдат."),
        ("瓦格纳集团宣布从马里撤军。三十名士兵死亡。", "瓦格纳集团宣布从马里撤军。"),
        ("ワグネルはマリから撤退すると発表した。", "ワグネルはマリから撤退すると発表した。"),
    ],
)
def test_other_scripts_do_not_crash_and_verbatim_passes(source: str, draft: str):
    article = Article.create(url=None, title="", paragraphs=(source,))
    assert kinds(draft, article) == []
    assert kinds("Погибли 40 солдат.", article) != []


def test_inflected_names_and_words_in_russian_are_tolerated():
    article = Article.create(
        url=None,
        title="",
        paragraphs=(
            "Группа Вагнера объявила о выходе из Мали. В Москве заявили, что солдаты вернутся.",
        ),
        language="ru",
    )
    # the same facts in other grammatical cases: not a name or support problem
    assert kinds("Из Мали уходит группа Вагнера, заявили в Москве.", article) == []
    assert "name" in kinds("В Киеве заявили, что солдаты вернутся.", article)


def test_german_capitalised_nouns_are_not_names():
    article = Article.create(
        url=None,
        title="",
        paragraphs=("Die Gruppe Wagner hat ihren Abzug aus Mali angekündigt.",),
        language="de",
    )
    assert kinds("Die Gruppe Wagner hat den Abzug aus Mali angekündigt.", article) == []


def test_citing_an_article_the_draft_does_not_list():
    from newsdesk.model import Source

    other = Article.create(url="https://example.org/other", title="", paragraphs=("Other.",))
    draft = Draft(
        story_id="s",
        headline="",
        standfirst=(),
        lead=(Sentence("The Wagner Group has announced its withdrawal from Mali.", (SOURCE.id,)),),
        body=(),
        summary=(),
        sources=(Source.from_article(other),),
    )
    report = verify_draft(draft, [SOURCE, other])
    assert [p.kind for p in report.problems] == ["citation"]
    assert "do not list" in report.problems[0].why


@pytest.mark.parametrize(
    ("headline", "passes"),
    [
        ("Wagner Group Announces Withdrawal From Mali", True),
        ("WAGNER GROUP ANNOUNCES WITHDRAWAL FROM MALI", True),
        ("Wagner Group Announces Withdrawal From Niger", False),
        ("Wagner Group Leaves Mali After 2019 Attack", False),
    ],
)
def test_headline_facts_are_checked_in_any_case(headline: str, passes: bool):
    draft = Draft(
        story_id="s",
        headline=headline,
        standfirst=(),
        lead=(Sentence(SOURCE.paragraphs[0], (SOURCE.id,)),),
        body=(),
        summary=(),
    )
    report = verify_draft(draft, [SOURCE])
    assert report.passed is passes, report.problems


def test_season_written_with_a_long_s_or_dotless_i_is_read_not_a_crash() -> None:
    from newsdesk.verify.dates import find_dates

    # the season pattern is case-blind (re.I equates "ſ" with "s" and "ı" with "i"); the
    # season's number must come from the same reading, not from str.lower()
    assert [m.facts for m in find_dates("They met last ſummer.")] == [(("season", 2),)]
    assert [m.facts for m in find_dates("Prices rose this wınter.")] == [(("season", 0),)]
    assert [m.facts for m in find_dates("Prices rose this Winter.")] == [(("season", 0),)]


@pytest.mark.parametrize(("source_form", "draft_form"), [("NFD", "NFD"), ("NFC", "NFD")])
def test_accents_stored_apart_from_their_letters_are_no_new_words(
    source_form: str, draft_form: str
) -> None:
    """A page in decomposed Unicode ("a" + U+0308 for "ä"): its own sentence, copied, is
    supported (it was flagged as adding the word pieces "nderva" and "ter")."""
    import unicodedata

    text = "Zahlreiche Gründerväter waren angereist, um an diesem Ereignis teilzunehmen."
    source = Article.create(
        url="https://example.org/verein",
        title="Verein feiert",
        paragraphs=(unicodedata.normalize(source_form, text),),
        published="2025-04-01",
    )
    assert kinds(unicodedata.normalize(draft_form, text), source) == []


ACRONYMS = Article.create(
    url="https://example.org/budget",
    title="Prime Minister hails tax changes",
    paragraphs=(
        "The Prime Minister hailed the tax changes coming into force on Monday.",
        "The Police and Crime Commissioner asked the National Health Service for more staff.",
    ),
)


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        # an acronym of words the source writes out is the same name
        ("The PM hailed the tax changes coming into force on Monday.", True),
        ("The PCC asked the NHS for more staff.", True),
        ("The NHS's staff were asked by the PCC.", True),
        # an acronym of nothing the source writes out is still a name it lacks
        ("The FBI asked the NHS for more staff.", False),
    ],
)
def test_acronyms_of_names_the_source_spells_out(text: str, passes: bool):
    assert ("name" not in kinds(text, ACRONYMS)) is passes


MIGRANTS = Article.create(
    url="https://example.org/migrants",
    title="Migrants thrown overboard",
    paragraphs=(
        "Witnesses said 105 migrants were on the rubber boat when it left the Libyan coast.",
        "Police said 12 African migrants were thrown overboard during the crossing.",
    ),
)


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        # the number counts the noun, not the capitalised word that qualifies it: the
        # source's "12 African migrants" says nothing against 105 migrants
        ("Witnesses said 105 African migrants were on the rubber boat.", True),
        ("Witnesses said 150 African migrants were on the rubber boat.", False),
        ("Witnesses said 12 African migrants were on the rubber boat.", False),
        ("Police said 12 African migrants were thrown overboard.", True),
        ("Police said 15 African migrants were thrown overboard.", False),
    ],
)
def test_a_number_counts_its_noun_past_a_capitalised_qualifier(text: str, passes: bool):
    assert ("number" not in kinds(text, MIGRANTS)) is passes


FROZEN = Article.create(
    url="https://example.org/river",
    title="River freezes over",
    paragraphs=(
        "The river froze over this week for the first time since 1963, the Met Office said "
        "on 12 January 2016. Its last cold snap, nine years ago, left the banks flooded.",
        "Skaters took to the ice near the old bridge in 1963 and in 1947.",
    ),
)
# the same with no other year: its present is its publication date
FROZEN_DATED = Article.create(
    url="https://example.org/river-dated",
    title="River freezes over",
    paragraphs=(
        "The river froze over this week for the first time since 1963, the Met Office said.",
    ),
    published="2016-01-12",
)

# no date of its own: a bare year ahead ("by 2030") is no present
PLANT = Article.create(
    url="https://example.org/plant",
    title="Plant to close",
    paragraphs=("The plant has run since 1990 and is due to close by 2030.",),
)

# a full date of the past, and a span starting after it: that date is not the present
HISTORY = Article.create(
    url="https://example.org/missing",
    title="Missing children",
    paragraphs=(
        "The boy has been missing since 1977; his case was reopened on June 3, 1997.",
        "States have had to report missing children since 2014.",
    ),
)


@pytest.mark.parametrize(
    ("text", "article", "passes"),
    [
        ("The plant has run for 40 years.", PLANT, False),
        ("The boy has been missing for 20 years.", HISTORY, False),
        # years from the start the source gives ("since 1963") to its present (2016)
        ("The river has frozen over for the first time in 53 years.", FROZEN, True),
        ("The river has frozen over for the first time in more than 52 years.", FROZEN, True),
        ("The river has frozen over for the first time in nearly 54 years.", FROZEN, True),
        ("The river has frozen over for the first time in five decades.", FROZEN, False),
        ("The river has frozen over for the first time in 35 years.", FROZEN, False),
        ("The river has frozen over for the first time in 55 years.", FROZEN, False),
        ("The river has frozen over for the first time in more than 60 years.", FROZEN, False),
        # the present as the article's date
        ("The river has frozen over for the first time in 53 years.", FROZEN_DATED, True),
        # two years the source gives are no span it states: only "since" starts one
        ("Skaters took to the ice near the old bridge 16 years apart.", FROZEN, False),
        # an age is no span
        ("The river froze over when the forecaster was a 53-year-old.", FROZEN, False),
        # the passage the words match gives its own count of years
        ("Its last cold snap, 53 years ago, left the banks flooded.", FROZEN, False),
    ],
)
def test_years_counted_from_a_start_the_source_gives(text: str, article: Article, passes: bool):
    assert ("number" not in kinds(text, article)) is passes
