"""Is an article's text free to read, partly behind a paywall, or not known?

``free``: the publisher says so (JSON-LD ``isAccessibleForFree: true``, or
``article:content_tier`` ``free``). ``paywalled``: the publisher marks it not free (JSON-LD
``isAccessibleForFree: false``, on the article or one of its parts; ``content_tier``
``locked``), or the page shows a subscribe wall (an element classed ``paywall`` that offers
a subscription, a line such as "Subscribe to continue reading"): the text read is then
likely a teaser. Paywall markup alone (hidden overlays on free pages) does not count. ``unknown``:
the page says neither; most pages do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsdesk.extract.compiled import compiled_walk_in_use, css_where_named
from newsdesk.extract.heads import Heads, find_heads
from newsdesk.model import ACCESS_VALUES, Access

__all__ = ["ACCESS_VALUES", "Access", "declared_access", "wall_line", "with_wall_text"]

# Class or id of a subscribe wall or of content locked behind one.
WALL_WORDS = (
    "paywall", "pay-wall", "subscriber-only", "subscribers-only", "subscription-wall",
    "subscribe-wall", "regwall", "premium-wall", "meter-wall", "article-locked",
    "locked-content", "piano-offer", "tp-modal",
)  # fmt: skip
_WALL_SELECTOR = ", ".join(f'[class*="{word}" i], [id*="{word}" i]' for word in WALL_WORDS)
# Without the compiled walk: each wall word holds one of these, an element that none of
# them names is no wall's, and this shorter query (half the cost of the full one) finds
# none on most pages. Up to _MAX_WALL_CANDIDATES candidates are each matched against the
# full selector; more, and the full query is asked instead.
WALL_CORES = ("wall", "locked", "subscriber", "piano-offer", "tp-modal")
_WALL_CORE_SELECTOR = ", ".join(f'[class*="{core}" i], [id*="{core}" i]' for core in WALL_CORES)
_MAX_WALL_CANDIDATES = 10
# A visible line of a subscribe wall (English, Russian, German, French, Spanish).
_WALL_TEXT = re.compile(
    r"\bsubscribe (?:now |today )?to (?:continue|keep) reading\b|"
    r"\b(?:this|the) (?:article|story|content) is (?:only )?(?:for|available to) "
    r"(?:paying |our )?subscribers\b|"
    r"\bsubscribers only\b|\bexclusive to subscribers\b|"
    r"\bto (?:continue reading|read the (?:full|whole|rest of the) (?:article|story)),? "
    r"(?:please )?(?:subscribe|sign in|log in|become a subscriber)\b|"
    r"\balready a subscriber\?|"
    r"\bоформите подписку\b|\bдоступ(?:ен|на|но)? только (?:для )?подписчик|"
    r"\bчтобы (?:продолжить|дочитать)[^.]{0,40}подпи|"
    r"\bjetzt abonnieren und weiterlesen\b|\bnur für abonnenten\b|"
    r"\bréservé aux abonnés\b|\bexclusivo para suscriptores\b",
    re.I,
)
# Words every alternative of _WALL_TEXT holds, lower-cased.
_WALL_WORDS = ("subscri", "continue reading", "read the", "подпи", "abonn", "suscri")
# The letters re.I matches to a letter of those words that str.lower() does not turn into
# it (every code point tried): where one is in the text, the words are not looked for.
_CASE_ODDITIES = ("\u0130", "\u0131", "\u017f", "\u1c81", "\u1c82")  # İ ı ſ ᲁ ᲂ
# The words of an offer to subscribe, in a wall element's text.
_SUBSCRIBE = re.compile(r"subscri|abonn|подпис|suscri|assinante|abbonat", re.I)
_WALL_ELEMENT_CHARS = 1000
_MAX_WALL_ELEMENTS = 20
# A wall says so in a short line; an article that mentions subscriptions says more.
_WALL_LINE_CHARS = 300
_TIER = {"free": "free", "locked": "paywalled"}
_TIER_KEY = "article:content_tier"  # the meta's property or name, exactly


def _is_tier_meta(node: LexborNode) -> bool:
    """``meta[property="article:content_tier"], meta[name="article:content_tier"]``."""
    attrs = node.attributes
    return attrs.get("property") == _TIER_KEY or attrs.get("name") == _TIER_KEY


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "false", "no"):
        return value.strip().lower() in ("true", "yes")
    return None


def _json_ld_flags(documents: list[Any]) -> list[bool]:
    """Every ``isAccessibleForFree`` in the page's JSON-LD, its parts' included."""
    flags: list[bool] = []
    for document in documents:
        stack: list[Any] = [document]
        seen = 0
        while stack and seen < 500:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                flag = _flag(item.get("isAccessibleForFree"))
                if flag is not None:
                    flags.append(flag)
                stack.extend(v for k, v in item.items() if isinstance(v, dict | list))
    return flags


def wall_line(lines: Iterable[str]) -> str | None:
    """The first short line that reads as a subscribe wall, or None."""
    short = [line for line in lines if len(line) <= _WALL_LINE_CHARS]
    # Substring tests on all the lines at once for words every wall line holds, then the
    # regex line by line only where one is found: most pages hold none.
    if not _may_hold_wall_words("\n".join(short)):
        return None
    for line in short:
        if _WALL_TEXT.search(line):
            return line
    return None


def _may_hold_wall_words(text: str) -> bool:
    if not text.isascii() and any(odd in text for odd in _CASE_ODDITIES):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _WALL_WORDS)


def declared_access(tree: LexborHTMLParser, heads: Heads | None = None) -> Access:
    """What the page's markup says: the publisher's JSON-LD or content tier first (its word
    wins), then an element of a subscribe wall. Read before the page's scripts and
    furniture are removed. ``heads``: the page's ``find_heads``, where already found."""
    heads = heads or find_heads(tree)
    flags = _json_ld_flags(heads.json_ld)
    if False in flags:
        return "paywalled"
    if True in flags:
        return "free"
    tier = None
    for node in heads.metas:
        if not _is_tier_meta(node):
            continue
        tier = _TIER.get((node.attributes.get("content") or "").strip().lower()) or tier
    if tier is not None:
        return tier  # type: ignore[return-value]
    for node in wall_elements(tree)[:_MAX_WALL_ELEMENTS]:
        # Paywall machinery is on many free pages too (hidden overlays, wrappers): only a
        # wall element that asks the reader to subscribe counts.
        text = node.text(deep=True, separator=" ", strip=True)
        if len(text) <= _WALL_ELEMENT_CHARS and _SUBSCRIBE.search(text):
            return "paywalled"
    return "unknown"


def wall_elements(tree: LexborHTMLParser) -> list[LexborNode]:
    """``tree.css(_WALL_SELECTOR)``: the elements whose class or id holds a wall word.
    Most pages name no wall word in any class or id, and lexbor is then not asked."""
    if compiled_walk_in_use():
        return css_where_named(tree, _WALL_SELECTORS)
    candidates = tree.css(_WALL_CORE_SELECTOR)
    if not candidates:
        return []
    if len(candidates) > _MAX_WALL_CANDIDATES:
        return tree.css(_WALL_SELECTOR)
    return [node for node in candidates if node.css_matches(_WALL_SELECTOR)]


_WALL_SELECTORS = tuple(
    (f'[{name}*="{word}" i]', name, word) for word in WALL_WORDS for name in ("class", "id")
)


def with_wall_text(access: Access, lines: Iterable[str]) -> Access:
    """``access``, or ``paywalled`` when nothing was declared and a line reads as a wall."""
    if access != "unknown":
        return access
    return "paywalled" if wall_line(line.strip() for line in lines) else "unknown"
