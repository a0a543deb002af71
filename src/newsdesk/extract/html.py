"""HTML page -> Article: lexbor parse, our block classifier, metadata; trafilatura as a fallback.

The fast path parses once (selectolax/lexbor), reads metadata from that tree, cuts the page
into blocks and picks the body (``blocks.select_body``). Only when the classifier finds
too little text are the page's script data (a page a script renders, ``scripted.py``) and
then trafilatura asked, so most pages never pay their cost.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from newsdesk.errors import ExtractionError, InputError
from newsdesk.extract import blocks as body_blocks
from newsdesk.extract.access import declared_access, with_wall_text
from newsdesk.extract.budget import MAX_PARSE_CHARS, bounded_markup
from newsdesk.extract.bylines import split_names
from newsdesk.extract.decode import Decoded
from newsdesk.extract.dom import parse, segment
from newsdesk.extract.evidence import reconcile
from newsdesk.extract.heads import find_heads
from newsdesk.extract.links import body_links
from newsdesk.extract.metadata import Metadata, read_metadata
from newsdesk.extract.nonarticle import PageSignals, non_article_reason
from newsdesk.extract.scripted import embedded_html
from newsdesk.model import Article
from newsdesk.text.language import (
    detect_language,
    detect_unlisted_language,
    listed_language,
    own_words_share,
)
from newsdesk.text.words import visible

# Below this many Latin-equivalent characters our pick is not trusted on its own.
_MIN_BODY_WEIGHT = 400
_LANGUAGE_SAMPLE = 600
_FEED = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.I | re.S)
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
# A declared language whose commonest words make under this share of the text's is
# doubted: the function words name the text's language where they can...
_FEW_OWN_WORDS = 0.05
# ...and under this share (none of them, near enough), lingua does where they cannot.
_NONE_OF_OWN_WORDS = 0.01
_NON_LATIN_LANGUAGES = frozenset(
    {"ru", "uk", "be", "bg", "sr", "mk", "kk", "el", "he", "ar", "fa", "ur", "hi", "bn",
     "ta", "te", "th", "ja", "zh", "ko", "ka", "hy"}
)  # fmt: skip
# A template's placeholder left in the text ("$$ARTICLEAD$$", "{{ad_slot}}"): not prose.
_PLACEHOLDER = re.compile(r"^(?:\$\$|\{\{|\[\[|%%)\s*[\w.:-]+\s*(?:\$\$|\}\}|\]\]|%%)$")
# Less than this is no article at all (a lone link, a label).
_MIN_ARTICLE_WEIGHT = 25


def extract_html(
    decoded: Decoded,
    url: str | None = None,
    source: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Read an HTML page (``decode.decode_page_report``'s reading of its bytes: a page read
    as UTF-8 is parsed from its bytes, and decoded only where its text is read); ``fetched_at``
    dates "3 hours ago" (without it such dates are unread)."""
    feed = _FEED.match(decoded.prefix(2000))
    if feed:
        kind = "an Atom feed" if feed.group(1).lower() == "feed" else "an RSS feed"
        raise InputError(f"{kind}, not an article page (give feeds to ingest)")
    # Memory and time per page are bounded by what the parser gets (budget.py). A page of
    # no more bytes than that holds no more characters: its bytes go to the parser as they
    # are, and ``html`` (what trafilatura would read) is its text, decoded if it is needed.
    html: str | None = None
    cut: tuple[str, ...] = ()
    if decoded.utf8 is not None and len(decoded.utf8) <= MAX_PARSE_CHARS:
        tree = parse(decoded.utf8)
    else:
        html, cut = bounded_markup(decoded.text)
        tree = parse(decoded.utf8 if html is decoded.text and decoded.utf8 is not None else html)
    heads = find_heads(tree)  # found once, for the metadata and the access
    meta = read_metadata(tree, url, fetched_at, heads)
    access = declared_access(tree, heads)
    page = segment(tree)
    access = with_wall_text(access, (block.text for block in page.blocks))
    selection = body_blocks.select_body(page, meta.title)
    paragraphs = _paragraphs(selection.blocks)
    # The page's JSON-LD articleBody, where long, shows a cut or padded pick.
    paragraphs = reconcile(paragraphs, page.blocks, meta.article_body, _paragraphs)
    weight = sum(body_blocks.text_weight(p) for p in paragraphs)
    # The documents the body links to, read from the blocks picked: none where the body
    # comes from elsewhere (script data, trafilatura).
    links = body_links(page, selection.blocks, url or meta.url)
    if weight < _MIN_BODY_WEIGHT:
        # A page a script renders: the article may be in the scripts' data.
        found, weight = _scripted(decoded.text, meta, paragraphs, weight)
        if found is not paragraphs:
            paragraphs, links = found, ()
    if weight < _MIN_BODY_WEIGHT:
        fallback = _trafilatura_paragraphs(decoded.text if html is None else html, url)
        fallback_weight = sum(body_blocks.text_weight(p) for p in fallback)
        # trafilatura must find clearly more, not the same text in table markup.
        if fallback_weight > max(1.5 * weight, weight + 200):
            paragraphs, weight, links = fallback, fallback_weight, ()
    if weight < _MIN_ARTICLE_WEIGHT:
        # A menu word or a cookie notice is not an article.
        raise ExtractionError("no article text found in the HTML")
    paragraphs = _without_byline(paragraphs, meta.authors)
    signals = PageSignals(meta.page_title, meta.headings, meta.og_type, meta.published is not None)
    reason = non_article_reason(paragraphs, meta.title, signals)
    if reason:
        # A soft 404, a cookie wall, a "JavaScript is disabled" shell: text, but no article.
        raise ExtractionError(f"no article: {reason}")
    if not meta.title:
        meta.title = paragraphs[0][:200] if len(paragraphs[0]) < 200 else ""
    article = _article(meta, paragraphs, url, source)
    return dataclasses.replace(article, warnings=article.warnings + cut, access=access, links=links)


def _scripted(
    markup: str, meta: Metadata, paragraphs: list[str], weight: int
) -> tuple[list[str], int]:
    """The body read from HTML in the page's script data, where it holds clearly more."""
    for fragment in embedded_html(markup):
        page = segment(parse(fragment))
        found = _paragraphs(body_blocks.select_body(page, meta.title).blocks)
        found = reconcile(found, page.blocks, meta.article_body, _paragraphs)
        found_weight = sum(body_blocks.text_weight(p) for p in found)
        if found_weight > max(1.5 * weight, weight + 200):
            return found, found_weight
    return paragraphs, weight


def _without_byline(paragraphs: list[str], authors: list[str]) -> list[str]:
    """A paragraph near either end that is only the authors' names is the byline."""
    if not authors or len(paragraphs) < 3:
        return paragraphs
    names = set(authors)
    edge = {*range(3), *range(len(paragraphs) - 2, len(paragraphs))}
    kept = [
        p
        for i, p in enumerate(paragraphs)
        if not (i in edge and len(p) <= 120 and set(split_names(p)) == names)
    ]
    return kept or paragraphs


def _paragraphs(chosen: list[body_blocks.Block]) -> list[str]:
    # A block's text is one line, its white space collapsed to single spaces (segment()).
    return [block.text for block in chosen if block.text and not _PLACEHOLDER.match(block.text)]


def _trafilatura_paragraphs(html: str, url: str | None) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, url=url, favor_precision=True, include_comments=False) or ""
    return [line.strip() for line in text.split("\n") if line.strip()]


def _page_language(declared: str | None, sample: str) -> str | None:
    """The language the page declares, unless its text says otherwise; detected where it
    declares none. lingua runs on the sample (its cost grows with the text, and 600
    characters are plenty to tell a language)."""
    if declared is None or _declared_language_doubtful(declared, sample):
        return detect_language(sample) or declared
    share = own_words_share(sample, declared)
    if share is None or share >= _FEW_OWN_WORDS:
        return declared
    # Hardly a word of the declared language: a template's default (lang="en" over a
    # Zulu article, lang="no" over an English one). The function words of another
    # language settle it at once; where no list knows the text, lingua does, but only
    # when none of the declared language's words is there (a results table in English
    # holds a few).
    listed = listed_language(sample)
    if listed is not None:
        return listed
    if share < _NONE_OF_OWN_WORDS:
        return detect_unlisted_language(sample, declared) or declared
    return declared


def _declared_language_doubtful(language: str, sample: str) -> bool:
    """Templates often declare the wrong language (lang="en" on a German blog). A cheap
    script check decides whether to pay for lingua: English text is almost all ASCII
    letters; Russian, Japanese, Chinese, Korean, Arabic... text is almost none."""
    if language != "en" and language not in _NON_LATIN_LANGUAGES:
        return False  # no script tells one Latin-script language from another
    if language == "en" and sample.isascii():
        return False  # no letter outside ASCII: the letters need no counting
    letters = len(_LETTER.findall(sample))
    if letters < 50:
        return False
    non_ascii = len(_NON_ASCII_LETTER.findall(sample)) / letters
    if language == "en":
        return non_ascii > 0.01
    if language in _NON_LATIN_LANGUAGES:
        return non_ascii < 0.5
    return False


def _article(meta: Metadata, paragraphs: list[str], url: str | None, source: str | None) -> Article:
    language = _page_language(meta.language, " ".join(paragraphs)[:_LANGUAGE_SAMPLE])
    return Article.create(
        url=url or meta.url,
        title=visible(meta.title),
        paragraphs=[text for text in map(visible, paragraphs) if text],
        site_name=meta.site_name,
        authors=tuple(meta.authors),
        published=meta.published.when if meta.published else None,
        published_date_only=bool(meta.published and meta.published.date_only),
        modified=meta.modified.isoformat() if meta.modified else None,
        language=language,
        input_format="html",
        source=source,
        description=visible(meta.description) if meta.description else meta.description,
    )
