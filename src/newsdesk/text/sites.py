"""How a page names its site, and whether a text is that name: shared by the extractor
(a site's name cut from a title, an outlet told from a byline) and the verifier (a sentence
crediting the outlet it cites: "Politico reports ...").

A site is named by keys: its site names and publisher, its web address and the address's
main label ("mirror.co.uk" -> "mirror"), each as letters and digits only, case folded. A
text names the site when it is one of those keys written out, maybe with an article before
and "Online" or "News" after ("The Japan Times Online"), or its initials.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from newsdesk.text.urls import archived_original

_KEY = re.compile(r"[\W_]+")
_DOMAIN_NAME = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)


def name_key(text: str) -> str:
    """Letters and digits only, case folded: "STERN.de" and "stern de" share a key."""
    return _KEY.sub("", unicodedata.normalize("NFKC", text).casefold())


def host_of(url: str | None) -> str:
    """The URL's host name, "" for none or for a URL urllib refuses ("http://[bad")."""
    try:
        return urlsplit(url or "").hostname or ""
    except ValueError:
        return ""


def site_host(url: str | None) -> str | None:
    """The URL's host name without "www.", the site's name where nothing else gives it
    (a web archive's capture: the host of the page captured); None for none."""
    return host_of(archived_original(url) or url).removeprefix("www.") or None


def site_keys(names: Iterable[str | None], url: str | None) -> set[str]:
    """Keys of every way the page names its site: site names, publisher, host and its label."""
    keys: set[str] = set()
    hosts = [site_host(url) or ""]
    for name in names:
        if name and len(name_key(name)) >= 2:
            keys.add(name_key(name))
            if _DOMAIN_NAME.match(name.strip()):
                hosts.append(name.strip().lower().removeprefix("www."))  # "DW.COM", "STERN.de"
    for host in hosts:
        if not host:
            continue
        keys.add(name_key(host))
        labels = host.split(".")
        # "globalnews.ca" -> "globalnews"; "mirror.co.uk" -> "mirror"
        main = labels[-3] if len(labels) >= 3 and len(labels[-2]) <= 3 else labels[-2:][0]
        if len(main) >= 2:
            keys.add(name_key(main))
        # A brand before the main label: "economictimes" of economictimes.indiatimes.com.
        first = labels[0]
        if len(labels) >= 3 and first != main and len(first) >= 6 and first not in _HOST_WORDS:
            keys.add(name_key(first))
    return keys


# First labels of hosts that name a section or a service, not the site.
_HOST_WORDS = frozenset(
    {
        "articles", "business", "economy", "edition", "english", "football", "mobile",
        "money", "online", "politics", "portal", "sports", "society", "weblog", "world",
    }
)  # fmt: skip
# Words around a site's name that do not change which site it names ("The Japan Times
# Online", "BBC News").
_ARTICLES = frozenset({"the", "die", "der", "das", "le", "la", "les", "el", "il", "de"})
# Words an address writes around the outlet's name: "theguardian", "abcnews".
_ADDRESS_ARTICLE, _ADDRESS_NEWS = "the", "news"
_SITE_FILLERS = frozenset({"online", "news", "com", "net", "org", "web", "website", "digital"})


def key_core(key: str) -> str:
    """A key without the article or "news" an address writes around a name ("theguardian",
    "abcnews"), where a name is left."""
    core = key.removeprefix(_ADDRESS_ARTICLE).removesuffix(_ADDRESS_NEWS)
    return core if len(core) >= 2 else key


def names_the_site(text: str, keys: set[str]) -> bool:
    """Whether ``text`` is the site's name and nothing else: a site key written out
    ("The Economic Times" on economictimes.indiatimes.com), maybe with an article before and
    "Online" or "News" after ("The Japan Times Online"), or by its initials ("Lansing
    State Journal" on lsj.com); or a key without the article or the "news" the address
    writes ("Guardian" on theguardian.com, "ABC" on abcnews.go.com)."""
    written = [w for w in text.split() if name_key(w)]
    if not 1 <= len(written) <= 6:
        return False
    words = [name_key(w) for w in written]
    if _names_site(written, words, keys):
        return True
    # The article may be part of the name ("El País" on elpais.com) or not ("The Japan Times").
    return len(words) > 1 and words[0] in _ARTICLES and _names_site(written[1:], words[1:], keys)


def _names_site(written: list[str], words: list[str], keys: set[str]) -> bool:
    """``names_the_site`` for words as written and as keys: a key, then fillers only."""
    for n in range(len(words), 0, -1):
        if not all(w in _SITE_FILLERS for w in words[n:]):
            break
        joined = "".join(words[:n])
        if joined in keys or _ADDRESS_ARTICLE + joined in keys or joined + _ADDRESS_NEWS in keys:
            return True
        capitals = all(w[:1].isupper() for w in written[:n])
        if n >= 3 and capitals and "".join(w[0] for w in words[:n]) in keys:
            return True
    return False
