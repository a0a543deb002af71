"""The compiled module (``_walk.pyx``) made safe to use, and what it offers the extractor.

``setup.py`` builds ``_walk`` where Cython and a C compiler are at hand. It reads
lexbor's structures directly, so it is used only where it reads a probe page exactly as
``dom._walk`` does, for the selectolax versions it was checked with, and only when built
from the source beside it. Otherwise, or with ``NEWSDESK_PURE_PYTHON`` set (to
compare the two), pages are walked in Python and every CSS selector is asked: the same
articles, slower. What it offers:

- ``compiled_walk()``: ``dom.segment``'s walk in C;
- ``css_where_named``: a CSS query of attribute selectors that asks lexbor only for the
  selectors whose word some element's attribute holds;
- ``count_byte``: the count of "<" that guards the parser against deep markup;
- ``without_script_text``: a page's bytes without the text of its scripts and styles,
  which the parser's tokenizer would read byte by byte for nothing;
- ``utf8_read``: whether a page's bytes are UTF-8 (and its control characters counted),
  without decoding them;
- ``class_words``: the class-word rules (furniture, article, hiding words) matched in C.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from newsdesk.settings import compiled_module

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    from newsdesk.extract.dom import Walked


_compiled_module = compiled_module("newsdesk.extract._walk")
count_byte = _compiled_module.count_byte if _compiled_module else None
# Not version-bound: it reads the page's bytes, not lexbor's structures.
without_script_text = _compiled_module.without_script_text if _compiled_module else None
utf8_read = _compiled_module.utf8_read if _compiled_module else None


def class_words(rules: list[tuple[bytes, int, int, int, bytes, bytes]]):
    """dom.py's class-word rules matched in C (``_walk.ClassWords``), or None without the
    compiled module. Not version-bound either: it reads strings."""
    return _compiled_module.ClassWords(rules) if _compiled_module else None


# The compiled walk reads lexbor's structures as these selectolax versions lay them out;
# with another, the walk runs in Python.
_COMPILED_WALK_VERSIONS = frozenset({"1.0.2"})
# Ids of attribute names lexbor knows are small numbers; other names' ids are the
# addresses of their hash entries, never below this (as in _walk.pyx).
_LOWEST_ADDRESS = 0x10000
_compiled: list = []  # [the compiled walk, or None], once decided
# Every tag the rules name, in a place where the parser keeps it.
_PROBE_TAGS = (
    "<table><caption></caption><thead><tr><th></th></tr></thead><tbody><tr><td></td></tr>"
    "</tbody><tfoot></tfoot></table><dl><dt></dt><dd></dd></dl><ruby><rt></rt><rp></rp></ruby>"
    "<select></select><svg></svg><math></math><br>"
)
# A page the two walks must read alike: hidden elements, links, custom and skipped tags (no
# CJK: its patterns take milliseconds to compile, and tests/extract/test_walk.py has it).
_PROBE_PAGE = (
    "<body class='post'><header>Site</header><article class='story-body' itemprop='articleBody'>"
    "<h1>Title <span>one</span></h1><p id='lead' role='main'>First <a href='/x'>link</a> "
    "text.<br>Next line</p><div hidden>gone</div><div aria-hidden='true'>gone</div>"
    "<p style='DISPLAY: none'>gone</p><p class='sr-only'>gone</p><ul><li>one</li><li>"
    "<a href='https://example.org/a'>two</a></li></ul><custom-el>inline <b>bold</b></custom-el>"
    "<script>x()</script><!-- note --><div class='share-tools'>Share</div><blockquote><p>Quoted</p></blockquote>tail</article>"
    "<footer>Foot</footer></body>"
)


# A CSS attribute selector, the attribute it reads, and a lower-case ASCII word that
# attribute's value holds (ASCII case ignored) wherever the selector matches:
# ('[class*="byline" i]', "class", "byline"), ('[rel="author"]', "rel", "author").
NamedSelector = tuple[str, str, str]


def css_where_named(
    tree: LexborHTMLParser, selectors: tuple[NamedSelector, ...]
) -> list[LexborNode]:
    """``tree.css`` of ``selectors`` joined, where lexbor is asked only for the selectors
    whose word an element's attribute of that name holds: the same list (a selector that
    can find nothing adds nothing to it), without a pass of lexbor's selector engine for
    each selector that finds nothing. Which words are on the page is found in one pass in
    C (``_walk.attribute_words``); without the compiled walk, every selector is asked."""
    root = tree.root
    if root is None or compiled_walk() is None:
        return tree.css(", ".join(selector for selector, _, _ in selectors))
    named = _compiled_module.attribute_words(root.mem_id, _attribute_pairs(selectors))
    chosen = [selector for bit, (selector, _, _) in enumerate(selectors) if named >> bit & 1]
    return tree.css(", ".join(chosen)) if chosen else []


@cache
def _attribute_pairs(selectors: tuple[NamedSelector, ...]) -> tuple:
    return tuple(
        (_attribute_id(name), name.encode("ascii"), word.encode("ascii"))
        for _, name, word in selectors
    )


@cache
def _attribute_id(name: str) -> int:
    """lexbor's id for an attribute name it knows; 0 for one it does not (those are
    compared by name: their ids differ from document to document)."""
    from selectolax.lexbor import LexborHTMLParser

    node = LexborHTMLParser(f"<div {name}=x></div>").css_first("div")
    (number,) = _compiled_module.attribute_ids(node.mem_id)
    return number if number < _LOWEST_ADDRESS else 0


def compiled_walk_in_use() -> bool:
    """Whether pages are walked in C (and ``css_where_named`` asks only what can match)."""
    return compiled_walk() is not None


def compiled_walk():
    """The compiled walk, set up on first use, or None where it cannot be used: it is
    not built, ``NEWSDESK_PURE_PYTHON`` is set, selectolax is another version, or it does
    not read the probe pages exactly as the Python walk does."""
    if not _compiled:
        _compiled.append(_set_up_compiled_walk())
    return _compiled[0]


def _set_up_compiled_walk():
    # selectolax here, not at the top: the byte-level parts (the UTF-8 check) serve
    # flattened text pages too, which never parse HTML.
    import selectolax
    from selectolax.lexbor import LexborHTMLParser

    # dom's rules: imported here, once, as dom imports this module for its walk
    from newsdesk.extract import dom

    compiled = _compiled_module
    if compiled is None or selectolax.__version__ not in _COMPILED_WALK_VERSIONS:
        return None
    wanted = dom.BLOCK_TAGS | dom._INLINE_TAGS | dom._SKIPPED_TAGS | {"br"}
    learned: list[dict[int, str]] = []
    for _ in range(2):  # ids that differ between documents are not lexbor's own
        tree = LexborHTMLParser(
            "<p>" + "".join(f"<{tag}>x</{tag}>" for tag in sorted(wanted)) + "</p>" + _PROBE_TAGS
        )
        ids: dict[int, str] = {}
        for node in tree.root.traverse(include_text=True):
            if node.tag and (node.tag in wanted or node.tag == "-text"):
                ids.setdefault(compiled.tag_id(node.mem_id), node.tag)
        learned.append(ids)
    ids = learned[0]
    if learned[1] != ids or set(ids.values()) != wanted | {"-text"} or max(ids) >= 1024:
        return None
    attributes = LexborHTMLParser(
        "<div class=a id=b href=c style=d role=e itemprop=f hidden aria-hidden=g></div>"
    ).css_first("div")
    names = list(attributes.attributes)
    numbers = dict(zip(names, compiled.attribute_ids(attributes.mem_id), strict=True))
    known = ("class", "id", "href", "style")  # lexbor's own names: compared by id
    if any(numbers[name] >= _LOWEST_ADDRESS for name in known) or any(
        numbers[name] < _LOWEST_ADDRESS for name in names if name not in known
    ):
        return None
    compiled.setup(
        {number: tag for number, tag in ids.items() if tag != "-text"},
        next(number for number, tag in ids.items() if tag == "-text"),
        {name: numbers[name] for name in known},
        {
            "Element": dom.Element,
            "add_block": dom.add_block,
            "skipped_tags": dom._SKIPPED_TAGS,
            "block_tags": dom.BLOCK_TAGS,
            "hintless_tags": dom._NO_HINT_TAGS,
            "classes_hide_cache": dom._CLASSES_HIDE,
            "remembered_classes_hide": dom._remembered_classes_hide,
            "hidden_by_attributes": dom._hidden_by_attributes,
            "finish_cjk": dom._without_link_edges,
        },
    )
    tree = LexborHTMLParser(_PROBE_PAGE)
    root = tree.body
    if root is None or _walked(compiled.segment(tree, root, "body")) != _walked(
        dom._walk(tree, root, "body")
    ):
        return None
    return compiled.segment


def _walked(walked: Walked) -> tuple:
    """A walk's result as plain values, to compare two walks."""
    elements, blocks, links, hinted = walked
    return (
        [(e.index, e.parent, e.tag, e.depth, e.text_chars, e.link_chars, e.end) for e in elements],
        [
            (b.index, b.owner, b.tag, b.text, b.link_chars, b.heading, b.in_list, b.weight)
            for b in blocks
        ],
        links,
        # what the class/id hint reads of each element's attributes
        [tuple((attrs or {}).get(name) for name in _HINT_NAMES) for attrs in hinted],
    )


_HINT_NAMES = ("itemprop", "class", "id", "role")
