"""The outlets of the cited articles: a sentence may name the outlet it cites.

"Politico reports that ...", "according to the BBC", "the Guardian reminded readers ...":
a sentence that credits a claim to the outlet of an article it cites states nothing that
article does not (that the outlet published it), so the outlet's name is checked against
the cited articles' outlets, by how the extractor reads a page's site (``text.sites``:
the site name, "BBC News", and the web address, news.bbc.co.uk), not against their text.
Any other name, another outlet's included, must still be in the cited text: "Reuters
reports" citing only an AP story is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from newsdesk.model import Article
from newsdesk.text.sites import key_core, name_key, names_the_site, site_keys


def outlet_keys(articles: Iterable[Article]) -> frozenset[str]:
    """The keys of the outlets of ``articles`` (``text.sites.site_keys``)."""
    keys: set[str] = set()
    for article in articles:
        keys |= _outlet_keys(article.site_name, article.url)
    return frozenset(keys)


@lru_cache(maxsize=4096)  # asked for every sentence that cites the article
def _outlet_keys(site_name: str | None, url: str | None) -> frozenset[str]:
    return frozenset(site_keys([site_name], url))


def may_name_outlet(text: str, keys: frozenset[str]) -> bool:
    """A cheap first look: whether ``text`` holds one of the keys at all, its address's
    "the" and "news" aside (most sentences name no outlet, and need no name search for
    one). An outlet written out only by the words its initials stand for is not looked for."""
    run = name_key(text)
    return any(key_core(key) in run for key in keys)


def names_outlet(name: str, keys: frozenset[str]) -> bool:
    """``name`` is the whole name of one of the outlets whose ``keys`` are given, a
    possessive aside ("the BBC's report")."""
    return bool(keys) and names_the_site(_POSSESSIVE.sub("", name.strip()), set(keys))


_POSSESSIVE = re.compile(r"['’]s?$")
