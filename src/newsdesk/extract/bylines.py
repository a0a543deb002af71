"""An HTML page's authors: people's names, from JSON-LD, <meta> tags and the visible byline.

Every source is cleaned the same way: "By"/"Von"/"Por" prefixes, e-mail addresses, URLs,
@handles and initials in brackets go; "A, B and C" (and "und", "y", "et", "e", "og",
"och", "&", "/", ";", "、") is split into names. An outlet is not a person: an author
that is the site itself ("STERN.de", "Deutsche Welle (www.dw.com)", "毎日新聞"), a
schema.org Organization or "All rights reserved" gives way to people named elsewhere on
the page (another source, or the visible byline), and is kept only when no person is
named anywhere, or when the JSON-LD lists it as an author of its own beside a person (a
credit the page gives: "Jane Doe" and "t-online"). Works on any script: nothing here needs
a name to be Latin.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract.compiled import css_where_named
from newsdesk.extract.titles import collapse
from newsdesk.text.sites import name_key

_PREFIX = re.compile(
    r"^\s*(?:(?:analysis|opinion|story|text|words|written|reported|photos?|fotos?)\s+)?"
    r"(?:by|von|vom|par|por|di|door|av|af|przez|от|автор|текст|tekst|texto|text|written by)"
    r"\s*[:\s]\s*",
    re.I,
)
_LABEL = re.compile(r"^\s*(?:author|autor|auteur|autore|forfatter|författare|yazar)\s*:\s*", re.I)
# A job title written after the name in Korean, Japanese and Chinese bylines ("신현주 기자").
_ROLE_AFTER = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員|特派员)$")
_EMAIL = re.compile(r"[^\s@]{1,64}@[^\s@]{1,255}\.\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_BRACKETED = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]")
_SPLIT = re.compile(
    r"\s*(?:[,;/|、，／]|&|\b(?i:and|und|et|og|och|en|ve)\b|"
    # "y", "e", "i" join names only in lower case: "Bruce E. Lee" keeps its initial.
    r"\b[yei]\b)\s*"
)
_DOMAIN = re.compile(r"\.(?:[a-z]{2,3}|com|info|online|news)\b", re.I)
_NOT_A_PERSON = re.compile(
    r"all rights reserved|copyright|©|\bredaktion\b|\bnewsroom\b|\beditorial\b", re.I
)
_JUNK = re.compile(r"all rights reserved|copyright|©", re.I)
_ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "organisation"}
_DIGIT = re.compile(r"\d")
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 5
_BYLINE_SELECTORS = (
    ('[rel="author"]', "rel", "author"),
    ('[itemprop="author"]', "itemprop", "author"),
    ('[class*="byline" i]', "class", "byline"),
    ('[class*="author" i]', "class", "author"),
    ('[class*="autor" i]', "class", "autor"),
    ('[data-testid*="byline" i]', "data-testid", "byline"),
    ('[data-testid*="author" i]', "data-testid", "author"),
)
_MAX_BYLINE_ELEMENTS = 60
# A site's admin account credited as author ("/author/admin/"): no one's name.
_ACCOUNT_URL = re.compile(
    r"/(?:author|autor|auteur|authors|user|users|profile)/(?:admin|administrator|webmaster|"
    r"site-?admin|wp-?admin|root)/?(?=$|[?#\s])",
    re.I,
)
# "Editor: Jane Doe": the page names its editor, who is not the writer.
_EDITOR_LABEL = re.compile(
    r"^\s*(?:editor|edited by|editado por|redaktur|redaktor|redaktør|redacteur|rédacteur en "
    r"chef|editore|editör)\s*:?\s+(.{2,60})$",
    re.I,
)
_MAX_AUTHORS = 10
_MAX_BYLINE_NAMES = 4
# Author-named elements that are not bylines: photo credits, comments, buttons, bios.
_NOT_BYLINE = re.compile(r"comment|avatar|photo|foto|bild|image|credit|caption|button|btn|bio\b")
_INITIALS = re.compile(r"^[a-z]{1,3}$")  # "amw": an editor's initials, not a byline
_NOT_BYLINE_TAGS = frozenset({"meta", "link", "img", "script", "style", "body", "button", "html"})
# Labels of buttons and links that sit inside bylines.
_UI_WORDS = re.compile(
    r"^(?:follow|folgen|suivre|seguir|segui|følg|följ|フォロー|view|search|show|more|mehr|"
    r"profile?|twitter|facebook|x|linkedin|instagram|e-?mail|mail|contact|kontakt|"
    r"journalist|redakteur(?:in)?|reporter|author|autor(?:in)?|editor|correspondent)\b",
    re.I,
)
META_AUTHOR_KEYS = (
    "author", "article:author", "og:article:author", "og:author", "dc.creator", "dcterms.creator",
    "parsely-author", "sailthru.author", "cxenseparse:author", "byl", "citation_author",
)  # fmt: skip


# A weekday or the wire's job title run into the name ("Jeff Foust Monday", "JILL LAWLESS
# Associated Press"): cut off where at least two words of the name are left.
_TAIL_AFTER_NAME = re.compile(
    r"\s+(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|"
    r"mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche)|associated press|the associated press)$",
    re.I,
)
# A credit that is a job title, not a person ("AP Sports Writer", "CNN Editor-at-large"):
# dropped where the byline names a person beside it.
_JOB_TITLE = re.compile(
    r"\b(?:writer|editor(?:-at-large)?|correspondent|reporter|columnist|contributor|"
    r"photographer|bureau chief|redakteur(?:in)?|korrespondent(?:in)?)$",
    re.I,
)


def split_names(raw: str) -> list[str]:
    """A byline string -> cleaned names ("By A and B (ab)" -> ["A", "B"])."""
    text = collapse(raw)
    text = _BRACKETED.sub(" ", text)
    text = _EMAIL.sub(" ", _URL.sub(" ", text))
    text = _HANDLE.sub(" ", text)
    names: list[str] = []
    for part in _SPLIT.split(text):
        part = _LABEL.sub("", _PREFIX.sub("", part.strip()))
        part = part.strip(" \t-–—:·•|*\"'“”")
        part = _ROLE_AFTER.sub("", part) or part
        cut = _TAIL_AFTER_NAME.sub("", part)
        part = cut if len(cut.split()) >= 2 else part
        if part:
            names.append(re.sub(r"\s+", " ", part))
    return names


def _looks_like_name(name: str) -> bool:
    if not name or len(name) > _MAX_NAME_CHARS or _DIGIT.search(name):
        return False
    if len(name.split()) > _MAX_NAME_WORDS:
        return False
    return bool(re.search(r"[^\W\d_]", name))


def is_outlet(name: str, site_keys: set[str]) -> bool:
    """The site itself, a domain, or words no person's name has."""
    key = name_key(name)
    if not key:
        return True
    if key in site_keys or any(
        len(k) >= 4 and (key.startswith(k) or k.startswith(key)) for k in site_keys
    ):
        return True
    return bool(_DOMAIN.search(name) or _NOT_A_PERSON.search(name))


class _Source:
    """Names from one source, with whether the source itself said they are organisations."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.orgs: set[str] = set()

    def add(self, raw: Any, org: bool = False) -> None:
        if not isinstance(raw, str) or raw.strip().startswith(("http://", "https://")):
            return
        # "Deutsche Welle (www.dw.com)": a name given with a domain is an outlet's.
        org = org or bool(_DOMAIN.search(_EMAIL.sub(" ", raw)))
        for name in split_names(raw):
            if _looks_like_name(name) and name not in self.names:
                self.names.append(name)
                if org:
                    self.orgs.add(name)

    def people(self, site_keys: set[str], credited: bool = False) -> list[str]:
        """The names when a person is among them (with co-credited agencies, not the
        site itself), else none. ``credited``: the source lists each author as its own
        entry, so an outlet it names beside a person is a credit the page gives."""
        if not any(n not in self.orgs and not is_outlet(n, site_keys) for n in self.names):
            return []
        names = [n for n in self.names if not _JOB_TITLE.search(n)] or self.names
        if credited:
            return [n for n in names if not _NOT_A_PERSON.search(n)]
        return [n for n in names if not is_outlet(n, site_keys)]


def _json_ld_source(value: Any, by_id: dict[str, dict]) -> _Source:
    source = _Source()
    items = value if isinstance(value, list) else [value]
    for item in items[: _MAX_AUTHORS * 2]:
        if isinstance(item, dict):
            if not item.get("name") and isinstance(item.get("@id"), str):
                item = by_id.get(item["@id"], item)
            where = f"{item.get('@id') or ''} {item.get('url') or ''}"
            if _ACCOUNT_URL.search(where):
                continue  # the site's admin account, not a person
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            org = any(str(t).lower() in _ORG_TYPES for t in types if t)
            name = item.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName') or ''} {item.get('familyName') or ''}"
            source.add(name, org)
        else:
            source.add(item)
    return source


def _meta_source(meta: dict[str, str]) -> _Source:
    source = _Source()
    for key in META_AUTHOR_KEYS:
        source.add(meta.get(key))
        if source.names:
            break
    return source


_MID_PREFIX = re.compile(r"(?:^|\s)(?:by|von|par|por|door|av|przez)\s+([^\d|•·]+)", re.I)


def _after_prefix(text: str) -> str:
    """'capital von Jemima Kelly 05. November 2024': the names after a "von"/"By" that
    follows a word or two (a brand, a label), up to the date."""
    match = _MID_PREFIX.search(text)
    if match and match.start() > 0 and len(text[: match.start()].split()) <= 2:
        return match[1]
    return text


def _byline_source(tree: LexborHTMLParser, skip: frozenset[str] = frozenset()) -> _Source:
    """Names in the visible byline: author links, rel/itemprop authors, and byline or
    author elements whose text opens with "By"/"Von"/"Por"... (never comments' authors,
    the site's admin account, or the names in ``skip``)."""
    source = _Source()
    accounts: set[str] = set()
    for node in css_where_named(tree, _BYLINE_SELECTORS)[:_MAX_BYLINE_ELEMENTS]:
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
        if _NOT_BYLINE.search(names) or node.tag in _NOT_BYLINE_TAGS:
            continue
        text = collapse(node.text(deep=True, separator=" "))
        if not text or len(text) > 120:
            continue
        if node.attributes.get("itemprop") == "author":
            name = node.css_first('[itemprop="name"]')
            source.add(collapse(name.text(deep=True)) if name is not None else text)
        else:
            source.add(_after_prefix(text))
        for link in node.css("a")[:4]:
            href = (link.attributes.get("href") or "").lower()
            if _ACCOUNT_URL.search(href):
                accounts.add(collapse(link.text(deep=True, separator=" ")))
                continue
            if re.search(r"/(?:author|autor|auteur|autore|authors|journalist|profile)s?/", href):
                source.add(collapse(link.text(deep=True, separator=" ")))
        source.names = [
            n
            for n in source.names
            if not _UI_WORDS.search(n)
            and not _PREFIX.match(n + " ")
            and not _INITIALS.match(n)
            and n not in accounts
            and n not in skip
        ]
        if source.names:
            break  # the first byline is the article's; later ones are teasers' and boxes'
    source.names = source.names[:_MAX_BYLINE_NAMES]
    return source


# A person's name in Latin script: two to five capitalised words (particles allowed).
_PERSON = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*)(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|van|von|de|der|den|da|di|du|la|le|"
    r"bin|al|el|dos|das|do)){1,4}$"
)
_MAX_BOLD_PARAGRAPHS = 40


def _names_only(text: str, site_keys: set[str]) -> list[str]:
    """The names when the whole text is one to three people's names, else []."""
    text = collapse(text)
    if not text or len(text) > 80 or _DIGIT.search(text):
        return []
    names = split_names(text)
    if not 1 <= len(names) <= 3:
        return []
    if all(_PERSON.match(n) and not is_outlet(n, site_keys) for n in names):
        return names
    return []


def _bold_byline(tree: LexborHTMLParser, meta: dict[str, str], site_keys: set[str]) -> list[str]:
    """A byline written as a bold paragraph near the top ("<p><strong>Jane Doe</strong></p>")
    or as the page's whole description: names only, nothing else in it."""
    for node in tree.css("p")[:_MAX_BOLD_PARAGRAPHS]:
        bold = node.css_first("strong, b")
        if bold is None:
            continue
        text = collapse(node.text(deep=True, separator=" "))
        if text != collapse(bold.text(deep=True, separator=" ")):
            continue
        names = _names_only(text, site_keys)
        if names:
            return names
    for key in ("og:description", "description"):
        names = _names_only(meta.get(key, ""), site_keys)
        if names:
            return names
    return (
        _labelled_byline(tree, site_keys)
        or _prefixed_byline(tree, site_keys)
        or _header_byline(tree, site_keys)
    )


_AUTHOR_LABEL = re.compile(
    r"^(?:authors?|autor(?:in|en|innen)?|auteur|autore|autori|forfatter|författare|yazar|"
    r"автор|text|tekst|texto|reporter|journalist)(?:\s*/\s*\w+)?\s*:?$",
    re.I,
)
_MAX_LABELS = 300


# "Von: A, B", "By: A and B": a line of its own, the prefix with a colon, then only names.
_PREFIXED = re.compile(r"^(?:by|von|por|par|di|door|av|af|przez)\s*:\s*(.{2,100})$", re.I)
_PREFIX_OPENING = re.compile(r"^\s*(?:by|von|por|par|di|door|av|af|przez)\s*:", re.I)
_MAX_PREFIXED = 400


def _prefixed_byline(tree: LexborHTMLParser, site_keys: set[str]) -> list[str]:
    """'<li>Von: <a>Bill McCarthy</a>, <a>Marisha Goldhamer</a></li>': a byline in an
    element no class name calls one (read only when nothing else names a person)."""
    for node in tree.css("li, p, span")[:_MAX_PREFIXED]:
        # The element's own text opens with the prefix: only then is its whole text read
        # (nested spans each holding a long page would be read hundreds of times).
        if not _PREFIX_OPENING.match(node.text(deep=False)):
            continue
        match = _PREFIXED.match(collapse(node.text(deep=True, separator=" ")))
        if not match:
            continue
        names = split_names(match.group(1))
        if 1 <= len(names) <= _MAX_BYLINE_NAMES and all(
            _PERSON.match(n) and not is_outlet(n, site_keys) for n in names
        ):
            return names
    return []


# "By TPN, in News, Business · 31 Jan 2025": the prefix, the names, then sections or a date.
_HEADER_BYLINE = re.compile(
    r"^(?:by|von|por|par|door|av|af|przez)\s+([^,·•|\d]{2,60}?)\s*(?:[,·•|]|\d|$)", re.I
)
_MAX_HEADER_SIBLINGS = 4
# "Louis Jacobson on Monday": the names end where a lower-case word that is not a
# particle ("van", "de") or a joining word ("and", "und") begins.
_CLAUSE_AFTER_NAMES = re.compile(
    r"\s+(?!(?:van|von|de|der|den|da|di|du|la|le|bin|al|el|dos|das|do|and|und|y|et|e|og|och|"
    r"i|en|ve)\b)[a-zà-öø-ÿ]\w*\b.*$"
)


def _header_byline(tree: LexborHTMLParser, site_keys: set[str]) -> list[str]:
    """'<h1>…</h1><p>By TPN, in News</p>': a byline with no class name in one of the few
    elements right after the headline (read only when nothing else names an author)."""
    heading = tree.css_first("article h1") or tree.css_first("h1")
    node = heading.next if heading is not None else None
    seen = 0
    while node is not None and seen < _MAX_HEADER_SIBLINGS:
        if node.tag != "-text":
            seen += 1
            match = _HEADER_BYLINE.match(collapse(node.text(deep=True, separator=" ")))
            if match:
                names = split_names(_CLAUSE_AFTER_NAMES.sub("", match.group(1)))
                if 1 <= len(names) <= _MAX_BYLINE_NAMES and all(
                    _looks_like_name(n)
                    and not n[0].islower()  # "By continuing to use this site"
                    and not _UI_WORDS.search(n)
                    and not is_outlet(n, site_keys)
                    for n in names
                ):
                    return names
        node = node.next
    return []


def _labelled_byline(tree: LexborHTMLParser, site_keys: set[str]) -> list[str]:
    """'<li><strong>Autorin/Autor</strong> Roman Goncharenko</li>': a label element, then
    only names in the same parent."""
    for label in tree.css("strong, b, dt, th")[:_MAX_LABELS]:
        text = collapse(label.text(deep=True))
        if not _AUTHOR_LABEL.match(text):
            continue
        parent = label.parent
        value = ""
        if label.tag in ("dt", "th"):
            following = label.next
            while following is not None and following.tag in ("-text",):
                following = following.next
            value = collapse(following.text(deep=True)) if following is not None else ""
        elif parent is not None:
            whole = collapse(parent.text(deep=True, separator=" "))
            value = whole[len(text) :].strip() if whole.startswith(text) else ""
        names = _names_only(value, site_keys)
        if names:
            return names
    return []


_AUTHOR_LINKS = '[rel="author"], [itemprop~="author"]'


def _co_authors(tree: LexborHTMLParser, people: list[str], site_keys: set[str]) -> list[str]:
    """The metadata names one writer; the visible byline, a group of author links around
    that writer's, names two or three: all of them."""
    for node in tree.css(_AUTHOR_LINKS)[:20]:
        if not set(split_names(collapse(node.text(deep=True, separator=" ")))) & set(people):
            continue
        group = node.parent
        for _ in range(4):
            if group is None:
                break
            links = group.css(_AUTHOR_LINKS)
            if len(links) > 1:
                source = _Source()
                for link in links[: _MAX_BYLINE_NAMES + 2]:
                    source.add(collapse(link.text(deep=True, separator=" ")))
                names = source.people(site_keys)
                if set(people) < set(names) and len(names) <= len(people) + _MAX_BYLINE_NAMES:
                    return [*people, *(n for n in names if n not in people)]
                break
            group = group.parent
        break
    return people


def _editors(tree: LexborHTMLParser) -> frozenset[str]:
    """Names the page's byline elements label as its editor's ("Editor : Jane Doe")."""
    found: set[str] = set()
    for node in css_where_named(tree, _BYLINE_SELECTORS)[:_MAX_BYLINE_ELEMENTS]:
        match = _EDITOR_LABEL.match(collapse(node.text(deep=True, separator=" ")))
        if match:
            found.update(split_names(match.group(1)))
    return frozenset(found)


def read_authors(
    tree: LexborHTMLParser,
    article: dict[str, Any],
    objects: list[dict[str, Any]],
    meta: dict[str, str],
    site_keys: set[str],
) -> list[str]:
    """People's names, else the outlet named as author, else nothing."""
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and o.get("name")}
    ld = _json_ld_source(article.get("author") or article.get("creator"), by_id)
    from_meta = _meta_source(meta)
    people = ld.people(site_keys, credited=True) or from_meta.people(site_keys)
    editors = _editors(tree) if people else frozenset()
    if editors and set(people) <= editors:
        # The metadata credits the page's editor: the visible byline names the writer.
        people = _byline_source(tree, skip=editors).people(site_keys) or people
    if people:
        return _co_authors(tree, people, site_keys)[:_MAX_AUTHORS]
    people = _byline_source(tree).people(site_keys) or _bold_byline(tree, meta, site_keys)
    if people:
        return people[:_MAX_AUTHORS]
    # No person named anywhere: the outlet named as author is the best there is.
    outlets = [n for n in ld.names or from_meta.names if not _JUNK.search(n)]
    return outlets[:_MAX_AUTHORS]
