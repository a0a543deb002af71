"""Titles and bylines on small pages of our own, one per kind of error seen on real pages.

Titles: the site's name after a separator in any script, a date after it, a byline after
it, a photo credit, a section name that another title shows to be a tail. Authors: the
outlet in place of the person, "and"/"und"/"y"/"et" between names, e-mails, @handles,
initials in brackets, "All rights reserved", givenName/familyName, a byline seen only on
the page, non-Latin names.
"""

from __future__ import annotations

import json

import pytest

from newsdesk import extract

PROSE = (
    "The council approved the new budget on Tuesday, after a long debate about schools, "
    "roads and the cost of public transport in the city. "
)


def page(
    head: str = "",
    byline: str = "",
    ld: dict | None = None,
    url: str = "https://www.example-news.com/a",
) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (
        f"<html><head>{head}{script}</head><body><article>"
        f"{byline}<p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
    )


def title_of(head: str, url: str = "https://www.example-news.com/a") -> str:
    return extract(page(head), url=url).title


@pytest.mark.parametrize(
    ("og", "site", "want"),
    [
        ("Budget passes after long debate | Sport", None, None),
        (
            "Ukrainische Gegenoffensive: Ziele | DW | 28.04.2023",
            "DW.COM",
            "Ukrainische Gegenoffensive: Ziele",
        ),
        (
            "„Unermüdlicher Einsatz“ - Die Neue Südtiroler Tageszeitung",
            "Die Neue Südtiroler Tageszeitung",
            "„Unermüdlicher Einsatz“",
        ),
        ("市議会が予算案を可決:東京新聞デジタル", "東京新聞デジタル", "市議会が予算案を可決"),
        ("예산안 통과 | 한국일보", "한국일보", "예산안 통과"),
        (
            "Budget passes after long debate | The Gazette | by Jane Doe",
            "The Gazette",
            "Budget passes after long debate",
        ),
        (
            "Budget passes after long debate (Credit: iStock)",
            None,
            "Budget passes after long debate",
        ),
    ],
)
def test_title_loses_site_name_date_byline_and_credit(
    og: str, site: str | None, want: str | None
) -> None:
    head = f'<meta property="og:title" content="{og}">'
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    got = title_of(head)
    assert got == (want or og)


def test_title_keeps_a_year_and_a_pipe_inside_the_headline() -> None:
    for headline in (
        "Plans for the campaign in 2025",
        "BUDGET 3.0 | Sars gets R4bn to hire debt collectors",
    ):
        head = f'<meta property="og:title" content="{headline}"><title>{headline} - Gazette</title>'
        assert title_of(head) == headline


def test_section_tail_cut_where_another_title_stops() -> None:
    head = (
        '<meta property="og:title" content="Russia hits Kyiv with missiles - National | Globalnews.ca">'
        "<title>Russia hits Kyiv with missiles - National | Globalnews.ca</title>"
    )
    ld = {"@type": "NewsArticle", "headline": "Russia hits Kyiv with missiles"}
    html = page(head, ld=ld)
    assert (
        extract(html, url="https://globalnews.ca/news/1/").title == "Russia hits Kyiv with missiles"
    )


def authors_of(*, ld_author=None, meta: str = "", byline: str = "", site: str = "") -> list[str]:
    ld = (
        {"@type": "NewsArticle", "headline": "Budget passes", "author": ld_author}
        if ld_author
        else None
    )
    head = (f'<meta name="author" content="{meta}">' if meta else "") + (
        f'<meta property="og:site_name" content="{site}">' if site else ""
    )
    return list(extract(page(head, byline, ld), url="https://www.example-news.com/a").authors)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Samya Kullab and Vasilisa Stepanenko", ["Samya Kullab", "Vasilisa Stepanenko"]),
        ("Anna Martel und Lea Wagner", ["Anna Martel", "Lea Wagner"]),
        ("Marta Cañete y Daniel Aragón", ["Marta Cañete", "Daniel Aragón"]),
        ("Claire Dupont et Marc Leroy", ["Claire Dupont", "Marc Leroy"]),
        (
            "By Mamokete Modiba, Sarah Charlton and Tanya Zack",
            ["Mamokete Modiba", "Sarah Charlton", "Tanya Zack"],
        ),
        ("Jane Doe (jd)", ["Jane Doe"]),
        ("Jane Doe jane.doe@example-news.com", ["Jane Doe"]),
        ("Jane Doe @janedoe", ["Jane Doe"]),
        ("Андрей Колесников", ["Андрей Колесников"]),
        ("松岡大地", ["松岡大地"]),
        ("Bruce Y. Lee", ["Bruce Y. Lee"]),  # "y" joins names only in lower case
        ("Paolo Rossi e Maria Bianchi", ["Paolo Rossi", "Maria Bianchi"]),
        ("Jeff Foust Monday", ["Jeff Foust"]),
        ("DANICA KIRKA and JILL LAWLESS Associated Press", ["DANICA KIRKA", "JILL LAWLESS"]),
        ("Текст: Венера Ерофеева", ["Венера Ерофеева"]),
    ],
)
def test_byline_strings_become_names(raw: str, want: list[str]) -> None:
    assert authors_of(meta=raw) == want
    assert authors_of(ld_author={"@type": "Person", "name": raw}) == want


def test_a_job_title_credited_beside_the_writer_is_no_author() -> None:
    ld_author = [
        {"@type": "Person", "name": "Steve Peoples"},
        {"@type": "Person", "name": "AP National Political Writer"},
    ]
    assert authors_of(ld_author=ld_author) == ["Steve Peoples"]
    assert authors_of(meta="Chris Cillizza, CNN Editor-at-large") == ["Chris Cillizza"]


def test_given_and_family_names_are_joined() -> None:
    ld_author = [
        {"@type": "Person", "givenName": "Birgit", "familyName": "Baumann"},
        {"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"},
    ]
    assert authors_of(ld_author=ld_author) == ["Birgit Baumann", "Anna Giulia Fink"]


def test_the_outlet_gives_way_to_the_person_in_the_byline() -> None:
    got = authors_of(
        ld_author={"@type": "Organization", "name": "STERN.de"},
        byline='<div class="authors"><span class="author">von Jemima Kelly</span></div>',
        site="STERN.de",
    )
    assert got == ["Jemima Kelly"]
    got = authors_of(
        meta="Deutsche Welle (www.dw.com)", byline='<p class="byline">By Roman Goncharenko</p>'
    )
    assert got == ["Roman Goncharenko"]


def test_outlet_kept_only_when_no_person_is_named() -> None:
    assert authors_of(ld_author={"@type": "Organization", "name": "Lesotho Times"}) == [
        "Lesotho Times"
    ]
    assert authors_of(meta="All rights reserved") == []


def test_an_agency_credited_beside_a_person_stays() -> None:
    ld_author = [
        {"@type": "Person", "name": "Paula Steiger"},
        {"@type": "Organization", "name": "SDA"},
    ]
    assert authors_of(ld_author=ld_author) == ["Paula Steiger", "SDA"]


def test_the_site_listed_beside_a_person_in_json_ld_is_a_credit() -> None:
    ld_author = [
        {"@type": "Person", "name": "Julia Berger"},
        {"@type": "Organization", "name": "example-news"},
    ]
    assert authors_of(ld_author=ld_author, site="example-news") == [
        "Julia Berger",
        "example-news",
    ]
    # Named alone, the site still gives way to the person in the visible byline.
    got = authors_of(
        ld_author={"@type": "Organization", "name": "example-news"},
        byline='<p class="byline">By Julia Berger</p>',
        site="example-news",
    )
    assert got == ["Julia Berger"]


def test_two_bylines_on_the_page_when_the_metadata_names_one() -> None:
    byline = (
        '<div class="bylines"><div class="byline"><a rel="author" href="mailto:a@x.no">'
        'Ingrid Treborg</a></div><div class="byline"><a rel="author" href="mailto:b@x.no">'
        "Marlene Lundberg Holm</a></div></div>"
    )
    got = authors_of(
        ld_author=[{"@type": "Person", "name": "Marlene Lundberg Holm"}], byline=byline
    )
    assert got == ["Marlene Lundberg Holm", "Ingrid Treborg"]


def test_title_site_name_ending_in_the_host_name_and_star_separators() -> None:
    head = '<meta property="og:title" content="„Unermüdlicher Einsatz“ - Die Neue Südtiroler Tageszeitung">'
    assert (
        title_of(head, url="https://www.tageszeitung.it/2025/04/01/x/") == "„Unermüdlicher Einsatz“"
    )
    head = '<meta property="og:title" content="Zelensky considers firing top general * Pundit Daily * by Paul Serran">'
    assert (
        title_of(head, url="https://www.punditdaily.com/x/")
        == "Zelensky considers firing top general"
    )


def test_the_headline_the_seo_title_does_not_repeat() -> None:
    """og:title and JSON-LD headline differ; the <title> repeats og:title (written for
    search engines), so the JSON-LD headline is the editorial one, and the other way."""
    og = "Feuer in Lichterfelde: Warnung vor giftigen Brandgasen"
    ld = "Brand in Betrieb in Lichterfelde - Starke Rauchentwicklung"
    site = '<meta property="og:site_name" content="Morgenpost">'
    head = f'{site}<meta property="og:title" content="{og}"><title>{og} - Morgenpost</title>'
    got = extract(page(head, ld={"@type": "NewsArticle", "headline": ld})).title
    assert got == ld
    head = f'{site}<meta property="og:title" content="{og}"><title>{ld} - Morgenpost</title>'
    got = extract(page(head, ld={"@type": "NewsArticle", "headline": ld})).title
    assert got == og


def test_a_bold_byline_paragraph_when_the_metadata_names_only_the_outlet() -> None:
    html = page(
        '<meta property="og:site_name" content="Lesotho Times">',
        byline="<p><em>…as villages cry foul</em></p>"
        "<p><strong>Mathatisi Sebusi/Mohalenyane Phakela</strong></p>",
        ld={
            "@type": "BlogPosting",
            "headline": "Mining blasts",
            "author": {"name": "Lesotho Times"},
        },
    )
    article = extract(html, url="https://lestimes.com/mining-blasts/")
    assert list(article.authors) == ["Mathatisi Sebusi", "Mohalenyane Phakela"]
    assert not any("Sebusi" in p for p in article.paragraphs)  # the byline is not body


def test_a_byline_behind_a_brand_word() -> None:
    byline = '<div class="authors">capital von Jemima Kelly 05. November 2024 15:36 Uhr</div>'
    assert authors_of(
        ld_author={"@type": "Organization", "name": "STERN.de"}, byline=byline, site="STERN.de"
    ) == ["Jemima Kelly"]


def test_a_labelled_byline_when_the_metadata_names_only_the_outlet() -> None:
    byline = (
        '<ul class="facts"><li><strong>Datum</strong> 28.04.2023</li>'
        "<li><strong>Autorin/Autor</strong> Roman Goncharenko</li></ul>"
    )
    assert authors_of(meta="Deutsche Welle (www.dw.com)", byline=byline) == ["Roman Goncharenko"]


def test_a_title_cut_mid_phrase_gives_way() -> None:
    og = "Hamburg Marathon 2024: Überlegener Sieger und"
    ld = "Kinder-Marathon am Sonnabend: Eltern bei Aufstellung unerwünscht"
    head = f'<meta property="og:title" content="{og}">'
    assert extract(page(head, ld={"@type": "NewsArticle", "headline": ld})).title == ld


def test_one_meta_author_per_writer_and_a_korean_job_title() -> None:
    """Two <meta name="author">: the outlet's and the writer's with "기자" (reporter)."""
    head = (
        '<meta property="og:site_name" content="서울일보">'
        '<meta name="author" content="서울일보"><meta name="author" content="김민지 기자">'
    )
    html = page(head, url="https://www.seoulilbo.example/news/1")
    assert list(extract(html, url="https://www.seoulilbo.example/news/1").authors) == ["김민지"]


def test_several_meta_authors_are_all_kept() -> None:
    head = '<meta name="author" content="Jane Doe"><meta name="author" content="John Roe">'
    assert list(extract(page(head)).authors) == ["Jane Doe", "John Roe"]


def test_meta_headline_cuts_a_section_glued_to_the_title() -> None:
    """og:title "headline-section|site" (Hangul ㅣ as the bar); <meta name="headline">."""
    head = (
        '<meta property="og:site_name" content="서울일보">'
        '<meta property="og:title" content="예산안 국회 통과, 여야 합의-정치ㅣ서울일보">'
        '<meta name="headline" content="예산안 국회 통과, 여야 합의">'
    )
    url = "https://www.seoulilbo.example/news/1"
    assert extract(page(head), url=url).title == "예산안 국회 통과, 여야 합의"


def test_an_itemprop_headline_is_not_the_page_headline() -> None:
    """A subhead marked itemprop="headline" is no <meta name="headline"> (read as the
    JSON-LD headline, it won: the <title> repeats og:title)."""
    title = "Council passes the budget - The Gazette"
    head = (
        f'<title>{title}</title><meta property="og:title" content="{title}">'
        '<meta property="og:site_name" content="The Gazette">'
    )
    subhead = '<h1>... and schools get more</h1><meta itemprop="headline" content="... and schools get more">'
    html = page(head).replace("<article>", f"<article><h1>Council passes the budget</h1>{subhead}")
    assert extract(html).title == "Council passes the budget"


def test_the_sites_admin_account_is_no_author() -> None:
    """The metadata credits "/author/admin/" (an account with a made-up name); the page's
    description is the writer's name."""
    account = "https://www.example-news.com/author/admin/"
    head = '<meta property="og:description" content="THANDI MKHIZE&nbsp;">'
    byline = f'<span class="author vcard"><a href="{account}">Gazette D</a></span>'
    ld = {
        "@type": "NewsArticle",
        "headline": "Budget passes",
        "author": {"@id": account, "name": "Gazette D"},
    }
    html = page(head, byline, ld)
    assert list(extract(html, url="https://www.example-news.com/a").authors) == ["THANDI MKHIZE"]


def test_the_editor_credited_in_the_metadata_gives_way_to_the_writer() -> None:
    """JSON-LD names as author the person the page labels "Editor : ..."; the byline
    above it names the writer."""
    byline = (
        '<div class="info"><div class="author-2">Naufal Rahman</div>'
        '<div class="info-author">Editor : Budi Santoso</div></div>'
    )
    assert authors_of(ld_author={"@type": "Person", "name": "Budi Santoso"}, byline=byline) == [
        "Naufal Rahman"
    ]


def test_an_editor_who_is_also_the_writer_stays() -> None:
    byline = '<div class="info-author">Editor : Budi Santoso</div>'
    assert authors_of(ld_author={"@type": "Person", "name": "Budi Santoso"}, byline=byline) == [
        "Budi Santoso"
    ]


def test_the_title_spelt_as_most_candidates_spell_it() -> None:
    """og:title with straight quotes; the h1, <title> and JSON-LD headline print ’."""
    curly = "What a Crime Film Can Teach About Doing What’s Right, Not What’s Easy"
    straight = curly.replace("’", "'")
    head = (
        f'<meta property="og:title" content="{straight}">'
        f"<title>{curly} – The Gazette</title>"
        '<meta property="og:site_name" content="The Gazette">'
    )
    html = page(head, ld={"@type": "NewsArticle", "headline": curly}).replace(
        "<article>", f"<article><h1>{curly}</h1>"
    )
    assert extract(html).title == curly


def test_a_tie_in_spelling_keeps_og_title() -> None:
    curly = "A young lawyer’s journey from adversity to advocacy"
    straight = curly.replace("’", "'")
    head = f'<meta property="og:title" content="{straight}"><title>{straight}</title>'
    html = page(head, ld={"@type": "NewsArticle", "headline": curly}).replace(
        "<article>", f"<article><h1>{curly}</h1>"
    )
    assert extract(html).title == straight


def test_a_prefixed_byline_in_a_list_item_no_class_names() -> None:
    """No metadata names anyone; "Von: A, B" sits in a plain <li> of facts."""
    byline = (
        '<ul class="information"><li>3 Minuten Lesezeit</li><li>Von: <span><a href="/bill">'
        'Bill CARTER</a>, </span><span><a href="/mia">Mia Lund</a></span></li></ul>'
    )
    assert authors_of(byline=byline) == ["Bill CARTER", "Mia Lund"]


def test_a_prefixed_line_of_words_is_no_byline() -> None:
    byline = "<p>By: the end of the year, the council hopes to open the bridge</p>"
    assert authors_of(byline=byline) == []


def test_a_byline_with_no_class_name_right_after_the_headline() -> None:
    def header_authors(line: str) -> list[str]:
        html = (
            f"<html><body><article><h1>Budget passes</h1><p>{line}</p>"
            f"<p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
        )
        return list(extract(html, url="https://www.example-news.com/a").authors)

    assert header_authors('By TPN, in <a href="/news">News</a> · 31 Jan 2025') == ["TPN"]
    assert header_authors("By Louis Jacobson on Monday, March 1st") == ["Louis Jacobson"]
    assert header_authors("By continuing to use this site you agree to cookies") == []


def test_a_headline_given_as_the_application_name_is_still_the_title() -> None:
    """MSN gives each page's headline as <meta name="application-name">: it named the site,
    every title candidate then read as the site's name, and the title came out empty."""
    headline = "Doctors offer to give free flu shots to detained migrants, warn of epidemic"
    head = (
        f'<meta name="application-name" content="{headline}">'
        f'<meta property="og:title" content="{headline}">'
        f"<title>{headline}</title>"
    )
    assert title_of(head) == headline
    assert title_of(head + '<meta property="og:site_name" content="MSN">') == headline


@pytest.mark.parametrize(
    ("title", "url", "want"),
    [
        # the brand before the host's main label, after a dash spaced on its right only
        (
            "Council passes the budget- The Evening Ledger",
            "https://eveningledger.megagroup.com/articles/1",
            "Council passes the budget",
        ),
        # the site's initials before a colon
        (
            "Riverside Morning Star:'Comet' tops the box office again",
            "https://www.rms.com/apps/story?id=5",
            "'Comet' tops the box office again",
        ),
        # what is not the site stays, a suspended hyphen included
        ("Brexit: May wins the vote", "https://www.rms.com/a", "Brexit: May wins the vote"),
        (
            "Pre- and post-war budgets - Evening Ledger",
            "https://eveningledger.megagroup.com/a",
            "Pre- and post-war budgets",
        ),
    ],
)
def test_the_sites_name_written_out_or_by_its_initials_leaves_the_title(
    title: str, url: str, want: str
) -> None:
    assert title_of(f"<title>{title}</title>", url=url) == want


def test_a_page_titled_with_the_sites_name_alone_takes_its_first_line() -> None:
    html = (
        "<html><head><title>The Harbour Times Online</title></head><body><article>"
        "<h1>The Harbour Times Online</h1><p>Port expansion approved by the council</p>"
        f"<p>By JANE DOE</p><p>{PROSE * 3}</p><p>{PROSE * 2}</p></article></body></html>"
    )
    article = extract(html, url="https://www.harbourtimes.com/cgi-bin/story?id=1")
    assert article.title == "Port expansion approved by the council"
    # the article may belong to the name: "Le Monde" on lemonde.fr is the site too
    html = html.replace("The Harbour Times Online", "Le Monde")
    assert extract(html, url="https://www.lemonde.fr/x/1.html").title != "Le Monde"
