"""The page's own headline, from the title candidates a page gives, site name stripped.

Pages name their article several times: OpenGraph ``og:title`` (what the outlet shows when
the article is shared: the headline as edited), JSON-LD ``headline`` (often the SEO title,
with a kicker in front), ``twitter:title``, the first ``<h1>`` and the ``<title>``. Each
is cleaned of what is not the headline: the site's name ("... | DW", "... - Lesotho
Times", "...:東京新聞デジタル"), a date, a byline, a section name that another candidate
shows to be a suffix, and photo credits ("(Credit: iStock)"). Works on any language:
nothing here knows a word of one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from newsdesk.text.sites import name_key, names_the_site

# Characters that separate a headline from a site or section name (ᅵ and ㅣ, Hangul vowel
# jamo never found inside a written Korean word, serve Korean sites as a bar).
_SEPARATOR_CHARS = "|｜ᅵㅣ-–—·•»«:：/~*"
_EDGE = re.compile(rf"^[\s{re.escape(_SEPARATOR_CHARS)}]+|[\s{re.escape(_SEPARATOR_CHARS)}]+$")
# A dash spaced on its right only ("new high- The Economic Times") separates too: a part is
# dropped only when it names the site, and the rest is kept as the page wrote it.
_SPACED_SEPARATOR = re.compile(r"\s+[|｜\-–—·•»«~*/]\s+|\s*[|｜ᅵㅣ]\s*|\s*::\s*|(?<=\w)[-–—]\s+")
# A site's name before a colon ("Lansing State Journal:'Fockers' sets ...").
_LEADING_NAME = re.compile(r"^([^:：|｜]{2,60}?)\s*[:：|｜]\s*(?=\S)")
_TRAILING_DATE = re.compile(
    r"[\s|｜\-–—·•,]*\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b\s*$|\s*[|｜\-–—·•,]\s*(?:19|20)\d\d\s*$"
)
_TRAILING_BYLINE = re.compile(
    r"\s+[|｜\-–—·•*]\s+(?:by|von|par|por|di|door|av|przez)\s+[^|｜]{2,60}$", re.I
)
_CREDIT = re.compile(
    r"\s*[(\[](?:[^()\[\]]*\b(?:credit|credits|foto|photo|image|bild|picture)\s*[:©]"
    r"|[^()\[\]]*(?:©|\bistock|\bgetty|\bshutterstock|\bimago\b|\bdpa-bildfunk))[^()\[\]]*[)\]]\s*$",
    re.I,
)
_MAX_TITLE_CHARS = 1000
# A title ending in a conjunction or an article was cut short (a length limit).
_CUT_SHORT = re.compile(
    r"\s(?:and|or|the|a|an|of|to|und|oder|der|die|das|mit|für|et|ou|le|la|les|des|y|o|el|"
    r"los|las|il|og|eller|och|het|en|и|в|на)$",
    re.I,
)


def _is_site(segment: str, keys: set[str]) -> bool:
    key = name_key(segment)
    if not key:
        return True  # nothing but punctuation
    if key in keys or names_the_site(segment, keys):
        return True
    # "Mirror Online", "NTV Haber", "Lesotho Times News": a site key plus at most a word.
    # "Die Neue Südtiroler Tageszeitung" on tageszeitung.it: a longer name ending in one.
    words = segment.split()
    return len(words) <= 4 and any(
        (len(k) >= 3 and key.startswith(k)) or (len(k) >= 6 and key.endswith(k)) for k in keys
    )


def collapse(text: str) -> str:
    """Entities decoded ("&quot;" in JSON-LD), runs of whitespace made one space."""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())  # runs of white space as one space, ends stripped


def strip_site(title: str, keys: set[str]) -> str:
    """Drop the site's name, a date and a byline from either end of a title."""
    title = collapse(title)
    for _ in range(4):
        before = title
        title = _CREDIT.sub("", title)
        title = _TRAILING_BYLINE.sub("", title)
        stripped = _TRAILING_DATE.sub("", title)
        if len(stripped) >= 10:
            title = stripped
        parts = _SPACED_SEPARATOR.split(title)
        if len(parts) > 1:
            while len(parts) > 1 and _is_site(parts[-1], keys):
                parts.pop()
            while len(parts) > 1 and _is_site(parts[0], keys):
                parts.pop(0)
            title = _join_like(before, parts)
        title = _strip_unspaced_site(title, keys)
        leading = _LEADING_NAME.match(title)
        if leading and names_the_site(leading[1], keys) and len(title) - leading.end() >= 10:
            title = title[leading.end() :]
        if title == before:
            break
    return title


def _join_like(original: str, parts: list[str]) -> str:
    """The kept parts as the original wrote them (the span from first to last part)."""
    start = original.find(parts[0])
    end = original.rfind(parts[-1])
    if start == -1 or end == -1 or end < start:
        return " - ".join(parts)
    return original[start : end + len(parts[-1])].strip()


def _strip_unspaced_site(title: str, keys: set[str]) -> str:
    """'...逮捕:東京新聞デジタル', '...커졌다ᅵ한국일보': a site name glued to the headline."""
    match = re.search(
        rf"[{re.escape(_SEPARATOR_CHARS)}]\s*([^{re.escape(_SEPARATOR_CHARS)}]+)$", title
    )
    if match and name_key(match[1]) in keys and match.start() >= 8:
        return _EDGE.sub("", title[: match.start()]) or title
    return title


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub("[’‘`´]", "'", text)
    text = re.sub("[“”„«»]", '"', text)
    return " ".join(text.split()).casefold()


def cut_at_other(title: str, others: Iterable[str]) -> str:
    """A title that is another candidate plus one word after a separator ("... schools
    - National"): that word is a section or site name, so keep the shorter one's span."""
    norm = _normal(title)
    best = title
    for other in others:
        o = _normal(other)
        if not o or len(o) >= len(norm) or len(o) < 10 or not norm.startswith(o):
            continue
        tail = norm[len(o) :]
        if not re.match(rf"^\s*[{re.escape(_SEPARATOR_CHARS)}]", tail):
            continue
        if len(tail.split()) > 2:  # "- National": one word after the separator
            continue
        cut = _cut_position(title, len(o))
        if cut and len(title[:cut].strip()) < len(best):
            best = title[:cut].strip()
    return best


def _cut_position(title: str, normal_length: int) -> int | None:
    """Where in ``title`` its normalised form reaches ``normal_length`` characters."""
    for end in range(len(title) + 1):
        if len(_normal(title[:end])) >= normal_length:
            return end
    return None


def _common_spelling(title: str, candidates: list[str]) -> str:
    """The title as most of the candidates that say the same words spell it: og:title
    with straight quotes where the h1, the <title> and the JSON-LD headline print ’ and
    ‘ (or the other way round). A tie keeps the chosen title's spelling."""
    key = _normal(title)
    spellings = Counter(c for c in candidates if c and _normal(c) == key)
    return max(spellings, key=lambda c: (spellings[c], c == title), default=title)


def choose_title(
    og: str | None,
    headline: str | None,
    twitter: str | None,
    h1: str | None,
    page_title: str | None,
    keys: set[str],
    seo_title: str | None = None,
) -> str:
    """The page's headline: og:title first (the headline as the outlet shares it), then
    JSON-LD headline, twitter:title, the h1 and the <title>, each stripped of site names.

    Where og:title and the JSON-LD headline differ and the page's raw <title> (written
    for search engines), site name aside, repeats og:title, the JSON-LD headline is the
    editorial one."""
    # A headline is a line; a megabyte "title" (a hostile page) is cut before any regex.
    raw = [
        c[:_MAX_TITLE_CHARS] if isinstance(c, str) else None
        for c in (og, headline, twitter, h1, page_title)
    ]
    stripped: dict[str, str] = {}  # candidates often repeat (og:title and twitter:title)

    def strip(title: str) -> str:
        if title not in stripped:
            stripped[title] = strip_site(title, keys)
        return stripped[title]

    cleaned = [strip(c) if c else "" for c in raw]
    order = [0, 1, 2, 3, 4]
    og_title, ld_title = _normal(cleaned[0]), _normal(cleaned[1])
    seo = _normal(strip(seo_title[:_MAX_TITLE_CHARS])) if seo_title else ""
    if og_title and ld_title and og_title != ld_title and seo == og_title:
        order = [1, 0, 2, 3, 4]
    for i in order:
        title = cleaned[i]
        if len(name_key(title)) < 2 or names_the_site(title, keys):
            continue  # no headline: the site's name alone
        if _CUT_SHORT.search(title) and any(cleaned[j] for j in order if j != i):
            continue  # "Überlegener Sieger und": a title cut mid-phrase
        if i == 3 and page_title and _normal(title) not in _normal(page_title):
            continue  # an h1 the other titles do not repeat is often the site's logo
        others = [c for j, c in enumerate(cleaned) if j != i and c]
        return cut_at_other(_common_spelling(title, cleaned), others)
    return ""
