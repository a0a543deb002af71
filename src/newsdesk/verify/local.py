"""Conflicts with the aligned source sentence: the same sentence with a different number or date.

A sentence that closely follows one source sentence (most of its content words are
there) must not change that sentence's numbers or dates, even to a value the article
gives elsewhere: "lawmakers said on Friday" where the aligned source sentence says
Thursday is wrong even if another paragraph mentions a Friday.
"""

from __future__ import annotations

from functools import lru_cache

from newsdesk.verify.dates import DateMention, Fact, describe, find_dates, implied_facts
from newsdesk.verify.numbers import Quantity, find_quantities, value_key

# The share of a sentence's (weighted) content words its best source sentence must hold
# for the two to count as the same sentence.
ALIGNED_SHARE = 0.7
_DATE_KINDS = ("weekday", "month", "day", "year", "time")


@lru_cache(maxsize=8192)
def _source_facts(
    sentence: str,
) -> tuple[frozenset[Fact], dict[str, frozenset[float]]]:
    dates = find_dates(sentence)
    facts = implied_facts({f for m in dates for f in m.facts}, None)
    units: dict[str, set[float]] = {}
    for q in find_quantities(sentence, [(d.start, d.end) for d in dates]):
        if q.unit:
            units.setdefault(q.unit, set()).add(value_key(q.value))
    return frozenset(facts), {u: frozenset(v) for u, v in units.items()}


def _union(aligned: tuple[str, ...]) -> tuple[set[Fact], dict[str, set[float]]]:
    facts: set[Fact] = set()
    units: dict[str, set[float]] = {}
    for sentence in aligned:
        more_facts, more_units = _source_facts(sentence)
        facts |= more_facts
        for unit, values in more_units.items():
            units.setdefault(unit, set()).update(values)
    return facts, units


def date_conflicts(mentions: list[DateMention], aligned: tuple[str, ...]) -> list[str]:
    """Date facts of the draft sentence that the aligned source sentences state otherwise
    (the best-matching one and the one completing it, for a sentence fusing two)."""
    facts, _ = _union(aligned)
    out = []
    for mention in mentions:
        for fact in mention.facts:
            if fact[0] not in _DATE_KINDS or fact in facts:
                continue
            same_kind = [f for f in facts if f[0] == fact[0]]
            if same_kind:
                said = ", ".join(sorted(describe(f) for f in same_kind))
                out.append(f"'{mention.surface}': the matching source sentence says {said}")
                break
    return out


def number_conflicts(quantities: list[Quantity], aligned: tuple[str, ...]) -> list[str]:
    """Counts of the draft sentence that the aligned source sentences give otherwise."""
    _, units = _union(aligned)
    out = []
    for q in quantities:
        if not q.unit or q.unit not in units:
            continue
        if value_key(q.value) not in units[q.unit]:
            said = ", ".join(f"{v:g}" for v in sorted(units[q.unit]))
            out.append(f"'{q.surface} {q.unit}…': the matching source sentence gives {said}")
    return out
