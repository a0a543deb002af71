"""The URL spelling ids are made from: courlan's strict normalisation, kept in the project."""

from __future__ import annotations

import pytest

from newsdesk.model import canonical_url
from newsdesk.text.urls import archived_original, normalize_url

URLS = [
    "https://Example.COM/News/Story.html",
    "HTTP://example.com:80/a//b///c?utm_source=x&id=42#comments",
    "https://example.com:443/path/",
    "https://example.com:8443/path?page=2&fbclid=abc",
    "http://example.com:abc/broken-port",
    "https://xn--bcher-kva.example/artikel?ID=7&Lang=de&ref=home",
    "https://xn--invalid-.example/x",
    "https://example.com/../../up/../a",
    "https://example.com/caf\u00e9/na\u00efve story?q=caf\u00e9&p=1",
    "https://example.com/a%20b/%7Euser/it's(1)!?article_id=9&article_id=8",
    "https://example.com?page_id=3",
    "https://example.com/news?itemid=1&amp;postid=2&amp;sessionid=3",
    "https://example.com/;params?x=1",
    "//example.com/no-scheme",
    "example.com/bare/path?id=1",
    "mailto:someone@example.com",
    "https://user:pass@Example.com:80/x",
    "https://[::1]:443/v6",
    "https://example.com/%E2%82%AC/price?pid=%E2%82%AC",
    "https://example.com/a?b&c=&id=",
]


@pytest.mark.parametrize("url", URLS)
def test_the_same_spelling_as_courlan_strict(url: str) -> None:
    courlan = pytest.importorskip("courlan")
    try:
        expected = courlan.normalize_url(url, strict=True)
    except ValueError:
        with pytest.raises(ValueError):
            normalize_url(url)
        return
    assert normalize_url(url) == expected


def test_ids_keep_the_article_not_the_tracking() -> None:
    assert (
        canonical_url("HTTPS://News.Example.com:443//world/story?utm_source=feed&id=7#top")
        == "https://news.example.com/world/story?id=7"
    )
    assert canonical_url("https://[::1/unclosed") == "https://[::1/unclosed"


@pytest.mark.parametrize(
    ("capture", "original"),
    [
        (
            "https://web.archive.org/web/20041209223649/http://www.cnn.com:80/2004/TECH/x.html",
            "http://www.cnn.com:80/2004/TECH/x.html",
        ),
        # a capture mode after the stamp, the scheme left out, one slash of two lost
        ("http://web.archive.org/web/2004id_/www.example.com/a", "http://www.example.com/a"),
        ("https://web.archive.org/web/20041121/HTTPS:/example.com/a", "https://example.com/a"),
        (
            "https://archive.ph/2019.03.14-123456/https://example.com/a?id=1",
            "https://example.com/a?id=1",
        ),
        # not captures: the archive's other pages, another site's path that names it
        ("https://web.archive.org/web/*/example.com/a", None),
        ("https://example.com/web.archive.org/web/1/x", None),
        ("https://example.com/news/1", None),
        (None, None),
    ],
)
def test_a_web_archive_capture_tells_the_page_it_holds(
    capture: str | None, original: str | None
) -> None:
    assert archived_original(capture) == original


def test_a_capture_is_named_after_the_outlet_and_dated_by_the_article() -> None:
    from newsdesk.text.dates import url_date
    from newsdesk.text.sites import site_host

    capture = "https://web.archive.org/web/20160310103320/http://www.latimes.com/2004/nov/14/x"
    assert site_host(capture) == "latimes.com"
    moment = url_date(capture)
    assert moment is not None and moment.when.date().isoformat() == "2004-11-14"
