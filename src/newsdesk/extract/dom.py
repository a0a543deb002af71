"""Parse HTML fast (lexbor via selectolax) and cut the visible page into text blocks.

A *block* is the run of inline text owned by one block-level element (a paragraph, a
heading, a list item, a div's loose text). Each block keeps what the body classifier
needs: its text, how much of it is link text, its tag, and the chain of its ancestors with
their class/id hints. The walk is iterative, so pages nested 100,000 deep cannot exhaust
Python's stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Never visible or never article text: dropped with everything inside them.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "svg", "iframe", "template", "head", "button",
        "select", "textarea", "input", "option", "object", "embed", "canvas", "map",
        "audio", "video", "picture", "source", "track", "math", "link", "meta", "title",
        "dialog", "-comment",
    }
)  # fmt: skip

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

_NEGATIVE = re.compile(
    r"comment|discuss|footer|footnote|\bfoot|navbar|navigation|\bnav|menu|share|sharing|"
    r"social|related|recommend|promo|sidebar|side-bar|widget|sponsor|\bads?\b|ad-|-ad\b|"
    r"advert|banner|breadcrumb|newsletter|subscri|signup|sign-up|popup|modal|cookie|"
    r"\btags?\b|tag-list|byline|author|dateline|caption|credit|outbrain|taboola|disqus|"
    r"toolbar|masthead|\bskip|login|rating|pagination|pager|trending|popular|"
    r"more-stories|read-more|readmore|also-read|next-|prev-|teaser|carousel|gallery|"
    r"hidden|print|meta\b|post-meta|entry-meta|article-meta|timestamp|published|"
    r"copyright|legal|disclaimer|\bcta\b|follow|recirc|outbrain|jump|toc\b",
    re.I,
)
_POSITIVE = re.compile(
    r"article|\bbody|content|entry|\bmain|\bpost|\btext|blog|story|hentry|prose|"
    r"markdown|rich-?text|paragraph",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"\s+")


@dataclass
class Element:
    """One block-level element in the walk (the owners of blocks and their ancestors)."""

    index: int
    parent: int  # index of the parent Element, -1 for the root
    tag: str
    depth: int
    hint: int  # +1 positive class/id, -1 negative, 0 neither
    boilerplate: bool  # this or an ancestor is page furniture (nav, footer, share...)
    text_chars: int = 0  # text chars of all blocks inside
    link_chars: int = 0


@dataclass
class Block:
    """Inline text owned by one block-level element."""

    index: int
    owner: int  # index of the owning Element
    tag: str
    text: str
    link_chars: int
    heading: bool
    in_list: bool
    boilerplate: bool
    ancestors: tuple[int, ...] = field(default=())  # owner first, then up to the root

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass
class Page:
    tree: LexborHTMLParser
    elements: list[Element]
    blocks: list[Block]


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def _hint(attrs: dict[str, str | None]) -> int:
    names = " ".join(v for k, v in attrs.items() if k in ("class", "id", "role") and v)
    if not names:
        return 0
    if attrs.get("role") in ("navigation", "complementary", "banner", "contentinfo"):
        return -1
    negative = bool(_NEGATIVE.search(names))
    positive = bool(_POSITIVE.search(names))
    if negative and not positive:
        return -1
    if positive and not negative:
        return 1
    return 0


def _is_hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


_EXIT = object()
_MAX_CHAIN = 40


def segment(tree: LexborHTMLParser) -> Page:
    """Walk the document once and return its block-level elements and text blocks."""
    root = tree.body or tree.root
    elements: list[Element] = []
    blocks: list[Block] = []
    if root is None:
        return Page(tree, elements, blocks)
    elements.append(Element(0, -1, root.tag or "body", 0, 0, False))
    owners = [0]  # stack of open block-level element indexes
    link_depth = 0
    parts: list[str] = []
    link_chars = 0

    def flush() -> None:
        nonlocal parts, link_chars
        if parts:
            text = _SPACE.sub(" ", "".join(parts)).strip()
            if text:
                owner = owners[-1]
                chain = []
                i = owner
                # Bounded: pages nested absurdly deep must stay linear in their size.
                while i >= 0 and len(chain) < _MAX_CHAIN:
                    chain.append(i)
                    i = elements[i].parent
                el = elements[owner]
                in_list = any(elements[j].tag in ("li", "dd", "dt") for j in chain[:3])
                heading = any(elements[j].tag in HEADING_TAGS for j in chain[:2])
                blocks.append(
                    Block(
                        len(blocks),
                        owner,
                        el.tag,
                        text,
                        min(link_chars, len(text)),
                        heading,
                        in_list,
                        el.boilerplate,
                        tuple(chain),
                    )
                )
                for j in chain:
                    elements[j].text_chars += len(text)
                    elements[j].link_chars += min(link_chars, len(text))
        parts = []
        link_chars = 0

    # Stack items: a node to enter, or (_EXIT, kind) to close a block element or a link.
    stack: list[object] = list(reversed(list(root.iter(include_text=True))))
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            kind = item[1]
            if kind == "a":
                link_depth -= 1
            else:
                flush()
                owners.pop()
            continue
        node: LexborNode = item  # type: ignore[assignment]
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if text:
                parts.append(text)
                if link_depth:
                    link_chars += len(text.strip())
            continue
        if tag in SKIP_TAGS or tag is None or tag.startswith("-"):
            continue
        attrs = node.attributes
        if _is_hidden(attrs):
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag == "img" or tag == "hr" or tag == "wbr":
            continue
        children = list(node.iter(include_text=True))
        if tag in BLOCK_TAGS or tag not in _INLINE_TAGS:
            flush()
            parent = elements[owners[-1]]
            hint = _hint(attrs)
            boiler = parent.boilerplate or tag in BOILERPLATE_TAGS or hint < 0
            el = Element(len(elements), parent.index, tag, parent.depth + 1, hint, boiler)
            elements.append(el)
            owners.append(el.index)
            stack.append((_EXIT, "block"))
        elif tag == "a":
            link_depth += 1
            stack.append((_EXIT, "a"))
        stack.extend(reversed(children))
    flush()
    return Page(tree, elements, blocks)


_INLINE_TAGS = frozenset(
    {
        "a", "span", "b", "strong", "em", "i", "u", "s", "small", "sup", "sub", "abbr",
        "time", "code", "mark", "q", "cite", "font", "bdi", "bdo", "big", "del", "ins",
        "kbd", "samp", "var", "tt", "strike", "data", "dfn", "ruby", "rt", "rp", "nobr",
        "acronym",
    }
)  # fmt: skip
