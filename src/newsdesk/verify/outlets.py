"""The outlets of the cited articles: a sentence may name the outlet it cites.

"Politico reports that ...", "according to the BBC", "the Guardian reminded readers ...":
a sentence that credits a claim to the outlet of an article it cites states nothing that
article does not (that the outlet published it), so the outlet's name is checked against
the cited articles' outlets (their site name, "BBC News", and their web address,
news.bbc.co.uk), not against their text. Any other name, another outlet's included, must
still be in the cited text: "Reuters reports" citing only an AP story is flagged.

An outlet is matched by its name written as one run of letters ("LA Times" = latimes.com,
"the Guardian" = theguardian.com, "ABC" = abcnews.go.com, "The New York Times" = its site
name), so a name must be the outlet's whole name, not a word of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from newsdesk.model import Article
from newsdesk.verify.text import fold

# Labels of a web address that name no outlet: prefixes, and the second-level parts of
# country domains (bbc.co.uk, abc.net.au).
_GENERIC_LABELS = frozenset(
    {"www", "www1", "www2", "www3", "web", "online", "m", "mobile", "amp", "edition", "news", "articles",
     "en", "english", "co", "com", "org", "net", "gov", "edu", "ac", "go", "blogs", "blog"}
)  # fmt: skip
# Words a site name or address adds to the outlet's name ("BBC News", abcnews.go.com).
_SUFFIXES = ("news", "online", "com")
_NOT_LETTER = re.compile(r"[^a-z0-9]")
_MIN_LETTERS = 3  # shorter runs ("ap", "m") name too many things


def compact(name: str) -> str:
    """A name as one run of letters and digits, lower case, accents and a leading "the"
    dropped: "The Guardian" -> "guardian", "LA Times" -> "latimes", "BBC's" -> "bbc"."""
    folded = re.sub(r"['’]s$", "", fold(name.strip()))
    folded = re.sub(r"^the\s+", "", folded)
    return _NOT_LETTER.sub("", folded)


def _forms(run: str) -> set[str]:
    """A compacted name and its forms without a leading "the" or a trailing "news"."""
    forms = {run}
    if run.startswith("the") and len(run) - 3 >= _MIN_LETTERS:
        forms.add(run[3:])
    for form in list(forms):
        for suffix in _SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= _MIN_LETTERS:
                forms.add(form[: -len(suffix)])
    return {form for form in forms if len(form) >= _MIN_LETTERS}


@lru_cache(maxsize=4096)
def _keys(site_name: str, url: str) -> frozenset[str]:
    keys: set[str] = set()
    if site_name:
        keys |= _forms(compact(site_name))
    host = (urlsplit(url).hostname or "") if url else ""
    labels = host.split(".")[:-1]  # the last label is the top-level domain
    for label in labels:
        if label not in _GENERIC_LABELS:
            keys |= _forms(_NOT_LETTER.sub("", label))
    return frozenset(keys)


def outlet_keys(articles: Iterable[Article]) -> frozenset[str]:
    """The compacted names of the outlets of ``articles`` (site names and addresses)."""
    keys: set[str] = set()
    for article in articles:
        keys |= _keys(article.site_name or "", article.url or "")
    return frozenset(keys)


def names_outlet(name: str, keys: frozenset[str]) -> bool:
    """``name`` is the whole name of one of the outlets whose ``keys`` are given."""
    return bool(keys) and compact(name) in keys
