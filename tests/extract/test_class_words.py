"""The class-word rules (dom.py's lists) read alike by their regular expressions and by
the compiled matcher (``_walk.ClassWords``), and as the lists say.

The matcher reads ASCII class, id and role values in C; the expressions read the rest,
and every value where the compiled module is not built. One rule read differently would
hint a block differently, so the two are compared on every class, id and role value of
real pages and on made values around each listed word: its edges ("-", "_", a letter, a
digit, another word), the case, the whitespace str.split() and CSS split at.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsdesk.extract import dom
from tests.extract.test_walk import real_pages


@pytest.fixture(scope="module")
def matcher():
    if dom._COMPILED_CLASS_WORDS is None:
        pytest.skip("the compiled module is not built (or NEWSDESK_PURE_PYTHON is set)")
    return dom._COMPILED_CLASS_WORDS


def patterns_flags(names: str) -> int:
    """The bits the regular expressions give a class/id/role value, token by token."""
    flags = 0
    for token in names.split():
        word = re.sub(r"\d+", "", token).lower()
        flags |= dom._token_flags(word) if word else 0
    return flags


def patterns_hide(classes: str) -> bool:
    return bool(dom._HIDING_CLASSES_ANY_CASE.search(classes) or dom._HIDING_CLASSES.search(classes))


def real_values() -> set[str]:
    values = set()
    for _, html in real_pages():
        for node in LexborHTMLParser(html).css("[class], [id], [role]"):
            attrs = node.attributes
            values.update(value for name in ("class", "id", "role") if (value := attrs.get(name)))
    return values


LISTED = [dom._word_rule(entry)[0] for _, words in dom._CLASS_WORDS for entry in words]
HIDING = [
    dom._word_rule(entry)[0]
    for entry in (*dom._HIDING_CLASS_WORDS_ANY_CASE, *dom._HIDING_CLASS_NAMES)
]
EDGES = ["", "-", "_", "x", "s", "7", "ary", ".", ":", "é", " ", "\t", "\x0b", "\x1c", "\xa0"]


def made_values(words: list[str]) -> set[str]:
    values = set()
    for word in words:
        for before, after in itertools.product(EDGES, EDGES):
            values.update({before + word + after, (before + word + after).upper()})
    rng = random.Random(13)
    pool = [*words, "embed", "twitter", "social", *EDGES]
    for _ in range(5000):
        values.add("".join(rng.choice(pool) for _ in range(rng.randint(1, 5))))
    return values


def test_class_words_read_alike_on_real_and_made_values(matcher) -> None:
    values = real_values() | made_values(LISTED)
    ascii_values = [value for value in values if value.isascii()]
    assert len(ascii_values) > 10_000
    for value in values:
        found = matcher.names(value)
        if not value.isascii():
            assert found == -1  # read by the expressions
            continue
        assert found == patterns_flags(value), value


def test_hiding_classes_read_alike_on_real_and_made_values(matcher) -> None:
    for value in real_values() | made_values(HIDING):
        expected = patterns_hide(value)
        assert dom._classes_hide(value) == expected, value


@pytest.mark.parametrize(
    ("names", "flags"),
    [
        ("site-nav", dom._IS_NEGATIVE),
        ("canvas", 0),  # "nav" only where a word starts
        ("site_nav", 0),  # "_" is a word character
        ("comment-list", dom._IS_STRONG),
        ("commentary", 0),
        ("social-embed__twitter", dom._IS_STRONG | dom._IS_EMBED),
        ("image-wrap", dom._IS_NEGATIVE),
        ("has-image", 0),  # a modifier, not a media wrapper
        ("Post-12345 story", dom._IS_POSITIVE),
        ("navigation", dom._IS_NEGATIVE | dom._IS_LANDMARK),
    ],
)
def test_the_lists_read_as_they_say(names: str, flags: int) -> None:
    assert patterns_flags(names) == flags
    if dom._COMPILED_CLASS_WORDS is not None:
        assert dom._COMPILED_CLASS_WORDS.names(names) == flags


@pytest.mark.parametrize(
    ("classes", "hidden"),
    [
        ("sr-only", True),
        ("Visually-Hidden label", True),
        ("card HIDDEN", True),  # any case, as CSS's "i" flag
        ("hidden-xs", False),  # a whole class name only
        ("is-hidden", True),
        ("IS-HIDDEN", False),  # as written
        ("d-none\td-md-block", True),
        ("hide", True),
    ],
)
def test_hiding_classes_read_as_they_say(classes: str, hidden: bool) -> None:
    assert patterns_hide(classes) is hidden
    assert dom._classes_hide(classes) is hidden
