"""The URL spelling ids are made from: courlan's strict normalisation, kept in the project."""

from __future__ import annotations

import pytest

from newsdesk.model import canonical_url
from newsdesk.text.urls import normalize_url

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
