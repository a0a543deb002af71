"""Names moved or replaced in a sentence that otherwise copies its source passage.

:mod:`newsdesk.verify.roles` finds a name's slot from the few words beside it, which
fails where those words are punctuation, numbers or other names ("Kevin McCarthy
(R-Calif.)", "Cheryl Strayed's Wild", a photo caption). Here the sentence is compared
word for word with the source passage it copies most of. Two edits change who is who
while leaving every other word in place:

- **a name replaced**: one name written where the passage has another, the words on
  both sides unchanged ("filed by a cheerleader identified only as Jets C." for "...
  as Krystal C.");
- **names exchanged**: two names of the passage trading places around the words between
  them ("Wild's Cheryl Strayed" for "Cheryl Strayed's Wild", "the North has shared ...
  with Syria" for "Syria has shared ... with the North").

Not flagged: names of one list trading places ("A, B and C"), names around a word that
reads both ways ("A met B"), a name the passage also gives in another form (shared word,
initials), and a replaced name another source passage has in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from newsdesk.verify.names import name_key
from newsdesk.verify.text import STOPWORDS, content_terms, nfkc, wordset

_TOKEN = re.compile(r"\w+", re.UNICODE)
# Lower-case words that may stand inside a name ("Bank of England", "Ashraf al-Kidra").
_NAME_LINKS = wordset("of al el de da di del der du la le van von bin ibn y s")
# Words between two names that read the same both ways round ("A met B", "A v B").
_SYMMETRIC = wordset(
    """and or with met meet meets meeting married marry marries marrying faced faces face
    facing played plays play playing drew draw draws versus vs v against between alongside
    beside near neighbour neighbours neighbouring neighbor neighbors neighboring joined
    joins join partnered partner partners together also"""
)
# The longest name span and the longest stretch between exchanged names, in words.
_MAX_NAME = 6
_MAX_BETWEEN = 30
# Words of the sentence the passage must share, in order, for it to be "copied".
_MIN_COPIED = 0.6
_MIN_FLANK = 2


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of ``text`` as written and lower-cased."""
    words = tuple(_TOKEN.findall(nfkc(text)))
    return words, tuple(w.lower() for w in words)


def _capital(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(c.isupper() for c in word))


def _namelike(words: Sequence[str]) -> bool:
    """Capitalised words (and the links names hold), one of them not a stop word."""
    if not words or len(words) > _MAX_NAME:
        return False
    if not all(_capital(w) or w.lower() in _NAME_LINKS or w.isdigit() for w in words):
        return False
    return any(_capital(w) and w.lower() not in STOPWORDS and not w.isdigit() for w in words)


def _keys(words: Sequence[str]) -> set[str]:
    return {name_key(w) for w in words if _capital(w) and len(w) > 1}


def _same_thing(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two spans that may name one thing: a shared word, a word's start ("Ala."/"Alabama"),
    or one the initials of the other ("UN"/"United Nations")."""
    ka, kb = _keys(a), _keys(b)
    if ka & kb:
        return True
    for x in ka:
        for y in kb:
            if min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
                return True
    initials_a = "".join(w[0] for w in a if _capital(w)).lower()
    initials_b = "".join(w[0] for w in b if _capital(w)).lower()
    joined_a = "".join(a).lower()
    joined_b = "".join(b).lower()
    return joined_a == initials_b or joined_b == initials_a


def _copied_passage(
    text: str, passages: Sequence[tuple[str, frozenset[str]]]
) -> tuple[int, SequenceMatcher] | None:
    """The passage sharing most of the sentence's words in order, when it shares enough."""
    terms = set(content_terms(text))
    if len(terms) < 3:
        return None
    ranked = sorted(
        ((len(terms & t), k) for k, (_, t) in enumerate(passages) if len(terms & t) >= 2),
        reverse=True,
    )[:3]
    _, lower = _tokens(text)
    best: tuple[int, int, SequenceMatcher] | None = None
    for _, k in ranked:
        matcher = SequenceMatcher(None, lower, _tokens(passages[k][0])[1], autojunk=False)
        copied = sum(block.size for block in matcher.get_matching_blocks())
        if best is None or copied > best[0]:
            best = (copied, k, matcher)
    if best is None or best[0] < max(6, _MIN_COPIED * len(lower)):
        return None
    return best[1], best[2]


def edit_conflicts(text: str, passages: Sequence[tuple[str, frozenset[str]]]) -> list[str]:
    """Names the sentence replaced or exchanged in the passage it copies."""
    found = _copied_passage(text, passages)
    if found is None:
        return []
    k, matcher = found
    passage = passages[k][0]
    words, lower = _tokens(text)
    p_words, p_lower = _tokens(passage)
    ops = matcher.get_opcodes()
    out: list[str] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        mine, theirs = words[i1:i2], p_words[j1:j2]
        if not (_namelike(mine) and _namelike(theirs)) or _same_thing(mine, theirs):
            continue
        if not _flanked(ops, n, len(lower)):
            continue
        if _keys(mine) <= _keys(p_words) and _keys(theirs) <= _keys(words):
            continue  # names of the passage in another order: an exchange (below) or a list
        window = lower[max(0, i1 - _MIN_FLANK) : i2 + _MIN_FLANK]
        if any(
            _contains(_tokens(other)[1], window) for m, (other, _) in enumerate(passages) if m != k
        ):
            continue  # another passage says it with this name
        out.append(
            f"'{' '.join(mine)}' stands where the matching source passage has "
            f"'{' '.join(theirs)}': {_shown(passage)!r}"
        )
    if out:
        return out
    exchanged = _exchange(words, lower, p_words, p_lower, ops)
    if exchanged:
        a, b = exchanged
        out.append(
            f"'{a}' and '{b}' trade places: the matching source passage has them the other "
            f"way round: {_shown(passage)!r}"
        )
    return out


def _flanked(ops: Sequence[tuple[str, int, int, int, int]], n: int, size: int) -> bool:
    """The edit has unchanged words on both sides (or stands at the sentence's edge)."""
    _, i1, i2, _, _ = ops[n]
    before = ops[n - 1] if n > 0 else None
    after = ops[n + 1] if n + 1 < len(ops) else None
    left = i1 == 0 or (
        before is not None and before[0] == "equal" and before[2] - before[1] >= _MIN_FLANK
    )
    right = i2 == size or (
        after is not None and after[0] == "equal" and after[2] - after[1] >= _MIN_FLANK
    )
    # at an edge, the other side must hold more
    if i1 == 0 or i2 == size:
        inner = after if i1 == 0 else before
        return inner is not None and inner[0] == "equal" and inner[2] - inner[1] >= 3
    return left and right


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return any(tuple(haystack[i : i + n]) == tuple(needle) for i in range(len(haystack) - n + 1))


def _exchange(
    words: Sequence[str],
    lower: Sequence[str],
    p_words: Sequence[str],
    p_lower: Sequence[str],
    ops: Sequence[tuple[str, int, int, int, int]],
) -> tuple[str, str] | None:
    """Two names of the passage written in each other's place, the words between kept:
    the passage reads ``A M B`` where the sentence reads ``B M A``."""
    changed = [op for op in ops if op[0] != "equal"]
    for x, first in enumerate(changed):
        for last in changed[x:]:
            i1, i2, j1, j2 = first[1], last[2], first[3], last[4]
            if i2 - i1 != j2 - j1 or i2 - i1 > 2 * _MAX_NAME + _MAX_BETWEEN:
                continue
            mine, theirs = lower[i1:i2], p_lower[j1:j2]
            size = len(theirs)
            for a in range(1, min(_MAX_NAME, size - 2) + 1):
                for b in range(1, min(_MAX_NAME, size - a - 1) + 1):
                    if tuple(mine) != tuple(theirs[size - b :]) + tuple(
                        theirs[a : size - b]
                    ) + tuple(theirs[:a]):
                        continue
                    span_a, span_b = p_words[j1 : j1 + a], p_words[j2 - b : j2]
                    between = p_words[j1 + a : j2 - b]
                    if not (_namelike(span_a) and _namelike(span_b)) or _same_thing(span_a, span_b):
                        continue
                    if _a_list(between) or reads_both_ways(between):
                        continue
                    return " ".join(span_b), " ".join(span_a)
    return None


def _a_list(between: Sequence[str]) -> bool:
    """Names and list words only: the two stand in one list, whose order says nothing."""
    return all(_capital(w) or w.lower() in ("and", "or") for w in between) and "s" not in between


def reads_both_ways(between: Sequence[str]) -> bool:
    """The words between two names say the same with the names the other way round."""
    content = [w.lower() for w in between if not _capital(w) and not w.isdigit()]
    rest = [w for w in content if w not in STOPWORDS or w in _SYMMETRIC]
    return bool(rest) and all(w in _SYMMETRIC for w in rest)


def _shown(passage: str) -> str:
    return passage if len(passage) <= 160 else passage[:159] + "…"
