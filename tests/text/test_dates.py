"""The one date parser: every form a page writes a date in, and the ISO text it gives back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsdesk.model import Article
from newsdesk.text.dates import as_utc, epoch_seconds, from_iso, parse_date, url_date

FETCHED = datetime(2025, 6, 7, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("07 June 2025 14:01", "en", "2025-06-07T14:01:00"),
        ("Reuters November 18, 2019 11:03 PM", "en", "2019-11-18T23:03:00"),
        ("Опубликовано 12 марта 2019 в 10:15", "ru", "2019-03-12T10:15:00"),
        ("12 марта 2019", None, "2019-03-12"),
        ("7 juin 2025", None, "2025-06-07"),
        ("7 juin 2025", "fr", "2025-06-07"),
        ("기사입력 :[ 2018-08-25 15:24 ]", "ko", "2018-08-25T15:24:00"),
        ("2018年8月16日", "ja", "2018-08-16"),
        ("19.11.2019, 14:30 +01:00", "de", "2019-11-19T14:30:00+01:00"),
        ("2025-06-07T14:01", None, "2025-06-07T14:01:00"),
        ("2019-11-18T10:00:00.123Z", None, "2019-11-18T10:00:00+00:00"),
        ("2019-11-18T10:00:00-0500", None, "2019-11-18T10:00:00-05:00"),
        ("Mon, 18 Nov 2019 10:00:00 GMT", None, "2019-11-18T10:00:00+00:00"),
        ("Views: 241", "en", None),
        ("3 hours ago", "en", None),  # relative: no date without the fetch time
    ],
)
def test_parse_date_forms(text: str, language: str | None, expected: str | None) -> None:
    moment = parse_date(text, language)
    assert (moment.isoformat() if moment else None) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("3 hours ago", "en", "2025-06-07T12:30:00+00:00"),
        ("Updated 45 minutes ago", "en", "2025-06-07T14:45:00+00:00"),
        ("vor 3 Stunden", "de", "2025-06-07T12:30:00+00:00"),
        ("3 часа назад", "ru", "2025-06-07T12:30:00+00:00"),
        ("3時間前", "ja", "2025-06-07T12:30:00+00:00"),
        ("2 days ago", "en", "2025-06-05"),  # the day is known, not the hour
        ("yesterday", "en", "2025-06-06"),
        ("12 марта 2019", "ru", "2019-03-12"),  # a written date wins over the fetch time
    ],
)
def test_relative_dates_count_back_from_the_fetch_time(
    text: str, language: str, expected: str
) -> None:
    moment = parse_date(text, language, relative_to=FETCHED)
    assert moment is not None and moment.isoformat() == expected


def test_the_pages_offset_is_kept() -> None:
    moment = parse_date("2025-06-07T14:01:00+02:00")
    assert moment is not None
    assert moment.when.utcoffset() == timedelta(hours=2)
    assert moment.when == datetime(2025, 6, 7, 12, 1, tzinfo=UTC)


def test_article_published_is_a_datetime_and_its_json_keeps_date_only() -> None:
    day = Article.create(url=None, title="t", paragraphs=["p"], published="2025-06-07")
    assert day.published == datetime(2025, 6, 7) and day.published_date_only
    assert day.to_dict()["published"] == "2025-06-07"
    timed = Article.create(url=None, title="t", paragraphs=["p"], published="2025-06-07T14:01")
    assert timed.published == datetime(2025, 6, 7, 14, 1) and not timed.published_date_only
    assert timed.to_dict()["published"] == "2025-06-07T14:01:00"
    assert "published_date_only" not in timed.to_dict()
    assert Article.from_dict(timed.to_dict()) == timed
    assert Article.from_dict(day.to_dict()) == day
    zoned = Article.from_dict({"title": "t", "published": "2025-06-07T14:01:00+02:00"})
    assert zoned.published is not None
    assert zoned.published.tzinfo == timezone(timedelta(hours=2))
    assert Article.create(url=None, title="t", paragraphs=["p"], published=date(2025, 6, 7)) == day
    # Any form the one parser reads is read; what it cannot read is no date.
    assert Article.from_dict({"title": "t", "published": "7 juin 2025"}).published_iso == (
        "2025-06-07"
    )
    assert Article.from_dict({"title": "t", "published": "soon"}).published is None


def test_comparisons_count_naive_as_utc_and_a_date_as_midnight() -> None:
    assert as_utc("2025-06-07") == datetime(2025, 6, 7, tzinfo=UTC)
    assert as_utc("2025-06-07T14:01Z") == datetime(2025, 6, 7, 14, 1, tzinfo=UTC)
    assert as_utc("not a time") is None
    assert epoch_seconds(datetime(1970, 1, 2)) == 86_400
    assert epoch_seconds(1_000_000_000_000) == 1_000_000_000  # milliseconds
    assert from_iso("2025-06-07") == parse_date("2025-06-07")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2019/11/18/harbour-deal", "2019-11-18"),
        ("https://example.org/world/2004/nov/14/iraq", "2004-11-14"),
        ("https://example.org/news/harbour-deal-20190314.html", "2019-03-14"),
        (
            "https://web.archive.org/web/20200101000000/https://example.org/2019/03/14/x",
            "2019-03-14",
        ),
        ("https://example.org/2019/13/45/not-a-date", None),
        ("https://20190314.example.org/news", None),  # the host holds no date
    ],
)
def test_url_dates_are_read_by_the_same_module(url: str, expected: str | None) -> None:
    moment = url_date(url)
    assert (moment.isoformat() if moment else None) == expected


@pytest.mark.parametrize("language", [None, "en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl"])
def test_english_month_names_are_read_as_dateparser_reads_them_in_any_language(
    language: str | None,
) -> None:
    import dateparser

    from newsdesk.text.dates import _ENGLISH_MONTHS

    for name, month in _ENGLISH_MONTHS.items():
        for written in (name, name.title(), name.upper()):
            languages = [language, "en"] if language and language != "en" else ["en"]
            parsed = dateparser.parse(f"15 {written} 2001", languages=languages)
            assert parsed is not None and (parsed.year, parsed.day) == (2001, 15), written
            assert parsed.month == month, (written, language)
            text = f"15 {written} 2001" if len(written) > 3 else f"15 {written}. 2001"
            found = parse_date(text, language)
            assert found is not None and found.isoformat() == f"2001-{month:02d}-15", text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Abbreviations dateparser, beside English, took for time zones (SET, MART, AWST),
        # which left the month to today's: 15 December.
        ("15 set 2001", "it", "2001-09-15"),
        ("15 set. 2001", "pt", "2001-09-15"),
        ("15 Mart 2001", "tr", "2001-03-15"),
        ("15 Awst 2001", "cy", "2001-08-15"),
        # The form inside a date and the one standing alone.
        ("15 сентября 2001", "ru", "2001-09-15"),
        ("15 сентябрь 2001", "ru", "2001-09-15"),
        ("15. Juli 2001", "de", "2001-07-15"),
        # A language whose months CLDR gives under another (Norwegian Bokmål): dateparser.
        ("15. januar 2001", "nb", "2001-01-15"),
        # A month named in another language than the page's.
        ("15 outubro 2001", "en", "2001-10-15"),
        # No month at all: no date, not one in today's month.
        ("15 Sunday 2001", "en", None),
        ("15 Nobody 2001", "it", None),
    ],
)
def test_month_names_of_the_pages_language(text: str, language: str, expected: str | None) -> None:
    moment = parse_date(text, language)
    assert (moment.isoformat() if moment else None) == expected


def test_months_file_matches_the_installed_babel() -> None:
    import json

    import babel

    from newsdesk.text.dates import MONTHS_FILE, build_months

    table = json.loads(MONTHS_FILE.read_text(encoding="utf-8"))
    if table["babel"] != babel.__version__:
        pytest.skip(
            f"months.json was built with Babel {table['babel']}, {babel.__version__} is "
            "installed: run python scripts/build_months.py"
        )
    assert table["months"] == build_months()


def test_months_of_any_language_are_the_months_dateparser_finds() -> None:
    """On an English page (or one of unknown language) a month name of another language is
    read from CLDR's names as dateparser, guessing the language, reads it: every 12th name
    of the table, in every form of writing."""
    import dateparser

    from newsdesk.text.dates import _any_language_months

    names = sorted(_any_language_months().items())
    assert len(names) > 500
    settings = {"REQUIRE_PARTS": ["day", "month", "year"]}
    for name, month in names[::12]:
        parsed = dateparser.parse(f"15 {name} 2001", settings=settings)
        assert parsed is not None and (parsed.year, parsed.month, parsed.day) == (2001, month, 15)
        for language in (None, "en"):
            found = parse_date(f"15 {name.title()} 2001", language)
            assert found is not None and found.isoformat() == f"2001-{month:02d}-15", name


@pytest.mark.parametrize(
    "phrase",
    [
        "3 hours ago", "1 hour ago", "an hour ago", "a minute ago", "one day ago",
        "45 minutes ago", "45 mins ago", "5 min ago", "10 seconds ago", "30 secs ago",
        "2 days ago", "1 week ago", "3 weeks ago", "Yesterday", "yesterday", "An hour ago",
        "22 Hours ago", "7days ago", "0 minutes ago", "400 days ago",
    ],
)  # fmt: skip
@pytest.mark.parametrize("language", [None, "en"])
def test_english_relative_dates_count_back_as_dateparser_does(
    phrase: str, language: str | None
) -> None:
    import dateparser

    from newsdesk.text.dates import _english_relative

    for base in (datetime(2025, 6, 7, 15, 30, 12, 345678), datetime(2024, 3, 1, 0, 5)):
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        expected = dateparser.parse(
            phrase, languages=[language] if language else None, settings=settings
        )
        assert expected is not None
        assert _english_relative(phrase, base) == expected, (phrase, base)
        fetched = base.replace(tzinfo=UTC)
        moment = parse_date(phrase, language, relative_to=fetched)
        assert moment is not None


def test_relative_dates_in_months_and_years_are_still_read() -> None:
    from newsdesk.text.dates import _english_relative

    base = datetime(2025, 6, 7, 15, 30)
    assert _english_relative("2 months ago", base) is None  # dateparser's
    moment = parse_date("2 months ago", "en", relative_to=base.replace(tzinfo=UTC))
    assert moment is not None and moment.isoformat() == "2025-04-07"
