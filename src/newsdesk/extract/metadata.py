"""An HTML page's metadata: title, authors, publication date, site name, language.

Sources, most trusted first: schema.org JSON-LD (the article object), OpenGraph and other
<meta> tags, microdata (itemprop), <time datetime>, then the page's visible headline.
Everything here reads the already-parsed lexbor tree; nothing re-parses the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsdesk.extract.bylines import META_AUTHOR_KEYS, read_authors
from newsdesk.extract.heads import Heads, find_heads
from newsdesk.extract.titles import choose_title
from newsdesk.text.dates import Moment, parse_date, url_date
from newsdesk.text.sites import site_host, site_keys

_ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "webpage",
}  # fmt: skip
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
    "article.published", "published_time", "originalpublicationdate", "release_date",
    "citation_publication_date", "og:published_time", "datecreated", "created",
)  # fmt: skip
# Where a page says when it last changed (not its publication date).
_MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dc.date.modified", "dcterms.modified", "modified_time", "last-modified", "lastmod",
)  # fmt: skip
_LANG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_BY_PREFIX = re.compile(r"^\s*(?:(?:analysis|opinion|story|text|words)\s+)?by[:\s]+", re.I)
_DATE_ELEMENTS = (
    '[class*="date" i], [class*="publish" i], [class*="posted" i], [id*="date" i], '
    '[class*="timestamp" i], [class*="byline" i]'
)
_MAX_DATE_ELEMENTS = 8
_MAX_TIME_ELEMENTS = 20
# Names and labels of modification dates, which are not publication dates.
_MODIFIED_NAME = re.compile(r"modif|updat|revis|edited", re.I)
_MODIFIED_LABEL = re.compile(
    r"^\W*(?:updated|last updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|"
    r"oppdatert|uppdaterad|opdateret|bijgewerkt|zaktualizowano|обновлено|güncelleme|更新)",
    re.I,
)
_TITLE_DATE = re.compile(r"[|｜\-–—·•]\s*(\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d)\s*$")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·»]\s+")


@dataclass
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: Moment | None = None
    modified: Moment | None = None  # when the page says it last changed
    site_name: str | None = None
    language: str | None = None
    description: str | None = None
    url: str | None = None
    article_body: str | None = None  # JSON-LD articleBody (often truncated: not used as body)
    # As the page writes them, for telling a non-article page (extract/nonarticle.py).
    page_title: str = ""  # the <title>, whitespace collapsed, site name and all
    headings: tuple[str, ...] = ()  # the first two <h1>
    og_type: str | None = None


def _meta_map(metas: list[LexborNode]) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in metas:
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = attrs.get("content")
        if not (key and value and value.strip()):
            continue
        key, value = key.strip().lower(), value.strip()
        if key in out and key in META_AUTHOR_KEYS and value not in out[key].split("; "):
            out[key] += "; " + value  # one <meta name="author"> per writer (or the outlet's)
        else:
            out.setdefault(key, value)
    return out


def _application_name(meta: dict[str, str], page_title: str) -> str | None:
    """<meta name="application-name">, unless the page gives its headline there (MSN does):
    the same words as og:title or the <title> name no site."""
    name = " ".join((meta.get("application-name") or "").split())
    if not name or name in (" ".join((meta.get("og:title") or "").split()), page_title):
        return None
    return name


def _is_headline_meta(node: LexborNode) -> bool:
    """``meta[name="headline" i]``: the name compared without ASCII case (no other
    character lower-cases to one of the word's letters)."""
    name = node.attributes.get("name")
    return name is not None and name.lower() == "headline"


def _json_ld_objects(documents: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for data in documents:
        stack = [data]
        while stack and len(found) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
                if isinstance(item.get("mainEntity"), dict):
                    stack.append(item["mainEntity"])
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    articles = [o for o in objects if _types(o) & _ARTICLE_TYPES]
    if not articles:
        return None
    # Prefer a real article type over WebPage, and one with a body or headline.
    articles.sort(
        key=lambda o: (
            "webpage" not in _types(o),
            bool(o.get("articleBody")),
            bool(o.get("headline")),
        ),
        reverse=True,
    )
    return articles[0]


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD author value (string, object, or list of them)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            name = re.sub(r"\s+", " ", name).strip()
            if name and not name.startswith(("http://", "https://")) and len(name) < 80:
                names.append(name)
    return names


def read_date(
    value: str | None, language: str | None = None, fetched_at: datetime | None = None
) -> Moment | None:
    """A publication date from a metadata value or a date element's text (``parse_date``)."""
    if not value or len(value) > 200:
        return None
    return parse_date(value.strip(), language, fetched_at)


def _language(tree: LexborHTMLParser, meta: dict[str, str], article: dict | None) -> str | None:
    candidates = []
    html_node = tree.css_first("html")
    if html_node is not None:
        candidates.append(html_node.attributes.get("lang") or "")
        candidates.append(html_node.attributes.get("xml:lang") or "")
    candidates.append(meta.get("og:locale", ""))
    candidates.append(meta.get("content-language", ""))
    if article and isinstance(article.get("inLanguage"), str):
        candidates.append(article["inLanguage"])
    for candidate in candidates:
        m = _LANG.match(candidate or "")
        if m and len(m.group(1)) == 2:
            return m.group(1).lower()
    return None


def _clean_title(title: str, site_name: str | None) -> str:
    """Drop a " | Site Name" style suffix or prefix from a <title>."""
    title = " ".join(title.split())
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1:
        if site_name:
            kept = [p for p in parts if p.strip().lower() != site_name.strip().lower()]
            if kept and len(kept) < len(parts):
                return " - ".join(kept).strip()
        longest = max(parts, key=len)
        if len(longest.split()) >= 3:
            return longest.strip()
    return title


def _time_element_date(
    tree: LexborHTMLParser, language: str | None, fetched_at: datetime | None
) -> Moment | None:
    nodes = tree.css("[itemprop=datePublished], time[datetime]")
    for node in nodes[:_MAX_TIME_ELEMENTS]:
        if _says_modified(node):
            continue  # "Updated 14:02": the page's change, not its publication
        attrs = node.attributes
        value = attrs.get("datetime") or attrs.get("content") or node.text(deep=True)
        found = read_date(value, language, fetched_at)
        if found:
            return found
    return None


def _says_modified(node: LexborNode) -> bool:
    """A date element (or its parent) named or labelled as a modification date."""
    for el in (node, node.parent):
        if el is None:
            continue
        attrs = el.attributes
        names = " ".join(str(attrs.get(k) or "") for k in ("class", "id", "itemprop", "data-type"))
        if _MODIFIED_NAME.search(names):
            return True
        if _MODIFIED_LABEL.match(el.text(deep=True)[:60]):
            return True
    return False


def _modified_date(
    tree: LexborHTMLParser,
    article: dict[str, Any],
    meta: dict[str, str],
    language: str | None,
    published: Moment | None,
) -> Moment | None:
    """When the page says it last changed (JSON-LD dateModified, modified-time metadata, an
    itemprop=dateModified element), kept apart from its publication date. None before
    the publication date (a template's stale value)."""
    found = None
    for value in (article.get("dateModified"), *(meta.get(key) for key in _MODIFIED_META)):
        found = read_date(value, language) if isinstance(value, str) else None
        if found is not None:
            break
    if found is None:  # the page's elements are queried only where its metadata says nothing
        node = tree.css_first("[itemprop=dateModified]")
        if node is not None:
            value = node.attributes.get("datetime") or node.attributes.get("content")
            found = read_date(value, language)
    if found is None or (published is not None and _earlier(found, published)):
        return None
    return found


def _earlier(one: Moment, other: Moment) -> bool:
    """Whether ``one`` is before ``other``: by the day where either lacks an offset or a
    time (the page's zone is then unknown), else to the second."""
    if one.when.tzinfo is None or other.when.tzinfo is None or one.date_only or other.date_only:
        return one.when.date() < other.when.date()
    return one.when < other.when


def _day_of(moment: Moment) -> Moment:
    """The moment's day alone (midnight, naive, ``date_only``): a visible date's time and
    offset are not trusted."""
    return Moment(moment.when.replace(hour=0, minute=0, second=0, tzinfo=None), True)


def _title_date(titles: list[str | None], language: str | None) -> Moment | None:
    """A date closing the page's title ("... | DW | 28.04.2023"): date only."""
    for title in titles:
        match = _TITLE_DATE.search(title or "")
        if match:
            found = parse_date(match[1], language)
            if found:
                return _day_of(found)
    return None


def _any_date_published(objects: list[dict[str, Any]]) -> str | None:
    """datePublished of any JSON-LD object (a fact check's ClaimReview, a WebPage)."""
    for obj in objects:
        value = obj.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value
    return None


def _visible_date(
    tree: LexborHTMLParser, language: str | None, fetched_at: datetime | None
) -> Moment | None:
    """A date written in an element named for it ("post-date", "published"): date only,
    unless it is relative to the fetch time ("3 hours ago")."""
    for node in tree.css(_DATE_ELEMENTS)[:_MAX_DATE_ELEMENTS]:
        if _says_modified(node):
            continue
        text = " ".join(node.text(deep=True).split())
        if 6 <= len(text) <= 80 and re.search(r"\d", text):
            found = parse_date(text, language)
            if found:
                return _day_of(found)
            if fetched_at is not None:
                found = parse_date(text, language, fetched_at)
                if found:
                    return found
    return None


def read_metadata(
    tree: LexborHTMLParser,
    url: str | None = None,
    fetched_at: datetime | None = None,
    heads: Heads | None = None,
) -> Metadata:
    """The page's metadata; ``fetched_at`` (when the page was fetched) reads "3 hours ago";
    ``heads``: the page's ``find_heads``, where already found."""
    heads = heads or find_heads(tree)
    meta = _meta_map(heads.metas)
    objects = _json_ld_objects(heads.json_ld)
    article = _article_object(objects)
    out = Metadata()
    a = article or {}

    # Site name.
    publisher = a.get("publisher")
    publisher_name = publisher.get("name") if isinstance(publisher, dict) else None
    site_objs = [
        o for o in objects if _types(o) & {"website", "organization", "newsmediaorganization"}
    ]
    title_node = tree.css_first("title")
    raw_title = title_node.text(deep=True) if title_node is not None else ""
    out.page_title = " ".join(raw_title.split())
    app_name = _application_name(meta, out.page_title)
    out.site_name = (
        meta.get("og:site_name")
        or (publisher_name if isinstance(publisher_name, str) else None)
        or next((o["name"] for o in site_objs if isinstance(o.get("name"), str)), None)
        or app_name
        or None
    )
    if out.site_name and out.site_name.startswith(("http://", "https://")):
        out.site_name = site_host(out.site_name)
    page_url = url or meta.get("og:url") or _canonical(tree)
    out.url = page_url
    if not out.site_name and page_url:
        out.site_name = site_host(page_url)

    # Title.
    headline = a.get("headline") if isinstance(a.get("headline"), str) else None
    if not headline:
        # meta[name="headline" i], not itemprop: a subhead's too.
        node = next((m for m in heads.metas if _is_headline_meta(m)), None)
        headline = node.attributes.get("content") if node is not None else None
    out.headings = tuple(" ".join(h.text(deep=True).split()) for h in heads.h1s[:2])
    h1_text = out.headings[0] if out.headings else ""
    keys = site_keys(
        [out.site_name, publisher_name if isinstance(publisher_name, str) else None,
         meta.get("og:site_name"), app_name],
        page_url,
    )  # fmt: skip
    out.title = choose_title(
        meta.get("og:title"),
        headline,
        meta.get("twitter:title"),
        h1_text,
        _clean_title(raw_title, out.site_name),
        keys,
        seo_title=raw_title,
    )

    # Authors.
    out.authors = read_authors(tree, a, objects, meta, keys)

    # Publication date, read in the page's declared language (month names).
    out.language = _language(tree, meta, article)
    published = a.get("datePublished") or a.get("dateCreated")
    out.published = read_date(
        published if isinstance(published, str) else None, out.language, fetched_at
    )
    if not out.published:
        for key in _DATE_META:
            if key in meta:
                out.published = read_date(meta[key], out.language, fetched_at)
                if out.published:
                    break
    if not out.published:
        found = _any_date_published(objects)
        out.published = read_date(found, out.language, fetched_at) if found else None
    if not out.published:
        out.published = _time_element_date(tree, out.language, fetched_at)
    if not out.published:
        out.published = _title_date([meta.get("og:title"), raw_title], out.language)
    if not out.published:
        out.published = _visible_date(tree, out.language, fetched_at) or url_date(page_url)
    out.modified = _modified_date(tree, a, meta, out.language, out.published)

    # JSON-LD and meta values often carry HTML entities (&#8217;) their authors escaped.
    out.title = _unescape(out.title)
    out.site_name = _unescape(out.site_name) if out.site_name else None
    out.authors = [_unescape(a) for a in out.authors]
    out.og_type = meta.get("og:type")
    description = meta.get("og:description") or meta.get("description")
    out.description = _unescape(description) if description else None
    body = a.get("articleBody")
    out.article_body = body if isinstance(body, str) and body.strip() else None
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip() if "&" in text else text


def _canonical(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    return node.attributes.get("href") if node is not None else None
