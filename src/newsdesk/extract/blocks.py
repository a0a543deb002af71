"""Pick the article body among a page's text blocks.

Readability-style: paragraph-like blocks (long, punctuated, few links) vote for the
containers above them, with a quarter vote inside furniture-named elements. The best
container grows to take in a body split across wrappers and a parent holding clearly
more prose; with siblings that hold article-like text, that is the article region.
Inside the region, furniture (share bars, captions, link lists, widget labels, promos)
is dropped, and so are the title and the byline/date lines at the edges of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.extract.dom import BOILERPLATE_TAGS, HEADING_TAGS, Block, Element, Page, text_weight

# Sentence punctuation in Latin, Cyrillic, CJK and Arabic scripts.
_PUNCT = re.compile(r"[,.;:!?،。、，．！？；：]")
_SENTENCE_END_CHARS = frozenset(".!?。！？…\"”'’»)")
_WORD = re.compile(r"\w+")
# Paragraph owners whose container is their parent; other owners (div, td...) are
# themselves containers of loose text.
_PARAGRAPH_TAGS = frozenset({"p", "li", "blockquote", "pre", "dd", "dt", "h2", "h3", "h4"})
_LEVEL_WEIGHTS = (1.0, 0.5, 0.2, 0.1, 0.05)
# A container scoring this share of the best one, at most this many levels above it,
# is part of the same split body.
_SPLIT_SHARE = 0.33
# Vote of a paragraph inside furniture-named elements (names can mislead).
_FURNITURE_VOTE = 0.25
_MAX_CLIMB = 3
_PARENT_GAIN = 1.3
# A list item with this share of link text is a link to elsewhere ("More stories").
_LINKED_LIST_ITEM = 0.25
# A container of the best one's tag and depth, scoring this share of it, is another part
# of the same body.
_TWIN_SHARE = 0.6
_TWIN_MIN_CHARS = 400
# Text before a second <h1> that makes the rest another article's.
_NEXT_ARTICLE_SHARE = 0.3
# The label of a list of sources, on a line of its own, in a few languages.
SOURCES_LABEL = re.compile(
    r"^\W*(?:our |the )?(?:sources|quellen|fuentes|fontes|kilder|källor|źródła|bronnen|"
    r"источники)\s*:?\s*$",
    re.I,
)
# It closes the article only after this share of the chosen text.
_SOURCES_AFTER_SHARE = 0.5
# Only blocks within this many characters of the title's length can repeat it.
_TITLE_SLACK = 12
# Whole lines that are widget labels, never article text (any page, any site).
_BOILERPLATE_LINE = re.compile(
    r"^\W*(advertisement|advertising|advert|sponsored( content)?|ad|subscribe( now)?|sign up|"
    r"share( this( article| story| post)?)?( on \w+)?|tweet|email|print|comments?|"
    r"\d+ comments?|(leave|post) a comment|read more|read next|continue reading|"
    r"related( articles| stories| posts| content| coverage| news)?|more( stories)?|"
    r"(you )?(may|might) also like|don'?t miss|recommended( for you)?|most (popular|read)|"
    r"trending( now)?|follow us|newsletter|loading|click here|see also|also read|"
    r"watch|video|photo|image|getty images|skip (to )?(main )?content|back to top|"
    # ad slots' own labels and contents tables
    r"(?:story|article) continues below( (?:this )?(?:advertisement|ad))?|"
    r"(?:don'?t want to see this\W+)?remove ads|table of contents|contents|"
    r"inhaltsverzeichnis|auch interessant|das könnte sie auch interessieren|à découvrir|"
    # "read more" and "see also" labels, advertisement labels and reading times in
    # other languages
    r"czytaj (?:więcej|także|też)|zobacz (?:też|także)|lesen sie (?:auch|mehr)|mehr zum thema|"
    r"weiterlesen|lire (?:aussi|la suite|plus)|à lire aussi|leer más|lee también|leia (?:mais|também)|"
    r"leggi (?:anche|di più)|les også|les mer|läs (?:också|mer)|lees (?:ook|meer)|læs også|"
    r"читайте также|читать далее|devamını oku|ayrıca oku|baca juga|"
    r"anzeige|werbung|publicidad|publicité|pubblicità|reklam|reklama|reklame|annonse|annons|"
    r"advertentie|mainos|реклама|広告|광고|إعلان|"
    # a live blog's entry stamp: "21:00Antony Clements-Thrower", "17:56 KEY EVENT"
    r"\d{1,2}[:.]\d{2}\s*(?:key event|pinned|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})|"
    r"\d+\s*min(?:s|\.|utes?|uten|uter|utos)?\.?\s*(?:read|reading time|lesezeit|lesetid|"
    r"läsning|lästid|leestijd|lectura|de lecture|lecture|lettura|di lettura|czytania|"
    r"чтения|okuma süresi))\W*$",
    re.I,
)
# Credits that mark a short block as a photo caption.
_CAPTION = re.compile(
    r"©|\(c\) \d{4}|\bphoto(graph)?s?\s*(by|:|©|credit)|\b(image|picture|photo) credit|"
    r"\bimage:|\bcredit:|getty images|shutterstock|\b(AP|AFP|Reuters|EPA) Photo\b|"
    # photo credits in other languages: "Bild: dpa", "Foto: Reuters", "Фото: ТАСС"
    r"\b(bild|foto|fotos|kuva|zdjęcie|imagen|immagine|afbeelding|billede|bilde|фото)\s*:",
    re.I,
)
_CAPTION_WORDS = 40
_CAPTION_CUES = (
    "©", "(c)", "photo", "image", "picture", "credit", "getty", "shutterstock", "bild", "foto",
    "kuva", "zdjęcie", "imagen", "immagine", "afbeelding", "billede", "bilde", "фото",
)  # fmt: skip
_CAPTION_CHARS = 400
_LEGAL_NOTICE = re.compile(r"^\W*(disclaimer|copyright|disclosure)\b", re.I)
_PROMO_CHARS = 1000  # a promo line is short; longer blocks are never scanned for one
_PROMO = re.compile(
    r"\b(subscribe|newsletter|sign up|follow (us|him|her|them)|download (our|the) app|"
    r"click here|have a tip|contact (the )?(author|reporter)|all rights reserved|"
    r"disclaimer)\b"
    r"|©|[^\s@]{1,64}@[^\s@]{1,255}\.\w+",  # bounded: megabyte words must not backtrack
    re.I,
)
_BYLINE_OR_DATE = re.compile(
    r"^\W*(by|von|par|por|di|door|av|przez|от|автор)\b|\b(19|20)\d\d\b|\d{1,2}[:/.]\d{2}|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d|\d \b(jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|oct|nov|dec)|\b(ago|updated|published|posted|staff|reporter|"
    r"correspondent|editor|writer|contributor|minutes? read|min read)\b|@|\|",
    re.I,
)
# "BAAR, SWITZERLAND": a news dateline opens the body's first sentence.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+, [A-Z][A-Z .'-]+\W*$")
# "Updated 3 May 2024, 18:50", "Aktualisiert am 07.01.2026 - 18:50 Uhr", in news languages.
_META_LINE = re.compile(
    r"^\W*(updated|published|posted|last (updated|modified)|first published|modified|"
    r"aktualisiert|veröffentlicht|zuletzt aktualisiert|mis à jour|publié|actualizado|"
    r"atualizado|publicado|aggiornato|pubblicato|bijgewerkt|gepubliceerd|oppdatert|"
    r"publisert|uppdaterad|publicerad|opdateret|offentliggjort|zaktualizowano|"
    r"opublikowano|aktualizacja|обновлено|опубликовано|güncellenme|güncelleme|"
    r"yayınlanma)"
    r"\b.{0,50}$",
    re.I,
)


@dataclass(frozen=True)
class Selection:
    """The chosen body blocks and the element they were chosen under."""

    blocks: list[Block]
    root: int  # index of the region's root element, -1 when nothing was found


def is_paragraph_like(block: Block) -> bool:
    """Long, punctuated, few links: the kind of block an article body is made of."""
    if block.heading:
        return False
    weight = block.weight
    if weight < 60 or block.link_density > 0.33:
        return False
    return bool(_PUNCT.search(block.text))


def _paragraph_score(block: Block) -> float:
    weight = block.weight
    return 1.0 + len(_PUNCT.findall(block.text)) * 0.5 + min(weight / 100.0, 3.0)


def _container_scores(page: Page) -> tuple[dict[int, float], dict[int, int]]:
    scores: dict[int, float] = {}
    good_chars: dict[int, int] = {}
    for block in page.blocks:
        if not is_paragraph_like(block):
            continue
        score = _paragraph_score(block)
        if block.boilerplate:
            # Inside furniture by its class names: a weak vote (names can mislead:
            # "theiaStickySidebar" may wrap the whole article).
            score *= _FURNITURE_VOTE
        chain = page.ancestors(block.owner)
        start = 1 if block.tag in _PARAGRAPH_TAGS else 0
        for level, index in enumerate(chain[start : start + len(_LEVEL_WEIGHTS)]):
            scores[index] = scores.get(index, 0.0) + score * _LEVEL_WEIGHTS[level]
        for index in chain:
            good_chars[index] = good_chars.get(index, 0) + block.weight
    return scores, good_chars


def _adjusted(el: Element, raw: float) -> float:
    link_density = el.link_chars / max(1, el.text_chars)
    factor = 1.0 + 0.25 * max(-1, el.hint)
    if el.boilerplate:
        factor *= 0.3
    return raw * (1.0 - link_density) * factor


def _children_of(page: Page, parent: int) -> list[int]:
    el = page.elements[parent]
    return [i for i in range(el.index + 1, el.end + 1) if page.elements[i].parent == parent]


def _common_ancestor(page: Page, a: int, b: int) -> int:
    seen = set(page.ancestors(a))
    for index in page.ancestors(b):
        if index in seen:
            return index
    return 0


def _region_root(
    page: Page, adjusted: dict[int, float], good_chars: dict[int, int], top: int
) -> int:
    """Climb from the best container to take in other strong containers close by.

    A body is often split into sibling wrappers (an ad or a newsletter box between
    them); their common ancestor, a few levels up, holds the whole article.
    """
    root = top
    top_el = page.elements[top]
    threshold = adjusted[top] * _SPLIT_SHARE
    for other in sorted(adjusted, key=lambda i: -adjusted[i])[:12]:
        if adjusted[other] < threshold:
            break
        if page.contains(root, other) or page.contains(other, root):
            continue
        if page.elements[other].boilerplate and not top_el.boilerplate:
            continue
        common = _common_ancestor(page, root, other)
        if top_el.depth - page.elements[common].depth <= _MAX_CLIMB:
            root = common
    # A parent holding clearly more article-like text than the root (a lead paragraph
    # in its own wrapper, paragraphs as loose siblings) is the body's real container.
    while top_el.depth - page.elements[root].depth < _MAX_CLIMB:
        parent = page.elements[root].parent
        if parent < 0:
            break
        el = page.elements[parent]
        if el.boilerplate and not top_el.boilerplate:
            break
        if el.link_chars > 0.3 * max(1, el.text_chars):
            break
        if good_chars.get(parent, 0) < _PARENT_GAIN * good_chars.get(root, 0):
            break
        root = parent
    return _article_around(page, root, good_chars, top_el)


def _article_around(page: Page, root: int, good_chars: dict[int, int], top_el: Element) -> int:
    """The <article> the region sits in, when it holds clearly more article-like text: a
    body split over wrappers nested deeper than the climb reaches."""
    for index in page.ancestors(root)[1:]:
        el = page.elements[index]
        if el.tag != "article":
            continue
        if el.boilerplate and not top_el.boilerplate:
            break
        if el.link_chars > 0.3 * max(1, el.text_chars):
            break
        if good_chars.get(index, 0) >= _PARENT_GAIN * good_chars.get(root, 0):
            return index
        break
    return root


def select_body(page: Page, title: str = "") -> Selection:
    """Choose the article body blocks of a segmented page."""
    scores, good_chars = _container_scores(page)
    if not scores:
        return Selection([], -1)
    adjusted = {i: _adjusted(page.elements[i], s) for i, s in scores.items()}
    top = max(adjusted, key=lambda i: adjusted[i])
    root = _region_root(page, adjusted, good_chars, top)
    region = {root}
    # Siblings holding article-like text too (a body split by ads or inline widgets).
    parent = page.elements[root].parent
    if parent >= 0:
        threshold = max(10.0, adjusted[top] * 0.2)
        for sibling in _children_of(page, parent):
            if sibling == root:
                continue
            el = page.elements[sibling]
            if el.boilerplate and not page.elements[root].boilerplate:
                continue
            if adjusted.get(sibling, 0.0) >= threshold or good_chars.get(sibling, 0) >= 300:
                region.add(sibling)
    region |= _twin_containers(page, adjusted, good_chars, top, root)
    inside = _inside(page, region)
    chosen = [b for b in page.blocks if inside[b.owner] and _keep(page, b, region)]
    chosen = _before_next_article(page, chosen, title)
    chosen = _before_sources(chosen)
    chosen = _trim_edges(chosen, title)
    return Selection(chosen, root)


def _twin_containers(
    page: Page, adjusted: dict[int, float], good_chars: dict[int, int], top: int, root: int
) -> set[int]:
    """Containers built like the best one (same tag, same depth) that score nearly as
    well and hold as much prose: a body the template split into repeated wrappers too far apart for the climb
    (an ad block or a teaser between two halves of the text). A next article appended
    below has its own <h1>, where ``_before_next_article`` stops the body."""
    top_el = page.elements[top]
    twins: set[int] = set()
    for other in sorted(adjusted, key=lambda i: -adjusted[i])[:12]:
        el = page.elements[other]
        if adjusted[other] < _TWIN_SHARE * adjusted[top]:
            break
        if good_chars.get(other, 0) < max(_TWIN_MIN_CHARS, _TWIN_SHARE * good_chars[top]):
            continue
        if other == top or el.tag != top_el.tag or el.depth != top_el.depth:
            continue
        if el.boilerplate or page.contains(root, other) or page.contains(other, root):
            continue
        twins.add(other)
    return twins


def _before_sources(chosen: list[Block]) -> list[Block]:
    """A fact-check's or report's list of sources closes the article: the body stops at
    its label ("Sources:", "Quellen") when most of the chosen text came before it."""
    total = sum(b.weight for b in chosen)
    seen = 0
    for i, block in enumerate(chosen):
        if seen >= _SOURCES_AFTER_SHARE * total and SOURCES_LABEL.match(block.text):
            return chosen[:i]
        seen += block.weight
    return chosen


def _before_next_article(page: Page, chosen: list[Block], title: str) -> list[Block]:
    """Pages that load the next article below this one give it its own <h1>: the body
    stops there when most of the chosen text came before it."""
    if len(chosen) < 2:
        return chosen
    total = sum(b.weight for b in chosen)
    for block in page.blocks[chosen[0].index + 1 : chosen[-1].index]:
        if block.tag != "h1" or (title and _same_text(block.text, title)):
            continue
        before = [b for b in chosen if b.index < block.index]
        if sum(b.weight for b in before) >= _NEXT_ARTICLE_SHARE * total:
            return before
    return chosen


def _inside(page: Page, region: set[int]) -> bytearray:
    """Per element index, 1 where the element is a region element or inside one (each
    element's subtree is the range of indexes from it to its ``end``)."""
    inside = bytearray(len(page.elements))
    for index in region:
        end = page.elements[index].end
        inside[index : end + 1] = b"\x01" * (end + 1 - index)
    return inside


def _keep(page: Page, block: Block, region: set[int]) -> bool:
    """Drop furniture nested inside the region (share bars, captions, link lists)."""
    quoted = False
    index = block.owner
    while index >= 0 and index not in region:
        el = page.elements[index]
        index = el.parent
        quoted = quoted or el.tag == "blockquote"
        if quoted and (el.hint == -1 or el.tag == "figure"):
            continue  # an embedded post inside a media wrapper is still quoted content
        if el.hint < 0 or el.tag in BOILERPLATE_TAGS or el.tag in ("figure", "figcaption"):
            return False
    if block.tag == "h1":
        return False
    if quoted:
        return True  # embedded posts keep their link-heavy signature lines
    if _BOILERPLATE_LINE.match(block.text) or _META_LINE.match(block.text):
        return False
    if len(block.text) < _CAPTION_CHARS and _looks_like_caption(block.text):
        return False  # a photo caption or credit outside any <figure>
    if block.link_density > 0.5 and not is_paragraph_like(block):
        # A long sentence full of links is still prose; a list of links is not.
        weight = block.weight
        return weight >= 200 and block.link_density < 0.8 and _ends_sentence(block.text)
    return True


def _looks_like_caption(text: str) -> bool:
    lowered = text.lower()
    # Substring tests first: the regex is the slow part and most blocks mention none.
    if not any(cue in lowered for cue in _CAPTION_CUES):
        return False
    return bool(_CAPTION.search(text)) and len(_WORD.findall(text)) <= _CAPTION_WORDS


def _looks_like_byline_or_date(block: Block) -> bool:
    if not _looks_like_meta_line(block) or _DATELINE.match(block.text):
        return False
    return len(_WORD.findall(block.text)) <= 3 or bool(_BYLINE_OR_DATE.search(block.text))


def _ends_sentence(text: str) -> bool:
    # A string test, not a regex: "[.!?]\s*$" rescans long paragraphs at every stop.
    return text.rstrip()[-1:] in _SENTENCE_END_CHARS


def _looks_like_meta_line(block: Block) -> bool:
    """A short line with no sentence shape: a byline, a date, a kicker, a share label."""
    if block.text.endswith(":") and len(_WORD.findall(block.text)) >= 4:
        return False  # "Here is why:" introduces what follows
    weight = block.weight
    if weight > 100:
        return False
    words = len(_WORD.findall(block.text))
    if words > 12:
        return False
    if not _ends_sentence(block.text):
        return True
    return words <= 3 and weight < 30


def _is_tail_furniture(block: Block) -> bool:
    if block.in_list:
        return block.link_density >= _LINKED_LIST_ITEM
    if block.text.startswith("—"):
        return False  # "— Name (@handle) date": the signature of a quoted post
    return block.heading or _looks_like_meta_line(block) or _looks_like_promo(block)


def _looks_like_promo(block: Block) -> bool:
    if _LEGAL_NOTICE.match(block.text):
        return True
    return (
        len(block.text) <= _PROMO_CHARS
        and len(_WORD.findall(block.text)) <= 30
        and bool(_PROMO.search(block.text))
    )


def _same_text(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())


def _trim_edges(blocks: list[Block], title: str) -> list[Block]:
    if title:
        # Only blocks about as long as the title can repeat it.
        blocks = [
            b
            for b in blocks
            if abs(len(b.text) - len(title)) > _TITLE_SLACK or not _same_text(b.text, title)
        ]
    start = 0
    # Leading headings, bylines and datelines go; other short lines (a dateline city, a
    # score line, a kicker the body starts with) stay.
    while start < len(blocks) and (
        blocks[start].heading or _looks_like_byline_or_date(blocks[start])
    ):
        start += 1
    end = len(blocks)
    # Trailing labels, promos and link lists go ("Share", "Subscribe to our newsletter",
    # "More stories"); a plain closing list is content and stays.
    while end > start and _is_tail_furniture(blocks[end - 1]):
        end -= 1
    return blocks[start:end]


__all__ = [
    "HEADING_TAGS",
    "SOURCES_LABEL",
    "Selection",
    "is_paragraph_like",
    "select_body",
    "text_weight",
]
