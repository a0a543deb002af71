"""Parse HTML fast (lexbor via selectolax) and cut the visible page into text blocks.

A *block* is the run of inline text owned by one block-level element (a paragraph, a
heading, a list item, a div's loose text). Each block keeps what the body classifier
needs: its text, how much of it is link text, its tag, and its owning element, whose
ancestors carry class/id hints. The walk follows lexbor's child and sibling links on a
stack of the open elements, not Python recursion, so deep pages cannot exhaust Python's
stack; pages nested absurdly deep are refused before parsing (lexbor's tree builder is
quadratic in depth). Where it is built and checked (``compiled.py``), the same walk runs
in C (``_walk.pyx``); the rules stay here, and so does the walk in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsdesk.errors import InputError
from newsdesk.extract.compiled import (
    class_words,
    compiled_walk,
    count_byte,
    without_script_text,
)
from newsdesk.lazy import LazyPattern
from newsdesk.text.words import CJK, FULLWIDTH, UNSPACED, may_hold_cjk

T = TypeVar("T")

# Deeper markup than this is refused before parsing (see parse()).
MAX_NESTING_DEPTH = 5000

# Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "aside", "nav", "header", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "figure", "figcaption", "form", "fieldset", "legend", "address",
        "center", "details", "summary", "hr", "body", "html", "hgroup", "menu", "label",
    }
)  # fmt: skip

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Tags that mark page furniture wherever they are.
BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "menu", "header"})

# Class/id words, as plain lists: each word is looked for in every class word of an
# element's class, id and role (lower-cased, digits dropped: "Post-12345" is "post-"),
# anywhere unless it says where: "start" where a word starts ("nav" in "main-nav", not in
# "canvas"; "-" is no word character, "_" is), "end" where one ends, "whole" both, "first"
# at the class word's start, "class" a whole class name (the hiding words, which are read
# in the class attribute as written). Strong furniture wins even beside a positive word
# ("comment-content", "related-posts"); layout words only where no positive word is there.
_STRONG_NEGATIVE_WORDS = (
    "discuss", "share", "sharing", "social", "related", "recommend", "promo", "newsletter",
    "subscri", "signup", "sign-up", "popup", "modal", "cookie", "consent", "breadcrumb",
    "outbrain", "taboola", "disqus", "trending", "popular", "more-stories", "read-more",
    "readmore", "also-read", "recirc", "byline", "dateline", "caption", "credit",
    "copyright", "tag-list", ("tag", "whole"), ("tags", "whole"),
    ("comment", "unless", "ary"),  # not "commentary", an article type
)  # fmt: skip
# Layout words: furniture unless a positive word is beside them ("l-sidebar-fixed
# l-article-body" is the article column).
_NEGATIVE_WORDS = (
    "footer", "navbar", "navigation", "menu", "sidebar", "side-bar", "widget", "sponsor",
    "advert", "carousel", "pagination", "pager", "footnote", "toolbar", "masthead", "login",
    "rating", "next-", "prev-", "teaser", "gallery", "post-meta", "entry-meta",
    "article-meta", "timestamp", "published", "author", "legal", "disclaimer", "follow",
    "jump", "banner", ("-ad", "end"), ("meta", "end"), ("toc", "end"), ("nav", "whole"),
    ("ad", "whole"), ("ads", "whole"), ("cta", "whole"), ("ad-", "start"), ("foot", "start"),
    ("skip", "start"),
    # Media wrappers: a class word that starts with the word ("photo", "image-wrap"), not
    # a modifier ("has-image").
    ("print", "first"), ("image", "first"), ("img", "first"), ("photo", "first"),
    ("figure", "first"), ("video", "first"),
)  # fmt: skip
_POSITIVE_WORDS = (
    "article", "content", "entry", "blog", "story", "hentry", "prose", "markdown",
    "rich-text", "richtext", "paragraph", ("body", "start"), ("main", "start"),
    ("post", "start"), ("text", "start"),
)  # fmt: skip
# Embedded social posts (quoted in the article), not any "embed" (image embeds, captions):
# ("social", "then", "embed") is "social", then "embed" after letters, digits, "_" or "-".
_EMBED_WORDS = (
    "tweet", "instagram", "tiktok", ("social", "then", "embed"), ("embed", "then", "twitter"),
    ("embed", "then", "social"),
)  # fmt: skip
_LANDMARK_WORDS = (
    ("navigation", "whole"), ("complementary", "whole"), ("banner", "whole"),
    ("contentinfo", "whole"),
)  # fmt: skip
_IS_LANDMARK, _IS_EMBED, _IS_STRONG, _IS_NEGATIVE, _IS_POSITIVE = 1, 2, 4, 8, 16
_CLASS_WORDS = (
    (_IS_LANDMARK, _LANDMARK_WORDS),
    (_IS_EMBED, _EMBED_WORDS),
    (_IS_STRONG, _STRONG_NEGATIVE_WORDS),
    (_IS_NEGATIVE, _NEGATIVE_WORDS),
    (_IS_POSITIVE, _POSITIVE_WORDS),
)
# Where a word may stand, as (left, right) edges of the compiled matcher (``_walk.pyx``):
# 0 anywhere, 1 a word's edge (a regular expression's \b), 2 the class word's start.
# 3 a CSS class name's edge (the start or end, or a space, tab, CR, LF or FF beside it).
_EDGES = {
    "in": (0, 0), "start": (1, 0), "end": (0, 1), "whole": (1, 1), "first": (2, 0),
    "class": (3, 3),
}  # fmt: skip
_CSS_WORD_START, _CSS_WORD_END = r"(?<![^ \t\n\r\f])", r"(?![^ \t\n\r\f])"


def _word_rule(entry: str | tuple[str, ...]) -> tuple[str, str, str, str]:
    """(word, where, unless, then) of one list entry."""
    if isinstance(entry, str):
        return entry, "in", "", ""
    word, where, *other = entry
    if where == "unless":
        return word, "in", other[0], ""
    if where == "then":
        return word, "in", "", other[0]
    return word, where, "", ""


def _words_pattern(words: tuple, flags: int = 0) -> re.Pattern[str]:
    """One list of class words as the regular expression that reads it."""
    parts = []
    for entry in words:
        word, where, unless, then = _word_rule(entry)
        left, right = _EDGES[where]
        part = ("", "\\b", "^", _CSS_WORD_START)[left] + re.escape(word)
        part += ("", "\\b", "", _CSS_WORD_END)[right]
        part += f"(?!{re.escape(unless)})" if unless else ""
        part += f"[-_\\w]*{re.escape(then)}" if then else ""
        parts.append(part)
    return re.compile("|".join(parts), flags)


def _compiled_rules(lists: tuple) -> list[tuple[bytes, int, int, int, bytes, bytes]]:
    """Each (bit, words) list's rules as the compiled matcher (``_walk.ClassWords``)
    takes them."""
    rules = []
    for bit, words in lists:
        for entry in words:
            word, where, unless, then = _word_rule(entry)
            left, right = _EDGES[where]
            rules.append((word.encode(), bit, left, right, unless.encode(), then.encode()))
    return rules


_LANDMARKS, _EMBED, _STRONG_NEGATIVE, _NEGATIVE, _POSITIVE = (
    _words_pattern(words) for _, words in _CLASS_WORDS
)
_COMPILED_CLASS_WORDS = class_words(_compiled_rules(_CLASS_WORDS))
_LINK_EDGE = "\x00"
# Chinese and Japanese text (and its fullwidth punctuation) has no spaces around links.
_UNSPACED_CHARS = UNSPACED + FULLWIDTH
_CJK_EDGE = LazyPattern(f"(?<=[{_UNSPACED_CHARS}])\x00+|\x00+(?=[{_UNSPACED_CHARS}])")
_UNSPACED_CHAR = LazyPattern(f"[{_UNSPACED_CHARS}]")
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Element:
    """One block-level element in the walk (the owners of blocks and their ancestors)."""

    index: int
    parent: int  # index of the parent Element, -1 for the root
    tag: str
    depth: int
    # Both decided after the walk, for elements that hold text (others keep 0 and False):
    hint: int  # +1 positive class/id, -1 layout furniture, -2 strong furniture, 0 neither
    boilerplate: bool  # this or an ancestor is page furniture (nav, footer, share...)
    text_chars: int = 0  # text chars of all blocks inside
    link_chars: int = 0
    end: int = 0  # index of its last descendant: the subtree is elements[index : end + 1]


@dataclass(slots=True)
class Block:
    """Inline text owned by one block-level element: one line, its runs of white space (line
    breaks included) made single spaces, its ends stripped."""

    index: int
    owner: int  # index of the owning Element
    tag: str
    text: str
    link_chars: int
    heading: bool
    in_list: bool
    boilerplate: bool
    weight: int = 0  # length in Latin-equivalent characters (see text_weight); 0: work it out

    def __post_init__(self) -> None:
        if not self.weight:
            self.weight = text_weight(self.text)

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass
class Page:
    """A segmented page: its block-level elements (in document order), text blocks and the
    links in them (each with the element owning its text, so a block's links are known)."""

    tree: LexborHTMLParser
    elements: list[Element]
    blocks: list[Block]
    # (the element owning the link's text, its href as written), in document order
    links: list[tuple[int, str]] = field(default_factory=list)

    def ancestors(self, index: int, limit: int = 10_000) -> list[int]:
        """The element and its ancestors up to the root (at most ``limit`` of them)."""
        chain: list[int] = []
        while index >= 0 and len(chain) < limit:
            chain.append(index)
            index = self.elements[index].parent
        return chain

    def contains(self, ancestor: int, index: int) -> bool:
        """Whether element ``index`` is ``ancestor`` or inside it (pre-order ranges)."""
        el = self.elements[ancestor]
        return el.index <= index <= el.end


def text_weight(text: str) -> int:
    """Length in Latin-equivalent characters: one CJK character says about as much as three."""
    if not may_hold_cjk(text):
        return len(text)
    return len(text) + 2 * len(CJK.findall(text))


def nesting_depth(html: str | bytes) -> int:
    """An upper estimate of how deep the page's tags nest (start tags minus end tags, at
    their running maximum; void tags like <br> count as opened, so real pages read a few
    hundred). Vectorised: about 0.2 ms for a 100 kB page. ``html`` may be its UTF-8 bytes
    (counted faster: "<" is one byte there, never inside another character's bytes)."""
    if isinstance(html, str):
        tags = html.count("<")
        if tags < MAX_NESTING_DEPTH:
            return tags  # cannot be deeper than that
        html = html.encode("utf-8", "surrogatepass")
    tags = count_byte(html, 60) if count_byte else html.count(b"<")
    if tags >= MAX_NESTING_DEPTH:
        # Only a "<" before a letter opens: end tags and comments cannot deepen the page.
        tags -= html.count(b"</") + html.count(b"<!")
    if tags < MAX_NESTING_DEPTH:
        return tags  # cannot be deeper than that
    import numpy as np  # here: most pages never get this far, and numpy takes 40 ms to import

    array = np.frombuffer(html, dtype=np.uint8)
    opens = np.flatnonzero(array[:-1] == ord("<"))
    following = array[opens + 1] | 0x20  # lower-cased letter after "<"
    step = ((following >= ord("a")) & (following <= ord("z"))).astype(np.int32)
    step -= following == ord("/")
    return int(np.cumsum(step).max()) if step.size else 0


def parse(markup: str | bytes) -> LexborHTMLParser:
    """Parse a page with lexbor, refusing markup nested absurdly deep.

    lexbor's tree builder checks element scopes by walking the stack of open elements,
    so time grows with the square of the depth: 100,000 nested <div>s take minutes.
    No real page nests more than a few hundred deep. ``markup``: the page's text, or its
    UTF-8 bytes (taken as they are, not decoded and encoded again).
    """
    depth = nesting_depth(markup)
    if depth >= MAX_NESTING_DEPTH:
        raise InputError(
            f"markup nested about {depth:,} levels deep (limit {MAX_NESTING_DEPTH:,}): "
            "not a page we can parse safely"
        )
    if isinstance(markup, str):
        return LexborHTMLParser(markup)
    # Half a page's bytes are the text of its scripts and styles, which the tokenizer reads
    # byte by byte and nothing reads from the tree (the walk skips those elements; the
    # metadata reads JSON-LD, which is kept): a fifth of the parse, left out in C.
    slim = without_script_text(markup) if without_script_text else None
    return LexborHTMLParser(markup if slim is None else slim)


def _hint(attrs: dict[str, str | None]) -> int:
    if attrs.get("itemprop") == "articleBody":
        return 1
    cls, ident, role = attrs.get("class"), attrs.get("id"), attrs.get("role")
    if not (cls or ident or role):
        return 0
    names = f"{cls or ''} {ident or ''} {role or ''}"
    # Sites repeat the same class lists on every block and page: each is read once.
    hint = _NAMES_HINTS.get(names)
    if hint is None:
        # Real class lists are short; a megabyte attribute is junk, not worth regex time.
        hint = _remember(_NAMES_HINTS, names, _names_hint(names[:_MAX_NAMES]), _MAX_NAMES)
    return hint


def _remember(table: dict[str, T], key: str, value: T, longest: int) -> T:
    """``value``, kept in ``table`` under ``key`` unless the key is longer than ``longest``
    characters (junk, met once); a table of ``_MAX_TOKENS`` keys starts again."""
    if len(key) <= longest:
        if len(table) >= _MAX_TOKENS:
            table.clear()
        table[key] = value
    return value


_MAX_NAMES = 1000
_NAMES_HINTS: dict[str, int] = {}  # by class, id and role as the page writes them


def _names_hint(names: str) -> int:
    """+1 positive, -1 layout furniture, -2 strong furniture, 0 neither (from class/id/role).

    ASCII names are read in C (``_walk.ClassWords``, in a tenth of the patterns' time:
    a worker meets thousands of class words it has not seen). Elsewhere each
    whitespace-separated token is read by the patterns once and remembered (no pattern
    reaches across whitespace): sites repeat the same class words on every block and page.
    """
    flags = _COMPILED_CLASS_WORDS.names(names) if _COMPILED_CLASS_WORDS else -1
    if flags < 0:
        flags = 0
        for token in names.split():
            found = _RAW_TOKEN_FLAGS.get(token)
            if found is None:
                found = _raw_token_flags(token)
            flags |= found
    if flags & _IS_LANDMARK:
        return -2
    if flags & _IS_EMBED:
        return 0  # embedded posts (tweets) are quoted article content
    if flags & _IS_STRONG:
        return -2
    negative = bool(flags & _IS_NEGATIVE)
    positive = bool(flags & _IS_POSITIVE)
    if negative and not positive:
        return -1
    if positive and not negative:
        return 1
    return 0


_TOKEN_FLAGS: dict[str, int] = {}  # by token, digits dropped and lower-cased
_RAW_TOKEN_FLAGS: dict[str, int] = {}  # by token as the page writes it
_MAX_TOKENS = 65536  # remembered class words (and class lists), each table
_MAX_RAW_TOKEN_CHARS = 80  # longer ones (junk) are not remembered as written


def _raw_token_flags(raw: str) -> int:
    """A token as written ("Post-12345", "ARTICLE"), remembered as such: a lookup per
    token costs less than lower-casing and dropping digits from every class list. Neither
    makes or joins tokens, so the tokens read are those of the whole list so treated."""
    token = _DIGITS.sub("", raw).lower()  # digits (post-12345) only defeat the cache
    flags = _TOKEN_FLAGS.get(token)
    if flags is None:
        flags = _token_flags(token) if token else 0
    return _remember(_RAW_TOKEN_FLAGS, raw, flags, _MAX_RAW_TOKEN_CHARS)


def _token_flags(token: str) -> int:
    """Which of the class-word patterns one token matches (a bit each), remembered."""
    flags = (
        (_IS_LANDMARK if _LANDMARKS.search(token) else 0)
        | (_IS_EMBED if _EMBED.search(token) else 0)
        | (_IS_STRONG if _STRONG_NEGATIVE.search(token) else 0)
        | (_IS_NEGATIVE if _NEGATIVE.search(token) else 0)
        | (_IS_POSITIVE if _POSITIVE.search(token) else 0)
    )
    return _remember(_TOKEN_FLAGS, token, flags, _MAX_NAMES)


_BLOCK, _LINK, _INLINE = 0, 1, 2
# Skipped with their content: never visible, or page furniture (nav, footer...) that is
# never the article and holds most of a page's nodes.
_SKIPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "svg", "iframe", "template", "select", "textarea",
        "button", "object", "canvas", "math", "audio", "video", "picture", "map", "dialog",
        "nav", "footer", "aside", "header",
    }
)  # fmt: skip
# Hidden elements, and text shown only on hover or to screen readers (hover cards,
# tooltips, "sr-only") or hidden by a utility class, as CSS attribute selectors read them:
# an inline style that hides it (any case); a class attribute that holds one of these
# anywhere, or one of these as a whole class word (ASCII case ignored where CSS's "i" flag
# says so: [class*="tooltip" i], [class~="hidden" i], [class~="d-none"]).
_HIDING_STYLES = ("display:none", "display: none", "visibility:hidden", "visibility: hidden")
_HIDING_CLASS_WORDS_ANY_CASE = (
    "tooltip", "popover", "rollover", "hovercard", "sr-only", "visually-hidden",
    "screen-reader", ("hidden", "class"), ("hide", "class"),
)  # fmt: skip
_HIDING_CLASS_NAMES = (("is-hidden", "class"), ("d-none", "class"), ("invisible", "class"))
_HIDING_CLASSES_ANY_CASE = _words_pattern(_HIDING_CLASS_WORDS_ANY_CASE, re.ASCII | re.IGNORECASE)
_HIDING_CLASSES = _words_pattern(_HIDING_CLASS_NAMES)
_COMPILED_HIDING_ANY_CASE = class_words(_compiled_rules(((1, _HIDING_CLASS_WORDS_ANY_CASE),)))
_COMPILED_HIDING = class_words(_compiled_rules(((1, _HIDING_CLASS_NAMES),)))
# Every hiding word above, lower-cased, holds one of these.
_HIDING_CLASS_CUE = re.compile(
    "hid|tooltip|popover|rollover|hovercard|sr-only|screen-reader|d-none|invisible"
)
_LIST_TAGS = frozenset({"li", "dd", "dt"})
# Structural tags whose class names say little (body classes name the page type).
_NO_HINT_TAGS = frozenset({"body", "html", "main"})


def _hidden_by_attributes(attrs: dict[str, str | None]) -> bool:
    """Whether an element's own attributes hide it: ``hidden``, ``aria-hidden``, a style."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style) and any(hiding in style.lower() for hiding in _HIDING_STYLES)


def _remembered_classes_hide(classes: str) -> bool:
    """``_classes_hide``, remembered: sites repeat the same class lists on every element."""
    return _remember(_CLASSES_HIDE, classes, _classes_hide(classes[:_MAX_NAMES]), _MAX_NAMES)


_CLASSES_HIDE: dict[str, bool] = {}  # by class attribute as the page writes it


def _classes_hide(classes: str) -> bool:
    if _COMPILED_HIDING and classes.isascii():  # in C (ASCII case folded as re.ASCII does)
        return bool(
            _COMPILED_HIDING_ANY_CASE.text(classes.lower()) or _COMPILED_HIDING.text(classes)
        )
    # Most class lists hold none of the words: one search for plain words rules them out.
    if not _HIDING_CLASS_CUE.search(classes.lower()):
        return False
    return bool(_HIDING_CLASSES_ANY_CASE.search(classes) or _HIDING_CLASSES.search(classes))


def segment(tree: LexborHTMLParser) -> Page:
    """Walk the document once and return its block-level elements and text blocks."""
    root = tree.body or tree.root
    if root is None:
        return Page(tree, [], [])
    walk = compiled_walk() or _walk
    elements, blocks, links, hinted = walk(tree, root, root.tag or "body")
    # Pre-order indexes: every child comes after its parent, so one backward pass
    # sums text and link characters up the tree.
    for el in reversed(elements):
        if el.parent >= 0:
            parent = elements[el.parent]
            parent.text_chars += el.text_chars
            parent.link_chars += el.link_chars
    # Then one forward pass: an element is furniture inside furniture, by its tag, or by
    # its class/id hint.
    for el in elements[1:]:
        if el.text_chars:
            attrs = hinted[el.index]
            if attrs:
                el.hint = _hint(attrs)
            el.boilerplate = (
                elements[el.parent].boilerplate or el.tag in BOILERPLATE_TAGS or el.hint < 0
            )
    for block in blocks:
        block.boilerplate = elements[block.owner].boilerplate
    return Page(tree, elements, blocks, links)


Walked = tuple[
    list[Element], list[Block], list[tuple[int, str]], list[dict[str, str | None] | None]
]


def _walk(tree: LexborHTMLParser, root: LexborNode, root_tag: str) -> Walked:
    """The walk in Python: the elements, blocks and links under ``root``, and the
    attributes each element's class/id hint reads (None where it reads none)."""
    elements: list[Element] = [Element(0, -1, root_tag, 0, 0, False)]
    blocks: list[Block] = []
    links: list[tuple[int, str]] = []
    # Each element's attributes, for its class/id hint: worked out after the walk, and only
    # for elements that hold text (an empty wrapper's hint decides nothing).
    hinted: list[dict[str, str | None] | None] = [None]
    owners = [0]  # stack of open block-level element indexes
    link_depth = 0
    parts: list[str] = []
    link_chars = 0

    def flush() -> None:
        nonlocal link_chars
        text = "".join(parts)
        if _LINK_EDGE in text:
            text = _without_link_edges(text)
        text = " ".join(text.split())  # runs of white space as one space, ends stripped
        parts.clear()
        if text:
            add_block(blocks, elements, owners[-1], text, link_chars)
        link_chars = 0

    # The walk goes down through each element's first child and along its siblings
    # (lexbor's own links, one node object each: a child iterator per element costs more),
    # on a stack of the open elements, not by recursion: deep pages cannot exhaust
    # Python's stack. An element ends when its last child is done; the stack keeps what it
    # is and the sibling the walk resumes from.
    add_part = parts.append  # the list flush() empties in place
    open_elements: list[tuple[int, LexborNode | None]] = []  # (kind, next sibling)
    node = root.first_child
    while True:
        while node is not None:
            tag = node.tag
            if tag == "-text":
                text = node.text_content
                if text:
                    if text.isspace():
                        # Most text nodes are indentation: a space wherever it lands (a
                        # block's leading and trailing spaces are stripped, so none is kept
                        # before its first word).
                        if parts:
                            add_part(" ")
                    else:
                        add_part(text)
                        if link_depth:
                            link_chars += len(text.strip())
                node = node.next
                continue
            if tag is None or tag[0] == "-" or tag in _SKIPPED_TAGS:
                # Comments and other leaves never hold text we show; skipped tags are not
                # entered: as if removed with their content.
                node = node.next
                continue
            attrs = node.attributes
            if attrs:  # hidden (see _HIDING_STYLES): skipped as if removed with its content
                classes = attrs.get("class")
                if classes:
                    hides = _CLASSES_HIDE.get(classes)
                    if hides or (hides is None and _remembered_classes_hide(classes)):
                        node = node.next
                        continue
                if (
                    "style" in attrs or "hidden" in attrs or "aria-hidden" in attrs
                ) and _hidden_by_attributes(attrs):
                    node = node.next
                    continue
            if tag in _INLINE_TAGS:
                if tag == "a":
                    link_depth += 1
                    kind = _LINK
                    add_part(_LINK_EDGE)
                    href = attrs.get("href") if attrs else None
                    if href:
                        links.append((owners[-1], href))
                else:
                    kind = _INLINE
            elif tag == "br":
                add_part("\n")
                kind = _INLINE
            elif tag not in BLOCK_TAGS:
                # Void and unknown tags: custom elements ("hl-trusted-source") render
                # inline unless styled otherwise, so their text stays in the sentence.
                kind = _INLINE
            else:
                # A block-level element owns its own block.
                if parts:
                    flush()
                owner = elements[owners[-1]]
                el = Element(len(elements), owner.index, tag, owner.depth + 1, 0, False)
                elements.append(el)
                hinted.append(attrs if attrs and tag not in _NO_HINT_TAGS else None)
                owners.append(el.index)
                kind = _BLOCK
            open_elements.append((kind, node.next))
            node = node.first_child  # into the element's children (none: it ends at once)
        if not open_elements:
            break
        # The innermost open element has no more children: it ends.
        kind, node = open_elements.pop()
        if kind == _BLOCK:
            if parts:
                flush()
            elements[owners.pop()].end = len(elements) - 1
        elif kind == _LINK:
            link_depth -= 1
            add_part(_LINK_EDGE)
    if parts:
        flush()
    while owners:
        elements[owners.pop()].end = len(elements) - 1
    return elements, blocks, links, hinted


def add_block(
    blocks: list[Block],
    elements: list[Element],
    owner: int,
    text: str,
    link_chars: int,
    weight: int = 0,
) -> None:
    """``text`` (its white space already single) as the next block, owned by element
    ``owner``, counted in its element's characters (both walks make blocks here).
    ``weight``: its ``text_weight`` where the caller knows it, else 0."""
    el = elements[owner]
    links = min(link_chars, len(text))
    parent_tag = elements[el.parent].tag if el.parent >= 0 else ""
    blocks.append(
        Block(
            len(blocks),
            el.index,
            el.tag,
            text,
            links,
            el.tag in HEADING_TAGS or parent_tag in HEADING_TAGS,
            el.tag in _LIST_TAGS or parent_tag in _LIST_TAGS,
            False,  # its element's, known after the walk
            weight,
        )
    )
    el.text_chars += len(text)
    el.link_chars += links


def _without_link_edges(text: str) -> str:
    """A block's text with the marks of its links' edges taken out."""
    # Japanese/Chinese put no spaces between words; a link's edge there is a word
    # boundary, so it becomes a space ("ソフト KeePass の").
    if may_hold_cjk(text) and _UNSPACED_CHAR.search(text):
        text = _CJK_EDGE.sub(" ", text)
    return text.replace(_LINK_EDGE, "")


_INLINE_TAGS = frozenset(
    {
        "a", "span", "b", "strong", "em", "i", "u", "s", "small", "sup", "sub", "abbr",
        "time", "code", "mark", "q", "cite", "font", "bdi", "bdo", "big", "del", "ins",
        "kbd", "samp", "var", "tt", "strike", "data", "dfn", "ruby", "rt", "rp", "nobr",
        "acronym",
    }
)  # fmt: skip
