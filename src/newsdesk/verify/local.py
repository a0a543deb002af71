"""Conflicts with the aligned source sentence: the same passage with a different number or date.

For each number or date of a written sentence, the words around it are matched to the
cited source sentence that holds most of them. When that sentence states a number
counting the same thing, or a date of the same kind, and not this one, the written
sentence has changed it, even to a value the article gives elsewhere: "lawmakers said
on Friday" where the matching source passage says Thursday is wrong even if another
paragraph mentions a Friday. Matching the words around each mention, not the whole
sentence, keeps a sentence that fuses two source sentences from being judged against
the wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from newsdesk.verify.dates import DateMention, Fact, describe, implied_facts, since_years
from newsdesk.verify.numbers import Quantity, spans_years, value_key
from newsdesk.verify.sources import SourceIndex, sentence_facts
from newsdesk.verify.text import terms_around

# Characters of context taken on each side of a mention.
WINDOW = 70
# Share of the context's content words a source sentence must hold to be its match.
MIN_CONTEXT_SHARE = 0.6
_DATE_KINDS = ("weekday", "month", "day", "year", "time")


@lru_cache(maxsize=8192)
def _source_facts(sentence: str) -> tuple[frozenset[Fact], dict[str, frozenset[float]]]:
    # a source sentence: its dates and quantities were read when its article was indexed
    date_facts, quantities, _ = sentence_facts(sentence)
    facts = implied_facts(set(date_facts), None)
    units: dict[str, set[float]] = {}
    for _cls, key, unit in quantities:
        if unit:
            units.setdefault(unit, set()).add(key)
    return frozenset(facts), {u: frozenset(v) for u, v in units.items()}


def _matches(
    text: str, start: int, end: int, indexes: Sequence[SourceIndex]
) -> list[tuple[int, str]]:
    """Cited source sentences sharing words with the context of a mention: (overlap, text)."""
    context = terms_around(text, start, end, WINDOW)
    if len(context) < 2:
        return []
    out = []
    for index in indexes:
        for sentence, terms in zip(index.sentences, index.sentence_terms, strict=True):
            overlap = len(context & terms)
            if overlap:
                out.append((overlap, sentence))
    if not out or max(o for o, _ in out) < max(2, MIN_CONTEXT_SHARE * len(context)):
        return []  # no source passage is clearly the one written about
    return out


def _conflict(matches: list[tuple[int, str]], holds: Callable[[str], bool]) -> str | None:
    """The matching passage, when it clearly beats every passage that states the value."""
    best_overlap, best = max(matches, key=lambda m: m[0])
    with_value = max((o for o, sentence in matches if holds(sentence)), default=0)
    # a passage nearly as close that gives the value: a fused or reworded sentence, not a change
    if with_value * 2 > best_overlap:
        return None
    return best


def date_conflicts(
    text: str, mentions: list[DateMention], indexes: Sequence[SourceIndex]
) -> list[str]:
    """Date facts the matching source passage states otherwise."""
    out = []
    for mention in mentions:
        matches = _matches(text, mention.start, mention.end, indexes)
        if not matches:
            continue
        for fact in mention.facts:
            if fact[0] not in _DATE_KINDS:
                continue
            best = _conflict(matches, lambda s, fact=fact: fact in _source_facts(s)[0])
            if best is None:
                continue
            facts = _source_facts(best)[0]
            same_kind = sorted(describe(f) for f in facts if f[0] == fact[0])
            if same_kind:
                out.append(
                    f"'{mention.surface}': the matching source passage says {', '.join(same_kind)}"
                )
                break
    return out


def number_conflicts(
    text: str, quantities: list[Quantity], indexes: Sequence[SourceIndex]
) -> list[str]:
    """Counts the matching source passage gives otherwise (same counted word, other value).
    A passage starting a span ("since 1976") holds the years from then to its article's
    present (verify.numbers.spans_years)."""
    out = []
    presents = {i.facts.present for i in indexes if i.facts.present}

    def holds(sentence: str, q: Quantity, key: float) -> bool:
        if key in _source_facts(sentence)[1].get(q.unit, ()):
            return True
        starts = since_years(sentence)
        return bool(starts) and spans_years(q, {p - y for p in presents for y in starts}, text)

    for q in quantities:
        if not q.unit:
            continue
        matches = _matches(text, q.start, q.end, indexes)
        if not matches:
            continue
        key = value_key(q.value)
        best = _conflict(matches, lambda s, q=q, key=key: holds(s, q, key))
        if best is None:
            continue
        units = _source_facts(best)[1]
        if q.unit in units and key not in units[q.unit]:
            said = ", ".join(f"{v:g}" for v in sorted(units[q.unit]))
            out.append(f"'{q.surface} {q.unit}…': the matching source passage gives {said}")
    return out
